// TFLite elementwise operators: broadcasting binaries (with fused activations), unary math and
// activations, comparisons, casts and (de)quantisation. Shapes come from the ONNX twins'
// shape functions (the same numpy broadcasting, with constant folding of integer shape
// arithmetic); costs are the ONNX twins' per-element counts (docs/conventions.md), plus the
// fused activation and, for integer outputs of ADD / SUB / MUL, the rescaling of ONNX's
// QLinearAdd (5 ops per element in all).
#include "core/checked.h"
#include "ops/tflite_common.h"
#include "tops/error.h"

namespace tops::tfl {
namespace {

ShapeFn OnnxShape(const Registry& r, const char* op) {
  const OpEntry* e = r.Find("", op);
  if (!e) throw Error(std::string("internal: ONNX op ") + op + " is not registered");
  return e->shape;
}

void BroadcastShape(OpContext& ctx, DType out) {
  const Shape* a = ctx.input_shape(0);
  const Shape* b = ctx.input_shape(1);
  if (!a || !b) return;
  auto s = BroadcastShapes(*a, *b);
  if (!s) {
    ctx.Diag("inputs do not broadcast: " + a->ToString() + " and " + b->ToString());
    return;
  }
  ctx.SetOutput(0, out == DType::kUndefined ? ctx.input_dtype(0) : out, *s);
}

void ArithmeticShape(OpContext& ctx) { BroadcastShape(ctx, DType::kUndefined); }
void PredicateShape(OpContext& ctx) { BroadcastShape(ctx, DType::kBool); }

void DequantizeShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (x) ctx.SetOutput(0, DType::kFloat, x->shape);
}

// QUANTIZE and CAST: the output type is the output tensor's (the reader records it as
// output_dtype; CAST's out_data_type option says the same when present).
void TypedShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x) return;
  const Node& n = ctx.node();
  DType t = n.attr_dtype("out_data_type", DType::kUndefined);
  if (t == DType::kUndefined) t = n.attr_dtype("output_dtype", DType::kUndefined);
  if (t == DType::kUndefined) t = x->dtype;
  if (x->has_ints && IsIntegerDType(t)) return ctx.SetOutputInts(0, t, x->shape, x->ints);
  ctx.SetOutput(0, t, x->shape);
}

void BoolShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (x) ctx.SetOutput(0, DType::kBool, x->shape);
}

void ComplexPartShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x) return;
  ctx.SetOutput(0, x->dtype == DType::kComplex128 ? DType::kDouble : DType::kFloat, x->shape);
}

// BITCAST: the last axis scales with the ratio of the element widths (TFLite appends or drops
// one axis; the file's own output shape is used when they differ).
void BitcastShape(OpContext& ctx) {
  (void)ctx;  // the output type is only in the file: its stored shape stands
}

Cost ArithmeticCost(const OpContext& ctx) {
  return PerOutputPlusActivation(ctx, IntegerOutput(ctx) ? 5 : 1);
}

OpTraits QuantTraits(QuantRole role) {
  OpTraits t;
  t.quant = role;
  return t;
}

CostFn PerOut(int64_t k) {
  return [k](const OpContext& c) { return PerOutputElement(c, k); };
}

}  // namespace

void RegisterElementwiseFamily(Registry& r) {
  const char* kFamily = "tflite_elementwise";
  const std::string kArith =
      "other = out_elems * (1 + fused activation; 5 with an integer output, as QLinearAdd)";
  Add(r, "ADD", kFamily, kArith, OnnxShape(r, "Add"), ArithmeticCost);
  Add(r, "SUB", kFamily, kArith, OnnxShape(r, "Sub"), ArithmeticCost);
  Add(r, "MUL", kFamily, kArith, OnnxShape(r, "Mul"), ArithmeticCost);
  Add(r, "DIV", kFamily, "other = out_elems * (1 + fused activation)", OnnxShape(r, "Div"),
      [](const OpContext& c) { return PerOutputPlusActivation(c, 1); });
  Add(r, "FLOOR_DIV", kFamily, "other = 2 * out_elems (divide, floor)", OnnxShape(r, "Div"),
      PerOut(2));
  Add(r, "FLOOR_MOD", kFamily, "other = 2 * out_elems (as ONNX Mod with fmod=0)",
      OnnxShape(r, "Mod"), PerOut(2));
  for (const char* op : {"MAXIMUM", "MINIMUM", "POW", "ATAN2", "BITWISE_XOR", "RIGHT_SHIFT"}) {
    Add(r, op, kFamily, "other = out_elems (numpy broadcasting)", ArithmeticShape, PerOut(1));
  }
  Add(r, "SQUARED_DIFFERENCE", kFamily, "other = 2 * out_elems (subtract, square)", ArithmeticShape,
      PerOut(2));
  Add(r, "ADD_N", kFamily, "other = out_elems * (inputs - 1)", OnnxShape(r, "Sum"),
      [](const OpContext& c) {
        return PerOutputElement(c, std::max<int64_t>(1, static_cast<int64_t>(c.num_inputs()) - 1));
      });
  const struct {
    const char* op;
    const char* onnx;
  } predicates[] = {{"LESS", "Less"},
                    {"GREATER", "Greater"},
                    {"LESS_EQUAL", "LessOrEqual"},
                    {"GREATER_EQUAL", "GreaterOrEqual"},
                    {"EQUAL", "Equal"},
                    {"LOGICAL_AND", "And"},
                    {"LOGICAL_OR", "Or"}};
  for (const auto& p : predicates) {
    Add(r, p.op, kFamily, "other = out_elems (boolean output)", OnnxShape(r, p.onnx), PerOut(1));
  }
  Add(r, "NOT_EQUAL", kFamily, "other = out_elems (boolean output)", PredicateShape, PerOut(1));
  Add(r, "SELECT", kFamily, "other = out_elems (select)", OnnxShape(r, "Where"), PerOut(1));
  Add(r, "SELECT_V2", kFamily, "other = out_elems (select, numpy broadcasting)",
      OnnxShape(r, "Where"), PerOut(1));

  // Unary ops, each with the count of its ONNX twin.
  const struct {
    const char* op;
    int64_t per;
    const char* formula;
  } unaries[] = {
      {"ABS", 1, "other = out_elems"},
      {"CEIL", 1, "other = out_elems"},
      {"FLOOR", 1, "other = out_elems"},
      {"ROUND", 1, "other = out_elems"},
      {"SIGN", 1, "other = out_elems"},
      {"COS", 1, "other = out_elems"},
      {"SIN", 1, "other = out_elems"},
      {"EXP", 1, "other = out_elems"},
      {"LOG", 1, "other = out_elems"},
      {"SQRT", 1, "other = out_elems"},
      {"RSQRT", 2, "other = 2 * out_elems (sqrt, reciprocal)"},
      {"SQUARE", 1, "other = out_elems"},
      {"TANH", 1, "other = out_elems (as Tanh)"},
      {"LOGISTIC", 4, "other = 4 * out_elems (as Sigmoid: 1/(1+exp(-x)))"},
      {"RELU", 1, "other = out_elems (as Relu)"},
      {"RELU6", 2, "other = 2 * out_elems (as Clip(0, 6))"},
      {"RELU_N1_TO_1", 2, "other = 2 * out_elems (as Clip(-1, 1))"},
      {"RELU_0_TO_1", 2, "other = 2 * out_elems (as Clip(0, 1))"},
      {"ELU", 4, "other = 4 * out_elems (as Elu)"},
      {"HARD_SWISH", 5, "other = 5 * out_elems (as HardSwish)"},
      {"LEAKY_RELU", 2, "other = 2 * out_elems (as LeakyRelu)"},
      {"PRELU", 2, "other = 2 * out_elems (as PRelu)"},
      {"GELU", 6, "other = 6 * out_elems (as Gelu)"},
      {"COMPLEX_ABS", 4, "other = 4 * out_elems (two squares, add, sqrt)"},
      {"FAKE_QUANT", 5, "other = 5 * out_elems (clamp, scale, round, rescale)"},
  };
  for (const auto& u : unaries) {
    const bool complex = std::string(u.op) == "COMPLEX_ABS";
    Add(r, u.op, kFamily, u.formula, complex ? ComplexPartShape : SameShapeAsInput, PerOut(u.per));
  }
  Add(r, "NEG", kFamily, "other = out_elems", OnnxShape(r, "Neg"), PerOut(1));
  Add(r, "LOGICAL_NOT", kFamily, "other = out_elems", BoolShape, PerOut(1));
  Add(r, "REAL", kFamily, "no arithmetic (bytes only)", ComplexPartShape, ZeroCost);
  Add(r, "IMAG", kFamily, "no arithmetic (bytes only)", ComplexPartShape, ZeroCost);
  Add(r, "CAST", kFamily, "no arithmetic (type conversion; bytes only)", TypedShape, ZeroCost);
  Add(r, "BITCAST", kFamily, "no arithmetic (reinterpretation; shape as stored)", BitcastShape,
      ZeroCost);
  Add(r, "ZEROS_LIKE", kFamily, "no arithmetic (writes zeros)", SameShapeAsInput, ZeroCost);
  Add(r, "QUANTIZE", kFamily,
      "other = 3 * out_elems (as QuantizeLinear: divide, round + zero point, clamp)", TypedShape,
      PerOut(3), QuantTraits(QuantRole::kQuantize));
  Add(r, "DEQUANTIZE", kFamily,
      "other = 2 * out_elems (as DequantizeLinear: subtract zero point, multiply)", DequantizeShape,
      PerOut(2), QuantTraits(QuantRole::kDequantize));
}

}  // namespace tops::tfl
