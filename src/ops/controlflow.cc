// Control flow (ONNX If-21, Loop-21, Scan-21). Bodies are inferred by the walker's subgraph
// runner with the enclosing scopes visible. Costs:
// - If: the branch taken when the condition is a load-time constant; otherwise the costlier
//   branch (by MACs, then other ops), said so in a diagnostic.
// - Loop: body cost * trip count, the trip count being the constant M (an upper bound when a
//   condition can end the loop earlier); unknown M gives the data-dependent dim "<node>:trips".
// - Scan: body cost * sequence length (the scanned axis of the first scan input).
#include <algorithm>

#include "core/checked.h"
#include "ops/registry.h"

namespace tops {

// Loop-carried and branch values lose their folded contents: they change between iterations.
ValueState ShapeOnly(const ValueState& v) {
  ValueState s;
  s.present = v.present;
  s.dtype = v.dtype;
  s.shape = v.shape;
  s.shape_loss = v.shape_loss;
  return s;
}

// Dim-wise agreement of two shapes; differing dims become unknown. With `prefer_known` (a
// loop-carried value, taken to be loop-invariant unless the body proves otherwise), a dim the
// body leaves unknown keeps its known initial size.
ValueState MergeStates(const ValueState& a, const ValueState& b, bool prefer_known) {
  if (!a.present) return b;
  if (!b.present) return a;
  ValueState s = ShapeOnly(a);
  if (prefer_known && !b.shape.rank_known) return s;
  if (!a.shape.rank_known || !b.shape.rank_known || a.shape.rank() != b.shape.rank()) {
    s.shape = Shape::Unknown();
    return s;
  }
  for (size_t i = 0; i < s.shape.rank(); ++i) {
    const Dim& da = a.shape.dims[i];
    const Dim& db = b.shape.dims[i];
    if (da == db) continue;
    s.shape.dims[i] = prefer_known && !db.known() && !db.symbolic() ? da : Dim::Unknown();
  }
  return s;
}

bool Costlier(const Cost& a, const Cost& b) {
  if (!a.macs || !a.other_ops) return true;  // unknown wins: never under-count silently
  if (!b.macs || !b.other_ops) return false;
  return *a.macs != *b.macs ? *a.macs > *b.macs : *a.other_ops > *b.other_ops;
}

void CostlierBranch(OpContext& ctx, const SubgraphResult& t, const SubgraphResult& e) {
  for (size_t i = 0; i < ctx.num_outputs(); ++i) {
    const ValueState none;
    ctx.output(i) = MergeStates(i < t.outputs.size() ? t.outputs[i] : none,
                                i < e.outputs.size() ? e.outputs[i] : none);
  }
  const bool then_costlier = Costlier(t.cost, e.cost);
  ctx.set_subgraph_cost(then_costlier ? t.cost : e.cost);
  ctx.Diag(std::string("condition not known at load time: counting the costlier branch (") +
           (then_costlier ? "then" : "else") + ")");
}

Cost CostTimes(const Cost& c, const Dim& n) {
  if (!c.macs || !c.other_ops || !n.known()) return Cost::Unknown();
  return Cost{CheckedMul(*c.macs, n.value, "MACs"), CheckedMul(*c.other_ops, n.value, "ops")};
}

const Graph* GraphAttr(const Node& n, const char* name) {
  const Attribute* a = n.attr(name);
  return a && !a->graphs.empty() ? a->graphs[0].get() : nullptr;
}

namespace {

void IfShape(OpContext& ctx) {
  const Graph* then_g = GraphAttr(ctx.node(), "then_branch");
  const Graph* else_g = GraphAttr(ctx.node(), "else_branch");
  const SubgraphRunner* run = ctx.subgraph_runner();
  if (!then_g || !else_g || !run) {
    ctx.Diag("If without then_branch/else_branch");
    return;
  }
  std::optional<bool> cond;
  if (auto c = ctx.input_ints(0); c && c->size() == 1) cond = (*c)[0] != 0;
  if (cond) {
    SubgraphResult taken = (*run)(*cond ? *then_g : *else_g, {});
    for (size_t i = 0; i < ctx.num_outputs() && i < taken.outputs.size(); ++i) {
      ctx.output(i) = taken.outputs[i];
      ctx.output(i).is_weight = false;
    }
    ctx.set_subgraph_cost(taken.cost);
    return;
  }
  CostlierBranch(ctx, (*run)(*then_g, {}), (*run)(*else_g, {}));
}

// Loop inputs: M, cond, v_initial...; body inputs: iteration_num, cond_in, v...; body outputs:
// cond_out, v..., scan_outputs...; node outputs: v_final..., scan_outputs stacked on axis 0.
void LoopShape(OpContext& ctx) {
  const Graph* body = GraphAttr(ctx.node(), "body");
  const SubgraphRunner* run = ctx.subgraph_runner();
  if (!body || !run) {
    ctx.Diag("Loop without a body");
    return;
  }
  Dim trips = ctx.DataDependentDim("trips");
  if (auto m = ctx.input_ints(0); m && m->size() == 1) {
    trips = Dim::Known(std::max<int64_t>(0, (*m)[0]));
    if (ctx.input(1)) {
      auto c = ctx.input_ints(1);
      if (c && c->size() == 1 && (*c)[0] == 0) trips = Dim::Known(0);
    }
  }
  const size_t carried = ctx.num_inputs() > 2 ? ctx.num_inputs() - 2 : 0;
  std::vector<ValueState> inputs(2 + carried);
  inputs[0].present = true;
  inputs[0].dtype = DType::kInt64;
  inputs[0].shape = Shape::Of({});
  inputs[1].present = true;
  inputs[1].dtype = DType::kBool;
  inputs[1].shape = Shape::Of({});
  for (size_t i = 0; i < carried; ++i) {
    if (const ValueState* v = ctx.input(2 + i)) inputs[2 + i] = ShapeOnly(*v);
  }
  SubgraphResult r = (*run)(*body, inputs);
  for (size_t i = 0; i < ctx.num_outputs(); ++i) {
    const size_t bi = i + 1;  // body output 0 is the condition
    if (bi >= r.outputs.size()) break;
    if (i < carried) {
      // A carried value keeps the shape both before and after an iteration agree on.
      const ValueState* init = ctx.input(2 + i);
      ctx.output(i) =
          init ? MergeStates(ShapeOnly(*init), r.outputs[bi], true) : ShapeOnly(r.outputs[bi]);
    } else {
      ValueState s = ShapeOnly(r.outputs[bi]);
      if (s.shape.rank_known) s.shape.dims.insert(s.shape.dims.begin(), trips);
      ctx.output(i) = std::move(s);
    }
  }
  if (!trips.known()) {
    ctx.Diag("Loop trip count known only at run time: bind it with --dim " + trips.symbol + "=N");
  } else if (ctx.input(1)) {
    ctx.Diag("Loop has a condition: counting " + std::to_string(trips.value) +
             " iterations (the upper bound M)");
  }
  ctx.set_subgraph_cost(CostTimes(r.cost, trips));
}

// Scan-8: inputs are sequence_lens (optional), N states and M scan inputs, all with a leading
// batch axis; scan inputs are scanned along axis 1. The body sees neither axis.
void Scan8Shape(OpContext& ctx, const Graph& body, const SubgraphRunner& run) {
  const int64_t m = ctx.node().attr_int("num_scan_inputs", 0);
  const int64_t total = static_cast<int64_t>(ctx.num_inputs()) - 1;
  if (m <= 0 || m > total) {
    ctx.Diag("Scan num_scan_inputs out of range");
    return;
  }
  const size_t states = static_cast<size_t>(total - m);
  std::vector<ValueState> inputs(static_cast<size_t>(total));
  Dim batch = Dim::Unknown(), seq = Dim::Unknown();
  for (size_t i = 0; i < inputs.size(); ++i) {
    const ValueState* v = ctx.input(i + 1);
    if (!v || !v->shape.rank_known) continue;
    const size_t drop = i < states ? 1 : 2;
    if (v->shape.rank() < drop) return;
    inputs[i] = ShapeOnly(*v);
    batch = v->shape.dims[0];
    if (i == states) seq = v->shape.dims[1];
    inputs[i].shape.dims.erase(inputs[i].shape.dims.begin(),
                               inputs[i].shape.dims.begin() + static_cast<int64_t>(drop));
  }
  SubgraphResult r = run(body, inputs);
  for (size_t i = 0; i < ctx.num_outputs() && i < r.outputs.size(); ++i) {
    ValueState s = ShapeOnly(r.outputs[i]);
    if (s.shape.rank_known) {
      if (i >= states) s.shape.dims.insert(s.shape.dims.begin(), seq);
      s.shape.dims.insert(s.shape.dims.begin(), batch);
    }
    ctx.output(i) = std::move(s);
  }
  const Cost per_seq = CostTimes(r.cost, seq);
  ctx.set_subgraph_cost(CostTimes(per_seq, batch));
}

// Scan-9+: inputs are N initial states then M scan inputs; the body sees one slice per
// iteration. Outputs: N final states, then K scan outputs with the sequence axis inserted.
void ScanShape(OpContext& ctx) {
  const Graph* body = GraphAttr(ctx.node(), "body");
  const SubgraphRunner* run = ctx.subgraph_runner();
  if (!body || !run) {
    ctx.Diag("Scan without a body");
    return;
  }
  if (ctx.opset() < 9) return Scan8Shape(ctx, *body, *run);
  const Node& n = ctx.node();
  const int64_t m = n.attr_int("num_scan_inputs", 0);
  const int64_t total = static_cast<int64_t>(ctx.num_inputs());
  if (m <= 0 || m > total) {
    ctx.Diag("Scan num_scan_inputs out of range");
    return;
  }
  const size_t states = static_cast<size_t>(total - m);
  const auto in_axes = n.attr_ints("scan_input_axes").value_or(std::vector<int64_t>{});
  const auto out_axes = n.attr_ints("scan_output_axes").value_or(std::vector<int64_t>{});
  std::vector<ValueState> inputs(static_cast<size_t>(total));
  Dim seq = Dim::Unknown();
  for (size_t i = 0; i < static_cast<size_t>(total); ++i) {
    const ValueState* v = ctx.input(i);
    if (!v) continue;
    inputs[i] = ShapeOnly(*v);
    if (i < states || !v->shape.rank_known) continue;
    const size_t k = i - states;
    auto axis =
        NormalizeAxis(k < in_axes.size() ? in_axes[k] : 0, static_cast<int64_t>(v->shape.rank()));
    if (!axis) {
      ctx.Diag("Scan input axis out of range");
      return;
    }
    if (k == 0) seq = v->shape.dims[static_cast<size_t>(*axis)];
    inputs[i].shape.dims.erase(inputs[i].shape.dims.begin() + *axis);
  }
  SubgraphResult r = (*run)(*body, inputs);
  for (size_t i = 0; i < ctx.num_outputs() && i < r.outputs.size(); ++i) {
    ValueState s = ShapeOnly(r.outputs[i]);
    if (i >= states && s.shape.rank_known) {
      const size_t k = i - states;
      auto axis = NormalizeAxis(k < out_axes.size() ? out_axes[k] : 0,
                                static_cast<int64_t>(s.shape.rank()) + 1);
      if (!axis) {
        ctx.Diag("Scan output axis out of range");
        return;
      }
      s.shape.dims.insert(s.shape.dims.begin() + *axis, seq);
    }
    ctx.output(i) = std::move(s);
  }
  ctx.set_subgraph_cost(CostTimes(r.cost, seq));
}

Cost SubgraphCost(const OpContext& ctx) { return ctx.subgraph_cost().value_or(Cost::Unknown()); }

}  // namespace

void RegisterControlFlowOps(Registry& r) {
  r.Add({"", "If", "controlflow",
         "cost of the branch taken (constant condition), else of the costlier branch", IfShape,
         SubgraphCost});
  r.Add({"", "Loop", "controlflow", "body cost * trip count (M; <node>:trips when unknown)",
         LoopShape, SubgraphCost});
  r.Add({"", "Scan", "controlflow", "body cost * sequence length", ScanShape, SubgraphCost});
}

}  // namespace tops
