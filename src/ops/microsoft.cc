// com.microsoft contrib ops that ONNX Runtime's optimisers and quantisation tools emit, as
// documented in onnxruntime's docs/ContribOperators.md. MACs follow the float forms (Gemm,
// Conv, MatMul); Attention counts its QKV projection plus the two batched products
// (Q K^T and softmax(.) V) per head.
#include "core/checked.h"
#include "ops/registry.h"

namespace tops {

// SkipLayerNormalization (input, skip, gamma, beta, bias) and its simplified form: outputs
// output, mean, inv_std_var, input_skip_bias_sum.
void SkipNormShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x) return;
  ctx.SetOutput(0, x->dtype, x->shape);
  if (ctx.num_outputs() > 3) ctx.SetOutput(3, x->dtype, x->shape);
  if (!x->shape.rank_known || x->shape.rank() == 0) return;
  std::vector<Dim> stat = x->shape.dims;
  stat.back() = Dim::Known(1);
  for (size_t i = 1; i < 3 && i < ctx.num_outputs(); ++i) {
    ctx.SetOutput(i, DType::kFloat, Shape::Of(stat));
  }
}

namespace {

constexpr const char* kMs = "com.microsoft";

// Gemm-shaped ops with A at a_index and B at b_index: [M, N] after transA/transB.
void GemmLikeShape(OpContext& ctx, size_t a_index, size_t b_index, DType dt) {
  const Shape* a = ctx.input_shape(a_index);
  const Shape* b = ctx.input_shape(b_index);
  if (!a || !b || a->rank() != 2 || b->rank() != 2) return;
  const bool ta = ctx.node().attr_int("transA", 0) != 0;
  const bool tb = ctx.node().attr_int("transB", 0) != 0;
  ctx.SetOutput(0, dt, Shape::Of({ta ? a->dims[1] : a->dims[0], tb ? b->dims[0] : b->dims[1]}));
}

Cost GemmLikeCost(const OpContext& ctx, size_t a_index, int64_t per_out) {
  const Shape* a = ctx.input_shape(a_index);
  auto out = OutputElems(ctx);
  if (!a || a->rank() != 2 || !out) return Cost::Unknown();
  const Dim& k = ctx.node().attr_int("transA", 0) ? a->dims[0] : a->dims[1];
  if (!k.known()) return Cost::Unknown();
  return Cost{CheckedMul(*out, k.value, "MACs"), CheckedMul(*out, per_out, "ops")};
}

// QGemm: A, a_scale, a_zero_point, B, b_scale, b_zero_point, C, y_scale, y_zero_point.
void QGemmShape(OpContext& ctx) {
  GemmLikeShape(ctx, 0, 3, ctx.input(8) ? ctx.input_dtype(8) : DType::kFloat);
}

// QLinear binaries: A, A_scale, A_zero_point, B, B_scale, B_zero_point, C_scale, C_zero_point.
void QLinearBinaryShape(OpContext& ctx) {
  const Shape* a = ctx.input_shape(0);
  const Shape* b = ctx.input_shape(3);
  if (!a || !b) return;
  auto out = BroadcastShapes(*a, *b);
  if (!out) {
    ctx.Diag("inputs do not broadcast");
    return;
  }
  ctx.SetOutput(0, ctx.input_dtype(0), *out);
}

void FusedMatMulShape(OpContext& ctx) {
  const Shape* a = ctx.input_shape(0);
  const Shape* b = ctx.input_shape(1);
  if (!a || !b || a->rank() < 2 || b->rank() < 2)
    return MatMulLikeShape(ctx, 0, 1, ctx.input_dtype(0));
  // transA/transB swap the last two dims before the product.
  Shape sa = *a, sb = *b;
  if (ctx.node().attr_int("transA", 0)) std::swap(sa.dims[sa.rank() - 1], sa.dims[sa.rank() - 2]);
  if (ctx.node().attr_int("transB", 0)) std::swap(sb.dims[sb.rank() - 1], sb.dims[sb.rank() - 2]);
  auto batch = BroadcastShapes(Shape::Of({sa.dims.begin(), sa.dims.end() - 2}),
                               Shape::Of({sb.dims.begin(), sb.dims.end() - 2}));
  if (!batch) return;
  std::vector<Dim> out = batch->dims;
  out.push_back(sa.dims[sa.rank() - 2]);
  out.push_back(sb.dims[sb.rank() - 1]);
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

Cost FusedMatMulCost(const OpContext& ctx) {
  const Shape* a = ctx.input_shape(0);
  auto out = OutputElems(ctx);
  if (!a || a->rank() < 2 || !out) return Cost::Unknown();
  const Dim& k = a->dims[a->rank() - (ctx.node().attr_int("transA", 0) ? 2 : 1)];
  if (!k.known()) return Cost::Unknown();
  return Cost{CheckedMul(*out, k.value, "MACs"), 0};
}

// Attention: input [batch, seq, in_hidden], weights [in_hidden, q + k + v], bias, mask, past.
struct AttentionDims {
  int64_t batch, seq, in_hidden, q, k, v, heads, past;
};

std::optional<AttentionDims> ReadAttention(const OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  const Shape* w = ctx.input_shape(1);
  if (!x || !w || x->rank() != 3 || w->rank() != 2 || !x->fully_known() || !w->fully_known()) {
    return std::nullopt;
  }
  AttentionDims d{x->dims[0].value,
                  x->dims[1].value,
                  x->dims[2].value,
                  0,
                  0,
                  0,
                  ctx.node().attr_int("num_heads", 1),
                  0};
  if (auto sizes = ctx.node().attr_ints("qkv_hidden_sizes"); sizes && sizes->size() == 3) {
    d.q = (*sizes)[0];
    d.k = (*sizes)[1];
    d.v = (*sizes)[2];
  } else {
    d.q = d.k = d.v = w->dims[1].value / 3;
  }
  if (const Shape* past = ctx.input_shape(4); past && past->rank() == 5 && past->dims[3].known()) {
    d.past = past->dims[3].value;
  }
  if (d.heads <= 0) return std::nullopt;
  return d;
}

void AttentionShape(OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x || x->rank() != 3) return;
  auto d = ReadAttention(ctx);
  Dim v = d ? Dim::Known(d->v) : Dim::Unknown();
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of({x->dims[0], x->dims[1], v}));
  if (d && ctx.num_outputs() > 1) {  // present: [2, batch, heads, past + seq, head_size]
    ctx.SetOutput(1, ctx.input_dtype(0),
                  Shape::Known({2, d->batch, d->heads, d->past + d->seq, d->k / d->heads}));
  }
}

Cost AttentionCost(const OpContext& ctx) {
  auto d = ReadAttention(ctx);
  if (!d) return Cost::Unknown();
  const int64_t rows = CheckedMul(d->batch, d->seq, "MACs");
  const int64_t total = d->past + d->seq;
  const int64_t proj =
      CheckedMul(CheckedMul(rows, d->in_hidden, "MACs"), d->q + d->k + d->v, "MACs");
  // Per head: Q K^T is seq x total x head_q; scores x V is seq x total x head_v. Summed over
  // heads the head sizes add up to q and v.
  const int64_t scores = CheckedMul(CheckedMul(rows, total, "MACs"), d->q + d->v, "MACs");
  const int64_t score_elems = CheckedMul(CheckedMul(rows, total, "ops"), d->heads, "ops");
  // bias adds on the projection, scaling + softmax (5) on the scores
  const int64_t other = CheckedAdd(CheckedMul(rows, d->q + d->k + d->v, "ops"),
                                   CheckedMul(score_elems, 6, "ops"), "ops");
  return Cost{CheckedAdd(proj, scores, "MACs"), other};
}

// EmbedLayerNormalization: input_ids [batch, seq], ..., word_embedding [vocab, hidden];
// output [batch, seq, hidden] and mask_index [batch].
void EmbedLayerNormShape(OpContext& ctx) {
  const Shape* ids = ctx.input_shape(0);
  const Shape* word = ctx.input_shape(2);
  if (!ids || ids->rank() != 2) return;
  Dim hidden = word && word->rank() == 2 ? word->dims[1] : Dim::Unknown();
  ctx.SetOutput(0, ctx.input_dtype(2), Shape::Of({ids->dims[0], ids->dims[1], hidden}));
  ctx.SetOutput(1, DType::kInt32, Shape::Of({ids->dims[0]}));
}

}  // namespace

void RegisterMicrosoftOps(Registry& r) {
  using O = Operand;
  // com.microsoft contrib op spec input orders (onnxruntime docs/ContribOperators.md).
  const OpTraits qgemm{{O::kData, O::kScale, O::kZeroPoint, O::kWeight, O::kScale, O::kZeroPoint,
                        O::kBias, O::kScale, O::kZeroPoint},
                       Layout::kChannelsLast,
                       false,
                       QuantRole::kInteger};
  const OpTraits qbinary{{O::kData, O::kScale, O::kZeroPoint, O::kData, O::kScale, O::kZeroPoint,
                          O::kScale, O::kZeroPoint},
                         Layout::kAny,
                         false,
                         QuantRole::kInteger};
  auto per = [](int64_t k) { return [k](const OpContext& c) { return PerOutputElement(c, k); }; };
  r.Add({kMs, "QGemm", "microsoft", "MACs = M * N * K; other = 3 * out_elems (requantise)",
         QGemmShape, [](const OpContext& c) { return GemmLikeCost(c, 0, 3); }},
        qgemm);
  r.Add({kMs, "QLinearAdd", "microsoft", "other = 5 * out_elems (dequantise both, add, requantise)",
         QLinearBinaryShape, per(5)},
        qbinary);
  r.Add({kMs, "QLinearMul", "microsoft", "other = 5 * out_elems (dequantise both, mul, requantise)",
         QLinearBinaryShape, per(5)},
        qbinary);
  r.Add({kMs, "FusedConv", "microsoft",
         "MACs = out_elems * Cin/group * prod(kernel); other = out_elems * (1 bias + 1 activation)",
         [](OpContext& c) { ConvLikeShape(c, 0, 1, c.input_dtype(0)); },
         [](const OpContext& c) {
           auto macs = ConvLikeMacs(c, 1);
           auto out = OutputElems(c);
           if (!macs || !out) return Cost::Unknown();
           return Cost{*macs, CheckedMul(*out, c.input(2) ? 2 : 1, "ops"), ConvLikeGeometry(c, 1)};
         }},
        ConvTraits());
  r.Add(
      {kMs, "FusedGemm", "microsoft", "MACs = M * N * K; other = 2 * out_elems (bias, activation)",
       [](OpContext& c) { GemmLikeShape(c, 0, 1, c.input_dtype(0)); },
       [](const OpContext& c) { return GemmLikeCost(c, 0, 2); }},
      GemmTraits());
  r.Add(
      {kMs, "FusedMatMul", "microsoft", "MACs = out_elems * K (transA/transB on the last two dims)",
       FusedMatMulShape, FusedMatMulCost},
      MatMulTraits());
  r.Add({kMs, "Attention", "microsoft",
         "MACs = b*s*in*(q+k+v) + b*s*(past+s)*(q+v); other = b*s*(q+k+v) + 6*b*heads*s*(past+s)",
         AttentionShape, AttentionCost});
  r.Add({kMs, "SkipLayerNormalization", "microsoft",
         "other = 9 * out_elems (skip add, bias add, 7 for layer norm)", SkipNormShape, per(9)});
  r.Add({kMs, "EmbedLayerNormalization", "microsoft",
         "other = 9 * out_elems (embedding sums, 7 for layer norm)", EmbedLayerNormShape, per(9)});
  r.Add({kMs, "BiasGelu", "microsoft", "other = 7 * out_elems (bias add, 6 for Gelu)",
         SameShapeAsInput, per(7)});
  r.Add({kMs, "FastGelu", "microsoft",
         "other = 9 * out_elems (bias add, tanh approximation 0.5x(1+tanh(...)))", SameShapeAsInput,
         per(9)});
  r.Add({kMs, "Gelu", "microsoft", "other = 6 * out_elems (0.5*x*(1+erf(x/sqrt2)))",
         SameShapeAsInput, per(6)});
  r.Add({kMs, "QuickGelu", "microsoft", "other = 5 * out_elems (x * sigmoid(alpha * x))",
         SameShapeAsInput, per(5)});
}

}  // namespace tops
