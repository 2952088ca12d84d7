// FlexBuffer layout used here: the last byte is the root's byte width, the one before it the
// root's packed type (type << 2 | child bit width); offsets point backwards (target = position -
// offset). A map's values are preceded by their count and, before that, by the keys vector's
// offset and byte width; one packed type byte per value follows the values.
#include "io/flexbuffer.h"

#include <cstring>

#include "tops/error.h"

namespace tops::io {
namespace {

enum FlexType : uint8_t {
  kNull = 0,
  kInt = 1,
  kUint = 2,
  kFloat = 3,
  kKey = 4,
  kString = 5,
  kIndirectInt = 6,
  kIndirectUint = 7,
  kIndirectFloat = 8,
  kMap = 9,
  kBool = 26,
};

constexpr uint64_t kMaxEntries = 4096;

class Flex {
 public:
  Flex(std::string_view b, const std::string& what) : b_(b), what_(what) {}

  [[noreturn]] void Fail(const std::string& problem, uint64_t at) const {
    throw Error(what_ + ": " + problem + " (at byte " + std::to_string(at) + " of " +
                std::to_string(b_.size()) + " of the custom options)");
  }

  uint64_t Unsigned(uint64_t pos, uint64_t width) const {
    if (width != 1 && width != 2 && width != 4 && width != 8) Fail("bad byte width", pos);
    if (pos > b_.size() || width > b_.size() - pos) Fail("value runs past the end", pos);
    uint64_t v = 0;
    std::memcpy(&v, b_.data() + pos, width);  // little-endian host, as the format
    return v;
  }
  int64_t Signed(uint64_t pos, uint64_t width) const {
    const uint64_t u = Unsigned(pos, width);
    if (width == 8) return static_cast<int64_t>(u);
    const uint64_t sign = uint64_t{1} << (8 * width - 1);
    return static_cast<int64_t>((u ^ sign) - sign);
  }
  double Float(uint64_t pos, uint64_t width) const {
    if (width == 4) {
      const uint32_t u = static_cast<uint32_t>(Unsigned(pos, 4));
      float f;
      std::memcpy(&f, &u, 4);
      return f;
    }
    if (width == 8) {
      const uint64_t u = Unsigned(pos, 8);
      double d;
      std::memcpy(&d, &u, 8);
      return d;
    }
    Fail("float of width " + std::to_string(width), pos);
  }
  uint64_t Back(uint64_t pos, uint64_t width) const {
    const uint64_t off = Unsigned(pos, width);
    if (off > pos) Fail("offset points before the start", pos);
    return pos - off;
  }
  std::string Key(uint64_t pos) const {
    if (pos >= b_.size()) Fail("key outside the options", pos);
    const void* end = std::memchr(b_.data() + pos, 0, b_.size() - pos);
    if (!end) Fail("key without terminating NUL", pos);
    return std::string(b_.data() + pos, static_cast<const char*>(end));
  }

  std::vector<FlexEntry> Map() const {
    if (b_.size() < 3) Fail("options of " + std::to_string(b_.size()) + " bytes", 0);
    const uint64_t root_width = static_cast<uint8_t>(b_.back());
    const uint8_t packed = static_cast<uint8_t>(b_[b_.size() - 2]);
    if (root_width > b_.size() - 2) Fail("root wider than the options", b_.size() - 1);
    const uint64_t root = b_.size() - 2 - root_width;
    if ((packed >> 2) != kMap) return {};
    const uint64_t width = uint64_t{1} << (packed & 3);
    const uint64_t values = Back(root, root_width);
    if (values < 3 * width) Fail("map header runs before the start", values);
    const uint64_t count = Unsigned(values - width, width);
    const uint64_t keys_width = Unsigned(values - 2 * width, width);
    const uint64_t keys = Back(values - 3 * width, width);
    if (count > kMaxEntries) Fail("map of " + std::to_string(count) + " entries", values);
    if (keys < keys_width) Fail("keys vector header runs before the start", keys);
    if (Unsigned(keys - keys_width, keys_width) != count) {
      Fail("keys and values of the map differ in count", keys);
    }
    const uint64_t types = values + count * width;
    if (types > b_.size() || count > b_.size() - types) Fail("map types run past the end", types);
    std::vector<FlexEntry> out;
    for (uint64_t i = 0; i < count; ++i) {
      FlexEntry e;
      e.key = Key(Back(keys + i * keys_width, keys_width));
      const uint8_t t = static_cast<uint8_t>(b_[types + i]);
      const uint64_t at = values + i * width;
      const uint64_t child_width = uint64_t{1} << (t & 3);
      switch (t >> 2) {
        case kInt:
          e.kind = FlexEntry::Kind::kInt;
          e.i = Signed(at, width);
          break;
        case kUint:
          e.kind = FlexEntry::Kind::kInt;
          e.i = static_cast<int64_t>(Unsigned(at, width));
          break;
        case kBool:
          e.kind = FlexEntry::Kind::kBool;
          e.i = Unsigned(at, width) != 0;
          break;
        case kFloat:
          e.kind = FlexEntry::Kind::kFloat;
          e.f = Float(at, width);
          break;
        case kIndirectInt:
          e.kind = FlexEntry::Kind::kInt;
          e.i = Signed(Back(at, width), child_width);
          break;
        case kIndirectUint:
          e.kind = FlexEntry::Kind::kInt;
          e.i = static_cast<int64_t>(Unsigned(Back(at, width), child_width));
          break;
        case kIndirectFloat:
          e.kind = FlexEntry::Kind::kFloat;
          e.f = Float(Back(at, width), child_width);
          break;
        case kString: {
          const uint64_t s = Back(at, width);
          if (s < child_width) Fail("string header runs before the start", s);
          const uint64_t len = Unsigned(s - child_width, child_width);
          if (s > b_.size() || len > b_.size() - s) Fail("string runs past the end", s);
          e.kind = FlexEntry::Kind::kString;
          e.s.assign(b_.data() + s, len);
          break;
        }
        default:
          break;  // vectors, nested maps, blobs: not used by the ops tops costs
      }
      out.push_back(std::move(e));
    }
    return out;
  }

 private:
  std::string_view b_;
  const std::string& what_;
};

}  // namespace

std::vector<FlexEntry> ReadFlexMap(std::string_view bytes, const std::string& what) {
  return Flex(bytes, what).Map();
}

}  // namespace tops::io
