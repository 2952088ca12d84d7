// Reads an ONNX model (protobuf wire format) into a tops::Model without copying weight payloads.
// The file is memory-mapped and walked field by field; only dims, dtype and small integer/float
// values of tensors are kept. External-data files are never opened. Errors (tops::Error) name
// the problem and the byte offset: truncated file, wrong wire type, varint overflow, length past
// end, negative or overflowing dims, nesting too deep.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tops/graph.h"

namespace tops {

// Cheap probe: does this look like an ONNX ModelProto? (first field is a valid ModelProto tag)
bool LooksLikeOnnx(std::string_view head);

Model ReadOnnxFile(const std::string& path);
Model ReadOnnxBytes(std::string_view bytes, const std::string& label = "<memory>");

}  // namespace tops
