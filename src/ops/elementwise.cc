// Elementwise ops: numpy-broadcast binaries, unary math and activations. Cost is counted per
// output element in the "other ops" bucket, as the number of arithmetic steps in the op's ONNX
// definition (Relu 1; Sigmoid = 1/(1+exp(-x)) 4; HardSigmoid = max(0,min(1,a*x+b)) 4; ...).
// Known small tensors are evaluated by eval_elementwise.cc, so shape arithmetic (seq_len //
// heads, ...) flows on to Reshape targets.
#include <algorithm>
#include <cmath>

#include "core/checked.h"
#include "ops/registry.h"

namespace tops {
namespace {

template <bool kBoolOut>
void BinaryShape(OpContext& ctx) {
  const Shape* a = ctx.input_shape(0);
  const Shape* b = ctx.input_shape(1);
  if (!a || !b) return;
  auto out = BroadcastShapes(*a, *b);
  if (!out) {
    ctx.Diag("inputs do not broadcast: " + a->ToString() + " and " + b->ToString());
    return;
  }
  ctx.SetOutput(0, kBoolOut ? DType::kBool : ctx.input_dtype(0), *out);
}

// Variadic broadcast (Sum, Mean, Max, Min with any number of inputs).
void VariadicShape(OpContext& ctx) {
  if (ctx.num_inputs() == 0 || !ctx.input_shape(0)) return;
  Shape out = *ctx.input_shape(0);
  for (size_t i = 1; i < ctx.num_inputs(); ++i) {
    const Shape* s = ctx.input_shape(i);
    if (!s) return;
    auto b = BroadcastShapes(out, *s);
    if (!b) {
      ctx.Diag("inputs do not broadcast");
      return;
    }
    out = *b;
  }
  ctx.SetOutput(0, ctx.input_dtype(0), out);
}

Cost VariadicCost(const OpContext& ctx) {
  auto n = OutputElems(ctx);
  if (!n) return Cost::Unknown();
  const int64_t k = std::max<int64_t>(1, static_cast<int64_t>(ctx.num_inputs()) - 1);
  const int64_t extra = ctx.node().op_type == "Mean" ? 1 : 0;  // the final divide
  return Cost{0, CheckedMul(*n, k + extra, "op count")};
}

void WhereShape(OpContext& ctx) {
  const Shape* c = ctx.input_shape(0);
  const Shape* x = ctx.input_shape(1);
  const Shape* y = ctx.input_shape(2);
  if (!c || !x || !y) return;
  auto xy = BroadcastShapes(*x, *y);
  auto out = xy ? BroadcastShapes(*c, *xy) : std::nullopt;
  if (!out) {
    ctx.Diag("Where inputs do not broadcast: condition " + c->ToString() + ", X " + x->ToString() +
             ", Y " + y->ToString());
    return;
  }
  ctx.SetOutput(0, ctx.input_dtype(1), *out);
}

// Unary: same shape and dtype as input 0; integer contents pass through when the op is the
// identity on them.
void IdentityShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x) return;
  ctx.output(0) = *x;
  ctx.output(0).is_weight = false;
  ctx.output(0).present = true;
}

void CastShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x) return;
  ctx.SetOutput(0, ctx.node().attr_dtype("to", DType::kUndefined), x->shape);
}

void CastLikeShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x) return;
  ctx.SetOutput(0, ctx.input_dtype(1), x->shape);
}

void BoolUnaryShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x) return;
  ctx.SetOutput(0, DType::kBool, x->shape);
}

struct UnaryDef {
  const char* op;
  int per_elem;
  const char* formula;
};

}  // namespace

void RegisterElementwiseOps(Registry& r) {
  struct BinaryDef {
    const char* op;
    ShapeFn shape;
  };
  const BinaryDef binaries[] = {
      {"Add", BinaryShape<false>},
      {"Sub", BinaryShape<false>},
      {"Mul", BinaryShape<false>},
      {"Div", BinaryShape<false>},
      {"Mod", BinaryShape<false>},
      {"Pow", BinaryShape<false>},
      {"BitShift", BinaryShape<false>},
      {"BitwiseAnd", BinaryShape<false>},
      {"BitwiseOr", BinaryShape<false>},
      {"BitwiseXor", BinaryShape<false>},
      {"Equal", BinaryShape<true>},
      {"Less", BinaryShape<true>},
      {"Greater", BinaryShape<true>},
      {"LessOrEqual", BinaryShape<true>},
      {"GreaterOrEqual", BinaryShape<true>},
      {"And", BinaryShape<true>},
      {"Or", BinaryShape<true>},
      {"Xor", BinaryShape<true>},
  };
  for (const auto& b : binaries) {
    r.Add({"", b.op, "elementwise", "other = out_elems (numpy broadcasting)", b.shape,
           [](const OpContext& c) { return PerOutputElement(c, 1); }});
  }
  // The slope broadcasts to X one way (PRelu-7+; before opset 7 a [C] slope followed the
  // channel axis), so the output always has X's shape.
  r.Add({"", "PRelu", "elementwise", "other = 2 * out_elems (compare, multiply)", SameShapeAsInput,
         [](const OpContext& c) { return PerOutputElement(c, 2); }});
  for (const char* op : {"Sum", "Mean", "Max", "Min"}) {
    r.Add({"", op, "elementwise",
           "other = out_elems * (inputs - 1) (+ out_elems for Mean's divide)", VariadicShape,
           VariadicCost});
  }
  r.Add({"", "Where", "elementwise", "other = out_elems (select)", WhereShape,
         [](const OpContext& c) { return PerOutputElement(c, 1); }});

  const UnaryDef unaries[] = {
      {"Relu", 1, "other = out_elems (max(x, 0))"},
      {"Abs", 1, "other = out_elems"},
      {"Ceil", 1, "other = out_elems"},
      {"Floor", 1, "other = out_elems"},
      {"Round", 1, "other = out_elems"},
      {"Sign", 1, "other = out_elems"},
      {"Reciprocal", 1, "other = out_elems"},
      {"Sqrt", 1, "other = out_elems"},
      {"Exp", 1, "other = out_elems"},
      {"Log", 1, "other = out_elems"},
      {"Erf", 1, "other = out_elems"},
      {"Tanh", 1, "other = out_elems"},
      {"Sin", 1, "other = out_elems"},
      {"Cos", 1, "other = out_elems"},
      {"Tan", 1, "other = out_elems"},
      {"Asin", 1, "other = out_elems"},
      {"Acos", 1, "other = out_elems"},
      {"Atan", 1, "other = out_elems"},
      {"Sinh", 1, "other = out_elems"},
      {"Cosh", 1, "other = out_elems"},
      {"Asinh", 1, "other = out_elems"},
      {"Acosh", 1, "other = out_elems"},
      {"Atanh", 1, "other = out_elems"},
      {"BitwiseNot", 1, "other = out_elems"},
      {"Clip", 2, "other = 2 * out_elems (max, min)"},
      {"LeakyRelu", 2, "other = 2 * out_elems (compare, multiply)"},
      {"ThresholdedRelu", 2, "other = 2 * out_elems (compare, select)"},
      {"Sigmoid", 4, "other = 4 * out_elems (1/(1+exp(-x)))"},
      {"HardSigmoid", 4, "other = 4 * out_elems (max(0, min(1, a*x+b)))"},
      {"HardSwish", 5, "other = 5 * out_elems (x * HardSigmoid(x))"},
      {"Softplus", 3, "other = 3 * out_elems (log(exp(x)+1))"},
      {"Softsign", 3, "other = 3 * out_elems (x/(1+abs(x)))"},
      {"Elu", 4, "other = 4 * out_elems (compare, exp, sub, mul)"},
      {"Celu", 5, "other = 5 * out_elems"},
      {"Selu", 5, "other = 5 * out_elems"},
      {"Gelu", 6, "other = 6 * out_elems (0.5*x*(1+erf(x/sqrt2)))"},
      {"Mish", 5, "other = 5 * out_elems (x*tanh(softplus(x)))"},
      {"Shrink", 2, "other = 2 * out_elems"},
  };
  for (const auto& u : unaries) {
    const int64_t per = u.per_elem;
    r.Add({"", u.op, "elementwise", u.formula, SameShapeAsInput,
           [per](const OpContext& c) { return PerOutputElement(c, per); }});
  }
  r.Add({"", "Neg", "elementwise", "other = out_elems", SameShapeAsInput,
         [](const OpContext& c) { return PerOutputElement(c, 1); }});
  r.Add({"", "Not", "elementwise", "other = out_elems", BoolUnaryShape,
         [](const OpContext& c) { return PerOutputElement(c, 1); }});
  r.Add({"", "IsNaN", "elementwise", "other = out_elems", BoolUnaryShape,
         [](const OpContext& c) { return PerOutputElement(c, 1); }});
  r.Add({"", "IsInf", "elementwise", "other = out_elems", BoolUnaryShape,
         [](const OpContext& c) { return PerOutputElement(c, 1); }});
  r.Add({"", "Cast", "elementwise", "no arithmetic (type conversion; bytes only)", CastShape,
         ZeroCost});
  r.Add({"", "CastLike", "elementwise", "no arithmetic (type conversion; bytes only)",
         CastLikeShape, ZeroCost});
  r.Add({"", "Identity", "elementwise", "no arithmetic", IdentityShape, ZeroCost});
}

}  // namespace tops
