// The part of the TensorFlow Lite schema (tensorflow/compiler/mlir/lite/schema/schema.fbs,
// file identifier "TFL3") that tops reads, written down as facts: the slot of each field in
// its table, the builtin operator codes, the tensor types and the options tables. Slots count
// from 0 in declaration order; a union takes two slots (its type byte, then its value).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tops/graph.h"

namespace tops::io::tflite {

// Field slots of the tables walked by the reader.
namespace model {
inline constexpr int kVersion = 0, kOperatorCodes = 1, kSubgraphs = 2, kDescription = 3,
                     kBuffers = 4, kMetadataBuffer = 5, kMetadata = 6, kSignatureDefs = 7;
}
namespace opcode {
inline constexpr int kDeprecatedBuiltinCode = 0, kCustomCode = 1, kVersion = 2, kBuiltinCode = 3;
}
namespace subgraph {
inline constexpr int kTensors = 0, kInputs = 1, kOutputs = 2, kOperators = 3, kName = 4;
}
namespace tensor {
inline constexpr int kShape = 0, kType = 1, kBuffer = 2, kName = 3, kQuantization = 4,
                     kIsVariable = 5, kSparsity = 6, kShapeSignature = 7, kHasRank = 8;
}
namespace quant {
inline constexpr int kMin = 0, kMax = 1, kScale = 2, kZeroPoint = 3, kDetailsType = 4, kDetails = 5,
                     kQuantizedDimension = 6;
}
namespace sparsity {
inline constexpr int kTraversalOrder = 0, kBlockMap = 1, kDimMetadata = 2;
}
namespace dim_metadata {
inline constexpr int kFormat = 0, kDenseSize = 1, kSegmentsType = 2, kSegments = 3,
                     kIndicesType = 4, kIndices = 5;
}
namespace op {
inline constexpr int kOpcodeIndex = 0, kInputs = 1, kOutputs = 2, kOptionsType = 3, kOptions = 4,
                     kCustomOptions = 5, kCustomOptionsFormat = 6, kMutatingVariableInputs = 7,
                     kIntermediates = 8, kLargeCustomOptionsOffset = 9,
                     kLargeCustomOptionsSize = 10, kOptions2Type = 11, kOptions2 = 12;
}
namespace buffer {
inline constexpr int kData = 0, kOffset = 1, kSize = 2;
}
namespace signature {
inline constexpr int kInputs = 0, kOutputs = 1, kKey = 2, kSubgraphIndex = 4;
}
namespace tensor_map {
inline constexpr int kName = 0, kTensorIndex = 1;
}

// BuiltinOperator codes used by name in the reader.
inline constexpr int32_t kCustomCode = 32;
inline constexpr int32_t kPlaceholderForGreaterOpCodes = 127;

// Name of a BuiltinOperator code ("CONV_2D"), or "" for a code the schema does not define.
std::string_view BuiltinName(int32_t code);
// Largest code BuiltinName knows.
int32_t MaxBuiltinCode();

// TensorType code to tops's DType; kUndefined for RESOURCE, VARIANT and unknown codes.
DType TensorTypeToDType(int8_t type);
std::string_view TensorTypeName(int8_t type);  // "INT8", or "" when unknown

// One field of an options table.
enum class FieldKind : uint8_t {
  kSkip,        // deprecated or not used by tops (still takes its slot)
  kInt,         // int32
  kUint,        // uint32
  kLong,        // int64
  kFloat,       // float32
  kBool,        // uint8 0/1
  kByte,        // small enum stored as int8, kept as its integer
  kPadding,     // Padding enum: "SAME" / "VALID"
  kActivation,  // ActivationFunctionType enum: "NONE", "RELU", ...
  kTensorType,  // TensorType enum, kept as tops's DType
  kInts,        // [int]
  kLongs,       // [long]
  kFloats,      // [float]
  kString,
  kSubgraph,   // int32 index of a subgraph: becomes a graph attribute
  kSubgraphs,  // [int] indices of subgraphs: one graph attribute holding them in order
};
struct OptionField {
  std::string name;
  FieldKind kind = FieldKind::kSkip;
  double fallback = 0;  // schema default of a scalar
};
struct OptionsTable {
  std::string name;  // "Conv2DOptions"
  std::vector<OptionField> fields;
};

// Member `index` (1-based, as stored in builtin_options_type) of the BuiltinOptions union, or
// nullptr when unknown. BuiltinOptions2 (the StableHLO options) likewise.
const OptionsTable* BuiltinOptions(uint8_t index);
const OptionsTable* BuiltinOptions2(uint8_t index);

std::string_view ActivationName(int8_t code);  // "" when unknown

}  // namespace tops::io::tflite
