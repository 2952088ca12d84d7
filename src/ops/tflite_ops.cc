// The TFLite builtin and custom operators: shared helpers and the list of families.
#include "core/checked.h"
#include "ops/tflite_common.h"

namespace tops {

namespace tfl {

int64_t FusedActivationOps(const OpContext& ctx) {
  if (IntegerOutput(ctx)) return 0;
  const std::string act = ctx.node().attr_string("fused_activation_function", "NONE");
  if (act == "RELU" || act == "TANH" || act == "SIGN_BIT") return 1;
  if (act == "RELU6" || act == "RELU_N1_TO_1") return 2;
  return 0;
}

bool IntegerOutput(const OpContext& ctx) {
  if (ctx.num_outputs() == 0 || !ctx.output(0).present) return false;
  const DType t = ctx.output(0).dtype;
  return t == DType::kInt8 || t == DType::kUint8 || t == DType::kInt16 || t == DType::kInt4;
}

bool Hybrid(const OpContext& ctx, size_t w) {
  const ValueState* weight = ctx.input(w);
  const ValueState* data = ctx.input(0);
  if (!weight || !data || !weight->is_weight) return false;
  const DType wt = weight->dtype;
  return IsFloatDType(data->dtype) &&
         (wt == DType::kInt8 || wt == DType::kUint8 || wt == DType::kInt4);
}

void Add(Registry& r, const char* op, const char* family, std::string formula, ShapeFn shape,
         CostFn cost, OpTraits traits) {
  r.Add({kDomain, op, family, std::move(formula), std::move(shape), std::move(cost)},
        std::move(traits));
}

OpTraits LayerTraits(std::vector<Operand> operands) {
  OpTraits t;
  t.operands = std::move(operands);
  t.layout = Layout::kChannelsLast;
  return t;
}

OpTraits ParamTraits(size_t params, bool params_first) {
  OpTraits t;
  if (params_first) {
    t.operands.assign(params, Operand::kParam);
    t.operands.push_back(Operand::kData);
  } else {
    t.operands.push_back(Operand::kData);
    t.operands.insert(t.operands.end(), params, Operand::kParam);
  }
  return t;
}

Cost PerOutputPlusActivation(const OpContext& ctx, int64_t per_elem) {
  return PerOutputElement(ctx, per_elem + FusedActivationOps(ctx));
}

}  // namespace tfl

void RegisterTfliteOps(Registry& r) {
  tfl::RegisterConvFamily(r);
  tfl::RegisterElementwiseFamily(r);
  tfl::RegisterTensorFamily(r);
  tfl::RegisterReduceFamily(r);
  tfl::RegisterSequenceFamily(r);
  tfl::RegisterCustomFamily(r);
  tfl::RegisterStablehloFamily(r);
}

}  // namespace tops
