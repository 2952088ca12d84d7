// Elementwise ops: numpy-broadcast binaries, unary math and activations. Cost is counted per
// output element in the "other ops" bucket, as the number of arithmetic steps in the op's ONNX
// definition (Relu 1; Sigmoid = 1/(1+exp(-x)) 4; HardSigmoid = max(0,min(1,a*x+b)) 4; ...).
// Small integer tensors are constant-folded so shape arithmetic (seq_len // heads, ...) flows
// on to Reshape targets.
#include <algorithm>
#include <cmath>

#include "core/checked.h"
#include "ops/registry.h"

namespace tops {
namespace {

using IntFold = std::optional<int64_t> (*)(int64_t, int64_t);

std::vector<SymInt> BroadcastValues(const std::vector<SymInt>& a, const Shape& sa,
                                    const std::vector<SymInt>& b, const Shape& sb, const Shape& out,
                                    IntFold fold, bool* ok) {
  *ok = false;
  auto n = out.elems();
  if (!n || *n > kMaxKeptValues) return {};
  // Only scalar/1-element or equal-length operands are folded (the shapes exporters emit).
  auto at = [](const std::vector<SymInt>& v, size_t i) -> const SymInt& {
    return v.size() == 1 ? v[0] : v[i];
  };
  if (!(a.size() == 1 || static_cast<int64_t>(a.size()) == *n)) return {};
  if (!(b.size() == 1 || static_cast<int64_t>(b.size()) == *n)) return {};
  (void)sa;
  (void)sb;
  std::vector<SymInt> out_v;
  out_v.reserve(static_cast<size_t>(*n));
  for (int64_t i = 0; i < *n; ++i) {
    const SymInt& x = at(a, static_cast<size_t>(i));
    const SymInt& y = at(b, static_cast<size_t>(i));
    if (x.known && y.known) {
      auto r = fold(x.v, y.v);
      out_v.push_back(r ? SymInt::Of(*r) : SymInt{});
    } else {
      out_v.push_back(SymInt{});
    }
  }
  *ok = true;
  return out_v;
}

template <IntFold kFold, bool kBoolOut>
void BinaryShape(OpContext& ctx) {
  const Shape* a = ctx.input_shape(0);
  const Shape* b = ctx.input_shape(1);
  if (!a || !b) return;
  auto out = BroadcastShapes(*a, *b);
  if (!out) {
    ctx.Diag("inputs do not broadcast: " + a->ToString() + " and " + b->ToString());
    return;
  }
  const DType dt = kBoolOut ? DType::kBool : ctx.input_dtype(0);
  const auto* va = ctx.input_symints(0);
  const auto* vb = ctx.input_symints(1);
  if (kFold && va && vb) {
    bool ok;
    auto vals = BroadcastValues(*va, *a, *vb, *b, *out, kFold, &ok);
    if (ok) return ctx.SetOutputInts(0, dt, *out, std::move(vals));
  }
  ctx.SetOutput(0, dt, *out);
}

std::optional<int64_t> FoldAdd(int64_t x, int64_t y) {
  int64_t r;
  return __builtin_add_overflow(x, y, &r) ? std::nullopt : std::optional<int64_t>(r);
}
std::optional<int64_t> FoldSub(int64_t x, int64_t y) {
  int64_t r;
  return __builtin_sub_overflow(x, y, &r) ? std::nullopt : std::optional<int64_t>(r);
}
std::optional<int64_t> FoldMul(int64_t x, int64_t y) {
  int64_t r;
  return __builtin_mul_overflow(x, y, &r) ? std::nullopt : std::optional<int64_t>(r);
}
std::optional<int64_t> FoldDiv(int64_t x, int64_t y) {
  if (y == 0 || (x == INT64_MIN && y == -1)) return std::nullopt;
  return x / y;  // integer Div truncates (ONNX Runtime semantics)
}
std::optional<int64_t> FoldMod(int64_t x, int64_t y) {
  if (y == 0 || (x == INT64_MIN && y == -1)) return std::nullopt;
  int64_t r = x % y;  // fmod=0: result takes the divisor's sign
  if (r != 0 && ((r < 0) != (y < 0))) r += y;
  return r;
}
std::optional<int64_t> FoldMax(int64_t x, int64_t y) { return std::max(x, y); }
std::optional<int64_t> FoldMin(int64_t x, int64_t y) { return std::min(x, y); }
std::optional<int64_t> FoldEqual(int64_t x, int64_t y) { return x == y ? 1 : 0; }
std::optional<int64_t> FoldLess(int64_t x, int64_t y) { return x < y ? 1 : 0; }
std::optional<int64_t> FoldGreater(int64_t x, int64_t y) { return x > y ? 1 : 0; }
std::optional<int64_t> FoldLessEq(int64_t x, int64_t y) { return x <= y ? 1 : 0; }
std::optional<int64_t> FoldGreaterEq(int64_t x, int64_t y) { return x >= y ? 1 : 0; }
std::optional<int64_t> FoldAnd(int64_t x, int64_t y) { return (x && y) ? 1 : 0; }
std::optional<int64_t> FoldOr(int64_t x, int64_t y) { return (x || y) ? 1 : 0; }
std::optional<int64_t> FoldXor(int64_t x, int64_t y) { return ((x != 0) != (y != 0)) ? 1 : 0; }

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
  if (ctx.num_inputs() == 2) {
    // Two-input Max/Min fold like the binaries (shape arithmetic uses them as clamps).
    const auto* va = ctx.input_symints(0);
    const auto* vb = ctx.input_symints(1);
    const std::string& op = ctx.node().op_type;
    IntFold fold = op == "Max" ? FoldMax : op == "Min" ? FoldMin : nullptr;
    if (fold && va && vb) {
      bool ok;
      auto vals =
          BroadcastValues(*va, *ctx.input_shape(0), *vb, *ctx.input_shape(1), out, fold, &ok);
      if (ok) return ctx.SetOutputInts(0, ctx.input_dtype(0), out, std::move(vals));
    }
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
  const auto* vc = ctx.input_symints(0);
  const auto* vx = ctx.input_symints(1);
  const auto* vy = ctx.input_symints(2);
  auto n = out->elems();
  if (vc && vx && vy && n && *n <= kMaxKeptValues) {
    auto pick = [&](const std::vector<SymInt>& v, int64_t i) -> const SymInt* {
      if (v.size() == 1) return &v[0];
      if (static_cast<int64_t>(v.size()) == *n) return &v[static_cast<size_t>(i)];
      return nullptr;
    };
    std::vector<SymInt> vals;
    bool ok = true;
    for (int64_t i = 0; i < *n && ok; ++i) {
      const SymInt* cv = pick(*vc, i);
      const SymInt* a = pick(*vx, i);
      const SymInt* b = pick(*vy, i);
      if (!cv || !a || !b) {
        ok = false;
        break;
      }
      vals.push_back(cv->known ? (cv->v ? *a : *b) : SymInt{});
    }
    if (ok) return ctx.SetOutputInts(0, ctx.input_dtype(1), *out, std::move(vals));
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

void NegShape(OpContext& ctx) {
  const auto* v = ctx.input_symints(0);
  if (v && ctx.input_shape(0)) {
    std::vector<SymInt> out;
    for (const SymInt& s : *v) out.push_back(s.known ? SymInt::Of(-s.v) : SymInt{});
    return ctx.SetOutputInts(0, ctx.input_dtype(0), *ctx.input_shape(0), std::move(out));
  }
  SameShapeAsInput(ctx);
}

void CastShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x) return;
  const DType to = ctx.node().attr_dtype("to", DType::kUndefined);
  ValueState& o = ctx.output(0);
  o.present = true;
  o.dtype = to;
  o.shape = x->shape;
  if (IsIntegerDType(to)) {
    if (x->has_ints) {
      o.has_ints = true;
      o.ints = x->ints;
      if (to == DType::kBool) {
        for (SymInt& s : o.ints) {
          if (s.known) s.v = s.v != 0;
        }
      }
    } else if (x->has_floats) {
      o.has_ints = true;
      for (double d : x->floats) {
        o.ints.push_back(std::isfinite(d) && std::fabs(d) < 9.2e18
                             ? SymInt::Of(static_cast<int64_t>(d))
                             : SymInt{});
      }
    }
  } else if (IsFloatDType(to)) {
    if (x->has_floats) {
      o.has_floats = true;
      o.floats = x->floats;
    } else if (auto ints = ctx.input_ints(0)) {
      o.has_floats = true;
      o.floats.assign(ints->begin(), ints->end());
    }
  }
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
      {"Add", BinaryShape<FoldAdd, false>},
      {"Sub", BinaryShape<FoldSub, false>},
      {"Mul", BinaryShape<FoldMul, false>},
      {"Div", BinaryShape<FoldDiv, false>},
      {"Mod", BinaryShape<FoldMod, false>},
      {"Pow", BinaryShape<nullptr, false>},
      {"BitShift", BinaryShape<nullptr, false>},
      {"BitwiseAnd", BinaryShape<nullptr, false>},
      {"BitwiseOr", BinaryShape<nullptr, false>},
      {"BitwiseXor", BinaryShape<nullptr, false>},
      {"Equal", BinaryShape<FoldEqual, true>},
      {"Less", BinaryShape<FoldLess, true>},
      {"Greater", BinaryShape<FoldGreater, true>},
      {"LessOrEqual", BinaryShape<FoldLessEq, true>},
      {"GreaterOrEqual", BinaryShape<FoldGreaterEq, true>},
      {"And", BinaryShape<FoldAnd, true>},
      {"Or", BinaryShape<FoldOr, true>},
      {"Xor", BinaryShape<FoldXor, true>},
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
  r.Add({"", "Neg", "elementwise", "other = out_elems", NegShape,
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
