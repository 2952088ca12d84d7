// Recognises quantised models from their operators and weight dtypes (ONNX operator spec:
// QuantizeLinear/DequantizeLinear carry the integer type in their zero-point input or the
// output_dtype attribute; QLinear* and *Integer ops compute in integers).
#include "tops/quantized.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "fmt/format.h"
#include "ops/registry.h"

namespace tops {
namespace {

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
  std::map<DType, int> quantized_activations;  // tensors with stored quantisation parameters
  int float_expansions = 0;  // dequantize ops of float16 weights (TFLite's float16 quantisation)
};

// The dtype of initializer `name` of `g`, for the few lookups a graph needs (Q/DQ operands,
// stored activation quantisation): the index is built at the first lookup, so a float graph,
// which asks nothing, never builds it.
class InitDTypes {
 public:
  explicit InitDTypes(const Graph& g) : g_(g) {}
  std::optional<DType> operator()(const std::string& name) {
    if (!built_) {
      built_ = true;
      index_.reserve(g_.initializers.size());
      for (const TensorData& t : g_.initializers) index_[t.name] = t.dtype;
    }
    auto it = index_.find(name);
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }

 private:
  const Graph& g_;
  bool built_ = false;
  std::unordered_map<std::string_view, DType> index_;  // the last of a duplicated name wins
};

void Walk(const Graph& g, Scan& s) {
  InitDTypes init_dtype(g);
  for (const TensorData& t : g.initializers) {
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
  // Activations a file stores with quantisation parameters (TFLite's int8 / uint8 / int16
  // tensors): the type the model computes in, without any Q/DQ operator needed.
  for (const auto* list : {&g.inputs, &g.value_info, &g.outputs}) {
    for (const ValueInfo& vi : *list) {
      if (!vi.quant || !IsQuantDType(vi.dtype) || init_dtype(vi.name)) continue;
      ++s.quantized_activations[vi.dtype];
      s.activation_bits = std::max(s.activation_bits, DTypeBits(vi.dtype));
    }
  }
  for (const Node& n : g.nodes) {
    const OpEntry* entry = Registry::Get().Find(n.domain, n.op_type);
    // A dequantize of float weights expands weights stored at 16 bits (TFLite's float16
    // quantisation): no integer arithmetic.
    if (entry && entry->traits.quant == QuantRole::kDequantize && !n.inputs.empty()) {
      const std::optional<DType> d = init_dtype(n.inputs[0]);
      if (d && IsFloatDType(*d)) {
        ++s.float_expansions;
        entry = nullptr;
      }
    }
    if (entry && entry->traits.quant != QuantRole::kNone) {
      ++s.op_counts[n.domain.empty() ? n.op_type : n.domain + "::" + n.op_type];
      // The first zero point is the data's (activation's); its integer type is the quantised
      // type. Without one, QuantizeLinear's output_dtype attribute says it (opset 21).
      DType zp = DType::kUndefined;
      const int idx = entry->traits.find(Operand::kZeroPoint);
      if (idx >= 0 && static_cast<size_t>(idx) < n.inputs.size()) {
        if (auto d = init_dtype(n.inputs[static_cast<size_t>(idx)])) zp = *d;
      }
      if (zp == DType::kUndefined && entry->traits.quant == QuantRole::kQuantize) {
        zp = n.attr_dtype("output_dtype", DType::kUndefined);
      }
      if (IsQuantDType(zp)) s.activation_bits = std::max(s.activation_bits, DTypeBits(zp));
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

std::string_view PrecisionSourceName(PrecisionSource s) {
  return s == PrecisionSource::kGraph ? "graph" : "option";
}

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
  for (const auto& [dtype, count] : s.quantized_activations) {
    q.evidence.push_back(fmt::format("{} activation tensors: {}", DTypeName(dtype), count));
  }
  q.quantized = !s.op_counts.empty() || !s.weight_dtypes.empty();
  if (q.quantized && s.op_counts.empty() && s.quantized_activations.empty()) {
    q.evidence.push_back(
        "weights only (dynamic-range quantisation): activations stay float and are quantised at "
        "run time by hybrid kernels");
  }
  if (s.float_expansions > 0) {
    q.evidence.push_back(fmt::format(
        "{} dequantize op(s) expand float16 weights to float32 at load time (GPU delegates run "
        "them at float16; CPU kernels at float32)",
        s.float_expansions));
  }
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
