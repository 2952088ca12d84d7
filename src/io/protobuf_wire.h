// Bounded reading of the protobuf wire format with protobuf's own CodedInputStream, over a
// ByteSource (tops/read.h): bytes in memory, or a file read in pread windows so that a payload
// the reader steps over is never read. Every length is checked against the bytes left before it
// is used, nesting is limited, and each error names the label (the file) and the byte offset.
// Format readers (ONNX) build their message walks from these primitives; nothing here knows a
// schema.
#pragma once

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tops/error.h"
#include "tops/read.h"

namespace tops::io {

// Feeds CodedInputStream from a ByteSource: bytes in memory are handed out whole (zero copy); a
// file is read in page-aligned windows that start small after every skip (a tensor's header is
// a few dozen bytes beside a payload that must not be read) and double while reading goes on
// (node lists are read through).
class SourceStream : public google::protobuf::io::ZeroCopyInputStream {
 public:
  explicit SourceStream(const ByteSource& source);
  bool Next(const void** data, int* size) override;
  void BackUp(int count) override;
  bool Skip(int count) override;
  int64_t ByteCount() const override { return static_cast<int64_t>(pos_); }

  static constexpr uint64_t kPage = 4096;
  static constexpr uint64_t kFirstWindow = 256;  // bytes wanted after a skip
  static constexpr uint64_t kMaxWindow = 256 * 1024;

 private:
  const ByteSource& source_;
  std::optional<std::string_view> memory_;
  uint64_t size_;
  uint64_t pos_ = 0;          // next byte handed out
  uint64_t window_ = 0;       // size of the next window; 0 right after a skip
  std::vector<char> buffer_;  // the last window read
  uint64_t buffer_at_ = 0;    // its file offset
};

class WireReader {
 public:
  using WFL = google::protobuf::internal::WireFormatLite;

  // The source must hold at most INT_MAX bytes (protobuf's limit; the caller checks).
  WireReader(const ByteSource& source, std::string label, int max_nesting)
      : size_(static_cast<int>(source.size())),
        stream_(source),
        in_(&stream_),
        label_(std::move(label)),
        max_nesting_(max_nesting),
        end_(size_) {
    in_.SetTotalBytesLimit(INT_MAX);
    in_.SetRecursionLimit(INT_MAX);
  }

  [[noreturn]] void Fail(const std::string& what) {
    throw Error(label_ + ": " + what + " (at byte " + std::to_string(in_.CurrentPosition()) +
                " of " + std::to_string(size_) + ")");
  }

  bool AtEnd() const { return in_.CurrentPosition() >= end_; }

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
    const int left = end_ - in_.CurrentPosition();
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

  // A length-delimited field's bytes (names, strings).
  std::string Bytes(int wt, const char* what) {
    std::string s;
    BytesUpTo(wt, what, UINT32_MAX, &s);
    return s;
  }

  // A length-delimited field read into *out when it holds at most `keep` bytes, else stepped
  // over without being read (a weight payload). Returns its length.
  uint32_t BytesUpTo(int wt, const char* what, uint32_t keep, std::string* out) {
    Expect(wt, WFL::WIRETYPE_LENGTH_DELIMITED, what);
    const uint32_t len = Length(what);
    if (len > keep) {
      if (!in_.Skip(static_cast<int>(len))) Fail(std::string("truncated ") + what);
      return len;
    }
    if (!in_.ReadString(out, static_cast<int>(len))) Fail(std::string("truncated ") + what);
    return len;
  }

  template <typename Fn>
  void Message(int wt, const char* what, Fn&& fn) {
    Expect(wt, WFL::WIRETYPE_LENGTH_DELIMITED, what);
    if (++depth_ > max_nesting_) {
      Fail(std::string("messages nested deeper than ") + std::to_string(max_nesting_) + " at " +
           what);
    }
    const uint32_t len = Length(what);
    const int outer_end = end_;
    end_ = in_.CurrentPosition() + static_cast<int>(len);
    auto limit = in_.PushLimit(static_cast<int>(len));
    fn();
    if (in_.CurrentPosition() != end_) Fail(std::string("malformed ") + what);
    in_.PopLimit(limit);
    end_ = outer_end;
    --depth_;
  }

  // Repeated scalar field, packed (length-delimited) or not. A packed run longer than
  // `max_bytes` is stepped over unread (the typed payload of a large tensor).
  template <typename Fn>
  void Repeated(int wt, int scalar_wt, const char* what, Fn&& read_one,
                uint32_t max_bytes = UINT32_MAX) {
    if (wt == WFL::WIRETYPE_LENGTH_DELIMITED) {
      const uint32_t len = Length(what);
      if (len > max_bytes) {
        if (!in_.Skip(static_cast<int>(len))) Fail(std::string("truncated ") + what);
        return;
      }
      const int outer_end = end_;
      end_ = in_.CurrentPosition() + static_cast<int>(len);
      auto limit = in_.PushLimit(static_cast<int>(len));
      while (!AtEnd()) read_one();
      in_.PopLimit(limit);
      end_ = outer_end;
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
  int size_;
  SourceStream stream_;
  google::protobuf::io::CodedInputStream in_;
  std::string label_;
  int max_nesting_;
  int depth_ = 0;
  // Where the innermost message being read ends (the file's size at the top): the limit pushed
  // on `in_`, kept here as well so that the checks on every field need no call into protobuf.
  int end_;
};

}  // namespace tops::io
