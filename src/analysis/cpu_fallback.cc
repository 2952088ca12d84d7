#include "analysis/cpu_fallback.h"

#include <algorithm>
#include <map>

#include "fmt/format.h"

namespace tops::analysis {

double CpuGopsOf(const ChipCpu* cpu) {
  return cpu && cpu->gops.known() ? *cpu->gops : kDefaultCpuGops;
}

bool IsCpuOp(const Family& family, std::string_view op) {
  return std::find(family.cpu_ops.begin(), family.cpu_ops.end(), op) != family.cpu_ops.end();
}

void PlaceOnCpu(WorkItem* w, double transfer_bytes, double cpu_gops, double bandwidth_gbs) {
  w->on_cpu = true;
  w->overhead = false;  // not an NPU layer
  w->dram_bytes = transfer_bytes;
  w->cpu_compute_s = w->ops / (cpu_gops * 1e9);
  const double transfer_s = bandwidth_gbs > 0 ? transfer_bytes / (bandwidth_gbs * 1e9) : 0;
  w->cpu_s = w->cpu_compute_s + transfer_s;
}

void AddCpuFallbackCaveat(const InferenceWork& work, const Profile& profile, const Family& family,
                          const ChipCpu* cpu, const std::string& label,
                          std::vector<Caveat>* caveats) {
  std::map<std::string, int> by_op;
  int nodes = 0;
  const NodeProfile* first = nullptr;
  for (const WorkItem& w : work.items) {
    if (!w.on_cpu) continue;
    const NodeProfile& node = profile.nodes[w.node];
    if (!first && IsCpuOp(family, node.op)) first = &node;
    ++by_op[node.op];
    ++nodes;
  }
  if (nodes == 0) return;
  std::vector<std::pair<std::string, int>> ops(by_op.begin(), by_op.end());
  std::stable_sort(ops.begin(), ops.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string list;
  for (const auto& [op, n] : ops) list += fmt::format("{}{} x{}", list.empty() ? "" : ", ", op, n);
  std::string text =
      fmt::format("{}: {} node(s) run on the CPU on this family: {} (vendor's list: {})", label,
                  nodes, list, family.cpu_ops_source);
  if (family.cpu_ops_cut_graph && first) {
    text += fmt::format(
        "; the compiler cuts the graph at the first op it cannot map ({} '{}'): "
        "every later node runs on the CPU too",
        first->op, first->name);
  }
  if (cpu && cpu->gops.known()) {
    text += fmt::format("; CPU ({}) at {:.3g} GOPS ({}: {})", cpu->cores, *cpu->gops,
                        FigureStatusName(cpu->gops.status),
                        cpu->gops.how.empty() ? cpu->gops.source : cpu->gops.how);
  } else {
    text += fmt::format("; CPU at an assumed {:g} GOPS ({})", kDefaultCpuGops,
                        cpu && !cpu->cores.empty()
                            ? "no rate for its cores (" + cpu->cores + ")"
                            : "the catalog has no CPU for this chip; an accelerator on a "
                              "USB / PCIe link runs them on the user's host");
  }
  caveats->push_back({CaveatKind::kCpuFallback, "cpu_ops", text});
}

}  // namespace tops::analysis
