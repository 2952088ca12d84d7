// Math ops outside the elementwise family: cumulative sums, determinants, signal processing
// (DFT, STFT, windows, mel filters), random generators and the loss ops. Shapes follow the ONNX
// operator spec of each op; costs are counted per output element unless stated (the FFT count
// 5 n log2 n is the usual radix-2 figure; LU decomposition of an n x n matrix ~ n^3).
#include <algorithm>
#include <cmath>

#include "core/checked.h"
#include "ops/registry.h"

namespace tops {
namespace {

Cost PerOut(const OpContext& ctx, int64_t k) { return PerOutputElement(ctx, k); }

int64_t Log2Ceil(int64_t n) {
  int64_t l = 0;
  while ((int64_t{1} << l) < n && l < 62) ++l;
  return l;
}

// Det: [*, M, M] -> [*].
void DetShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  if (x->rank() < 2) {
    ctx.Diag("Det needs at least 2 dims");
    return;
  }
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of({x->dims.begin(), x->dims.end() - 2}));
}

Cost DetCost(const OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  auto batch = OutputElems(ctx);
  if (!x || x->rank() < 2 || !batch || !x->dims.back().known()) return Cost::Unknown();
  const int64_t n = x->dims.back().value;
  return Cost{0, CheckedMul(*batch, CheckedMul(n, CheckedMul(n, n, "ops"), "ops"), "ops")};
}

// DFT-17: input [batch, ..., n, 1|2]; the transformed axis (attribute, default 1) becomes
// dft_length, or dft_length/2+1 when onesided; the last dim is 2 (real, imaginary).
void DftShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x || x->rank() < 2) return;
  const int64_t rank = static_cast<int64_t>(x->rank());
  int64_t axis_value = ctx.node().attr_int("axis", 1);
  if (ctx.opset() >= 20) {
    if (auto a = ctx.input_ints(2); a && a->size() == 1) axis_value = (*a)[0];
  }
  auto axis = NormalizeAxis(axis_value, rank - 1);
  if (!axis) {
    ctx.Diag("DFT axis out of range");
    return;
  }
  std::vector<Dim> out = x->dims;
  Dim n = out[static_cast<size_t>(*axis)];
  if (auto len = ctx.input_ints(1); len && len->size() == 1) n = Dim::Known((*len)[0]);
  if (ctx.node().attr_int("onesided", 0) != 0 && n.known()) n = Dim::Known(n.value / 2 + 1);
  out[static_cast<size_t>(*axis)] = n;
  out.back() = Dim::Known(2);
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

Cost DftCost(const OpContext& ctx) {
  auto out = OutputElems(ctx);
  const Shape* x = ctx.input_shape(0);
  if (!out || !x || x->rank() < 2) return Cost::Unknown();
  auto axis = NormalizeAxis(ctx.node().attr_int("axis", 1), static_cast<int64_t>(x->rank()) - 1);
  if (!axis || !x->dims[static_cast<size_t>(*axis)].known()) return Cost::Unknown();
  const int64_t n = x->dims[static_cast<size_t>(*axis)].value;
  return Cost{0, CheckedMul(CheckedMul(*out, 5, "ops"), std::max<int64_t>(1, Log2Ceil(n)), "ops")};
}

// STFT-17: signal [batch, length, 1|2] -> [batch, frames, bins, 2] with frames =
// (length - frame_length) / frame_step + 1 and bins = frame_length/2+1 when onesided.
void StftShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  auto step = ctx.input_ints(1);
  if (!x || x->rank() != 3) return;
  std::optional<int64_t> frame;
  if (auto fl = ctx.input_ints(3); fl && fl->size() == 1)
    frame = (*fl)[0];
  else if (const Shape* w = ctx.input_shape(2); w && w->rank() == 1 && w->dims[0].known()) {
    frame = w->dims[0].value;
  }
  Dim frames = Dim::Unknown(), bins = Dim::Unknown();
  if (frame && step && step->size() == 1 && (*step)[0] > 0 && x->dims[1].known()) {
    frames = Dim::Known((x->dims[1].value - *frame) / (*step)[0] + 1);
  }
  if (frame) {
    bins = Dim::Known(ctx.node().attr_int("onesided", 1) != 0 ? *frame / 2 + 1 : *frame);
  }
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of({x->dims[0], frames, bins, Dim::Known(2)}));
}

Cost StftCost(const OpContext& ctx) {
  auto out = OutputElems(ctx);
  const Shape* o = ctx.output(0).present ? &ctx.output(0).shape : nullptr;
  if (!out || !o) return Cost::Unknown();
  return Cost{0, CheckedMul(CheckedMul(*out, 5, "ops"),
                            std::max<int64_t>(1, Log2Ceil(o->dims[2].value * 2)), "ops")};
}

DType AttrDType(const OpContext& ctx, const char* name, DType fallback) {
  return ctx.node().attr_dtype(name, fallback);
}

// Hann/Hamming/Blackman windows: [size] from the scalar input.
void WindowShape(OpContext& ctx) {
  const DType dt = AttrDType(ctx, "output_datatype", DType::kFloat);
  auto size = ctx.input_ints(0);
  if (!size || size->size() != 1) {
    ctx.SetOutput(0, dt, Shape::Of({ctx.DataDependentDim("size")}));
    return;
  }
  ctx.SetOutput(0, dt, Shape::Known({(*size)[0]}));
}

// MelWeightMatrix-17: [dft_length/2 + 1, num_mel_bins].
void MelShape(OpContext& ctx) {
  const DType dt = AttrDType(ctx, "output_datatype", DType::kFloat);
  auto bins = ctx.input_ints(0);
  auto dft = ctx.input_ints(1);
  Dim rows = dft && dft->size() == 1 ? Dim::Known((*dft)[0] / 2 + 1) : Dim::Unknown();
  Dim cols = bins && bins->size() == 1 ? Dim::Known((*bins)[0]) : Dim::Unknown();
  ctx.SetOutput(0, dt, Shape::Of({rows, cols}));
}

// RandomNormal/RandomUniform: shape and dtype from attributes.
void RandomShape(OpContext& ctx) {
  const DType dt = AttrDType(ctx, "dtype", DType::kFloat);
  auto shape = ctx.node().attr_ints("shape");
  if (!shape) {
    ctx.Diag("random generator without a shape attribute");
    return;
  }
  ctx.SetOutput(0, dt, Shape::Known(*shape));
}

// RandomNormalLike/RandomUniformLike/Bernoulli: the input's shape; dtype attribute or input's.
void RandomLikeShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x) return;
  ctx.SetOutput(0, AttrDType(ctx, "dtype", x->dtype), x->shape);
}

// Multinomial: [batch, sample_size].
void MultinomialShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x || x->rank() != 2) return;
  ctx.SetOutput(0, AttrDType(ctx, "dtype", DType::kInt32),
                Shape::Of({x->dims[0], Dim::Known(ctx.node().attr_int("sample_size", 1))}));
}

// NegativeLogLikelihoodLoss-13: scalar unless reduction = none (then target's shape).
void NllShape(OpContext& ctx) {
  const Shape* target = ctx.input_shape(1);
  const DType dt = ctx.input_dtype(0);
  if (ctx.node().attr_string("reduction", "mean") != "none") {
    ctx.SetOutput(0, dt, Shape::Of({}));
    return;
  }
  if (target) ctx.SetOutput(0, dt, *target);
}

// SoftmaxCrossEntropyLoss-13: loss like NLL; optional log_prob with the scores' shape.
void SceShape(OpContext& ctx) {
  NllShape(ctx);
  const Shape* scores = ctx.input_shape(0);
  if (ctx.num_outputs() > 1 && scores) ctx.SetOutput(1, ctx.input_dtype(0), *scores);
}

Cost LossCost(const OpContext& ctx, int64_t per_in) {
  auto n = InputElems(ctx, 0);
  if (!n) return Cost::Unknown();
  return Cost{0, CheckedMul(*n, per_in, "ops")};
}

// TfIdfVectorizer-9: [C] -> [max(ngram_indexes) + 1], [N, C] -> [N, max(ngram_indexes) + 1].
void TfIdfShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  auto idx = ctx.node().attr_ints("ngram_indexes");
  if (!x || !idx || x->rank() < 1 || x->rank() > 2) return;
  int64_t width = 0;
  for (int64_t v : *idx) width = std::max(width, v + 1);
  std::vector<Dim> out;
  if (x->rank() == 2) out.push_back(x->dims[0]);
  out.push_back(Dim::Known(width));
  ctx.SetOutput(0, DType::kFloat, Shape::Of(std::move(out)));
}

}  // namespace

void RegisterMathOps(Registry& r) {
  auto per = [](int64_t k) { return [k](const OpContext& c) { return PerOut(c, k); }; };
  r.Add(
      {"", "CumSum", "math", "other = out_elems (one add per element)", SameShapeAsInput, per(1)});
  r.Add({"", "Det", "math", "other = batch * n^3 (LU decomposition)", DetShape, DetCost});
  r.Add({"", "DFT", "math", "other = 5 * out_elems * log2(n) (radix-2 FFT count)", DftShape,
         DftCost});
  r.Add({"", "STFT", "math", "other = 5 * out_elems * log2(2 * bins) (one FFT per frame)",
         StftShape, StftCost});
  for (const char* op : {"HannWindow", "HammingWindow", "BlackmanWindow"}) {
    r.Add({"", op, "math", "other = 3 * out_elems (cosine terms)", WindowShape, per(3)});
  }
  r.Add({"", "MelWeightMatrix", "math", "other = 4 * out_elems (triangular filters)", MelShape,
         per(4)});
  r.Add({"", "RandomNormal", "math", "other = out_elems", RandomShape, per(1)});
  r.Add({"", "RandomUniform", "math", "other = out_elems", RandomShape, per(1)});
  r.Add({"", "RandomNormalLike", "math", "other = out_elems", RandomLikeShape, per(1)});
  r.Add({"", "RandomUniformLike", "math", "other = out_elems", RandomLikeShape, per(1)});
  r.Add(
      {"", "Bernoulli", "math", "other = 2 * out_elems (draw, compare)", RandomLikeShape, per(2)});
  r.Add({"", "Multinomial", "math", "other = in_elems * sample_size", MultinomialShape,
         [](const OpContext& c) { return LossCost(c, c.node().attr_int("sample_size", 1)); }});
  r.Add({"", "TfIdfVectorizer", "math", "other = in_elems * max_gram_length (n-gram matching)",
         TfIdfShape,
         [](const OpContext& c) { return LossCost(c, c.node().attr_int("max_gram_length", 1)); }});
  r.Add({"", "NegativeLogLikelihoodLoss", "math", "other = in_elems (gather, weight, reduce)",
         NllShape, [](const OpContext& c) { return LossCost(c, 1); }});
  r.Add({"", "SoftmaxCrossEntropyLoss", "math", "other = 6 * in_elems (log-softmax + NLL)",
         SceShape, [](const OpContext& c) { return LossCost(c, 6); }});
}

}  // namespace tops
