// Full-size models from the weightless fixtures (tests/models/*.onnx): every tensor whose payload
// was stripped gets zero bytes of its true size in raw_data, so the file has the size of the real
// export (resnet50 ~102 MB, vgg16 ~553 MB) while dims, dtypes and graph stay byte-for-byte the
// same. Speed and memory measurements need such files; the repository only stores the small ones.
// Header-only so that the generator (bench/make_full_size.cc), the benchmark and the unit test
// share one definition without putting test tooling into libtops.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>

namespace tops::bench {

// Bytes per element of an ONNX data type as stored in raw_data; 0 when raw_data cannot hold it
// (strings) or the type is unknown to this onnx version.
inline int64_t RawBytesPerElement(int32_t data_type) {
  switch (data_type) {
    case onnx::TensorProto::BOOL:
    case onnx::TensorProto::UINT8:
    case onnx::TensorProto::INT8:
      return 1;
    case onnx::TensorProto::UINT16:
    case onnx::TensorProto::INT16:
    case onnx::TensorProto::FLOAT16:
    case onnx::TensorProto::BFLOAT16:
      return 2;
    case onnx::TensorProto::FLOAT:
    case onnx::TensorProto::INT32:
    case onnx::TensorProto::UINT32:
      return 4;
    case onnx::TensorProto::DOUBLE:
    case onnx::TensorProto::INT64:
    case onnx::TensorProto::UINT64:
    case onnx::TensorProto::COMPLEX64:
      return 8;
    case onnx::TensorProto::COMPLEX128:
      return 16;
    default:
      return 0;
  }
}

inline bool HasPayload(const onnx::TensorProto& t) {
  return !t.raw_data().empty() || t.float_data_size() > 0 || t.int32_data_size() > 0 ||
         t.int64_data_size() > 0 || t.double_data_size() > 0 || t.uint64_data_size() > 0 ||
         t.string_data_size() > 0 || t.data_location() == onnx::TensorProto::EXTERNAL;
}

struct FillStats {
  int64_t tensors = 0;  // tensors that received zero payloads
  int64_t bytes = 0;    // payload bytes added
};

// Gives `t` a zero payload of its full size when it has none.
inline void FillTensor(onnx::TensorProto& t, FillStats& stats) {
  if (HasPayload(t)) return;
  const int64_t width = RawBytesPerElement(t.data_type());
  if (width == 0) return;
  int64_t elems = 1;
  for (int64_t d : t.dims()) {
    if (d < 0 || __builtin_mul_overflow(elems, d, &elems)) {
      throw std::runtime_error("tensor '" + t.name() + "' has invalid dims");
    }
  }
  int64_t bytes = 0;
  if (__builtin_mul_overflow(elems, width, &bytes)) {
    throw std::runtime_error("tensor '" + t.name() + "' is too large");
  }
  if (bytes == 0) return;
  t.mutable_raw_data()->assign(static_cast<size_t>(bytes), '\0');
  stats.tensors += 1;
  stats.bytes += bytes;
}

// Initializers and Constant-node tensors of a graph and of every subgraph (If/Loop/Scan).
inline void FillGraph(onnx::GraphProto& g, FillStats& stats) {
  for (onnx::TensorProto& t : *g.mutable_initializer()) FillTensor(t, stats);
  for (onnx::NodeProto& n : *g.mutable_node()) {
    for (onnx::AttributeProto& a : *n.mutable_attribute()) {
      if (a.has_t()) FillTensor(*a.mutable_t(), stats);
      for (onnx::TensorProto& t : *a.mutable_tensors()) FillTensor(t, stats);
      if (a.has_g()) FillGraph(*a.mutable_g(), stats);
      for (onnx::GraphProto& sub : *a.mutable_graphs()) FillGraph(sub, stats);
    }
  }
}

// Reads the weightless `input`, writes the full-size model to `output`; returns what was added.
// Throws std::runtime_error when a file cannot be read, parsed or written.
inline FillStats MakeFullSizeFile(const std::string& input, const std::string& output) {
  onnx::ModelProto model;
  {
    std::ifstream in(input, std::ios::binary);
    if (!in) throw std::runtime_error(input + ": cannot open");
    if (!model.ParseFromIstream(&in)) throw std::runtime_error(input + ": not an ONNX model");
  }
  FillStats stats;
  FillGraph(*model.mutable_graph(), stats);
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error(output + ": cannot create");
  if (!model.SerializeToOstream(&out)) {
    throw std::runtime_error(output + ": cannot serialise (a ModelProto is limited to 2 GiB)");
  }
  out.close();
  if (!out) throw std::runtime_error(output + ": write failed");
  return stats;
}

}  // namespace tops::bench
