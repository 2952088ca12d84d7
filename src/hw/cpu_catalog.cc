// Reads `cpu_cores` and the chips' `cpu` maps (schema in docs/hardware.md) with the catalog's
// strictness, and derives a chip's CPU rate from its cores.
#include "hw/cpu_catalog.h"

#include <regex>
#include <set>

#include "fmt/format.h"
#include "hw/llm_catalog.h"
#include "tops/error.h"

namespace tops {
namespace {

[[noreturn]] void Fail(const std::string& label, const std::string& what, const std::string& id,
                       const std::string& field, const std::string& message) {
  std::string where = label;
  if (!id.empty()) where += ": " + what + " '" + id + "'";
  if (!field.empty()) where += ": field '" + field + "'";
  throw Error(where + ": " + message);
}

void CheckKeys(const YAML::Node& node, const std::set<std::string>& allowed,
               const std::string& label, const std::string& what, const std::string& id,
               const std::string& field) {
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    if (allowed.count(key)) continue;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    Fail(label, what, id, field + "." + key, "unknown key (expected one of: " + list + ")");
  }
}

std::string Text(const YAML::Node& node, const std::string& label, const std::string& what,
                 const std::string& id, const std::string& field) {
  if (!node.IsScalar()) Fail(label, what, id, field, "expected a text value");
  return node.as<std::string>();
}

}  // namespace

std::vector<CpuCluster> ParseCpuClusters(const std::string& text, std::string* error) {
  // "<count>x <core> @ <clock> GHz", clusters joined by '+'.
  static const std::regex kCluster(R"(^\s*(\d+)\s*x\s*([A-Za-z][A-Za-z0-9 ._-]*?)\s*@\s*)"
                                   R"(([0-9]+(\.[0-9]+)?)\s*GHz\s*$)");
  std::vector<CpuCluster> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t plus = text.find('+', start);
    const std::string part =
        text.substr(start, plus == std::string::npos ? std::string::npos : plus - start);
    std::smatch m;
    if (!std::regex_match(part, m, kCluster)) {
      *error = "'" + part +
               "' is not of the form \"<count>x <core> @ <clock> GHz\" (clusters joined by '+')";
      return {};
    }
    CpuCluster c;
    c.count = std::stoi(m[1].str());
    c.core = m[2].str();
    c.ghz = std::stod(m[3].str());
    if (c.count < 1 || !(c.ghz > 0)) {
      *error = "'" + part + "': the core count and the clock must be positive";
      return {};
    }
    out.push_back(c);
    if (plus == std::string::npos) break;
    start = plus + 1;
  }
  return out;
}

ChipCpu ParseChipCpu(const YAML::Node& node, const std::string& label, const std::string& chip_id,
                     const std::string& chip_source) {
  ChipCpu cpu;
  if (!node || node.IsNull()) return cpu;
  if (!node.IsMap()) Fail(label, "chip", chip_id, "cpu", "expected a map {cores, source, gops}");
  CheckKeys(node, {"cores", "source", "gops", "note"}, label, "chip", chip_id, "cpu");
  if (!node["cores"]) Fail(label, "chip", chip_id, "cpu.cores", "missing");
  cpu.cores = Text(node["cores"], label, "chip", chip_id, "cpu.cores");
  std::string error;
  cpu.clusters = ParseCpuClusters(cpu.cores, &error);
  if (cpu.clusters.empty()) Fail(label, "chip", chip_id, "cpu.cores", error);
  cpu.source =
      node["source"] ? Text(node["source"], label, "chip", chip_id, "cpu.source") : chip_source;
  if (cpu.source.empty()) Fail(label, "chip", chip_id, "cpu.source", "the cores need a source");
  if (node["note"]) cpu.note = Text(node["note"], label, "chip", chip_id, "cpu.note");
  cpu.gops = ParseCatalogFigure(node["gops"], label, "chip", chip_id, "cpu.gops", cpu.source);
  if (cpu.gops.known() && !(*cpu.gops > 0)) {
    Fail(label, "chip", chip_id, "cpu.gops",
         "must be positive, got " + fmt::format("{:g}", *cpu.gops));
  }
  return cpu;
}

void ParseCpuCores(const YAML::Node& node, const std::string& label,
                   std::map<std::string, CpuCore>& cores) {
  if (!node.IsSequence()) Fail(label, "", "", "cpu_cores", "expected a list");
  for (const auto& n : node) {
    if (!n.IsMap() || !n["id"]) Fail(label, "", "", "cpu_cores", "each entry needs an id");
    CpuCore core;
    core.id = Text(n["id"], label, "core", "", "id");
    core.origin = label;
    CheckKeys(n, {"id", "fp32_flop_per_cycle", "source"}, label, "core", core.id, "");
    const std::string source =
        n["source"] ? Text(n["source"], label, "core", core.id, "source") : "";
    core.fp32_flop_per_cycle = ParseCatalogFigure(n["fp32_flop_per_cycle"], label, "core", core.id,
                                                  "fp32_flop_per_cycle", source);
    if (!core.fp32_flop_per_cycle.known() || !(*core.fp32_flop_per_cycle > 0)) {
      Fail(label, "core", core.id, "fp32_flop_per_cycle", "needs a positive value");
    }
    cores[core.id] = std::move(core);
  }
}

void ValidateChipCpu(const Chip& chip, const std::map<std::string, CpuCore>& cores) {
  for (const CpuCluster& c : chip.cpu.clusters) {
    if (cores.count(c.core)) continue;
    std::string list;
    for (const auto& [id, core] : cores) list += (list.empty() ? "" : ", ") + id;
    Fail(chip.origin, "chip", chip.id, "cpu.cores",
         "unknown core '" + c.core + "' (cpu_cores lists: " + list + ")");
  }
}

Figure DeriveCpuGops(const ChipCpu& cpu, const std::map<std::string, CpuCore>& cores,
                     const Family* efficiency) {
  Figure out;
  if (cpu.clusters.empty() || !efficiency) return out;
  const auto eff = efficiency->efficiency.find(OpClass::kGemm);
  if (eff == efficiency->efficiency.end() || !eff->second.known()) return out;
  double peak = 0;
  bool unverified = eff->second.status == FigureStatus::kUnverified;
  std::string terms, sources;
  std::set<std::string> cited;
  for (const CpuCluster& c : cpu.clusters) {
    const auto it = cores.find(c.core);
    if (it == cores.end()) return Figure{};
    const Figure& fpc = it->second.fp32_flop_per_cycle;
    peak += c.count * c.ghz * *fpc;
    unverified = unverified || fpc.status == FigureStatus::kUnverified;
    terms += fmt::format("{}{} x {:g} GHz x {:g} FLOP/cycle ({})", terms.empty() ? "" : " + ",
                         c.count, c.ghz, *fpc, c.core);
    if (cited.insert(c.core).second) sources += fmt::format("; {}: {}", c.core, fpc.source);
  }
  // Three significant digits, as the derivation text prints it.
  out.value = std::stod(fmt::format("{:.3g}", peak * *eff->second));
  out.status = unverified ? FigureStatus::kUnverified : FigureStatus::kDerived;
  out.how =
      fmt::format("{} = {:.4g} GFLOPS FP32 peak, x {:g} (family {}'s gemm efficiency: {}) = {:.3g}",
                  terms, peak, *eff->second, efficiency->id, eff->second.how, *out.value);
  out.source = "cores: " + cpu.source + sources + "; efficiency: " + eff->second.source;
  out.note = cpu.note;
  return out;
}

}  // namespace tops
