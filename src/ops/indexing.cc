// Indexing and layout ops: gather/scatter families, one-hot, masks and block rearrangements.
// Shapes follow the ONNX operator spec of each op; none of them does arithmetic on the data
// except the scatter reductions (one op per update element), so most costs are zero and only
// their bytes count.
#include <algorithm>

#include "core/checked.h"
#include "ops/registry.h"

namespace tops {
namespace {

// GatherElements: output has the shape of indices (ONNX GatherElements-13).
void GatherElementsShape(OpContext& ctx) {
  const Shape* idx = ctx.input_shape(1);
  if (!idx) return;
  ctx.SetOutput(0, ctx.input_dtype(0), *idx);
}

// GatherND: indices.shape[:-1] + data.shape[batch_dims + indices.shape[-1]:] (ONNX GatherND-13).
void GatherNDShape(OpContext& ctx) {
  const Shape* data = ctx.input_shape(0);
  const Shape* idx = ctx.input_shape(1);
  if (!data || !idx || idx->rank() == 0) return;
  const Dim& last = idx->dims.back();
  const int64_t b = ctx.node().attr_int("batch_dims", 0);
  if (!last.known()) {
    ctx.Diag("GatherND: last dim of indices unknown");
    return;
  }
  const int64_t from = b + last.value;
  if (b < 0 || from > static_cast<int64_t>(data->rank())) {
    ctx.Diag("GatherND: indices reach past the data rank");
    return;
  }
  std::vector<Dim> out(idx->dims.begin(), idx->dims.end() - 1);
  out.insert(out.end(), data->dims.begin() + from, data->dims.end());
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

// Scatter*: output = data; a reduction (add, mul, max, min) costs one op per update element.
Cost ScatterCost(const OpContext& ctx) {
  if (ctx.node().attr_string("reduction", "none") == "none") return Cost::Zero();
  const size_t updates = 2;
  auto n = InputElems(ctx, updates);
  if (!n) return Cost::Unknown();
  return Cost{0, *n};
}

// OneHot: indices shape with `depth` inserted at `axis` (ONNX OneHot-11).
void OneHotShape(OpContext& ctx) {
  const Shape* idx = ctx.input_shape(0);
  if (!idx) return;
  const DType dt = ctx.input_dtype(2);
  const int64_t out_rank = static_cast<int64_t>(idx->rank()) + 1;
  auto axis = NormalizeAxis(ctx.node().attr_int("axis", -1), out_rank);
  if (!axis) {
    ctx.Diag("OneHot axis out of range");
    return;
  }
  Dim depth = Dim::Unknown();
  if (auto d = ctx.input_floats(1); d && d->size() == 1) {
    depth = Dim::Known(static_cast<int64_t>((*d)[0]));
  } else {
    depth = ctx.DataDependentDim("depth");
  }
  std::vector<Dim> out = idx->dims;
  out.insert(out.begin() + *axis, depth);
  ctx.SetOutput(0, dt, Shape::Of(std::move(out)));
}

// Compress: the selected length is the number of true conditions within range, known when the
// condition is a folded constant, else a named data-dependent dim.
void CompressShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  Dim count = ctx.DataDependentDim("n");
  const Attribute* axis_attr = ctx.node().attr("axis");
  std::optional<int64_t> limit;
  std::optional<int64_t> axis;
  if (axis_attr) {
    axis = NormalizeAxis(axis_attr->i, static_cast<int64_t>(x->rank()));
    if (!axis) {
      ctx.Diag("Compress axis out of range");
      return;
    }
    const Dim& d = x->dims[static_cast<size_t>(*axis)];
    if (d.known()) limit = d.value;
  } else {
    limit = x->elems();
  }
  if (auto cond = ctx.input_ints(1); cond && limit) {
    int64_t n = 0;
    for (size_t i = 0; i < cond->size() && static_cast<int64_t>(i) < *limit; ++i) {
      n += (*cond)[i] != 0;
    }
    count = Dim::Known(n);
  }
  std::vector<Dim> out = axis ? x->dims : std::vector<Dim>{count};
  if (axis) out[static_cast<size_t>(*axis)] = count;
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

void EyeLikeShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x) return;
  ctx.SetOutput(0, ctx.node().attr_dtype("dtype", x->dtype), x->shape);
}

// DepthToSpace: [N, C, H, W] -> [N, C/b^2, H*b, W*b]; SpaceToDepth the inverse (ONNX spec).
template <bool kToSpace>
void BlockShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  const int64_t b = ctx.node().attr_int("blocksize", 0);
  if (x->rank() != 4 || b <= 0) {
    ctx.Diag("expects a 4-D input and a positive blocksize");
    return;
  }
  const int64_t bb = CheckedMul(b, b, "blocksize");
  auto scale = [&](const Dim& d, bool up, int64_t f) {
    if (!d.known()) return Dim::Unknown();
    return Dim::Known(up ? CheckedMul(d.value, f, "size") : d.value / f);
  };
  std::vector<Dim> out{x->dims[0], scale(x->dims[1], !kToSpace, bb), scale(x->dims[2], kToSpace, b),
                       scale(x->dims[3], kToSpace, b)};
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

// CenterCropPad: the listed axes take the sizes of the `shape` input (ONNX CenterCropPad-18).
void CenterCropPadShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  auto target = ctx.input_ints(1);
  if (!x) return;
  const int64_t rank = static_cast<int64_t>(x->rank());
  std::vector<int64_t> axes = ctx.node().attr_ints("axes").value_or(std::vector<int64_t>{});
  if (!target) {
    std::vector<Dim> out = x->dims;
    for (int64_t a : axes) {
      if (auto ax = NormalizeAxis(a, rank)) out[static_cast<size_t>(*ax)] = Dim::Unknown();
    }
    ctx.SetOutput(0, ctx.input_dtype(0),
                  Shape::Of(axes.empty() ? std::vector<Dim>(x->rank()) : std::move(out)));
    return;
  }
  if (axes.empty()) {
    for (int64_t i = 0; i < rank; ++i) axes.push_back(i);
  }
  if (axes.size() != target->size()) {
    ctx.Diag("CenterCropPad: shape and axes differ in length");
    return;
  }
  std::vector<Dim> out = x->dims;
  for (size_t i = 0; i < axes.size(); ++i) {
    auto ax = NormalizeAxis(axes[i], rank);
    if (!ax) return;
    out[static_cast<size_t>(*ax)] = Dim::Known((*target)[i]);
  }
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

// Col2Im: [N, C*prod(block), L] -> [N, C, image_shape...] (ONNX Col2Im-18).
void Col2ImShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  auto image = ctx.input_ints(1);
  auto block = ctx.input_ints(2);
  if (!x || x->rank() != 3 || !image || !block) return;
  int64_t bp = 1;
  for (int64_t b : *block) bp = CheckedMul(bp, b, "block size");
  const Dim& c = x->dims[1];
  std::vector<Dim> out{x->dims[0], c.known() && bp > 0 ? Dim::Known(c.value / bp) : Dim::Unknown()};
  for (int64_t v : *image) out.push_back(Dim::Known(v));
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

Cost Col2ImCost(const OpContext& ctx) { return PerInputElement(ctx, 1); }

}  // namespace

void RegisterIndexingOps(Registry& r) {
  const char* kNone = "no arithmetic (data movement; bytes only)";
  r.Add({"", "GatherElements", "indexing", kNone, GatherElementsShape, ZeroCost});
  r.Add({"", "GatherND", "indexing", kNone, GatherNDShape, ZeroCost});
  const char* kScatter = "other = update_elems with a reduction attribute, else no arithmetic";
  r.Add({"", "Scatter", "indexing", kScatter, SameShapeAsInput, ScatterCost});
  r.Add({"", "ScatterElements", "indexing", kScatter, SameShapeAsInput, ScatterCost});
  r.Add({"", "ScatterND", "indexing", kScatter, SameShapeAsInput, ScatterCost});
  r.Add({"", "OneHot", "indexing", kNone, OneHotShape, ZeroCost});
  r.Add({"", "Compress", "indexing", kNone, CompressShape, ZeroCost});
  r.Add(
      {"", "Trilu", "indexing", "no arithmetic (masking; bytes only)", SameShapeAsInput, ZeroCost});
  r.Add({"", "ReverseSequence", "indexing", kNone, SameShapeAsInput, ZeroCost});
  r.Add({"", "EyeLike", "indexing", "no arithmetic (writes a constant pattern)", EyeLikeShape,
         ZeroCost});
  r.Add({"", "DepthToSpace", "indexing", kNone, BlockShape<true>, ZeroCost});
  r.Add({"", "SpaceToDepth", "indexing", kNone, BlockShape<false>, ZeroCost});
  r.Add({"", "CenterCropPad", "indexing", kNone, CenterCropPadShape, ZeroCost});
  r.Add({"", "Col2Im", "indexing", "other = in_elems (overlapping patches are summed)", Col2ImShape,
         Col2ImCost});
}

}  // namespace tops
