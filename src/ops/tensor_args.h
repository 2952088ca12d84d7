// Arguments of tensor ops that arrive as attributes in early opsets and as inputs later (Slice,
// Split, Pad, Range), read once for both the shape function and the value evaluator so the two
// can never disagree on what the op does.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "ops/registry.h"

namespace tops {

// Slice-1 attributes or Slice-10+ inputs; axes and steps filled with their defaults (axes not
// normalised). nullopt when a bound is computed at run time or starts and ends differ in length.
struct SliceArgs {
  std::vector<int64_t> starts, ends, axes, steps;
};
std::optional<SliceArgs> ReadSliceArgs(const OpContext& ctx);

// Elements taken along one axis of size `dim` (ONNX Slice-13: negative indices count from the
// end; starts clamp to [0, dim] stepping forward and [0, dim-1] backward, ends to [0, dim] and
// [-1, dim-1]). step must not be 0.
struct SliceSpan {
  int64_t first = 0;
  int64_t step = 1;
  int64_t len = 0;
};
SliceSpan SpanOf(int64_t start, int64_t end, int64_t step, int64_t dim);

// Sizes of Split's outputs along an axis of size `dim` (unknown when dim is): the `split` input
// (opset 13+) or attribute, else equal parts, the last one smaller when they do not divide
// (num_outputs, opset 18). nullopt when the split input is computed at run time.
std::optional<std::vector<Dim>> SplitSizes(const OpContext& ctx, const Dim& dim);

// Pad's amounts per axis of a rank-`rank` input, (before, after) for every axis (0 where not
// padded): the pads attribute (before opset 11) or input, restricted to the axes input (opset
// 18). nullopt when they are computed at run time or malformed.
std::optional<std::vector<std::pair<int64_t, int64_t>>> PadAmounts(const OpContext& ctx,
                                                                   size_t rank);

// Length of Range's output, max(ceil((limit - start) / delta), 0), computed in the inputs'
// type as the ONNX reference does. nullopt when an input is not a known scalar or delta is 0.
std::optional<int64_t> RangeLength(const OpContext& ctx);

}  // namespace tops
