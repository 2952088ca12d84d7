// The graph walk: one walk for the main graph and for every If / Loop / Scan body. It binds a
// graph's initializers, runs each node's shape and cost functions from the registry in
// topological order, attributes parameters to their first reader, counts bytes and the live set
// of activations, and walks bodies through the same code (control-flow shape functions call back
// into it through OpContext's subgraph runner). A Scope holds the values one graph defines; a
// body's scope chains to its enclosing graphs so that bodies may read outer-scope names, as the
// ONNX IR allows.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "ops/registry.h"
#include "tops/graph.h"
#include "tops/profile.h"

namespace tops {

// The tensors of one graph, numbered densely when its walk starts: each name is hashed once
// there, and the walk indexes vectors by number from then on. Names are views into the Graph,
// which outlives the walk. The table is open-addressed (no allocation per name).
struct Scope {
  static constexpr uint32_t kNone = UINT32_MAX;

  const Scope* parent = nullptr;
  // Room for `names` names without growing.
  void Reserve(size_t names);
  // The number of `name` in this graph, numbering it when new: `name` must outlive the scope
  // (a string of the Graph); InternCopy keeps a copy of a name that may not. Call Fit() before
  // reading or defining values once names are added.
  uint32_t Intern(std::string_view name);
  uint32_t InternCopy(std::string_view name);
  // Gives every numbered tensor a (still undefined) value.
  void Fit();
  // The number of `name` in this graph, or kNone.
  uint32_t Id(std::string_view name) const;
  size_t size() const { return names_.size(); }
  std::string_view name(uint32_t id) const { return names_[id]; }
  // This graph's definition of tensor `id`, or nullptr before it is defined.
  const ValueState* Local(uint32_t id) const { return defined_[id] ? &values_[id] : nullptr; }
  bool defined(uint32_t id) const { return defined_[id] != 0; }
  void Define(uint32_t id, ValueState v) {
    values_[id] = std::move(v);
    defined_[id] = 1;
  }
  // The innermost definition of `name`, or nullptr.
  const ValueState* Find(std::string_view name) const;
  // Tensor `id` of this graph when defined here, else `name` in the enclosing graphs.
  const ValueState* Find(uint32_t id, std::string_view name) const {
    if (const ValueState* v = Local(id)) return v;
    return parent ? parent->Find(name) : nullptr;
  }

 private:
  // The slot of `name` (hash h): where it is, or the empty slot where it would go.
  size_t Slot(std::string_view name, size_t h) const;
  void Rehash(size_t slots);

  std::vector<uint32_t> slots_;  // id + 1 per slot, 0 when empty; a power of two of them
  std::vector<size_t> hashes_;   // by id
  std::vector<std::string_view> names_;
  std::vector<ValueState> values_;
  std::vector<uint8_t> defined_;
  std::deque<std::string> own_;  // names that are not the graph's own strings
};

// Where a walk lost a shape: the first node whose output shape is unknown although no input's
// shape was lost before it (or a graph input the file gives no shape), why, the option that
// would resolve it, and how far the loss reaches. Nodes downstream inherit the loss through
// ValueState::shape_loss instead of each reporting it.
struct ShapeLoss {
  std::string node;      // Diagnostic::node: the node's name (label when unnamed); "" for an input
  std::string reason;    // "<where>: output shape unknown: <why>"
  std::string resolve;   // "--value n=V", "--dim batch=N", "--input x:DxD" or ""
  int64_t affected = 0;  // nodes downstream that read a tensor it left unknown
  int64_t costs_unknown = 0;  // of those, nodes with a cost formula whose cost is unknown
};

// What the walks of one profile record together (bodies add to their parent's record).
struct WalkRecord {
  std::vector<ShapeLoss> losses;  // indexed by ValueState::shape_loss
  // Symbolic dim -> nodes whose cost is unknown only because the dim is unbound.
  std::map<std::string, int64_t> waiting_on;
};

// Fixed for one ProfileModel call.
struct WalkSettings {
  const Model* model = nullptr;
  const std::map<std::string, int64_t>* dims = nullptr;  // --dim bindings
  std::set<std::string>* data_dependent = nullptr;       // symbols handed out by the ops
  int64_t default_opset = kLatestOpset;
  WalkRecord* record = nullptr;
};

// A shape inference could not determine: unknown rank or a dim that is neither a number nor a
// named symbol.
bool ShapeLost(const ValueState& v);

// A per-node problem: the node (nullptr for the graph itself) and what went wrong.
struct WalkDiagnostic {
  const Node* node = nullptr;
  std::string message;
};

// What walking one graph gives.
struct GraphWalk {
  std::vector<NodeProfile> nodes;  // topological order
  std::vector<size_t> order;       // graph node index of each entry of `nodes`
  // params, weight_bytes, activation_bytes and peak_activation_bytes, bodies included; macs,
  // other_ops and flops are left to the caller (control flow decides how bodies count).
  Totals totals;
  Cost cost;  // sum over nodes with a formula; unknown when any of their costs is unknown
  std::map<std::string, int64_t> unsupported;  // "Domain::Op" -> nodes without a cost formula
  std::vector<WalkDiagnostic> diagnostics;
  std::map<size_t, std::string> eval_notes;  // graph node index -> why its evaluator declined
};

class GraphWalker {
 public:
  // Binds the initializers of `g` (each name once; parameters and weight bytes counted) and
  // numbers every tensor name of the graph. Throws tops::Error for a tensor produced twice, or
  // produced by a node and also an initializer.
  GraphWalker(const WalkSettings& w, const Graph& g, std::string path, const Scope* outer);

  bool IsInitializer(const std::string& name) const;
  // Binds a graph (or body) input; its bytes count as activations, live from the start. An
  // input whose shape is lost (and carries no loss yet) starts a ShapeLoss; `resolve` is the
  // option that would give it a shape.
  void BindInput(const std::string& name, ValueState state, const std::string& resolve = "");
  // Walks every node; call once.
  GraphWalk Run();
  const Scope& scope() const { return scope_; }

 private:
  static constexpr int64_t kNotWeight = -1;

  const WalkSettings& w_;
  const Graph& g_;
  std::string path_;
  Scope scope_;
  GraphWalk out_;
  // By tensor id: elements of a weight tensor (for attribution), kNotWeight for the others.
  std::vector<int64_t> weight_elems_;
  std::vector<uint32_t> inputs_;  // ids of the bound inputs, in binding order
  // Tensor ids of each node's inputs and outputs (Scope::kNone for an omitted input): node i's
  // are in [in_begin_[i], in_begin_[i + 1]) of in_ids_, and likewise for the outputs.
  std::vector<uint32_t> in_ids_, out_ids_;
  std::vector<size_t> in_begin_, out_begin_;
  std::vector<int64_t> producer_;  // by tensor id: node index in this graph, or -1

  // Root-cause diagnostics (walk_loss.cc).
  struct ValueOrigin {
    std::string text;     // "graph input 'size' (a run-time value)", ...
    std::string resolve;  // option that would give the value
    int inherit = -1;     // the value is unknown because this earlier loss left a shape unknown
  };
  int AddLoss(ShapeLoss loss);
  // Why `tensor` has no known value at load time: follows the first input without one back
  // to where the value was lost.
  ValueOrigin TraceValue(const std::string& tensor) const;
  // Explains a node whose output shape is lost while its inputs' are not: returns the loss
  // index (a new root, or an earlier loss the node turns out to depend on).
  int ExplainLoss(const Node& n, const OpEntry* entry, const std::vector<const ValueState*>& ins,
                  const std::vector<std::string>& diags);
};

// The file's own shape annotations (value_info, then graph outputs) by tensor id: the fallback
// for outputs inference leaves unknown (nullptr where the file has none).
using Annotations = std::vector<const ValueInfo*>;

// A tensor of the file (initializer or attribute) as an inference value.
ValueState StateOf(const TensorData& t);
void BindValue(ValueState& v, const std::map<std::string, int64_t>& dims);
void CollectSymbols(const Shape& s, std::set<std::string>& out);

// Names a subgraph reads from its enclosing scopes (implicit inputs of If / Loop / Scan).
std::unordered_set<std::string> OuterRefs(const Graph& g);

// The ids of the tensors each node reads (its inputs, then outer-scope names its subgraphs
// read), all nodes' in one array: node i's are ids[begin[i]] .. ids[begin[i + 1] - 1].
struct NodeReads {
  std::vector<uint32_t> ids;
  std::vector<size_t> begin;
  std::span<const uint32_t> of(size_t i) const {
    return {ids.data() + begin[i], begin[i + 1] - begin[i]};
  }
};

// Kahn's algorithm over the graph's nodes, stable (file order among ready nodes); producer maps
// a tensor id to the node that writes it (-1: none). Throws tops::Error naming a cycle.
std::vector<size_t> TopologicalOrder(const Graph& g, const std::vector<int64_t>& producer,
                                     const NodeReads& deps);

}  // namespace tops
