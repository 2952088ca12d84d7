// Recognises quantised models from their operators and weight dtypes (ONNX operator spec:
// QuantizeLinear/DequantizeLinear carry the integer type in their zero-point input or the
// output_dtype attribute; QLinear* and *Integer ops compute in integers).
#include "tops/quantized.h"

#include <algorithm>
#include <map>

#include "fmt/format.h"

namespace tops {
namespace {

// Ops whose presence means the model is quantised, and which input holds the zero point that
// names the integer type (-1: none).
const std::map<std::string, int>& QuantOps() {
  static const std::map<std::string, int> kOps = {
      {"QuantizeLinear", 2}, {"DequantizeLinear", 2}, {"DynamicQuantizeLinear", -1},
      {"QLinearConv", 2},    {"QLinearMatMul", 2},    {"ConvInteger", 2},
      {"MatMulInteger", 2},
  };
  return kOps;
}

bool IsQuantDType(DType t) {
  return t == DType::kInt8 || t == DType::kUint8 || t == DType::kInt4 || t == DType::kUint4 ||
         t == DType::kInt16 || t == DType::kUint16;
}

struct Scan {
  std::map<std::string, int> op_counts;
  std::map<DType, int> weight_dtypes;  // integer initializers of rank >= 2 (weights, not scales)
  int weight_bits = 0;                 // narrowest integer weight
  int activation_bits = 0;             // widest zero-point / output_dtype type of Q/DQ ops
  int64_t float_weights = 0;
  int64_t fp16_weights = 0;
  int64_t bf16_weights = 0;
};

void Walk(const Graph& g, Scan& s) {
  std::map<std::string, DType> init_dtype;
  for (const TensorData& t : g.initializers) {
    init_dtype[t.name] = t.dtype;
    if (t.dims.size() >= 2 && IsQuantDType(t.dtype)) {
      ++s.weight_dtypes[t.dtype];
      const int bits = DTypeBits(t.dtype);
      s.weight_bits = s.weight_bits == 0 ? bits : std::min(s.weight_bits, bits);
    }
    if (t.elems >= 2 && IsFloatDType(t.dtype)) {
      ++s.float_weights;
      if (t.dtype == DType::kFloat16) ++s.fp16_weights;
      if (t.dtype == DType::kBFloat16) ++s.bf16_weights;
    }
  }
  for (const Node& n : g.nodes) {
    if (n.domain.empty()) {
      auto it = QuantOps().find(n.op_type);
      if (it != QuantOps().end()) {
        ++s.op_counts[n.op_type];
        DType zp = DType::kUndefined;
        const size_t idx = static_cast<size_t>(std::max(0, it->second));
        if (it->second >= 0 && idx < n.inputs.size()) {
          auto d = init_dtype.find(n.inputs[idx]);
          if (d != init_dtype.end()) zp = d->second;
        }
        if (zp == DType::kUndefined && n.op_type == "QuantizeLinear") {
          zp = static_cast<DType>(n.attr_int("output_dtype", 0));
        }
        if (IsQuantDType(zp)) s.activation_bits = std::max(s.activation_bits, DTypeBits(zp));
      }
    }
    for (const Attribute& a : n.attributes) {
      for (const auto& sub : a.graphs) {
        if (sub) Walk(*sub, s);
      }
    }
  }
}

std::optional<Precision> FromBits(int bits) {
  if (bits == 8) return Precision::kInt8;
  if (bits == 4) return Precision::kInt4;
  return std::nullopt;
}

}  // namespace

QuantInfo DetectQuantization(const Model& model) {
  Scan s;
  Walk(model.graph, s);
  QuantInfo q;
  for (const auto& [op, count] : s.op_counts) {
    q.evidence.push_back(fmt::format("{} x {}", op, count));
  }
  for (const auto& [dtype, count] : s.weight_dtypes) {
    q.evidence.push_back(fmt::format("{} weight tensors: {}", DTypeName(dtype), count));
  }
  q.quantized = !s.op_counts.empty() || !s.weight_dtypes.empty();
  if (q.quantized) {
    // Arithmetic runs at the wider of the two operands: INT4 weights with 8-bit activations
    // (W4A8) use the INT8 units.
    int bits = std::max(s.weight_bits, s.activation_bits);
    if (bits == 0) bits = 8;  // integer ops with runtime-typed inputs: 8-bit per the ONNX spec
    q.precision = FromBits(bits);
    if (!q.precision) {
      q.evidence.push_back(
          fmt::format("{}-bit integers: no matching precision in the catalog", bits));
    }
    return q;
  }
  if (s.float_weights > 0 && s.fp16_weights == s.float_weights) {
    q.precision = Precision::kFp16;
    q.evidence.push_back(fmt::format("all {} float weight tensors are float16", s.float_weights));
  } else if (s.float_weights > 0 && s.bf16_weights == s.float_weights) {
    q.precision = Precision::kBf16;
    q.evidence.push_back(fmt::format("all {} float weight tensors are bfloat16", s.float_weights));
  }
  return q;
}

}  // namespace tops
