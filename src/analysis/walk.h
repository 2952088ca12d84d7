// The graph walk: one walk for the main graph and for every If / Loop / Scan body. It binds a
// graph's initializers, runs each node's shape and cost functions from the registry in
// topological order, attributes parameters to their first reader, counts bytes and the live set
// of activations, and walks bodies through the same code (control-flow shape functions call back
// into it through OpContext's subgraph runner). A Scope holds the values one graph defines; a
// body's scope chains to its enclosing graphs so that bodies may read outer-scope names, as the
// ONNX IR allows.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "ops/registry.h"
#include "tops/graph.h"
#include "tops/profile.h"

namespace tops {

struct Scope {
  const Scope* parent = nullptr;
  std::unordered_map<std::string, ValueState> values;
  // The innermost definition of `name`, or nullptr.
  const ValueState* Find(const std::string& name) const;
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
  // Binds the initializers of `g` (each name once; parameters and weight bytes counted). Throws
  // tops::Error for a tensor produced twice, or produced by a node and also an initializer.
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
  const WalkSettings& w_;
  const Graph& g_;
  std::string path_;
  Scope scope_;
  GraphWalk out_;
  std::unordered_map<std::string, int64_t> weight_elems_;  // weight tensors, for attribution
  std::vector<std::string> inputs_;

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
  std::unordered_map<std::string, size_t> producer_;  // tensor -> node index, this graph
};

// The file's own shape annotations (value_info and graph outputs) by tensor name: the fallback
// for outputs inference leaves unknown.
using Annotations = std::unordered_map<std::string, const ValueInfo*>;

// A tensor of the file (initializer or attribute) as an inference value.
ValueState StateOf(const TensorData& t);
void BindValue(ValueState& v, const std::map<std::string, int64_t>& dims);
void CollectSymbols(const Shape& s, std::set<std::string>& out);

// Kahn's algorithm over the graph's nodes, stable (file order among ready nodes); `deps` gets
// every name each node reads, including outer-scope names its subgraphs read. Throws
// tops::Error naming a cycle.
std::vector<size_t> TopologicalOrder(const Graph& g,
                                     const std::unordered_map<std::string, size_t>& producer,
                                     std::vector<std::vector<std::string>>& deps);

}  // namespace tops
