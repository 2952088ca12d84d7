// Reads the scalar entries of a FlexBuffer map (flatbuffers.dev, "FlexBuffers"): the encoding of
// TFLite custom-operator options (TFLite_Detection_PostProcess's max_detections, num_classes,
// ...). Every offset and width is checked against the bytes; a malformed map throws tops::Error
// naming `what` and the byte offset within the options.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tops::io {

struct FlexEntry {
  std::string key;
  enum class Kind : uint8_t { kInt, kFloat, kBool, kString, kOther } kind = Kind::kOther;
  int64_t i = 0;
  double f = 0;
  std::string s;
};

// The entries of the root map, in key order. A root that is not a map gives no entries.
std::vector<FlexEntry> ReadFlexMap(std::string_view bytes, const std::string& what);

}  // namespace tops::io
