// The tensor table of one graph walk (walk.h: Scope) and the conversions between the file's
// tensors and inference values.
#include <bit>
#include <functional>

#include "analysis/walk.h"

namespace tops {

void Scope::Reserve(size_t names) {
  names_.reserve(names);
  hashes_.reserve(names);
  if (slots_.size() < 2 * names) Rehash(std::bit_ceil(2 * names));
}

size_t Scope::Slot(std::string_view name, size_t h) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const uint32_t s = slots_[i];
    if (s == 0 || (hashes_[s - 1] == h && names_[s - 1] == name)) return i;
  }
}

void Scope::Rehash(size_t slots) {
  slots_.assign(slots, 0);
  for (uint32_t id = 0; id < names_.size(); ++id) {
    slots_[Slot(names_[id], hashes_[id])] = id + 1;
  }
}

uint32_t Scope::Id(std::string_view name) const {
  if (slots_.empty()) return kNone;
  const uint32_t s = slots_[Slot(name, std::hash<std::string_view>{}(name))];
  return s == 0 ? kNone : s - 1;
}

uint32_t Scope::Intern(std::string_view name) {
  if (2 * (names_.size() + 1) > slots_.size()) Rehash(std::max<size_t>(64, 2 * slots_.size()));
  const size_t h = std::hash<std::string_view>{}(name);
  const size_t slot = Slot(name, h);
  if (slots_[slot] != 0) return slots_[slot] - 1;
  const auto id = static_cast<uint32_t>(names_.size());
  names_.push_back(name);
  hashes_.push_back(h);
  slots_[slot] = id + 1;
  return id;
}

uint32_t Scope::InternCopy(std::string_view name) {
  uint32_t id = Id(name);
  if (id == kNone) id = Intern(own_.emplace_back(name));
  Fit();
  return id;
}

void Scope::Fit() {
  values_.resize(names_.size());
  defined_.resize(names_.size(), 0);
}

const ValueState* Scope::Find(std::string_view name) const {
  for (const Scope* s = this; s; s = s->parent) {
    const uint32_t id = s->Id(name);
    if (id != kNone && id < s->defined_.size() && s->defined_[id]) return &s->values_[id];
  }
  return nullptr;
}

ValueState StateOf(const TensorData& t) {
  ValueState s;
  s.present = true;
  s.dtype = t.dtype;
  s.shape = Shape::Known(t.dims);
  s.is_weight = true;
  s.is_constant = true;
  if (t.has_values) {
    if (IsFloatDType(t.dtype)) {
      s.has_floats = true;
      s.floats = t.floats;
    } else {
      s.has_ints = true;
      for (int64_t v : t.ints) s.ints.push_back(SymInt::Of(v));
    }
  }
  return s;
}

void BindValue(ValueState& v, const std::map<std::string, int64_t>& dims) {
  if (dims.empty()) return;
  for (Dim& d : v.shape.dims) {
    if (d.symbolic()) {
      auto it = dims.find(d.symbol);
      if (it != dims.end()) d = Dim::Known(it->second);
    }
  }
  for (SymInt& s : v.ints) {
    if (!s.known && !s.sym.empty()) {
      auto it = dims.find(s.sym);
      if (it != dims.end()) s = SymInt::Of(it->second);
    }
  }
}

void CollectSymbols(const Shape& s, std::set<std::string>& out) {
  for (const Dim& d : s.dims) {
    if (d.symbolic()) out.insert(d.symbol);
  }
}

}  // namespace tops
