// Shared by the oracles over Debian's libonnx-testdata (onnx_testdata_test.cc for shapes,
// value_oracle_test.cc for values): reading the suite's TensorProto files with libonnx's own
// protobuf classes (independent of tops's reader), turning small inputs into initializers, and
// erasing the files' shape annotations so that inference alone is tested.
#pragma once

#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/onnx_reader.h"
#include "tops/graph.h"

namespace tops::testdata {

inline const char* kDataDir = "/usr/share/libonnx-testdata/data";

inline bool ReadProto(const std::filesystem::path& p, onnx::TensorProto* t) {
  std::ifstream f(p, std::ios::binary);
  if (!f) return false;
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string bytes = ss.str();
  // A SequenceProto or OptionalProto also parses as a TensorProto (unknown fields are skipped):
  // a tensor always declares its element type.
  return t->ParseFromString(bytes) && t->data_type() != 0;
}

// IEEE half and bfloat16 bit patterns (the suite stores them in raw_data or int32_data).
inline double HalfToDouble(uint32_t b) {
  const int exp = static_cast<int>((b >> 10) & 0x1f);
  const double mant = static_cast<double>(b & 0x3ff);
  double v = exp == 0    ? std::ldexp(mant, -24)
             : exp == 31 ? (mant == 0 ? INFINITY : NAN)
                         : std::ldexp(1024 + mant, exp - 25);
  return (b & 0x8000) ? -v : v;
}
inline double BFloatToDouble(uint32_t b) {
  const uint32_t bits = (b & 0xffff) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

// The elements of a tensor file, integers exactly and floats as double; ok is false for types
// not decoded here (strings, complex, 4-bit, float8) or an inconsistent payload.
struct Decoded {
  DType dtype = DType::kUndefined;
  std::vector<int64_t> dims;
  int64_t elems = 1;
  bool ok = false;
  std::vector<int64_t> ints;
  std::vector<double> floats;
};

inline Decoded Decode(const onnx::TensorProto& t) {
  Decoded d;
  d.dtype = io::DTypeFromOnnx(t.data_type());
  for (int64_t x : t.dims()) {
    d.dims.push_back(x);
    if (x < 0 || __builtin_mul_overflow(d.elems, x, &d.elems)) return d;
  }
  const std::string& raw = t.raw_data();
  const bool use_raw = t.has_raw_data();
  auto raw_as = [&](auto sample) {
    using T = decltype(sample);
    std::vector<T> v;
    if (raw.size() % sizeof(T) != 0) return v;
    v.resize(raw.size() / sizeof(T));
    if (!v.empty()) std::memcpy(v.data(), raw.data(), raw.size());
    return v;
  };
  switch (d.dtype) {
    case DType::kInt64:
      if (use_raw)
        for (int64_t x : raw_as(int64_t{})) d.ints.push_back(x);
      else
        d.ints.assign(t.int64_data().begin(), t.int64_data().end());
      break;
    case DType::kUint64:
      if (use_raw)
        for (uint64_t x : raw_as(uint64_t{})) d.ints.push_back(static_cast<int64_t>(x));
      else
        for (uint64_t x : t.uint64_data()) d.ints.push_back(static_cast<int64_t>(x));
      break;
    case DType::kInt32:
      if (use_raw)
        for (int32_t x : raw_as(int32_t{})) d.ints.push_back(x);
      else
        d.ints.assign(t.int32_data().begin(), t.int32_data().end());
      break;
    case DType::kUint32:
      if (use_raw)
        for (uint32_t x : raw_as(uint32_t{})) d.ints.push_back(x);
      else
        for (uint64_t x : t.uint64_data()) d.ints.push_back(static_cast<int64_t>(x));
      break;
    case DType::kInt16:
      if (use_raw)
        for (int16_t x : raw_as(int16_t{})) d.ints.push_back(x);
      else
        d.ints.assign(t.int32_data().begin(), t.int32_data().end());
      break;
    case DType::kUint16:
      if (use_raw)
        for (uint16_t x : raw_as(uint16_t{})) d.ints.push_back(x);
      else
        d.ints.assign(t.int32_data().begin(), t.int32_data().end());
      break;
    case DType::kInt8:
      if (use_raw)
        for (int8_t x : raw_as(int8_t{})) d.ints.push_back(x);
      else
        d.ints.assign(t.int32_data().begin(), t.int32_data().end());
      break;
    case DType::kUint8:
    case DType::kBool:
      if (use_raw)
        for (uint8_t x : raw_as(uint8_t{})) d.ints.push_back(x);
      else
        d.ints.assign(t.int32_data().begin(), t.int32_data().end());
      break;
    case DType::kFloat:
      if (use_raw)
        for (float x : raw_as(float{})) d.floats.push_back(x);
      else
        d.floats.assign(t.float_data().begin(), t.float_data().end());
      break;
    case DType::kDouble:
      if (use_raw)
        for (double x : raw_as(double{})) d.floats.push_back(x);
      else
        d.floats.assign(t.double_data().begin(), t.double_data().end());
      break;
    case DType::kFloat16:
    case DType::kBFloat16: {
      const bool half = d.dtype == DType::kFloat16;
      if (use_raw) {
        for (uint16_t x : raw_as(uint16_t{}))
          d.floats.push_back(half ? HalfToDouble(x) : BFloatToDouble(x));
      } else {
        for (int32_t x : t.int32_data()) {
          d.floats.push_back(half ? HalfToDouble(static_cast<uint32_t>(x))
                                  : BFloatToDouble(static_cast<uint32_t>(x)));
        }
      }
      break;
    }
    default:
      return d;
  }
  d.ok = static_cast<int64_t>(d.ints.size() + d.floats.size()) == d.elems;
  return d;
}

// An input file as an initializer: dims and type always, values when at most kMaxKeptValues.
inline TensorData Frozen(const onnx::TensorProto& t, const std::string& name) {
  const Decoded d = Decode(t);
  TensorData td;
  td.name = name;
  td.dtype = d.dtype;
  td.dims = d.dims;
  td.elems = d.elems;
  td.has_payload = true;
  if (!d.ok || d.elems > kMaxKeptValues) return td;
  td.has_values = true;
  td.ints = d.ints;
  td.floats = d.floats;
  return td;
}

// The suite's files declare every output shape; the engine falls back to such annotations, so
// they are erased (in subgraphs too) to make the comparison test inference alone.
inline void EraseAnnotations(Graph& g) {
  g.value_info.clear();
  for (ValueInfo& v : g.outputs) v.shape = Shape::Unknown();
  for (Node& n : g.nodes) {
    for (Attribute& a : n.attributes) {
      for (auto& sg : a.graphs) EraseAnnotations(*sg);
    }
  }
}

}  // namespace tops::testdata
