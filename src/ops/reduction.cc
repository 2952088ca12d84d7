// Reductions. Axes come from the `axes` attribute (ReduceSum before opset 13, the others before
// opset 18) or from the second input afterwards. Costs: one op per input element, plus one per
// output element for the final divide/sqrt/log (ReduceMean, ReduceL2, ReduceLogSum...).
#include <algorithm>

#include "core/checked.h"
#include "ops/registry.h"

namespace tops {
namespace {

bool AxesFromInput(const OpContext& ctx) {
  const std::string& op = ctx.node().op_type;
  return op == "ReduceSum" ? ctx.opset() >= 13 : ctx.opset() >= 18;
}

void ReduceShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  const Node& n = ctx.node();
  const bool keep = n.attr_int("keepdims", 1) != 0;
  std::optional<std::vector<int64_t>> axes;
  bool axes_given = false;
  if (AxesFromInput(ctx) && ctx.num_inputs() > 1 && !n.inputs[1].empty()) {
    axes_given = true;
    axes = ctx.input_ints(1);
    if (!axes) return;  // runtime axes: output unknown
  } else if (auto a = n.attr_ints("axes")) {
    axes_given = true;
    axes = *a;
  }
  const int64_t rank = static_cast<int64_t>(x->rank());
  std::vector<bool> reduce(static_cast<size_t>(rank), false);
  if (!axes_given || axes->empty()) {
    if (n.attr_int("noop_with_empty_axes", 0) != 0) {
      ctx.SetOutput(0, ctx.input_dtype(0), *x);
      return;
    }
    std::fill(reduce.begin(), reduce.end(), true);
  } else {
    for (int64_t a : *axes) {
      auto ax = NormalizeAxis(a, rank);
      if (!ax) {
        ctx.Diag("reduction axis " + std::to_string(a) + " out of range for rank " +
                 std::to_string(rank));
        return;
      }
      reduce[static_cast<size_t>(*ax)] = true;
    }
  }
  std::vector<Dim> out;
  for (int64_t i = 0; i < rank; ++i) {
    if (!reduce[static_cast<size_t>(i)])
      out.push_back(x->dims[static_cast<size_t>(i)]);
    else if (keep)
      out.push_back(Dim::Known(1));
  }
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

void ArgShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  const int64_t rank = static_cast<int64_t>(x->rank());
  auto axis = NormalizeAxis(ctx.node().attr_int("axis", 0), rank);
  if (!axis) {
    ctx.Diag("axis out of range");
    return;
  }
  std::vector<Dim> out = x->dims;
  if (ctx.node().attr_int("keepdims", 1) != 0)
    out[static_cast<size_t>(*axis)] = Dim::Known(1);
  else
    out.erase(out.begin() + *axis);
  ctx.SetOutput(0, DType::kInt64, Shape::Of(std::move(out)));
}

Cost ReduceCost(const OpContext& ctx, int64_t per_in, int64_t per_out) {
  auto in = InputElems(ctx, 0);
  auto out = OutputElems(ctx);
  if (!in || !out) return Cost::Unknown();
  return Cost{0, CheckedAdd(CheckedMul(*in, per_in, "op count"),
                            CheckedMul(*out, per_out, "op count"), "op count")};
}

}  // namespace

void RegisterReductionOps(Registry& r) {
  struct Def {
    const char* op;
    int64_t per_in, per_out;
    const char* formula;
  };
  const Def defs[] = {
      {"ReduceSum", 1, 0, "other = in_elems"},
      {"ReduceMean", 1, 1, "other = in_elems + out_elems"},
      {"ReduceMax", 1, 0, "other = in_elems"},
      {"ReduceMin", 1, 0, "other = in_elems"},
      {"ReduceProd", 1, 0, "other = in_elems"},
      {"ReduceL1", 2, 0, "other = 2 * in_elems"},
      {"ReduceL2", 2, 1, "other = 2 * in_elems + out_elems"},
      {"ReduceSumSquare", 2, 0, "other = 2 * in_elems"},
      {"ReduceLogSum", 1, 1, "other = in_elems + out_elems"},
      {"ReduceLogSumExp", 2, 1, "other = 2 * in_elems + out_elems"},
  };
  for (const Def& d : defs) {
    const int64_t pi = d.per_in, po = d.per_out;
    r.Add({"", d.op, "reduction", d.formula, ReduceShape,
           [pi, po](const OpContext& c) { return ReduceCost(c, pi, po); }},
          ParamInputs({1}));
  }
  r.Add({"", "ArgMax", "reduction", "other = in_elems", ArgShape,
         [](const OpContext& c) { return ReduceCost(c, 1, 0); }});
  r.Add({"", "ArgMin", "reduction", "other = in_elems", ArgShape,
         [](const OpContext& c) { return ReduceCost(c, 1, 0); }});
}

}  // namespace tops
