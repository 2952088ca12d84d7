// TFLite tensor manipulation: shapes, layouts, slicing and indexing. No arithmetic (their bytes
// still count). Integer shape tensors are constant-folded, symbolic entries included, so the
// SHAPE -> STRIDED_SLICE -> PACK -> RESHAPE chains of models with a dynamic batch resolve.
// Semantics from the TFLite operator reference (tensorflow/lite/kernels): RESHAPE takes its
// target from input 1 or the new_shape option (a 0 is a zero-size dim, not a copy);
// STRIDED_SLICE follows tf.strided_slice with its five masks; paddings are [rank, 2].
#include <algorithm>

#include "core/checked.h"
#include "ops/tflite_common.h"
#include "tops/error.h"

namespace tops::tfl {
namespace {

std::vector<SymInt> AsValues(const std::vector<Dim>& dims) {
  std::vector<SymInt> v;
  for (const Dim& d : dims) v.push_back(SymInt::FromDim(d));
  return v;
}

std::vector<Dim> AsDims(const std::vector<SymInt>& v) {
  std::vector<Dim> d;
  for (const SymInt& s : v) d.push_back(s.ToDim());
  return d;
}

// Output 0 keeps input 0's folded values when it only relabels the shape.
void Relabel(OpContext& ctx, const ValueState& x, Shape out) {
  if (x.has_ints && out.elems_if_representable() &&
      *out.elems_if_representable() == static_cast<int64_t>(x.ints.size())) {
    return ctx.SetOutputInts(0, x.dtype, std::move(out), x.ints);
  }
  ctx.SetOutput(0, x.dtype, std::move(out));
}

void ReshapeShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x) return;
  std::vector<SymInt> target;
  // The shape input wins; new_shape (which converters also write, with -1 for run-time dims)
  // stands in when that input is computed at run time.
  if (const auto* t = ctx.input_symints(1)) {
    target = *t;
  } else if (auto a = ctx.node().attr_ints("new_shape"); a && (!ctx.input(1) || !a->empty())) {
    for (int64_t v : *a) target.push_back(SymInt::Of(v));
  } else {
    ctx.Diag("RESHAPE target is computed at run time and could not be folded");
    return;
  }
  auto out = ResolveReshape(x->shape, target, true);
  if (!out) {
    ctx.Diag("invalid RESHAPE target");
    return;
  }
  Relabel(ctx, *x, *out);
}

void SqueezeShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x || !x->shape.rank_known) return;
  const int64_t rank = static_cast<int64_t>(x->shape.rank());
  std::vector<bool> drop(static_cast<size_t>(rank), false);
  const auto axes = ctx.node().attr_ints("squeeze_dims").value_or(std::vector<int64_t>{});
  for (int64_t a : axes) {
    auto ax = NormalizeAxis(a, rank);
    if (!ax) return ctx.Diag("squeeze axis out of range");
    drop[static_cast<size_t>(*ax)] = true;
  }
  std::vector<Dim> out;
  for (int64_t i = 0; i < rank; ++i) {
    const Dim& d = x->shape.dims[static_cast<size_t>(i)];
    if (axes.empty() && !d.known()) return;  // which dims are 1 is not known
    if (axes.empty() ? d.value == 1 : drop[static_cast<size_t>(i)]) continue;
    out.push_back(d);
  }
  Relabel(ctx, *x, Shape::Of(std::move(out)));
}

void ExpandDimsShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  auto axis = ctx.input_ints(1);
  if (!x || !x->shape.rank_known || !axis || axis->size() != 1) return;
  auto ax = NormalizeAxis((*axis)[0], static_cast<int64_t>(x->shape.rank()) + 1);
  if (!ax) return ctx.Diag("EXPAND_DIMS axis out of range");
  std::vector<Dim> out = x->shape.dims;
  out.insert(out.begin() + *ax, Dim::Known(1));
  Relabel(ctx, *x, Shape::Of(std::move(out)));
}

void ShapeShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  DType t = ctx.node().attr_dtype("out_type", DType::kUndefined);
  if (t != DType::kInt64) t = DType::kInt32;
  ctx.SetOutputInts(0, t, AsValues(x->dims));
}

void RankShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  ctx.SetOutputInts(0, DType::kInt32, {SymInt::Of(static_cast<int64_t>(x->rank()))}, true);
}

// tf.strided_slice on one axis: the extent [begin, end) with `stride`, masks applied.
Dim SliceAxis(const Dim& dim, int64_t b, int64_t e, int64_t s, bool begin_mask, bool end_mask,
              int64_t* first) {
  if (begin_mask && end_mask && s == 1) {
    *first = 0;
    return dim;  // the whole axis, symbol kept
  }
  if (!dim.known()) return Dim::Unknown();
  const int64_t n = dim.value;
  auto clamp = [](int64_t v, int64_t lo, int64_t hi) { return std::max(lo, std::min(v, hi)); };
  if (s > 0) {
    b = begin_mask ? 0 : clamp(b < 0 ? b + n : b, 0, n);
    e = end_mask ? n : clamp(e < 0 ? e + n : e, 0, n);
    *first = b;
    return Dim::Known(e > b ? (e - b + s - 1) / s : 0);
  }
  b = begin_mask ? n - 1 : clamp(b < 0 ? b + n : b, -1, n - 1);
  e = end_mask ? -1 : clamp(e < 0 ? e + n : e, -1, n - 1);
  *first = b;
  return Dim::Known(b > e ? (b - e - s - 1) / -s : 0);
}

void StridedSliceShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  auto begin = ctx.input_ints(1);
  auto end = ctx.input_ints(2);
  auto strides = ctx.input_ints(3);
  if (!x || !x->shape.rank_known) return;
  if (!begin || !end || !strides || begin->size() != end->size() ||
      begin->size() != strides->size()) {
    return;  // run-time bounds: the file's shape stands
  }
  const Node& n = ctx.node();
  const int64_t bm = n.attr_int("begin_mask", 0), em = n.attr_int("end_mask", 0);
  const int64_t ellipsis = n.attr_int("ellipsis_mask", 0),
                new_axis = n.attr_int("new_axis_mask", 0);
  const int64_t shrink = n.attr_int("shrink_axis_mask", 0);
  const bool offset = n.attr_int("offset", 0) != 0;
  const size_t spec = begin->size();
  const size_t rank = x->shape.rank();
  size_t consuming = 0;
  for (size_t i = 0; i < spec; ++i) consuming += !((new_axis >> i) & 1) && !((ellipsis >> i) & 1);
  std::vector<Dim> out;
  size_t axis = 0;
  // Folded values of a 1-D input: the slice of them.
  std::vector<SymInt> vals;
  const bool fold = x->has_ints && rank == 1 && x->shape.fully_known();
  bool folded = false;
  for (size_t i = 0; i < spec && i < 64; ++i) {
    if ((ellipsis >> i) & 1) {
      const size_t span = rank > consuming ? rank - consuming : 0;
      for (size_t k = 0; k < span && axis < rank; ++k) out.push_back(x->shape.dims[axis++]);
      continue;
    }
    if ((new_axis >> i) & 1) {
      out.push_back(Dim::Known(1));
      continue;
    }
    if (axis >= rank) return ctx.Diag("STRIDED_SLICE has more indices than the input's rank");
    const int64_t s = (*strides)[i];
    if (s == 0) return ctx.Diag("STRIDED_SLICE stride 0");
    int64_t b = (*begin)[i], e = (*end)[i];
    if (offset) e = CheckedAdd(b, e, "slice end");
    const Dim& dim = x->shape.dims[axis];
    int64_t first = 0;
    if ((shrink >> i) & 1) {
      if (dim.known() && (b < -dim.value || b >= dim.value)) {
        return ctx.Diag("STRIDED_SLICE shrink index out of range");
      }
      first = dim.known() && b < 0 ? b + dim.value : b;
      if (fold && axis == 0) {
        vals = {x->ints[static_cast<size_t>(first)]};
        folded = true;
      }
      ++axis;
      continue;
    }
    const Dim d = SliceAxis(dim, b, e, s, (bm >> i) & 1, (em >> i) & 1, &first);
    if (fold && axis == 0 && d.known()) {
      for (int64_t k = 0; k < d.value; ++k) {
        const int64_t at = first + k * s;
        if (at < 0 || at >= static_cast<int64_t>(x->ints.size())) break;
        vals.push_back(x->ints[static_cast<size_t>(at)]);
      }
      folded = static_cast<int64_t>(vals.size()) == d.value;
    }
    out.push_back(d);
    ++axis;
  }
  while (axis < rank) out.push_back(x->shape.dims[axis++]);
  Shape shape = Shape::Of(std::move(out));
  if (folded && shape.elems_if_representable() &&
      *shape.elems_if_representable() == static_cast<int64_t>(vals.size())) {
    return ctx.SetOutputInts(0, x->dtype, std::move(shape), std::move(vals));
  }
  ctx.SetOutput(0, x->dtype, std::move(shape));
}

// SLICE: begin and size per axis (size -1: to the end).
void SliceShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  auto begin = ctx.input_ints(1);
  auto size = ctx.input_ints(2);
  if (!x || !x->shape.rank_known || !begin || !size) return;
  const size_t rank = x->shape.rank();
  if (begin->size() != rank || size->size() != rank) return ctx.Diag("SLICE begin/size rank");
  std::vector<Dim> out;
  for (size_t i = 0; i < rank; ++i) {
    const Dim& d = x->shape.dims[i];
    const int64_t b = (*begin)[i], n = (*size)[i];
    if (n >= 0) {
      out.push_back(Dim::Known(n));
    } else if (d.known() && d.value >= b) {
      out.push_back(Dim::Known(d.value - b));
    } else {
      out.push_back(b == 0 ? d : Dim::Unknown());
    }
  }
  Shape shape = Shape::Of(std::move(out));
  if (x->has_ints && rank == 1 && shape.fully_known()) {
    const int64_t b = (*begin)[0], n = shape.dims[0].value;
    if (b >= 0 && b + n <= static_cast<int64_t>(x->ints.size())) {
      std::vector<SymInt> v(x->ints.begin() + b, x->ints.begin() + b + n);
      return ctx.SetOutputInts(0, x->dtype, std::move(shape), std::move(v));
    }
  }
  ctx.SetOutput(0, x->dtype, std::move(shape));
}

// PACK: N inputs of one shape stacked on a new axis; scalars stacked on axis 0 fold.
void PackShape(OpContext& ctx) {
  const Shape* first = ctx.input_shape(0);
  if (!first) return;
  const int64_t n = static_cast<int64_t>(ctx.num_inputs());
  auto axis =
      NormalizeAxis(ctx.node().attr_int("axis", 0), static_cast<int64_t>(first->rank()) + 1);
  if (!axis) return ctx.Diag("PACK axis out of range");
  std::vector<Dim> out = first->dims;
  for (size_t i = 1; i < ctx.num_inputs(); ++i) {
    const Shape* s = ctx.input_shape(i);
    if (!s) return;
    if (s->rank() != first->rank()) return ctx.Diag("PACK inputs differ in rank");
    for (size_t k = 0; k < out.size(); ++k) {
      if (!out[k].known() && s->dims[k].known()) out[k] = s->dims[k];
    }
  }
  out.insert(out.begin() + *axis, Dim::Known(n));
  std::vector<SymInt> vals;
  bool fold = first->rank() == 0 && n <= kMaxKeptValues;
  for (size_t i = 0; fold && i < ctx.num_inputs(); ++i) {
    const auto* v = ctx.input_symints(i);
    fold = v && v->size() == 1;
    if (fold) vals.push_back((*v)[0]);
  }
  if (fold) return ctx.SetOutputInts(0, ctx.input_dtype(0), Shape::Of(out), std::move(vals));
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

void UnpackShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x || !x->shape.rank_known || x->shape.rank() == 0) return;
  auto axis = NormalizeAxis(ctx.node().attr_int("axis", 0), static_cast<int64_t>(x->shape.rank()));
  if (!axis) return ctx.Diag("UNPACK axis out of range");
  std::vector<Dim> out = x->shape.dims;
  out.erase(out.begin() + *axis);
  for (size_t i = 0; i < ctx.num_outputs(); ++i) {
    if (x->has_ints && x->shape.rank() == 1 && i < x->ints.size()) {
      ctx.SetOutputInts(i, x->dtype, Shape::Of({}), {x->ints[i]});
    } else {
      ctx.SetOutput(i, x->dtype, Shape::Of(out));
    }
  }
}

// SPLIT (axis, input) into num_splits equal parts; SPLIT_V (input, size_splits, axis).
void SplitShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(1);
  auto axis_v = ctx.input_ints(0);
  if (!x || !axis_v || axis_v->size() != 1) return;
  auto axis = NormalizeAxis((*axis_v)[0], static_cast<int64_t>(x->rank()));
  if (!axis) return ctx.Diag("SPLIT axis out of range");
  const int64_t parts = static_cast<int64_t>(ctx.num_outputs());
  std::vector<Dim> out = x->dims;
  Dim& d = out[static_cast<size_t>(*axis)];
  if (d.known()) {
    if (parts == 0 || d.value % parts != 0) return ctx.Diag("SPLIT does not divide the axis");
    d = Dim::Known(d.value / parts);
  } else {
    d = Dim::Unknown();
  }
  for (size_t i = 0; i < ctx.num_outputs(); ++i)
    ctx.SetOutput(i, ctx.input_dtype(1), Shape::Of(out));
}

void SplitVShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  auto sizes = ctx.input_ints(1);
  auto axis_v = ctx.input_ints(2);
  if (!x || !sizes || !axis_v || axis_v->size() != 1) return;
  auto axis = NormalizeAxis((*axis_v)[0], static_cast<int64_t>(x->rank()));
  if (!axis || sizes->size() != ctx.num_outputs()) return ctx.Diag("SPLIT_V sizes or axis");
  const Dim& total = x->dims[static_cast<size_t>(*axis)];
  int64_t known = 0, infer = -1;
  for (size_t i = 0; i < sizes->size(); ++i) {
    if ((*sizes)[i] == -1) {
      infer = static_cast<int64_t>(i);
    } else {
      known = CheckedAdd(known, (*sizes)[i], "split size");
    }
  }
  for (size_t i = 0; i < sizes->size(); ++i) {
    std::vector<Dim> out = x->dims;
    Dim d = Dim::Known((*sizes)[i]);
    if (static_cast<int64_t>(i) == infer) {
      d = total.known() && total.value >= known ? Dim::Known(total.value - known) : Dim::Unknown();
    }
    out[static_cast<size_t>(*axis)] = d;
    ctx.SetOutput(i, ctx.input_dtype(0), Shape::Of(std::move(out)));
  }
}

void TransposeShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  auto perm = ctx.input_ints(1);
  if (!x || !x->shape.rank_known || !perm) return;
  const int64_t rank = static_cast<int64_t>(x->shape.rank());
  if (static_cast<int64_t>(perm->size()) != rank) return ctx.Diag("TRANSPOSE perm length");
  std::vector<Dim> out;
  for (int64_t p : *perm) {
    auto a = NormalizeAxis(p, rank);
    if (!a) return ctx.Diag("TRANSPOSE perm entry out of range");
    out.push_back(x->shape.dims[static_cast<size_t>(*a)]);
  }
  ctx.SetOutput(0, x->dtype, Shape::Of(std::move(out)));
}

// PAD / PADV2 / MIRROR_PAD: paddings [rank, 2] (before, after per axis).
void PadShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  auto pads = ctx.input_ints(1);
  if (!x || !x->shape.rank_known || !pads) return;
  const size_t rank = x->shape.rank();
  if (pads->size() != 2 * rank) return ctx.Diag("paddings are not [rank, 2]");
  std::vector<Dim> out;
  for (size_t i = 0; i < rank; ++i) {
    const Dim& d = x->shape.dims[i];
    const int64_t add = CheckedAdd((*pads)[2 * i], (*pads)[2 * i + 1], "padding");
    if (add == 0) {
      out.push_back(d);
    } else if (d.known() && d.value + add >= 0) {
      out.push_back(Dim::Known(CheckedAdd(d.value, add, "padded size")));
    } else {
      out.push_back(Dim::Unknown());
    }
  }
  ctx.SetOutput(0, x->dtype, Shape::Of(std::move(out)));
}

// SPACE_TO_DEPTH / DEPTH_TO_SPACE on NHWC with block_size.
template <bool kToDepth>
void BlockShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x) return;
  const int64_t b = ctx.node().attr_int("block_size", 0);
  if (x->rank() != 4 || b <= 0) return ctx.Diag("expects a 4-D input and a positive block_size");
  const int64_t bb = CheckedMul(b, b, "block size");
  auto scale = [](const Dim& d, bool up, int64_t f) {
    if (!d.known()) return Dim::Unknown();
    return Dim::Known(up ? CheckedMul(d.value, f, "size") : d.value / f);
  };
  ctx.SetOutput(0, ctx.input_dtype(0),
                Shape::Of({x->dims[0], scale(x->dims[1], !kToDepth, b),
                           scale(x->dims[2], !kToDepth, b), scale(x->dims[3], kToDepth, bb)}));
}

// SPACE_TO_BATCH_ND (input, block_shape [M], paddings [M, 2]) and BATCH_TO_SPACE_ND (input,
// block_shape, crops [M, 2]): the M axes after the batch are divided (multiplied) by the block.
template <bool kToBatch>
void BatchSpaceShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  auto block = ctx.input_ints(1);
  auto pads = ctx.input_ints(2);
  if (!x || !block || !pads) return;
  const size_t m = block->size();
  if (x->rank() < m + 1 || pads->size() != 2 * m) return ctx.Diag("block_shape / paddings");
  int64_t prod = 1;
  for (int64_t b : *block) {
    if (b <= 0) return ctx.Diag("block size must be positive");
    prod = CheckedMul(prod, b, "block size");
  }
  std::vector<Dim> out = x->dims;
  const Dim& n = x->dims[0];
  out[0] = !n.known() ? Dim::Unknown()
                      : Dim::Known(kToBatch ? CheckedMul(n.value, prod, "batch") : n.value / prod);
  for (size_t i = 0; i < m; ++i) {
    const Dim& d = x->dims[i + 1];
    const int64_t edge = CheckedAdd((*pads)[2 * i], (*pads)[2 * i + 1], "padding");
    if (!d.known()) {
      out[i + 1] = Dim::Unknown();
    } else if (kToBatch) {
      out[i + 1] = Dim::Known(CheckedAdd(d.value, edge, "size") / (*block)[i]);
    } else {
      out[i + 1] = Dim::Known(std::max<int64_t>(
          0, CheckedAdd(CheckedMul(d.value, (*block)[i], "size"), -edge, "size")));
    }
  }
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

// FILL (dims, value); RANDOM_* (shape); SCATTER_ND (indices, updates, shape): the output takes
// the shape held by an integer input.
template <size_t kShapeInput, size_t kTypeInput, bool kFill = false>
void ShapeFromValues(OpContext& ctx) {
  const auto* dims = ctx.input_symints(kShapeInput);
  const DType t = kTypeInput == kShapeInput ? DType::kFloat : ctx.input_dtype(kTypeInput);
  if (dims) {
    if (kFill && ctx.input(kTypeInput) && ctx.input(kTypeInput)->has_ints &&
        ctx.input(kTypeInput)->ints.size() == 1) {
      // FILL of a folded scalar into a short vector: folded too.
      Shape s = Shape::Of(AsDims(*dims));
      if (auto n = s.elems_if_representable(); n && *n <= kMaxKeptValues) {
        std::vector<SymInt> v(static_cast<size_t>(*n), ctx.input(kTypeInput)->ints[0]);
        return ctx.SetOutputInts(0, t, std::move(s), std::move(v));
      }
    }
    return ctx.SetOutput(0, t, Shape::Of(AsDims(*dims)));
  }
  const Shape* s = ctx.input_shape(kShapeInput);
  if (s && s->rank() == 1 && s->dims[0].known() && s->dims[0].value <= kMaxKeptValues) {
    ctx.SetOutput(0, t, Shape::Of(std::vector<Dim>(static_cast<size_t>(s->dims[0].value))));
  }
}

// GATHER (params, indices) with axis and batch_dims: params[:axis] + indices[batch_dims:] +
// params[axis+1:]. batch_dims 0 is ONNX Gather (whose shape function also folds values).
void GatherShape(OpContext& ctx, const ShapeFn& onnx_gather) {
  const int64_t batch_dims = ctx.node().attr_int("batch_dims", 0);
  if (batch_dims == 0) return onnx_gather(ctx);
  const Shape* p = ctx.input_shape(0);
  const Shape* idx = ctx.input_shape(1);
  if (!p || !idx) return;
  auto axis = NormalizeAxis(ctx.node().attr_int("axis", 0), static_cast<int64_t>(p->rank()));
  auto bd = NormalizeAxis(batch_dims, static_cast<int64_t>(idx->rank()) + 1);
  if (!axis || !bd || *bd > *axis) return ctx.Diag("GATHER axis / batch_dims out of range");
  std::vector<Dim> out(p->dims.begin(), p->dims.begin() + *axis);
  out.insert(out.end(), idx->dims.begin() + *bd, idx->dims.end());
  out.insert(out.end(), p->dims.begin() + *axis + 1, p->dims.end());
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

// ONE_HOT (indices, depth, on_value, off_value): depth inserted at axis (-1: last).
void OneHotShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  auto depth = ctx.input_ints(1);
  if (!x) return;
  auto axis = NormalizeAxis(ctx.node().attr_int("axis", -1), static_cast<int64_t>(x->rank()) + 1);
  if (!axis) return ctx.Diag("ONE_HOT axis out of range");
  std::vector<Dim> out = x->dims;
  out.insert(out.begin() + *axis,
             depth && depth->size() == 1 ? Dim::Known((*depth)[0]) : Dim::Unknown());
  ctx.SetOutput(0, ctx.input(2) ? ctx.input_dtype(2) : DType::kFloat, Shape::Of(std::move(out)));
}

// BROADCAST_ARGS (s0, s1): the broadcast of two shape vectors, folded.
void BroadcastArgsShape(OpContext& ctx) {
  const auto* a = ctx.input_symints(0);
  const auto* b = ctx.input_symints(1);
  if (!a || !b) {
    const Shape* sa = ctx.input_shape(0);
    const Shape* sb = ctx.input_shape(1);
    if (sa && sb && sa->rank() == 1 && sb->rank() == 1 && sa->dims[0].known() &&
        sb->dims[0].known()) {
      ctx.SetOutput(0, ctx.input_dtype(0),
                    Shape::Known({std::max(sa->dims[0].value, sb->dims[0].value)}));
    }
    return;
  }
  auto s = BroadcastShapes(Shape::Of(AsDims(*a)), Shape::Of(AsDims(*b)));
  if (!s) return ctx.Diag("BROADCAST_ARGS shapes do not broadcast");
  ctx.SetOutputInts(0, ctx.input_dtype(0), AsValues(s->dims));
}

void MatrixDiagShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x || x->rank() == 0) return;
  std::vector<Dim> out = x->dims;
  out.push_back(x->dims.back());
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

// EMBEDDING_LOOKUP (ids, table): [ids..., table dims after the first].
void EmbeddingLookupShape(OpContext& ctx) {
  const Shape* ids = ctx.input_shape(0);
  const Shape* table = ctx.input_shape(1);
  if (!ids || !table || table->rank() == 0) return;
  std::vector<Dim> out = ids->dims;
  out.insert(out.end(), table->dims.begin() + 1, table->dims.end());
  const DType t = ctx.input_dtype(1);
  ctx.SetOutput(0, t == DType::kInt8 || t == DType::kUint8 ? DType::kFloat : t, Shape::Of(out));
}

// HASHTABLE_LOOKUP (lookup, keys, values): [lookup..., values dims after the first], hits.
void HashtableLookupShape(OpContext& ctx) {
  const Shape* lookup = ctx.input_shape(0);
  const Shape* values = ctx.input_shape(2);
  if (!lookup || !values || values->rank() == 0) return;
  std::vector<Dim> out = lookup->dims;
  out.insert(out.end(), values->dims.begin() + 1, values->dims.end());
  ctx.SetOutput(0, ctx.input_dtype(2), Shape::Of(std::move(out)));
  ctx.SetOutput(1, DType::kUint8, *lookup);
}

void DynamicUpdateSliceShape(OpContext& ctx) { SameShapeAsInput(ctx); }

const ShapeFn& Onnx(const Registry& r, const char* op) {
  const OpEntry* e = r.Find("", op);
  if (!e) throw Error(std::string("internal: ONNX op ") + op + " is not registered");
  return e->shape;
}

}  // namespace

void RegisterTensorFamily(Registry& r) {
  const char* kFamily = "tflite_tensor";
  const char* kNone = "no arithmetic (data movement; bytes only)";
  Add(r, "RESHAPE", kFamily, kNone, ReshapeShape, ZeroCost, ParamTraits(1));
  Add(r, "SQUEEZE", kFamily, kNone, SqueezeShape, ZeroCost);
  Add(r, "EXPAND_DIMS", kFamily, kNone, ExpandDimsShape, ZeroCost, ParamTraits(1));
  Add(r, "SHAPE", kFamily, kNone, ShapeShape, ZeroCost);
  Add(r, "RANK", kFamily, kNone, RankShape, ZeroCost);
  Add(r, "STRIDED_SLICE", kFamily, kNone, StridedSliceShape, ZeroCost, ParamTraits(3));
  Add(r, "SLICE", kFamily, kNone, SliceShape, ZeroCost, ParamTraits(2));
  Add(r, "PACK", kFamily, kNone, PackShape, ZeroCost);
  Add(r, "UNPACK", kFamily, kNone, UnpackShape, ZeroCost);
  Add(r, "SPLIT", kFamily, kNone, SplitShape, ZeroCost, ParamTraits(1, true));
  Add(r, "SPLIT_V", kFamily, kNone, SplitVShape, ZeroCost, ParamTraits(2));
  Add(r, "TRANSPOSE", kFamily, kNone, TransposeShape, ZeroCost, ParamTraits(1));
  Add(r, "PAD", kFamily, kNone, PadShape, ZeroCost, ParamTraits(1));
  Add(r, "PADV2", kFamily, kNone, PadShape, ZeroCost, ParamTraits(1));
  Add(r, "MIRROR_PAD", kFamily, kNone, PadShape, ZeroCost, ParamTraits(1));
  Add(r, "SPACE_TO_DEPTH", kFamily, kNone, BlockShape<true>, ZeroCost);
  Add(r, "DEPTH_TO_SPACE", kFamily, kNone, BlockShape<false>, ZeroCost);
  Add(r, "SPACE_TO_BATCH_ND", kFamily, kNone, BatchSpaceShape<true>, ZeroCost, ParamTraits(2));
  Add(r, "BATCH_TO_SPACE_ND", kFamily, kNone, BatchSpaceShape<false>, ZeroCost, ParamTraits(2));
  // CONCATENATION's `axis` option and TILE / BROADCAST_TO / RANGE / GATHER_ND's inputs mean
  // what their ONNX twins' do (Concat, Tile, Expand, Range, GatherND).
  OpTraits joins;
  joins.joins_on_axis = true;
  Add(
      r, "CONCATENATION", kFamily, "no arithmetic (bytes only; fused activation per element)",
      Onnx(r, "Concat"), [](const OpContext& c) { return PerOutputPlusActivation(c, 0); }, joins);
  Add(r, "TILE", kFamily, kNone, Onnx(r, "Tile"), ZeroCost, ParamTraits(1));
  Add(r, "BROADCAST_TO", kFamily, kNone, Onnx(r, "Expand"), ZeroCost, ParamTraits(1));
  Add(r, "RANGE", kFamily, kNone, Onnx(r, "Range"), ZeroCost);
  Add(r, "GATHER_ND", kFamily, kNone, Onnx(r, "GatherND"), ZeroCost);
  const ShapeFn gather = Onnx(r, "Gather");
  Add(
      r, "GATHER", kFamily, kNone, [gather](OpContext& c) { GatherShape(c, gather); }, ZeroCost);
  Add(r, "FILL", kFamily, "no arithmetic (writes one value)", ShapeFromValues<0, 1, true>,
      ZeroCost);
  Add(r, "SCATTER_ND", kFamily, "no arithmetic (scatter into zeros; bytes only)",
      ShapeFromValues<2, 1>, ZeroCost);
  // SPARSE_TO_DENSE (indices, output_shape, values, default_value).
  Add(r, "SPARSE_TO_DENSE", kFamily, "no arithmetic (scatter into the default; bytes only)",
      ShapeFromValues<1, 2>, ZeroCost);
  Add(r, "ONE_HOT", kFamily, kNone, OneHotShape, ZeroCost);
  Add(r, "BROADCAST_ARGS", kFamily, kNone, BroadcastArgsShape, ZeroCost);
  Add(r, "REVERSE_V2", kFamily, kNone, SameShapeAsInput, ZeroCost);
  Add(r, "REVERSE_SEQUENCE", kFamily, kNone, SameShapeAsInput, ZeroCost);
  Add(r, "MATRIX_DIAG", kFamily, kNone, MatrixDiagShape, ZeroCost);
  Add(r, "MATRIX_SET_DIAG", kFamily, kNone, SameShapeAsInput, ZeroCost);
  Add(r, "DYNAMIC_UPDATE_SLICE", kFamily, kNone, DynamicUpdateSliceShape, ZeroCost);
  Add(r, "DENSIFY", kFamily, "no arithmetic (expands a sparse constant; bytes only)",
      SameShapeAsInput, ZeroCost);
  Add(r, "EMBEDDING_LOOKUP", kFamily, "no arithmetic (row gather; bytes only)",
      EmbeddingLookupShape, ZeroCost);
  Add(r, "HASHTABLE_LOOKUP", kFamily, "other = lookups * log2(keys) (binary search)",
      HashtableLookupShape, [](const OpContext& c) {
        auto n = InputElems(c, 0);
        auto k = InputElems(c, 1);
        if (!n || !k) return Cost::Unknown();
        int64_t steps = 1;
        while ((int64_t{1} << steps) < *k && steps < 62) ++steps;
        return Cost{0, CheckedMul(*n, steps, "op count")};
      });
  Add(r, "RANDOM_STANDARD_NORMAL", kFamily, "other = out_elems (as RandomNormal)",
      ShapeFromValues<0, 0>, [](const OpContext& c) { return PerOutputElement(c, 1); });
  Add(r, "RANDOM_UNIFORM", kFamily, "other = out_elems (as RandomUniform)", ShapeFromValues<0, 0>,
      [](const OpContext& c) { return PerOutputElement(c, 1); });
}

}  // namespace tops::tfl
