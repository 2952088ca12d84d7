// Streaming JSON (see json_writer.h).
#include "report/json_writer.h"

#include <charconv>

#include "report/number.h"
#include "report/text.h"

namespace tops::report {

void JsonWriter::Indent(size_t depth) { out_.text.append(2 * depth, ' '); }

void JsonWriter::Value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  Level& top = stack_.back();
  out_.text += top.count++ ? ",\n" : "\n";
  Indent(stack_.size());
}

void JsonWriter::Key(std::string_view key) {
  Level& top = stack_.back();
  out_.text += top.count++ ? ",\n" : "\n";
  Indent(stack_.size());
  AppendJsonString(out_.text, key);
  out_.text += ": ";
  after_key_ = true;
}

void JsonWriter::BeginObject() {
  Value();
  out_.text += '{';
  stack_.push_back({true, 0});
}

void JsonWriter::BeginArray() {
  Value();
  out_.text += '[';
  stack_.push_back({false, 0});
}

void JsonWriter::EndObject() { EndArray(); }

void JsonWriter::EndArray() {
  const Level top = stack_.back();
  stack_.pop_back();
  if (top.count) {
    out_.text += '\n';
    Indent(stack_.size());
  }
  out_.text += top.object ? '}' : ']';
}

void JsonWriter::Null() {
  Value();
  out_.text += "null";
}

void JsonWriter::Bool(bool v) {
  Value();
  out_.text += v ? "true" : "false";
}

void JsonWriter::Int(int64_t v) {
  Value();
  char buf[24];
  out_.text.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

void JsonWriter::Real(double v) {
  Value();
  AppendJsonNumber(out_.text, v);
}

void JsonWriter::String(std::string_view v) {
  Value();
  AppendJsonString(out_.text, v);
}

}  // namespace tops::report
