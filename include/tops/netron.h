// Netron overlay: a model's per-node figures in the attachment file that the Netron viewer
// (lutzroeder/netron, 8.2.8 and later) opens on top of a model it is showing. The file is JSON:
//
//   {"signature": "netron:attachment",
//    "metadata": [{"kind": "model", "target": "", "name": "...", "value": "..."}, ...],
//    "metrics":  [{"kind": "node", "target": "<node name>", "name": "macs", "value": 118013952,
//                  "type": "int64"}, ...]}
//
// Netron keys each entry by kind and target: a node entry reaches the node whose name (its first
// line) equals `target`, and shows under "Metrics" in that node's sidebar; model entries show in
// the model's properties. Netron has no other way to address a node, so a node without a name
// cannot be reached, and nodes sharing a name would share one set of metrics: the overlay writes
// the first of them (with a note saying so), leaves the others and the unnamed out, and counts
// them.
// docs/netron.md says how to open the file and which Netron versions read it.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tops/fit.h"
#include "tops/profile.h"
#include "tops/report_data.h"

namespace tops {

// Figures of one node on the chosen chip (absent without a chip or where the node is not timed:
// shape arithmetic folded at compile time, or no cost formula).
struct NodeTime {
  std::optional<double> time_ms;     // roofline time of the node
  std::optional<double> time_share;  // time_ms / the inference's predicted latency, 0..1
  std::optional<Bound> bound;
};

struct OverlayChip {
  std::string id;
  std::string name;
  Precision precision = Precision::kInt8;
  bool predicted = false;              // false: the catalog lacks figures the roofline needs
  std::vector<MissingFigure> missing;  // those figures
  double latency_ms = 0;               // predicted latency of one inference (sum of node times)
};

struct Overlay {
  const Profile* profile = nullptr;
  std::vector<std::optional<double>> macs_share;  // per node: MACs / model MACs, 0..1
  std::optional<OverlayChip> chip;
  std::vector<NodeTime> times;  // per node, indexed like Profile::nodes (empty without a chip)
  // Per node: written to the overlay (named, and the first node of its name).
  std::vector<bool> shown;
  // Per node: how many nodes of the graph have its name (1 for a unique name, 0 when unnamed).
  std::vector<int> same_name;
  int64_t unnamed_nodes = 0;      // nodes Netron cannot address (no name in the file)
  int64_t shared_name_nodes = 0;  // nodes whose name another node also has
};

// The overlay of a profile, with per-node times from `chip` (a ChipReport of the same profile,
// from BuildReport) when given. The profile must outlive the overlay.
Overlay BuildOverlay(const Profile& profile, const ChipReport* chip);

// The Netron attachment JSON (format above), one entry per named node and metric.
void WriteNetronAttachment(std::ostream& os, const Overlay& overlay);

}  // namespace tops
