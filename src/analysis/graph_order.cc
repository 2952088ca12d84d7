// Topological order of a graph's nodes, with the names each node reads (its inputs and the
// outer-scope names its bodies read), for the walk and for liveness.
#include <set>
#include <unordered_set>

#include "analysis/walk.h"
#include "tops/error.h"

namespace tops {
namespace {

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

}  // namespace

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
