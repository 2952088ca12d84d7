// Quantization (ONNX QuantizeLinear-21, DequantizeLinear-21, DynamicQuantizeLinear-11,
// QLinearConv-10, QLinearMatMul-21, ConvInteger-10, MatMulInteger-10). Integer convolutions and
// products count MACs exactly like their float forms (conv.cc, matmul.cc); the requantisation
// of each output (scale, round, add zero point, clamp) is 3 other ops per element, and
// Q/DQ are 3 (divide, round + zero point, clamp) and 2 (subtract, multiply) per element.
#include "core/checked.h"
#include "ops/registry.h"

namespace tops {
namespace {

void QuantizeShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x) return;
  // The zero point fixes the output type; without one, output_dtype (opset 21) or uint8.
  DType dt = ctx.input(2) ? ctx.input_dtype(2) : DType::kUint8;
  if (!ctx.input(2)) {
    dt = ctx.node().attr_dtype("output_dtype", dt);
    if (dt == DType::kUndefined) dt = DType::kUint8;
  }
  ctx.SetOutput(0, dt, x->shape);
}

void DequantizeShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x) return;
  ctx.SetOutput(0, ctx.input(1) ? ctx.input_dtype(1) : DType::kFloat, x->shape);
}

void DynamicQuantizeShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x) return;
  ctx.SetOutput(0, DType::kUint8, x->shape);
  ctx.SetOutput(1, DType::kFloat, Shape::Of({}));
  ctx.SetOutput(2, DType::kUint8, Shape::Of({}));
}

// QLinearConv inputs: x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale,
// y_zero_point, B.
void QLinearConvShape(OpContext& ctx) {
  ConvLikeShape(ctx, 0, 3, ctx.input(7) ? ctx.input_dtype(7) : ctx.input_dtype(0));
}

Cost QLinearConvCost(const OpContext& ctx) {
  auto macs = ConvLikeMacs(ctx, 3);
  auto out = OutputElems(ctx);
  if (!macs || !out) return Cost::Unknown();
  return Cost{*macs, CheckedMul(*out, ctx.input(8) ? 4 : 3, "ops"), ConvLikeGeometry(ctx, 3)};
}

void ConvIntegerShape(OpContext& ctx) { ConvLikeShape(ctx, 0, 1, DType::kInt32); }

Cost IntegerConvCost(const OpContext& ctx) {
  auto macs = ConvLikeMacs(ctx, 1);
  if (!macs) return Cost::Unknown();
  return Cost{*macs, 0, ConvLikeGeometry(ctx, 1)};
}

// QLinearMatMul inputs: a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale,
// y_zero_point.
void QLinearMatMulShape(OpContext& ctx) {
  MatMulLikeShape(ctx, 0, 3, ctx.input(7) ? ctx.input_dtype(7) : ctx.input_dtype(0));
}

Cost QLinearMatMulCost(const OpContext& ctx) {
  auto macs = MatMulLikeMacs(ctx, 0);
  auto out = OutputElems(ctx);
  if (!macs || !out) return Cost::Unknown();
  return Cost{*macs, CheckedMul(*out, 3, "ops")};
}

void MatMulIntegerShape(OpContext& ctx) { MatMulLikeShape(ctx, 0, 1, DType::kInt32); }

Cost MatMulIntegerCost(const OpContext& ctx) {
  auto macs = MatMulLikeMacs(ctx, 0);
  if (!macs) return Cost::Unknown();
  return Cost{*macs, 0};
}

}  // namespace

void RegisterQuantizationOps(Registry& r) {
  using O = Operand;
  const OpTraits quantize{
      {O::kData, O::kScale, O::kZeroPoint}, Layout::kAny, false, QuantRole::kQuantize};
  OpTraits dequantize = quantize;
  dequantize.quant = QuantRole::kDequantize;
  // ONNX spec input order: QLinearConv x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B;
  // QLinearMatMul the same without B; ConvInteger / MatMulInteger x, w, x_zp, w_zp.
  const std::vector<O> qlinear = {O::kData,      O::kScale, O::kZeroPoint, O::kWeight, O::kScale,
                                  O::kZeroPoint, O::kScale, O::kZeroPoint, O::kBias};
  const std::vector<O> integer = {O::kData, O::kWeight, O::kZeroPoint, O::kZeroPoint};
  const OpTraits qconv{qlinear, Layout::kChannelsFirst, true, QuantRole::kInteger};
  const OpTraits iconv{integer, Layout::kChannelsFirst, true, QuantRole::kInteger};
  const OpTraits qmatmul{
      {qlinear.begin(), qlinear.end() - 1}, Layout::kChannelsLast, false, QuantRole::kInteger};
  const OpTraits imatmul{integer, Layout::kChannelsLast, false, QuantRole::kInteger};
  auto per_in = [](int64_t k) { return [k](const OpContext& c) { return PerInputElement(c, k); }; };
  r.Add({"", "QuantizeLinear", "quantization",
         "other = 3 * elems (divide by scale, round and add zero point, saturate)", QuantizeShape,
         per_in(3)},
        quantize);
  r.Add({"", "DequantizeLinear", "quantization",
         "other = 2 * elems (subtract zero point, multiply by scale)", DequantizeShape, per_in(2)},
        dequantize);
  r.Add({"", "DynamicQuantizeLinear", "quantization",
         "other = 5 * elems (min/max scan, then quantize)", DynamicQuantizeShape, per_in(5)},
        {{O::kData}, Layout::kAny, false, QuantRole::kQuantize});
  r.Add({"", "QLinearConv", "quantization",
         "MACs = out_elems * Cin/group * prod(kernel); other = out_elems * (3 requant + 1 if B)",
         QLinearConvShape, QLinearConvCost},
        qconv);
  r.Add({"", "ConvInteger", "quantization", "MACs = out_elems * Cin/group * prod(kernel)",
         ConvIntegerShape, IntegerConvCost},
        iconv);
  r.Add({"", "QLinearMatMul", "quantization", "MACs = out_elems * K; other = 3 * out_elems",
         QLinearMatMulShape, QLinearMatMulCost},
        qmatmul);
  r.Add({"", "MatMulInteger", "quantization", "MACs = out_elems * K", MatMulIntegerShape,
         MatMulIntegerCost},
        imatmul);
}

}  // namespace tops
