// Value evaluators of indexing and selection ops (ONNX operator spec semantics): GatherElements,
// GatherND, ScatterND, ScatterElements, NonZero and TopK on known values (their output sizes
// become exact), OneHot, Trilu, Compress, EyeLike. Reductions are in eval_reduce.cc.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "ops/registry.h"

namespace tops {
namespace {

bool TooLarge(const std::vector<int64_t>& dims) {
  auto n = ElemCount(dims);
  return !n || *n > kMaxEvalElems;
}

// An index along an axis of size n, negative counting from the end; nullopt out of range.
std::optional<int64_t> IndexIn(int64_t i, int64_t n) {
  if (i < 0) i += n;
  if (i < 0 || i >= n) return std::nullopt;
  return i;
}

bool GatherElementsEval(OpContext& ctx) {
  const Value* data = ctx.input_value(0);
  const Value* indices = ctx.input_value(1);
  if (!data || !indices) return ctx.Refuse("an input is missing");
  const int64_t rank = static_cast<int64_t>(data->dims.size());
  auto axis = NormalizeAxis(ctx.node().attr_int("axis", 0), rank);
  auto ind = indices->Ints();
  if (!axis || !ind || indices->dims.size() != data->dims.size()) {
    return ctx.Refuse("axis or indices invalid");
  }
  const size_t ax = static_cast<size_t>(*axis);
  const std::vector<int64_t> strides = Strides(data->dims);
  std::vector<int64_t> idx;
  size_t k = 0;
  bool ok = true;
  ForEachCoord(indices->dims, [&](const std::vector<int64_t>& c) {
    auto i = IndexIn((*ind)[k++], data->dims[ax]);
    if (!i) {
      ok = false;
      return;
    }
    int64_t flat = 0;
    for (size_t d = 0; d < c.size(); ++d) flat += (d == ax ? *i : c[d]) * strides[d];
    idx.push_back(flat);
  });
  if (!ok) return ctx.Refuse("index out of range");
  ctx.SetOutputValue(0, Pick(*data, indices->dims, idx));
  return true;
}

bool GatherNDEval(OpContext& ctx) {
  const Value* data = ctx.input_value(0);
  const Value* indices = ctx.input_value(1);
  if (!data || !indices || indices->dims.empty()) return ctx.Refuse("an input is missing");
  auto ind = indices->Ints();
  const int64_t b = ctx.node().attr_int("batch_dims", 0);
  const int64_t last = indices->dims.back();
  const int64_t r = static_cast<int64_t>(data->dims.size());
  if (!ind || b < 0 || b + last > r || b >= static_cast<int64_t>(indices->dims.size())) {
    return ctx.Refuse("indices invalid");
  }
  // Output: indices.shape[:-1] + data.shape[b + last:]; batch dims index data and indices alike.
  std::vector<int64_t> dims(indices->dims.begin(), indices->dims.end() - 1);
  dims.insert(dims.end(), data->dims.begin() + b + last, data->dims.end());
  if (TooLarge(dims)) return ctx.Refuse("result larger than the evaluation cap");
  const std::vector<int64_t> strides = Strides(data->dims);
  const size_t lead = indices->dims.size() - 1;
  const std::vector<int64_t> lead_dims(indices->dims.begin(), indices->dims.end() - 1);
  const std::vector<int64_t> lead_strides = Strides(lead_dims);
  std::vector<int64_t> idx;
  bool ok = true;
  ForEachCoord(dims, [&](const std::vector<int64_t>& c) {
    int64_t tuple = 0;
    for (size_t d = 0; d < lead; ++d) tuple += c[d] * lead_strides[d];
    int64_t flat = 0;
    for (int64_t d = 0; d < b; ++d) flat += c[static_cast<size_t>(d)] * strides[d];
    for (int64_t j = 0; j < last; ++j) {
      const size_t axis = static_cast<size_t>(b + j);
      auto i = IndexIn((*ind)[static_cast<size_t>(tuple * last + j)], data->dims[axis]);
      if (!i) {
        ok = false;
        return;
      }
      flat += *i * strides[axis];
    }
    for (size_t d = static_cast<size_t>(b + last); d < data->dims.size(); ++d) {
      flat += c[lead + d - static_cast<size_t>(b + last)] * strides[d];
    }
    idx.push_back(flat);
  });
  if (!ok) return ctx.Refuse("index out of range");
  ctx.SetOutputValue(0, Pick(*data, std::move(dims), idx));
  return true;
}

// Writes update element u of `updates` into element k of `out` with the node's reduction.
bool ScatterOne(OpContext& ctx, Value& out, int64_t k, const Value& updates, size_t u,
                const std::string& reduction) {
  const size_t o = static_cast<size_t>(k);
  if (out.is_float()) {
    double& dst = out.floats[o];
    const double src = updates.floats[u];
    if (reduction == "add")
      dst += src;
    else if (reduction == "mul")
      dst *= src;
    else if (reduction == "max")
      dst = std::max(dst, src);
    else if (reduction == "min")
      dst = std::min(dst, src);
    else
      dst = src;
    dst = RoundToDType(out.dtype, dst);
    return true;
  }
  SymInt& dst = out.ints[o];
  const SymInt& src = updates.ints[u];
  if (reduction == "none") {
    dst = src;
    return true;
  }
  if (!dst.known || !src.known) return ctx.Refuse("an element is not known");
  int64_t v = dst.v;
  if (reduction == "add")
    v = static_cast<int64_t>(static_cast<uint64_t>(v) + static_cast<uint64_t>(src.v));
  else if (reduction == "mul")
    v = static_cast<int64_t>(static_cast<uint64_t>(v) * static_cast<uint64_t>(src.v));
  else if (reduction == "max")
    v = std::max(v, src.v);
  else if (reduction == "min")
    v = std::min(v, src.v);
  dst = SymInt::Of(WrapToDType(out.dtype, v));
  return true;
}

bool ScatterNDEval(OpContext& ctx) {
  const Value* data = ctx.input_value(0);
  const Value* indices = ctx.input_value(1);
  const Value* updates = ctx.input_value(2);
  if (!data || !indices || !updates || indices->dims.empty()) {
    return ctx.Refuse("an input is missing");
  }
  auto ind = indices->Ints();
  const int64_t last = indices->dims.back();
  if (!ind || last > static_cast<int64_t>(data->dims.size()) ||
      updates->is_float() != data->is_float()) {
    return ctx.Refuse("indices invalid");
  }
  const std::string reduction = ctx.node().attr_string("reduction", "none");
  const std::vector<int64_t> strides = Strides(data->dims);
  int64_t slice = 1;
  for (size_t d = static_cast<size_t>(last); d < data->dims.size(); ++d) slice *= data->dims[d];
  const int64_t tuples = last == 0 ? 0 : static_cast<int64_t>(ind->size()) / last;
  if (tuples * slice != updates->size()) return ctx.Refuse("updates do not match the indices");
  Value out = *data;
  for (int64_t t = 0; t < tuples; ++t) {
    int64_t base = 0;
    for (int64_t j = 0; j < last; ++j) {
      auto i = IndexIn((*ind)[static_cast<size_t>(t * last + j)], data->dims[j]);
      if (!i) return ctx.Refuse("index out of range");
      base += *i * strides[j];
    }
    for (int64_t s = 0; s < slice; ++s) {
      if (!ScatterOne(ctx, out, base + s, *updates, static_cast<size_t>(t * slice + s),
                      reduction)) {
        return false;
      }
    }
  }
  ctx.SetOutputValue(0, std::move(out));
  return true;
}

bool ScatterElementsEval(OpContext& ctx) {
  const Value* data = ctx.input_value(0);
  const Value* indices = ctx.input_value(1);
  const Value* updates = ctx.input_value(2);
  if (!data || !indices || !updates) return ctx.Refuse("an input is missing");
  const int64_t rank = static_cast<int64_t>(data->dims.size());
  auto axis = NormalizeAxis(ctx.node().attr_int("axis", 0), rank);
  auto ind = indices->Ints();
  if (!axis || !ind || indices->dims != updates->dims ||
      indices->dims.size() != data->dims.size() || updates->is_float() != data->is_float()) {
    return ctx.Refuse("axis or indices invalid");
  }
  const std::string reduction = ctx.node().attr_string("reduction", "none");
  const size_t ax = static_cast<size_t>(*axis);
  const std::vector<int64_t> strides = Strides(data->dims);
  Value out = *data;
  size_t k = 0;
  bool ok = true;
  ForEachCoord(indices->dims, [&](const std::vector<int64_t>& c) {
    if (!ok) return;
    auto i = IndexIn((*ind)[k], data->dims[ax]);
    if (!i) {
      ok = ctx.Refuse("index out of range");
      return;
    }
    int64_t flat = 0;
    for (size_t d = 0; d < c.size(); ++d) flat += (d == ax ? *i : c[d]) * strides[d];
    ok = ScatterOne(ctx, out, flat, *updates, k, reduction);
    ++k;
  });
  if (!ok) return false;
  ctx.SetOutputValue(0, std::move(out));
  return true;
}

bool NonZeroEval(OpContext& ctx) {
  const Value* x = ctx.input_value(0);
  if (!x) return ctx.Refuse("no input");
  if (!x->all_known()) return ctx.Refuse("an element is not known");
  // A scalar counts as a one-element vector (ONNX Runtime).
  const std::vector<int64_t> dims = x->dims.empty() ? std::vector<int64_t>{1} : x->dims;
  std::vector<std::vector<int64_t>> hits;
  size_t k = 0;
  ForEachCoord(dims, [&](const std::vector<int64_t>& c) {
    if (*x->AsDouble(k++) != 0) hits.push_back(c);
  });
  const int64_t n = static_cast<int64_t>(hits.size());
  Value r;
  r.dtype = DType::kInt64;
  r.dims = {static_cast<int64_t>(dims.size()), n};
  for (size_t d = 0; d < dims.size(); ++d) {
    for (const auto& h : hits) r.ints.push_back(SymInt::Of(h[d]));
  }
  ctx.SetOutputValue(0, std::move(r));
  return true;
}

bool TopKEval(OpContext& ctx) {
  const Value* x = ctx.input_value(0);
  if (!x || !x->all_known()) return ctx.Refuse("an element is not known");
  const int64_t rank = static_cast<int64_t>(x->dims.size());
  auto axis = NormalizeAxis(ctx.node().attr_int("axis", -1), rank);
  if (!axis) return ctx.Refuse("axis out of range");
  int64_t k = ctx.node().attr_int("k", -1);
  if (ctx.opset() >= 10) {
    const Value* kv = ctx.input_value(1);
    auto kk = kv && kv->size() == 1 ? kv->AsInt(0) : std::nullopt;
    if (!kk) return ctx.Refuse("k not known");
    k = *kk;
  }
  const size_t ax = static_cast<size_t>(*axis);
  const int64_t n = x->dims[ax];
  if (k < 0 || k > n) return ctx.Refuse("k out of range");
  const bool largest = ctx.node().attr_int("largest", 1) != 0;
  std::vector<int64_t> dims = x->dims;
  dims[ax] = k;
  const std::vector<int64_t> strides = Strides(x->dims);
  Value indices;
  indices.dtype = DType::kInt64;
  indices.dims = dims;
  std::vector<int64_t> outer_dims = x->dims;
  outer_dims[ax] = 1;
  // Output order is row-major over `dims`: collect the k picks of every line first.
  std::vector<std::vector<int64_t>> picks;
  ForEachCoord(outer_dims, [&](const std::vector<int64_t>& c) {
    const int64_t base = FlatIndex(c, strides);
    std::vector<int64_t> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    auto at = [&](int64_t i) { return *x->AsDouble(static_cast<size_t>(base + i * strides[ax])); };
    // Equal elements keep the lower index first (ONNX TopK); NaN counts as the largest.
    auto greater = [](double a, double b) {
      if (std::isnan(a)) return !std::isnan(b);
      return !std::isnan(b) && a > b;
    };
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
      return largest ? greater(at(a), at(b)) : greater(at(b), at(a));
    });
    order.resize(static_cast<size_t>(k));
    picks.push_back(std::move(order));
  });
  std::vector<int64_t> src;
  const std::vector<int64_t> outer_strides = Strides(outer_dims);
  ForEachCoord(dims, [&](const std::vector<int64_t>& c) {
    std::vector<int64_t> oc = c;
    oc[ax] = 0;
    const size_t l = static_cast<size_t>(FlatIndex(oc, outer_strides));
    const int64_t i = picks[l][static_cast<size_t>(c[ax])];
    std::vector<int64_t> xc = c;
    xc[ax] = i;
    src.push_back(FlatIndex(xc, strides));
    indices.ints.push_back(SymInt::Of(i));
  });
  ctx.SetOutputValue(0, Pick(*x, dims, src));
  ctx.SetOutputValue(1, std::move(indices));
  return true;
}

bool OneHotEval(OpContext& ctx) {
  const Value* indices = ctx.input_value(0);
  const Value* depth = ctx.input_value(1);
  const Value* values = ctx.input_value(2);
  if (!indices || !depth || !values || depth->size() != 1 || values->size() != 2 ||
      !indices->all_known()) {
    return ctx.Refuse("inputs not known");
  }
  auto dd = depth->AsDouble(0);
  if (!dd || *dd < 0) return ctx.Refuse("depth not known");
  const int64_t d = static_cast<int64_t>(*dd);
  const int64_t out_rank = static_cast<int64_t>(indices->dims.size()) + 1;
  auto axis = NormalizeAxis(ctx.node().attr_int("axis", -1), out_rank);
  if (!axis) return ctx.Refuse("axis out of range");
  std::vector<int64_t> dims = indices->dims;
  dims.insert(dims.begin() + *axis, d);
  if (TooLarge(dims)) return ctx.Refuse("result larger than the evaluation cap");
  const std::vector<int64_t> istrides = Strides(indices->dims);
  std::vector<int64_t> idx;
  ForEachCoord(dims, [&](const std::vector<int64_t>& c) {
    std::vector<int64_t> ic = c;
    ic.erase(ic.begin() + *axis);
    int64_t i =
        static_cast<int64_t>(*indices->AsDouble(static_cast<size_t>(FlatIndex(ic, istrides))));
    if (i < 0) i += d;
    idx.push_back(i == c[static_cast<size_t>(*axis)] ? 1 : 0);
  });
  ctx.SetOutputValue(0, Pick(*values, std::move(dims), idx));
  return true;
}

bool TriluEval(OpContext& ctx) {
  const Value* x = ctx.input_value(0);
  if (!x || x->dims.size() < 2) return ctx.Refuse("input must have rank 2 or more");
  int64_t k = 0;
  if (const Value* kv = ctx.input_value(1)) {
    auto kk = kv->size() == 1 ? kv->AsInt(0) : std::nullopt;
    if (!kk) return ctx.Refuse("k not known");
    k = *kk;
  }
  const bool upper = ctx.node().attr_int("upper", 1) != 0;
  Value r = *x;
  size_t at = 0;
  const size_t rank = x->dims.size();
  ForEachCoord(x->dims, [&](const std::vector<int64_t>& c) {
    const int64_t i = c[rank - 2], j = c[rank - 1];
    const bool keep = upper ? j - i >= k : j - i <= k;
    if (!keep) {
      if (r.is_float())
        r.floats[at] = 0;
      else
        r.ints[at] = SymInt::Of(0);
    }
    ++at;
  });
  ctx.SetOutputValue(0, std::move(r));
  return true;
}

bool CompressEval(OpContext& ctx) {
  const Value* x = ctx.input_value(0);
  const Value* cond = ctx.input_value(1);
  if (!x || !cond || !cond->all_known()) return ctx.Refuse("condition not known");
  const Attribute* axis_attr = ctx.node().attr("axis");
  Value flat = x->dims.size() == 1 || axis_attr ? *x : Redim(*x, {x->size()});
  size_t ax = 0;
  if (axis_attr) {
    auto a = NormalizeAxis(axis_attr->i, static_cast<int64_t>(x->dims.size()));
    if (!a) return ctx.Refuse("axis out of range");
    ax = static_cast<size_t>(*a);
  }
  std::vector<int64_t> keep;
  for (int64_t i = 0; i < flat.dims[ax] && i < cond->size(); ++i) {
    if (*cond->AsDouble(static_cast<size_t>(i)) != 0) keep.push_back(i);
  }
  std::vector<int64_t> dims = flat.dims;
  dims[ax] = static_cast<int64_t>(keep.size());
  const std::vector<int64_t> strides = Strides(flat.dims);
  std::vector<int64_t> idx;
  ForEachCoord(dims, [&](const std::vector<int64_t>& c) {
    std::vector<int64_t> src = c;
    src[ax] = keep[static_cast<size_t>(c[ax])];
    idx.push_back(FlatIndex(src, strides));
  });
  ctx.SetOutputValue(0, Pick(flat, std::move(dims), idx));
  return true;
}

bool EyeLikeEval(OpContext& ctx) {
  const Value* x = ctx.input_value(0);
  if (!x || x->dims.size() != 2) return ctx.Refuse("input must be 2-D");
  const DType dt = ctx.node().attr_dtype("dtype", x->dtype);
  if (!Evaluable(dt)) return ctx.Refuse("type not evaluated");
  const int64_t k = ctx.node().attr_int("k", 0);
  Value r;
  r.dtype = dt;
  r.dims = x->dims;
  ForEachCoord(x->dims, [&](const std::vector<int64_t>& c) {
    const bool one = c[1] - c[0] == k;
    if (r.is_float())
      r.floats.push_back(one);
    else
      r.ints.push_back(SymInt::Of(one));
  });
  ctx.SetOutputValue(0, std::move(r));
  return true;
}

}  // namespace

void RegisterIndexingEvaluators(Registry& r) {
  r.SetEvaluator("", "GatherElements", GatherElementsEval);
  r.SetEvaluator("", "GatherND", GatherNDEval);
  r.SetEvaluator("", "ScatterND", ScatterNDEval);
  r.SetEvaluator("", "ScatterElements", ScatterElementsEval);
  r.SetEvaluator("", "Scatter", ScatterElementsEval);
  r.SetEvaluator("", "NonZero", NonZeroEval);
  r.SetEvaluator("", "TopK", TopKEval);
  r.SetEvaluator("", "OneHot", OneHotEval);
  r.SetEvaluator("", "Trilu", TriluEval);
  r.SetEvaluator("", "Compress", CompressEval);
  r.SetEvaluator("", "EyeLike", EyeLikeEval);
}

}  // namespace tops
