// Reads llm_runtimes and llm_families (schema in docs/llm.md) with the catalog's strictness: an
// unknown key is an error, every known figure has a source.
#include "hw/llm_catalog.h"

#include <algorithm>
#include <set>

#include "tops/error.h"

namespace tops {
namespace {

[[noreturn]] void Fail(const std::string& label, const std::string& what, const std::string& id,
                       const std::string& message) {
  throw Error(label + ": " + what + (id.empty() ? "" : " '" + id + "'") + ": " + message);
}

void CheckKeys(const YAML::Node& node, const std::set<std::string>& allowed,
               const std::string& label, const std::string& what, const std::string& id) {
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    if (allowed.count(key)) continue;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    Fail(label, what, id, "unknown key '" + key + "' (expected one of: " + list + ")");
  }
}

std::string Text(const YAML::Node& n, const std::string& key, const std::string& label,
                 const std::string& what, const std::string& id, bool required) {
  if (!n[key] || n[key].IsNull()) {
    if (required) Fail(label, what, id, "field '" + key + "' missing");
    return "";
  }
  if (!n[key].IsScalar()) Fail(label, what, id, "field '" + key + "' must be text");
  return n[key].as<std::string>();
}

std::vector<std::string> List(const YAML::Node& n, const std::string& key, const std::string& label,
                              const std::string& what, const std::string& id) {
  std::vector<std::string> out;
  if (!n[key]) return out;
  if (!n[key].IsSequence()) Fail(label, what, id, "field '" + key + "' must be a list");
  for (const auto& v : n[key]) {
    if (!v.IsScalar()) Fail(label, what, id, "field '" + key + "' must list text values");
    out.push_back(v.as<std::string>());
  }
  return out;
}

LlmRuntime ParseRuntime(const YAML::Node& n, const std::string& label) {
  const std::string what = "llm runtime";
  if (!n.IsMap()) Fail(label, what, "", "each entry of 'llm_runtimes' must be a map");
  LlmRuntime r;
  r.id = Text(n, "id", label, what, "", true);
  CheckKeys(n,
            {"id", "name", "vendor", "unit", "chips", "formats", "prefill_chunk", "kv_cache",
             "source", "notes"},
            label, what, r.id);
  r.name = Text(n, "name", label, what, r.id, true);
  r.vendor = Text(n, "vendor", label, what, r.id, false);
  r.unit = Text(n, "unit", label, what, r.id, true);
  if (r.unit != "npu" && r.unit != "gpu" && r.unit != "cpu") {
    Fail(label, what, r.id, "unit must be npu, gpu or cpu");
  }
  const std::string kv = Text(n, "kv_cache", label, what, r.id, false);
  if (!kv.empty() && kv != "static" && kv != "dynamic") {
    Fail(label, what, r.id, "kv_cache must be static or dynamic");
  }
  r.static_kv = kv == "static";
  r.source = Text(n, "source", label, what, r.id, true);
  r.notes = Text(n, "notes", label, what, r.id, false);
  r.chips = List(n, "chips", label, what, r.id);
  r.formats = List(n, "formats", label, what, r.id);
  static const std::set<std::string> kFormats = {
      "fp32", "fp16", "bf16", "w8a8", "w8a16", "w4a16", "w4a16_g32", "w4a16_g64", "w4a16_g128"};
  for (const auto& f : r.formats) {
    if (!kFormats.count(f)) Fail(label, what, r.id, "unknown weight format '" + f + "'");
  }
  r.prefill_chunk =
      ParseCatalogFigure(n["prefill_chunk"], label, what, r.id, "prefill_chunk", r.source);
  if (r.prefill_chunk.known() && !(*r.prefill_chunk >= 1)) {
    Fail(label, what, r.id, "prefill_chunk must be at least 1");
  }
  r.origin = label;
  return r;
}

LlmFamily ParseLlmFamily(const YAML::Node& n, const std::string& label) {
  const std::string what = "llm family";
  if (!n.IsMap()) Fail(label, what, "", "each entry of 'llm_families' must be a map");
  LlmFamily f;
  f.id = Text(n, "id", label, what, "", true);
  CheckKeys(n,
            {"id", "chip_family", "runtime", "decode_bandwidth_efficiency", "prefill_efficiency",
             "layer_overhead_us", "token_overhead_ms", "chip_bandwidth_share", "decode_band",
             "ttft_band", "rows", "basis", "source"},
            label, what, f.id);
  f.chip_family = Text(n, "chip_family", label, what, f.id, true);
  f.runtime = Text(n, "runtime", label, what, f.id, true);
  if (f.id != f.chip_family + "/" + f.runtime) {
    Fail(label, what, f.id, "id must be '<chip_family>/<runtime>'");
  }
  const std::string source = Text(n, "source", label, what, f.id, true);
  f.basis = Text(n, "basis", label, what, f.id, false);
  struct Field {
    const char* key;
    Figure* figure;
    double max;
  };
  for (const Field& x : {Field{"decode_bandwidth_efficiency", &f.decode_bandwidth_efficiency, 1},
                         Field{"prefill_efficiency", &f.prefill_efficiency, 1},
                         Field{"layer_overhead_us", &f.layer_overhead_us, 1e6},
                         Field{"token_overhead_ms", &f.token_overhead_ms, 1e6}}) {
    *x.figure = ParseCatalogFigure(n[x.key], label, what, f.id, x.key, source);
    if (!x.figure->known()) Fail(label, what, f.id, std::string("field '") + x.key + "' missing");
    if (!(**x.figure >= 0 && **x.figure <= x.max) || (x.max == 1 && **x.figure == 0)) {
      Fail(label, what, f.id, std::string("field '") + x.key + "' is out of range");
    }
  }
  if (const YAML::Node shares = n["chip_bandwidth_share"]) {
    const std::string field = "field 'chip_bandwidth_share'";
    if (!shares.IsMap()) Fail(label, what, f.id, field + " must be a map {chip id: share}");
    for (const auto& kv : shares) {
      double v = 0;
      try {
        v = kv.second.as<double>();
      } catch (const YAML::Exception&) {
        Fail(label, what, f.id, field + ": shares must be numbers");
      }
      if (!(v > 0.01 && v < 100))
        Fail(label, what, f.id, field + ": a share must be in (0.01, 100)");
      f.chip_bandwidth_share[kv.first.as<std::string>()] = v;
    }
  }
  for (auto [key, out] :
       {std::pair{"decode_band", &f.decode_band}, std::pair{"ttft_band", &f.ttft_band}}) {
    const YAML::Node b = n[key];
    if (!b) continue;
    const std::string field = std::string("field '") + key + "'";
    if (!b.IsMap()) Fail(label, what, f.id, field + " must be a map {low, high, rows, scope}");
    CheckKeys(b, {"low", "high", "rows", "scope"}, label, what, f.id);
    try {
      out->low = b["low"].as<double>();
      out->high = b["high"].as<double>();
      if (b["rows"]) out->rows = b["rows"].as<int64_t>();
    } catch (const YAML::Exception&) {
      Fail(label, what, f.id, field + ": low, high and rows must be numbers");
    }
    out->scope = Text(b, "scope", label, what, f.id, false);
    if (!(out->low > 0 && out->low <= 1 && out->high >= 1 && out->high < 1e3)) {
      Fail(label, what, f.id, field + ": expected 0 < low <= 1 <= high");
    }
  }
  if (n["rows"]) f.rows = n["rows"].as<int>();
  f.origin = label;
  return f;
}

}  // namespace

void ParseLlmSections(const YAML::Node& root, const std::string& label,
                      std::map<std::string, LlmRuntime>& runtimes,
                      std::map<std::string, LlmFamily>& families) {
  if (root["llm_runtimes"]) {
    if (!root["llm_runtimes"].IsSequence()) Fail(label, "llm_runtimes", "", "expected a list");
    for (const auto& n : root["llm_runtimes"]) {
      LlmRuntime r = ParseRuntime(n, label);
      runtimes[r.id] = std::move(r);
    }
  }
  if (root["llm_families"]) {
    if (!root["llm_families"].IsSequence()) Fail(label, "llm_families", "", "expected a list");
    for (const auto& n : root["llm_families"]) {
      LlmFamily f = ParseLlmFamily(n, label);
      families[f.id] = std::move(f);
    }
  }
}

void ValidateLlmSections(const Catalog& catalog) {
  for (const auto& [id, r] : catalog.llm_runtimes()) {
    for (const auto& chip : r.chips) {
      if (!catalog.Find(chip)) Fail(r.origin, "llm runtime", id, "unknown chip '" + chip + "'");
    }
  }
  for (const auto& [id, f] : catalog.llm_families()) {
    if (!catalog.llm_runtimes().count(f.runtime)) {
      Fail(f.origin, "llm family", id, "unknown runtime '" + f.runtime + "'");
    }
    if (!catalog.families().count(f.chip_family)) {
      Fail(f.origin, "llm family", id, "unknown chip family '" + f.chip_family + "'");
    }
  }
}

std::vector<const LlmRuntime*> Catalog::LlmRuntimesFor(const Chip& chip) const {
  std::vector<const LlmRuntime*> out;
  for (const auto& [id, r] : llm_runtimes_) {
    if (std::find(r.chips.begin(), r.chips.end(), chip.id) != r.chips.end()) out.push_back(&r);
  }
  return out;
}

const LlmFamily* Catalog::FindLlmFamily(const std::string& chip_family,
                                        const std::string& runtime) const {
  auto it = llm_families_.find(chip_family + "/" + runtime);
  return it == llm_families_.end() ? nullptr : &it->second;
}

}  // namespace tops
