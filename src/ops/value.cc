#include "ops/value.h"

#include <cmath>
#include <limits>

namespace tops {

bool Value::all_known() const {
  for (const SymInt& s : ints) {
    if (!s.known) return false;
  }
  return true;
}

std::optional<double> Value::AsDouble(size_t i) const {
  if (is_float()) return floats[i];
  if (!ints[i].known) return std::nullopt;
  return static_cast<double>(ints[i].v);
}

std::optional<int64_t> Value::AsInt(size_t i) const {
  if (is_float()) {
    const double d = floats[i];
    if (!std::isfinite(d) || std::fabs(d) >= 0x1p63) return std::nullopt;
    return static_cast<int64_t>(d);
  }
  if (!ints[i].known) return std::nullopt;
  return ints[i].v;
}

std::optional<std::vector<int64_t>> Value::Ints() const {
  if (is_float()) return std::nullopt;
  std::vector<int64_t> out;
  out.reserve(ints.size());
  for (const SymInt& s : ints) {
    if (!s.known) return std::nullopt;
    out.push_back(s.v);
  }
  return out;
}

bool Evaluable(DType t) {
  switch (t) {
    case DType::kBool:
    case DType::kInt8:
    case DType::kUint8:
    case DType::kInt16:
    case DType::kUint16:
    case DType::kInt32:
    case DType::kUint32:
    case DType::kInt64:
    case DType::kUint64:
    case DType::kFloat16:
    case DType::kBFloat16:
    case DType::kFloat:
    case DType::kDouble:
      return true;
    default:
      return false;
  }
}

std::optional<int64_t> ElemCount(const std::vector<int64_t>& dims) {
  int64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0 || __builtin_mul_overflow(n, d, &n)) return std::nullopt;
  }
  return n;
}

namespace {

// Round to nearest even in a binary format with `fraction` stored mantissa bits and normal
// exponents emin..emax (IEEE 754 layout; subnormals below emin, infinity past the largest).
double RoundToFormat(double v, int fraction, int emin, int emax) {
  if (!std::isfinite(v) || v == 0) return v;
  int e;
  std::frexp(v, &e);  // |v| = m * 2^e with m in [0.5, 1): the leading bit is 2^(e-1)
  const int quantum = std::max(e - 1, emin) - fraction;
  const double r = std::ldexp(std::nearbyint(std::ldexp(v, -quantum)), quantum);
  const double largest = std::ldexp(2.0 - std::ldexp(1.0, -fraction), emax);
  if (std::fabs(r) > largest) return std::copysign(std::numeric_limits<double>::infinity(), v);
  return r;
}

}  // namespace

double RoundToDType(DType t, double v) {
  switch (t) {
    case DType::kFloat:
      return static_cast<double>(static_cast<float>(v));
    case DType::kFloat16:
      return RoundToFormat(v, 10, -14, 15);
    case DType::kBFloat16:
      return RoundToFormat(v, 7, -126, 127);
    default:
      return v;
  }
}

int64_t WrapToDType(DType t, int64_t v) {
  switch (t) {
    case DType::kBool:
      return v != 0;
    case DType::kInt8:
      return static_cast<int8_t>(static_cast<uint64_t>(v));
    case DType::kUint8:
      return static_cast<uint8_t>(static_cast<uint64_t>(v));
    case DType::kInt16:
      return static_cast<int16_t>(static_cast<uint64_t>(v));
    case DType::kUint16:
      return static_cast<uint16_t>(static_cast<uint64_t>(v));
    case DType::kInt32:
      return static_cast<int32_t>(static_cast<uint64_t>(v));
    case DType::kUint32:
      return static_cast<uint32_t>(static_cast<uint64_t>(v));
    default:
      return v;  // int64 and uint64 keep their 64 bits (uint64 is carried as its bit pattern)
  }
}

std::optional<double> CastToFloat(DType to, double v) { return RoundToDType(to, v); }

std::optional<int64_t> CastToInt(DType to, double v) {
  if (to == DType::kBool) return v != 0;
  if (!std::isfinite(v)) return std::nullopt;
  const double t = std::trunc(v);
  if (t >= 0x1p63 || t < -0x1p63) {
    if (to != DType::kUint64 || t < 0 || t >= 0x1p64) return std::nullopt;
    return static_cast<int64_t>(static_cast<uint64_t>(t));
  }
  return WrapToDType(to, static_cast<int64_t>(t));
}

std::vector<int64_t> Strides(const std::vector<int64_t>& dims) {
  std::vector<int64_t> s(dims.size(), 1);
  for (size_t i = dims.size(); i-- > 1;) s[i - 1] = s[i] * dims[i];
  return s;
}

std::optional<std::vector<int64_t>> BroadcastDims(const std::vector<int64_t>& a,
                                                  const std::vector<int64_t>& b) {
  const size_t rank = std::max(a.size(), b.size());
  std::vector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == db || db == 1) {
      out[i] = da;
    } else if (da == 1) {
      out[i] = db;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::vector<int64_t> BroadcastIndex(const std::vector<int64_t>& in,
                                    const std::vector<int64_t>& out) {
  const int64_t n = ElemCount(out).value_or(0);
  std::vector<int64_t> idx(static_cast<size_t>(n), 0);
  const size_t lead = out.size() - in.size();
  const std::vector<int64_t> in_strides = Strides(in);
  std::vector<int64_t> coord(out.size(), 0);
  for (int64_t k = 0; k < n; ++k) {
    int64_t src = 0;
    for (size_t d = 0; d < in.size(); ++d) {
      if (in[d] != 1) src += coord[lead + d] * in_strides[d];
    }
    idx[static_cast<size_t>(k)] = src;
    for (size_t d = out.size(); d-- > 0;) {
      if (++coord[d] < out[d]) break;
      coord[d] = 0;
    }
  }
  return idx;
}

int64_t FlatIndex(const std::vector<int64_t>& coord, const std::vector<int64_t>& strides) {
  int64_t k = 0;
  for (size_t d = 0; d < coord.size(); ++d) k += coord[d] * strides[d];
  return k;
}

Value Pick(const Value& src, std::vector<int64_t> dims, const std::vector<int64_t>& idx) {
  Value out;
  out.dtype = src.dtype;
  out.dims = std::move(dims);
  if (src.is_float()) {
    out.floats.reserve(idx.size());
    for (int64_t i : idx) out.floats.push_back(src.floats[static_cast<size_t>(i)]);
  } else {
    out.ints.reserve(idx.size());
    for (int64_t i : idx) out.ints.push_back(src.ints[static_cast<size_t>(i)]);
  }
  return out;
}

Value Redim(const Value& src, std::vector<int64_t> dims) {
  Value out = src;
  out.dims = std::move(dims);
  return out;
}

}  // namespace tops
