// TFLite custom operators tops can cost, the stateful builtins (hash tables, resource
// variables) and the StableHLO builtins whose output shapes the file states.
//
// TFLite_Detection_PostProcess (the SSD decoder of the TF Object Detection API; inputs box
// encodings [1, anchors, 4], class scores [1, anchors, classes + 1], anchors [anchors, 4];
// options num_classes, max_detections, max_classes_per_detection, use_regular_nms): per anchor
// 18 ops to decode its centre-size box (3 per centre coordinate, 4 per half extent, 1 per
// corner) and one compare per class score; then non-maximum suppression counted like ONNX's, 10
// ops per IoU of every anchor pair (an upper bound: every anchor a candidate), once for fast
// NMS and once per class with use_regular_nms.
#include "core/checked.h"
#include "ops/tflite_common.h"

namespace tops::tfl {
namespace {

void DetectionShape(OpContext& ctx) {
  const Node& n = ctx.node();
  const int64_t max_det = n.attr_int("max_detections", -1);
  const int64_t per = n.attr_int("max_classes_per_detection", 1);
  const bool regular = n.attr_int("use_regular_nms", 0) != 0;
  if (max_det < 0 || per < 1) {
    return ctx.Diag("TFLite_Detection_PostProcess without max_detections in its options");
  }
  const Dim k = Dim::Known(regular ? max_det : CheckedMul(max_det, per, "detections"));
  const Dim one = Dim::Known(1);
  ctx.SetOutput(0, DType::kFloat, Shape::Of({one, k, Dim::Known(4)}));
  ctx.SetOutput(1, DType::kFloat, Shape::Of({one, k}));
  ctx.SetOutput(2, DType::kFloat, Shape::Of({one, k}));
  ctx.SetOutput(3, DType::kFloat, Shape::Of({one}));
}

Cost DetectionCost(const OpContext& ctx) {
  const Shape* scores = ctx.input_shape(1);
  if (!scores || scores->rank() != 3 || !scores->fully_known()) return Cost::Unknown();
  const int64_t anchors = scores->dims[1].value;
  const int64_t classes = scores->dims[2].value;
  const bool regular = ctx.node().attr_int("use_regular_nms", 0) != 0;
  const int64_t decode = CheckedMul(anchors, 18 + classes, "op count");
  int64_t nms = CheckedMul(CheckedMul(anchors, anchors, "op count"), 10, "op count");
  if (regular) nms = CheckedMul(nms, std::max<int64_t>(1, classes - 1), "op count");
  return Cost{0, CheckedAdd(decode, nms, "op count")};
}

// Outputs whose shapes only the file knows (resource handles, variables, StableHLO ops with
// dimension numbers): the file's stored shapes stand; no arithmetic.
void StoredShape(OpContext&) {}

// LSH_PROJECTION (hash [num_hash, num_bits], input[, weight]): SPARSE (1) gives [num_hash],
// DENSE (2) [num_hash * num_bits] int32.
void LshShape(OpContext& ctx) {
  const Shape* h = ctx.input_shape(0);
  if (!h || h->rank() != 2) return;
  const Dim& num_hash = h->dims[0];
  const Dim& bits = h->dims[1];
  if (ctx.node().attr_int("type", 0) == 2) {
    ctx.SetOutput(0, DType::kInt32,
                  Shape::Of({num_hash.known() && bits.known()
                                 ? Dim::Known(CheckedMul(num_hash.value, bits.value, "size"))
                                 : Dim::Unknown()}));
  } else {
    ctx.SetOutput(0, DType::kInt32, Shape::Of({num_hash}));
  }
}

// One hash per (hash function, bit, input element).
Cost LshCost(const OpContext& ctx) {
  auto h = InputElems(ctx, 0);
  auto in = InputElems(ctx, 1);
  if (!h || !in) return Cost::Unknown();
  return Cost{0, CheckedMul(*h, *in, "op count")};
}

// STABLEHLO_DOT_GENERAL: MACs = out_elems * product of lhs's contracting dims.
Cost DotGeneralCost(const OpContext& ctx) {
  const Shape* a = ctx.input_shape(0);
  auto out = OutputElems(ctx);
  auto dims = ctx.node().attr_ints("lhs_contracting_dimensions");
  if (!a || !out || !dims) return Cost::Unknown();
  int64_t k = 1;
  for (int64_t d : *dims) {
    auto ax = NormalizeAxis(d, static_cast<int64_t>(a->rank()));
    if (!ax || !a->dims[static_cast<size_t>(*ax)].known()) return Cost::Unknown();
    k = CheckedMul(k, a->dims[static_cast<size_t>(*ax)].value, "MACs");
  }
  return Cost{CheckedMul(*out, k, "MACs"), 0};
}

// STABLEHLO_CONVOLUTION: MACs = out_elems * kernel elements / output features (each output
// reads the kernel's spatial extent times its input features per group).
Cost StablehloConvCost(const OpContext& ctx) {
  const Shape* w = ctx.input_shape(1);
  auto out = OutputElems(ctx);
  const int64_t of = ctx.node().attr_int("kernel_output_feature_dimension", -1);
  if (!w || !w->fully_known() || !out || of < 0 || static_cast<size_t>(of) >= w->rank()) {
    return Cost::Unknown();
  }
  int64_t per = 1;
  for (size_t i = 0; i < w->rank(); ++i) {
    if (static_cast<int64_t>(i) != of) per = CheckedMul(per, w->dims[i].value, "MACs");
  }
  return Cost{CheckedMul(*out, per, "MACs"), 0};
}

void PermuteShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  auto perm = ctx.node().attr_ints("permutation");
  if (!x || !perm || perm->size() != x->rank()) return;
  std::vector<Dim> out;
  for (int64_t p : *perm) {
    auto a = NormalizeAxis(p, static_cast<int64_t>(x->rank()));
    if (!a) return ctx.Diag("permutation entry out of range");
    out.push_back(x->dims[static_cast<size_t>(*a)]);
  }
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

CostFn PerOut(int64_t k) {
  return [k](const OpContext& c) { return PerOutputElement(c, k); };
}

}  // namespace

void RegisterCustomFamily(Registry& r) {
  r.Add({kCustomDomain, "TFLite_Detection_PostProcess", "tflite_custom",
         "other = anchors * (18 + classes) + 10 * anchors^2 (x classes with use_regular_nms)",
         DetectionShape, DetectionCost});
  const char* kFamily = "tflite_custom";
  const char* kNone = "no arithmetic (state access; bytes only)";
  for (const char* op : {"HASHTABLE", "HASHTABLE_FIND", "HASHTABLE_IMPORT", "HASHTABLE_SIZE",
                         "VAR_HANDLE", "READ_VARIABLE", "ASSIGN_VARIABLE"}) {
    Add(r, op, kFamily, kNone, StoredShape, ZeroCost);
  }
  Add(r, "LSH_PROJECTION", kFamily, "other = hash elems * input elems (one hash each)", LshShape,
      LshCost);

  // StableHLO ops that the TFLite runtime executes, with their ONNX twins' counts.
  const struct {
    const char* op;
    int64_t per;
  } unary[] = {{"STABLEHLO_ABS", 1},   {"STABLEHLO_COSINE", 1}, {"STABLEHLO_EXPONENTIAL", 1},
               {"STABLEHLO_FLOOR", 1}, {"STABLEHLO_LOG", 1},    {"STABLEHLO_NEGATE", 1},
               {"STABLEHLO_RSQRT", 2}, {"STABLEHLO_TANH", 1},   {"STABLEHLO_LOGISTIC", 4},
               {"STABLEHLO_CBRT", 1}};
  for (const auto& u : unary) {
    Add(r, u.op, kFamily,
        u.per == 1 ? "other = out_elems" : "other = " + std::to_string(u.per) + " * out_elems",
        SameShapeAsInput, PerOut(u.per));
  }
  for (const char* op :
       {"STABLEHLO_ADD", "STABLEHLO_SUBTRACT", "STABLEHLO_MULTIPLY", "STABLEHLO_DIVIDE",
        "STABLEHLO_MAXIMUM", "STABLEHLO_MINIMUM", "STABLEHLO_POWER", "STABLEHLO_REMAINDER",
        "STABLEHLO_AND", "STABLEHLO_OR", "STABLEHLO_SHIFT_LEFT", "STABLEHLO_COMPARE",
        "STABLEHLO_SELECT", "STABLEHLO_CLAMP"}) {
    Add(r, op, kFamily, "other = out_elems (shape as stored)", StoredShape, PerOut(1));
  }
  Add(r, "STABLEHLO_CONVERT", kFamily, "no arithmetic (type conversion; shape as stored)",
      StoredShape, ZeroCost);
  Add(r, "STABLEHLO_TRANSPOSE", kFamily, "no arithmetic (data movement; bytes only)", PermuteShape,
      ZeroCost);
  for (const char* op :
       {"STABLEHLO_RESHAPE", "STABLEHLO_BROADCAST_IN_DIM", "STABLEHLO_CONCATENATE",
        "STABLEHLO_SLICE", "STABLEHLO_PAD", "STABLEHLO_IOTA", "STABLEHLO_DYNAMIC_SLICE",
        "STABLEHLO_DYNAMIC_UPDATE_SLICE", "STABLEHLO_GATHER"}) {
    Add(r, op, kFamily, "no arithmetic (data movement; shape as stored)", StoredShape, ZeroCost);
  }
  Add(r, "STABLEHLO_DOT_GENERAL", kFamily,
      "MACs = out_elems * prod(lhs contracting dims) (shape as stored)", StoredShape,
      DotGeneralCost);
  Add(r, "STABLEHLO_CONVOLUTION", kFamily,
      "MACs = out_elems * kernel elems / output features (shape as stored)", StoredShape,
      StablehloConvCost);
}

}  // namespace tops::tfl
