// Loads chip catalog YAML (schema in docs/hardware.md) and checks it. The loader is strict: an
// unknown key is an error, because a misspelt field would otherwise drop a figure silently and
// the analysis would call it unknown.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "core/text.h"
#include "hw/cpu_catalog.h"
#include "hw/llm_catalog.h"
#include "tops/chip.h"
#include "tops/error.h"

namespace tops {
namespace {

// Where a problem is: file, chip (or family) and field, the three things a fix needs.
class Context {
 public:
  Context(std::string label, std::string what, std::string id)
      : label_(std::move(label)), what_(std::move(what)), id_(std::move(id)) {}

  [[noreturn]] void Fail(const std::string& field, const std::string& message) const {
    std::string where = label_;
    if (!id_.empty()) where += ": " + what_ + " '" + id_ + "'";
    if (!field.empty()) where += ": field '" + field + "'";
    throw Error(where + ": " + message);
  }
  void set_id(std::string id) { id_ = std::move(id); }

 private:
  std::string label_;
  std::string what_;
  std::string id_;
};

void CheckKeys(const YAML::Node& node, const std::set<std::string>& allowed, const Context& ctx,
               const std::string& field) {
  for (const auto& kv : node) {
    std::string key = kv.first.as<std::string>();
    if (!allowed.count(key)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      ctx.Fail(field.empty() ? key : field + "." + key,
               "unknown key (expected one of: " + list + ")");
    }
  }
}

std::string Scalar(const YAML::Node& node, const Context& ctx, const std::string& field) {
  if (!node.IsScalar()) ctx.Fail(field, "expected a text value");
  return node.as<std::string>();
}

double Number(const YAML::Node& node, const Context& ctx, const std::string& field) {
  if (!node.IsScalar()) ctx.Fail(field, "expected a number");
  double v = 0;
  try {
    v = node.as<double>();
  } catch (const YAML::Exception&) {
    ctx.Fail(field, "expected a number, got '" + node.as<std::string>() + "'");
  }
  if (!std::isfinite(v)) ctx.Fail(field, "expected a finite number");
  return v;
}

bool Bool(const YAML::Node& node, const Context& ctx, const std::string& field) {
  try {
    return node.as<bool>();
  } catch (const YAML::Exception&) {
    ctx.Fail(field, "expected true or false");
  }
}

FigureStatus ParseStatus(const YAML::Node& node, const Context& ctx, const std::string& field) {
  std::string s = Scalar(node, ctx, field);
  if (s == "published") return FigureStatus::kPublished;
  if (s == "derived") return FigureStatus::kDerived;
  if (s == "unverified") return FigureStatus::kUnverified;
  ctx.Fail(field, "unknown status '" + s + "' (expected published, derived or unverified)");
}

// A figure is written as {value, status, source, how, note}; null or a missing key is unknown.
// The source defaults to the chip's `source`, so a file can name its datasheet once.
// Status, source and derivation of a known figure (Figure or ListFigure): every figure in the
// catalog must say where it comes from, and a derived one how.
template <typename F>
void ReadProvenance(const YAML::Node& node, const Context& ctx, const std::string& field,
                    const std::string& default_source, F& f) {
  if (!node["status"]) ctx.Fail(field + ".status", "missing (published, derived or unverified)");
  f.status = ParseStatus(node["status"], ctx, field + ".status");
  f.source = node["source"] ? Scalar(node["source"], ctx, field + ".source") : default_source;
  if (node["how"]) f.how = Scalar(node["how"], ctx, field + ".how");
  if (f.source.empty()) ctx.Fail(field + ".source", "a known figure needs a source");
  if (f.status == FigureStatus::kDerived && f.how.empty()) {
    ctx.Fail(field + ".how", "a derived figure must say how it was derived");
  }
}

Figure ParseFigure(const YAML::Node& node, const Context& ctx, const std::string& field,
                   const std::string& default_source) {
  Figure f;
  if (!node || node.IsNull()) return f;
  if (!node.IsMap()) {
    ctx.Fail(field, "expected a map {value, status, source, how, note} or null");
  }
  CheckKeys(node, {"value", "status", "source", "how", "note"}, ctx, field);
  if (node["note"]) f.note = Scalar(node["note"], ctx, field + ".note");
  if (!node["value"] || node["value"].IsNull()) return f;  // unknown, possibly with a note
  f.value = Number(node["value"], ctx, field + ".value");
  ReadProvenance(node, ctx, field, default_source, f);
  return f;
}

ListFigure ParseListFigure(const YAML::Node& node, const Context& ctx, const std::string& field,
                           const std::string& default_source) {
  ListFigure f;
  if (!node || node.IsNull()) return f;
  if (!node.IsMap()) ctx.Fail(field, "expected a map {values, status, source, how, note} or null");
  CheckKeys(node, {"values", "status", "source", "how", "note"}, ctx, field);
  if (node["note"]) f.note = Scalar(node["note"], ctx, field + ".note");
  const YAML::Node values = node["values"];
  if (!values || values.IsNull()) return f;
  if (!values.IsSequence()) ctx.Fail(field + ".values", "expected a list of numbers");
  for (size_t i = 0; i < values.size(); ++i) {
    f.values.push_back(Number(values[i], ctx, field + ".values[" + std::to_string(i) + "]"));
  }
  ReadProvenance(node, ctx, field, default_source, f);
  return f;
}

void RequirePositive(const Figure& f, const Context& ctx, const std::string& field) {
  if (f.known() && !(*f > 0)) ctx.Fail(field, "must be positive, got " + std::to_string(*f));
}

void RequireFraction(const Figure& f, const Context& ctx, const std::string& field) {
  if (f.known() && !(*f > 0 && *f <= 1)) {
    ctx.Fail(field, "must be in (0, 1], got " + std::to_string(*f));
  }
}

ChipKind ParseKind(const YAML::Node& node, const Context& ctx) {
  std::string s = Scalar(node, ctx, "kind");
  for (ChipKind k :
       {ChipKind::kNpu, ChipKind::kGpu, ChipKind::kSoc, ChipKind::kCpu, ChipKind::kAccelerator}) {
    if (s == ChipKindName(k)) return k;
  }
  ctx.Fail("kind", "unknown kind '" + s + "' (expected npu, gpu, soc, cpu or accelerator)");
}

// A family, or a calibration entry (`calibration`: the figures solved for a family or a chip on
// one runtime, written by `tops calibrate`; every figure present, its id the target's).
Family ParseFamily(const YAML::Node& node, const std::string& label, bool calibration = false) {
  Context ctx(label, calibration ? "calibration" : "family", "");
  if (!node.IsMap()) ctx.Fail("", "each entry must be a map");
  Family fam;
  if (calibration) {
    if (!node["family"] == !node["chip"]) ctx.Fail("", "name either a family or a chip");
    fam.id = Scalar(node[node["family"] ? "family" : "chip"], ctx, "family");
    ctx.set_id(fam.id);
    if (!node["runtime"]) ctx.Fail("runtime", "missing");
    fam.runtime = Scalar(node["runtime"], ctx, "runtime");
  } else {
    if (!node["id"]) ctx.Fail("id", "missing");
    fam.id = Scalar(node["id"], ctx, "id");
    ctx.set_id(fam.id);
  }
  fam.origin = label;
  std::set<std::string> keys = {"description",
                                "efficiency",
                                "layer_overhead_us",
                                "inference_overhead_us",
                                "context_switch_us",
                                "context_capacity_mb_per_tops",
                                "context_layers_per_tops",
                                "fuses_elementwise",
                                "weights_resident",
                                "splits_into_contexts",
                                "basis",
                                "source"};
  if (calibration) {
    keys.insert({"family", "chip", "runtime", "default", "band", "peak_share", "overhead_share"});
  } else {  // the CPU list is the family's (calibration entries take it from there)
    keys.insert({"id", "cpu_ops", "cpu_ops_source", "cpu_ops_note", "cpu_ops_cut_graph"});
  }
  CheckKeys(node, keys, ctx, "");
  std::string source = node["source"] ? Scalar(node["source"], ctx, "source") : "";
  if (node["description"]) fam.description = Scalar(node["description"], ctx, "description");
  if (node["basis"]) fam.basis = Scalar(node["basis"], ctx, "basis");
  const YAML::Node eff = node["efficiency"];
  if (!eff || !eff.IsMap()) ctx.Fail("efficiency", "missing map of op class -> figure");
  std::set<std::string> classes;
  for (OpClass c : AllOpClasses()) classes.insert(std::string(OpClassName(c)));
  CheckKeys(eff, classes, ctx, "efficiency");
  for (OpClass c : AllOpClasses()) {
    const std::string name(OpClassName(c));
    const std::string field = "efficiency." + name;
    const bool required = calibration || c == OpClass::kConv || c == OpClass::kDepthwise ||
                          c == OpClass::kGemm || c == OpClass::kElementwise;
    if (!eff[name] && !required) continue;
    Figure f = ParseFigure(eff[name], ctx, field, source);
    if (!f.known()) ctx.Fail(field, "every op class needs an efficiency");
    RequireFraction(f, ctx, field);
    fam.efficiency[c] = f;
  }
  fam.layer_overhead_us = ParseFigure(node["layer_overhead_us"], ctx, "layer_overhead_us", source);
  if (!fam.layer_overhead_us.known()) ctx.Fail("layer_overhead_us", "missing");
  for (auto [key, figure] : {std::pair{"layer_overhead_us", &fam.layer_overhead_us},
                             {"inference_overhead_us", &fam.inference_overhead_us},
                             {"context_switch_us", &fam.context_switch_us},
                             {"context_capacity_mb_per_tops", &fam.context_capacity_mb_per_tops},
                             {"context_layers_per_tops", &fam.context_layers_per_tops}}) {
    *figure = ParseFigure(node[key], ctx, key, source);
    if (figure->known() && **figure < 0) ctx.Fail(key, "must not be negative");
  }
  if (node["fuses_elementwise"]) {
    fam.fuses_elementwise = Bool(node["fuses_elementwise"], ctx, "fuses_elementwise");
  }
  if (node["splits_into_contexts"]) {
    fam.splits_into_contexts = Bool(node["splits_into_contexts"], ctx, "splits_into_contexts");
  }
  if (node["weights_resident"]) {
    fam.weights_resident = Bool(node["weights_resident"], ctx, "weights_resident");
  }
  if (const YAML::Node ops = node["cpu_ops"]) {
    if (!ops.IsSequence()) ctx.Fail("cpu_ops", "expected a list of ONNX op types");
    for (const auto& op : ops) {
      fam.cpu_ops.push_back(Scalar(op, ctx, "cpu_ops"));
      if (fam.cpu_ops.back().empty()) ctx.Fail("cpu_ops", "an op type must not be empty");
    }
    if (!node["cpu_ops_source"]) ctx.Fail("cpu_ops_source", "a list of CPU ops needs its source");
  }
  if (node["cpu_ops_source"])
    fam.cpu_ops_source = Scalar(node["cpu_ops_source"], ctx, "cpu_ops_source");
  if (node["cpu_ops_note"]) fam.cpu_ops_note = Scalar(node["cpu_ops_note"], ctx, "cpu_ops_note");
  if (node["cpu_ops_cut_graph"]) {
    fam.cpu_ops_cut_graph = Bool(node["cpu_ops_cut_graph"], ctx, "cpu_ops_cut_graph");
  }
  for (auto [key, shares] :
       {std::pair{"peak_share", &fam.peak_share}, {"overhead_share", &fam.overhead_share}}) {
    const YAML::Node map = node[key];
    if (!map) continue;
    const std::string field(key);
    if (!map.IsMap()) ctx.Fail(field, "expected a map chip id -> share");
    for (const auto& kv : map) {
      const std::string chip = kv.first.as<std::string>();
      const double v = Number(kv.second, ctx, field + "." + chip);
      if (!(v > 0 && v <= 10)) ctx.Fail(field + "." + chip, "expected a share in (0, 10]");
      (*shares)[chip] = v;
    }
  }
  if (const YAML::Node band = node["band"]) {
    if (!band.IsMap()) ctx.Fail("band", "expected a map {low, high, rows, scope}");
    CheckKeys(band, {"low", "high", "rows", "scope"}, ctx, "band");
    for (const char* k : {"low", "high", "rows"}) {
      if (!band[k]) ctx.Fail(std::string("band.") + k, "missing");
    }
    fam.band.low = Number(band["low"], ctx, "band.low");
    fam.band.high = Number(band["high"], ctx, "band.high");
    fam.band.rows = static_cast<int64_t>(Number(band["rows"], ctx, "band.rows"));
    if (band["scope"]) fam.band.scope = Scalar(band["scope"], ctx, "band.scope");
    if (!(fam.band.low > 0 && fam.band.low <= 1 && fam.band.high >= 1)) {
      ctx.Fail("band", "expected 0 < low <= 1 <= high");
    }
  }
  return fam;
}

Peak ParsePeak(const YAML::Node& node, const Context& ctx, const std::string& field,
               const std::string& source) {
  Peak p;
  if (!node || node.IsNull()) return p;
  if (!node.IsMap()) ctx.Fail(field, "expected a map {dense, sparse, sparsity, covers}");
  CheckKeys(node, {"dense", "sparse", "sparsity", "covers", "single_inference"}, ctx, field);
  p.dense = ParseFigure(node["dense"], ctx, field + ".dense", source);
  p.single_inference =
      ParseFigure(node["single_inference"], ctx, field + ".single_inference", source);
  RequirePositive(p.single_inference, ctx, field + ".single_inference");
  if (p.single_inference.known() && p.dense.known() && *p.single_inference > *p.dense) {
    ctx.Fail(field + ".single_inference", "exceeds the dense peak " + std::to_string(*p.dense));
  }
  p.sparse = ParseFigure(node["sparse"], ctx, field + ".sparse", source);
  if (node["sparsity"]) p.sparsity = Scalar(node["sparsity"], ctx, field + ".sparsity");
  if (node["covers"]) p.covers = Scalar(node["covers"], ctx, field + ".covers");
  RequirePositive(p.dense, ctx, field + ".dense");
  RequirePositive(p.sparse, ctx, field + ".sparse");
  if (p.sparse.known() && p.sparsity.empty()) {
    ctx.Fail(field + ".sparsity", "a sparse figure must name its sparsity pattern (e.g. \"2:4\")");
  }
  if (p.sparse.known() && p.dense.known() && *p.sparse < *p.dense) {
    ctx.Fail(field + ".sparse", "sparse peak " + std::to_string(*p.sparse) +
                                    " is below the dense peak " + std::to_string(*p.dense));
  }
  if ((p.dense.known() || p.sparse.known()) && p.covers.empty()) {
    ctx.Fail(field + ".covers", "say which units the peak covers (e.g. \"GPU + 2x DLA\")");
  }
  return p;
}

Chip ParseChip(const YAML::Node& node, const std::string& label) {
  Context ctx(label, "chip", "");
  if (!node.IsMap()) ctx.Fail("", "each entry of 'chips' must be a map");
  if (!node["id"]) ctx.Fail("id", "missing");
  Chip c;
  c.id = Scalar(node["id"], ctx, "id");
  ctx.set_id(c.id);
  c.origin = label;
  if (c.id.empty() || c.id.find_first_of(" \t@") != std::string::npos) {
    ctx.Fail("id", "must be non-empty without spaces or '@'");
  }
  CheckKeys(node,
            {"id", "aliases", "name", "vendor", "kind", "family", "source", "peaks", "cores",
             "one_inference_uses_all", "memory", "power_modes_w", "peaks_quoted_at_w",
             "mode_peak_share", "mode_single_share", "notes", "cpu"},
            ctx, "");
  for (const char* key : {"name", "vendor", "kind", "family"}) {
    if (!node[key]) ctx.Fail(key, "missing");
  }
  c.name = Scalar(node["name"], ctx, "name");
  c.vendor = Scalar(node["vendor"], ctx, "vendor");
  c.kind = ParseKind(node["kind"], ctx);
  c.family = Scalar(node["family"], ctx, "family");
  if (node["source"]) c.source = Scalar(node["source"], ctx, "source");
  if (node["notes"]) c.notes = Scalar(node["notes"], ctx, "notes");
  if (node["aliases"]) {
    if (!node["aliases"].IsSequence()) ctx.Fail("aliases", "expected a list");
    for (const auto& a : node["aliases"]) c.aliases.push_back(Scalar(a, ctx, "aliases"));
  }
  const YAML::Node peaks = node["peaks"];
  if (peaks && !peaks.IsNull()) {
    if (!peaks.IsMap()) ctx.Fail("peaks", "expected a map of precision -> peak");
    for (const auto& kv : peaks) {
      std::string key = kv.first.as<std::string>();
      auto p = ParsePrecision(key);
      if (!p || key != PrecisionName(*p)) {
        ctx.Fail("peaks." + key, "unknown precision (expected int4, int8, fp16, bf16, fp32)");
      }
      c.peaks[*p] = ParsePeak(kv.second, ctx, "peaks." + key, c.source);
    }
  }
  c.cpu = ParseChipCpu(node["cpu"], label, c.id, c.source);
  c.cores = ParseFigure(node["cores"], ctx, "cores", c.source);
  if (c.cores.known() && (*c.cores < 1 || std::floor(*c.cores) != *c.cores)) {
    ctx.Fail("cores", "must be a whole number >= 1");
  }
  if (node["one_inference_uses_all"]) {
    c.one_inference_uses_all = Bool(node["one_inference_uses_all"], ctx, "one_inference_uses_all");
  }
  for (const auto& [prec, peak] : c.peaks) {
    std::string field = "peaks." + std::string(PrecisionName(prec)) + ".single_inference";
    if (c.one_inference_uses_all.value_or(false) && peak.single_inference.known() &&
        peak.dense.known() && *peak.single_inference < *peak.dense) {
      ctx.Fail(field, "contradicts one_inference_uses_all: true (it is below the dense peak)");
    }
    if (c.one_inference_uses_all.has_value() && !*c.one_inference_uses_all && peak.dense.known() &&
        !peak.single_inference.known()) {
      ctx.Fail(field, "one_inference_uses_all is false: say which peak one inference can use");
    }
  }
  const YAML::Node mem = node["memory"];
  if (mem && !mem.IsNull()) {
    if (!mem.IsMap()) ctx.Fail("memory", "expected a map");
    CheckKeys(mem, {"external", "bandwidth_gbs", "on_chip_mb", "size_gb", "type"}, ctx, "memory");
    if (mem["external"]) c.external_memory = Bool(mem["external"], ctx, "memory.external");
    c.memory_bandwidth_gbs =
        ParseFigure(mem["bandwidth_gbs"], ctx, "memory.bandwidth_gbs", c.source);
    c.on_chip_memory_mb = ParseFigure(mem["on_chip_mb"], ctx, "memory.on_chip_mb", c.source);
    c.memory_gb = ParseFigure(mem["size_gb"], ctx, "memory.size_gb", c.source);
    RequirePositive(c.memory_bandwidth_gbs, ctx, "memory.bandwidth_gbs");
    RequirePositive(c.on_chip_memory_mb, ctx, "memory.on_chip_mb");
    RequirePositive(c.memory_gb, ctx, "memory.size_gb");
    if (!c.external_memory && (c.memory_bandwidth_gbs.known() || c.memory_gb.known())) {
      ctx.Fail("memory.bandwidth_gbs",
               "external: false contradicts an external memory bandwidth or size");
    }
  }
  c.power_modes_w = ParseListFigure(node["power_modes_w"], ctx, "power_modes_w", c.source);
  for (size_t i = 0; i < c.power_modes_w.values.size(); ++i) {
    if (!(c.power_modes_w.values[i] > 0)) ctx.Fail("power_modes_w", "modes must be positive");
    if (i > 0 && c.power_modes_w.values[i] <= c.power_modes_w.values[i - 1]) {
      ctx.Fail("power_modes_w", "modes must be listed in ascending order without repeats");
    }
  }
  c.peaks_quoted_at_w = ParseFigure(node["peaks_quoted_at_w"], ctx, "peaks_quoted_at_w", c.source);
  if (c.peaks_quoted_at_w.known()) {
    const auto& modes = c.power_modes_w.values;
    if (std::find(modes.begin(), modes.end(), *c.peaks_quoted_at_w) == modes.end()) {
      ctx.Fail("peaks_quoted_at_w", "is not one of the power modes");
    }
  }
  for (const char* field : {"mode_peak_share", "mode_single_share"}) {
    ListFigure& f =
        std::string(field) == "mode_peak_share" ? c.mode_peak_share : c.mode_single_share;
    f = ParseListFigure(node[field], ctx, field, c.source);
    if (!f.known()) continue;
    if (f.values.size() != c.power_modes_w.values.size()) {
      ctx.Fail(field, "has " + std::to_string(f.values.size()) + " values for " +
                          std::to_string(c.power_modes_w.values.size()) + " power modes");
    }
    for (double v : f.values) {
      if (!(v > 0 && v <= 2)) ctx.Fail(field, "shares must be in (0, 2]");
    }
  }
  return c;
}

}  // namespace

Figure ParseCatalogFigure(const YAML::Node& node, const std::string& label, const std::string& what,
                          const std::string& id, const std::string& field,
                          const std::string& default_source) {
  return ParseFigure(node, Context(label, what, id), field, default_source);
}

void Catalog::LoadText(const std::string& text, const std::string& label) {
  Parse(text, label);
  Validate();
  InheritCpuFallback();
  DeriveCpuRates();
}

void Catalog::InheritCpuFallback() {
  for (auto& [key, f] : calibrations_) {
    const Chip* chip = key.rfind("chip:", 0) == 0 ? Find(f.id) : nullptr;
    const auto base = families_.find(chip ? chip->family : f.id);
    if (base == families_.end()) continue;
    f.cpu_ops = base->second.cpu_ops;
    f.cpu_ops_source = base->second.cpu_ops_source;
    f.cpu_ops_note = base->second.cpu_ops_note;
    f.cpu_ops_cut_graph = base->second.cpu_ops_cut_graph;
  }
}

void Catalog::DeriveCpuRates() {
  const auto eff = families_.find(kCpuEfficiencyFamily);
  for (Chip& c : chips_) {
    if (c.cpu.gops.known()) continue;  // given by the file (or derived by an earlier load)
    c.cpu.gops = DeriveCpuGops(c.cpu, cpu_cores_, eff == families_.end() ? nullptr : &eff->second);
  }
}

void Catalog::Parse(const std::string& text, const std::string& label) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw Error(label + ": line " + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg);
  }
  Context ctx(label, "", "");
  if (!root.IsMap()) ctx.Fail("", "expected a map with 'chips' and/or 'families'");
  try {
    CheckKeys(root,
              {"schema_version", "vendor", "families", "chips", "llm_runtimes", "llm_families",
               "calibrations", "cpu_cores"},
              ctx, "");
    if (root["schema_version"] && Number(root["schema_version"], ctx, "schema_version") != 1) {
      ctx.Fail("schema_version", "unsupported (this build reads schema_version 1)");
    }
    std::set<std::string> seen;
    if (root["cpu_cores"]) ParseCpuCores(root["cpu_cores"], label, cpu_cores_);
    if (root["families"]) {
      if (!root["families"].IsSequence()) ctx.Fail("families", "expected a list");
      for (const auto& n : root["families"]) {
        Family f = ParseFamily(n, label);
        if (!seen.insert("family:" + f.id).second) {
          Context(label, "family", f.id).Fail("id", "defined twice in this file");
        }
        families_[f.id] = std::move(f);
      }
    }
    if (root["chips"]) {
      if (!root["chips"].IsSequence()) ctx.Fail("chips", "expected a list");
      for (const auto& n : root["chips"]) {
        Chip c = ParseChip(n, label);
        if (!seen.insert("chip:" + c.id).second) {
          Context(label, "chip", c.id).Fail("id", "defined twice in this file");
        }
        auto it =
            std::find_if(chips_.begin(), chips_.end(), [&](const Chip& o) { return o.id == c.id; });
        if (it != chips_.end()) {
          *it = std::move(c);  // a later file (a user's --chips) overrides
        } else {
          chips_.push_back(std::move(c));
        }
      }
    }
    if (root["calibrations"]) {
      if (!root["calibrations"].IsSequence()) ctx.Fail("calibrations", "expected a list");
      for (const auto& n : root["calibrations"]) {
        Family f = ParseFamily(n, label, true);
        const std::string key =
            std::string(n["chip"] ? "chip:" : "family:") + f.id + "@" + f.runtime;
        if (!seen.insert("calibration:" + key).second) {
          Context(label, "calibration", f.id).Fail("runtime", "defined twice in this file");
        }
        if (n["default"] && Bool(n["default"], ctx, "default")) {
          default_runtime_[(n["chip"] ? "chip:" : "family:") + f.id] = f.runtime;
        }
        calibrations_[key] = std::move(f);
      }
    }
    ParseLlmSections(root, label, llm_runtimes_, llm_families_);
  } catch (const YAML::Exception& e) {
    throw Error(label + ": line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

void Catalog::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open chip file");
  std::stringstream ss;
  ss << in.rdbuf();
  LoadText(ss.str(), path);
}

// Cross-entry checks: names must resolve to one chip, and every family a chip names must exist.
void Catalog::Validate() const {
  std::map<std::string, std::string> names;  // lower-case id or alias -> chip id
  for (const Chip& c : chips_) {
    Context ctx(c.origin, "chip", c.id);
    if (!families_.count(c.family)) ctx.Fail("family", "unknown family '" + c.family + "'");
    ValidateChipCpu(c, cpu_cores_);
    std::vector<std::string> all = c.aliases;
    all.insert(all.begin(), c.id);
    for (size_t i = 0; i < all.size(); ++i) {
      auto [it, inserted] = names.emplace(AsciiLower(all[i]), c.id);
      if (!inserted && it->second != c.id) {
        ctx.Fail(i == 0 ? "id" : "aliases",
                 "'" + all[i] + "' is already a name of chip '" + it->second + "'");
      }
    }
  }
  for (const auto& [key, f] : calibrations_) {
    const bool chip = key.rfind("chip:", 0) == 0;
    if (chip ? !Find(f.id) : !families_.count(f.id)) {
      Context(f.origin, "calibration", f.id)
          .Fail(chip ? "chip" : "family", "unknown " + std::string(chip ? "chip" : "family"));
    }
  }
  ValidateLlmSections(*this);
}

Catalog Catalog::Builtin() {
  // Parsed once per process: the embedded text never changes, and rank/fit call this often.
  static const Catalog kBuiltin = [] {
    Catalog catalog;
    // Validation waits for every file: a vendor file may use a family defined in another one.
    for (const auto& [name, text] : EmbeddedChipFiles()) {
      catalog.Parse(text, "data/chips/" + name);
    }
    catalog.Validate();
    catalog.InheritCpuFallback();
    catalog.DeriveCpuRates();
    return catalog;
  }();
  return kBuiltin;
}

}  // namespace tops
