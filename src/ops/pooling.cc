// Pooling. Output spatial size by the ONNX MaxPool/AveragePool formula (WindowOutputShape).
// Costs in the "other ops" bucket: MaxPool one compare per window element, AveragePool one add
// per window element plus one divide; global pools one op per input element (+ a divide per
// output for the average).
#include "core/checked.h"
#include "ops/registry.h"

namespace tops {
namespace {

int64_t KernelProduct(const OpContext& ctx) {
  int64_t p = 1;
  for (int64_t k : ctx.node().attr_ints("kernel_shape").value_or(std::vector<int64_t>{})) {
    p = CheckedMul(p, k, "kernel size");
  }
  return p;
}

void PoolShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  auto kernel = ctx.node().attr_ints("kernel_shape");
  if (!kernel) {
    ctx.Diag("pooling node has no kernel_shape attribute");
    return;
  }
  Dim c = x->rank() >= 2 ? x->dims[1] : Dim::Unknown();
  Shape out = WindowOutputShape(ctx, *x, *kernel, c);
  ctx.SetOutput(0, ctx.input_dtype(0), out);
  if (ctx.num_outputs() > 1) ctx.SetOutput(1, DType::kInt64, out);  // MaxPool indices
}

void GlobalPoolShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  std::vector<Dim> out;
  for (size_t i = 0; i < x->rank(); ++i) out.push_back(i < 2 ? x->dims[i] : Dim::Known(1));
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

Cost MaxPoolCost(const OpContext& ctx) {
  auto n = OutputElems(ctx);
  if (!n) return Cost::Unknown();
  return Cost{0, CheckedMul(*n, KernelProduct(ctx), "op count")};
}

Cost AvgPoolCost(const OpContext& ctx) {
  auto n = OutputElems(ctx);
  if (!n) return Cost::Unknown();
  return Cost{0, CheckedMul(*n, KernelProduct(ctx) + 1, "op count")};
}

Cost GlobalAvgCost(const OpContext& ctx) {
  auto in = InputElems(ctx, 0);
  auto out = OutputElems(ctx);
  if (!in || !out) return Cost::Unknown();
  return Cost{0, CheckedAdd(*in, *out, "op count")};
}

}  // namespace

void RegisterPoolingOps(Registry& r) {
  r.Add({"", "MaxPool", "pooling", "other = out_elems * prod(kernel) (compares)", PoolShape,
         MaxPoolCost});
  r.Add({"", "AveragePool", "pooling", "other = out_elems * (prod(kernel) + 1)", PoolShape,
         AvgPoolCost});
  r.Add(
      {"", "LpPool", "pooling", "other = out_elems * (prod(kernel) + 1)", PoolShape, AvgPoolCost});
  r.Add({"", "GlobalAveragePool", "pooling", "other = in_elems + out_elems", GlobalPoolShape,
         GlobalAvgCost});
  r.Add({"", "GlobalMaxPool", "pooling", "other = in_elems", GlobalPoolShape,
         [](const OpContext& c) { return PerInputElement(c, 1); }});
  r.Add({"", "GlobalLpPool", "pooling", "other = in_elems + out_elems", GlobalPoolShape,
         GlobalAvgCost});
}

}  // namespace tops
