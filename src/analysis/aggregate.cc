// Views over a Profile that the writers print: heaviest nodes, per-op-type sums, shares and
// coverage.
#include <algorithm>
#include <map>
#include <numeric>

#include "core/checked.h"
#include "tops/profile.h"

namespace tops {

std::vector<OpGroup> GroupByOp(const Profile& p) {
  std::map<std::string, OpGroup> groups;
  for (const NodeProfile& n : p.nodes) {
    const std::string key = n.domain.empty() ? n.op : n.domain + "::" + n.op;
    OpGroup& g = groups[key];
    g.op = key;
    ++g.count;
    g.params = CheckedAdd(g.params, n.params, "params");
    if (n.macs) g.macs = CheckedAdd(g.macs, *n.macs, "MACs");
    if (auto f = n.flops()) g.flops = CheckedAdd(g.flops, *f, "FLOPs");
    if (!n.macs) ++g.nodes_without_cost;
  }
  std::vector<OpGroup> out;
  for (auto& [k, g] : groups) out.push_back(std::move(g));
  std::stable_sort(out.begin(), out.end(), [](const OpGroup& a, const OpGroup& b) {
    return a.macs != b.macs ? a.macs > b.macs : a.flops > b.flops;
  });
  return out;
}

std::vector<size_t> HeaviestNodes(const Profile& p, size_t n) {
  std::vector<size_t> idx(p.nodes.size());
  std::iota(idx.begin(), idx.end(), 0);
  auto key = [&](size_t i) {
    const NodeProfile& np = p.nodes[i];
    return std::make_pair(np.macs.value_or(-1), np.flops().value_or(-1));
  };
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return key(a) > key(b); });
  if (idx.size() > n) idx.resize(n);
  return idx;
}

std::optional<double> MacsPercent(const std::optional<int64_t>& macs, const Totals& totals) {
  if (!macs || totals.macs <= 0) return std::nullopt;
  return 100.0 * static_cast<double>(*macs) / static_cast<double>(totals.macs);
}

Coverage CostCoverage(const Profile& p) {
  Coverage c;
  c.nodes = static_cast<int64_t>(p.nodes.size());
  int64_t unsupported = 0;
  for (const UnsupportedOp& u : p.unsupported) unsupported += u.count;
  c.costed = c.nodes - unsupported;
  if (c.nodes) c.percent = 100.0 * static_cast<double>(c.costed) / static_cast<double>(c.nodes);
  return c;
}

}  // namespace tops
