// Matrix products. MACs = out_elems * K (the reduction length), the convention of torchinfo,
// thop and ONNX Runtime's profilers; Gemm's C input adds one op per output element (bias), and
// alpha/beta scaling is not counted (exporters leave them at 1).
#include <algorithm>
#include <cctype>
#include <map>

#include "core/checked.h"
#include "ops/registry.h"

namespace tops {

std::optional<Shape> MatMulOutputShape(const OpContext& ctx, const Shape& a, const Shape& b) {
  if (a.rank() == 0 || b.rank() == 0) {
    ctx.Diag("MatMul inputs must not be scalars");
    return std::nullopt;
  }
  // numpy.matmul: 1-D operands are promoted and the added dim removed afterwards.
  Shape sa = a, sb = b;
  const bool a_vec = sa.rank() == 1, b_vec = sb.rank() == 1;
  if (a_vec) sa.dims.insert(sa.dims.begin(), Dim::Known(1));
  if (b_vec) sb.dims.push_back(Dim::Known(1));
  Shape batch_a = Shape::Of({sa.dims.begin(), sa.dims.end() - 2});
  Shape batch_b = Shape::Of({sb.dims.begin(), sb.dims.end() - 2});
  auto batch = BroadcastShapes(batch_a, batch_b);
  if (!batch) {
    ctx.Diag("MatMul batch dims do not broadcast: " + a.ToString() + " x " + b.ToString());
    return std::nullopt;
  }
  const Dim& ka = sa.dims[sa.rank() - 1];
  const Dim& kb = sb.dims[sb.rank() - 2];
  if (ka.known() && kb.known() && ka.value != kb.value) {
    ctx.Diag("MatMul inner dims differ: " + a.ToString() + " x " + b.ToString());
    return std::nullopt;
  }
  std::vector<Dim> out = batch->dims;
  if (!a_vec) out.push_back(sa.dims[sa.rank() - 2]);
  if (!b_vec) out.push_back(sb.dims[sb.rank() - 1]);
  return Shape::Of(std::move(out));
}

void MatMulLikeShape(OpContext& ctx, size_t a_index, size_t b_index, DType out_dtype) {
  const Shape* a = ctx.input_shape(a_index);
  const Shape* b = ctx.input_shape(b_index);
  if (!a || !b) return;
  if (auto out = MatMulOutputShape(ctx, *a, *b)) ctx.SetOutput(0, out_dtype, std::move(*out));
}

std::optional<int64_t> MatMulLikeMacs(const OpContext& ctx, size_t a_index) {
  const Shape* a = ctx.input_shape(a_index);
  auto out = OutputElems(ctx);
  if (!a || a->rank() == 0 || !out) return std::nullopt;
  const Dim& k = a->dims[a->rank() - 1];
  if (!k.known()) return std::nullopt;
  return CheckedMul(*out, k.value, "MACs");
}

namespace {

void GemmShape(OpContext& ctx) {
  const Shape* a = ctx.input_shape(0);
  const Shape* b = ctx.input_shape(1);
  if (!a || !b) return;
  if (a->rank() != 2 || b->rank() != 2) {
    ctx.Diag("Gemm inputs must be 2-D, got " + a->ToString() + " and " + b->ToString());
    return;
  }
  const bool ta = ctx.node().attr_int("transA", 0) != 0;
  const bool tb = ctx.node().attr_int("transB", 0) != 0;
  Dim m = ta ? a->dims[1] : a->dims[0];
  Dim n = tb ? b->dims[0] : b->dims[1];
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of({m, n}));
}

Cost GemmCost(const OpContext& ctx) {
  const Shape* a = ctx.input_shape(0);
  auto out = OutputElems(ctx);
  if (!a || a->rank() != 2 || !out) return Cost::Unknown();
  const Dim& k = ctx.node().attr_int("transA", 0) ? a->dims[0] : a->dims[1];
  if (!k.known()) return Cost::Unknown();
  return Cost{CheckedMul(*out, k.value, "MACs"), ctx.input(2) ? *out : 0};
}

void MatMulShape(OpContext& ctx) { MatMulLikeShape(ctx, 0, 1, ctx.input_dtype(0)); }

Cost MatMulCost(const OpContext& ctx) {
  auto macs = MatMulLikeMacs(ctx, 0);
  if (!macs) return Cost::Unknown();
  return Cost{*macs, 0};
}

// Einsum (ONNX Einsum-12): one label per axis, "..." for broadcast dims; the output is the
// explicit right-hand side or, implicitly, the labels used once in alphabetical order.
struct EinsumSpec {
  std::vector<std::string> terms;  // one per input; '.' stands for the ellipsis
  std::string out;
  bool explicit_out = false;
};

std::optional<EinsumSpec> ParseEinsum(std::string eq) {
  eq.erase(std::remove(eq.begin(), eq.end(), ' '), eq.end());
  EinsumSpec spec;
  auto arrow = eq.find("->");
  std::string lhs = eq.substr(0, arrow);
  if (arrow != std::string::npos) {
    spec.explicit_out = true;
    spec.out = eq.substr(arrow + 2);
  }
  auto squash = [](std::string t) -> std::optional<std::string> {
    const auto e = t.find("...");
    if (e != std::string::npos) t.replace(e, 3, ".");
    for (char c : t) {
      if (c != '.' && !std::isalpha(static_cast<unsigned char>(c))) return std::nullopt;
    }
    return t;
  };
  size_t start = 0;
  while (true) {
    const size_t comma = lhs.find(',', start);
    auto t = squash(lhs.substr(start, comma == std::string::npos ? comma : comma - start));
    if (!t) return std::nullopt;
    spec.terms.push_back(*t);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (spec.explicit_out) {
    auto o = squash(spec.out);
    if (!o) return std::nullopt;
    spec.out = *o;
  } else {
    std::map<char, int> count;
    bool ellipsis = false;
    for (const auto& t : spec.terms) {
      for (char c : t) {
        if (c == '.')
          ellipsis = true;
        else
          ++count[c];
      }
    }
    if (ellipsis) spec.out = ".";
    for (const auto& [c, n] : count) {
      if (n == 1) spec.out.push_back(c);
    }
  }
  return spec;
}

struct EinsumDims {
  std::map<char, Dim> label;
  Shape ellipsis = Shape::Of({});
};

std::optional<EinsumDims> BindEinsum(const OpContext& ctx, const EinsumSpec& spec) {
  EinsumDims d;
  if (spec.terms.size() != ctx.num_inputs()) return std::nullopt;
  for (size_t i = 0; i < spec.terms.size(); ++i) {
    const Shape* s = ctx.input_shape(i);
    if (!s) return std::nullopt;
    const std::string& t = spec.terms[i];
    const bool has_ellipsis = t.find('.') != std::string::npos;
    const size_t named = t.size() - (has_ellipsis ? 1 : 0);
    if (s->rank() < named || (!has_ellipsis && s->rank() != named)) return std::nullopt;
    const size_t span = s->rank() - named;  // dims covered by the ellipsis
    size_t axis = 0;
    for (char c : t) {
      if (c == '.') {
        Shape e = Shape::Of({s->dims.begin() + axis, s->dims.begin() + axis + span});
        auto b = BroadcastShapes(d.ellipsis, e);
        if (!b) return std::nullopt;
        d.ellipsis = *b;
        axis += span;
        continue;
      }
      const Dim& dim = s->dims[axis++];
      auto it = d.label.find(c);
      if (it == d.label.end() || (!it->second.known() && dim.known()) ||
          (it->second.known() && it->second.value == 1)) {
        d.label[c] = dim;  // a size-1 axis broadcasts against the other operands
      }
    }
  }
  return d;
}

void EinsumShape(OpContext& ctx) {
  auto spec = ParseEinsum(ctx.node().attr_string("equation", ""));
  if (!spec) {
    ctx.Diag("Einsum equation not understood");
    return;
  }
  auto d = BindEinsum(ctx, *spec);
  if (!d) return;
  std::vector<Dim> out;
  for (char c : spec->out) {
    if (c == '.') {
      out.insert(out.end(), d->ellipsis.dims.begin(), d->ellipsis.dims.end());
    } else if (auto it = d->label.find(c); it != d->label.end()) {
      out.push_back(it->second);
    } else {
      ctx.Diag(std::string("Einsum output label '") + c + "' is not in any input");
      return;
    }
  }
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

// Every combination of index values is visited once per product of the operands:
// MACs = (inputs - 1) * prod(size of each distinct label, ellipsis dims included); a single
// operand reduced over some labels costs one add per visited element instead.
Cost EinsumCost(const OpContext& ctx) {
  auto spec = ParseEinsum(ctx.node().attr_string("equation", ""));
  if (!spec) return Cost::Unknown();
  auto d = BindEinsum(ctx, *spec);
  if (!d) return Cost::Unknown();
  int64_t visits = 1;
  for (const auto& [c, dim] : d->label) {
    if (!dim.known()) return Cost::Unknown();
    visits = CheckedMul(visits, dim.value, "MACs");
  }
  auto e = d->ellipsis.elems();
  if (!e) return Cost::Unknown();
  visits = CheckedMul(visits, *e, "MACs");
  const int64_t n = static_cast<int64_t>(ctx.num_inputs());
  if (n >= 2) return Cost{CheckedMul(visits, n - 1, "MACs"), 0};
  auto out = OutputElems(ctx);
  if (!out) return Cost::Unknown();
  return Cost{0, visits == *out ? 0 : visits};
}

}  // namespace

void RegisterMatMulOps(Registry& r) {
  r.Add({"", "Gemm", "matmul", "MACs = out_elems * K; other = out_elems if C (bias) is given",
         GemmShape, GemmCost},
        GemmTraits());
  r.Add({"", "MatMul", "matmul", "MACs = out_elems * K (batched, numpy broadcasting)", MatMulShape,
         MatMulCost},
        MatMulTraits());
  r.Add({"", "Einsum", "matmul",
         "MACs = (inputs - 1) * prod(size of every distinct index); one input: other = visits",
         EinsumShape, EinsumCost});
}

}  // namespace tops
