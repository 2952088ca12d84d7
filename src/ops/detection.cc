// Ops whose output size depends on the data (NonZero, NonMaxSuppression, TopK with a run-time
// k, Unique) and the region-of-interest ops of detectors. A data-dependent size becomes a named
// symbolic dim ("<node>:n", see OpContext::DataDependentDim) that `--dim` can bind, so costs
// downstream stay symbolic instead of silently dropping to zero. Costs: one op per input
// element for scans (NonZero, TopK, Unique), IoU of every box pair per class for NMS, and
// bilinear sampling (4 multiply-adds per sample) for RoiAlign.
#include <algorithm>
#include <set>

#include "core/checked.h"
#include "ops/registry.h"

namespace tops {
namespace {

// NonZero: [rank, n] (its evaluator counts n when the input is known).
void NonZeroShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  ctx.SetOutput(0, DType::kInt64,
                Shape::Of({Dim::Known(static_cast<int64_t>(std::max<size_t>(x->rank(), 1))),
                           ctx.DataDependentDim("n")}));
}

// NonMaxSuppression: [selected, 3] (batch index, class index, box index).
void NmsShape(OpContext& ctx) {
  ctx.SetOutput(0, DType::kInt64, Shape::Of({ctx.DataDependentDim("n"), Dim::Known(3)}));
}

Cost NmsCost(const OpContext& ctx) {
  const Shape* scores = ctx.input_shape(1);  // [batch, classes, boxes]
  if (!scores || scores->rank() != 3) return Cost::Unknown();
  auto n = scores->elems();
  const Dim& boxes = scores->dims[2];
  if (!n || !boxes.known()) return Cost::Unknown();
  // Sorting is ignored; each pair of boxes of a class is compared by IoU (about 10 ops).
  return Cost{0, CheckedMul(CheckedMul(*n, boxes.value, "ops"), 10, "ops")};
}

// TopK: the axis takes size k (input since opset 10, attribute before).
void TopKShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  auto axis = NormalizeAxis(ctx.node().attr_int("axis", -1), static_cast<int64_t>(x->rank()));
  if (!axis) {
    ctx.Diag("TopK axis out of range");
    return;
  }
  Dim k = ctx.DataDependentDim("k");
  if (ctx.opset() < 10) {
    k = Dim::Known(ctx.node().attr_int("k", 0));
  } else if (const auto* v = ctx.input_symints(1); v && v->size() == 1) {
    const Dim d = (*v)[0].ToDim();
    if (d.known() || d.symbolic()) k = d;
  }
  std::vector<Dim> out = x->dims;
  out[static_cast<size_t>(*axis)] = k;
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(out));
  ctx.SetOutput(1, DType::kInt64, Shape::Of(std::move(out)));
}

// Unique: Y [n] (flattened) or the input with the axis replaced by n; indices and counts [n];
// inverse_indices one per element (or per slice along axis).
// Distinct values (or distinct slices along `axis`) of a folded constant.
std::optional<int64_t> CountDistinct(const OpContext& ctx, const Shape& x,
                                     std::optional<int64_t> axis) {
  auto v = ctx.input_floats(0);
  auto total = x.elems();
  if (!v || !total || static_cast<int64_t>(v->size()) != *total) return std::nullopt;
  if (!axis) return static_cast<int64_t>(std::set<double>(v->begin(), v->end()).size());
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < static_cast<int64_t>(x.rank()); ++i) {
    if (i < *axis) outer *= x.dims[static_cast<size_t>(i)].value;
    if (i > *axis) inner *= x.dims[static_cast<size_t>(i)].value;
  }
  const int64_t len = x.dims[static_cast<size_t>(*axis)].value;
  std::set<std::vector<double>> slices;
  for (int64_t k = 0; k < len; ++k) {
    std::vector<double> slice;
    for (int64_t o = 0; o < outer; ++o) {
      const auto* base = v->data() + (o * len + k) * inner;
      slice.insert(slice.end(), base, base + inner);
    }
    slices.insert(std::move(slice));
  }
  return static_cast<int64_t>(slices.size());
}

void UniqueShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  Dim n = ctx.DataDependentDim("n");
  const Attribute* axis_attr = ctx.node().attr("axis");
  std::optional<int64_t> folded_axis;
  if (axis_attr) folded_axis = NormalizeAxis(axis_attr->i, static_cast<int64_t>(x->rank()));
  if (!axis_attr || folded_axis) {
    if (auto c = CountDistinct(ctx, *x, folded_axis)) n = Dim::Known(*c);
  }
  Dim inverse = Dim::Unknown();
  if (axis_attr) {
    auto axis = NormalizeAxis(axis_attr->i, static_cast<int64_t>(x->rank()));
    if (!axis) {
      ctx.Diag("Unique axis out of range");
      return;
    }
    std::vector<Dim> y = x->dims;
    inverse = y[static_cast<size_t>(*axis)];
    y[static_cast<size_t>(*axis)] = n;
    ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(y)));
  } else {
    ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of({n}));
    if (auto e = x->elems()) inverse = Dim::Known(*e);
  }
  ctx.SetOutput(1, DType::kInt64, Shape::Of({n}));
  ctx.SetOutput(2, DType::kInt64, Shape::Of({inverse}));
  ctx.SetOutput(3, DType::kInt64, Shape::Of({n}));
}

// RoiAlign: [num_rois, C, output_height, output_width].
void RoiAlignShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  const Shape* rois = ctx.input_shape(1);
  if (!x || !rois || x->rank() != 4 || rois->rank() != 2) return;
  ctx.SetOutput(
      0, ctx.input_dtype(0),
      Shape::Of({rois->dims[0], x->dims[1], Dim::Known(ctx.node().attr_int("output_height", 1)),
                 Dim::Known(ctx.node().attr_int("output_width", 1))}));
}

Cost RoiAlignCost(const OpContext& ctx) {
  const int64_t s = std::max<int64_t>(1, ctx.node().attr_int("sampling_ratio", 0));
  return PerOutputElement(ctx, CheckedMul(CheckedMul(s, s, "ops"), 4, "ops"));
}

// MaxRoiPool: [num_rois, C, pooled_shape...].
void MaxRoiPoolShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  const Shape* rois = ctx.input_shape(1);
  auto pooled = ctx.node().attr_ints("pooled_shape");
  if (!x || !rois || x->rank() < 2 || rois->rank() != 2 || !pooled) return;
  std::vector<Dim> out{rois->dims[0], x->dims[1]};
  for (int64_t p : *pooled) out.push_back(Dim::Known(p));
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

}  // namespace

void RegisterDetectionOps(Registry& r) {
  auto per_in = [](const OpContext& c) { return PerInputElement(c, 1); };
  r.Add({"", "NonZero", "detection", "other = in_elems (scan); output [rank, <node>:n]",
         NonZeroShape, per_in});
  r.Add({"", "NonMaxSuppression", "detection",
         "other = 10 * batch * classes * boxes^2 (pairwise IoU); output [<node>:n, 3]", NmsShape,
         NmsCost});
  r.Add({"", "TopK", "detection", "other = in_elems (selection scan); run-time k is <node>:k",
         TopKShape, per_in},
        ParamInputs({1}));
  r.Add({"", "Unique", "detection", "other = in_elems (scan); output size <node>:n", UniqueShape,
         per_in});
  r.Add({"", "RoiAlign", "detection", "other = out_elems * sampling_ratio^2 * 4 (bilinear samples)",
         RoiAlignShape, RoiAlignCost});
  r.Add({"", "MaxRoiPool", "detection", "other = out_elems (compares per pooled cell)",
         MaxRoiPoolShape, [](const OpContext& c) { return PerOutputElement(c, 1); }});
}

}  // namespace tops
