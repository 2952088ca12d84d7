// The TFLite schema subset of tflite_schema.h. Options tables are written one per line as
// "TableName: field:kind field:kind=default ...", fields in slot order; kinds: i int32, u uint32,
// l int64, f float, b bool, e small enum, pad Padding, act ActivationFunctionType, type
// TensorType, g subgraph index, i* / l* / f* vectors, s string, - a deprecated or unread slot.
#include "io/tflite_schema.h"

#include <array>
#include <cstdlib>
#include <string>

namespace tops::io::tflite {
namespace {

constexpr std::array<std::string_view, 210> kBuiltinNames = {
    "ADD",
    "AVERAGE_POOL_2D",
    "CONCATENATION",
    "CONV_2D",
    "DEPTHWISE_CONV_2D",
    "DEPTH_TO_SPACE",
    "DEQUANTIZE",
    "EMBEDDING_LOOKUP",
    "FLOOR",
    "FULLY_CONNECTED",
    "HASHTABLE_LOOKUP",
    "L2_NORMALIZATION",
    "L2_POOL_2D",
    "LOCAL_RESPONSE_NORMALIZATION",
    "LOGISTIC",
    "LSH_PROJECTION",
    "LSTM",
    "MAX_POOL_2D",
    "MUL",
    "RELU",
    "RELU_N1_TO_1",
    "RELU6",
    "RESHAPE",
    "RESIZE_BILINEAR",
    "RNN",
    "SOFTMAX",
    "SPACE_TO_DEPTH",
    "SVDF",
    "TANH",
    "CONCAT_EMBEDDINGS",
    "SKIP_GRAM",
    "CALL",
    "CUSTOM",
    "EMBEDDING_LOOKUP_SPARSE",
    "PAD",
    "UNIDIRECTIONAL_SEQUENCE_RNN",
    "GATHER",
    "BATCH_TO_SPACE_ND",
    "SPACE_TO_BATCH_ND",
    "TRANSPOSE",
    "MEAN",
    "SUB",
    "DIV",
    "SQUEEZE",
    "UNIDIRECTIONAL_SEQUENCE_LSTM",
    "STRIDED_SLICE",
    "BIDIRECTIONAL_SEQUENCE_RNN",
    "EXP",
    "TOPK_V2",
    "SPLIT",
    "LOG_SOFTMAX",
    "DELEGATE",
    "BIDIRECTIONAL_SEQUENCE_LSTM",
    "CAST",
    "PRELU",
    "MAXIMUM",
    "ARG_MAX",
    "MINIMUM",
    "LESS",
    "NEG",
    "PADV2",
    "GREATER",
    "GREATER_EQUAL",
    "LESS_EQUAL",
    "SELECT",
    "SLICE",
    "SIN",
    "TRANSPOSE_CONV",
    "SPARSE_TO_DENSE",
    "TILE",
    "EXPAND_DIMS",
    "EQUAL",
    "NOT_EQUAL",
    "LOG",
    "SUM",
    "SQRT",
    "RSQRT",
    "SHAPE",
    "POW",
    "ARG_MIN",
    "FAKE_QUANT",
    "REDUCE_PROD",
    "REDUCE_MAX",
    "PACK",
    "LOGICAL_OR",
    "ONE_HOT",
    "LOGICAL_AND",
    "LOGICAL_NOT",
    "UNPACK",
    "REDUCE_MIN",
    "FLOOR_DIV",
    "REDUCE_ANY",
    "SQUARE",
    "ZEROS_LIKE",
    "FILL",
    "FLOOR_MOD",
    "RANGE",
    "RESIZE_NEAREST_NEIGHBOR",
    "LEAKY_RELU",
    "SQUARED_DIFFERENCE",
    "MIRROR_PAD",
    "ABS",
    "SPLIT_V",
    "UNIQUE",
    "CEIL",
    "REVERSE_V2",
    "ADD_N",
    "GATHER_ND",
    "COS",
    "WHERE",
    "RANK",
    "ELU",
    "REVERSE_SEQUENCE",
    "MATRIX_DIAG",
    "QUANTIZE",
    "MATRIX_SET_DIAG",
    "ROUND",
    "HARD_SWISH",
    "IF",
    "WHILE",
    "NON_MAX_SUPPRESSION_V4",
    "NON_MAX_SUPPRESSION_V5",
    "SCATTER_ND",
    "SELECT_V2",
    "DENSIFY",
    "SEGMENT_SUM",
    "BATCH_MATMUL",
    "PLACEHOLDER_FOR_GREATER_OP_CODES",
    "CUMSUM",
    "CALL_ONCE",
    "BROADCAST_TO",
    "RFFT2D",
    "CONV_3D",
    "IMAG",
    "REAL",
    "COMPLEX_ABS",
    "HASHTABLE",
    "HASHTABLE_FIND",
    "HASHTABLE_IMPORT",
    "HASHTABLE_SIZE",
    "REDUCE_ALL",
    "CONV_3D_TRANSPOSE",
    "VAR_HANDLE",
    "READ_VARIABLE",
    "ASSIGN_VARIABLE",
    "BROADCAST_ARGS",
    "RANDOM_STANDARD_NORMAL",
    "BUCKETIZE",
    "RANDOM_UNIFORM",
    "MULTINOMIAL",
    "GELU",
    "DYNAMIC_UPDATE_SLICE",
    "RELU_0_TO_1",
    "UNSORTED_SEGMENT_PROD",
    "UNSORTED_SEGMENT_MAX",
    "UNSORTED_SEGMENT_SUM",
    "ATAN2",
    "UNSORTED_SEGMENT_MIN",
    "SIGN",
    "BITCAST",
    "BITWISE_XOR",
    "RIGHT_SHIFT",
    "STABLEHLO_LOGISTIC",
    "STABLEHLO_ADD",
    "STABLEHLO_DIVIDE",
    "STABLEHLO_MULTIPLY",
    "STABLEHLO_MAXIMUM",
    "STABLEHLO_RESHAPE",
    "STABLEHLO_CLAMP",
    "STABLEHLO_CONCATENATE",
    "STABLEHLO_BROADCAST_IN_DIM",
    "STABLEHLO_CONVOLUTION",
    "STABLEHLO_SLICE",
    "STABLEHLO_CUSTOM_CALL",
    "STABLEHLO_REDUCE",
    "STABLEHLO_ABS",
    "STABLEHLO_AND",
    "STABLEHLO_COSINE",
    "STABLEHLO_EXPONENTIAL",
    "STABLEHLO_FLOOR",
    "STABLEHLO_LOG",
    "STABLEHLO_MINIMUM",
    "STABLEHLO_NEGATE",
    "STABLEHLO_OR",
    "STABLEHLO_POWER",
    "STABLEHLO_REMAINDER",
    "STABLEHLO_RSQRT",
    "STABLEHLO_SELECT",
    "STABLEHLO_SUBTRACT",
    "STABLEHLO_TANH",
    "STABLEHLO_SCATTER",
    "STABLEHLO_COMPARE",
    "STABLEHLO_CONVERT",
    "STABLEHLO_DYNAMIC_SLICE",
    "STABLEHLO_DYNAMIC_UPDATE_SLICE",
    "STABLEHLO_PAD",
    "STABLEHLO_IOTA",
    "STABLEHLO_DOT_GENERAL",
    "STABLEHLO_REDUCE_WINDOW",
    "STABLEHLO_SORT",
    "STABLEHLO_WHILE",
    "STABLEHLO_GATHER",
    "STABLEHLO_TRANSPOSE",
    "DILATE",
    "STABLEHLO_RNG_BIT_GENERATOR",
    "REDUCE_WINDOW",
    "STABLEHLO_COMPOSITE",
    "STABLEHLO_SHIFT_LEFT",
    "STABLEHLO_CBRT",
    "STABLEHLO_CASE",
};

// The BuiltinOptions union, members 1..126 in declaration order.
constexpr std::string_view kOptions[] = {
    "Conv2DOptions: padding:pad stride_w:i stride_h:i fused_activation_function:act "
    "dilation_w_factor:i=1 dilation_h_factor:i=1 quantized_bias_type:type",
    "DepthwiseConv2DOptions: padding:pad stride_w:i stride_h:i depth_multiplier:i "
    "fused_activation_function:act dilation_w_factor:i=1 dilation_h_factor:i=1",
    "ConcatEmbeddingsOptions: num_channels:i num_columns_per_channel:i* "
    "embedding_dim_per_channel:i*",
    "LSHProjectionOptions: type:e",
    "Pool2DOptions: padding:pad stride_w:i stride_h:i filter_width:i filter_height:i "
    "fused_activation_function:act",
    "SVDFOptions: rank:i fused_activation_function:act asymmetric_quantize_inputs:b",
    "RNNOptions: fused_activation_function:act asymmetric_quantize_inputs:b",
    "FullyConnectedOptions: fused_activation_function:act weights_format:e keep_num_dims:b "
    "asymmetric_quantize_inputs:b quantized_bias_type:type",
    "SoftmaxOptions: beta:f",
    "ConcatenationOptions: axis:i fused_activation_function:act",
    "AddOptions: fused_activation_function:act pot_scale_int16:b=1",
    "L2NormOptions: fused_activation_function:act",
    "LocalResponseNormalizationOptions: radius:i bias:f alpha:f beta:f",
    "LSTMOptions: fused_activation_function:act cell_clip:f proj_clip:f kernel_type:e "
    "asymmetric_quantize_inputs:b",
    "ResizeBilinearOptions: new_height:- new_width:- align_corners:b half_pixel_centers:b",
    "CallOptions: subgraph:g",
    "ReshapeOptions: new_shape:i*",
    "SkipGramOptions: ngram_size:i max_skip_size:i include_all_ngrams:b",
    "SpaceToDepthOptions: block_size:i",
    "EmbeddingLookupSparseOptions: combiner:e",
    "MulOptions: fused_activation_function:act",
    "PadOptions:",
    "GatherOptions: axis:i batch_dims:i",
    "BatchToSpaceNDOptions:",
    "SpaceToBatchNDOptions:",
    "TransposeOptions:",
    "ReducerOptions: keep_dims:b",
    "SubOptions: fused_activation_function:act pot_scale_int16:b=1",
    "DivOptions: fused_activation_function:act",
    "SqueezeOptions: squeeze_dims:i*",
    "SequenceRNNOptions: time_major:b fused_activation_function:act asymmetric_quantize_inputs:b",
    "StridedSliceOptions: begin_mask:i end_mask:i ellipsis_mask:i new_axis_mask:i "
    "shrink_axis_mask:i offset:b",
    "ExpOptions:",
    "TopKV2Options:",
    "SplitOptions: num_splits:i",
    "LogSoftmaxOptions:",
    "CastOptions: in_data_type:type out_data_type:type",
    "DequantizeOptions:",
    "MaximumMinimumOptions:",
    "ArgMaxOptions: output_type:type",
    "LessOptions:",
    "NegOptions:",
    "PadV2Options:",
    "GreaterOptions:",
    "GreaterEqualOptions:",
    "LessEqualOptions:",
    "SelectOptions:",
    "SliceOptions:",
    "TransposeConvOptions: padding:pad stride_w:i stride_h:i fused_activation_function:act "
    "quantized_bias_type:type",
    "SparseToDenseOptions: validate_indices:b",
    "TileOptions:",
    "ExpandDimsOptions:",
    "EqualOptions:",
    "NotEqualOptions:",
    "ShapeOptions: out_type:type",
    "PowOptions:",
    "ArgMinOptions: output_type:type",
    "FakeQuantOptions: min:f max:f num_bits:i narrow_range:b",
    "PackOptions: values_count:i axis:i",
    "LogicalOrOptions:",
    "OneHotOptions: axis:i",
    "LogicalAndOptions:",
    "LogicalNotOptions:",
    "UnpackOptions: num:i axis:i",
    "FloorDivOptions:",
    "SquareOptions:",
    "ZerosLikeOptions:",
    "FillOptions:",
    "BidirectionalSequenceLSTMOptions: fused_activation_function:act cell_clip:f proj_clip:f "
    "merge_outputs:b time_major:b=1 asymmetric_quantize_inputs:b",
    "BidirectionalSequenceRNNOptions: time_major:b fused_activation_function:act merge_outputs:b "
    "asymmetric_quantize_inputs:b",
    "UnidirectionalSequenceLSTMOptions: fused_activation_function:act cell_clip:f proj_clip:f "
    "time_major:b asymmetric_quantize_inputs:b diagonal_recurrent_tensors:b",
    "FloorModOptions:",
    "RangeOptions:",
    "ResizeNearestNeighborOptions: align_corners:b half_pixel_centers:b",
    "LeakyReluOptions: alpha:f",
    "SquaredDifferenceOptions:",
    "MirrorPadOptions: mode:e",
    "AbsOptions:",
    "SplitVOptions: num_splits:i",
    "UniqueOptions: idx_out_type:type=2",
    "ReverseV2Options:",
    "AddNOptions:",
    "GatherNdOptions:",
    "CosOptions:",
    "WhereOptions:",
    "RankOptions:",
    "ReverseSequenceOptions: seq_dim:i batch_dim:i",
    "MatrixDiagOptions:",
    "QuantizeOptions:",
    "MatrixSetDiagOptions:",
    "HardSwishOptions:",
    "IfOptions: then_subgraph_index:g else_subgraph_index:g",
    "WhileOptions: cond_subgraph_index:g body_subgraph_index:g",
    "DepthToSpaceOptions: block_size:i",
    "NonMaxSuppressionV4Options:",
    "NonMaxSuppressionV5Options:",
    "ScatterNdOptions:",
    "SelectV2Options:",
    "DensifyOptions:",
    "SegmentSumOptions:",
    "BatchMatMulOptions: adj_x:b adj_y:b asymmetric_quantize_inputs:b",
    "CumsumOptions: exclusive:b reverse:b",
    "CallOnceOptions: init_subgraph_index:g",
    "BroadcastToOptions:",
    "Rfft2dOptions:",
    "Conv3DOptions: padding:pad stride_d:i stride_w:i stride_h:i fused_activation_function:act "
    "dilation_d_factor:i=1 dilation_w_factor:i=1 dilation_h_factor:i=1",
    "HashtableOptions: table_id:i key_dtype:type value_dtype:type",
    "HashtableFindOptions:",
    "HashtableImportOptions:",
    "HashtableSizeOptions:",
    "VarHandleOptions: container:s shared_name:s",
    "ReadVariableOptions:",
    "AssignVariableOptions:",
    "RandomOptions: seed:l seed2:l",
    "BucketizeOptions: boundaries:f*",
    "GeluOptions: approximate:b",
    "DynamicUpdateSliceOptions:",
    "UnsortedSegmentProdOptions:",
    "UnsortedSegmentMaxOptions:",
    "UnsortedSegmentMinOptions:",
    "UnsortedSegmentSumOptions:",
    "ATan2Options:",
    "SignOptions:",
    "BitcastOptions:",
    "BitwiseXorOptions:",
    "RightShiftOptions:",
};

// The BuiltinOptions2 union (StableHLO and later ops), members 1..23.
constexpr std::string_view kOptions2[] = {
    "StablehloConcatenateOptions: dimension:l",
    "StablehloBroadcastInDimOptions: broadcast_dimensions:l*",
    "StablehloSliceOptions: start_indices:l* limit_indices:l* strides:l*",
    "StablehloConvolutionOptions: window_strides:l* padding:l* lhs_dilation:l* rhs_dilation:l* "
    "window_reversal:- input_batch_dimension:l input_feature_dimension:l "
    "input_spatial_dimensions:l* kernel_input_feature_dimension:l "
    "kernel_output_feature_dimension:l kernel_spatial_dimensions:l* output_batch_dimension:l "
    "output_feature_dimension:l output_spatial_dimensions:l* feature_group_count:l "
    "batch_group_count:l",
    "StablehloCustomCallOptions: call_target_name:s",
    "StablehloReduceOptions: dimensions:l* body_subgraph_index:g",
    "StablehloScatterOptions: indices_are_sorted:b update_window_dims:l* inserted_window_dims:l* "
    "scatter_dims_to_operand_dims:l* index_vector_dim:l unique_indices:b "
    "update_computation_subgraph_index:g",
    "StablehloCompareOptions:",
    "StablehloDynamicSliceOptions: slice_sizes:l*",
    "StablehloPadOptions: edge_padding_low:l* edge_padding_high:l* interior_padding:l*",
    "StablehloIotaOptions: iota_dimension:l",
    "StablehloDotGeneralOptions: lhs_batching_dimensions:l* rhs_batching_dimensions:l* "
    "lhs_contracting_dimensions:l* rhs_contracting_dimensions:l*",
    "StablehloReduceWindowOptions: window_dimensions:l* window_strides:l* base_dilations:l* "
    "window_dilations:l* padding:l* body_subgraph_index:g",
    "StablehloSortOptions: dimension:l is_stable:b comparator_subgraph_index:g",
    "StablehloWhileOptions: cond_subgraph_index:g body_subgraph_index:g",
    "StablehloGatherOptions:",
    "StablehloTransposeOptions: permutation:l*",
    "DilateOptions:",
    "StablehloRngBitGeneratorOptions: algorithm:e",
    "ReduceWindowOptions: reduce_function:i",
    "StableHLOCompositeOptions: name:s decomposition_subgraph_index:g composite_attributes:- "
    "composite_attributes_format:e version:i",
    "StablehloShiftLeftOptions:",
    "StablehloCaseOptions: branch_subgraph_indices:g*",
};

FieldKind KindOf(std::string_view k) {
  if (k == "i") return FieldKind::kInt;
  if (k == "u") return FieldKind::kUint;
  if (k == "l") return FieldKind::kLong;
  if (k == "f") return FieldKind::kFloat;
  if (k == "b") return FieldKind::kBool;
  if (k == "e") return FieldKind::kByte;
  if (k == "pad") return FieldKind::kPadding;
  if (k == "act") return FieldKind::kActivation;
  if (k == "type") return FieldKind::kTensorType;
  if (k == "g") return FieldKind::kSubgraph;
  if (k == "g*") return FieldKind::kSubgraphs;
  if (k == "i*") return FieldKind::kInts;
  if (k == "l*") return FieldKind::kLongs;
  if (k == "f*") return FieldKind::kFloats;
  if (k == "s") return FieldKind::kString;
  return FieldKind::kSkip;
}

OptionsTable Parse(std::string_view line) {
  OptionsTable t;
  const size_t colon = line.find(':');
  t.name = std::string(line.substr(0, colon));
  std::string_view rest = line.substr(colon + 1);
  while (!rest.empty()) {
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.empty()) break;
    const size_t end = rest.find(' ');
    std::string_view item = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    OptionField f;
    const size_t c = item.find(':');
    f.name = std::string(item.substr(0, c));
    std::string_view kind = item.substr(c + 1);
    const size_t eq = kind.find('=');
    if (eq != std::string_view::npos) {
      f.fallback = std::strtod(std::string(kind.substr(eq + 1)).c_str(), nullptr);
      kind = kind.substr(0, eq);
    }
    f.kind = KindOf(kind);
    t.fields.push_back(f);
  }
  return t;
}

template <size_t N>
std::vector<OptionsTable> ParseAll(const std::string_view (&lines)[N]) {
  std::vector<OptionsTable> v;
  v.reserve(N);
  for (std::string_view l : lines) v.push_back(Parse(l));
  return v;
}

}  // namespace

std::string_view BuiltinName(int32_t code) {
  if (code < 0 || static_cast<size_t>(code) >= kBuiltinNames.size()) return {};
  return kBuiltinNames[static_cast<size_t>(code)];
}

int32_t MaxBuiltinCode() { return static_cast<int32_t>(kBuiltinNames.size()) - 1; }

DType TensorTypeToDType(int8_t type) {
  switch (type) {
    case 0:
      return DType::kFloat;
    case 1:
      return DType::kFloat16;
    case 2:
      return DType::kInt32;
    case 3:
      return DType::kUint8;
    case 4:
      return DType::kInt64;
    case 5:
      return DType::kString;
    case 6:
      return DType::kBool;
    case 7:
      return DType::kInt16;
    case 8:
      return DType::kComplex64;
    case 9:
      return DType::kInt8;
    case 10:
      return DType::kDouble;
    case 11:
      return DType::kComplex128;
    case 12:
      return DType::kUint64;
    case 15:
      return DType::kUint32;
    case 16:
      return DType::kUint16;
    case 17:
      return DType::kInt4;
    case 18:
      return DType::kBFloat16;
    default:
      return DType::kUndefined;  // 13 RESOURCE, 14 VARIANT, unknown
  }
}

std::string_view TensorTypeName(int8_t type) {
  static constexpr std::string_view kNames[] = {
      "FLOAT32", "FLOAT16",   "INT32",  "UINT8",   "INT64",      "STRING", "BOOL",
      "INT16",   "COMPLEX64", "INT8",   "FLOAT64", "COMPLEX128", "UINT64", "RESOURCE",
      "VARIANT", "UINT32",    "UINT16", "INT4",    "BFLOAT16"};
  if (type < 0 || static_cast<size_t>(type) >= std::size(kNames)) return {};
  return kNames[static_cast<size_t>(type)];
}

std::string_view ActivationName(int8_t code) {
  static constexpr std::string_view kNames[] = {"NONE",  "RELU", "RELU_N1_TO_1",
                                                "RELU6", "TANH", "SIGN_BIT"};
  if (code < 0 || static_cast<size_t>(code) >= std::size(kNames)) return {};
  return kNames[static_cast<size_t>(code)];
}

const OptionsTable* BuiltinOptions(uint8_t index) {
  static const std::vector<OptionsTable> kTables = ParseAll(kOptions);
  if (index == 0 || index > kTables.size()) return nullptr;
  return &kTables[index - 1];
}

const OptionsTable* BuiltinOptions2(uint8_t index) {
  static const std::vector<OptionsTable> kTables = ParseAll(kOptions2);
  if (index == 0 || index > kTables.size()) return nullptr;
  return &kTables[index - 1];
}

}  // namespace tops::io::tflite
