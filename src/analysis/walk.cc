// The graph walk (walk.h): the same code for the main graph and every body.
#include "analysis/walk.h"

#include <algorithm>
#include <bit>
#include <functional>
#include <limits>
#include <unordered_set>

#include "core/checked.h"
#include "tops/error.h"

namespace tops {
namespace {

constexpr int kMaxSubgraphDepth = 16;  // nested If/Loop bodies; deeper nesting is not walked

std::string OpKey(const Node& n) {
  return n.domain.empty() ? n.op_type : n.domain + "::" + n.op_type;
}

int Depth(const Scope& s) {
  int d = 0;
  for (const Scope* p = s.parent; p; p = p->parent) ++d;
  return d;
}

// A tensor whose size overflows int64 (a hostile 2^62-element shape) has unknown bytes; the
// reason goes to *overflow so the node that holds it can say so.
std::optional<int64_t> BytesOf(const ValueState& v, std::string* overflow = nullptr) {
  if (!v.present || DTypeBits(v.dtype) == 0) return std::nullopt;
  try {
    auto n = v.shape.elems();
    if (!n) return std::nullopt;
    return DTypeBytes(v.dtype, *n);
  } catch (const Error& e) {
    if (overflow) *overflow = e.what();
    return std::nullopt;
  }
}

// "<node>/<attribute>": where a body sits, below its control-flow node.
std::string BodyPath(const std::string& parent, const Node& n, const Graph& body) {
  std::string attribute = "body";
  for (const Attribute& a : n.attributes) {
    for (const auto& g : a.graphs) {
      if (g.get() == &body) attribute = a.name;
    }
  }
  std::string node = n.name;
  if (node.empty()) node = n.outputs.empty() || n.outputs[0].empty() ? n.op_type : n.outputs[0];
  return (parent.empty() ? "" : parent + "/") + node + "/" + attribute;
}

// The graph's structure is broken (a tensor produced twice): an error wherever it happens,
// never a per-node diagnostic.
class StructureError : public Error {
 public:
  using Error::Error;
};

struct NodeResult {
  const OpEntry* entry = nullptr;
  std::vector<const ValueState*> ins;  // nullptr for omitted optional inputs
  std::vector<ValueState> outs;
  Cost cost;
  std::vector<std::string> diags;
  Totals bodies;  // params, bytes and peak of the bodies walked for this node
  std::map<std::string, int64_t> body_unsupported;
  bool evaluated = false;  // outputs computed by the op's value evaluator
  std::string eval_note;   // why the evaluator declined, when it was tried
  size_t op_diags = 0;     // diags from this index on came from the op's own functions

  // Empty again, keeping the vectors' capacity: one NodeResult serves every node of a walk.
  void Reset() {
    entry = nullptr;
    ins.clear();
    outs.clear();
    cost = Cost();
    diags.clear();
    bodies = Totals();
    body_unsupported.clear();
    evaluated = false;
    eval_note.clear();
    op_diags = 0;
  }
};

// A shape the file states (value_info, TFLite's stored shapes) that inference contradicts is
// reported: one of the two is wrong, and the inferred one is kept.
void CheckAgainstFile(const ValueState& v, const ValueInfo* annotation, const std::string& name,
                      std::vector<std::string>& diags) {
  if (!annotation || !annotation->has_tensor_type) return;
  const ValueInfo& vi = *annotation;
  bool differ =
      vi.dtype != DType::kUndefined && v.dtype != DType::kUndefined && vi.dtype != v.dtype;
  if (vi.shape.rank_known) {
    differ = differ || vi.shape.rank() != v.shape.rank();
    for (size_t d = 0; !differ && d < vi.shape.rank(); ++d) {
      const Dim& f = vi.shape.dims[d];
      const Dim& x = v.shape.dims[d];
      differ = f.known() && x.known() && f.value != x.value;
    }
  }
  if (differ) {
    diags.push_back("inferred " + std::string(DTypeName(v.dtype)) + " " + v.shape.ToString() +
                    " for '" + name + "' differs from the file's " +
                    std::string(DTypeName(vi.dtype)) + " " + vi.shape.ToString() +
                    " (the inferred one is used)");
  }
}

// Partial evaluation applies when every given input has a value.
bool InputsHaveValues(const std::vector<const ValueState*>& ins) {
  bool any = false;
  for (const ValueState* v : ins) {
    if (!v) continue;
    if (!v->has_value()) return false;
    any = true;
  }
  return any;
}

Value ValueOf(const ValueState& s) {
  Value v;
  v.dtype = s.dtype;
  for (const Dim& d : s.shape.dims) v.dims.push_back(d.value);
  if (IsFloatDType(s.dtype))
    v.floats = s.floats;
  else
    v.ints = s.ints;
  return v;
}

// Resolves the node's inputs in `scope`, runs its shape function (falling back to the file's
// value_info annotations for outputs left unknown), binds --dim symbols and runs its cost
// function. Per-node problems become diagnostics; a broken structure throws.
// `in` and `out` are the tensor ids of the node's inputs and outputs in `scope`; the result
// goes to `r`.
void InferNode(const WalkSettings& w, const std::string& path, const Node& n, const Scope& scope,
               const uint32_t* in, const uint32_t* out, const Annotations& annotated,
               NodeResult& r) {
  static const ValueState kMissing;
  r.Reset();
  r.ins.reserve(n.inputs.size());
  for (size_t k = 0; k < n.inputs.size(); ++k) {
    const std::string& name = n.inputs[k];
    if (name.empty()) {
      r.ins.push_back(nullptr);
      continue;
    }
    const ValueState* v = scope.Find(in[k], name);
    if (!v) {
      r.diags.push_back("input '" + name +
                        "' is not produced by any node, initializer or graph input");
      v = &kMissing;
    }
    r.ins.push_back(v);
  }
  r.outs.resize(n.outputs.size());
  const Model& m = *w.model;
  const int64_t opset = n.domain.empty() ? w.default_opset : m.opset(n.domain);
  OpContext ctx(n, opset, r.ins, &r.outs, &r.diags);
  ctx.set_bindings(w.dims, w.data_dependent);
  const auto walk_body = [&](const Graph& g, const std::vector<ValueState>& inputs) {
    SubgraphResult result;
    const std::string where = "subgraph '" + g.name + "': ";
    if (Depth(scope) + 1 >= kMaxSubgraphDepth) {
      r.diags.push_back(where + "nested too deep; not walked");
      result.cost = Cost::Unknown();
      result.outputs.resize(g.outputs.size());
      return result;
    }
    GraphWalker body(w, g, BodyPath(path, n, g), &scope);
    for (size_t i = 0; i < g.inputs.size(); ++i) {
      const ValueInfo& vi = g.inputs[i];
      if (body.IsInitializer(vi.name)) continue;
      ValueState s;
      if (i < inputs.size() && inputs[i].present) {
        s = inputs[i];
      } else {
        s.present = true;
        s.dtype = vi.dtype;
        s.shape = vi.shape;
      }
      body.BindInput(vi.name, std::move(s));
    }
    GraphWalk walk = body.Run();
    for (const WalkDiagnostic& d : walk.diagnostics) {
      r.diags.push_back(where + (d.node ? d.node->Label() + ": " : "") + d.message);
    }
    Totals& t = r.bodies;
    t.params = CheckedAdd(t.params, walk.totals.params, "parameter count");
    t.weight_bytes = CheckedAdd(t.weight_bytes, walk.totals.weight_bytes, "weight bytes");
    t.activation_bytes =
        CheckedAdd(t.activation_bytes, walk.totals.activation_bytes, "activation bytes");
    t.peak_activation_bytes = std::max(t.peak_activation_bytes, walk.totals.peak_activation_bytes);
    for (const auto& [op, count] : walk.unsupported) r.body_unsupported[op] += count;
    result.cost = walk.cost;
    for (const ValueInfo& vi : g.outputs) {
      const ValueState* v = body.scope().Find(vi.name);
      if (v) {
        result.outputs.push_back(*v);
      } else {
        ValueState s;
        s.present = vi.has_tensor_type;
        s.dtype = vi.dtype;
        s.shape = vi.shape;
        result.outputs.push_back(std::move(s));
      }
    }
    return result;
  };
  // By reference: a std::function holding the lambda itself would allocate for every node.
  const SubgraphRunner runner = std::ref(walk_body);
  ctx.set_subgraph_runner(&runner);
  r.entry = Registry::Get().Find(n.domain, n.op_type);
  r.op_diags = r.diags.size();
  try {
    if (r.entry && r.entry->eval && InputsHaveValues(r.ins)) {
      std::vector<std::optional<Value>> values;
      values.reserve(r.ins.size());
      for (const ValueState* v : r.ins) {
        values.push_back(v ? std::optional<Value>(ValueOf(*v)) : std::nullopt);
      }
      ctx.set_input_values(&values);
      try {
        r.evaluated = r.entry->eval(ctx);
      } catch (const Error& e) {  // a size past int64 in the file's arguments
        r.evaluated = ctx.Refuse(e.what());
      }
      ctx.set_input_values(nullptr);
      if (r.evaluated) {
        bool constant = true;
        for (const ValueState* v : r.ins) constant = constant && (!v || v->is_constant);
        for (ValueState& o : r.outs) o.is_constant = constant && o.present;
      } else {
        r.eval_note = ctx.eval_note();
        r.diags.resize(r.op_diags);
        r.outs.assign(n.outputs.size(), ValueState{});
      }
    }
    if (r.entry && !r.evaluated) r.entry->shape(ctx);
    for (size_t i = 0; i < r.outs.size(); ++i) {
      const ValueInfo* a = out[i] == Scope::kNone ? nullptr : annotated[out[i]];
      if (r.outs[i].present && r.outs[i].shape.rank_known) {
        CheckAgainstFile(r.outs[i], a, n.outputs[i], r.diags);
        continue;
      }
      if (a && a->has_tensor_type) {
        // The file's own annotation fills what inference could not.
        if (!r.outs[i].present) r.outs[i].dtype = a->dtype;
        r.outs[i].present = true;
        r.outs[i].shape = a->shape;
      }
    }
    if (w.dims) {
      for (ValueState& o : r.outs) BindValue(o, *w.dims);
    }
    if (r.entry) r.cost = r.entry->cost(ctx);
  } catch (const StructureError&) {
    throw;
  } catch (const Error& e) {
    r.diags.push_back(e.what());
    r.cost = Cost::Unknown();
  }
}

// Only tensors of the graph can be annotated: an annotation naming no tensor is never read.
Annotations AnnotationsOf(const Graph& g, const Scope& scope) {
  Annotations annotated(scope.size(), nullptr);
  for (const auto* list : {&g.value_info, &g.outputs}) {
    for (const ValueInfo& vi : *list) {
      const uint32_t id = scope.Id(vi.name);
      if (id != Scope::kNone) annotated[id] = &vi;
    }
  }
  return annotated;
}

}  // namespace

GraphWalker::GraphWalker(const WalkSettings& w, const Graph& g, std::string path,
                         const Scope* outer)
    : w_(w), g_(g), path_(std::move(path)) {
  scope_.parent = outer;
  // Every tensor name of the graph gets its number here, once.
  size_t reads = 0, writes = 0;
  for (const Node& n : g.nodes) {
    reads += n.inputs.size();
    writes += n.outputs.size();
  }
  scope_.Reserve(g.initializers.size() + g.inputs.size() + reads + writes);
  in_ids_.reserve(reads);
  out_ids_.reserve(writes);
  for (const TensorData& t : g.initializers) scope_.Intern(t.name);
  for (const ValueInfo& vi : g.inputs) scope_.Intern(vi.name);
  in_begin_.reserve(g.nodes.size() + 1);
  out_begin_.reserve(g.nodes.size() + 1);
  for (const Node& n : g.nodes) {
    in_begin_.push_back(in_ids_.size());
    out_begin_.push_back(out_ids_.size());
    for (const auto& o : n.outputs) out_ids_.push_back(o.empty() ? Scope::kNone : scope_.Intern(o));
    for (const auto& i : n.inputs) in_ids_.push_back(i.empty() ? Scope::kNone : scope_.Intern(i));
  }
  in_begin_.push_back(in_ids_.size());
  out_begin_.push_back(out_ids_.size());
  scope_.Fit();
  weight_elems_.assign(scope_.size(), kNotWeight);

  out_.cost = Cost::Zero();
  const std::string where = path_.empty() ? "" : "subgraph '" + g.name + "': ";
  for (const TensorData& t : g.initializers) {
    const uint32_t id = scope_.Id(t.name);
    if (scope_.defined(id)) {
      out_.diagnostics.push_back(
          {nullptr, where + "initializer '" + t.name + "' is defined twice; counted once"});
      continue;
    }
    scope_.Define(id, StateOf(t));
    weight_elems_[id] = t.elems;
    try {
      out_.totals.params = CheckedAdd(out_.totals.params, t.elems, "parameter count");
      if (t.stored_bytes) {  // sparse storage: what the file holds, not the dense size
        out_.totals.weight_bytes =
            CheckedAdd(out_.totals.weight_bytes, *t.stored_bytes, "weight bytes");
      } else if (DTypeBits(t.dtype) > 0) {
        out_.totals.weight_bytes =
            CheckedAdd(out_.totals.weight_bytes, DTypeBytes(t.dtype, t.elems), "weight bytes");
      }
    } catch (const Error& e) {
      throw StructureError(where + "initializer '" + t.name + "': " + e.what());
    }
  }
}

bool GraphWalker::IsInitializer(const std::string& name) const {
  const uint32_t id = scope_.Id(name);
  return id != Scope::kNone && id < weight_elems_.size() && weight_elems_[id] != kNotWeight;
}

GraphWalk GraphWalker::Run() {
  const Graph& g = g_;
  const std::string where = path_.empty() ? "" : "subgraph '" + g.name + "': ";
  const size_t tensors = scope_.size();  // BindInput may have numbered a name the graph lacks
  weight_elems_.resize(tensors, kNotWeight);
  producer_.assign(tensors, -1);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    for (size_t k = 0; k < n.outputs.size(); ++k) {
      const std::string& o = n.outputs[k];
      if (o.empty()) continue;
      const uint32_t id = out_ids_[out_begin_[i] + k];
      if (scope_.defined(id) && producer_[id] < 0) {
        throw StructureError(where + "tensor '" + o +
                             "' is both a graph input/initializer and the output of " + n.Label());
      }
      if (producer_[id] >= 0) {
        throw StructureError(where + "tensor '" + o + "' is produced by two nodes: " +
                             g.nodes[static_cast<size_t>(producer_[id])].Label() + " and " +
                             n.Label());
      }
      producer_[id] = static_cast<int64_t>(i);
    }
  }
  // What each node reads: its inputs, then the names its bodies read from this graph (names of
  // graphs further out are not this walk's to order or to keep alive).
  NodeReads deps;
  deps.ids.reserve(in_ids_.size());
  deps.begin.reserve(g.nodes.size() + 1);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    deps.begin.push_back(deps.ids.size());
    for (size_t k = in_begin_[i]; k < in_begin_[i + 1]; ++k) {
      if (in_ids_[k] != Scope::kNone) deps.ids.push_back(in_ids_[k]);
    }
    for (const Attribute& a : g.nodes[i].attributes) {
      for (const auto& sg : a.graphs) {
        for (const std::string& name : OuterRefs(*sg)) {
          const uint32_t id = scope_.Id(name);
          if (id != Scope::kNone) deps.ids.push_back(id);
        }
      }
    }
  }
  deps.begin.push_back(deps.ids.size());
  out_.order = TopologicalOrder(g, producer_, deps);
  const Annotations annotated = AnnotationsOf(g, scope_);

  std::vector<uint8_t> attributed(tensors, 0);  // weights already counted on a node
  std::vector<int64_t> body_peak(out_.order.size(), 0);
  out_.nodes.reserve(out_.order.size());
  Totals& totals = out_.totals;
  NodeResult r;  // reused for every node
  for (size_t step = 0; step < out_.order.size(); ++step) {
    const size_t idx = out_.order[step];
    const Node& n = g.nodes[idx];
    NodeProfile np;
    np.id = NodeId{path_, idx};
    np.name = n.name;
    np.op = n.op_type;
    np.domain = n.domain;
    const uint32_t* in_ids = in_ids_.data() + in_begin_[idx];
    const uint32_t* out_ids = out_ids_.data() + out_begin_[idx];
    InferNode(w_, path_, n, scope_, in_ids, out_ids, annotated, r);
    const OpEntry* entry = r.entry;
    const Cost& cost = r.cost;
    std::vector<ValueState>& outs = r.outs;
    if (!r.evaluated && !r.eval_note.empty()) out_.eval_notes[idx] = r.eval_note;

    // Root causes: a node reading a tensor whose shape was lost inherits that loss (and is
    // counted); a node that loses a shape itself becomes a loss with its explanation. Either
    // way the op's own messages about the unknown shape are folded into the loss.
    int inherited = -1;
    for (const ValueState* in : r.ins) {
      if (in && in->shape_loss >= 0 && ShapeLost(*in)) {
        inherited = in->shape_loss;
        break;
      }
    }
    int lost_here = -1;
    for (size_t i = 0; i < outs.size(); ++i) {
      if (n.outputs[i].empty()) continue;
      if (!ShapeLost(outs[i])) {
        outs[i].shape_loss = -1;
        continue;
      }
      if (outs[i].shape_loss >= 0) {  // a body's loss, handed out through the node's outputs
        if (inherited < 0) inherited = outs[i].shape_loss;
        continue;
      }
      if (inherited < 0 && lost_here < 0) {
        const size_t before = w_.record ? w_.record->losses.size() : 0;
        std::vector<std::string> op_diags(r.diags.begin() + static_cast<int64_t>(r.op_diags),
                                          r.diags.end());
        const int l = ExplainLoss(n, entry, r.ins, op_diags);
        // The explanation may find the node depends on an earlier loss after all.
        if (w_.record && w_.record->losses.size() > before)
          lost_here = l;
        else
          inherited = l;
      }
      outs[i].shape_loss = inherited >= 0 ? inherited : lost_here;
    }
    const int loss = inherited >= 0 ? inherited : lost_here;
    if (loss >= 0) r.diags.resize(r.op_diags);
    for (auto& d : r.diags) out_.diagnostics.push_back({&n, std::move(d)});

    np.has_formula = entry != nullptr;
    np.folded = r.evaluated;
    if (!entry) ++out_.unsupported[OpKey(n)];
    for (const auto& [op, count] : r.body_unsupported) out_.unsupported[op] += count;
    np.macs = cost.macs;
    np.other_ops = cost.other_ops;
    np.conv = cost.conv;
    if (loss >= 0 && w_.record) {
      ShapeLoss& l = w_.record->losses[static_cast<size_t>(loss)];
      if (loss != lost_here) ++l.affected;
      if (entry && !cost.macs) ++l.costs_unknown;
    } else if (entry && !cost.macs) {
      std::set<std::string> unbound;
      for (const ValueState& o : outs) CollectSymbols(o.shape, unbound);
      for (const ValueState* in : r.ins) {
        if (in) CollectSymbols(in->shape, unbound);
      }
      if (!unbound.empty() && w_.record) {
        for (const auto& sym : unbound) ++w_.record->waiting_on[sym];
      } else {
        out_.diagnostics.push_back({&n, "cost unknown: input or output shape not inferred"});
      }
    }
    if (entry) {
      if (!cost.macs || !cost.other_ops) {
        out_.cost = Cost::Unknown();
      } else if (out_.cost.macs) {
        out_.cost.macs = CheckedAdd(*out_.cost.macs, *cost.macs, "MACs");
        out_.cost.other_ops = CheckedAdd(*out_.cost.other_ops, *cost.other_ops, "ops");
      }
    }

    // Parameters: weights read by this node, attributed to their first reader; the weights of
    // the bodies it walked belong to it too (each body once, whatever its trip count).
    for (size_t k = 0; k < n.inputs.size(); ++k) {
      const uint32_t id = in_ids[k];
      if (id == Scope::kNone || weight_elems_[id] == kNotWeight || attributed[id]) continue;
      attributed[id] = 1;
      np.params += weight_elems_[id];
    }
    np.params = CheckedAdd(np.params, r.bodies.params, "parameter count");
    totals.params = CheckedAdd(totals.params, r.bodies.params, "parameter count");
    totals.weight_bytes = CheckedAdd(totals.weight_bytes, r.bodies.weight_bytes, "weight bytes");
    totals.activation_bytes =
        CheckedAdd(totals.activation_bytes, r.bodies.activation_bytes, "activation bytes");
    body_peak[step] = r.bodies.peak_activation_bytes;

    // Bytes moved; a size that overflows int64 leaves them unknown and is reported here.
    std::string too_big;
    auto sum = [&](std::optional<int64_t> acc, std::optional<int64_t> b) {
      int64_t s;
      if (!acc || !b) return std::optional<int64_t>();
      if (__builtin_add_overflow(*acc, *b, &s)) {
        too_big = "byte count overflows 64-bit integer";
        return std::optional<int64_t>();
      }
      return std::optional<int64_t>(s);
    };
    std::optional<int64_t> rd = 0, wr = 0;
    for (const ValueState* in : r.ins) {
      if (in) rd = sum(rd, BytesOf(*in, &too_big));
    }
    for (size_t i = 0; i < outs.size(); ++i) {
      if (n.outputs[i].empty()) continue;
      wr = sum(wr, BytesOf(outs[i], &too_big));
      np.outputs.push_back({n.outputs[i], outs[i].dtype, outs[i].shape});
    }
    np.bytes_read = rd;
    np.bytes_written = wr;
    if (!too_big.empty()) out_.diagnostics.push_back({&n, "bytes unknown: " + too_big});

    // An op that yields a load-time constant from no inputs (Constant): its floating-point
    // values are weights (paddle2onnx stores weights this way). Scalars (clip bounds, epsilons,
    // scale factors) are hyperparameters, not weights.
    const bool constant_source = entry && entry->traits.folds_to_constant && n.inputs.empty();
    for (size_t i = 0; i < outs.size(); ++i) {
      ValueState& o = outs[i];
      if (n.outputs[i].empty()) continue;
      if (constant_source) {
        o.is_constant = true;
        auto e = o.shape.elems_if_representable();
        if (IsFloatDType(o.dtype) && e && *e > 1) {
          o.is_weight = true;
          weight_elems_[out_ids[i]] = *e;
          totals.params = CheckedAdd(totals.params, *e, "parameter count");
          if (auto b = BytesOf(o)) {
            totals.weight_bytes = CheckedAdd(totals.weight_bytes, *b, "weight bytes");
          }
        }
      }
      scope_.Define(out_ids[i], std::move(o));
    }
    out_.nodes.push_back(std::move(np));
  }

  // Activation memory: every non-weight tensor produced by a node, plus the inputs; peak of the
  // live set when tensors die after their last reader (graph outputs live to the end). A body
  // adds its own peak on top of what is live while its node runs.
  const size_t steps = out_.order.size();
  constexpr size_t kUnused = std::numeric_limits<size_t>::max() - 1;
  std::vector<size_t> last_use(tensors, kUnused);
  for (size_t step = 0; step < steps; ++step) {
    for (uint32_t id : deps.of(out_.order[step])) last_use[id] = step;
  }
  for (const ValueInfo& vi : g.outputs) {
    const uint32_t id = scope_.Id(vi.name);
    if (id != Scope::kNone) last_use[id] = std::numeric_limits<size_t>::max();
  }
  int64_t live = 0, peak = 0;
  std::vector<int64_t> frees(steps, 0);  // bytes that die after each step
  auto track = [&](uint32_t id, size_t born) {
    const ValueState* v = scope_.Local(id);
    if (!v || v->is_weight) return;
    auto b = BytesOf(*v);
    if (!b) return;
    try {
      totals.activation_bytes = CheckedAdd(totals.activation_bytes, *b, "activation bytes");
      live = CheckedAdd(live, *b, "live bytes");
    } catch (const Error& e) {
      throw StructureError(where + "tensor '" + std::string(scope_.name(id)) + "': " + e.what());
    }
    const size_t die = last_use[id] == kUnused ? born : last_use[id];
    if (die < steps) frees[die] += *b;
  };
  for (uint32_t id : inputs_) track(id, 0);
  peak = live;
  for (size_t step = 0; step < steps; ++step) {
    const size_t idx = out_.order[step];
    for (size_t k = out_begin_[idx]; k < out_begin_[idx + 1]; ++k) {
      if (out_ids_[k] != Scope::kNone) track(out_ids_[k], step);
    }
    peak = std::max(peak, live);
    if (body_peak[step] > 0) peak = std::max(peak, CheckedAdd(live, body_peak[step], "live bytes"));
    live -= frees[step];
  }
  totals.peak_activation_bytes = peak;
  return std::move(out_);
}

}  // namespace tops
