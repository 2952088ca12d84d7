// Catalog lookups: chips by id or alias, and the family figures a prediction uses for a chip
// on a runtime (split from catalog.cc, which reads and checks the YAML).
#include <algorithm>
#include <set>

#include "core/text.h"
#include "tops/chip.h"
#include "tops/error.h"

namespace tops {

const Chip* Catalog::Find(std::string_view id_or_alias) const {
  std::string key = AsciiLower(id_or_alias);
  for (const Chip& c : chips_) {
    if (AsciiLower(c.id) == key) return &c;
  }
  for (const Chip& c : chips_) {
    for (const auto& a : c.aliases) {
      if (AsciiLower(a) == key) return &c;
    }
  }
  return nullptr;
}

const Chip& Catalog::Get(std::string_view id_or_alias) const {
  if (const Chip* c = Find(id_or_alias)) return *c;
  std::string key = AsciiLower(id_or_alias);
  std::string close;
  for (const Chip& c : chips_) {
    std::string id = AsciiLower(c.id);
    bool near = id.find(key) != std::string::npos;
    for (const auto& a : c.aliases) near = near || AsciiLower(a).find(key) != std::string::npos;
    if (near) close += (close.empty() ? "" : ", ") + c.id;
  }
  throw Error("unknown chip '" + std::string(id_or_alias) + "'" +
              (close.empty() ? " (see `tops chips`)" : " (did you mean: " + close + "?)"));
}

const Family& Catalog::FamilyOf(const Chip& chip) const { return FamilyFor(chip, ""); }

std::vector<std::string> Catalog::RuntimesOf(const Chip& chip) const {
  std::set<std::string> out;
  for (const auto& [key, f] : calibrations_) {
    if (key == "chip:" + chip.id + "@" + f.runtime ||
        key == "family:" + chip.family + "@" + f.runtime) {
      out.insert(f.runtime);
    }
  }
  return {out.begin(), out.end()};
}

const Family& Catalog::FamilyFor(const Chip& chip, std::string_view runtime) const {
  for (const std::string& scope : {"chip:" + chip.id, "family:" + chip.family}) {
    std::string rt(runtime);
    if (rt.empty()) {
      auto d = default_runtime_.find(scope);
      if (d == default_runtime_.end()) continue;
      rt = d->second;
    }
    auto it = calibrations_.find(scope + "@" + rt);
    if (it != calibrations_.end()) return it->second;
  }
  if (!runtime.empty()) {
    std::string list;
    for (const auto& r : RuntimesOf(chip)) list += (list.empty() ? "" : ", ") + r;
    throw Error("chip '" + chip.id + "': no figures solved for runtime '" + std::string(runtime) +
                "' (" +
                (list.empty() ? "no runtime has measurements for this chip"
                              : "runtimes with figures: " + list) +
                ")");
  }
  auto it = families_.find(chip.family);
  if (it == families_.end()) {
    throw Error(chip.origin + ": chip '" + chip.id + "': field 'family': unknown family '" +
                chip.family + "'");
  }
  return it->second;
}

}  // namespace tops
