// Value evaluators of the tensor family (ONNX operator spec semantics): ops that move elements
// without arithmetic (reshapes, Transpose, Concat, Split, Slice with negative steps and axes,
// Gather, Expand, Tile, Pad in every mode) and the ops that build tensors (Range,
// ConstantOfShape, Shape with start / end, Size). Symbolic integer elements move like any other.
#include <algorithm>

#include "ops/registry.h"
#include "ops/tensor_args.h"

namespace tops {
namespace {

bool TooLarge(const std::vector<int64_t>& dims) {
  auto n = ElemCount(dims);
  return !n || *n > kMaxEvalElems;
}

// Ops whose output holds the input's elements in the same order under dims the shape function
// gives (Reshape, Flatten, Squeeze, Unsqueeze).
EvalFn SameElements(ShapeFn shape) {
  return [shape](OpContext& ctx) {
    const Value* x = ctx.input_value(0);
    if (!x) return ctx.Refuse("no input");
    shape(ctx);
    const ValueState& o = ctx.output(0);
    if (!o.present || !o.shape.fully_known()) return ctx.Refuse("output shape not determined");
    std::vector<int64_t> dims;
    for (const Dim& d : o.shape.dims) dims.push_back(d.value);
    if (ElemCount(dims) != x->size()) return ctx.Refuse("element count does not match");
    ctx.SetOutputValue(0, Redim(*x, std::move(dims)));
    return true;
  };
}

bool TransposeEval(OpContext& ctx) {
  const Value* x = ctx.input_value(0);
  if (!x) return ctx.Refuse("no input");
  const size_t rank = x->dims.size();
  std::vector<int64_t> perm = ctx.node().attr_ints("perm").value_or(std::vector<int64_t>{});
  if (perm.empty()) {
    for (size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(rank - 1 - i));
  }
  if (perm.size() != rank) return ctx.Refuse("perm does not match the rank");
  std::vector<int64_t> dims;
  for (int64_t& p : perm) {
    auto a = NormalizeAxis(p, static_cast<int64_t>(rank));
    if (!a) return ctx.Refuse("perm entry out of range");
    p = *a;
    dims.push_back(x->dims[static_cast<size_t>(p)]);
  }
  const std::vector<int64_t> strides = Strides(x->dims);
  std::vector<int64_t> idx;
  ForEachCoord(dims, [&](const std::vector<int64_t>& c) {
    int64_t k = 0;
    for (size_t d = 0; d < rank; ++d) k += c[d] * strides[static_cast<size_t>(perm[d])];
    idx.push_back(k);
  });
  ctx.SetOutputValue(0, Pick(*x, std::move(dims), idx));
  return true;
}

bool ConcatEval(OpContext& ctx) {
  const Value* first = ctx.input_value(0);
  if (!first) return ctx.Refuse("no input");
  const int64_t rank = static_cast<int64_t>(first->dims.size());
  auto axis = NormalizeAxis(ctx.node().attr_int("axis", 0), rank);
  if (!axis) return ctx.Refuse("axis out of range");
  const size_t ax = static_cast<size_t>(*axis);
  std::vector<int64_t> dims = first->dims;
  dims[ax] = 0;
  std::vector<const Value*> parts;
  for (size_t i = 0; i < ctx.num_inputs(); ++i) {
    const Value* v = ctx.input_value(i);
    if (!v) continue;
    if (v->dims.size() != first->dims.size()) return ctx.Refuse("inputs differ in rank");
    for (size_t d = 0; d < dims.size(); ++d) {
      if (d != ax && v->dims[d] != first->dims[d]) return ctx.Refuse("inputs differ in shape");
    }
    dims[ax] += v->dims[ax];
    parts.push_back(v);
  }
  if (TooLarge(dims)) return ctx.Refuse("result larger than the evaluation cap");
  // Row-major: for each index of the axes before `axis`, each part contributes a contiguous
  // block of dims[axis] * inner elements.
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < ax; ++d) outer *= dims[d];
  for (size_t d = ax + 1; d < dims.size(); ++d) inner *= dims[d];
  Value r;
  r.dtype = first->dtype;
  r.dims = dims;
  for (int64_t o = 0; o < outer; ++o) {
    for (const Value* v : parts) {
      const int64_t block = v->dims[ax] * inner;
      for (int64_t k = 0; k < block; ++k) {
        const size_t src = static_cast<size_t>(o * block + k);
        if (v->is_float() != r.is_float()) return ctx.Refuse("inputs differ in type");
        if (r.is_float())
          r.floats.push_back(v->floats[src]);
        else
          r.ints.push_back(v->ints[src]);
      }
    }
  }
  ctx.SetOutputValue(0, std::move(r));
  return true;
}

// Elements of x along `axis` from first, step by step, len of them (Slice and Split).
Value TakeAlong(const Value& x, size_t axis, int64_t first, int64_t step, int64_t len) {
  std::vector<int64_t> dims = x.dims;
  dims[axis] = len;
  const std::vector<int64_t> strides = Strides(x.dims);
  std::vector<int64_t> idx;
  ForEachCoord(dims, [&](const std::vector<int64_t>& c) {
    int64_t k = 0;
    for (size_t d = 0; d < c.size(); ++d) {
      k += (d == axis ? first + c[d] * step : c[d]) * strides[d];
    }
    idx.push_back(k);
  });
  return Pick(x, std::move(dims), idx);
}

bool SplitEval(OpContext& ctx) {
  const Value* x = ctx.input_value(0);
  if (!x) return ctx.Refuse("no input");
  auto axis = NormalizeAxis(ctx.node().attr_int("axis", 0), static_cast<int64_t>(x->dims.size()));
  if (!axis) return ctx.Refuse("axis out of range");
  const size_t ax = static_cast<size_t>(*axis);
  auto sizes = SplitSizes(ctx, Dim::Known(x->dims[ax]));
  if (!sizes || sizes->size() != ctx.num_outputs()) return ctx.Refuse("split sizes not known");
  int64_t at = 0;
  for (const Dim& d : *sizes) {
    if (!d.known()) return ctx.Refuse("split sizes not known");
    at += d.value;
  }
  if (at != x->dims[ax]) return ctx.Refuse("split sizes do not add up to the axis");
  at = 0;
  for (size_t i = 0; i < sizes->size(); ++i) {
    ctx.SetOutputValue(i, TakeAlong(*x, ax, at, 1, (*sizes)[i].value));
    at += (*sizes)[i].value;
  }
  return true;
}

bool SliceEval(OpContext& ctx) {
  const Value* x = ctx.input_value(0);
  if (!x) return ctx.Refuse("no input");
  auto args = ReadSliceArgs(ctx);
  if (!args) return ctx.Refuse("bounds not known");
  const int64_t rank = static_cast<int64_t>(x->dims.size());
  Value r = *x;
  for (size_t i = 0; i < args->starts.size() && i < args->axes.size() && i < args->steps.size();
       ++i) {
    auto a = NormalizeAxis(args->axes[i], rank);
    if (!a || args->steps[i] == 0) return ctx.Refuse("invalid axis or step");
    const size_t ax = static_cast<size_t>(*a);
    const SliceSpan s = SpanOf(args->starts[i], args->ends[i], args->steps[i], r.dims[ax]);
    r = TakeAlong(r, ax, s.first, s.step, s.len);
  }
  ctx.SetOutputValue(0, std::move(r));
  return true;
}

bool GatherEval(OpContext& ctx) {
  const Value* data = ctx.input_value(0);
  const Value* indices = ctx.input_value(1);
  if (!data || !indices) return ctx.Refuse("an input is missing");
  const int64_t rank = static_cast<int64_t>(data->dims.size());
  auto axis = NormalizeAxis(ctx.node().attr_int("axis", 0), rank);
  if (!axis) return ctx.Refuse("axis out of range");
  auto ind = indices->Ints();
  if (!ind) return ctx.Refuse("indices not known");
  const size_t ax = static_cast<size_t>(*axis);
  std::vector<int64_t> dims(data->dims.begin(), data->dims.begin() + *axis);
  dims.insert(dims.end(), indices->dims.begin(), indices->dims.end());
  dims.insert(dims.end(), data->dims.begin() + *axis + 1, data->dims.end());
  if (TooLarge(dims)) return ctx.Refuse("result larger than the evaluation cap");
  const int64_t n = data->dims[ax];
  for (int64_t& i : *ind) {
    if (i < 0) i += n;
    if (i < 0 || i >= n) return ctx.Refuse("index out of range");
  }
  const std::vector<int64_t> strides = Strides(data->dims);
  const size_t q = indices->dims.size();
  const std::vector<int64_t> istrides = Strides(indices->dims);
  std::vector<int64_t> idx;
  ForEachCoord(dims, [&](const std::vector<int64_t>& c) {
    int64_t k = 0;
    for (size_t d = 0; d < ax; ++d) k += c[d] * strides[d];
    int64_t flat = 0;
    for (size_t d = 0; d < q; ++d) flat += c[ax + d] * istrides[d];
    k += (*ind)[static_cast<size_t>(flat)] * strides[ax];
    for (size_t d = ax + 1; d < data->dims.size(); ++d) k += c[d + q - 1] * strides[d];
    idx.push_back(k);
  });
  ctx.SetOutputValue(0, Pick(*data, std::move(dims), idx));
  return true;
}

// Expand (bidirectional broadcast to the shape input) and Tile share one mapping: output
// coordinate -> input coordinate, per axis.
bool ExpandEval(OpContext& ctx) {
  const Value* x = ctx.input_value(0);
  const Value* shape = ctx.input_value(1);
  if (!x || !shape) return ctx.Refuse("an input is missing");
  auto target = shape->Ints();
  if (!target) return ctx.Refuse("target shape not known");
  auto dims = BroadcastDims(x->dims, *target);
  if (!dims) return ctx.Refuse("target shape does not broadcast with the input");
  if (TooLarge(*dims)) return ctx.Refuse("result larger than the evaluation cap");
  ctx.SetOutputValue(0, Pick(*x, *dims, BroadcastIndex(x->dims, *dims)));
  return true;
}

bool TileEval(OpContext& ctx) {
  const Value* x = ctx.input_value(0);
  const Value* rep = ctx.input_value(1);
  if (!x || !rep) return ctx.Refuse("an input is missing");
  auto repeats = rep->Ints();
  if (!repeats || repeats->size() != x->dims.size()) return ctx.Refuse("repeats not known");
  std::vector<int64_t> dims;
  for (size_t d = 0; d < x->dims.size(); ++d) {
    if ((*repeats)[d] < 0) return ctx.Refuse("negative repeat");
    int64_t v;
    if (__builtin_mul_overflow(x->dims[d], (*repeats)[d], &v)) return ctx.Refuse("too large");
    dims.push_back(v);
  }
  if (TooLarge(dims)) return ctx.Refuse("result larger than the evaluation cap");
  const std::vector<int64_t> strides = Strides(x->dims);
  std::vector<int64_t> idx;
  ForEachCoord(dims, [&](const std::vector<int64_t>& c) {
    int64_t k = 0;
    for (size_t d = 0; d < c.size(); ++d) k += (c[d] % x->dims[d]) * strides[d];
    idx.push_back(k);
  });
  ctx.SetOutputValue(0, Pick(*x, std::move(dims), idx));
  return true;
}

// Source index along an axis of size n for output position p of a Pad (-1: the constant).
int64_t PadSource(int64_t p, int64_t n, const std::string& mode) {
  if (p >= 0 && p < n) return p;
  if (mode == "constant" || n == 0) return -1;
  if (mode == "edge") return p < 0 ? 0 : n - 1;
  if (mode == "wrap") return ((p % n) + n) % n;
  // reflect: mirror without repeating the edge element
  if (n == 1) return 0;
  const int64_t period = 2 * (n - 1);
  int64_t m = ((p % period) + period) % period;
  return m < n ? m : period - m;
}

bool PadEval(OpContext& ctx) {
  const Value* x = ctx.input_value(0);
  if (!x) return ctx.Refuse("no input");
  const size_t rank = x->dims.size();
  auto pads = PadAmounts(ctx, rank);
  if (!pads) return ctx.Refuse("pads not known");
  const std::string mode = ctx.node().attr_string("mode", "constant");
  if (mode != "constant" && mode != "reflect" && mode != "edge" && mode != "wrap") {
    return ctx.Refuse("unknown mode " + mode);
  }
  std::vector<int64_t> dims;
  for (size_t d = 0; d < rank; ++d) {
    const int64_t n = x->dims[d] + (*pads)[d].first + (*pads)[d].second;
    if (n < 0) return ctx.Refuse("pads remove more than the axis holds");
    dims.push_back(n);
  }
  if (TooLarge(dims)) return ctx.Refuse("result larger than the evaluation cap");
  double fill = 0;
  if (ctx.opset() < 11) {
    fill = ctx.node().attr_float("value", 0);
  } else if (const Value* c = ctx.input_value(2)) {
    auto f = c->size() == 1 ? c->AsDouble(0) : std::nullopt;
    if (!f) return ctx.Refuse("constant value not known");
    fill = *f;
  }
  const std::vector<int64_t> strides = Strides(x->dims);
  Value r;
  r.dtype = x->dtype;
  r.dims = dims;
  bool ok = true;
  ForEachCoord(dims, [&](const std::vector<int64_t>& c) {
    int64_t k = 0;
    for (size_t d = 0; d < rank && k >= 0; ++d) {
      const int64_t s = PadSource(c[d] - (*pads)[d].first, x->dims[d], mode);
      k = s < 0 ? -1 : k + s * strides[d];
    }
    if (r.is_float()) {
      r.floats.push_back(k < 0 ? RoundToDType(r.dtype, fill) : x->floats[static_cast<size_t>(k)]);
    } else if (k >= 0) {
      r.ints.push_back(x->ints[static_cast<size_t>(k)]);
    } else {
      auto v = CastToInt(r.dtype, fill);
      if (!v) ok = false;
      r.ints.push_back(SymInt::Of(v.value_or(0)));
    }
  });
  if (!ok) return ctx.Refuse("constant value not representable");
  ctx.SetOutputValue(0, std::move(r));
  return true;
}

bool RangeEval(OpContext& ctx) {
  const Value* start = ctx.input_value(0);
  const Value* delta = ctx.input_value(2);
  if (!start || !delta || start->size() != 1 || delta->size() != 1) {
    return ctx.Refuse("start and delta must be scalars");
  }
  auto n = RangeLength(ctx);
  if (!n) return ctx.Refuse("length not known");
  if (*n > kMaxEvalElems) return ctx.Refuse("result larger than the evaluation cap");
  Value r;
  r.dtype = start->dtype;
  r.dims = {*n};
  for (int64_t i = 0; i < *n; ++i) {
    if (r.is_float()) {
      // ONNX reference: start + i * delta, each step in the input type.
      r.floats.push_back(RoundToDType(
          r.dtype,
          start->floats[0] + RoundToDType(r.dtype, static_cast<double>(i) * delta->floats[0])));
    } else {
      const uint64_t v = static_cast<uint64_t>(start->ints[0].v) +
                         static_cast<uint64_t>(i) * static_cast<uint64_t>(delta->ints[0].v);
      r.ints.push_back(SymInt::Of(WrapToDType(r.dtype, static_cast<int64_t>(v))));
    }
  }
  ctx.SetOutputValue(0, std::move(r));
  return true;
}

bool ConstantOfShapeEval(OpContext& ctx) {
  const Value* shape = ctx.input_value(0);
  if (!shape) return ctx.Refuse("no input");
  auto dims = shape->Ints();
  if (!dims) return ctx.Refuse("shape not known");
  if (TooLarge(*dims)) return ctx.Refuse("result larger than the evaluation cap");
  const int64_t n = *ElemCount(*dims);
  Value r;
  r.dtype = DType::kFloat;
  r.dims = *dims;
  double fill_f = 0;
  int64_t fill_i = 0;
  if (const Attribute* a = ctx.node().attr("value"); a && a->t) {
    r.dtype = a->t->dtype;
    if (!Evaluable(r.dtype)) return ctx.Refuse("value type not evaluated");
    if (!a->t->has_values || a->t->elems != 1) return ctx.Refuse("value not known");
    if (!a->t->ints.empty()) fill_i = a->t->ints[0];
    if (!a->t->floats.empty()) fill_f = a->t->floats[0];
  }
  if (r.is_float())
    r.floats.assign(static_cast<size_t>(n), RoundToDType(r.dtype, fill_f));
  else
    r.ints.assign(static_cast<size_t>(n), SymInt::Of(fill_i));
  ctx.SetOutputValue(0, std::move(r));
  return true;
}

bool ShapeEval(OpContext& ctx) {
  const Value* x = ctx.input_value(0);
  if (!x) return ctx.Refuse("no input");
  const int64_t rank = static_cast<int64_t>(x->dims.size());
  int64_t start = ctx.node().attr_int("start", 0);
  int64_t end = ctx.node().attr_int("end", rank);
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, start, rank);
  Value r;
  r.dtype = DType::kInt64;
  r.dims = {end - start};
  for (int64_t i = start; i < end; ++i) r.ints.push_back(SymInt::Of(x->dims[i]));
  ctx.SetOutputValue(0, std::move(r));
  return true;
}

bool SizeEval(OpContext& ctx) {
  const Value* x = ctx.input_value(0);
  if (!x) return ctx.Refuse("no input");
  Value r;
  r.dtype = DType::kInt64;
  r.ints.push_back(SymInt::Of(x->size()));
  ctx.SetOutputValue(0, std::move(r));
  return true;
}

// Dropout in inference mode, or in training mode with ratio 0: the identity, and a mask of all
// true. Training mode with another ratio draws a random mask: not a load-time value.
bool DropoutEval(OpContext& ctx) {
  const Value* x = ctx.input_value(0);
  if (!x) return ctx.Refuse("no input");
  if (const Value* t = ctx.input_value(2); t && (t->size() != 1 || !t->AsInt(0) || *t->AsInt(0))) {
    const Value* r = ctx.input_value(1);
    const double ratio = r && r->size() == 1 && r->AsDouble(0) ? *r->AsDouble(0) : 0.5;
    if (ratio != 0) return ctx.Refuse("training-mode Dropout draws a random mask");
  }
  ctx.SetOutputValue(0, *x);
  if (ctx.num_outputs() > 1) {
    Value mask;
    mask.dtype = DType::kBool;
    mask.dims = x->dims;
    mask.ints.assign(static_cast<size_t>(x->size()), SymInt::Of(1));
    ctx.SetOutputValue(1, std::move(mask));
  }
  return true;
}

}  // namespace

void RegisterTensorEvaluators(Registry& r) {
  for (const char* op : {"Reshape", "Flatten", "Squeeze", "Unsqueeze"}) {
    r.SetEvaluator("", op, SameElements(r.Find("", op)->shape));
  }
  r.SetEvaluator("", "Transpose", TransposeEval);
  r.SetEvaluator("", "Concat", ConcatEval);
  r.SetEvaluator("", "Split", SplitEval);
  r.SetEvaluator("", "Slice", SliceEval);
  r.SetEvaluator("", "Gather", GatherEval);
  r.SetEvaluator("", "Expand", ExpandEval);
  r.SetEvaluator("", "Tile", TileEval);
  r.SetEvaluator("", "Pad", PadEval);
  r.SetEvaluator("", "Range", RangeEval);
  r.SetEvaluator("", "ConstantOfShape", ConstantOfShapeEval);
  r.SetEvaluator("", "Shape", ShapeEval);
  r.SetEvaluator("", "Size", SizeEval);
  r.SetEvaluator("", "Dropout", DropoutEval);
}

}  // namespace tops
