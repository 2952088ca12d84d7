// Tensor manipulation: shape, layout and indexing ops. No arithmetic (cost zero; their bytes
// still count). Shape and Size turn shapes into values, symbolic dims included; the evaluators
// of eval_tensor.cc carry known values on, so the Shape -> Gather -> Unsqueeze -> Concat ->
// Reshape chains that PyTorch exports resolve without running the model.
#include <algorithm>
#include <cmath>
#include <map>

#include "core/checked.h"
#include "ops/registry.h"
#include "ops/tensor_args.h"

namespace tops {

std::optional<Shape> ResolveReshape(const Shape& in, const std::vector<SymInt>& target,
                                    bool allowzero) {
  std::vector<Dim> out;
  int infer_at = -1;
  for (size_t i = 0; i < target.size(); ++i) {
    const SymInt& t = target[i];
    if (t.known && t.v == 0 && !allowzero) {
      if (!in.rank_known || i >= in.rank()) return std::nullopt;
      out.push_back(in.dims[i]);
    } else if (t.known && t.v == -1) {
      if (infer_at >= 0) return std::nullopt;
      infer_at = static_cast<int>(i);
      out.push_back(Dim::Unknown());
    } else if (t.known && t.v < -1) {
      return std::nullopt;
    } else {
      out.push_back(t.ToDim());
    }
  }
  if (infer_at < 0) return Shape::Of(std::move(out));
  if (!in.rank_known) return Shape::Of(std::move(out));
  // Known product and symbol multiset of the input and of the other target dims.
  int64_t known_in = 1, known_out = 1;
  std::map<std::string, int> syms;
  bool unknown = false;
  for (const Dim& d : in.dims) {
    if (d.known())
      known_in = CheckedMul(known_in, d.value, "reshape size");
    else if (d.symbolic())
      ++syms[d.symbol];
    else
      unknown = true;
  }
  for (size_t i = 0; i < out.size(); ++i) {
    if (static_cast<int>(i) == infer_at) continue;
    const Dim& d = out[i];
    if (d.known())
      known_out = CheckedMul(known_out, d.value, "reshape size");
    else if (d.symbolic())
      --syms[d.symbol];
    else
      unknown = true;
  }
  if (unknown) return Shape::Of(std::move(out));
  std::string left_sym;
  int left = 0;
  for (const auto& [s, c] : syms) {
    if (c < 0) return Shape::Of(std::move(out));
    if (c > 0) {
      left += c;
      left_sym = s;
    }
  }
  if (left == 0 && known_out != 0 && known_in % known_out == 0) {
    out[static_cast<size_t>(infer_at)] = Dim::Known(known_in / known_out);
  } else if (left == 1 && known_in == known_out) {
    out[static_cast<size_t>(infer_at)] = Dim::Symbol(left_sym);
  }
  return Shape::Of(std::move(out));
}

namespace {

// Output 0 of known rank but unknown dims, when only the length of a shape tensor is known.
// A length beyond kMaxKeptValues is no real rank; allocating it would let a file make us
// reserve memory for 2^40 dims.
void SetRankOnly(OpContext& ctx, DType dtype, int64_t rank) {
  if (rank > kMaxKeptValues) {
    ctx.Diag("shape tensor has " + std::to_string(rank) + " entries, more than the " +
             std::to_string(kMaxKeptValues) + " tracked: output shape left unknown");
    return;
  }
  ctx.SetOutput(0, dtype, Shape::Of(std::vector<Dim>(static_cast<size_t>(rank))));
}

std::vector<SymInt> DimsAsValues(const std::vector<Dim>& dims) {
  std::vector<SymInt> v;
  v.reserve(dims.size());
  for (const Dim& d : dims) v.push_back(SymInt::FromDim(d));
  return v;
}

std::vector<Dim> ValuesAsDims(const std::vector<SymInt>& v) {
  std::vector<Dim> d;
  d.reserve(v.size());
  for (const SymInt& s : v) d.push_back(s.ToDim());
  return d;
}

// Axes of ops that took them as an attribute before `opset_switch` and as an input after.
std::optional<std::vector<int64_t>> AxesArg(const OpContext& ctx, int64_t opset_switch,
                                            size_t input_index, bool* given) {
  *given = false;
  if (ctx.opset() >= opset_switch) {
    if (ctx.num_inputs() > input_index && !ctx.node().inputs[input_index].empty()) {
      *given = true;
      return ctx.input_ints(input_index);
    }
    return std::vector<int64_t>{};
  }
  if (auto a = ctx.node().attr_ints("axes")) {
    *given = true;
    return a;
  }
  return std::vector<int64_t>{};
}

void ConstantShape(OpContext& ctx) {
  const Node& n = ctx.node();
  for (const Attribute& a : n.attributes) {
    if (a.name == "value" && a.t) {
      const TensorData& t = *a.t;
      ValueState& o = ctx.output(0);
      o.present = true;
      o.dtype = t.dtype;
      o.shape = Shape::Known(t.dims);
      if (t.has_values && IsFloatDType(t.dtype)) {
        o.has_floats = true;
        o.floats = t.floats;
      } else if (t.has_values) {
        o.has_ints = true;
        for (int64_t v : t.ints) o.ints.push_back(SymInt::Of(v));
      }
      return;
    }
    if (a.name == "value_int") return ctx.SetOutputInts(0, DType::kInt64, {SymInt::Of(a.i)}, true);
    if (a.name == "value_ints") {
      std::vector<SymInt> v;
      for (int64_t x : a.ints) v.push_back(SymInt::Of(x));
      return ctx.SetOutputInts(0, DType::kInt64, std::move(v));
    }
    if (a.name == "value_float" || a.name == "value_floats") {
      ValueState& o = ctx.output(0);
      o.present = true;
      o.dtype = DType::kFloat;
      o.has_floats = true;
      o.floats = a.name == "value_float" ? std::vector<double>{a.f} : a.floats;
      o.shape = a.name == "value_float" ? Shape::Of({})
                                        : Shape::Known({static_cast<int64_t>(a.floats.size())});
      return;
    }
    if (a.name == "sparse_value" || a.name == "value_string" || a.name == "value_strings") {
      ctx.Diag("Constant with " + a.name + " has no known shape");
      return;
    }
  }
  ctx.Diag("Constant node has no value attribute");
}

void ShapeShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  const int64_t rank = static_cast<int64_t>(x->rank());
  int64_t start = ctx.node().attr_int("start", 0);
  int64_t end = ctx.node().attr_int("end", rank);
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, start, rank);
  std::vector<Dim> dims(x->dims.begin() + start, x->dims.begin() + end);
  ctx.SetOutputInts(0, DType::kInt64, DimsAsValues(dims));
}

void SizeShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  auto n = x->elems();
  ctx.SetOutputInts(0, DType::kInt64, {n ? SymInt::Of(*n) : SymInt{}}, true);
}

void ReshapeShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x) return;
  std::vector<SymInt> target;
  if (ctx.opset() < 5) {
    for (int64_t v : ctx.node().attr_ints("shape").value_or(std::vector<int64_t>{})) {
      target.push_back(SymInt::Of(v));
    }
  } else {
    const auto* t = ctx.input_symints(1);
    if (!t) {
      const Shape* ts = ctx.input_shape(1);
      if (ts && ts->rank() == 1 && ts->dims[0].known()) {
        SetRankOnly(ctx, x->dtype, ts->dims[0].value);
      }
      ctx.Diag("Reshape target is computed at run time and could not be folded");
      return;
    }
    target = *t;
  }
  auto out = ResolveReshape(x->shape, target, ctx.node().attr_int("allowzero", 0) != 0);
  if (!out) {
    ctx.Diag("invalid Reshape target");
    return;
  }
  ctx.SetOutput(0, x->dtype, *out);
}

void FlattenShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x || !x->shape.rank_known) return;
  const int64_t rank = static_cast<int64_t>(x->shape.rank());
  int64_t axis = ctx.node().attr_int("axis", 1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis > rank) {
    ctx.Diag("Flatten axis out of range");
    return;
  }
  auto prod = [&](int64_t b, int64_t e) -> Dim {
    int64_t p = 1;
    std::string sym;
    int syms = 0;
    for (int64_t i = b; i < e; ++i) {
      const Dim& d = x->shape.dims[static_cast<size_t>(i)];
      if (d.known())
        p = CheckedMul(p, d.value, "Flatten size");
      else if (d.symbolic()) {
        sym = d.symbol;
        ++syms;
      } else {
        return Dim::Unknown();
      }
    }
    if (syms == 0) return Dim::Known(p);
    if (syms == 1 && p == 1) return Dim::Symbol(sym);
    return Dim::Unknown();
  };
  ctx.SetOutput(0, x->dtype, Shape::Of({prod(0, axis), prod(axis, rank)}));
}

void TransposeShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  const size_t rank = x->rank();
  std::vector<int64_t> perm = ctx.node().attr_ints("perm").value_or(std::vector<int64_t>{});
  if (perm.empty()) {
    for (size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(rank - 1 - i));
  }
  if (perm.size() != rank) {
    ctx.Diag("perm has " + std::to_string(perm.size()) + " entries for rank " +
             std::to_string(rank));
    return;
  }
  std::vector<Dim> out;
  for (int64_t p : perm) {
    auto a = NormalizeAxis(p, static_cast<int64_t>(rank));
    if (!a) {
      ctx.Diag("perm entry out of range");
      return;
    }
    out.push_back(x->dims[static_cast<size_t>(*a)]);
  }
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

// Sum of two dims for concatenation along an axis.
Dim AddDims(const Dim& a, const Dim& b) {
  if (a.known() && b.known()) return Dim::Known(CheckedAdd(a.value, b.value, "Concat size"));
  return Dim::Unknown();
}

void ConcatShape(OpContext& ctx) {
  const size_t n = ctx.num_inputs();
  if (n == 0) return;
  const Shape* first = ctx.input_shape(0);
  if (!first) return;
  const int64_t rank = static_cast<int64_t>(first->rank());
  auto axis = NormalizeAxis(ctx.node().attr_int("axis", 0), rank);
  if (!axis) {
    ctx.Diag("Concat axis out of range");
    return;
  }
  std::vector<Dim> out = first->dims;
  for (size_t i = 0; i < n; ++i) {
    const Shape* s = ctx.input_shape(i);
    if (!s) return;
    if (static_cast<int64_t>(s->rank()) != rank) {
      ctx.Diag("Concat inputs have different ranks");
      return;
    }
    if (i > 0) {
      out[static_cast<size_t>(*axis)] =
          AddDims(out[static_cast<size_t>(*axis)], s->dims[static_cast<size_t>(*axis)]);
      for (int64_t d = 0; d < rank; ++d) {
        Dim& o = out[static_cast<size_t>(d)];
        const Dim& si = s->dims[static_cast<size_t>(d)];
        if (d != *axis && !o.known() && si.known()) o = si;  // refine from another input
      }
    }
  }
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

void SplitShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  const int64_t rank = static_cast<int64_t>(x->rank());
  auto axis = NormalizeAxis(ctx.node().attr_int("axis", 0), rank);
  if (!axis) {
    ctx.Diag("Split axis out of range");
    return;
  }
  auto sizes = SplitSizes(ctx, x->dims[static_cast<size_t>(*axis)]);
  if (!sizes) return;
  for (size_t i = 0; i < ctx.num_outputs() && i < sizes->size(); ++i) {
    std::vector<Dim> o = x->dims;
    o[static_cast<size_t>(*axis)] = (*sizes)[i];
    ctx.SetOutput(i, ctx.input_dtype(0), Shape::Of(std::move(o)));
  }
}

void SliceShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x || !x->shape.rank_known) return;
  const int64_t rank = static_cast<int64_t>(x->shape.rank());
  auto args = ReadSliceArgs(ctx);
  if (!args) {
    // Rank is kept even when the bounds are computed at run time.
    ctx.SetOutput(0, x->dtype, Shape::Of(std::vector<Dim>(static_cast<size_t>(rank))));
    return;
  }
  std::vector<Dim> out = x->shape.dims;
  for (size_t i = 0; i < args->starts.size() && i < args->axes.size() && i < args->steps.size();
       ++i) {
    auto a = NormalizeAxis(args->axes[i], rank);
    if (!a || args->steps[i] == 0) {
      ctx.Diag("invalid Slice axis or step");
      return;
    }
    const size_t ai = static_cast<size_t>(*a);
    const Dim& d = x->shape.dims[ai];
    if (!d.known()) {
      out[ai] = Dim::Unknown();
      continue;
    }
    out[ai] = Dim::Known(SpanOf(args->starts[i], args->ends[i], args->steps[i], d.value).len);
  }
  ctx.SetOutput(0, x->dtype, Shape::Of(std::move(out)));
}

void GatherShape(OpContext& ctx) {
  const ValueState* data = ctx.input(0);
  const Shape* idx = ctx.input_shape(1);
  if (!data || !data->shape.rank_known || !idx) return;
  const int64_t rank = static_cast<int64_t>(data->shape.rank());
  auto axis = NormalizeAxis(ctx.node().attr_int("axis", 0), rank);
  if (!axis) {
    ctx.Diag("Gather axis out of range");
    return;
  }
  std::vector<Dim> out(data->shape.dims.begin(), data->shape.dims.begin() + *axis);
  out.insert(out.end(), idx->dims.begin(), idx->dims.end());
  out.insert(out.end(), data->shape.dims.begin() + *axis + 1, data->shape.dims.end());
  ctx.SetOutput(0, data->dtype, Shape::Of(std::move(out)));
}

void UnsqueezeShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x || !x->shape.rank_known) return;
  bool given;
  auto axes = AxesArg(ctx, 13, 1, &given);
  if (!axes || axes->empty()) {
    ctx.Diag("Unsqueeze axes unknown");
    return;
  }
  const int64_t out_rank = static_cast<int64_t>(x->shape.rank() + axes->size());
  std::vector<bool> is_new(static_cast<size_t>(out_rank), false);
  for (int64_t a : *axes) {
    auto ax = NormalizeAxis(a, out_rank);
    if (!ax) {
      ctx.Diag("Unsqueeze axis out of range");
      return;
    }
    is_new[static_cast<size_t>(*ax)] = true;
  }
  std::vector<Dim> out;
  size_t j = 0;
  for (int64_t i = 0; i < out_rank; ++i) {
    if (is_new[static_cast<size_t>(i)])
      out.push_back(Dim::Known(1));
    else if (j < x->shape.rank())
      out.push_back(x->shape.dims[j++]);
  }
  ctx.SetOutput(0, x->dtype, Shape::Of(std::move(out)));
}

void SqueezeShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x || !x->shape.rank_known) return;
  bool given;
  auto axes = AxesArg(ctx, 13, 1, &given);
  if (!axes) return;
  const int64_t rank = static_cast<int64_t>(x->shape.rank());
  std::vector<bool> drop(static_cast<size_t>(rank), false);
  if (axes->empty()) {
    for (int64_t i = 0; i < rank; ++i) {
      const Dim& d = x->shape.dims[static_cast<size_t>(i)];
      if (!d.known()) {
        ctx.Diag("Squeeze without axes on a dim of unknown size");
        return;
      }
      drop[static_cast<size_t>(i)] = d.value == 1;
    }
  } else {
    for (int64_t a : *axes) {
      auto ax = NormalizeAxis(a, rank);
      if (!ax) {
        ctx.Diag("Squeeze axis out of range");
        return;
      }
      drop[static_cast<size_t>(*ax)] = true;
    }
  }
  std::vector<Dim> out;
  for (int64_t i = 0; i < rank; ++i) {
    if (!drop[static_cast<size_t>(i)]) out.push_back(x->shape.dims[static_cast<size_t>(i)]);
  }
  ctx.SetOutput(0, x->dtype, Shape::Of(std::move(out)));
}

void ExpandShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  const auto* target = ctx.input_symints(1);
  if (!x || !x->shape.rank_known) return;
  if (!target) {
    const Shape* ts = ctx.input_shape(1);
    if (ts && ts->rank() == 1 && ts->dims[0].known()) {
      SetRankOnly(ctx, x->dtype,
                  std::max(static_cast<int64_t>(x->shape.rank()), ts->dims[0].value));
    }
    return;
  }
  auto out = BroadcastShapes(x->shape, Shape::Of(ValuesAsDims(*target)));
  if (!out) {
    ctx.Diag("Expand target does not broadcast with the input");
    return;
  }
  ctx.SetOutput(0, x->dtype, *out);
}

void TileShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  auto repeats = ctx.input_ints(1);
  if (!x) return;
  if (!repeats || repeats->size() != x->rank()) {
    ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::vector<Dim>(x->rank())));
    return;
  }
  std::vector<Dim> out;
  for (size_t i = 0; i < x->rank(); ++i) {
    const Dim& d = x->dims[i];
    out.push_back(d.known() ? Dim::Known(CheckedMul(d.value, (*repeats)[i], "Tile size"))
                            : ((*repeats)[i] == 1 ? d : Dim::Unknown()));
  }
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

void ConstantOfShapeShape(OpContext& ctx) {
  const auto* dims = ctx.input_symints(0);
  DType dt = DType::kFloat;
  if (const Attribute* a = ctx.node().attr("value"); a && a->t) dt = a->t->dtype;
  if (!dims) {
    const Shape* s = ctx.input_shape(0);
    if (s && s->rank() == 1 && s->dims[0].known()) {
      SetRankOnly(ctx, dt, s->dims[0].value);
    }
    return;
  }
  ctx.SetOutput(0, dt, Shape::Of(ValuesAsDims(*dims)));
}

void RangeShape(OpContext& ctx) {
  const DType dt = ctx.input_dtype(0);
  auto len = RangeLength(ctx);
  if (!len) {
    ctx.SetOutput(0, dt, Shape::Of({Dim::Unknown()}));
    return;
  }
  ctx.SetOutput(0, dt, Shape::Known({*len}));
}

void PadShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  const size_t rank = x->rank();
  auto pads = PadAmounts(ctx, rank);
  if (!pads) {
    ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::vector<Dim>(rank)));
    return;
  }
  std::vector<Dim> out = x->dims;
  for (size_t i = 0; i < rank; ++i) {
    const auto [before, after] = (*pads)[i];
    Dim& d = out[i];
    if (d.known()) {
      d = Dim::Known(CheckedAdd(CheckedAdd(d.value, before, "Pad size"), after, "Pad size"));
      if (d.value < 0) {
        ctx.Diag("Pad removes more than the axis holds");
        return;
      }
    } else if (before != 0 || after != 0) {
      d = Dim::Unknown();
    }
  }
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

void DropoutShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x) return;
  ctx.SetOutput(0, x->dtype, x->shape);
  if (ctx.num_outputs() > 1) ctx.SetOutput(1, DType::kBool, x->shape);
}

}  // namespace

void RegisterTensorOps(Registry& r) {
  const char* kNone = "no arithmetic (data movement; bytes only)";
  OpTraits constant;
  constant.folds_to_constant = true;
  r.Add({"", "Constant", "tensor", "no arithmetic (value stored in the file)", ConstantShape,
         ZeroCost},
        constant);
  OpTraits shape_value;
  shape_value.value_from_shape = true;
  r.Add({"", "Shape", "tensor", kNone, ShapeShape, ZeroCost}, shape_value);
  r.Add({"", "Size", "tensor", kNone, SizeShape, ZeroCost}, shape_value);
  r.Add({"", "Reshape", "tensor", kNone, ReshapeShape, ZeroCost}, ParamInputs({1}));
  r.Add({"", "Flatten", "tensor", kNone, FlattenShape, ZeroCost});
  r.Add({"", "Transpose", "tensor", kNone, TransposeShape, ZeroCost});
  OpTraits concat;
  concat.joins_on_axis = true;
  r.Add({"", "Concat", "tensor", kNone, ConcatShape, ZeroCost}, concat);
  r.Add({"", "Split", "tensor", kNone, SplitShape, ZeroCost}, ParamInputs({1}));
  r.Add({"", "Slice", "tensor", kNone, SliceShape, ZeroCost}, ParamInputs({1, 2, 3, 4}));
  r.Add({"", "Gather", "tensor", kNone, GatherShape, ZeroCost});
  r.Add({"", "Unsqueeze", "tensor", kNone, UnsqueezeShape, ZeroCost}, ParamInputs({1}));
  r.Add({"", "Squeeze", "tensor", kNone, SqueezeShape, ZeroCost}, ParamInputs({1}));
  r.Add({"", "Expand", "tensor", kNone, ExpandShape, ZeroCost}, ParamInputs({1}));
  r.Add({"", "Tile", "tensor", kNone, TileShape, ZeroCost}, ParamInputs({1}));
  r.Add({"", "ConstantOfShape", "tensor", kNone, ConstantOfShapeShape, ZeroCost}, ParamInputs({0}));
  r.Add({"", "Range", "tensor", kNone, RangeShape, ZeroCost}, ParamInputs({0, 1, 2}));
  r.Add({"", "Pad", "tensor", kNone, PadShape, ZeroCost}, ParamInputs({1, 3}));
  r.Add({"", "Dropout", "tensor", "no arithmetic in inference (identity)", DropoutShape, ZeroCost});
}

}  // namespace tops
