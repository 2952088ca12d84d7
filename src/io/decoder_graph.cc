// Builds the decoder graph of a DecoderSpec (layout in hf_config_reader.h). One initializer per
// learned tensor of the checkpoint, at the shape the MatMul needs ([in, out]); shape arithmetic
// uses Constant nodes so it never counts as a parameter.
#include <cmath>
#include <map>
#include <string>

#include "core/checked.h"
#include "io/hf_config_reader.h"

namespace tops {
namespace {

Attribute AttrInt(std::string name, int64_t v) {
  Attribute a;
  a.name = std::move(name);
  a.type = AttrType::kInt;
  a.i = v;
  return a;
}

Attribute AttrFloat(std::string name, double v) {
  Attribute a;
  a.name = std::move(name);
  a.type = AttrType::kFloat;
  a.f = v;
  return a;
}

Attribute AttrInts(std::string name, std::vector<int64_t> v) {
  Attribute a;
  a.name = std::move(name);
  a.type = AttrType::kInts;
  a.ints = std::move(v);
  return a;
}

constexpr const char* kMs = "com.microsoft";

class Builder {
 public:
  Builder(Graph& g, DType dt) : g_(g), dt_(dt) {}

  // A learned tensor (no payload: the checkpoint is not read).
  std::string Weight(const std::string& name, std::vector<int64_t> dims) {
    TensorData t;
    t.name = name;
    t.dtype = dt_;
    t.elems = 1;
    for (int64_t d : dims) t.elems = CheckedMul(t.elems, d, "weight size");
    t.dims = std::move(dims);
    g_.initializers.push_back(std::move(t));
    return name;
  }

  std::vector<std::string> Op(const std::string& op, const std::string& name,
                              std::vector<std::string> inputs, size_t outputs = 1,
                              std::vector<Attribute> attrs = {}, const char* domain = "") {
    Node n;
    n.name = name;
    n.op_type = op;
    n.domain = domain;
    n.inputs = std::move(inputs);
    for (size_t i = 0; i < outputs; ++i) n.outputs.push_back(name + "/out" + std::to_string(i));
    n.attributes = std::move(attrs);
    std::vector<std::string> outs = n.outputs;
    g_.nodes.push_back(std::move(n));
    return outs;
  }
  std::string Op1(const std::string& op, const std::string& name, std::vector<std::string> in,
                  std::vector<Attribute> attrs = {}, const char* domain = "") {
    return Op(op, name, std::move(in), 1, std::move(attrs), domain)[0];
  }

  std::string Ints(const std::string& name, std::vector<int64_t> v) {
    return Op1("Constant", name, {}, {AttrInts("value_ints", std::move(v))});
  }
  std::string Scalar(const std::string& name, double v) {
    return Op1("Constant", name, {}, {AttrFloat("value_float", v)});
  }

  // x @ W [in, out] (+ b [out]).
  std::string Linear(const std::string& x, const std::string& name, int64_t in, int64_t out,
                     bool bias) {
    std::string y = Op1("MatMul", name + "/MatMul", {x, Weight(name + ".weight", {in, out})});
    if (bias) y = Op1("Add", name + "/Add", {y, Weight(name + ".bias", {out})});
    return y;
  }
  std::string Norm(const std::string& x, const std::string& name, int64_t width) {
    return Op1("SimplifiedLayerNormalization", name, {x, Weight(name + ".weight", {width})},
               {AttrInt("axis", -1)});
  }
  // RMS norm over each head of a [B, S, heads * dim] tensor (Qwen3 / Gemma 3 q_norm, k_norm).
  std::string HeadNorm(const std::string& x, const std::string& name, int64_t heads, int64_t dim) {
    std::string r =
        Op1("Reshape", name + "/Reshape", {x, Ints(name + "/shape", {0, 0, heads, dim})});
    std::string n = Norm(r, name, dim);
    return Op1("Reshape", name + "/Reshape_back",
               {n, Ints(name + "/shape_back", {0, 0, heads * dim})});
  }
  std::string Rotary(const std::string& x, const std::string& name, int64_t heads, int64_t dim) {
    return Op1("RotaryEmbedding", name, {x, "position_ids", "cos_cache", "sin_cache"},
               {AttrInt("num_heads", heads), AttrInt("rotary_embedding_dim", dim)}, kMs);
  }

  void Input(const std::string& name, DType dt, std::vector<Dim> dims) {
    g_.inputs.push_back({name, true, dt, Shape::Of(std::move(dims))});
  }
  void Output(const std::string& value, const std::string& name) {
    // The producer's output takes the public name (no copy node: a copy would count twice in the
    // activation memory). Graph outputs are not read by other nodes here.
    for (auto it = g_.nodes.rbegin(); it != g_.nodes.rend(); ++it) {
      for (auto& o : it->outputs) {
        if (o == value) o = name;
      }
    }
    g_.outputs.push_back({name, false, DType::kUndefined, Shape::Unknown()});
  }

 private:
  Graph& g_;
  DType dt_;
};

const Dim kBatch = Dim::Symbol("batch_size");
const Dim kSeq = Dim::Symbol("sequence_length");
const Dim kPast = Dim::Symbol("past_sequence_length");
const Dim kTotal = Dim::Symbol("total_sequence_length");

std::string GatedMlp(Builder& b, const DecoderSpec& s, const std::string& x,
                     const std::string& name, int64_t width) {
  std::string gate = b.Linear(x, name + ".gate_proj", s.hidden, width, s.mlp_bias);
  std::string up = b.Linear(x, name + ".up_proj", s.hidden, width, s.mlp_bias);
  std::string act;
  if (s.mlp == MlpKind::kGatedGelu) {
    act = b.Op1("Gelu", name + "/act", {gate}, {});
  } else {  // SiLU(x) = x * sigmoid(x)
    act = b.Op1("Mul", name + "/act", {gate, b.Op1("Sigmoid", name + "/Sigmoid", {gate})});
  }
  std::string h = b.Op1("Mul", name + "/Mul", {act, up});
  return b.Linear(h, name + ".down_proj", width, s.hidden, s.mlp_bias);
}

std::string MoeMlp(Builder& b, const DecoderSpec& s, const std::string& x,
                   const std::string& name) {
  std::string logits = b.Linear(x, name + ".gate", s.hidden, s.experts, false);
  std::string probs = b.Op1("Softmax", name + "/router", {logits}, {AttrInt("axis", -1)});
  const int64_t e = s.experts, w = s.expert_intermediate;
  std::string fc1 = b.Weight(name + ".experts.gate_proj", {e, w, s.hidden});
  std::string fc2 = b.Weight(name + ".experts.down_proj", {e, s.hidden, w});
  std::string fc3 = b.Weight(name + ".experts.up_proj", {e, w, s.hidden});
  std::string y = b.Op1("MoE", name + "/MoE", {x, probs, fc1, "", fc2, "", fc3, ""},
                        {AttrInt("k", s.experts_per_token)}, kMs);
  if (s.shared_intermediate > 0) {
    std::string shared = GatedMlp(b, s, x, name + ".shared_expert", s.shared_intermediate);
    if (s.shared_expert_gate) {
      std::string g = b.Linear(x, name + ".shared_expert_gate", s.hidden, 1, false);
      shared = b.Op1("Mul", name + "/shared_gated",
                     {shared, b.Op1("Sigmoid", name + "/shared_gate", {g})});
    }
    y = b.Op1("Add", name + "/Add_shared", {y, shared});
  }
  return y;
}

// Standard attention: separate Q, K, V projections, rotary, grouped-query attention.
std::string Attention(Builder& b, const DecoderSpec& s, const std::string& x, int64_t i,
                      const std::string& name) {
  const int64_t qw = s.heads * s.head_dim, kvw = s.kv_heads * s.head_dim;
  std::string q = b.Linear(x, name + ".q_proj", s.hidden, qw, s.qkv_bias);
  std::string k = b.Linear(x, name + ".k_proj", s.hidden, kvw, s.qkv_bias);
  std::string v = b.Linear(x, name + ".v_proj", s.hidden, kvw, s.qkv_bias);
  if (s.qk_norm) {
    q = b.HeadNorm(q, name + ".q_norm", s.heads, s.head_dim);
    k = b.HeadNorm(k, name + ".k_norm", s.kv_heads, s.head_dim);
  }
  q = b.Rotary(q, name + "/rotary_q", s.heads, s.rotary_dim);
  k = b.Rotary(k, name + "/rotary_k", s.kv_heads, s.rotary_dim);
  const std::string past = "past_key_values." + std::to_string(i);
  b.Input(past + ".key", s.dtype, {kBatch, Dim::Known(s.kv_heads), kPast, Dim::Known(s.head_dim)});
  b.Input(past + ".value", s.dtype,
          {kBatch, Dim::Known(s.kv_heads), kPast, Dim::Known(s.head_dim)});
  std::vector<Attribute> attrs = {AttrInt("num_heads", s.heads),
                                  AttrInt("kv_num_heads", s.kv_heads)};
  const int64_t window = s.window[static_cast<size_t>(i)];
  if (window > 0) attrs.push_back(AttrInt("local_window_size", window));
  if (s.attn_softcap > 0) attrs.push_back(AttrFloat("softcap", s.attn_softcap));
  auto outs = b.Op("GroupQueryAttention", name + "/GroupQueryAttention",
                   {q, k, v, past + ".key", past + ".value", "seqlens_k", "total_sequence_length"},
                   3, attrs, kMs);
  b.Output(outs[1], "present." + std::to_string(i) + ".key");
  b.Output(outs[2], "present." + std::to_string(i) + ".value");
  return b.Linear(outs[0], name + ".o_proj", qw, s.hidden, s.o_bias);
}

// Multi-head latent attention in the absorbed form runtimes use for decoding: the cache holds
// the compressed latent (kv_lora_rank) and the shared rotary key (qk_rope_head_dim) once per
// token, read as one key/value head; kv_b_proj's key and value halves act on the queries and on
// the attention output (DeepSeek-V2 paper, section 2.1).
std::string LatentAttention(Builder& b, const DecoderSpec& s, const std::string& x, int64_t i,
                            const std::string& name) {
  const int64_t nh = s.heads, nope = s.qk_nope_dim, rope = s.qk_rope_dim, kvr = s.kv_lora_rank;
  const int64_t lat = kvr + rope;
  std::string q;
  if (s.q_lora_rank > 0) {
    q = b.Linear(x, name + ".q_a_proj", s.hidden, s.q_lora_rank, false);
    q = b.Norm(q, name + ".q_a_layernorm", s.q_lora_rank);
    q = b.Linear(q, name + ".q_b_proj", s.q_lora_rank, nh * (nope + rope), false);
  } else {
    q = b.Linear(x, name + ".q_proj", s.hidden, nh * (nope + rope), false);
  }
  // [B, S, nh, nope + rope] -> nope part [B, nh, S, nope] absorbed into the latent space.
  q = b.Op1("Reshape", name + "/q_heads", {q, b.Ints(name + "/q_shape", {0, 0, nh, nope + rope})});
  auto qs = b.Op("Split", name + "/q_split", {q, b.Ints(name + "/q_split_sizes", {nope, rope})}, 2,
                 {AttrInt("axis", 3)});
  std::string qn =
      b.Op1("Transpose", name + "/q_nope_t", {qs[0]}, {AttrInts("perm", {0, 2, 1, 3})});
  std::string wk = b.Weight(name + ".kv_b_proj.weight_k", {nh, nope, kvr});
  std::string ql = b.Op1("MatMul", name + "/q_absorb", {qn, wk});  // [B, nh, S, kvr]
  std::string qr =
      b.Op1("Transpose", name + "/q_rope_t", {qs[1]}, {AttrInts("perm", {0, 2, 1, 3})});
  std::string qcat = b.Op1("Concat", name + "/q_latent", {ql, qr}, {AttrInt("axis", 3)});
  qcat = b.Op1("Transpose", name + "/q_latent_t", {qcat}, {AttrInts("perm", {0, 2, 1, 3})});
  qcat =
      b.Op1("Reshape", name + "/q_flat", {qcat, b.Ints(name + "/q_flat_shape", {0, 0, nh * lat})});
  // Compressed key/value and the shared rotary key.
  std::string kv = b.Linear(x, name + ".kv_a_proj_with_mqa", s.hidden, lat, false);
  auto kvs = b.Op("Split", name + "/kv_split", {kv, b.Ints(name + "/kv_split_sizes", {kvr, rope})},
                  2, {AttrInt("axis", 2)});
  std::string c = b.Norm(kvs[0], name + ".kv_a_layernorm", kvr);
  std::string kr = b.Rotary(kvs[1], name + "/rotary_k", 1, rope);
  std::string key = b.Op1("Concat", name + "/latent", {c, kr}, {AttrInt("axis", 2)});
  const std::string past = "past_key_values." + std::to_string(i) + ".latent";
  b.Input(past, s.dtype, {kBatch, Dim::Known(1), kPast, Dim::Known(lat)});
  auto outs = b.Op("GroupQueryAttention", name + "/GroupQueryAttention",
                   {qcat, key, key, past, past, "seqlens_k", "total_sequence_length"}, 3,
                   {AttrInt("num_heads", nh), AttrInt("kv_num_heads", 1)}, kMs);
  b.Output(outs[1], "present." + std::to_string(i) + ".latent");
  // Output [B, S, nh * lat]: the latent part goes through kv_b_proj's value half per head.
  std::string o =
      b.Op1("Reshape", name + "/o_heads", {outs[0], b.Ints(name + "/o_shape", {0, 0, nh, lat})});
  o = b.Op1("Slice", name + "/o_latent",
            {o, b.Ints(name + "/o_start", {0}), b.Ints(name + "/o_end", {kvr}),
             b.Ints(name + "/o_axis", {3})});
  o = b.Op1("Transpose", name + "/o_t", {o}, {AttrInts("perm", {0, 2, 1, 3})});
  std::string wv = b.Weight(name + ".kv_b_proj.weight_v", {nh, kvr, s.v_head_dim});
  o = b.Op1("MatMul", name + "/v_absorb", {o, wv});  // [B, nh, S, v]
  o = b.Op1("Transpose", name + "/o_t_back", {o}, {AttrInts("perm", {0, 2, 1, 3})});
  o = b.Op1("Reshape", name + "/o_flat",
            {o, b.Ints(name + "/o_flat_shape", {0, 0, nh * s.v_head_dim})});
  return b.Linear(o, name + ".o_proj", nh * s.v_head_dim, s.hidden, false);
}

}  // namespace

Model BuildDecoderGraph(const DecoderSpec& s, const std::string& label) {
  Model m;
  m.path = label;
  m.producer_name = "hf-config";
  m.producer_version = s.model_type;
  m.ir_version = 8;
  m.opsets = {{"", 21}, {kMs, 1}};
  m.max_positions = s.max_positions;
  if (!s.defaulted.empty()) {
    // Sizes the file leaves out: said, with the values taken, so a reader can check them.
    const std::map<std::string, int64_t> value = {{"vocab_size", s.vocab},
                                                  {"hidden_size", s.hidden},
                                                  {"num_hidden_layers", s.layers},
                                                  {"num_attention_heads", s.heads},
                                                  {"num_key_value_heads", s.kv_heads},
                                                  {"head_dim", s.head_dim},
                                                  {"intermediate_size", s.intermediate}};
    std::string list;
    for (const std::string& key : s.defaulted) {
      const auto v = value.find(key);
      list += (list.empty() ? "" : ", ") + key +
              (v != value.end() ? " " + std::to_string(v->second) : std::string());
    }
    m.notes.push_back("the config leaves " + list + " to " + s.model_type +
                      "'s configuration-class defaults (transformers)");
  }
  Graph& g = m.graph;
  g.name = s.architecture.empty() ? s.model_type : s.architecture;
  Builder b(g, s.dtype);
  b.Input("input_ids", DType::kInt64, {kBatch, kSeq});
  b.Input("position_ids", DType::kInt64, {kBatch, kSeq});
  b.Input("seqlens_k", DType::kInt32, {kBatch});
  b.Input("total_sequence_length", DType::kInt32, {});
  const int64_t rot_half = std::max<int64_t>(1, (s.mla ? s.qk_rope_dim : s.rotary_dim) / 2);
  b.Input("cos_cache", s.dtype, {kTotal, Dim::Known(rot_half)});
  b.Input("sin_cache", s.dtype, {kTotal, Dim::Known(rot_half)});

  const std::string embed = b.Weight("model.embed_tokens.weight", {s.vocab, s.hidden});
  std::string x = b.Op1("Gather", "model.embed_tokens", {embed, "input_ids"}, {AttrInt("axis", 0)});
  if (s.embed_scale) {
    x = b.Op1("Mul", "model.embed_scale",
              {x, b.Scalar("model.embed_scale/value", std::sqrt(static_cast<double>(s.hidden)))});
  }
  for (int64_t i = 0; i < s.layers; ++i) {
    const std::string layer = "model.layers." + std::to_string(i);
    std::string n = b.Norm(x, layer + ".input_layernorm", s.hidden);
    std::string a = s.mla ? LatentAttention(b, s, n, i, layer + ".self_attn")
                          : Attention(b, s, n, i, layer + ".self_attn");
    if (s.sandwich_norms) a = b.Norm(a, layer + ".post_attention_layernorm", s.hidden);
    x = b.Op1("Add", layer + "/residual_attn", {x, a});
    n = b.Norm(
        x, layer + (s.sandwich_norms ? ".pre_feedforward_layernorm" : ".post_attention_layernorm"),
        s.hidden);
    std::string f = s.moe_layer[static_cast<size_t>(i)]
                        ? MoeMlp(b, s, n, layer + ".mlp")
                        : GatedMlp(b, s, n, layer + ".mlp", s.intermediate);
    if (s.sandwich_norms) f = b.Norm(f, layer + ".post_feedforward_layernorm", s.hidden);
    x = b.Op1("Add", layer + "/residual_mlp", {x, f});
  }
  if (s.final_norm) x = b.Norm(x, "model.norm", s.hidden);
  std::string logits;
  if (s.tie_embeddings) {  // the LM head reads the embedding table transposed
    logits = b.Op1("FusedMatMul", "lm_head", {x, embed}, {AttrInt("transB", 1)}, kMs);
  } else {
    logits = b.Linear(x, "lm_head", s.hidden, s.vocab, false);
  }
  if (s.final_softcap > 0) {
    std::string cap = b.Scalar("lm_head/softcap", s.final_softcap);
    logits = b.Op1("Div", "lm_head/softcap_div", {logits, cap});
    logits = b.Op1("Tanh", "lm_head/softcap_tanh", {logits});
    logits = b.Op1("Mul", "lm_head/softcap_mul", {logits, cap});
  }
  b.Output(logits, "logits");
  return m;
}

}  // namespace tops
