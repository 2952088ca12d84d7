// Bounded reading of the protobuf wire format over bytes in memory, with protobuf's own
// CodedInputStream. Every length is checked against the bytes left before it is used, nesting is
// limited, and each error names the label (the file) and the byte offset. Format readers (ONNX)
// build their message walks from these primitives; nothing here knows a schema.
#pragma once

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "tops/error.h"

namespace tops::io {

class WireReader {
 public:
  using WFL = google::protobuf::internal::WireFormatLite;

  WireReader(const uint8_t* data, int size, std::string label, int max_nesting)
      : base_(data),
        size_(size),
        in_(data, size),
        label_(std::move(label)),
        max_nesting_(max_nesting) {
    in_.SetTotalBytesLimit(INT_MAX);
    in_.SetRecursionLimit(INT_MAX);
  }

  [[noreturn]] void Fail(const std::string& what) {
    throw Error(label_ + ": " + what + " (at byte " + std::to_string(in_.CurrentPosition()) +
                " of " + std::to_string(size_) + ")");
  }

  bool AtEnd() { return in_.BytesUntilLimit() == 0 || in_.CurrentPosition() >= size_; }

  // Calls fn(field_number, wire_type) for every field until the current limit.
  template <typename Fn>
  void ForEachField(Fn&& fn) {
    while (!AtEnd()) {
      const int pos = in_.CurrentPosition();
      uint32_t tag = in_.ReadTag();
      if (tag == 0) {
        throw Error(label_ +
                    ": invalid field tag (truncated or malformed varint, or field 0) at byte " +
                    std::to_string(pos) + " of " + std::to_string(size_));
      }
      const int field = static_cast<int>(WFL::GetTagFieldNumber(tag));
      const int wt = static_cast<int>(WFL::GetTagWireType(tag));
      if (field == 0) {
        // protobuf reserves field number 0; no encoder writes it, so the bytes are corrupt.
        throw Error(label_ + ": invalid field number 0 at byte " + std::to_string(pos) + " of " +
                    std::to_string(size_));
      }
      fn(field, wt);
    }
  }

  void SkipField(int wt) {
    switch (wt) {
      case WFL::WIRETYPE_VARINT: {
        uint64_t v;
        if (!in_.ReadVarint64(&v)) Fail("truncated or overflowing varint");
        return;
      }
      case WFL::WIRETYPE_FIXED64:
        if (!in_.Skip(8)) Fail("truncated 64-bit field");
        return;
      case WFL::WIRETYPE_FIXED32:
        if (!in_.Skip(4)) Fail("truncated 32-bit field");
        return;
      case WFL::WIRETYPE_LENGTH_DELIMITED: {
        const uint32_t len = Length("field");
        if (!in_.Skip(static_cast<int>(len))) Fail("truncated field");
        return;
      }
      default:
        Fail("unsupported wire type " + std::to_string(wt) + " (groups are not used here)");
    }
  }

  void Expect(int wt, int want, const char* what) {
    if (wt != want) {
      Fail(std::string("wrong wire type ") + std::to_string(wt) + " for " + what + " (expected " +
           std::to_string(want) + ")");
    }
  }

  uint32_t Length(const char* what) {
    // Read as 64 bits: ReadVarint32 would silently drop the high bits of a 2^40 length.
    uint64_t len64;
    if (!in_.ReadVarint64(&len64) || len64 > static_cast<uint64_t>(INT_MAX)) {
      Fail(std::string("truncated or overflowing length of ") + what);
    }
    const uint32_t len = static_cast<uint32_t>(len64);
    const int left =
        in_.BytesUntilLimit() >= 0 ? in_.BytesUntilLimit() : size_ - in_.CurrentPosition();
    if (len > static_cast<uint32_t>(left)) {
      Fail(std::string("length ") + std::to_string(len) + " of " + what + " runs past the end (" +
           std::to_string(left) + " bytes left)");
    }
    return len;
  }

  uint64_t VarintField(int wt, const char* what) {
    Expect(wt, WFL::WIRETYPE_VARINT, what);
    uint64_t v;
    if (!in_.ReadVarint64(&v)) Fail(std::string("truncated or overflowing varint in ") + what);
    return v;
  }

  // A view into the bytes: never copied.
  std::string_view Bytes(int wt, const char* what) {
    Expect(wt, WFL::WIRETYPE_LENGTH_DELIMITED, what);
    const uint32_t len = Length(what);
    const int pos = in_.CurrentPosition();
    in_.Skip(static_cast<int>(len));
    return std::string_view(reinterpret_cast<const char*>(base_ + pos), len);
  }

  template <typename Fn>
  void Message(int wt, const char* what, Fn&& fn) {
    Expect(wt, WFL::WIRETYPE_LENGTH_DELIMITED, what);
    if (++depth_ > max_nesting_) {
      Fail(std::string("messages nested deeper than ") + std::to_string(max_nesting_) + " at " +
           what);
    }
    const uint32_t len = Length(what);
    auto limit = in_.PushLimit(static_cast<int>(len));
    fn();
    if (in_.BytesUntilLimit() != 0) Fail(std::string("malformed ") + what);
    in_.PopLimit(limit);
    --depth_;
  }

  // Repeated scalar field, packed (length-delimited) or not.
  template <typename Fn>
  void Repeated(int wt, int scalar_wt, const char* what, Fn&& read_one) {
    if (wt == WFL::WIRETYPE_LENGTH_DELIMITED) {
      const uint32_t len = Length(what);
      auto limit = in_.PushLimit(static_cast<int>(len));
      while (in_.BytesUntilLimit() > 0) read_one();
      in_.PopLimit(limit);
    } else {
      Expect(wt, scalar_wt, what);
      read_one();
    }
  }

  int64_t ReadInt64(const char* what) {
    uint64_t v;
    if (!in_.ReadVarint64(&v)) Fail(std::string("truncated or overflowing varint in ") + what);
    return static_cast<int64_t>(v);
  }
  double ReadFloat(const char* what) {
    uint32_t bits;
    if (!in_.ReadLittleEndian32(&bits)) Fail(std::string("truncated float in ") + what);
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  double ReadDouble(const char* what) {
    uint64_t bits;
    if (!in_.ReadLittleEndian64(&bits)) Fail(std::string("truncated double in ") + what);
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }

 private:
  const uint8_t* base_;
  int size_;
  google::protobuf::io::CodedInputStream in_;
  std::string label_;
  int max_nesting_;
  int depth_ = 0;
};

}  // namespace tops::io
