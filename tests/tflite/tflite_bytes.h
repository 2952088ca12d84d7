// Hand-made TFLite files for the malformed-input table and the fuzz corpus: a tiny model
// description (TinyModel) serialised by a forward-layout FlatBuffer writer of our own (every
// table before the objects it points to, so every offset is a plain forward distance). Field
// slots follow the TFLite schema's declaration order; a case breaks exactly one thing, either in
// the description or in the bytes.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tops::testing::fbw {

struct Table;
using TablePtr = std::shared_ptr<Table>;

struct Value {
  enum class Kind {
    kU8,
    kI8,
    kI32,
    kU32,
    kI64,
    kU64,
    kF32,
    kTable,
    kTables,
    kInts,
    kLongs,
    kFloats,
    kString,
    kBytes
  };
  Kind kind = Kind::kI32;
  int64_t i = 0;
  double f = 0;
  TablePtr table;
  std::vector<TablePtr> tables;
  std::vector<int64_t> ints;
  std::vector<float> floats;
  std::string s;
  std::optional<uint32_t> declared_length;  // a vector / string length that lies
};

struct Table {
  std::map<int, Value> fields;  // slot -> value
  Table& Set(int slot, Value v) {
    fields[slot] = std::move(v);
    return *this;
  }
};

inline Value U8(int64_t v) { return Value{Value::Kind::kU8, v}; }
inline Value I8(int64_t v) { return Value{Value::Kind::kI8, v}; }
inline Value I32(int64_t v) { return Value{Value::Kind::kI32, v}; }
inline Value U32(int64_t v) { return Value{Value::Kind::kU32, v}; }
inline Value U64(int64_t v) { return Value{Value::Kind::kU64, v}; }
inline Value F32(double v) {
  Value x{Value::Kind::kF32};
  x.f = v;
  return x;
}
inline Value Sub(TablePtr t) {
  Value x{Value::Kind::kTable};
  x.table = std::move(t);
  return x;
}
inline Value Subs(std::vector<TablePtr> t) {
  Value x{Value::Kind::kTables};
  x.tables = std::move(t);
  return x;
}
inline Value Ints(std::vector<int64_t> v) {
  Value x{Value::Kind::kInts};
  x.ints = std::move(v);
  return x;
}
inline Value Longs(std::vector<int64_t> v) {
  Value x{Value::Kind::kLongs};
  x.ints = std::move(v);
  return x;
}
inline Value Floats(std::vector<float> v) {
  Value x{Value::Kind::kFloats};
  x.floats = std::move(v);
  return x;
}
inline Value Str(std::string s) {
  Value x{Value::Kind::kString};
  x.s = std::move(s);
  return x;
}
inline Value Bytes(std::string s) {
  Value x{Value::Kind::kBytes};
  x.s = std::move(s);
  return x;
}
inline TablePtr T() { return std::make_shared<Table>(); }

class Writer {
 public:
  std::string Finish(const Table& root, const std::string& identifier = "TFL3") {
    out_.assign(8, '\0');
    std::memcpy(&out_[4], identifier.data(), std::min<size_t>(4, identifier.size()));
    const uint64_t pos = WriteTable(root);
    Put32(0, static_cast<uint32_t>(pos));
    return out_;
  }

 private:
  void Align(size_t a) {
    while (out_.size() % a != 0) out_.push_back('\0');
  }
  void Put32(size_t at, uint32_t v) { std::memcpy(&out_[at], &v, 4); }
  template <typename T>
  void Append(T v) {
    const size_t at = out_.size();
    out_.resize(at + sizeof(T));
    std::memcpy(&out_[at], &v, sizeof(T));
  }
  static size_t Width(const Value& v) {
    switch (v.kind) {
      case Value::Kind::kU8:
      case Value::Kind::kI8:
        return 1;
      case Value::Kind::kI64:
      case Value::Kind::kU64:
        return 8;
      default:
        return 4;
    }
  }
  static bool IsOffset(const Value& v) { return v.kind >= Value::Kind::kTable; }

  uint64_t WriteTable(const Table& t) {
    const int slots = t.fields.empty() ? 0 : t.fields.rbegin()->first + 1;
    // Inline layout: soffset, then fields widest first so each is aligned.
    std::vector<std::pair<int, const Value*>> order;
    for (const auto& [slot, v] : t.fields) order.push_back({slot, &v});
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
      return Width(*a.second) > Width(*b.second);
    });
    std::map<int, size_t> offset;
    size_t inline_len = 4;
    for (const auto& [slot, v] : order) {
      const size_t w = Width(*v);
      while (inline_len % w != 0) ++inline_len;
      offset[slot] = inline_len;
      inline_len += w;
    }
    Align(2);
    const size_t vt = out_.size();
    Append<uint16_t>(static_cast<uint16_t>(4 + 2 * slots));
    Append<uint16_t>(static_cast<uint16_t>(inline_len));
    for (int s = 0; s < slots; ++s) {
      auto it = offset.find(s);
      Append<uint16_t>(it == offset.end() ? 0 : static_cast<uint16_t>(it->second));
    }
    Align(8);
    const size_t pos = out_.size();
    out_.resize(pos + inline_len);
    const int32_t soff = static_cast<int32_t>(pos - vt);
    std::memcpy(&out_[pos], &soff, 4);
    std::vector<std::pair<size_t, const Value*>> children;
    for (const auto& [slot, v] : t.fields) {
      const size_t at = pos + offset[slot];
      if (IsOffset(v)) {
        children.push_back({at, &v});
        continue;
      }
      if (v.kind == Value::Kind::kF32) {
        const float f = static_cast<float>(v.f);
        std::memcpy(&out_[at], &f, 4);
      } else {
        std::memcpy(&out_[at], &v.i, Width(v));  // little-endian: the low bytes
      }
    }
    for (const auto& [at, v] : children) Put32(at, static_cast<uint32_t>(WriteChild(*v) - at));
    return pos;
  }

  uint64_t WriteChild(const Value& v) {
    switch (v.kind) {
      case Value::Kind::kTable:
        return WriteTable(*v.table);
      case Value::Kind::kTables: {
        Align(4);
        const size_t pos = out_.size();
        Append<uint32_t>(v.declared_length.value_or(static_cast<uint32_t>(v.tables.size())));
        const size_t first = out_.size();
        out_.resize(first + 4 * v.tables.size());
        for (size_t i = 0; i < v.tables.size(); ++i) {
          const uint64_t t = WriteTable(*v.tables[i]);
          Put32(first + 4 * i, static_cast<uint32_t>(t - (first + 4 * i)));
        }
        return pos;
      }
      case Value::Kind::kLongs: {
        while ((out_.size() + 4) % 8 != 0) out_.push_back('\0');
        const size_t pos = out_.size();
        Append<uint32_t>(v.declared_length.value_or(static_cast<uint32_t>(v.ints.size())));
        for (int64_t x : v.ints) Append<int64_t>(x);
        return pos;
      }
      case Value::Kind::kInts: {
        Align(4);
        const size_t pos = out_.size();
        Append<uint32_t>(v.declared_length.value_or(static_cast<uint32_t>(v.ints.size())));
        for (int64_t x : v.ints) Append<int32_t>(static_cast<int32_t>(x));
        return pos;
      }
      case Value::Kind::kFloats: {
        Align(4);
        const size_t pos = out_.size();
        Append<uint32_t>(v.declared_length.value_or(static_cast<uint32_t>(v.floats.size())));
        for (float x : v.floats) Append<float>(x);
        return pos;
      }
      default: {  // string (NUL-terminated) or bytes
        while ((out_.size() + 4) % 16 != 0) out_.push_back('\0');
        const size_t pos = out_.size();
        Append<uint32_t>(v.declared_length.value_or(static_cast<uint32_t>(v.s.size())));
        out_ += v.s;
        if (v.kind == Value::Kind::kString) out_.push_back('\0');
        return pos;
      }
    }
  }

  std::string out_;
};

// ---- A tiny TFLite model: input [1, 8, 8, 3] -> CONV_2D 3x3 (4 filters) -> MEAN over H, W ----
// Schema slots used (tflite_schema.h writes the same down for the reader).
struct TinyModel {
  TablePtr model, subgraph, conv_op, mean_op, conv_options;
  std::vector<TablePtr> tensors, opcodes, buffers;
  TablePtr Tensor(const std::string& name, std::vector<int64_t> shape, int64_t type = 0,
                  int64_t buffer = 0) {
    auto t = T();
    t->Set(0, Ints(std::move(shape))).Set(1, I8(type)).Set(2, U32(buffer)).Set(3, Str(name));
    tensors.push_back(t);
    return t;
  }
  TablePtr Buffer(std::string data) {
    auto b = T();
    if (!data.empty()) b->Set(0, Bytes(std::move(data)));
    buffers.push_back(b);
    return b;
  }
  TablePtr OpCode(int64_t code) {
    auto c = T();
    c->Set(0, I8(std::min<int64_t>(code, 127))).Set(3, I32(code));
    opcodes.push_back(c);
    return c;
  }
  TinyModel() {
    Buffer("");                                      // 0: the empty sentinel
    Buffer(std::string("\x01\0\0\0\x02\0\0\0", 8));  // 1: MEAN axes [1, 2]
    Tensor("input", {1, 8, 8, 3});                   // 0
    Tensor("conv/weights", {4, 3, 3, 3});            // 1 (weightless)
    Tensor("conv/bias", {4});                        // 2
    Tensor("conv/Relu", {1, 8, 8, 4});               // 3
    Tensor("mean/axes", {2}, /*int32*/ 2, 1);        // 4
    Tensor("output", {1, 4});                        // 5
    OpCode(3);                                       // CONV_2D
    OpCode(40);                                      // MEAN
    conv_options = T();
    conv_options->Set(1, I32(1)).Set(2, I32(1)).Set(3, I8(1));  // stride 1, RELU
    conv_op = T();
    conv_op->Set(0, U32(0)).Set(1, Ints({0, 1, 2})).Set(2, Ints({3})).Set(3, U8(1));
    conv_op->Set(4, Sub(conv_options));
    mean_op = T();
    mean_op->Set(0, U32(1)).Set(1, Ints({3, 4})).Set(2, Ints({5})).Set(3, U8(27));
    mean_op->Set(4, Sub(T()));
    subgraph = T();
    subgraph->Set(0, Subs(tensors)).Set(1, Ints({0})).Set(2, Ints({5}));
    subgraph->Set(3, Subs({conv_op, mean_op})).Set(4, Str("main"));
    model = T();
    model->Set(0, U32(3)).Set(1, Subs(opcodes)).Set(2, Subs({subgraph}));
    model->Set(3, Str("tops tiny")).Set(4, Subs(buffers));
  }
  // Re-links the vectors after tensors / opcodes / buffers were added or replaced.
  std::string Serialize() {
    subgraph->Set(0, Subs(tensors));
    model->Set(1, Subs(opcodes)).Set(4, Subs(buffers));
    return Writer().Finish(*model);
  }
};

}  // namespace tops::testing::fbw
