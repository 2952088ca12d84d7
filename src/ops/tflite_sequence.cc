// TFLite recurrent layers and control flow.
//
// Recurrent layers count like ONNX's (rnn.cc): each step multiplies the input by its weights
// and the state by the recurrent weights, MACs = steps * batch * gates * cell * (input +
// output), plus the projection (output * cell) when there is one; other ops per step, batch row
// and cell: the gate arithmetic of ONNX LSTM (18), one bias add per gate, 2 per peephole. Input
// positions from the TFLite operator reference: LSTM / UNIDIRECTIONAL_SEQUENCE_LSTM 0 input,
// 1-4 input-to-{input, forget, cell, output} weights (input-to-input absent with CIFG), 5-8
// recurrent weights, 9-11 peepholes, 12-15 gate biases, 16-17 projection weights and bias;
// RNN 0 input, 1 weights, 2 recurrent weights, 3 bias.
//
// Control flow (IF, WHILE, CALL, CALL_ONCE) walks the subgraphs with the same inference as the
// model; IF counts the branch taken (constant condition) or the costlier one, WHILE the body and
// condition times the trip count (<node>:trips, bound with --dim), CALL its subgraph, CALL_ONCE
// nothing per inference (it runs once, at initialisation).
#include "core/checked.h"
#include "ops/tflite_common.h"

namespace tops::tfl {
namespace {

Dim At(const Shape* s, size_t i) {
  return s && s->rank_known && i < s->rank() ? s->dims[i] : Dim::Unknown();
}

struct Seq {
  Dim steps = Dim::Known(1), batch, input;
  bool time_major = true;
};

// The input's steps, batch and features: [batch, input] for the single-step cells,
// [time, batch, input] (time_major) or [batch, time, input] for the sequence ops.
std::optional<Seq> SeqOf(const OpContext& ctx, bool sequence, bool time_major_default) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return std::nullopt;
  Seq s;
  if (!sequence) {
    if (x->rank() != 2) return std::nullopt;
    s.batch = x->dims[0];
    s.input = x->dims[1];
    return s;
  }
  if (x->rank() != 3) return std::nullopt;
  s.time_major = ctx.node().attr_int("time_major", time_major_default ? 1 : 0) != 0;
  s.steps = x->dims[s.time_major ? 0 : 1];
  s.batch = x->dims[s.time_major ? 1 : 0];
  s.input = x->dims[2];
  return s;
}

Shape OutShape(const Seq& s, bool sequence, const Dim& features) {
  if (!sequence) return Shape::Of({s.batch, features});
  return s.time_major ? Shape::Of({s.steps, s.batch, features})
                      : Shape::Of({s.batch, s.steps, features});
}

// One LSTM direction whose input-to-forget weights are input `base` + 1 (so `base` is the
// input-to-input weights): cell units, output units (projection rows when projected).
struct LstmDir {
  Dim cell, out;
  int64_t gates = 4;
  bool projected = false, peephole = false;
};

LstmDir ReadLstm(const OpContext& ctx, size_t base) {
  LstmDir d;
  d.cell = At(ctx.input_shape(base + 1), 0);  // input_to_forget [cell, input]
  d.out = At(ctx.input_shape(base + 5), 1);   // recurrent_to_input/forget [cell, output]
  if (!d.out.known()) d.out = At(ctx.input_shape(base + 6), 1);
  d.gates = ctx.input(base) ? 4 : 3;  // CIFG couples input and forget gates
  d.projected = ctx.input(base + 15) != nullptr;
  if (d.projected) d.out = At(ctx.input_shape(base + 15), 0);
  d.peephole = ctx.input(base + 9) || ctx.input(base + 10);
  return d;
}

std::optional<Cost> LstmDirCost(const Seq& s, const LstmDir& d, const Dim& recurrent_in) {
  if (!s.steps.known() || !s.batch.known() || !s.input.known() || !d.cell.known() ||
      !d.out.known() || !recurrent_in.known()) {
    return std::nullopt;
  }
  const int64_t rows = CheckedMul(s.steps.value, s.batch.value, "MACs");
  const int64_t per_row =
      CheckedAdd(CheckedMul(CheckedMul(d.gates, d.cell.value, "MACs"),
                            s.input.value + recurrent_in.value, "MACs"),
                 d.projected ? CheckedMul(d.out.value, d.cell.value, "MACs") : 0, "MACs");
  const int64_t per_cell = 18 + d.gates + (d.peephole ? 6 : 0);
  return Cost{CheckedMul(rows, per_row, "MACs"),
              CheckedMul(CheckedMul(rows, d.cell.value, "ops"), per_cell, "ops")};
}

template <bool kSequence>
void LstmShape(OpContext& ctx) {
  auto s = SeqOf(ctx, kSequence, false);
  if (!s) return;
  const LstmDir d = ReadLstm(ctx, 1);
  ctx.SetOutput(0, ctx.input_dtype(0), OutShape(*s, kSequence, d.out));
}

template <bool kSequence>
Cost LstmCost(const OpContext& ctx) {
  auto s = SeqOf(ctx, kSequence, false);
  if (!s) return Cost::Unknown();
  const LstmDir d = ReadLstm(ctx, 1);
  return LstmDirCost(*s, d, d.out).value_or(Cost::Unknown());
}

// BIDIRECTIONAL_SEQUENCE_LSTM: forward weights at 1-17, backward at 18-34 (same order);
// outputs fw [.., fw_out] and bw, or one [.., fw_out + bw_out] with merge_outputs.
void BiLstmShape(OpContext& ctx) {
  auto s = SeqOf(ctx, true, true);
  if (!s) return;
  const LstmDir fw = ReadLstm(ctx, 1), bw = ReadLstm(ctx, 18);
  const DType t = ctx.input_dtype(0);
  if (ctx.node().attr_int("merge_outputs", 0) != 0) {
    const Dim both =
        fw.out.known() && bw.out.known() ? Dim::Known(fw.out.value + bw.out.value) : Dim::Unknown();
    ctx.SetOutput(0, t, OutShape(*s, true, both));
    return;
  }
  ctx.SetOutput(0, t, OutShape(*s, true, fw.out));
  ctx.SetOutput(1, t, OutShape(*s, true, bw.out));
}

Cost BiLstmCost(const OpContext& ctx) {
  auto s = SeqOf(ctx, true, true);
  if (!s) return Cost::Unknown();
  const LstmDir fw = ReadLstm(ctx, 1), bw = ReadLstm(ctx, 18);
  auto a = LstmDirCost(*s, fw, fw.out);
  auto b = LstmDirCost(*s, bw, bw.out);
  if (!a || !b) return Cost::Unknown();
  return Cost{CheckedAdd(*a->macs, *b->macs, "MACs"),
              CheckedAdd(*a->other_ops, *b->other_ops, "ops")};
}

// RNN / UNIDIRECTIONAL_SEQUENCE_RNN: weights [units, input], recurrent [units, units].
template <bool kSequence>
void RnnShape(OpContext& ctx) {
  auto s = SeqOf(ctx, kSequence, true);
  if (!s) return;
  ctx.SetOutput(0, ctx.input_dtype(0), OutShape(*s, kSequence, At(ctx.input_shape(1), 0)));
  if (!kSequence && ctx.num_outputs() > 1) {
    ctx.SetOutput(1, ctx.input_dtype(0), Shape::Of({s->batch, At(ctx.input_shape(1), 0)}));
  }
}

std::optional<Cost> RnnDirCost(const OpContext& ctx, const Seq& s, size_t weights) {
  const Dim units = At(ctx.input_shape(weights), 0);
  if (!s.steps.known() || !s.batch.known() || !s.input.known() || !units.known()) {
    return std::nullopt;
  }
  const int64_t rows = CheckedMul(s.steps.value, s.batch.value, "MACs");
  const int64_t cells = CheckedMul(rows, units.value, "MACs");
  return Cost{CheckedMul(cells, s.input.value + units.value, "MACs"),
              CheckedMul(cells, 1 + FusedActivationOps(ctx), "ops")};
}

template <bool kSequence>
Cost RnnCost(const OpContext& ctx) {
  auto s = SeqOf(ctx, kSequence, true);
  if (!s) return Cost::Unknown();
  return RnnDirCost(ctx, *s, 1).value_or(Cost::Unknown());
}

// BIDIRECTIONAL_SEQUENCE_RNN: 0 input, 1-4 forward weights / recurrent / bias / state, 5-8 the
// backward ones.
void BiRnnShape(OpContext& ctx) {
  auto s = SeqOf(ctx, true, true);
  if (!s) return;
  const Dim fw = At(ctx.input_shape(1), 0), bw = At(ctx.input_shape(5), 0);
  const DType t = ctx.input_dtype(0);
  if (ctx.node().attr_int("merge_outputs", 0) != 0) {
    ctx.SetOutput(
        0, t,
        OutShape(*s, true,
                 fw.known() && bw.known() ? Dim::Known(fw.value + bw.value) : Dim::Unknown()));
    return;
  }
  ctx.SetOutput(0, t, OutShape(*s, true, fw));
  ctx.SetOutput(1, t, OutShape(*s, true, bw));
}

Cost BiRnnCost(const OpContext& ctx) {
  auto s = SeqOf(ctx, true, true);
  if (!s) return Cost::Unknown();
  auto a = RnnDirCost(ctx, *s, 1);
  auto b = RnnDirCost(ctx, *s, 5);
  if (!a || !b) return Cost::Unknown();
  return Cost{CheckedAdd(*a->macs, *b->macs, "MACs"),
              CheckedAdd(*a->other_ops, *b->other_ops, "ops")};
}

// SVDF (input [batch, input], weights_feature [filters, input], weights_time [filters, memory],
// bias [units], state): output [batch, units], units = filters / rank.
void SvdfShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  const Dim filters = At(ctx.input_shape(1), 0);
  const int64_t rank = ctx.node().attr_int("rank", 1);
  if (!x || x->rank() != 2) return;
  const Dim units = filters.known() && rank > 0 ? Dim::Known(filters.value / rank) : Dim::Unknown();
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of({x->dims[0], units}));
}

Cost SvdfCost(const OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  const Shape* wt = ctx.input_shape(2);
  auto out = OutputElems(ctx);
  if (!x || x->rank() != 2 || !x->fully_known() || !wt || wt->rank() != 2 || !wt->fully_known() ||
      !out) {
    return Cost::Unknown();
  }
  const int64_t batch = x->dims[0].value, input = x->dims[1].value;
  const int64_t filters = wt->dims[0].value, memory = wt->dims[1].value;
  const int64_t macs = CheckedMul(CheckedMul(batch, filters, "MACs"), input + memory, "MACs");
  const int64_t rank = std::max<int64_t>(1, ctx.node().attr_int("rank", 1));
  const int64_t per_out = rank + (ctx.input(3) ? 1 : 0) + FusedActivationOps(ctx);
  return Cost{macs, CheckedMul(*out, per_out, "ops")};
}

std::vector<ValueState> InputsFrom(const OpContext& ctx, size_t first) {
  std::vector<ValueState> v;
  for (size_t i = first; i < ctx.num_inputs(); ++i) {
    const ValueState* s = ctx.input(i);
    v.push_back(s ? *s : ValueState{});
  }
  return v;
}

Cost Plus(const Cost& a, const Cost& b) {
  if (!a.macs || !a.other_ops || !b.macs || !b.other_ops) return Cost::Unknown();
  return Cost{CheckedAdd(*a.macs, *b.macs, "MACs"), CheckedAdd(*a.other_ops, *b.other_ops, "ops")};
}

// IF (cond, inputs...): both branches take the inputs after the condition.
void IfShape(OpContext& ctx) {
  const Graph* then_g = GraphAttr(ctx.node(), "then_subgraph");
  const Graph* else_g = GraphAttr(ctx.node(), "else_subgraph");
  const SubgraphRunner* run = ctx.subgraph_runner();
  if (!then_g || !else_g || !run) return ctx.Diag("IF without then / else subgraphs");
  const std::vector<ValueState> inputs = InputsFrom(ctx, 1);
  if (auto c = ctx.input_ints(0); c && c->size() == 1) {
    SubgraphResult taken = (*run)((*c)[0] != 0 ? *then_g : *else_g, inputs);
    for (size_t i = 0; i < ctx.num_outputs() && i < taken.outputs.size(); ++i) {
      ctx.output(i) = ShapeOnly(taken.outputs[i]);
    }
    ctx.set_subgraph_cost(taken.cost);
    return;
  }
  CostlierBranch(ctx, (*run)(*then_g, inputs), (*run)(*else_g, inputs));
}

// WHILE (vars...): cond(vars) -> bool, body(vars) -> vars; the outputs are the final vars.
void WhileShape(OpContext& ctx) {
  const Graph* cond = GraphAttr(ctx.node(), "cond_subgraph");
  const Graph* body = GraphAttr(ctx.node(), "body_subgraph");
  const SubgraphRunner* run = ctx.subgraph_runner();
  if (!cond || !body || !run) return ctx.Diag("WHILE without cond / body subgraphs");
  std::vector<ValueState> vars;
  for (const ValueState& v : InputsFrom(ctx, 0)) vars.push_back(ShapeOnly(v));
  SubgraphResult b = (*run)(*body, vars);
  SubgraphResult c = (*run)(*cond, vars);
  for (size_t i = 0; i < ctx.num_outputs(); ++i) {
    const ValueState none;
    ctx.output(i) = MergeStates(i < vars.size() ? vars[i] : none,
                                i < b.outputs.size() ? b.outputs[i] : none, true);
  }
  const Dim trips = ctx.DataDependentDim("trips");
  if (!trips.known()) {
    ctx.Diag("WHILE trip count known only at run time: bind it with --dim " + trips.symbol + "=N");
    ctx.set_subgraph_cost(Cost::Unknown());
    return;
  }
  // The condition runs once more than the body.
  ctx.set_subgraph_cost(Plus(CostTimes(Plus(b.cost, c.cost), trips), c.cost));
}

// STABLEHLO_CASE (index, inputs...): the branch the index names runs (an index out of range
// runs the last branch, as the StableHLO specification says); with an index known only at run
// time, the costliest branch is counted and a diagnostic says which.
void CaseShape(OpContext& ctx) {
  const Attribute* a = ctx.node().attr("branch_subgraphs");
  const SubgraphRunner* run = ctx.subgraph_runner();
  if (!a || a->graphs.empty() || !run) return ctx.Diag("STABLEHLO_CASE without branch subgraphs");
  const std::vector<ValueState> inputs = InputsFrom(ctx, 1);
  const int64_t n = static_cast<int64_t>(a->graphs.size());
  if (auto c = ctx.input_ints(0); c && c->size() == 1) {
    const int64_t k = (*c)[0] < 0 || (*c)[0] >= n ? n - 1 : (*c)[0];
    SubgraphResult taken = (*run)(*a->graphs[static_cast<size_t>(k)], inputs);
    for (size_t i = 0; i < ctx.num_outputs() && i < taken.outputs.size(); ++i) {
      ctx.output(i) = ShapeOnly(taken.outputs[i]);
    }
    ctx.set_subgraph_cost(taken.cost);
    return;
  }
  std::vector<SubgraphResult> results;
  size_t costliest = 0;
  for (const auto& g : a->graphs) {
    results.push_back((*run)(*g, inputs));
    if (Costlier(results.back().cost, results[costliest].cost)) costliest = results.size() - 1;
  }
  for (size_t i = 0; i < ctx.num_outputs(); ++i) {
    const ValueState none;
    ValueState merged = i < results[0].outputs.size() ? results[0].outputs[i] : none;
    for (size_t b = 1; b < results.size(); ++b) {
      merged = MergeStates(merged, i < results[b].outputs.size() ? results[b].outputs[i] : none);
    }
    ctx.output(i) = merged;
  }
  ctx.set_subgraph_cost(results[costliest].cost);
  ctx.Diag("branch index not known at load time: counting the costliest branch (" +
           std::to_string(costliest) + " of " + std::to_string(n) + ")");
}

// CALL (inputs...): the subgraph named by the `subgraph` option, once. STABLEHLO_COMPOSITE
// runs its decomposition the same way.
template <const char* kAttr>
void CallShape(OpContext& ctx) {
  const Graph* g = GraphAttr(ctx.node(), kAttr);
  const SubgraphRunner* run = ctx.subgraph_runner();
  if (!g || !run) return ctx.Diag(ctx.node().op_type + " without a subgraph");
  SubgraphResult r = (*run)(*g, InputsFrom(ctx, 0));
  for (size_t i = 0; i < ctx.num_outputs() && i < r.outputs.size(); ++i) {
    ctx.output(i) = ShapeOnly(r.outputs[i]);
  }
  ctx.set_subgraph_cost(r.cost);
}

// CALL_ONCE: the initialisation subgraph (hash tables, variables) is walked for its
// diagnostics; it runs once per interpreter, so nothing is counted per inference.
void CallOnceShape(OpContext& ctx) {
  const Graph* g = GraphAttr(ctx.node(), "init_subgraph");
  const SubgraphRunner* run = ctx.subgraph_runner();
  if (!g || !run) return ctx.Diag("CALL_ONCE without an init subgraph");
  (*run)(*g, {});
  ctx.set_subgraph_cost(Cost::Zero());
}

constexpr char kCallAttr[] = "subgraph";
constexpr char kCompositeAttr[] = "decomposition_subgraph";

}  // namespace

Cost SubgraphCost(const OpContext& ctx) { return ctx.subgraph_cost().value_or(Cost::Unknown()); }

void RegisterSequenceFamily(Registry& r) {
  const char* kFamily = "tflite_sequence";
  const std::string lstm =
      "MACs = steps * batch * gates * cell * (input + output) (+ output * cell if projected); "
      "other = steps * batch * cell * (18 + gates, + 6 with peepholes)";
  Add(r, "LSTM", kFamily, lstm + " (steps = 1)", LstmShape<false>, LstmCost<false>);
  Add(r, "UNIDIRECTIONAL_SEQUENCE_LSTM", kFamily, lstm, LstmShape<true>, LstmCost<true>);
  Add(r, "BIDIRECTIONAL_SEQUENCE_LSTM", kFamily, lstm + ", both directions", BiLstmShape,
      BiLstmCost);
  const std::string rnn =
      "MACs = steps * batch * units * (input + units); other = steps * batch * units * (1 + "
      "fused activation)";
  Add(r, "RNN", kFamily, rnn + " (steps = 1)", RnnShape<false>, RnnCost<false>);
  Add(r, "UNIDIRECTIONAL_SEQUENCE_RNN", kFamily, rnn, RnnShape<true>, RnnCost<true>);
  Add(r, "BIDIRECTIONAL_SEQUENCE_RNN", kFamily, rnn + ", both directions", BiRnnShape, BiRnnCost);
  Add(r, "SVDF", kFamily,
      "MACs = batch * filters * (input + memory); other = out_elems * (rank + bias + fused "
      "activation)",
      SvdfShape, SvdfCost);
  Add(r, "IF", kFamily, "cost of the branch taken (constant condition), else of the costlier",
      IfShape, SubgraphCost);
  Add(r, "WHILE", kFamily, "(body + cond) * trips + cond; trips is <node>:trips (bind with --dim)",
      WhileShape, SubgraphCost);
  Add(r, "STABLEHLO_WHILE", kFamily,
      "(body + cond) * trips + cond; trips is <node>:trips (bind with --dim)", WhileShape,
      SubgraphCost);
  Add(r, "CALL", kFamily, "cost of the called subgraph", CallShape<kCallAttr>, SubgraphCost);
  Add(r, "STABLEHLO_CASE", kFamily,
      "cost of the branch the index names (a load-time constant), else of the costliest", CaseShape,
      SubgraphCost);
  Add(r, "STABLEHLO_COMPOSITE", kFamily, "cost of the decomposition subgraph",
      CallShape<kCompositeAttr>, SubgraphCost);
  Add(r, "CALL_ONCE", kFamily, "nothing per inference (runs once, at initialisation)",
      CallOnceShape, SubgraphCost);
}

}  // namespace tops::tfl
