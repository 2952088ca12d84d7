// Partial evaluation: tensors whose every element is known at load time, and the arithmetic the
// evaluators share. A Value is what an op's evaluator (OpEntry::eval) reads and writes when all
// its inputs are known and small (kMaxEvalElems): shape arithmetic such as pads computed with Mod
// and reversed with Slice, or a resize target computed with Div and Floor, then yields exact
// shapes. Integer elements are SymInts, so a symbolic dim keeps flowing through data movement
// (Gather, Concat, Slice, ...) and through arithmetic identities (x + 0, x * 1). Floating-point
// elements are doubles rounded to their dtype after every op (float32, float16, bfloat16), so
// Cast and Floor see the numbers the runtime sees.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tops/graph.h"

namespace tops {

// An integer that may be a known value, a named symbol or unknown: the element type of integer
// values (Shape -> Gather -> Concat -> Reshape chains carry symbolic dims through it).
struct SymInt {
  bool known = false;
  int64_t v = 0;
  std::string sym;

  static SymInt Of(int64_t value) { return SymInt{true, value, {}}; }
  static SymInt FromDim(const Dim& d) {
    return d.known() ? Of(d.value) : SymInt{false, 0, d.symbol};
  }
  Dim ToDim() const {
    if (known && v >= 0) return Dim::Known(v);
    if (!known && !sym.empty()) return Dim::Symbol(sym);
    return Dim::Unknown();
  }
  bool operator==(const SymInt& o) const {
    return known == o.known && (known ? v == o.v : (!sym.empty() && sym == o.sym));
  }
};

// Largest tensor (in elements) partial evaluation computes or keeps: the same cap as the values
// a reader keeps of stored tensors.
inline constexpr int64_t kMaxEvalElems = kMaxKeptValues;

struct Value {
  DType dtype = DType::kUndefined;
  std::vector<int64_t> dims;
  std::vector<SymInt> ints;    // integer and bool types
  std::vector<double> floats;  // floating-point types

  bool is_float() const { return IsFloatDType(dtype); }
  int64_t size() const { return static_cast<int64_t>(is_float() ? floats.size() : ints.size()); }
  // Every integer element known (floats always are).
  bool all_known() const;
  // Element i as a double / an integer; nullopt for an unknown integer element.
  std::optional<double> AsDouble(size_t i) const;
  std::optional<int64_t> AsInt(size_t i) const;
  // The integers of an all-known integer value (axes, pads, indices).
  std::optional<std::vector<int64_t>> Ints() const;
};

// Element types partial evaluation computes on: bool, 8- to 64-bit integers, float16, bfloat16,
// float and double (not 4-bit, float8, complex or string).
bool Evaluable(DType t);

// Product of dims; nullopt on int64 overflow or a negative dim.
std::optional<int64_t> ElemCount(const std::vector<int64_t>& dims);

// Rounds v to the precision of a floating-point dtype (round to nearest even).
double RoundToDType(DType t, double v);
// Wraps an integer to an integer dtype's width (two's complement; bool is v != 0).
int64_t WrapToDType(DType t, int64_t v);
// ONNX Cast of one known element to dtype `to`: float -> integer truncates toward zero and
// wraps; -> bool is != 0; -> float rounds. nullopt when the result is not representable
// (NaN or infinity to an integer type).
std::optional<double> CastToFloat(DType to, double v);
std::optional<int64_t> CastToInt(DType to, double v);

// Row-major strides of dims.
std::vector<int64_t> Strides(const std::vector<int64_t>& dims);

// Multidirectional (numpy) broadcast of known dims; nullopt when incompatible.
std::optional<std::vector<int64_t>> BroadcastDims(const std::vector<int64_t>& a,
                                                  const std::vector<int64_t>& b);
// For every element of `out` (row-major), the flat index of the element of `in` it reads when
// `in` is broadcast to `out`.
std::vector<int64_t> BroadcastIndex(const std::vector<int64_t>& in,
                                    const std::vector<int64_t>& out);

// Calls f(coord) for every coordinate of dims in row-major order.
template <typename F>
void ForEachCoord(const std::vector<int64_t>& dims, F&& f) {
  auto n = ElemCount(dims);
  if (!n || *n == 0) return;
  std::vector<int64_t> coord(dims.size(), 0);
  for (int64_t k = 0; k < *n; ++k) {
    f(static_cast<const std::vector<int64_t>&>(coord));
    for (size_t d = dims.size(); d-- > 0;) {
      if (++coord[d] < dims[d]) break;
      coord[d] = 0;
    }
  }
}
// Row-major flat index of a coordinate.
int64_t FlatIndex(const std::vector<int64_t>& coord, const std::vector<int64_t>& strides);

// A value with dims `dims` whose element k is element idx[k] of `src` (any element type).
Value Pick(const Value& src, std::vector<int64_t> dims, const std::vector<int64_t>& idx);
// The elements of `src` under new dims (same count).
Value Redim(const Value& src, std::vector<int64_t> dims);

}  // namespace tops
