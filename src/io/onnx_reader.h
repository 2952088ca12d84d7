// ONNX reader (internal to src/io; everything else calls tops::ReadModel). Reads a ModelProto in
// the protobuf wire format into a tops::Model without copying weight payloads: only dims, dtype
// and small integer/float values of tensors are kept. External-data files are never opened.
// Errors (tops::Error) name the problem and the byte offset: truncated file, wrong wire type,
// varint overflow, length past end, negative or overflowing dims, nesting too deep.
#pragma once

#include <string>
#include <string_view>

#include "tops/graph.h"
#include "tops/read.h"

namespace tops::io {

// Cheap probe: does this look like an ONNX ModelProto? (first field is a valid ModelProto tag)
bool LooksLikeOnnx(std::string_view head);

// Reads only the metadata windows of `source` (payloads too large to keep are stepped over).
Model ReadOnnx(const ByteSource& source, const std::string& label);
Model ReadOnnxBytes(std::string_view bytes, const std::string& label);

// onnx::TensorProto::DataType code -> DType (kUndefined for codes tops does not know), and
// onnx::AttributeProto::AttributeType -> AttrType (onnx_codes.cc).
DType DTypeFromOnnx(int64_t code);
AttrType AttrTypeFromOnnx(uint64_t code);

}  // namespace tops::io
