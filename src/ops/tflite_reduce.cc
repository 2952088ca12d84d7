// TFLite reductions, normalisations, resizing and data-dependent selections. Costs are the ONNX
// twins' (reduction.cc, normalization.cc, resize.cc, detection.cc): reductions one op per input
// element (+ one per output for MEAN's divide), SOFTMAX / LOG_SOFTMAX 5 per element,
// L2_NORMALIZATION 3 (as LpNormalization), LOCAL_RESPONSE_NORMALIZATION (2 * radius + 4) (as
// LRN with size = 2 * radius + 1), resize 1 (nearest) or 8 (bilinear on two axes) per output.
// A size known only at run time (TOPK_V2's k, WHERE's count, NMS selections) is a named
// symbolic dim "<node>:<what>" that --dim binds.
#include <algorithm>

#include "core/checked.h"
#include "ops/tflite_common.h"

namespace tops::tfl {
namespace {

// MEAN, SUM, REDUCE_* (input, axes) with keep_dims.
void ReduceShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x || !x->shape.rank_known) return;
  auto axes = ctx.input_ints(1);
  const bool keep = ctx.node().attr_int("keep_dims", 0) != 0;
  const int64_t rank = static_cast<int64_t>(x->shape.rank());
  if (!axes) {
    if (keep) ctx.SetOutput(0, x->dtype, Shape::Of(std::vector<Dim>(static_cast<size_t>(rank))));
    return;
  }
  std::vector<bool> reduce(static_cast<size_t>(rank), false);
  for (int64_t a : *axes) {
    auto ax = NormalizeAxis(a, rank);
    if (!ax) return ctx.Diag("reduction axis " + std::to_string(a) + " out of range");
    reduce[static_cast<size_t>(*ax)] = true;
  }
  std::vector<Dim> out;
  for (int64_t i = 0; i < rank; ++i) {
    if (!reduce[static_cast<size_t>(i)]) {
      out.push_back(x->shape.dims[static_cast<size_t>(i)]);
    } else if (keep) {
      out.push_back(Dim::Known(1));
    }
  }
  const bool boolean = ctx.node().op_type == "REDUCE_ANY" || ctx.node().op_type == "REDUCE_ALL";
  ctx.SetOutput(0, boolean ? DType::kBool : x->dtype, Shape::Of(std::move(out)));
}

Cost ReduceCost(const OpContext& ctx, int64_t per_out) {
  auto in = InputElems(ctx, 0);
  auto out = OutputElems(ctx);
  if (!in || !out) return Cost::Unknown();
  return Cost{0, CheckedAdd(*in, CheckedMul(*out, per_out, "op count"), "op count")};
}

// ARG_MAX / ARG_MIN (input, axis): the axis removed; output_type int32 or int64.
void ArgShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  auto axis = ctx.input_ints(1);
  if (!x || !axis || axis->size() != 1) return;
  auto ax = NormalizeAxis((*axis)[0], static_cast<int64_t>(x->rank()));
  if (!ax) return ctx.Diag("axis out of range");
  std::vector<Dim> out = x->dims;
  out.erase(out.begin() + *ax);
  DType t = ctx.node().attr_dtype("output_type", DType::kUndefined);
  if (t != DType::kInt32 && t != DType::kInt16 && t != DType::kUint8) t = DType::kInt64;
  ctx.SetOutput(0, t, Shape::Of(std::move(out)));
}

// RESIZE_BILINEAR / RESIZE_NEAREST_NEIGHBOR (input NHWC, size [new_h, new_w]).
void ResizeShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x || x->rank() != 4) return;
  const auto* size = ctx.input_symints(1);
  Dim h = Dim::Unknown(), w = Dim::Unknown();
  if (size && size->size() == 2) {
    h = (*size)[0].ToDim();
    w = (*size)[1].ToDim();
  }
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of({x->dims[0], h, w, x->dims[3]}));
}

// As ONNX Resize: nearest 1 op per output; linear 2 * 2^r with r the resized axes.
Cost ResizeCost(const OpContext& ctx, bool linear) {
  const Shape* x = ctx.input_shape(0);
  auto out = OutputElems(ctx);
  if (!x || !out) return Cost::Unknown();
  if (!linear) return Cost{0, *out};
  const Shape& o = ctx.output(0).shape;
  int64_t taps = 1;
  for (size_t i = 0; i < x->rank() && i < o.rank(); ++i) taps *= (x->dims[i] == o.dims[i]) ? 1 : 2;
  return Cost{0, CheckedMul(*out, 2 * taps, "op count")};
}

// TOPK_V2 (input, k): values and int32 indices with the last axis of size k.
void TopKShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x || x->rank() == 0) return;
  Dim k = ctx.DataDependentDim("k");
  if (const auto* v = ctx.input_symints(1); v && v->size() == 1) {
    const Dim d = (*v)[0].ToDim();
    if (d.known() || d.symbolic()) k = d;
  }
  std::vector<Dim> out = x->dims;
  out.back() = k;
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(out));
  ctx.SetOutput(1, DType::kInt32, Shape::Of(std::move(out)));
}

// WHERE with one input: the coordinates of the true elements, [count, rank] int64.
void WhereShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  if (ctx.num_inputs() >= 3) {  // the select form
    const Shape* a = ctx.input_shape(1);
    const Shape* b = ctx.input_shape(2);
    if (!a || !b) return;
    auto ab = BroadcastShapes(*a, *b);
    auto s = ab ? BroadcastShapes(*x, *ab) : std::nullopt;
    if (s) ctx.SetOutput(0, ctx.input_dtype(1), *s);
    return;
  }
  ctx.SetOutput(
      0, DType::kInt64,
      Shape::Of({ctx.DataDependentDim("n"), Dim::Known(static_cast<int64_t>(x->rank()))}));
}

void UniqueShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of({ctx.DataDependentDim("n")}));
  DType idx = ctx.node().attr_dtype("idx_out_type", DType::kUndefined);
  if (idx != DType::kInt64) idx = DType::kInt32;
  ctx.SetOutput(1, idx, *x);
}

// SEGMENT_SUM / UNSORTED_SEGMENT_* (data, segment_ids[, num_segments]): the first axis becomes
// the number of segments (a run-time size unless num_segments is a constant).
void SegmentShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  const Shape* ids = ctx.input_shape(1);
  if (!x || !ids || x->rank() < ids->rank()) return;
  Dim n = ctx.DataDependentDim("segments");
  if (auto v = ctx.input_ints(2); v && v->size() == 1) n = Dim::Known((*v)[0]);
  std::vector<Dim> out{n};
  out.insert(out.end(), x->dims.begin() + static_cast<int64_t>(ids->rank()), x->dims.end());
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

// NON_MAX_SUPPRESSION_V4 / V5 (boxes [n, 4], scores [n], max_output_size, iou_threshold,
// score_threshold[, soft_nms_sigma]): outputs padded to max_output_size, then the count.
void NmsShape(OpContext& ctx) {
  Dim m = ctx.DataDependentDim("max_output_size");
  if (auto v = ctx.input_ints(2); v && v->size() == 1 && (*v)[0] >= 0) m = Dim::Known((*v)[0]);
  const bool v5 = ctx.node().op_type == "NON_MAX_SUPPRESSION_V5";
  ctx.SetOutput(0, DType::kInt32, Shape::Of({m}));
  if (v5) ctx.SetOutput(1, DType::kFloat, Shape::Of({m}));
  ctx.SetOutput(v5 ? 2 : 1, DType::kInt32, Shape::Of({}));
}

// As ONNX NonMaxSuppression: every pair of boxes compared by IoU (about 10 ops).
Cost NmsCost(const OpContext& ctx) {
  const Shape* boxes = ctx.input_shape(0);
  if (!boxes || boxes->rank() != 2 || !boxes->dims[0].known()) return Cost::Unknown();
  const int64_t n = boxes->dims[0].value;
  return Cost{0, CheckedMul(CheckedMul(n, n, "op count"), 10, "op count")};
}

// RFFT2D (input [..., h, w], fft_length [fh, fw]): complex64 [..., fh, fw / 2 + 1].
void Rfft2dShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  auto len = ctx.input_ints(1);
  if (!x || x->rank() < 2) return;
  std::vector<Dim> out(x->dims.begin(), x->dims.end() - 2);
  if (len && len->size() == 2) {
    out.push_back(Dim::Known((*len)[0]));
    out.push_back(Dim::Known((*len)[1] / 2 + 1));
  } else {
    out.push_back(Dim::Unknown());
    out.push_back(Dim::Unknown());
  }
  ctx.SetOutput(0, DType::kComplex64, Shape::Of(std::move(out)));
}

// As ONNX DFT: 5 * out_elems * log2(n), n = fh * fw.
Cost Rfft2dCost(const OpContext& ctx) {
  auto out = OutputElems(ctx);
  auto len = ctx.input_ints(1);
  if (!out || !len || len->size() != 2) return Cost::Unknown();
  const int64_t n = CheckedMul((*len)[0], (*len)[1], "FFT size");
  int64_t log2 = 0;
  while ((int64_t{1} << log2) < n && log2 < 62) ++log2;
  return Cost{0,
              CheckedMul(CheckedMul(*out, 5, "op count"), std::max<int64_t>(1, log2), "op count")};
}

void BucketizeShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (x) ctx.SetOutput(0, DType::kInt32, *x);
}

Cost BucketizeCost(const OpContext& ctx) {
  auto in = InputElems(ctx, 0);
  if (!in) return Cost::Unknown();
  const size_t n = ctx.node().attr("boundaries") ? ctx.node().attr("boundaries")->floats.size() : 0;
  int64_t steps = 1;  // binary search over the boundaries
  while ((size_t{1} << steps) < n + 1 && steps < 62) ++steps;
  return Cost{0, CheckedMul(*in, steps, "op count")};
}

// MULTINOMIAL (logits [batch, classes], num_samples): int64 [batch, num_samples].
void MultinomialShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  auto n = ctx.input_ints(1);
  if (!x || x->rank() != 2) return;
  ctx.SetOutput(
      0, DType::kInt64,
      Shape::Of({x->dims[0], n && n->size() == 1 ? Dim::Known((*n)[0]) : Dim::Unknown()}));
}

Cost MultinomialCost(const OpContext& ctx) {
  auto in = InputElems(ctx, 0);
  auto n = ctx.input_ints(1);
  if (!in || !n || n->size() != 1) return Cost::Unknown();
  return Cost{0, CheckedMul(*in, (*n)[0], "op count")};
}

CostFn PerIn(int64_t k) {
  return [k](const OpContext& c) { return PerInputElement(c, k); };
}
CostFn PerOut(int64_t k) {
  return [k](const OpContext& c) { return PerOutputElement(c, k); };
}

}  // namespace

void RegisterReduceFamily(Registry& r) {
  const char* kFamily = "tflite_reduce";
  Add(
      r, "MEAN", kFamily, "other = in_elems + out_elems (as ReduceMean)", ReduceShape,
      [](const OpContext& c) { return ReduceCost(c, 1); }, ParamTraits(1));
  for (const char* op :
       {"SUM", "REDUCE_PROD", "REDUCE_MAX", "REDUCE_MIN", "REDUCE_ANY", "REDUCE_ALL"}) {
    Add(
        r, op, kFamily, "other = in_elems", ReduceShape,
        [](const OpContext& c) { return ReduceCost(c, 0); }, ParamTraits(1));
  }
  Add(r, "ARG_MAX", kFamily, "other = in_elems", ArgShape, PerIn(1));
  Add(r, "ARG_MIN", kFamily, "other = in_elems", ArgShape, PerIn(1));
  Add(r, "CUMSUM", kFamily, "other = in_elems (one add per element)", SameShapeAsInput, PerIn(1));
  Add(r, "SOFTMAX", kFamily, "other = 5 * out_elems (max, sub, exp, sum, div; as Softmax)",
      SameShapeAsInput, PerOut(5));
  Add(r, "LOG_SOFTMAX", kFamily, "other = 5 * out_elems (as LogSoftmax)", SameShapeAsInput,
      PerOut(5));
  Add(r, "L2_NORMALIZATION", kFamily, "other = 3 * out_elems (as LpNormalization)",
      SameShapeAsInput, PerOut(3));
  Add(r, "LOCAL_RESPONSE_NORMALIZATION", kFamily,
      "other = (2 * radius + 4) * out_elems (as LRN, size = 2 * radius + 1)", SameShapeAsInput,
      [](const OpContext& c) {
        return PerOutputElement(c, 2 * std::max<int64_t>(0, c.node().attr_int("radius", 0)) + 4);
      });
  Add(
      r, "RESIZE_BILINEAR", kFamily, "other = out_elems * 2 * 2^r (r resized axes; as Resize)",
      ResizeShape, [](const OpContext& c) { return ResizeCost(c, true); }, ParamTraits(1));
  Add(
      r, "RESIZE_NEAREST_NEIGHBOR", kFamily, "other = out_elems (as Resize nearest)", ResizeShape,
      [](const OpContext& c) { return ResizeCost(c, false); }, ParamTraits(1));
  Add(r, "TOPK_V2", kFamily, "other = in_elems (selection scan); run-time k is <node>:k", TopKShape,
      PerIn(1));
  Add(r, "WHERE", kFamily, "other = in_elems (scan); output [<node>:n, rank]", WhereShape,
      PerIn(1));
  Add(r, "UNIQUE", kFamily, "other = in_elems (scan); output size <node>:n", UniqueShape, PerIn(1));
  for (const char* op : {"SEGMENT_SUM", "UNSORTED_SEGMENT_SUM", "UNSORTED_SEGMENT_PROD",
                         "UNSORTED_SEGMENT_MAX", "UNSORTED_SEGMENT_MIN"}) {
    Add(r, op, kFamily, "other = in_elems; segments <node>:segments unless given", SegmentShape,
        PerIn(1));
  }
  Add(r, "NON_MAX_SUPPRESSION_V4", kFamily, "other = 10 * boxes^2 (IoU of every pair; as NMS)",
      NmsShape, NmsCost);
  Add(r, "NON_MAX_SUPPRESSION_V5", kFamily, "other = 10 * boxes^2 (IoU of every pair; as NMS)",
      NmsShape, NmsCost);
  Add(r, "RFFT2D", kFamily, "other = 5 * out_elems * log2(fft_h * fft_w) (as DFT)", Rfft2dShape,
      Rfft2dCost);
  Add(r, "BUCKETIZE", kFamily, "other = in_elems * log2(boundaries + 1) (binary search)",
      BucketizeShape, BucketizeCost);
  Add(r, "MULTINOMIAL", kFamily, "other = in_elems * num_samples (as Multinomial)",
      MultinomialShape, MultinomialCost);
}

}  // namespace tops::tfl
