// Normalisation and softmax. Output shape = input shape. Costs per element in the "other ops"
// bucket: BatchNormalization in inference is a per-channel scale and shift (2); LayerNorm,
// InstanceNorm and GroupNorm compute mean, centre, square, variance-sum, normalise, scale, shift
// (7); Softmax/LogSoftmax max, subtract, exp, sum, divide/log (5).
#include "core/checked.h"
#include "ops/registry.h"

namespace tops {
namespace {

void LayerNormShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x) return;
  ctx.SetOutput(0, x->dtype, x->shape);
  // Optional Mean and InvStdDev outputs: input dims up to axis, then 1s.
  if (!x->shape.rank_known) return;
  const int64_t rank = static_cast<int64_t>(x->shape.rank());
  auto axis = NormalizeAxis(ctx.node().attr_int("axis", -1), rank);
  if (!axis) return;
  std::vector<Dim> stat(x->shape.dims.begin(), x->shape.dims.begin() + *axis);
  stat.resize(static_cast<size_t>(rank), Dim::Known(1));
  for (size_t i = 1; i < ctx.num_outputs(); ++i) ctx.SetOutput(i, DType::kFloat, Shape::Of(stat));
}

void BatchNormShape(OpContext& ctx) {
  SameShapeAsInput(ctx);
  // Training-mode outputs (running mean/var) have the shape of the scale input.
  const Shape* scale = ctx.input_shape(1);
  for (size_t i = 1; i < ctx.num_outputs() && scale; ++i) {
    ctx.SetOutput(i, ctx.input_dtype(1), *scale);
  }
}

void LrnShape(OpContext& ctx) { SameShapeAsInput(ctx); }

}  // namespace

void RegisterNormalizationOps(Registry& r) {
  auto per = [](int64_t k) { return [k](const OpContext& c) { return PerOutputElement(c, k); }; };
  r.Add({"", "BatchNormalization", "normalization",
         "other = 2 * out_elems (inference: per-channel scale and shift)", BatchNormShape, per(2)});
  r.Add({"", "InstanceNormalization", "normalization", "other = 7 * out_elems", SameShapeAsInput,
         per(7)});
  r.Add({"", "GroupNormalization", "normalization", "other = 7 * out_elems", SameShapeAsInput,
         per(7)});
  r.Add(
      {"", "LayerNormalization", "normalization", "other = 7 * out_elems", LayerNormShape, per(7)});
  r.Add({"", "MeanVarianceNormalization", "normalization", "other = 7 * out_elems",
         SameShapeAsInput, per(7)});
  r.Add(
      {"", "LpNormalization", "normalization", "other = 3 * out_elems", SameShapeAsInput, per(3)});
  r.Add({"", "Softmax", "normalization", "other = 5 * out_elems (max, sub, exp, sum, div)",
         SameShapeAsInput, per(5)});
  r.Add({"", "LogSoftmax", "normalization", "other = 5 * out_elems (max, sub, exp, sum, log)",
         SameShapeAsInput, per(5)});
  r.Add({"", "Hardmax", "normalization", "other = out_elems", SameShapeAsInput, per(1)});
  r.Add({"", "LRN", "normalization", "other = (size + 3) * out_elems", LrnShape,
         [](const OpContext& c) { return PerOutputElement(c, c.node().attr_int("size", 1) + 3); }});
}

}  // namespace tops
