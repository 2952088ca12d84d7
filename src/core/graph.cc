#include "tops/graph.h"

#include "core/checked.h"

namespace tops {

int DTypeBits(DType t) {
  switch (t) {
    case DType::kBool:
    case DType::kUint8:
    case DType::kInt8:
    case DType::kFloat8E4M3FN:
    case DType::kFloat8E4M3FNUZ:
    case DType::kFloat8E5M2:
    case DType::kFloat8E5M2FNUZ:
      return 8;
    case DType::kUint16:
    case DType::kInt16:
    case DType::kFloat16:
    case DType::kBFloat16:
      return 16;
    case DType::kFloat:
    case DType::kInt32:
    case DType::kUint32:
      return 32;
    case DType::kInt64:
    case DType::kUint64:
    case DType::kDouble:
    case DType::kComplex64:
      return 64;
    case DType::kComplex128:
      return 128;
    case DType::kUint4:
    case DType::kInt4:
      return 4;
    default:
      return 0;
  }
}

std::string_view DTypeName(DType t) {
  switch (t) {
    case DType::kFloat:
      return "float32";
    case DType::kUint8:
      return "uint8";
    case DType::kInt8:
      return "int8";
    case DType::kUint16:
      return "uint16";
    case DType::kInt16:
      return "int16";
    case DType::kInt32:
      return "int32";
    case DType::kInt64:
      return "int64";
    case DType::kString:
      return "string";
    case DType::kBool:
      return "bool";
    case DType::kFloat16:
      return "float16";
    case DType::kDouble:
      return "float64";
    case DType::kUint32:
      return "uint32";
    case DType::kUint64:
      return "uint64";
    case DType::kComplex64:
      return "complex64";
    case DType::kComplex128:
      return "complex128";
    case DType::kBFloat16:
      return "bfloat16";
    case DType::kFloat8E4M3FN:
      return "float8e4m3fn";
    case DType::kFloat8E4M3FNUZ:
      return "float8e4m3fnuz";
    case DType::kFloat8E5M2:
      return "float8e5m2";
    case DType::kFloat8E5M2FNUZ:
      return "float8e5m2fnuz";
    case DType::kUint4:
      return "uint4";
    case DType::kInt4:
      return "int4";
    default:
      return "undefined";
  }
}

bool IsIntegerDType(DType t) {
  switch (t) {
    case DType::kUint8:
    case DType::kInt8:
    case DType::kUint16:
    case DType::kInt16:
    case DType::kInt32:
    case DType::kInt64:
    case DType::kUint32:
    case DType::kUint64:
    case DType::kBool:
    case DType::kUint4:
    case DType::kInt4:
      return true;
    default:
      return false;
  }
}

bool IsFloatDType(DType t) {
  switch (t) {
    case DType::kFloat:
    case DType::kFloat16:
    case DType::kDouble:
    case DType::kBFloat16:
    case DType::kFloat8E4M3FN:
    case DType::kFloat8E4M3FNUZ:
    case DType::kFloat8E5M2:
    case DType::kFloat8E5M2FNUZ:
      return true;
    default:
      return false;
  }
}

int64_t DTypeBytes(DType t, int64_t elems) {
  const int bits = DTypeBits(t);
  // Whole bytes per element where possible, so a 2^62-element int8 tensor (2^62 bytes) does not
  // overflow on the way through its bit count.
  if (bits % 8 == 0) return CheckedMul(elems, bits / 8, "tensor byte size");
  const int64_t total_bits = CheckedMul(elems, bits, "tensor byte size");
  return total_bits / 8 + (total_bits % 8 != 0 ? 1 : 0);
}

std::string Dim::ToString() const {
  if (known()) return std::to_string(value);
  if (!symbol.empty()) return symbol;
  return "?";
}

Shape Shape::Known(const std::vector<int64_t>& d) {
  Shape s;
  s.rank_known = true;
  s.dims.reserve(d.size());
  for (int64_t v : d) s.dims.push_back(Dim::Known(v));
  return s;
}

bool Shape::fully_known() const {
  if (!rank_known) return false;
  for (const Dim& d : dims) {
    if (!d.known()) return false;
  }
  return true;
}

std::optional<int64_t> Shape::elems() const {
  if (!fully_known()) return std::nullopt;
  int64_t n = 1;
  for (const Dim& d : dims) n = CheckedMul(n, d.value, "tensor element count");
  return n;
}

std::optional<int64_t> Shape::elems_if_representable() const {
  if (!fully_known()) return std::nullopt;
  int64_t n = 1;
  for (const Dim& d : dims) {
    if (__builtin_mul_overflow(n, d.value, &n)) return std::nullopt;
  }
  return n;
}

std::string Shape::ToString() const {
  if (!rank_known) return "unknown";
  if (dims.empty()) return "scalar";
  std::string out;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i) out += 'x';
    out += dims[i].ToString();
  }
  return out;
}

const Attribute* Node::attr(std::string_view attr_name) const {
  for (const Attribute& a : attributes) {
    if (a.name == attr_name) return &a;
  }
  return nullptr;
}

int64_t Node::attr_int(std::string_view attr_name, int64_t fallback) const {
  const Attribute* a = attr(attr_name);
  return a ? a->i : fallback;
}

DType Node::attr_dtype(std::string_view attr_name, DType fallback) const {
  const Attribute* a = attr(attr_name);
  if (!a || a->i < 0 || a->i > static_cast<int64_t>(DType::kString)) return fallback;
  return static_cast<DType>(a->i);
}

double Node::attr_float(std::string_view attr_name, double fallback) const {
  const Attribute* a = attr(attr_name);
  return a ? a->f : fallback;
}

std::string Node::attr_string(std::string_view attr_name, std::string fallback) const {
  const Attribute* a = attr(attr_name);
  return a ? a->s : fallback;
}

std::optional<std::vector<int64_t>> Node::attr_ints(std::string_view attr_name) const {
  const Attribute* a = attr(attr_name);
  if (!a) return std::nullopt;
  return a->ints;
}

std::string Node::Label() const {
  std::string op = domain.empty() ? op_type : domain + "::" + op_type;
  if (!name.empty()) return "'" + name + "' (" + op + ")";
  if (!outputs.empty() && !outputs[0].empty())
    return "node producing '" + outputs[0] + "' (" + op + ")";
  return "unnamed " + op + " node";
}

int64_t Model::opset(std::string_view d) const {
  for (const OpsetImport& o : opsets) {
    if (o.domain == d || (d.empty() && o.domain == "ai.onnx")) return o.version;
  }
  return 0;
}

}  // namespace tops
