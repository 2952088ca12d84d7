// Convolutions. Formulas follow the ONNX operator spec (Conv, ConvTranspose); MAC counts follow
// the convention of torchinfo/thop/fvcore: Conv = out_elems * Cin/group * prod(kernel), and
// ConvTranspose by input volume = in_elems * Cout/group * prod(kernel). Bias adds go to the
// "other ops" bucket (one per output element).
#include "core/checked.h"
#include "ops/registry.h"

namespace tops {

std::optional<Dim> WindowOutputDim(const OpContext& ctx, const Dim& in, const WindowParams& w,
                                   size_t axis) {
  if (!in.known() || w.stride <= 0 || w.dilation <= 0 || w.kernel <= 0) return Dim::Unknown();
  // Every step checked or overflow-free: dims, pads and strides near 2^63 come from files.
  const int64_t eff_k =
      CheckedAdd(CheckedMul(w.dilation, w.kernel - 1, "kernel extent"), 1, "kernel extent");
  auto ceil_div = [](int64_t a, int64_t b) { return a / b + (a % b != 0); };  // a >= 0, b > 0
  if (w.same) return Dim::Known(ceil_div(in.value, w.stride));
  const int64_t span =
      CheckedAdd(in.value - eff_k, CheckedAdd(w.pad_begin, w.pad_end, "padding"), "padding");
  if (span < 0) {
    ctx.Diag("window (" + std::to_string(eff_k) + ") larger than padded input on axis " +
             std::to_string(axis));
    return std::nullopt;
  }
  int64_t o = (w.ceil_mode ? ceil_div(span, w.stride) : span / w.stride) + 1;
  // ONNX/PyTorch: with ceil_mode the last window must start inside the input or left pad.
  if (w.ceil_mode &&
      CheckedMul(o - 1, w.stride, "window start") >= CheckedAdd(in.value, w.pad_begin, "padding")) {
    --o;
  }
  return Dim::Known(o);
}

Shape WindowOutputShape(const OpContext& ctx, const Shape& x, const std::vector<int64_t>& kernel,
                        Dim channels) {
  if (!x.rank_known) return Shape::Unknown();
  const Node& n = ctx.node();
  const size_t spatial = kernel.size();
  if (x.rank() != spatial + 2) {
    ctx.Diag("input rank " + std::to_string(x.rank()) + " does not match kernel rank " +
             std::to_string(spatial));
    return Shape::Unknown();
  }
  std::vector<int64_t> strides = n.attr_ints("strides").value_or(std::vector<int64_t>{});
  std::vector<int64_t> dilations = n.attr_ints("dilations").value_or(std::vector<int64_t>{});
  std::vector<int64_t> pads = n.attr_ints("pads").value_or(std::vector<int64_t>{});
  strides.resize(spatial, 1);
  dilations.resize(spatial, 1);
  pads.resize(2 * spatial, 0);
  const std::string auto_pad = n.attr_string("auto_pad", "NOTSET");
  const bool same = auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER";
  const bool valid = auto_pad == "VALID";
  const bool ceil_mode = n.attr_int("ceil_mode", 0) != 0;

  std::vector<Dim> out{x.dims[0], channels};
  for (size_t i = 0; i < spatial; ++i) {
    WindowParams w{
        kernel[i], strides[i], dilations[i], valid ? 0 : pads[i], valid ? 0 : pads[i + spatial],
        same,      ceil_mode};
    auto d = WindowOutputDim(ctx, x.dims[i + 2], w, i + 2);
    if (!d) return Shape::Unknown();
    out.push_back(*d);
  }
  return Shape::Of(std::move(out));
}

namespace {

std::vector<int64_t> KernelOf(const OpContext& ctx, const Shape* w) {
  if (auto k = ctx.node().attr_ints("kernel_shape")) return *k;
  if (!w || !w->fully_known() || w->rank() < 3) return {};
  std::vector<int64_t> k;
  for (size_t i = 2; i < w->rank(); ++i) k.push_back(w->dims[i].value);
  return k;
}

}  // namespace

void ConvLikeShape(OpContext& ctx, size_t x_index, size_t w_index, DType out_dtype) {
  const Shape* x = ctx.input_shape(x_index);
  const Shape* w = ctx.input_shape(w_index);
  if (!x) return;
  std::vector<int64_t> kernel = KernelOf(ctx, w);
  if (kernel.empty()) {
    ctx.Diag("kernel shape unknown (no kernel_shape attribute and weight shape unknown)");
    return;
  }
  Dim m = w && w->rank_known && w->rank() >= 1 ? w->dims[0] : Dim::Unknown();
  ctx.SetOutput(0, out_dtype, WindowOutputShape(ctx, *x, kernel, m));
}

std::optional<int64_t> ConvLikeMacs(const OpContext& ctx, size_t w_index) {
  const Shape* w = ctx.input_shape(w_index);
  auto out = OutputElems(ctx);
  if (!out || !w || !w->fully_known() || w->rank() < 3) return std::nullopt;
  int64_t per_out = 1;  // Cin/group * prod(kernel) = product of W dims after the first
  for (size_t i = 1; i < w->rank(); ++i) per_out = CheckedMul(per_out, w->dims[i].value, "MACs");
  return CheckedMul(*out, per_out, "MACs");
}

ConvGeometry ConvLikeGeometry(const OpContext& ctx, size_t w_index) {
  ConvGeometry g;
  g.group = ctx.node().attr_int("group", 1);
  const Shape* w = ctx.input_shape(w_index);
  if (w && w->rank_known && w->rank() >= 2 && w->dims[1].known()) {
    g.in_channels_per_group = w->dims[1].value;
  }
  return g;
}

namespace {

void ConvShape(OpContext& ctx) { ConvLikeShape(ctx, 0, 1, ctx.input_dtype(0)); }

Cost ConvCost(const OpContext& ctx) {
  auto macs = ConvLikeMacs(ctx, 1);
  if (!macs) return Cost::Unknown();
  Cost c{*macs, 0, ConvLikeGeometry(ctx, 1)};
  if (ctx.input(2)) c.other_ops = *OutputElems(ctx);  // bias add
  return c;
}

void ConvTransposeShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  const Shape* w = ctx.input_shape(1);
  if (!x) return;
  const Node& n = ctx.node();
  std::vector<int64_t> kernel = KernelOf(ctx, w);
  if (kernel.empty() || x->rank() != kernel.size() + 2) {
    ctx.Diag("kernel shape unknown or rank mismatch");
    return;
  }
  const size_t spatial = kernel.size();
  const int64_t group = n.attr_int("group", 1);
  Dim m = Dim::Unknown();
  if (w && w->rank_known && w->rank() >= 2 && w->dims[1].known()) {
    m = Dim::Known(CheckedMul(w->dims[1].value, group, "output channels"));
  }
  std::vector<Dim> out{x->dims[0], m};
  if (auto os = n.attr_ints("output_shape")) {
    // output_shape may list spatial dims only or all dims.
    for (size_t i = os->size() >= spatial + 2 ? 2 : 0; i < os->size(); ++i) {
      out.push_back(Dim::Known((*os)[i]));
    }
    ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
    return;
  }
  std::vector<int64_t> strides = n.attr_ints("strides").value_or(std::vector<int64_t>{});
  std::vector<int64_t> dilations = n.attr_ints("dilations").value_or(std::vector<int64_t>{});
  std::vector<int64_t> pads = n.attr_ints("pads").value_or(std::vector<int64_t>{});
  std::vector<int64_t> out_pad = n.attr_ints("output_padding").value_or(std::vector<int64_t>{});
  strides.resize(spatial, 1);
  dilations.resize(spatial, 1);
  pads.resize(2 * spatial, 0);
  out_pad.resize(spatial, 0);
  const std::string auto_pad = n.attr_string("auto_pad", "NOTSET");
  for (size_t i = 0; i < spatial; ++i) {
    const Dim& in = x->dims[i + 2];
    if (!in.known()) {
      out.push_back(Dim::Unknown());
      continue;
    }
    if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      out.push_back(Dim::Known(CheckedMul(in.value, strides[i], "output size")));
      continue;
    }
    const char* what = "ConvTranspose output size";
    int64_t o = CheckedAdd(CheckedMul(strides[i], in.value - 1, what), out_pad[i], what);
    o = CheckedAdd(o, CheckedMul(CheckedAdd(kernel[i], -1, what), dilations[i], what), what);
    o = CheckedAdd(o, 1, what);
    if (auto_pad != "VALID") {
      o = CheckedAdd(o, CheckedMul(CheckedAdd(pads[i], pads[i + spatial], what), -1, what), what);
    }
    out.push_back(o >= 0 ? Dim::Known(o) : Dim::Unknown());
  }
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

Cost ConvTransposeCost(const OpContext& ctx) {
  const Shape* w = ctx.input_shape(1);
  auto in = InputElems(ctx, 0);
  auto out = OutputElems(ctx);
  if (!in || !out || !w || !w->fully_known() || w->rank() < 3) return Cost::Unknown();
  int64_t per_in = 1;  // Cout/group * prod(kernel)
  for (size_t i = 1; i < w->rank(); ++i) per_in = CheckedMul(per_in, w->dims[i].value, "MACs");
  // W is C x M/group x k...: each group reads C/group input channels.
  const int64_t group = ctx.node().attr_int("group", 1);
  ConvGeometry g{group, group > 0 && w->dims[0].value % group == 0 ? w->dims[0].value / group : 0};
  Cost c{CheckedMul(*in, per_in, "MACs"), 0, g};
  if (ctx.input(2)) c.other_ops = *out;
  return c;
}

}  // namespace

void RegisterConvOps(Registry& r) {
  r.Add(
      {"", "Conv", "conv", "MACs = out_elems * Cin/group * prod(kernel); other = out_elems if bias",
       ConvShape, ConvCost},
      ConvTraits());
  r.Add({"", "ConvTranspose", "conv",
         "MACs = in_elems * Cout/group * prod(kernel); other = out_elems if bias",
         ConvTransposeShape, ConvTransposeCost},
        ConvTraits());
}

}  // namespace tops
