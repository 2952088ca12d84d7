// Topological order of a graph's nodes (by the tensor ids each node reads: its inputs and the
// outer-scope names its bodies read), and the outer-scope names a body reads.
#include <cstdint>
#include <functional>
#include <numeric>
#include <queue>
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

}  // namespace

std::unordered_set<std::string> OuterRefs(const Graph& g) {
  std::unordered_set<std::string> out;
  CollectOuterRefs(g, out);
  return out;
}

std::vector<size_t> TopologicalOrder(const Graph& g, const std::vector<int64_t>& producer,
                                     const NodeReads& deps) {
  const size_t n = g.nodes.size();
  // Files list their nodes in topological order (the ONNX IR requires it). When every node
  // reads only what earlier nodes produce, file order is the answer: the algorithm below, which
  // takes the lowest-numbered ready node first, would return it too.
  bool in_file_order = true;
  for (size_t i = 0; i < n && in_file_order; ++i) {
    for (uint32_t id : deps.of(i)) {
      if (producer[id] >= static_cast<int64_t>(i)) {
        in_file_order = false;
        break;
      }
    }
  }
  if (in_file_order) {
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t{0});
    return order;
  }
  // Edges producer -> consumer, counted then laid out in one array (consumers of node p are
  // edge[first[p]] .. edge[first[p + 1] - 1], in consumer order).
  std::vector<size_t> indeg(n, 0), first(n + 1, 0), edge;
  std::vector<size_t> seen_by(n, SIZE_MAX);      // a producer already counted for node i
  std::vector<std::pair<size_t, size_t>> edges;  // (producer, consumer)
  edges.reserve(deps.ids.size());
  for (size_t i = 0; i < n; ++i) {
    for (uint32_t id : deps.of(i)) {
      const int64_t p = producer[id];
      if (p < 0 || seen_by[static_cast<size_t>(p)] == i) continue;
      seen_by[static_cast<size_t>(p)] = i;
      edges.emplace_back(static_cast<size_t>(p), i);
      ++first[static_cast<size_t>(p) + 1];
      ++indeg[i];
    }
  }
  for (size_t p = 0; p < n; ++p) first[p + 1] += first[p];
  edge.resize(edges.size());
  {
    std::vector<size_t> next(first.begin(), first.end() - 1);
    for (const auto& [p, c] : edges) edge[next[p]++] = c;
  }
  std::vector<size_t> order;
  order.reserve(n);
  // The lowest-numbered ready node goes first.
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t i = 0; i < n; ++i) {
    if (indeg[i] == 0) ready.push(i);
  }
  while (!ready.empty()) {
    const size_t i = ready.top();
    ready.pop();
    order.push_back(i);
    for (size_t e = first[i]; e < first[i + 1]; ++e) {
      if (--indeg[edge[e]] == 0) ready.push(edge[e]);
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
    for (uint32_t id : deps.of(cur)) {
      const int64_t p = producer[id];
      if (p >= 0 && indeg[static_cast<size_t>(p)] > 0) {
        next = static_cast<size_t>(p);
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
