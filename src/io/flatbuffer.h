// A bounds-checked view of a FlatBuffer (flatbuffers.dev, "Internals": little-endian, tables
// reached through 32-bit forward offsets, each table pointing at its vtable by a signed 32-bit
// offset, vectors prefixed by a 32-bit element count). Nothing is copied or verified up front:
// every table, field, vector and string is checked when it is read, so the bytes a reader never
// asks for (weight payloads) are never touched. A bad offset, length or vtable throws tops::Error
// naming the field path and the byte offset. Forward-only offsets make the table graph acyclic;
// a work budget bounds what shared vectors and strings can make a reader do.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "tops/error.h"

namespace tops::fb {

// Where a value sits in the schema ("subgraphs[0].tensors[3].shape"), built without allocating
// and rendered only for an error message.
struct Path {
  const Path* parent = nullptr;
  const char* name = "";
  int64_t index = -1;  // >= 0: element of a vector
  std::string ToString() const {
    std::string head = parent ? parent->ToString() : std::string();
    if (name[0] != '\0') head += (head.empty() ? "" : ".") + std::string(name);
    if (index >= 0) head += "[" + std::to_string(index) + "]";
    return head;
  }
  // Children point at their parent: keep a parent in a named variable while a child lives
  // (p.At("tensors", i) rather than p("tensors")[i] for a Path that outlives the expression).
  Path operator()(const char* child) const { return Path{this, child, -1}; }
  Path operator[](int64_t i) const { return Path{this, "", i}; }
  Path At(const char* child, int64_t i) const { return Path{this, child, i}; }
};

struct Table {
  uint64_t pos = 0;         // byte offset of the table (its soffset to the vtable)
  uint64_t vtable = 0;      // byte offset of its vtable
  uint32_t vtable_len = 0;  // vtable bytes (4 + 2 per field slot)
  uint32_t inline_len = 0;  // bytes of the table's inline part
};

struct Vector {
  uint64_t pos = 0;  // byte offset of the first element
  uint32_t len = 0;  // element count
};

class View {
 public:
  View(std::string_view bytes, std::string label, uint64_t budget)
      : data_(reinterpret_cast<const uint8_t*>(bytes.data())),
        size_(bytes.size()),
        label_(std::move(label)),
        budget_(budget) {}

  uint64_t size() const { return size_; }
  const std::string& label() const { return label_; }

  [[noreturn]] void Fail(const Path& path, const std::string& problem, uint64_t at) const {
    const std::string where = path.ToString();
    throw Error(label_ + ": " + (where.empty() ? "" : where + ": ") + problem + " (at byte " +
                std::to_string(at) + " of " + std::to_string(size_) + ")");
  }

  // Charges `units` of work (vector elements visited, string bytes copied); a file that makes
  // the reader visit far more than its own size (shared vectors read many times) is refused.
  void Charge(uint64_t units, const Path& path, uint64_t at) {
    if (units > budget_) {
      Fail(path, "the file references the same data too many times (work budget exhausted)", at);
    }
    budget_ -= units;
  }

  template <typename T>
  T Read(uint64_t pos, const Path& path) const {
    if (pos > size_ || sizeof(T) > size_ - pos) {
      Fail(path, std::to_string(sizeof(T)) + "-byte value runs past the end of the file", pos);
    }
    T v;
    std::memcpy(&v, data_ + pos, sizeof(T));
    return v;
  }

  // The table a 32-bit forward offset at `at` points to.
  Table TableAt(uint64_t at, const Path& path) const {
    const uint64_t pos = Target(at, path);
    const int32_t soff = Read<int32_t>(pos, path);
    const int64_t vt = static_cast<int64_t>(pos) - soff;
    if (vt < 0 || size_ < 4 || static_cast<uint64_t>(vt) > size_ - 4) {
      Fail(path, "vtable offset " + std::to_string(soff) + " points outside the file", pos);
    }
    Table t;
    t.pos = pos;
    t.vtable = static_cast<uint64_t>(vt);
    t.vtable_len = Read<uint16_t>(t.vtable, path);
    t.inline_len = Read<uint16_t>(t.vtable + 2, path);
    if (t.vtable_len < 4 || t.vtable_len % 2 != 0 || t.vtable_len > size_ - t.vtable) {
      Fail(path, "vtable of " + std::to_string(t.vtable_len) + " bytes is malformed", t.vtable);
    }
    if (t.inline_len < 4 || t.inline_len > size_ - pos) {
      Fail(path, "table of " + std::to_string(t.inline_len) + " bytes runs past the end", pos);
    }
    return t;
  }

  // Absolute position of field `id`, or nullopt when the field is absent (default value).
  std::optional<uint64_t> Field(const Table& t, int id, uint32_t width, const Path& path) const {
    const uint64_t slot = 4 + 2 * static_cast<uint64_t>(id);
    if (slot + 2 > t.vtable_len) return std::nullopt;
    const uint16_t off = Read<uint16_t>(t.vtable + slot, path);
    if (off == 0) return std::nullopt;
    if (off < 4 || static_cast<uint64_t>(off) + width > t.inline_len) {
      Fail(path,
           "field offset " + std::to_string(off) + " lies outside its table of " +
               std::to_string(t.inline_len) + " bytes",
           t.vtable + slot);
    }
    return t.pos + off;
  }

  template <typename T>
  T Scalar(const Table& t, int id, T fallback, const Path& path) const {
    auto at = Field(t, id, sizeof(T), path);
    return at ? Read<T>(*at, path) : fallback;
  }

  std::optional<Table> SubTable(const Table& t, int id, const Path& path) const {
    auto at = Field(t, id, 4, path);
    if (!at) return std::nullopt;
    return TableAt(*at, path);
  }

  // A vector field of `elem_size`-byte elements; nullopt when absent.
  std::optional<Vector> VectorField(const Table& t, int id, uint32_t elem_size,
                                    const Path& path) const {
    auto at = Field(t, id, 4, path);
    if (!at) return std::nullopt;
    return VectorAt(*at, elem_size, path);
  }

  Vector VectorAt(uint64_t at, uint32_t elem_size, const Path& path) const {
    const uint64_t pos = Target(at, path);
    Vector v;
    v.len = Read<uint32_t>(pos, path);
    v.pos = pos + 4;
    if (static_cast<uint64_t>(v.len) * elem_size > size_ - v.pos) {
      Fail(path,
           "vector of " + std::to_string(v.len) + " elements of " + std::to_string(elem_size) +
               " bytes runs past the end of the file",
           pos);
    }
    return v;
  }

  std::optional<std::string_view> String(const Table& t, int id, const Path& path) const {
    auto v = VectorField(t, id, 1, path);
    if (!v) return std::nullopt;
    return std::string_view(reinterpret_cast<const char*>(data_ + v->pos), v->len);
  }

  template <typename T>
  T Element(const Vector& v, uint32_t i, const Path& path) const {
    if (i >= v.len) Fail(path, "index " + std::to_string(i) + " out of range", v.pos);
    return Read<T>(v.pos + static_cast<uint64_t>(i) * sizeof(T), path);
  }

  // Element i of a vector of tables.
  Table TableElement(const Vector& v, uint32_t i, const Path& path) const {
    if (i >= v.len) Fail(path, "index " + std::to_string(i) + " out of range", v.pos);
    return TableAt(v.pos + 4 * static_cast<uint64_t>(i), path);
  }

 private:
  uint64_t Target(uint64_t at, const Path& path) const {
    const uint32_t off = Read<uint32_t>(at, path);
    if (off == 0 || off > size_ - at) {
      Fail(path, "offset " + std::to_string(off) + " points outside the file", at);
    }
    return at + off;
  }

  const uint8_t* data_;
  uint64_t size_;
  std::string label_;
  uint64_t budget_;
};

}  // namespace tops::fb
