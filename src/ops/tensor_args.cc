#include "ops/tensor_args.h"

#include <algorithm>
#include <cmath>

#include "core/checked.h"

namespace tops {

std::optional<SliceArgs> ReadSliceArgs(const OpContext& ctx) {
  SliceArgs a;
  std::optional<std::vector<int64_t>> starts, ends, axes, steps;
  if (ctx.opset() < 10) {
    starts = ctx.node().attr_ints("starts");
    ends = ctx.node().attr_ints("ends");
    axes = ctx.node().attr_ints("axes");
  } else {
    starts = ctx.input_ints(1);
    ends = ctx.input_ints(2);
    if (ctx.input(3)) {
      axes = ctx.input_ints(3);
      if (!axes) return std::nullopt;
    }
    if (ctx.input(4)) {
      steps = ctx.input_ints(4);
      if (!steps) return std::nullopt;
    }
  }
  if (!starts || !ends || starts->size() != ends->size()) return std::nullopt;
  a.starts = std::move(*starts);
  a.ends = std::move(*ends);
  if (axes && !axes->empty()) {
    a.axes = std::move(*axes);
  } else {
    for (size_t i = 0; i < a.starts.size(); ++i) a.axes.push_back(static_cast<int64_t>(i));
  }
  a.steps = steps && !steps->empty() ? std::move(*steps) : std::vector<int64_t>(a.starts.size(), 1);
  return a;
}

SliceSpan SpanOf(int64_t start, int64_t end, int64_t step, int64_t dim) {
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  SliceSpan s;
  s.step = step;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
  } else {
    start = std::clamp<int64_t>(start, 0, std::max<int64_t>(dim - 1, 0));
    end = std::clamp<int64_t>(end, -1, dim - 1);
  }
  s.first = start;
  if (dim == 0) return s;
  // Checked: steps and dims near the int64 limits come from the file.
  const int64_t span = CheckedAdd(step > 0 ? end : start, step > 0 ? -start : -end, "Slice span");
  const int64_t mag = step > 0 ? step : CheckedMul(step, -1, "Slice step");
  s.len = span <= 0 ? 0 : 1 + (span - 1) / mag;
  return s;
}

std::optional<std::vector<Dim>> SplitSizes(const OpContext& ctx, const Dim& dim) {
  const size_t outs = ctx.num_outputs();
  std::optional<std::vector<int64_t>> split;
  if (ctx.opset() >= 13) {
    if (ctx.num_inputs() > 1 && !ctx.node().inputs[1].empty()) {
      split = ctx.input_ints(1);
      if (!split) return std::nullopt;
    }
  } else {
    split = ctx.node().attr_ints("split");
  }
  std::vector<Dim> sizes;
  if (split && !split->empty()) {
    for (int64_t s : *split) sizes.push_back(s >= 0 ? Dim::Known(s) : Dim::Unknown());
  } else if (dim.known() && outs > 0) {
    const int64_t n = static_cast<int64_t>(outs);
    const int64_t chunk = dim.value / n + (dim.value % n != 0);  // ceil without overflow
    int64_t left = dim.value;
    for (size_t i = 0; i < outs; ++i) {
      const int64_t s = std::min(chunk, left);
      sizes.push_back(Dim::Known(s));
      left -= s;
    }
  } else {
    sizes.assign(outs, Dim::Unknown());
  }
  return sizes;
}

std::optional<std::vector<std::pair<int64_t, int64_t>>> PadAmounts(const OpContext& ctx,
                                                                   size_t rank) {
  std::optional<std::vector<int64_t>> pads;
  if (ctx.opset() < 11) {
    pads = ctx.node().attr_ints(ctx.opset() < 2 ? "paddings" : "pads");
  } else {
    pads = ctx.input_ints(1);
  }
  std::vector<int64_t> axes;
  if (ctx.opset() >= 18 && ctx.input(3)) {
    auto a = ctx.input_ints(3);
    if (!a) return std::nullopt;
    axes = *a;
  } else {
    for (size_t i = 0; i < rank; ++i) axes.push_back(static_cast<int64_t>(i));
  }
  if (!pads || pads->size() != 2 * axes.size()) return std::nullopt;
  std::vector<std::pair<int64_t, int64_t>> out(rank, {0, 0});
  for (size_t i = 0; i < axes.size(); ++i) {
    auto a = NormalizeAxis(axes[i], static_cast<int64_t>(rank));
    if (!a) return std::nullopt;
    out[static_cast<size_t>(*a)] = {(*pads)[i], (*pads)[i + axes.size()]};
  }
  return out;
}

std::optional<int64_t> RangeLength(const OpContext& ctx) {
  const DType dt = ctx.input_dtype(0);
  if (!IsFloatDType(dt)) {
    auto s = ctx.input_ints(0), l = ctx.input_ints(1), d = ctx.input_ints(2);
    if (!s || !l || !d || s->size() != 1 || l->size() != 1 || d->size() != 1 || (*d)[0] == 0) {
      return std::nullopt;
    }
    const __int128 diff = static_cast<__int128>((*l)[0]) - (*s)[0];
    const __int128 delta = (*d)[0];
    __int128 q = diff / delta;
    if (diff % delta != 0 && ((diff > 0) == (delta > 0))) ++q;
    if (q <= 0) return 0;
    if (q > INT64_MAX) {
      ctx.Diag("Range length is not a 64-bit size");
      return std::nullopt;
    }
    return static_cast<int64_t>(q);
  }
  auto s = ctx.input_floats(0), l = ctx.input_floats(1), d = ctx.input_floats(2);
  if (!s || !l || !d || s->size() != 1 || l->size() != 1 || d->size() != 1 || (*d)[0] == 0) {
    return std::nullopt;
  }
  const double n = std::ceil(RoundToDType(dt, RoundToDType(dt, (*l)[0] - (*s)[0]) / (*d)[0]));
  // NaN, infinity or a length past int64 would make the conversion below undefined.
  if (!(n < 0x1p63)) {
    ctx.Diag("Range length is not a 64-bit size");
    return std::nullopt;
  }
  return n > 0 ? static_cast<int64_t>(n) : 0;
}

}  // namespace tops
