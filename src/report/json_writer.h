// JSON written as it is produced, in the layout every tops JSON output has: two-space indent,
// "key": value, empty containers as {} and [], strings escaped with bad UTF-8 replaced. Nothing
// is built in memory but the current line of containers, so a 10,000-node profile costs its text
// and no document.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "report/out.h"

namespace tops::report {

class JsonWriter {
 public:
  explicit JsonWriter(Out& out) : out_(out) {}

  // Inside an object, every value (and container) is preceded by Key().
  void Key(std::string_view key);
  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Null();
  void Bool(bool v);
  void Int(int64_t v);
  void Real(double v);
  void String(std::string_view v);

 private:
  // Opens a value: returns the separator and indent of an array element for the caller to
  // write before it (empty after Key, which wrote a member's).
  std::string_view Value();
  // The line break (after a comma unless `first`) and indent of a line at `depth`; written
  // here, and empty, when nesting is deeper than the prepared indents.
  std::string_view Break(bool first, size_t depth);
  void Indent(size_t depth);

  struct Level {
    bool object;
    size_t count;
  };
  // A member's start as written after a comma (",\n", the indent, the quoted key and ": "),
  // kept for the key at a depth: rows repeat the same keys, and a hit is one append.
  struct KeyLine {
    std::string key;
    size_t depth = SIZE_MAX;
    std::string line;
  };
  Out& out_;
  std::vector<Level> stack_;
  bool after_key_ = false;
  std::array<KeyLine, 64> key_lines_;  // by the key's address and depth
};

}  // namespace tops::report
