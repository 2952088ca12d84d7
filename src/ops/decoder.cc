// ONNX Runtime contrib ops that decoder (LLM) exports use, with shapes as documented in
// onnxruntime's docs/ContribOperators.md: GroupQueryAttention, MultiHeadAttention, MatMulNBits,
// RotaryEmbedding, SimplifiedLayerNormalization, SkipSimplifiedLayerNormalization and MoE.
//
// Attention counts the two batched products of every head over every attended key, the same
// products a decomposed export (MatMul(Q, K^T), Softmax, MatMul(P, V)) is counted with, so a fused
// and a decomposed graph of one decoder give the same MACs: 2 * batch * seq * attended * heads *
// head_size. The causal mask is not discounted (the kernels compute the full tile); a
// local_window_size caps the attended keys. The past/present sequence axis is past + new tokens
// (BNSH layout); with a symbolic length the present dim is the symbol "past+seq".
#include <algorithm>

#include "core/checked.h"
#include "ops/registry.h"

namespace tops {
namespace {

constexpr const char* kMs = "com.microsoft";

// a + b for dims: known when both are, "a+b" when symbolic, unknown otherwise.
Dim AddDims(const Dim& a, const Dim& b) {
  if (a.known() && b.known()) return Dim::Known(CheckedAdd(a.value, b.value, "sequence length"));
  if (a.known() && a.value == 0) return b;
  if (b.known() && b.value == 0) return a;
  if ((a.known() || a.symbolic()) && (b.known() || b.symbolic())) {
    return Dim::Symbol(a.ToString() + "+" + b.ToString());
  }
  return Dim::Unknown();
}

// Sizes shared by the attention ops, read from the inputs and attributes.
struct AttnDims {
  Dim batch, seq;     // query [batch, seq, q_hidden]
  int64_t heads = 0;  // query heads
  int64_t kv_heads = 0;
  int64_t head_size = 0;    // query/key head size
  int64_t v_head_size = 0;  // value head size
  Dim past;                 // cached keys before this call (0 when there is no past input)
  Dim kv_seq;               // new keys in this call
};

// GroupQueryAttention: query [B, S, N*H] or packed [B, S, (N + 2*Nkv)*H]; key/value
// [B, S, Nkv*H]; past_key/past_value [B, Nkv, P, H].
std::optional<AttnDims> ReadGqa(const OpContext& ctx) {
  const Shape* q = ctx.input_shape(0);
  if (!q || q->rank() != 3 || !q->dims[2].known()) return std::nullopt;
  AttnDims d;
  d.heads = ctx.node().attr_int("num_heads", 0);
  d.kv_heads = ctx.node().attr_int("kv_num_heads", 0);
  if (d.heads <= 0 || d.kv_heads <= 0) return std::nullopt;
  d.batch = q->dims[0];
  d.seq = q->dims[1];
  d.kv_seq = q->dims[1];
  const bool packed = ctx.input(1) == nullptr;
  const int64_t width = q->dims[2].value;
  const int64_t units = packed ? d.heads + 2 * d.kv_heads : d.heads;
  if (width % units != 0) return std::nullopt;
  d.head_size = d.v_head_size = width / units;
  d.past = Dim::Known(0);
  if (const Shape* past = ctx.input_shape(3); past && past->rank() == 4) d.past = past->dims[2];
  return d;
}

// MultiHeadAttention: query [B, S, N*H]; key [B, L, N*H] or [B, N, L, H]; value [B, L, N*Hv] or
// [B, N, L, Hv]; past_key [B, N, P, H] (inputs 6 and 7).
std::optional<AttnDims> ReadMha(const OpContext& ctx) {
  const Shape* q = ctx.input_shape(0);
  const Shape* k = ctx.input_shape(1);
  const Shape* v = ctx.input_shape(2);
  if (!q || q->rank() != 3 || !q->dims[2].known()) return std::nullopt;
  AttnDims d;
  d.heads = d.kv_heads = ctx.node().attr_int("num_heads", 0);
  if (d.heads <= 0 || q->dims[2].value % d.heads != 0) return std::nullopt;
  d.batch = q->dims[0];
  d.seq = q->dims[1];
  d.head_size = q->dims[2].value / d.heads;
  d.v_head_size = d.head_size;
  d.kv_seq = d.seq;
  if (k && k->rank() == 3) d.kv_seq = k->dims[1];
  if (k && k->rank() == 4) d.kv_seq = k->dims[2];
  if (v && v->rank() == 3 && v->dims[2].known()) d.v_head_size = v->dims[2].value / d.heads;
  if (v && v->rank() == 4 && v->dims[3].known()) d.v_head_size = v->dims[3].value;
  d.past = Dim::Known(0);
  if (const Shape* past = ctx.input_shape(6); past && past->rank() == 4) d.past = past->dims[2];
  // A 4-D key is already the whole cache (cross attention): no new keys are appended.
  if (k && k->rank() == 4) d.past = Dim::Known(0);
  return d;
}

void AttentionOutputs(OpContext& ctx, const AttnDims& d, DType dt, size_t past_index) {
  ctx.SetOutput(0, dt, Shape::Of({d.batch, d.seq, Dim::Known(d.heads * d.v_head_size)}));
  Dim total = AddDims(d.past, d.kv_seq);
  const Shape* past = ctx.input_shape(past_index);
  const DType cache_dt = past ? ctx.input_dtype(past_index) : dt;
  if (ctx.num_outputs() > 1) {
    ctx.SetOutput(1, cache_dt,
                  Shape::Of({d.batch, Dim::Known(d.kv_heads), total, Dim::Known(d.head_size)}));
  }
  if (ctx.num_outputs() > 2) {
    ctx.SetOutput(2, cache_dt,
                  Shape::Of({d.batch, Dim::Known(d.kv_heads), total, Dim::Known(d.v_head_size)}));
  }
}

// MACs of the two products over `attended` keys per query, and the per-score work: scale (1),
// softmax (5), and 3 more for a tanh soft-cap.
Cost AttentionCost(const AttnDims& d, int64_t window, bool softcap, int64_t rotary_elems) {
  if (!d.batch.known() || !d.seq.known() || !d.past.known() || !d.kv_seq.known()) {
    return Cost::Unknown();
  }
  int64_t attended = CheckedAdd(d.past.value, d.kv_seq.value, "sequence length");
  if (window > 0) attended = std::min(attended, window);
  const int64_t rows = CheckedMul(d.batch.value, d.seq.value, "MACs");
  const int64_t scores = CheckedMul(CheckedMul(rows, attended, "MACs"), d.heads, "MACs");
  const int64_t macs = CheckedMul(scores, d.head_size + d.v_head_size, "MACs");
  int64_t other = CheckedMul(scores, softcap ? 9 : 6, "ops");
  other = CheckedAdd(other, CheckedMul(rotary_elems, 3, "ops"), "ops");
  return Cost{macs, other};
}

void GqaShape(OpContext& ctx) {
  if (auto d = ReadGqa(ctx)) AttentionOutputs(ctx, *d, ctx.input_dtype(0), 3);
}

Cost GqaCost(const OpContext& ctx) {
  auto d = ReadGqa(ctx);
  if (!d) return Cost::Unknown();
  int64_t rotary = 0;  // do_rotary rotates the new queries and keys
  if (ctx.node().attr_int("do_rotary", 0) != 0 && d->batch.known() && d->seq.known()) {
    rotary = CheckedMul(CheckedMul(d->batch.value, d->seq.value, "ops"),
                        (d->heads + d->kv_heads) * d->head_size, "ops");
  }
  return AttentionCost(*d, ctx.node().attr_int("local_window_size", -1),
                       ctx.node().attr_float("softcap", 0) > 0, rotary);
}

void MhaShape(OpContext& ctx) {
  if (auto d = ReadMha(ctx)) AttentionOutputs(ctx, *d, ctx.input_dtype(0), 6);
}

Cost MhaCost(const OpContext& ctx) {
  auto d = ReadMha(ctx);
  if (!d) return Cost::Unknown();
  return AttentionCost(*d, -1, false, 0);
}

// MatMulNBits: A [..., K] times B stored as [N, k_blocks, blob] of `bits`-bit blocks, with
// scales and optional zero points per block; Y [..., N]. K and N are attributes.
void MatMulNBitsShape(OpContext& ctx) {
  const Shape* a = ctx.input_shape(0);
  const int64_t k = ctx.node().attr_int("K", 0), n = ctx.node().attr_int("N", 0);
  if (!a || a->rank() == 0 || k <= 0 || n <= 0) return;
  const Dim& ka = a->dims.back();
  if (ka.known() && ka.value != k) {
    ctx.Diag("MatMulNBits: input's last dim " + ka.ToString() + " is not K=" + std::to_string(k));
    return;
  }
  std::vector<Dim> out = a->dims;
  out.back() = Dim::Known(n);
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

Cost MatMulNBitsCost(const OpContext& ctx) {
  auto out = OutputElems(ctx);
  const int64_t k = ctx.node().attr_int("K", 0), n = ctx.node().attr_int("N", 0);
  if (!out || k <= 0 || n <= 0) return Cost::Unknown();
  // Every weight is dequantised once per call (subtract zero point, multiply by scale).
  int64_t other = CheckedMul(CheckedMul(k, n, "ops"), 2, "ops");
  if (ctx.input(5)) other = CheckedAdd(other, *out, "ops");  // bias
  return Cost{CheckedMul(*out, k, "MACs"), other};
}

// RotaryEmbedding: input [B, S, N*H] (num_heads attribute) or [B, N, S, H]; the first
// rotary_embedding_dim of each head are rotated (x*cos + rotate(x)*sin: 3 ops per element).
Cost RotaryCost(const OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  auto elems = OutputElems(ctx);
  if (!x || !elems) return Cost::Unknown();
  int64_t head = 0;
  if (x->rank() == 4 && x->dims[3].known()) head = x->dims[3].value;
  const int64_t heads = ctx.node().attr_int("num_heads", 0);
  if (x->rank() == 3 && heads > 0 && x->dims[2].known()) head = x->dims[2].value / heads;
  if (head <= 0) return Cost{0, CheckedMul(*elems, 3, "ops")};
  const int64_t rot = std::min(head, ctx.node().attr_int("rotary_embedding_dim", head));
  return Cost{0, CheckedMul(*elems / head, 3 * std::max<int64_t>(rot, 0), "ops")};
}

// SimplifiedLayerNormalization (RMSNorm): Y = X / sqrt(mean(X^2) + eps) * scale over the axes
// from `axis`; optional inv_std_var output has 1s there.
void SimplifiedNormShape(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x) return;
  ctx.SetOutput(0, x->dtype, x->shape);
  if (!x->shape.rank_known || ctx.num_outputs() < 2) return;
  const int64_t rank = static_cast<int64_t>(x->shape.rank());
  auto axis = NormalizeAxis(ctx.node().attr_int("axis", -1), rank);
  if (!axis) return;
  std::vector<Dim> stat(x->shape.dims.begin(), x->shape.dims.begin() + *axis);
  stat.resize(static_cast<size_t>(rank), Dim::Known(1));
  ctx.SetOutput(1, DType::kFloat, Shape::Of(stat));
}

// MoE: input [rows, hidden] (or [B, S, hidden]), router_probs [rows, experts], expert weights
// fc1 [E, ...], fc2 [E, ...], optional fc3 [E, ...] (gated MLP). Each token runs k experts.
Cost MoeCost(const OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  const Shape* router = ctx.input_shape(1);
  if (!x || x->rank() < 2 || !x->fully_known() || !router || router->rank() < 1) {
    return Cost::Unknown();
  }
  const Dim& experts = router->dims.back();
  const int64_t k = ctx.node().attr_int("k", 1);
  if (!experts.known() || experts.value <= 0 || k <= 0) return Cost::Unknown();
  const int64_t rows = *x->elems() / x->dims.back().value;
  int64_t per_expert = 0;
  for (size_t i : {2, 4, 6}) {
    if (!ctx.input(i)) continue;
    auto e = InputElems(ctx, i);
    if (!e) return Cost::Unknown();
    per_expert = CheckedAdd(per_expert, *e / experts.value, "MACs");
  }
  const int64_t macs = CheckedMul(CheckedMul(rows, k, "MACs"), per_expert, "MACs");
  // Routing (top-k over the expert scores) and the weighted sum of the k expert outputs.
  const int64_t other =
      CheckedAdd(CheckedMul(rows, experts.value, "ops"),
                 CheckedMul(CheckedMul(rows, k, "ops"), x->dims.back().value, "ops"), "ops");
  return Cost{macs, other};
}

}  // namespace

void RegisterDecoderOps(Registry& r) {
  auto per = [](int64_t k) { return [k](const OpContext& c) { return PerOutputElement(c, k); }; };
  r.Add({kMs, "GroupQueryAttention", "decoder",
         "MACs = 2 * b * s * t * heads * head_size, t = past + s (capped by local_window_size); "
         "other = 6 (9 with softcap) per score + 3 per rotated element",
         GqaShape, GqaCost});
  r.Add({kMs, "MultiHeadAttention", "decoder",
         "MACs = b * s * t * heads * (head_size + v_head_size), t = past + kv_seq; other = 6 per "
         "score",
         MhaShape, MhaCost});
  using O = Operand;
  // A, packed 4-bit B, scales, zero points, g_idx, bias; the products run at A's precision.
  r.Add({kMs, "MatMulNBits", "decoder",
         "MACs = out_elems * K; other = 2 * K * N (dequantise each weight) + bias",
         MatMulNBitsShape, MatMulNBitsCost},
        OpTraits{{O::kData, O::kWeight, O::kScale, O::kZeroPoint, O::kParam, O::kBias},
                 Layout::kChannelsLast});
  r.Add({kMs, "RotaryEmbedding", "decoder", "other = 3 * rotated elements (x*cos + rotate(x)*sin)",
         SameShapeAsInput, RotaryCost});
  r.Add({"", "SimplifiedLayerNormalization", "decoder",
         "other = 4 * out_elems (square, mean, normalise, scale)", SimplifiedNormShape, per(4)});
  r.Add({kMs, "SimplifiedLayerNormalization", "decoder",
         "other = 4 * out_elems (square, mean, normalise, scale)", SimplifiedNormShape, per(4)});
  r.Add({kMs, "SkipSimplifiedLayerNormalization", "decoder",
         "other = 5 * out_elems (skip add, 4 for RMS norm), 6 with the optional bias",
         SkipNormShape,
         [](const OpContext& c) { return PerOutputElement(c, c.input(3) ? 6 : 5); }});
  r.Add({kMs, "MoE", "decoder",
         "MACs = rows * k * (fc1 + fc2 + fc3 elements per expert); other = rows * (experts + k * "
         "hidden)",
         SameShapeAsInput, MoeCost},
        OpTraits{
            {O::kData, O::kData, O::kWeight, O::kBias, O::kWeight, O::kBias, O::kWeight, O::kBias},
            Layout::kChannelsLast});
}

}  // namespace tops
