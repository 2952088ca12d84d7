// ONNX's numbering of data types (TensorProto.DataType) and attribute kinds
// (AttributeProto.AttributeType) mapped to tops's own DType and AttrType; nothing outside src/io
// sees those codes.
#include <onnx/onnx_pb.h>

#include "io/onnx_reader.h"

namespace tops::io {

// onnx::AttributeProto::AttributeType -> AttrType.
AttrType AttrTypeFromOnnx(uint64_t code) {
  using A = onnx::AttributeProto;
  switch (code) {
    case A::FLOAT:
      return AttrType::kFloat;
    case A::INT:
      return AttrType::kInt;
    case A::STRING:
      return AttrType::kString;
    case A::TENSOR:
      return AttrType::kTensor;
    case A::GRAPH:
      return AttrType::kGraph;
    case A::SPARSE_TENSOR:
      return AttrType::kSparseTensor;
    case A::TYPE_PROTO:
      return AttrType::kTypeProto;
    case A::FLOATS:
      return AttrType::kFloats;
    case A::INTS:
      return AttrType::kInts;
    case A::STRINGS:
      return AttrType::kStrings;
    case A::TENSORS:
      return AttrType::kTensors;
    case A::GRAPHS:
      return AttrType::kGraphs;
    case A::SPARSE_TENSORS:
      return AttrType::kSparseTensors;
    case A::TYPE_PROTOS:
      return AttrType::kTypeProtos;
    default:
      return AttrType::kUndefined;
  }
}

// onnx::TensorProto::DataType -> DType; unknown codes are kUndefined (0 bits: sizes unknown).
DType DTypeFromOnnx(int64_t code) {
  using T = onnx::TensorProto;
  switch (code) {
    case T::FLOAT:
      return DType::kFloat;
    case T::UINT8:
      return DType::kUint8;
    case T::INT8:
      return DType::kInt8;
    case T::UINT16:
      return DType::kUint16;
    case T::INT16:
      return DType::kInt16;
    case T::INT32:
      return DType::kInt32;
    case T::INT64:
      return DType::kInt64;
    case T::STRING:
      return DType::kString;
    case T::BOOL:
      return DType::kBool;
    case T::FLOAT16:
      return DType::kFloat16;
    case T::DOUBLE:
      return DType::kDouble;
    case T::UINT32:
      return DType::kUint32;
    case T::UINT64:
      return DType::kUint64;
    case T::COMPLEX64:
      return DType::kComplex64;
    case T::COMPLEX128:
      return DType::kComplex128;
    case T::BFLOAT16:
      return DType::kBFloat16;
    // Added to ONNX after the 1.12 headers Debian ships: numbered by the ONNX IR spec
    // (onnx.proto3 TensorProto.DataType: FLOAT8E4M3FN = 17 ... INT4 = 22).
    case 17:
      return DType::kFloat8E4M3FN;
    case 18:
      return DType::kFloat8E4M3FNUZ;
    case 19:
      return DType::kFloat8E5M2;
    case 20:
      return DType::kFloat8E5M2FNUZ;
    case 21:
      return DType::kUint4;
    case 22:
      return DType::kInt4;
    default:
      return DType::kUndefined;
  }
}

}  // namespace tops::io
