// Streaming JSON (see json_writer.h).
#include "report/json_writer.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "report/number.h"
#include "report/text.h"

namespace tops::report {
namespace {

// ",\n" then two spaces per level: what starts a member or element, taken whole as one append
// (a member starts at the newline when it is the first of its container).
constexpr size_t kMaxFastDepth = 40;
constexpr auto kBreaks = [] {
  std::array<char, 2 + 2 * kMaxFastDepth> b{};
  b.fill(' ');
  b[0] = ',';
  b[1] = '\n';
  return b;
}();

}  // namespace

void JsonWriter::Indent(size_t depth) { out_.text.append(2 * depth, ' '); }

std::string_view JsonWriter::Break(bool first, size_t depth) {
  if (depth <= kMaxFastDepth) {
    return {kBreaks.data() + (first ? 1 : 0), (first ? 1 : 2) + 2 * depth};
  }
  out_.text += first ? "\n" : ",\n";
  Indent(depth);
  return {};
}

std::string_view JsonWriter::Value() {
  if (after_key_) {
    after_key_ = false;
    return {};
  }
  if (stack_.empty()) return {};
  Level& top = stack_.back();
  return Break(top.count++ == 0, stack_.size());
}

void JsonWriter::Key(std::string_view key) {
  Level& top = stack_.back();
  const bool first = top.count++ == 0;
  const size_t depth = stack_.size();
  // Keys are mostly literals laid out side by side: a multiplicative hash spreads them, and
  // four neighbouring slots are tried before one is taken over.
  const uint64_t at = reinterpret_cast<uintptr_t>(key.data()) + depth;
  const size_t home = (at * 0x9E3779B97F4A7C15ull) >> 58;
  KeyLine* k = nullptr;
  for (size_t i = 0; i < 4 && !k; ++i) {
    KeyLine& slot = key_lines_[(home + i) % key_lines_.size()];
    if (slot.depth == SIZE_MAX || (slot.depth == depth && slot.key == key)) k = &slot;
  }
  if (!k) k = &key_lines_[home];
  if (k->depth != depth || k->key != key) {
    k->key = key;
    k->depth = depth;
    k->line = ",\n";
    k->line.append(2 * depth, ' ');
    AppendJsonString(k->line, key);
    k->line += ": ";
  }
  out_.text.append(k->line, first ? 1 : 0);  // the first member has no comma
  after_key_ = true;
}

void JsonWriter::BeginObject() {
  out_.text += Value();
  out_.text += '{';
  stack_.push_back({true, 0});
}

void JsonWriter::BeginArray() {
  out_.text += Value();
  out_.text += '[';
  stack_.push_back({false, 0});
}

void JsonWriter::EndObject() { EndArray(); }

void JsonWriter::EndArray() {
  const Level top = stack_.back();
  stack_.pop_back();
  if (top.count) out_.text += Break(true, stack_.size());
  out_.text += top.object ? '}' : ']';
}

void JsonWriter::Null() {
  out_.text += Value();
  out_.text += "null";
}

void JsonWriter::Bool(bool v) {
  out_.text += Value();
  out_.text += v ? "true" : "false";
}

void JsonWriter::Int(int64_t v) {
  const std::string_view lead = Value();
  char buf[2 + 2 * kMaxFastDepth + 24];
  char* p = std::copy(lead.begin(), lead.end(), buf);
  const char* end = std::to_chars(p, buf + sizeof buf, v).ptr;
  out_.text.append(buf, static_cast<size_t>(end - buf));
}

void JsonWriter::Real(double v) {
  out_.text += Value();
  AppendJsonNumber(out_.text, v);
}

void JsonWriter::String(std::string_view v) { AppendJsonString(out_.text, Value(), v, {}); }

}  // namespace tops::report
