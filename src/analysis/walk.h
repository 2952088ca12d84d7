// The per-node step of shape inference, shared by the top-level walk (profile.cc) and the walk
// of subgraphs (If branches, Loop/Scan bodies; subgraph.cc). A Scope holds the values one graph
// defines; a subgraph's scope chains to its enclosing graphs so that bodies may read
// outer-scope names, as the ONNX IR allows.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "ops/registry.h"
#include "tops/graph.h"

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
  int64_t default_opset = 21;
};

struct NodeResult {
  const OpEntry* entry = nullptr;
  std::vector<const ValueState*> ins;  // nullptr for omitted optional inputs
  std::vector<ValueState> outs;
  Cost cost;
  std::vector<std::string> diags;
};

// Resolves the node's inputs in `scope`, runs its shape function (falling back to the file's
// value_info annotations for outputs left unknown), binds --dim symbols and runs its cost
// function. Never throws for per-node problems: they become diagnostics.
NodeResult InferNode(const WalkSettings& w, const Node& n, const Scope& scope,
                     const std::unordered_map<std::string, const ValueInfo*>& annotated);

// The file's own shape annotations (value_info and graph outputs) by tensor name: the fallback
// for outputs inference leaves unknown.
using Annotations = std::unordered_map<std::string, const ValueInfo*>;
Annotations AnnotationsOf(const Graph& g);

// A tensor of the file (initializer or attribute) as an inference value.
ValueState StateOf(const TensorData& t);
void BindValue(ValueState& v, const std::map<std::string, int64_t>& dims);

// Kahn's algorithm over the graph's nodes, stable (file order among ready nodes); `deps` gets
// every name each node reads, including outer-scope names its subgraphs read. Throws
// tops::Error naming a cycle.
std::vector<size_t> TopologicalOrder(const Graph& g,
                                     const std::unordered_map<std::string, size_t>& producer,
                                     std::vector<std::vector<std::string>>& deps);

}  // namespace tops
