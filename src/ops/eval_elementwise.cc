// Value evaluators of the elementwise family (ONNX operator spec semantics): numpy-broadcast
// binaries on integers (wrapping at the dtype's width) and floats (rounded to the dtype),
// comparisons and logic to bool, Mod with fmod 0 (sign of the divisor) and 1 (C fmod), Pow with
// mixed base and exponent types, unary math, Clip, Where, Cast and CastLike. An integer element
// that is a symbol or unknown stays so, except through identities (x + 0, x * 1, x - 0, x / 1,
// max(x, x), x == x).
#include <algorithm>
#include <cmath>
#include <limits>

#include "ops/registry.h"

namespace tops {
namespace {

enum class Bin {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kPow,
  kBitShift,
  kBitAnd,
  kBitOr,
  kBitXor,
  kEqual,
  kLess,
  kGreater,
  kLessEq,
  kGreaterEq,
  kAnd,
  kOr,
  kXor,
  kMax,
  kMin,
};

bool BoolResult(Bin op) { return op >= Bin::kEqual && op <= Bin::kXor; }

// Settings of one node that change an op's arithmetic.
struct BinArgs {
  DType in = DType::kUndefined;  // dtype of the first operand
  bool fmod = false;             // Mod
  bool shift_left = true;        // BitShift
};

bool IsUnsigned(DType t) {
  return t == DType::kUint8 || t == DType::kUint16 || t == DType::kUint32 || t == DType::kUint64;
}

std::optional<int64_t> IntPow(int64_t base, int64_t exp) {
  if (exp < 0) {
    if (base == 1) return 1;
    if (base == -1) return exp % 2 == 0 ? 1 : -1;
    return std::nullopt;  // numpy refuses negative integer powers
  }
  uint64_t result = 1, b = static_cast<uint64_t>(base);
  for (uint64_t e = static_cast<uint64_t>(exp); e > 0; e >>= 1) {
    if (e & 1) result *= b;
    b *= b;
  }
  return static_cast<int64_t>(result);
}

// Both operands known integers of dtype a.in.
std::optional<int64_t> IntBinary(Bin op, int64_t x, int64_t y, const BinArgs& a) {
  const bool u = IsUnsigned(a.in);
  const uint64_t ux = static_cast<uint64_t>(x), uy = static_cast<uint64_t>(y);
  switch (op) {
    case Bin::kAdd:
      return static_cast<int64_t>(ux + uy);
    case Bin::kSub:
      return static_cast<int64_t>(ux - uy);
    case Bin::kMul:
      return static_cast<int64_t>(ux * uy);
    case Bin::kDiv:
      if (y == 0 || (!u && x == std::numeric_limits<int64_t>::min() && y == -1)) {
        return std::nullopt;
      }
      return u ? static_cast<int64_t>(ux / uy) : x / y;  // truncates, as ONNX Runtime does
    case Bin::kMod: {
      if (y == 0 || (!u && x == std::numeric_limits<int64_t>::min() && y == -1)) {
        return std::nullopt;
      }
      if (u) return static_cast<int64_t>(ux % uy);
      int64_t r = x % y;  // fmod = 1: the sign of the dividend (C)
      if (!a.fmod && r != 0 && ((r < 0) != (y < 0))) r += y;  // fmod = 0: of the divisor
      return r;
    }
    case Bin::kPow:
      return IntPow(x, y);
    case Bin::kBitShift:
      if (uy >= 64) return 0;
      return static_cast<int64_t>(a.shift_left ? ux << uy : ux >> uy);
    case Bin::kBitAnd:
      return x & y;
    case Bin::kBitOr:
      return x | y;
    case Bin::kBitXor:
      return x ^ y;
    case Bin::kEqual:
      return x == y;
    case Bin::kLess:
      return u ? ux < uy : x < y;
    case Bin::kGreater:
      return u ? ux > uy : x > y;
    case Bin::kLessEq:
      return u ? ux <= uy : x <= y;
    case Bin::kGreaterEq:
      return u ? ux >= uy : x >= y;
    case Bin::kAnd:
      return (x != 0) && (y != 0);
    case Bin::kOr:
      return (x != 0) || (y != 0);
    case Bin::kXor:
      return (x != 0) != (y != 0);
    case Bin::kMax:
      return u ? static_cast<int64_t>(std::max(ux, uy)) : std::max(x, y);
    case Bin::kMin:
      return u ? static_cast<int64_t>(std::min(ux, uy)) : std::min(x, y);
  }
  return std::nullopt;
}

// One or both operands symbolic or unknown: what the identities still give.
SymInt SymBinary(Bin op, const SymInt& x, const SymInt& y) {
  const bool same = x == y;
  auto is = [](const SymInt& s, int64_t v) { return s.known && s.v == v; };
  switch (op) {
    case Bin::kAdd:
      if (is(x, 0)) return y;
      if (is(y, 0)) return x;
      break;
    case Bin::kSub:
      if (is(y, 0)) return x;
      if (same) return SymInt::Of(0);
      break;
    case Bin::kMul:
      if (is(x, 1)) return y;
      if (is(y, 1)) return x;
      if (is(x, 0) || is(y, 0)) return SymInt::Of(0);
      break;
    case Bin::kDiv:
      if (is(y, 1)) return x;
      break;
    case Bin::kMax:
    case Bin::kMin:
      if (same) return x;
      break;
    case Bin::kEqual:
    case Bin::kLessEq:
    case Bin::kGreaterEq:
      if (same) return SymInt::Of(1);
      break;
    case Bin::kLess:
    case Bin::kGreater:
      if (same) return SymInt::Of(0);
      break;
    default:
      break;
  }
  return SymInt{};
}

double FloatBinary(Bin op, double x, double y, const BinArgs& a) {
  switch (op) {
    case Bin::kAdd:
      return x + y;
    case Bin::kSub:
      return x - y;
    case Bin::kMul:
      return x * y;
    case Bin::kDiv:
      return x / y;
    case Bin::kMod: {
      const double r = std::fmod(x, y);
      if (a.fmod || r == 0 || ((r < 0) == (y < 0))) return r;
      return r + y;
    }
    case Bin::kPow:
      return std::pow(x, y);
    case Bin::kEqual:
      return x == y;
    case Bin::kLess:
      return x < y;
    case Bin::kGreater:
      return x > y;
    case Bin::kLessEq:
      return x <= y;
    case Bin::kGreaterEq:
      return x >= y;
    case Bin::kMax:
      return std::isnan(x) || std::isnan(y) ? std::nan("") : std::max(x, y);
    case Bin::kMin:
      return std::isnan(x) || std::isnan(y) ? std::nan("") : std::min(x, y);
    default:
      return std::nan("");
  }
}

// Folds `acc` and `next` (broadcast) with op; the result's dtype is out_dtype.
bool ApplyBinary(OpContext& ctx, Bin op, const Value& x, const Value& y, DType out_dtype,
                 const BinArgs& args, Value* out) {
  auto dims = BroadcastDims(x.dims, y.dims);
  if (!dims) return ctx.Refuse("inputs do not broadcast");
  auto n = ElemCount(*dims);
  if (!n || *n > kMaxEvalElems) return ctx.Refuse("result larger than the evaluation cap");
  const std::vector<int64_t> ix = BroadcastIndex(x.dims, *dims);
  const std::vector<int64_t> iy = BroadcastIndex(y.dims, *dims);
  Value r;
  r.dtype = out_dtype;
  r.dims = *dims;
  const bool float_math = x.is_float() || (op == Bin::kPow && y.is_float());
  for (size_t k = 0; k < ix.size(); ++k) {
    const size_t a = static_cast<size_t>(ix[k]), b = static_cast<size_t>(iy[k]);
    if (float_math) {
      auto fx = x.AsDouble(a), fy = y.AsDouble(b);
      if (!fx || !fy) return ctx.Refuse("an integer operand is not known");
      const double v = FloatBinary(op, *fx, *fy, args);
      if (r.is_float()) {
        r.floats.push_back(RoundToDType(out_dtype, v));
      } else if (BoolResult(op)) {
        r.ints.push_back(SymInt::Of(v != 0));
      } else {
        auto i = CastToInt(out_dtype, v);  // integer base, float exponent
        r.ints.push_back(i ? SymInt::Of(*i) : SymInt{});
      }
      continue;
    }
    const SymInt& sx = x.ints[a];
    SymInt sy = y.ints[b];
    if (y.is_float()) {
      auto fy = y.AsInt(b);
      sy = fy ? SymInt::Of(*fy) : SymInt{};
    }
    if (sx.known && sy.known) {
      auto v = IntBinary(op, sx.v, sy.v, args);
      r.ints.push_back(v ? SymInt::Of(WrapToDType(out_dtype, *v)) : SymInt{});
    } else {
      r.ints.push_back(SymBinary(op, sx, sy));
    }
  }
  *out = std::move(r);
  return true;
}

EvalFn BinaryEval(Bin op) {
  return [op](OpContext& ctx) {
    const Value* x = ctx.input_value(0);
    const Value* y = ctx.input_value(1);
    if (!x || !y) return ctx.Refuse("an operand is missing");
    BinArgs args;
    args.in = x->dtype;
    args.fmod = ctx.node().attr_int("fmod", 0) != 0;
    args.shift_left = ctx.node().attr_string("direction", "LEFT") != "RIGHT";
    const DType out = BoolResult(op) ? DType::kBool : x->dtype;
    Value r;
    if (!ApplyBinary(ctx, op, *x, *y, out, args, &r)) return false;
    ctx.SetOutputValue(0, std::move(r));
    return true;
  };
}

// Sum, Mean, Max, Min over any number of broadcast inputs.
EvalFn VariadicEval(Bin op, bool mean) {
  return [op, mean](OpContext& ctx) {
    const Value* first = ctx.input_value(0);
    if (!first) return ctx.Refuse("no inputs");
    Value acc = *first;
    BinArgs args;
    args.in = first->dtype;
    for (size_t i = 1; i < ctx.num_inputs(); ++i) {
      const Value* v = ctx.input_value(i);
      if (!v) continue;
      Value next;
      if (!ApplyBinary(ctx, op, acc, *v, first->dtype, args, &next)) return false;
      acc = std::move(next);
    }
    if (mean) {
      if (!acc.is_float()) return ctx.Refuse("Mean of integers");
      for (double& d : acc.floats) {
        d = RoundToDType(acc.dtype, d / static_cast<double>(ctx.num_inputs()));
      }
    }
    ctx.SetOutputValue(0, std::move(acc));
    return true;
  };
}

enum class Un {
  kNeg,
  kAbs,
  kSign,
  kFloor,
  kCeil,
  kRound,
  kSqrt,
  kExp,
  kLog,
  kReciprocal,
  kRelu,
  kSigmoid,
  kTanh,
  kSin,
  kCos,
  kErf,
  kNot,
  kBitwiseNot,
  kIsNaN,
  kIsInf,
};

double FloatUnary(Un op, double x) {
  switch (op) {
    case Un::kNeg:
      return -x;
    case Un::kAbs:
      return std::fabs(x);
    case Un::kSign:
      return std::isnan(x) ? x : (x > 0) - (x < 0);
    case Un::kFloor:
      return std::floor(x);
    case Un::kCeil:
      return std::ceil(x);
    case Un::kRound:
      return std::nearbyint(x);  // halves to even (default rounding mode), as numpy.round
    case Un::kSqrt:
      return std::sqrt(x);
    case Un::kExp:
      return std::exp(x);
    case Un::kLog:
      return std::log(x);
    case Un::kReciprocal:
      return 1.0 / x;
    case Un::kRelu:
      return x > 0 ? x : 0.0;
    case Un::kSigmoid:
      return 1.0 / (1.0 + std::exp(-x));
    case Un::kTanh:
      return std::tanh(x);
    case Un::kSin:
      return std::sin(x);
    case Un::kCos:
      return std::cos(x);
    case Un::kErf:
      return std::erf(x);
    default:
      return std::nan("");
  }
}

std::optional<int64_t> IntUnary(Un op, int64_t x) {
  switch (op) {
    case Un::kNeg:
      return static_cast<int64_t>(0 - static_cast<uint64_t>(x));
    case Un::kAbs:
      return x < 0 ? static_cast<int64_t>(0 - static_cast<uint64_t>(x)) : x;
    case Un::kSign:
      return (x > 0) - (x < 0);
    case Un::kRelu:
      return std::max<int64_t>(x, 0);
    case Un::kNot:
      return x == 0;
    case Un::kBitwiseNot:
      return ~x;
    case Un::kFloor:
    case Un::kCeil:
    case Un::kRound:
      return x;
    default:
      return std::nullopt;
  }
}

EvalFn UnaryEval(Un op) {
  return [op](OpContext& ctx) {
    const Value* x = ctx.input_value(0);
    if (!x) return ctx.Refuse("no input");
    Value r;
    r.dims = x->dims;
    if (op == Un::kIsNaN || op == Un::kIsInf) {
      r.dtype = DType::kBool;
      const bool pos = ctx.node().attr_int("detect_positive", 1) != 0;
      const bool neg = ctx.node().attr_int("detect_negative", 1) != 0;
      for (size_t i = 0; i < static_cast<size_t>(x->size()); ++i) {
        auto d = x->AsDouble(i);
        if (!d) return ctx.Refuse("an element is not known");
        const bool hit = op == Un::kIsNaN ? std::isnan(*d)
                                          : std::isinf(*d) && ((*d > 0 && pos) || (*d < 0 && neg));
        r.ints.push_back(SymInt::Of(hit));
      }
      ctx.SetOutputValue(0, std::move(r));
      return true;
    }
    r.dtype = x->dtype;
    if (x->is_float()) {
      for (double d : x->floats) r.floats.push_back(RoundToDType(r.dtype, FloatUnary(op, d)));
    } else {
      for (const SymInt& s : x->ints) {
        if (!s.known) {
          r.ints.push_back(op == Un::kFloor || op == Un::kCeil || op == Un::kRound ? s : SymInt{});
          continue;
        }
        auto v = IntUnary(op, s.v);
        if (!v) return ctx.Refuse("not defined on integers");
        r.ints.push_back(SymInt::Of(WrapToDType(r.dtype, *v)));
      }
    }
    ctx.SetOutputValue(0, std::move(r));
    return true;
  };
}

bool ClipEval(OpContext& ctx) {
  const Value* x = ctx.input_value(0);
  if (!x) return ctx.Refuse("no input");
  std::optional<double> lo, hi;
  if (ctx.opset() < 11) {
    if (ctx.node().attr("min")) lo = ctx.node().attr_float("min", 0);
    if (ctx.node().attr("max")) hi = ctx.node().attr_float("max", 0);
  } else {
    for (size_t i = 1; i <= 2; ++i) {
      const Value* b = ctx.input_value(i);
      if (!b) continue;
      if (b->size() != 1) return ctx.Refuse("min and max must be scalars");
      auto d = b->AsDouble(0);
      if (!d) return ctx.Refuse("a bound is not known");
      (i == 1 ? lo : hi) = d;
    }
  }
  Value r = *x;
  auto clip = [&](double v) {
    if (lo && v < *lo) v = *lo;
    if (hi && v > *hi) v = *hi;
    return v;
  };
  if (r.is_float()) {
    for (double& d : r.floats) {
      if (!std::isnan(d)) d = RoundToDType(r.dtype, clip(d));
    }
  } else {
    for (SymInt& s : r.ints) {
      if (!s.known) {
        if (lo || hi) s = SymInt{};
        continue;
      }
      s = SymInt::Of(static_cast<int64_t>(clip(static_cast<double>(s.v))));
    }
  }
  ctx.SetOutputValue(0, std::move(r));
  return true;
}

bool WhereEval(OpContext& ctx) {
  const Value* c = ctx.input_value(0);
  const Value* x = ctx.input_value(1);
  const Value* y = ctx.input_value(2);
  if (!c || !x || !y) return ctx.Refuse("an operand is missing");
  auto xy = BroadcastDims(x->dims, y->dims);
  auto dims = xy ? BroadcastDims(c->dims, *xy) : std::nullopt;
  if (!dims) return ctx.Refuse("inputs do not broadcast");
  auto n = ElemCount(*dims);
  if (!n || *n > kMaxEvalElems) return ctx.Refuse("result larger than the evaluation cap");
  const auto ic = BroadcastIndex(c->dims, *dims);
  const auto ix = BroadcastIndex(x->dims, *dims);
  const auto iy = BroadcastIndex(y->dims, *dims);
  Value r;
  r.dtype = x->dtype;
  r.dims = *dims;
  for (size_t k = 0; k < ic.size(); ++k) {
    const SymInt& cond = c->ints[static_cast<size_t>(ic[k])];
    const size_t a = static_cast<size_t>(ix[k]), b = static_cast<size_t>(iy[k]);
    if (r.is_float()) {
      if (!cond.known) return ctx.Refuse("the condition is not known");
      r.floats.push_back(cond.v ? x->floats[a] : y->floats[b]);
    } else if (!cond.known) {
      r.ints.push_back(x->ints[a] == y->ints[b] ? x->ints[a] : SymInt{});
    } else {
      r.ints.push_back(cond.v ? x->ints[a] : y->ints[b]);
    }
  }
  ctx.SetOutputValue(0, std::move(r));
  return true;
}

bool CastTo(OpContext& ctx, DType to) {
  const Value* x = ctx.input_value(0);
  if (!x) return ctx.Refuse("no input");
  if (!Evaluable(to)) return ctx.Refuse("target type not evaluated");
  Value r;
  r.dtype = to;
  r.dims = x->dims;
  const bool to_float = IsFloatDType(to);
  for (size_t i = 0; i < static_cast<size_t>(x->size()); ++i) {
    if (!x->is_float() && !to_float) {
      const SymInt& s = x->ints[i];
      // Integer to integer keeps a symbol (a dim fits any integer type tops evaluates).
      r.ints.push_back(s.known ? SymInt::Of(WrapToDType(to, s.v)) : s);
      continue;
    }
    auto d = x->AsDouble(i);
    if (!d) return ctx.Refuse("an integer element is not known");
    if (to_float) {
      r.floats.push_back(*CastToFloat(to, *d));
    } else {
      auto v = CastToInt(to, *d);
      r.ints.push_back(v ? SymInt::Of(*v) : SymInt{});
    }
  }
  ctx.SetOutputValue(0, std::move(r));
  return true;
}

bool IdentityEval(OpContext& ctx) {
  const Value* x = ctx.input_value(0);
  if (!x) return ctx.Refuse("no input");
  ctx.SetOutputValue(0, *x);
  return true;
}

}  // namespace

void RegisterElementwiseEvaluators(Registry& r) {
  const std::pair<const char*, Bin> binaries[] = {
      {"Add", Bin::kAdd},
      {"Sub", Bin::kSub},
      {"Mul", Bin::kMul},
      {"Div", Bin::kDiv},
      {"Mod", Bin::kMod},
      {"Pow", Bin::kPow},
      {"BitShift", Bin::kBitShift},
      {"BitwiseAnd", Bin::kBitAnd},
      {"BitwiseOr", Bin::kBitOr},
      {"BitwiseXor", Bin::kBitXor},
      {"Equal", Bin::kEqual},
      {"Less", Bin::kLess},
      {"Greater", Bin::kGreater},
      {"LessOrEqual", Bin::kLessEq},
      {"GreaterOrEqual", Bin::kGreaterEq},
      {"And", Bin::kAnd},
      {"Or", Bin::kOr},
      {"Xor", Bin::kXor},
  };
  for (const auto& [op, bin] : binaries) r.SetEvaluator("", op, BinaryEval(bin));
  r.SetEvaluator("", "Sum", VariadicEval(Bin::kAdd, false));
  r.SetEvaluator("", "Mean", VariadicEval(Bin::kAdd, true));
  r.SetEvaluator("", "Max", VariadicEval(Bin::kMax, false));
  r.SetEvaluator("", "Min", VariadicEval(Bin::kMin, false));
  const std::pair<const char*, Un> unaries[] = {
      {"Neg", Un::kNeg},
      {"Abs", Un::kAbs},
      {"Sign", Un::kSign},
      {"Floor", Un::kFloor},
      {"Ceil", Un::kCeil},
      {"Round", Un::kRound},
      {"Sqrt", Un::kSqrt},
      {"Exp", Un::kExp},
      {"Log", Un::kLog},
      {"Relu", Un::kRelu},
      {"Sigmoid", Un::kSigmoid},
      {"Tanh", Un::kTanh},
      {"Sin", Un::kSin},
      {"Cos", Un::kCos},
      {"Erf", Un::kErf},
      {"Not", Un::kNot},
      {"IsNaN", Un::kIsNaN},
      {"IsInf", Un::kIsInf},
      {"Reciprocal", Un::kReciprocal},
      {"BitwiseNot", Un::kBitwiseNot},
  };
  for (const auto& [op, un] : unaries) r.SetEvaluator("", op, UnaryEval(un));
  r.SetEvaluator("", "Clip", ClipEval);
  r.SetEvaluator("", "Where", WhereEval);
  r.SetEvaluator("", "Cast", [](OpContext& ctx) {
    return CastTo(ctx, ctx.node().attr_dtype("to", DType::kUndefined));
  });
  r.SetEvaluator("", "CastLike", [](OpContext& ctx) { return CastTo(ctx, ctx.input_dtype(1)); });
  r.SetEvaluator("", "Identity", IdentityEval);
}

}  // namespace tops
