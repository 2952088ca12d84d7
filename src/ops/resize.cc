// Resampling ops: Resize (ONNX Resize-10/11/13/18/19), Upsample (7, 9), GridSample (16, 20),
// AffineGrid (20) and MaxUnpool (9, 11). Output sizes: `sizes` when given, else
// floor(in * scale) (times the roi extent for tf_crop_and_resize), with the opset-18
// keep_aspect_ratio_policy. Cost per output element: nearest 1, linear 2^r * 2 and cubic
// 4^r * 2 multiply-adds over the r resized axes (interpolation weights times neighbours).
#include <algorithm>
#include <cmath>

#include "core/checked.h"
#include "ops/registry.h"

namespace tops {
namespace {

// Applies per-axis scales (rank entries, or entries for `axes`) to x.
void ScaledShape(OpContext& ctx, const Shape& x, const std::vector<double>& scales,
                 const std::vector<int64_t>& axes, const std::vector<double>* roi) {
  std::vector<Dim> out = x.dims;
  const bool crop =
      ctx.node().attr_string("coordinate_transformation_mode", "") == "tf_crop_and_resize";
  for (size_t i = 0; i < axes.size() && i < scales.size(); ++i) {
    const size_t a = static_cast<size_t>(axes[i]);
    const Dim& d = x.dims[a];
    if (!d.known()) {
      if (scales[i] != 1.0) out[a] = Dim::Unknown();
      continue;
    }
    double extent = 1.0;
    if (crop && roi && roi->size() == 2 * axes.size()) {
      extent = (*roi)[i + axes.size()] - (*roi)[i];
    }
    out[a] = Dim::Known(
        static_cast<int64_t>(std::floor(static_cast<double>(d.value) * extent * scales[i] + 1e-9)));
  }
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

std::vector<int64_t> ResizeAxes(const OpContext& ctx, size_t rank) {
  std::vector<int64_t> axes;
  if (auto a = ctx.node().attr_ints("axes")) {
    for (int64_t v : *a) {
      if (auto n = NormalizeAxis(v, static_cast<int64_t>(rank))) axes.push_back(*n);
    }
    return axes;
  }
  for (size_t i = 0; i < rank; ++i) axes.push_back(static_cast<int64_t>(i));
  return axes;
}

void ResizeShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  const std::vector<int64_t> axes = ResizeAxes(ctx, x->rank());
  if (ctx.opset() < 11) {  // Resize-10: X, scales
    if (auto s = ctx.input_floats(1)) return ScaledShape(ctx, *x, *s, axes, nullptr);
    ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::vector<Dim>(x->rank())));
    return;
  }
  auto roi = ctx.input_floats(1);
  auto sizes = ctx.input_ints(3);
  if (sizes && !sizes->empty()) {
    if (sizes->size() != axes.size()) {
      ctx.Diag("Resize sizes has " + std::to_string(sizes->size()) + " entries for " +
               std::to_string(axes.size()) + " axes");
      return;
    }
    std::vector<Dim> out = x->dims;
    const std::string policy = ctx.node().attr_string("keep_aspect_ratio_policy", "stretch");
    if (policy == "stretch") {
      for (size_t i = 0; i < axes.size(); ++i) {
        out[static_cast<size_t>(axes[i])] = Dim::Known((*sizes)[i]);
      }
    } else {
      // One scale for all axes: the smallest (not_larger) or largest (not_smaller) ratio.
      std::optional<double> scale;
      for (size_t i = 0; i < axes.size(); ++i) {
        const Dim& d = x->dims[static_cast<size_t>(axes[i])];
        if (!d.known() || d.value == 0) return;
        const double s = static_cast<double>((*sizes)[i]) / static_cast<double>(d.value);
        scale = !scale ? s : (policy == "not_larger" ? std::min(*scale, s) : std::max(*scale, s));
      }
      for (size_t i = 0; i < axes.size() && scale; ++i) {
        const Dim& d = x->dims[static_cast<size_t>(axes[i])];
        out[static_cast<size_t>(axes[i])] =
            Dim::Known(static_cast<int64_t>(std::round(static_cast<double>(d.value) * *scale)));
      }
    }
    ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
    return;
  }
  if (auto s = ctx.input_floats(2); s && !s->empty()) {
    if (s->size() != axes.size()) {
      ctx.Diag("Resize scales and axes differ in length");
      return;
    }
    return ScaledShape(ctx, *x, *s, axes, roi ? &*roi : nullptr);
  }
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::vector<Dim>(x->rank())));
}

void UpsampleShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  std::optional<std::vector<double>> scales;
  if (ctx.opset() < 9) {
    if (const Attribute* a = ctx.node().attr("scales")) scales = a->floats;
  } else {
    scales = ctx.input_floats(1);
  }
  if (!scales || scales->size() != x->rank()) {
    ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::vector<Dim>(x->rank())));
    return;
  }
  ScaledShape(ctx, *x, *scales, ResizeAxes(ctx, x->rank()), nullptr);
}

Cost ResizeCost(const OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  auto out = OutputElems(ctx);
  if (!x || !out) return Cost::Unknown();
  const std::string mode = ctx.node().attr_string("mode", "nearest");
  if (mode == "nearest") return Cost{0, *out};
  // Axes that change size are interpolated.
  int64_t resized = 0;
  const Shape& o = ctx.output(0).shape;
  for (size_t i = 0; i < x->rank() && i < o.rank(); ++i) resized += !(x->dims[i] == o.dims[i]);
  const int64_t base = mode == "cubic" ? 4 : 2;
  int64_t taps = 1;
  for (int64_t i = 0; i < resized; ++i) taps = CheckedMul(taps, base, "ops");
  return Cost{0, CheckedMul(*out, 2 * taps, "ops")};
}

// GridSample: [N, C, grid spatial dims...] (grid is [N, out spatial..., r]).
void GridSampleShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  const Shape* grid = ctx.input_shape(1);
  if (!x || !grid || x->rank() < 3 || grid->rank() != x->rank()) return;
  std::vector<Dim> out{x->dims[0], x->dims[1]};
  out.insert(out.end(), grid->dims.begin() + 1, grid->dims.end() - 1);
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

Cost GridSampleCost(const OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return Cost::Unknown();
  const std::string mode = ctx.node().attr_string("mode", "linear");
  if (mode == "nearest") return PerOutputElement(ctx, 1);
  int64_t taps = 1;
  for (size_t i = 2; i < x->rank(); ++i) taps *= mode == "cubic" ? 4 : 2;
  return PerOutputElement(ctx, 2 * taps);
}

// AffineGrid: theta [N, 2, 3] with size [N, C, H, W] -> [N, H, W, 2]; 3-D: [N, D, H, W, 3].
void AffineGridShape(OpContext& ctx) {
  auto size = ctx.input_ints(1);
  if (!size || (size->size() != 4 && size->size() != 5)) return;
  std::vector<Dim> out{Dim::Known((*size)[0])};
  for (size_t i = 2; i < size->size(); ++i) out.push_back(Dim::Known((*size)[i]));
  out.push_back(Dim::Known(static_cast<int64_t>(size->size()) - 2));
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

// MaxUnpool: output_shape input when given, else (in - 1) * stride + kernel - pads.
void MaxUnpoolShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x || x->rank() < 3) return;
  if (auto os = ctx.input_ints(2)) {
    ctx.SetOutput(0, ctx.input_dtype(0), Shape::Known(*os));
    return;
  }
  auto kernel = ctx.node().attr_ints("kernel_shape");
  if (!kernel || kernel->size() + 2 != x->rank()) return;
  const size_t n = kernel->size();
  auto strides = ctx.node().attr_ints("strides").value_or(std::vector<int64_t>(n, 1));
  auto pads = ctx.node().attr_ints("pads").value_or(std::vector<int64_t>(2 * n, 0));
  strides.resize(n, 1);
  pads.resize(2 * n, 0);
  std::vector<Dim> out{x->dims[0], x->dims[1]};
  for (size_t i = 0; i < n; ++i) {
    const Dim& d = x->dims[i + 2];
    out.push_back(
        d.known() ? Dim::Known((d.value - 1) * strides[i] + (*kernel)[i] - pads[i] - pads[i + n])
                  : Dim::Unknown());
  }
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

}  // namespace

void RegisterResizeOps(Registry& r) {
  const char* kResize = "other = out_elems * (1 nearest; 2 * 2^r linear; 2 * 4^r cubic)";
  r.Add({"", "Resize", "resize", kResize, ResizeShape, ResizeCost}, ParamInputs({1, 2, 3}));
  r.Add({"", "Upsample", "resize", kResize, UpsampleShape, ResizeCost}, ParamInputs({1}));
  r.Add({"", "GridSample", "resize", kResize, GridSampleShape, GridSampleCost});
  r.Add({"", "AffineGrid", "resize", "other = 2 * out_elems (theta times base grid)",
         AffineGridShape, [](const OpContext& c) { return PerOutputElement(c, 2); }});
  r.Add({"", "MaxUnpool", "resize", "no arithmetic (scatter into zeros; bytes only)",
         MaxUnpoolShape, [](const OpContext&) { return Cost::Zero(); }});
}

}  // namespace tops
