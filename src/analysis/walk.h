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

// Fixed for one ProfileModel call.
struct WalkSettings {
  const Model* model = nullptr;
  const std::map<std::string, int64_t>* dims = nullptr;  // --dim bindings
  std::set<std::string>* data_dependent = nullptr;       // symbols handed out by the ops
  int64_t default_opset = kLatestOpset;
};

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
};

class GraphWalker {
 public:
  // Binds the initializers of `g` (each name once; parameters and weight bytes counted). Throws
  // tops::Error for a tensor produced twice, or produced by a node and also an initializer.
  GraphWalker(const WalkSettings& w, const Graph& g, std::string path, const Scope* outer);

  bool IsInitializer(const std::string& name) const;
  // Binds a graph (or body) input; its bytes count as activations, live from the start.
  void BindInput(const std::string& name, ValueState state);
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
