// Per-node figures for a graph viewer: each node's share of the model's MACs and, on a chip, of
// the predicted inference time. Nothing here prints; src/report/netron_writer.cc serialises.
#include <map>
#include <string>

#include "tops/netron.h"

namespace tops {

Overlay BuildOverlay(const Profile& profile, const ChipReport* chip) {
  Overlay o;
  o.profile = &profile;
  const size_t n = profile.nodes.size();
  const double total_macs = static_cast<double>(profile.totals.macs);
  o.macs_share.assign(n, std::nullopt);
  std::map<std::string, int> names;
  for (size_t i = 0; i < n; ++i) {
    const NodeProfile& node = profile.nodes[i];
    if (node.macs && total_macs > 0) o.macs_share[i] = static_cast<double>(*node.macs) / total_macs;
    if (node.name.empty()) {
      ++o.unnamed_nodes;
    } else {
      ++names[node.name];
    }
  }
  for (const auto& [name, count] : names) {
    if (count > 1) o.shared_name_nodes += count;
  }
  o.shown.assign(n, false);
  o.same_name.assign(n, 0);
  std::map<std::string, bool> written;
  for (size_t i = 0; i < n; ++i) {
    const std::string& name = profile.nodes[i].name;
    if (name.empty()) continue;
    o.same_name[i] = names[name];
    o.shown[i] = !written[name];
    written[name] = true;
  }
  if (chip == nullptr) return o;

  OverlayChip c;
  c.id = chip->fit.chip_id;
  c.name = chip->fit.chip_name;
  c.precision = chip->fit.precision;
  const Prediction& pred = chip->fit.predicted;
  c.predicted = pred.available && !pred.models.empty();
  c.missing = pred.missing;
  if (c.predicted) c.latency_ms = pred.models[0].latency_ms;
  o.times.assign(n, NodeTime{});
  if (c.predicted && chip->node_time_ms.size() == n) {
    for (size_t i = 0; i < n; ++i) {
      const auto& t = chip->node_time_ms[i];
      if (!t) continue;
      o.times[i].time_ms = *t;
      if (c.latency_ms > 0) o.times[i].time_share = *t / c.latency_ms;
      o.times[i].bound = chip->node_bound[i];
    }
  }
  o.chip = std::move(c);
  return o;
}

}  // namespace tops
