// Value evaluators of reductions (ONNX operator spec semantics): the Reduce* family with keepdims
// and noop_with_empty_axes (axes an attribute or, from the opset that made it so, an input),
// ArgMax / ArgMin with select_last_index, and CumSum with exclusive and reverse.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "ops/registry.h"

namespace tops {
namespace {

// The axes a reduction runs over: the attribute or (from `input_from` on) the second input.
std::optional<std::vector<bool>> ReducedAxes(OpContext& ctx, int64_t rank, int64_t input_from,
                                             bool* noop) {
  const Node& n = ctx.node();
  std::optional<std::vector<int64_t>> axes;
  *noop = false;
  if (ctx.opset() >= input_from) {
    if (const Value* a = ctx.input_value(1)) {
      axes = a->Ints();
      if (!axes) return std::nullopt;
    }
  } else {
    axes = n.attr_ints("axes");
  }
  std::vector<bool> reduce(static_cast<size_t>(rank), false);
  if (!axes || axes->empty()) {
    if (n.attr_int("noop_with_empty_axes", 0) != 0) *noop = true;
    std::fill(reduce.begin(), reduce.end(), !*noop);
    return reduce;
  }
  for (int64_t a : *axes) {
    auto ax = NormalizeAxis(a, rank);
    if (!ax) return std::nullopt;
    reduce[static_cast<size_t>(*ax)] = true;
  }
  return reduce;
}

enum class Red { kSum, kMean, kMax, kMin, kProd, kL1, kL2, kSumSquare, kLogSum, kLogSumExp };

EvalFn ReduceEval(Red op, int64_t input_from) {
  return [op, input_from](OpContext& ctx) {
    const Value* x = ctx.input_value(0);
    if (!x) return ctx.Refuse("no input");
    const int64_t rank = static_cast<int64_t>(x->dims.size());
    bool noop;
    auto reduce = ReducedAxes(ctx, rank, input_from, &noop);
    if (!reduce) return ctx.Refuse("axes not known");
    const bool keep = ctx.node().attr_int("keepdims", 1) != 0;
    std::vector<int64_t> group_dims = x->dims;  // output coords with reduced axes at 1
    std::vector<int64_t> dims;
    for (size_t d = 0; d < x->dims.size(); ++d) {
      if ((*reduce)[d]) {
        group_dims[d] = 1;
        if (keep) dims.push_back(1);
      } else {
        dims.push_back(x->dims[d]);
      }
    }
    const size_t groups = static_cast<size_t>(*ElemCount(group_dims));
    const std::vector<int64_t> gstrides = Strides(group_dims);
    std::vector<std::vector<size_t>> members(groups);
    size_t k = 0;
    ForEachCoord(x->dims, [&](const std::vector<int64_t>& c) {
      int64_t g = 0;
      for (size_t d = 0; d < c.size(); ++d) {
        if (!(*reduce)[d]) g += c[d] * gstrides[d];
      }
      members[static_cast<size_t>(g)].push_back(k++);
    });
    Value r;
    r.dtype = x->dtype;
    r.dims = dims;
    for (const auto& m : members) {
      if (!x->is_float()) {
        if (op != Red::kSum && op != Red::kProd && op != Red::kMax && op != Red::kMin &&
            op != Red::kSumSquare && op != Red::kL1 && op != Red::kMean) {
          return ctx.Refuse("not evaluated on integers");
        }
        int64_t acc = op == Red::kProd  ? 1
                      : op == Red::kMax ? std::numeric_limits<int64_t>::min()
                      : op == Red::kMin ? std::numeric_limits<int64_t>::max()
                                        : 0;
        bool known = true;
        for (size_t i : m) {
          const SymInt& s = x->ints[i];
          if (!s.known) {
            known = false;
            break;
          }
          const uint64_t a = static_cast<uint64_t>(acc), v = static_cast<uint64_t>(s.v);
          switch (op) {
            case Red::kProd:
              acc = static_cast<int64_t>(a * v);
              break;
            case Red::kMax:
              acc = std::max(acc, s.v);
              break;
            case Red::kMin:
              acc = std::min(acc, s.v);
              break;
            case Red::kSumSquare:
              acc = static_cast<int64_t>(a + v * v);
              break;
            case Red::kL1:
              acc = static_cast<int64_t>(a + (s.v < 0 ? 0 - v : v));
              break;
            default:
              acc = static_cast<int64_t>(a + v);
          }
        }
        if (op == Red::kMean && known) {
          if (m.empty()) return ctx.Refuse("mean of nothing");
          acc /= static_cast<int64_t>(m.size());
        }
        if (noop && known) acc = x->ints[m[0]].v;
        r.ints.push_back(known ? SymInt::Of(WrapToDType(r.dtype, acc)) : SymInt{});
        continue;
      }
      double acc = op == Red::kProd  ? 1
                   : op == Red::kMax ? -std::numeric_limits<double>::infinity()
                   : op == Red::kMin ? std::numeric_limits<double>::infinity()
                                     : 0;
      for (size_t i : m) {
        const double v = x->floats[i];
        switch (op) {
          case Red::kProd:
            acc *= v;
            break;
          case Red::kMax:
            acc = std::isnan(v) || std::isnan(acc) ? std::nan("") : std::max(acc, v);
            break;
          case Red::kMin:
            acc = std::isnan(v) || std::isnan(acc) ? std::nan("") : std::min(acc, v);
            break;
          case Red::kL1:
            acc += std::fabs(v);
            break;
          case Red::kL2:
          case Red::kSumSquare:
            acc += v * v;
            break;
          case Red::kLogSumExp:
            acc += std::exp(v);
            break;
          default:
            acc += v;
        }
      }
      if (op == Red::kMean) acc /= static_cast<double>(m.size());
      if (op == Red::kL2) acc = std::sqrt(acc);
      if (op == Red::kLogSum || op == Red::kLogSumExp) acc = std::log(acc);
      if (noop) acc = x->floats[m[0]];
      r.floats.push_back(RoundToDType(r.dtype, acc));
    }
    ctx.SetOutputValue(0, std::move(r));
    return true;
  };
}

EvalFn ArgEval(bool max) {
  return [max](OpContext& ctx) {
    const Value* x = ctx.input_value(0);
    if (!x || !x->all_known()) return ctx.Refuse("an element is not known");
    const int64_t rank = static_cast<int64_t>(x->dims.size());
    auto axis = NormalizeAxis(ctx.node().attr_int("axis", 0), rank);
    if (!axis) return ctx.Refuse("axis out of range");
    const size_t ax = static_cast<size_t>(*axis);
    const bool last = ctx.node().attr_int("select_last_index", 0) != 0;
    std::vector<int64_t> line_dims = x->dims;
    line_dims[ax] = 1;
    const std::vector<int64_t> strides = Strides(x->dims);
    Value r;
    r.dtype = DType::kInt64;
    for (size_t d = 0; d < x->dims.size(); ++d) {
      if (d != ax) r.dims.push_back(x->dims[d]);
      if (d == ax && ctx.node().attr_int("keepdims", 1) != 0) r.dims.push_back(1);
    }
    ForEachCoord(line_dims, [&](const std::vector<int64_t>& c) {
      const int64_t base = FlatIndex(c, strides);
      int64_t best = 0;
      for (int64_t i = 1; i < x->dims[ax]; ++i) {
        const double v = *x->AsDouble(static_cast<size_t>(base + i * strides[ax]));
        const double b = *x->AsDouble(static_cast<size_t>(base + best * strides[ax]));
        if (max ? (v > b || (last && v == b)) : (v < b || (last && v == b))) best = i;
      }
      r.ints.push_back(SymInt::Of(best));
    });
    if (x->dims[ax] == 0) return ctx.Refuse("empty axis");
    ctx.SetOutputValue(0, std::move(r));
    return true;
  };
}

bool CumSumEval(OpContext& ctx) {
  const Value* x = ctx.input_value(0);
  const Value* a = ctx.input_value(1);
  if (!x || !a || a->size() != 1 || !a->AsInt(0)) return ctx.Refuse("axis not known");
  auto axis = NormalizeAxis(*a->AsInt(0), static_cast<int64_t>(x->dims.size()));
  if (!axis) return ctx.Refuse("axis out of range");
  const size_t ax = static_cast<size_t>(*axis);
  const bool exclusive = ctx.node().attr_int("exclusive", 0) != 0;
  const bool reverse = ctx.node().attr_int("reverse", 0) != 0;
  std::vector<int64_t> line_dims = x->dims;
  line_dims[ax] = 1;
  const std::vector<int64_t> strides = Strides(x->dims);
  Value r = *x;
  const int64_t n = x->dims[ax];
  ForEachCoord(line_dims, [&](const std::vector<int64_t>& c) {
    const int64_t base = FlatIndex(c, strides);
    double facc = 0;
    SymInt iacc = SymInt::Of(0);
    for (int64_t j = 0; j < n; ++j) {
      const int64_t i = reverse ? n - 1 - j : j;
      const size_t at = static_cast<size_t>(base + i * strides[ax]);
      if (r.is_float()) {
        const double v = x->floats[at];
        if (exclusive) {
          r.floats[at] = facc;
          facc = RoundToDType(r.dtype, facc + v);
        } else {
          facc = RoundToDType(r.dtype, facc + v);
          r.floats[at] = facc;
        }
        continue;
      }
      const SymInt& v = x->ints[at];
      SymInt next =
          iacc.known && v.known
              ? SymInt::Of(WrapToDType(r.dtype, static_cast<int64_t>(static_cast<uint64_t>(iacc.v) +
                                                                     static_cast<uint64_t>(v.v))))
              : SymInt{};
      r.ints[at] = exclusive ? iacc : next;
      iacc = next;
    }
  });
  ctx.SetOutputValue(0, std::move(r));
  return true;
}

}  // namespace

void RegisterReductionEvaluators(Registry& r) {
  r.SetEvaluator("", "CumSum", CumSumEval);
  const std::pair<const char*, Red> reductions[] = {
      {"ReduceSum", Red::kSum},       {"ReduceMean", Red::kMean},
      {"ReduceMax", Red::kMax},       {"ReduceMin", Red::kMin},
      {"ReduceProd", Red::kProd},     {"ReduceL1", Red::kL1},
      {"ReduceL2", Red::kL2},         {"ReduceSumSquare", Red::kSumSquare},
      {"ReduceLogSum", Red::kLogSum}, {"ReduceLogSumExp", Red::kLogSumExp},
  };
  for (const auto& [op, red] : reductions) {
    // Axes became an input in opset 13 for ReduceSum, in opset 18 for the others.
    r.SetEvaluator("", op, ReduceEval(red, red == Red::kSum ? 13 : 18));
  }
  r.SetEvaluator("", "ArgMax", ArgEval(true));
  r.SetEvaluator("", "ArgMin", ArgEval(false));
}

}  // namespace tops
