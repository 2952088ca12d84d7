// TFLite convolutions, fully connected, batch matmul and pooling (NHWC). Weight layouts, from
// the TFLite schema's operator reference: CONV_2D OHWI [Cout, kh, kw, Cin/group],
// DEPTHWISE_CONV_2D 1HWO [1, kh, kw, Cin * depth_multiplier], TRANSPOSE_CONV OHWI [Cout, kh, kw,
// Cin], CONV_3D DHWIO [kd, kh, kw, Cin, Cout], CONV_3D_TRANSPOSE [kd, kh, kw, Cout, Cin],
// FULLY_CONNECTED [units, K]. MACs follow the ONNX conventions (conv.cc, matmul.cc): out_elems
// times the weights one output reads; transposed convolutions by input volume. Output sizes use
// the shared window arithmetic (WindowOutputDim): SAME = ceil(in / stride), VALID = (in -
// dilated kernel) / stride + 1.
#include <cstdint>

#include "core/checked.h"
#include "ops/tflite_common.h"

namespace tops::tfl {
namespace {

const Shape* FullShape(const OpContext& ctx, size_t i, size_t rank) {
  const Shape* s = ctx.input_shape(i);
  return s && s->rank() == rank && s->fully_known() ? s : nullptr;
}

// The spatial dims of an N...C input through windows of `kernel` (one per spatial axis); the
// strides and dilations come from the options (stride_h/stride_w, ...).
std::optional<Shape> WindowShape(const OpContext& ctx, const Shape& x,
                                 const std::vector<int64_t>& kernel, Dim channels) {
  const Node& n = ctx.node();
  const size_t spatial = kernel.size();
  if (x.rank() != spatial + 2) {
    ctx.Diag("input " + x.ToString() + " is not " + std::to_string(spatial + 2) + "-D");
    return std::nullopt;
  }
  const std::string padding = n.attr_string("padding", "SAME");
  if (padding != "SAME" && padding != "VALID") {
    ctx.Diag("padding " + padding + " is neither SAME nor VALID");
    return std::nullopt;
  }
  static const char* kStride[] = {"stride_d", "stride_h", "stride_w"};
  static const char* kDilation[] = {"dilation_d_factor", "dilation_h_factor", "dilation_w_factor"};
  std::vector<Dim> out{x.dims[0]};
  for (size_t i = 0; i < spatial; ++i) {
    const size_t name = 3 - spatial + i;  // 2-D ops have no depth
    WindowParams w;
    w.kernel = kernel[i];
    w.stride = n.attr_int(kStride[name], 1);
    w.dilation = n.attr_int(kDilation[name], 1);
    w.same = padding == "SAME";
    auto d = WindowOutputDim(ctx, x.dims[i + 1], w, i + 1);
    if (!d) return std::nullopt;
    out.push_back(*d);
  }
  out.push_back(channels);
  return Shape::Of(std::move(out));
}

Dim DimOf(const Shape* s, size_t i) {
  return s && s->rank_known && i < s->rank() ? s->dims[i] : Dim::Unknown();
}

void Conv2DShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  const Shape* w = ctx.input_shape(1);
  if (!x || !w || w->rank() != 4 || !w->dims[1].known() || !w->dims[2].known()) return;
  if (auto s = WindowShape(ctx, *x, {w->dims[1].value, w->dims[2].value}, w->dims[0])) {
    ctx.SetOutput(0, ctx.input_dtype(0), *s);
  }
}

void DepthwiseShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  const Shape* w = ctx.input_shape(1);
  if (!x || !w || w->rank() != 4 || !w->dims[1].known() || !w->dims[2].known()) return;
  if (auto s = WindowShape(ctx, *x, {w->dims[1].value, w->dims[2].value}, w->dims[3])) {
    ctx.SetOutput(0, ctx.input_dtype(0), *s);
  }
}

void Conv3DShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  const Shape* w = FullShape(ctx, 1, 5);
  if (!x || !w) return;
  const auto& d = w->dims;
  if (auto s = WindowShape(ctx, *x, {d[0].value, d[1].value, d[2].value}, d[4])) {
    ctx.SetOutput(0, ctx.input_dtype(0), *s);
  }
}

// Input positions of a MAC layer's operands.
struct Operands {
  size_t data = 0, weight = 1, bias = 2;
};
constexpr size_t kNoBias = SIZE_MAX;

// Other ops of a MAC layer: bias, fused activation, requantisation or hybrid input quantisation.
Cost LayerCost(const OpContext& ctx, std::optional<int64_t> macs, Operands o,
               std::optional<ConvGeometry> geometry) {
  auto out = OutputElems(ctx);
  if (!macs || !out) return Cost::Unknown();
  int64_t per_out = (o.bias != kNoBias && ctx.input(o.bias) ? 1 : 0) + FusedActivationOps(ctx) +
                    (IntegerOutput(ctx) ? kRequantizeOps : 0);
  int64_t other = CheckedMul(*out, per_out, "op count");
  if (Hybrid(ctx, o.weight)) {
    auto in = InputElems(ctx, o.data);
    if (!in) return Cost::Unknown();
    other = CheckedAdd(other, CheckedMul(*in, kHybridQuantizeOps, "op count"), "op count");
  }
  return Cost{*macs, other, geometry};
}

Cost Conv2DCost(const OpContext& ctx) {
  ConvGeometry g;
  const Dim cin = DimOf(ctx.input_shape(0), 3);
  const Dim cin_w = DimOf(ctx.input_shape(1), 3);
  if (cin_w.known()) g.in_channels_per_group = cin_w.value;
  if (cin.known() && cin_w.known() && cin_w.value > 0 && cin.value % cin_w.value == 0) {
    g.group = cin.value / cin_w.value;
  }
  return LayerCost(ctx, ConvLikeMacs(ctx, 1), {}, g);
}

Cost DepthwiseCost(const OpContext& ctx) {
  const Shape* w = FullShape(ctx, 1, 4);
  auto out = OutputElems(ctx);
  if (!w || !out) return Cost::Unknown();
  const int64_t macs =
      CheckedMul(*out, CheckedMul(w->dims[1].value, w->dims[2].value, "MACs"), "MACs");
  ConvGeometry g;
  g.in_channels_per_group = 1;
  const Dim cin = DimOf(ctx.input_shape(0), 3);
  g.group = cin.known() ? cin.value : w->dims[3].value;
  return LayerCost(ctx, macs, {}, g);
}

Cost Conv3DCost(const OpContext& ctx) {
  const Shape* w = FullShape(ctx, 1, 5);
  auto out = OutputElems(ctx);
  if (!w || !out) return Cost::Unknown();
  int64_t per_out = 1;  // kd * kh * kw * Cin/group
  for (size_t i = 0; i < 4; ++i) per_out = CheckedMul(per_out, w->dims[i].value, "MACs");
  ConvGeometry g;
  g.in_channels_per_group = w->dims[3].value;
  const Dim cin = DimOf(ctx.input_shape(0), 4);
  if (cin.known() && w->dims[3].value > 0 && cin.value % w->dims[3].value == 0) {
    g.group = cin.value / w->dims[3].value;
  }
  return LayerCost(ctx, CheckedMul(*out, per_out, "MACs"), {}, g);
}

// TRANSPOSE_CONV (output_shape, weights, input, bias) and CONV_3D_TRANSPOSE (the same order):
// the output is the output_shape tensor; without its values, SAME gives in * stride and VALID
// (in - 1) * stride + kernel.
template <size_t kSpatial>
void TransposeConvShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(2);
  const Shape* w = ctx.input_shape(1);
  const DType dt = ctx.input(2) ? ctx.input_dtype(2) : DType::kFloat;
  if (auto os = ctx.input_symints(0); os && os->size() == kSpatial + 2) {
    std::vector<Dim> dims;
    for (const SymInt& v : *os) dims.push_back(v.ToDim());
    ctx.SetOutput(0, dt, Shape::Of(std::move(dims)));
    return;
  }
  if (!x || !w || x->rank() != kSpatial + 2 || w->rank() != kSpatial + 2) return;
  const Node& n = ctx.node();
  const bool same = n.attr_string("padding", "SAME") == "SAME";
  static const char* kStride[] = {"stride_d", "stride_h", "stride_w"};
  std::vector<Dim> out{x->dims[0]};
  for (size_t i = 0; i < kSpatial; ++i) {
    const Dim& in = x->dims[i + 1];
    const Dim& k = kSpatial == 2 ? w->dims[i + 1] : w->dims[i];
    const int64_t s = n.attr_int(kStride[3 - kSpatial + i], 1);
    if (!in.known() || !k.known() || s <= 0) {
      out.push_back(Dim::Unknown());
      continue;
    }
    const char* what = "transposed conv output size";
    out.push_back(Dim::Known(same ? CheckedMul(in.value, s, what)
                                  : CheckedAdd(CheckedMul(in.value - 1, s, what), k.value, what)));
  }
  out.push_back(kSpatial == 2 ? w->dims[0] : w->dims[3]);
  ctx.SetOutput(0, dt, Shape::Of(std::move(out)));
}

// MACs by input volume, as ONNX ConvTranspose: in_elems * Cout * prod(kernel).
template <size_t kSpatial>
Cost TransposeConvCost(const OpContext& ctx) {
  const Shape* w = FullShape(ctx, 1, kSpatial + 2);
  auto in = InputElems(ctx, 2);
  if (!w || !in) return Cost::Unknown();
  int64_t per_in = 1;  // every weight except the input-channel axis
  const size_t cin_axis = kSpatial == 2 ? 3 : 4;
  for (size_t i = 0; i < w->rank(); ++i) {
    if (i != cin_axis) per_in = CheckedMul(per_in, w->dims[i].value, "MACs");
  }
  ConvGeometry g;
  g.in_channels_per_group = w->dims[cin_axis].value;
  return LayerCost(ctx, CheckedMul(*in, per_in, "MACs"), {2, 1, 3}, g);
}

// FULLY_CONNECTED: weights [units, K]; the input is flattened to [-1, K] unless keep_num_dims.
void FullyConnectedShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  const Shape* w = ctx.input_shape(1);
  if (!x || !w || w->rank() != 2 || x->rank() == 0) return;
  const Dim& units = w->dims[0];
  const Dim& k = w->dims[1];
  if (ctx.node().attr_int("keep_num_dims", 0) != 0) {
    std::vector<Dim> out(x->dims.begin(), x->dims.end() - 1);
    out.push_back(units);
    ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
    return;
  }
  Dim rows = Dim::Unknown();
  if (x->rank() == 2 && x->dims[1] == k) {
    rows = x->dims[0];
  } else if (auto n = x->elems(); n && k.known() && k.value > 0) {
    if (*n % k.value != 0) {
      ctx.Diag("input " + x->ToString() + " does not flatten to rows of " + k.ToString());
      return;
    }
    rows = Dim::Known(*n / k.value);
  } else if (x->rank() >= 2 && x->dims.back() == k) {
    bool ones = true;  // [batch, 1, ..., K]: rows = batch
    for (size_t i = 1; i + 1 < x->rank(); ++i) ones = ones && x->dims[i] == Dim::Known(1);
    if (ones) rows = x->dims[0];
  }
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of({rows, units}));
}

Cost FullyConnectedCost(const OpContext& ctx) {
  const Shape* w = ctx.input_shape(1);
  auto out = OutputElems(ctx);
  if (!w || w->rank() != 2 || !w->dims[1].known() || !out) return Cost::Unknown();
  return LayerCost(ctx, CheckedMul(*out, w->dims[1].value, "MACs"), {}, std::nullopt);
}

Shape Adjoint(Shape s) {
  if (s.rank() >= 2) std::swap(s.dims[s.rank() - 1], s.dims[s.rank() - 2]);
  return s;
}

void BatchMatMulShape(OpContext& ctx) {
  const Shape* a = ctx.input_shape(0);
  const Shape* b = ctx.input_shape(1);
  if (!a || !b) return;
  const Node& n = ctx.node();
  const Shape sa = n.attr_int("adj_x", 0) ? Adjoint(*a) : *a;
  const Shape sb = n.attr_int("adj_y", 0) ? Adjoint(*b) : *b;
  if (auto out = MatMulOutputShape(ctx, sa, sb)) ctx.SetOutput(0, ctx.input_dtype(0), *out);
}

Cost BatchMatMulCost(const OpContext& ctx) {
  const Shape* a = ctx.input_shape(0);
  auto out = OutputElems(ctx);
  if (!a || a->rank() == 0 || !out) return Cost::Unknown();
  const bool adj = ctx.node().attr_int("adj_x", 0) != 0 && a->rank() >= 2;
  const Dim& k = a->dims[a->rank() - (adj ? 2 : 1)];
  if (!k.known()) return Cost::Unknown();
  return LayerCost(ctx, CheckedMul(*out, k.value, "MACs"), {0, 1, kNoBias}, std::nullopt);
}

void PoolShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  const Node& n = ctx.node();
  const std::vector<int64_t> kernel{n.attr_int("filter_height", 0), n.attr_int("filter_width", 0)};
  if (auto s = WindowShape(ctx, *x, kernel, DimOf(x, 3))) ctx.SetOutput(0, ctx.input_dtype(0), *s);
}

// MAX_POOL_2D: one compare per window element; AVERAGE_POOL_2D and L2_POOL_2D (ONNX LpPool):
// one add per window element and one divide (root) per output.
Cost PoolCost(const OpContext& ctx, int64_t extra) {
  auto out = OutputElems(ctx);
  if (!out) return Cost::Unknown();
  const Node& n = ctx.node();
  const int64_t window =
      CheckedMul(n.attr_int("filter_height", 0), n.attr_int("filter_width", 0), "kernel size");
  const int64_t per = CheckedAdd(window, extra + FusedActivationOps(ctx), "op count");
  return Cost{0, CheckedMul(*out, per, "op count")};
}

}  // namespace

void RegisterConvFamily(Registry& r) {
  const std::string tail = " + out_elems * (1 if bias + fused activation + 3 if integer output)";
  Add(r, "CONV_2D", "tflite_conv", "MACs = out_elems * kh * kw * Cin/group (OHWI)" + tail,
      Conv2DShape, Conv2DCost, LayerTraits());
  Add(r, "DEPTHWISE_CONV_2D", "tflite_conv", "MACs = out_elems * kh * kw (1HWO)" + tail,
      DepthwiseShape, DepthwiseCost, LayerTraits());
  Add(r, "CONV_3D", "tflite_conv", "MACs = out_elems * kd * kh * kw * Cin/group (DHWIO)" + tail,
      Conv3DShape, Conv3DCost, LayerTraits());
  Add(r, "TRANSPOSE_CONV", "tflite_conv", "MACs = in_elems * Cout * kh * kw (by input)" + tail,
      TransposeConvShape<2>, TransposeConvCost<2>,
      LayerTraits({Operand::kParam, Operand::kWeight, Operand::kData, Operand::kBias}));
  Add(r, "CONV_3D_TRANSPOSE", "tflite_conv",
      "MACs = in_elems * Cout * kd * kh * kw (by input)" + tail, TransposeConvShape<3>,
      TransposeConvCost<3>,
      LayerTraits({Operand::kParam, Operand::kWeight, Operand::kData, Operand::kBias}));
  Add(r, "FULLY_CONNECTED", "tflite_conv",
      "MACs = out_elems * K (weights [units, K])" + tail + " + 3 * in_elems if hybrid",
      FullyConnectedShape, FullyConnectedCost, LayerTraits());
  Add(r, "BATCH_MATMUL", "tflite_conv",
      "MACs = out_elems * K (adj_x / adj_y transpose the operands); other = 3 * out_elems if "
      "integer output",
      BatchMatMulShape, BatchMatMulCost, LayerTraits({Operand::kData, Operand::kWeight}));
  Add(r, "MAX_POOL_2D", "tflite_conv", "other = out_elems * (kh * kw + fused activation)",
      PoolShape, [](const OpContext& c) { return PoolCost(c, 0); });
  Add(r, "AVERAGE_POOL_2D", "tflite_conv", "other = out_elems * (kh * kw + 1 + fused activation)",
      PoolShape, [](const OpContext& c) { return PoolCost(c, 1); });
  Add(r, "L2_POOL_2D", "tflite_conv", "other = out_elems * (kh * kw + 1 + fused activation)",
      PoolShape, [](const OpContext& c) { return PoolCost(c, 1); });
}

}  // namespace tops::tfl
