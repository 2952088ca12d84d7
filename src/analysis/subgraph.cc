// One inference step per node, and the walk of subgraphs. If/Loop/Scan shape functions call
// back into RunSubgraph through OpContext's runner, so a body is inferred with the same code as
// the main graph, seeing the enclosing scopes' values; its nodes' costs are summed for the
// control-flow node (controlflow.cc decides which branch or how many iterations count).
#include <algorithm>
#include <set>
#include <unordered_set>

#include "analysis/walk.h"
#include "core/checked.h"
#include "tops/error.h"

namespace tops {
namespace {

constexpr int kMaxSubgraphDepth = 16;  // nested If/Loop bodies; deeper nesting is not walked

// Names a subgraph reads from the enclosing scope (implicit inputs of If/Loop/Scan).
void CollectOuterRefs(const Graph& g, std::unordered_set<std::string>& out) {
  std::unordered_set<std::string> defined;
  for (const auto& t : g.initializers) defined.insert(t.name);
  for (const auto& v : g.inputs) defined.insert(v.name);
  for (const Node& n : g.nodes) {
    for (const auto& o : n.outputs) defined.insert(o);
  }
  for (const Node& n : g.nodes) {
    for (const auto& i : n.inputs) {
      if (!i.empty() && !defined.count(i)) out.insert(i);
    }
    for (const Attribute& a : n.attributes) {
      for (const auto& sg : a.graphs) {
        std::unordered_set<std::string> inner;
        CollectOuterRefs(*sg, inner);
        for (const auto& name : inner) {
          if (!defined.count(name)) out.insert(name);
        }
      }
    }
  }
}

std::vector<std::string> NodeDeps(const Node& n) {
  std::vector<std::string> deps;
  for (const auto& i : n.inputs) {
    if (!i.empty()) deps.push_back(i);
  }
  for (const Attribute& a : n.attributes) {
    for (const auto& sg : a.graphs) {
      std::unordered_set<std::string> outer;
      CollectOuterRefs(*sg, outer);
      deps.insert(deps.end(), outer.begin(), outer.end());
    }
  }
  return deps;
}

int Depth(const Scope& s) {
  int d = 0;
  for (const Scope* p = s.parent; p; p = p->parent) ++d;
  return d;
}

SubgraphResult RunSubgraph(const WalkSettings& w, const Graph& g,
                           const std::vector<ValueState>& inputs, const Scope& outer,
                           std::vector<std::string>* diags) {
  SubgraphResult result;
  result.cost = Cost::Zero();
  const std::string where = "subgraph '" + g.name + "': ";
  if (Depth(outer) >= kMaxSubgraphDepth) {
    diags->push_back(where + "nested too deep; not walked");
    result.cost = Cost::Unknown();
    result.outputs.resize(g.outputs.size());
    return result;
  }
  Scope scope;
  scope.parent = &outer;
  for (const TensorData& t : g.initializers) scope.values[t.name] = StateOf(t);
  for (size_t i = 0; i < g.inputs.size(); ++i) {
    const ValueInfo& vi = g.inputs[i];
    if (scope.values.count(vi.name)) continue;
    ValueState s;
    if (i < inputs.size() && inputs[i].present) {
      s = inputs[i];
    } else {
      s.present = true;
      s.dtype = vi.dtype;
      s.shape = vi.shape;
    }
    if (w.dims) BindValue(s, *w.dims);
    scope.values[vi.name] = std::move(s);
  }
  const Annotations annotated = AnnotationsOf(g);
  std::unordered_map<std::string, size_t> producer;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    for (const auto& o : g.nodes[i].outputs) {
      if (!o.empty()) producer.emplace(o, i);
    }
  }
  std::vector<std::vector<std::string>> deps;
  const std::vector<size_t> order = TopologicalOrder(g, producer, deps);
  for (size_t idx : order) {
    const Node& n = g.nodes[idx];
    NodeResult r = InferNode(w, n, scope, annotated);
    for (auto& d : r.diags) diags->push_back(where + n.Label() + ": " + d);
    if (!r.entry) {
      diags->push_back(where + "no cost formula for op " + n.op_type + " (" + n.Label() +
                       "): not counted");
    } else if (!r.cost.macs || !r.cost.other_ops) {
      result.cost = Cost::Unknown();
    } else if (result.cost.macs) {
      result.cost.macs = CheckedAdd(*result.cost.macs, *r.cost.macs, "MACs");
      result.cost.other_ops = CheckedAdd(*result.cost.other_ops, *r.cost.other_ops, "ops");
    }
    for (size_t i = 0; i < n.outputs.size(); ++i) {
      if (!n.outputs[i].empty()) scope.values[n.outputs[i]] = std::move(r.outs[i]);
    }
  }
  for (const ValueInfo& vi : g.outputs) {
    const ValueState* v = scope.Find(vi.name);
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
}

// A shape the file states (value_info, TFLite's stored shapes) that inference contradicts is
// reported: one of the two is wrong, and the inferred one is kept.
void CheckAgainstFile(const ValueState& v, const Annotations& annotated, const std::string& name,
                      std::vector<std::string>& diags) {
  auto a = annotated.find(name);
  if (a == annotated.end() || !a->second->has_tensor_type) return;
  const ValueInfo& vi = *a->second;
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

}  // namespace

const ValueState* Scope::Find(const std::string& name) const {
  for (const Scope* s = this; s; s = s->parent) {
    auto it = s->values.find(name);
    if (it != s->values.end()) return &it->second;
  }
  return nullptr;
}

Annotations AnnotationsOf(const Graph& g) {
  Annotations annotated;
  for (const ValueInfo& vi : g.value_info) annotated[vi.name] = &vi;
  for (const ValueInfo& vi : g.outputs) annotated[vi.name] = &vi;
  return annotated;
}

ValueState StateOf(const TensorData& t) {
  ValueState s;
  s.present = true;
  s.dtype = t.dtype;
  s.shape = Shape::Known(t.dims);
  s.is_weight = true;
  s.is_constant = true;
  if (t.has_values) {
    if (!t.ints.empty() || (IsIntegerDType(t.dtype) && t.elems == 0)) {
      s.has_ints = true;
      for (int64_t v : t.ints) s.ints.push_back(SymInt::Of(v));
    } else if (!t.floats.empty()) {
      s.has_floats = true;
      s.floats = t.floats;
    }
  }
  return s;
}

void BindValue(ValueState& v, const std::map<std::string, int64_t>& dims) {
  if (dims.empty()) return;
  for (Dim& d : v.shape.dims) {
    if (d.symbolic()) {
      auto it = dims.find(d.symbol);
      if (it != dims.end()) d = Dim::Known(it->second);
    }
  }
  for (SymInt& s : v.ints) {
    if (!s.known && !s.sym.empty()) {
      auto it = dims.find(s.sym);
      if (it != dims.end()) s = SymInt::Of(it->second);
    }
  }
}

NodeResult InferNode(const WalkSettings& w, const Node& n, const Scope& scope,
                     const std::unordered_map<std::string, const ValueInfo*>& annotated) {
  static const ValueState kMissing;
  NodeResult r;
  for (const auto& name : n.inputs) {
    if (name.empty()) {
      r.ins.push_back(nullptr);
      continue;
    }
    const ValueState* v = scope.Find(name);
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
  const SubgraphRunner runner = [&](const Graph& g, const std::vector<ValueState>& inputs) {
    return RunSubgraph(w, g, inputs, scope, &r.diags);
  };
  ctx.set_subgraph_runner(&runner);
  r.entry = Registry::Get().Find(n.domain, n.op_type);
  try {
    if (r.entry) r.entry->shape(ctx);
    for (size_t i = 0; i < r.outs.size(); ++i) {
      if (r.outs[i].present && r.outs[i].shape.rank_known) {
        CheckAgainstFile(r.outs[i], annotated, n.outputs[i], r.diags);
        continue;
      }
      auto a = annotated.find(n.outputs[i]);
      if (a != annotated.end() && a->second->has_tensor_type) {
        // The file's own annotation fills what inference could not.
        if (!r.outs[i].present) r.outs[i].dtype = a->second->dtype;
        r.outs[i].present = true;
        r.outs[i].shape = a->second->shape;
      }
    }
    if (w.dims) {
      for (ValueState& o : r.outs) BindValue(o, *w.dims);
    }
    if (r.entry) r.cost = r.entry->cost(ctx);
  } catch (const Error& e) {
    r.diags.push_back(e.what());
    r.cost = Cost::Unknown();
  }
  return r;
}

std::vector<size_t> TopologicalOrder(const Graph& g,
                                     const std::unordered_map<std::string, size_t>& producer,
                                     std::vector<std::vector<std::string>>& deps) {
  const size_t n = g.nodes.size();
  deps.resize(n);
  std::vector<std::vector<size_t>> consumers(n);
  std::vector<size_t> indeg(n, 0);
  for (size_t i = 0; i < n; ++i) {
    deps[i] = NodeDeps(g.nodes[i]);
    std::unordered_set<size_t> seen;
    for (const auto& name : deps[i]) {
      auto it = producer.find(name);
      if (it == producer.end() || !seen.insert(it->second).second) continue;
      consumers[it->second].push_back(i);
      ++indeg[i];
    }
  }
  std::vector<size_t> order;
  order.reserve(n);
  std::set<size_t> ready;
  for (size_t i = 0; i < n; ++i) {
    if (indeg[i] == 0) ready.insert(i);
  }
  while (!ready.empty()) {
    const size_t i = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(i);
    for (size_t c : consumers[i]) {
      if (--indeg[c] == 0) ready.insert(c);
    }
  }
  if (order.size() == n) return order;
  // Find one cycle among the remaining nodes by following producers.
  size_t start = 0;
  while (indeg[start] == 0) ++start;
  std::vector<size_t> path;
  std::unordered_map<size_t, size_t> pos;
  size_t cur = start;
  while (!pos.count(cur)) {
    pos[cur] = path.size();
    path.push_back(cur);
    size_t next = cur;
    for (const auto& name : deps[cur]) {
      auto it = producer.find(name);
      if (it != producer.end() && indeg[it->second] > 0) {
        next = it->second;
        break;
      }
    }
    cur = next;
  }
  std::string msg = "graph has a cycle: ";
  for (size_t k = pos[cur]; k < path.size(); ++k) msg += g.nodes[path[k]].Label() + " -> ";
  msg += g.nodes[cur].Label();
  throw Error(msg);
}

}  // namespace tops
