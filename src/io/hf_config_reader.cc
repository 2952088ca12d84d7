// Reads a Hugging Face config.json into a DecoderSpec. Field names and defaults follow each
// family's configuration class in huggingface/transformers (configuration_<type>.py) and, for
// the remote-code families (ChatGLM, InternLM2, MiniCPM), the configuration file their
// publishers ship. Every size is checked before use: an integer in a bounded range, heads
// dividing widths, so an absurd config is an error and never an overflow.
#include "io/hf_config_reader.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tops/error.h"

namespace tops {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxConfigBytes = 4 << 20;  // real configs are a few kB
constexpr int kMaxNesting = 32;              // real configs nest 3 deep

// Upper bounds far above any published model, low enough that products stay in int64.
constexpr int64_t kMaxVocab = int64_t{1} << 24;
constexpr int64_t kMaxWidth = int64_t{1} << 20;
constexpr int64_t kMaxLayers = 4096;
constexpr int64_t kMaxHeads = 4096;
constexpr int64_t kMaxExperts = 4096;
constexpr int64_t kMaxPositions = int64_t{1} << 26;

[[noreturn]] void Fail(const std::string& label, const std::string& message) {
  throw Error(label + ": " + message);
}

// Bracket depth of the JSON text outside strings: nlohmann's parser recurses per level.
void CheckNesting(std::string_view text, const std::string& label) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '{' || c == '[') {
      if (++depth > kMaxNesting) {
        Fail(label, "JSON nested deeper than " + std::to_string(kMaxNesting) + " levels");
      }
    }
    if (c == '}' || c == ']') --depth;
  }
}

class Fields {
 public:
  Fields(const Json& j, std::string label) : j_(j), label_(std::move(label)) {}

  bool Has(const char* key) const { return j_.contains(key) && !j_.at(key).is_null(); }

  // A positive integer in [1, max]; `fallback` (when >= 0) if absent or null.
  int64_t Int(const char* key, int64_t max, int64_t fallback = -1) const {
    if (!Has(key)) {
      if (fallback >= 0) return fallback;
      Fail(label_, "missing field '" + std::string(key) + "'");
    }
    return IntValue(j_.at(key), key, max);
  }
  int64_t IntValue(const Json& v, const std::string& key, int64_t max) const {
    int64_t out = 0;
    if (v.is_number_unsigned()) {
      uint64_t u = v.get<uint64_t>();
      if (u > static_cast<uint64_t>(max)) Fail(label_, Range(key, std::to_string(u), max));
      out = static_cast<int64_t>(u);
    } else if (v.is_number_integer()) {
      out = v.get<int64_t>();
    } else if (v.is_number_float()) {
      double d = v.get<double>();
      if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9e15) {
        Fail(label_, "field '" + key + "' must be a whole number, got " + v.dump());
      }
      out = static_cast<int64_t>(d);
    } else {
      Fail(label_, "field '" + key + "' must be a number, got " + v.dump());
    }
    if (out < 1 || out > max) Fail(label_, Range(key, std::to_string(out), max));
    return out;
  }
  // Like Int, but 0 is allowed (counts that may be zero: shared experts, dense layers).
  int64_t Count(const char* key, int64_t max, int64_t fallback) const {
    if (!Has(key)) return fallback;
    if (j_.at(key).is_number() && j_.at(key) == 0) return 0;
    return IntValue(j_.at(key), key, max);
  }
  bool Bool(const char* key, bool fallback) const {
    if (!Has(key)) return fallback;
    if (!j_.at(key).is_boolean()) {
      Fail(label_, "field '" + std::string(key) + "' must be true or false");
    }
    return j_.at(key).get<bool>();
  }
  double Real(const char* key, double fallback) const {
    if (!Has(key)) return fallback;
    if (!j_.at(key).is_number()) Fail(label_, "field '" + std::string(key) + "' must be a number");
    double d = j_.at(key).get<double>();
    if (!std::isfinite(d) || d < 0) {
      Fail(label_, "field '" + std::string(key) + "' must be a finite non-negative number");
    }
    return d;
  }
  std::string Text(const char* key, std::string fallback) const {
    if (!Has(key)) return fallback;
    if (!j_.at(key).is_string()) Fail(label_, "field '" + std::string(key) + "' must be a string");
    return j_.at(key).get<std::string>();
  }
  const Json& json() const { return j_; }
  const std::string& label() const { return label_; }

 private:
  static std::string Range(const std::string& key, const std::string& v, int64_t max) {
    return "field '" + key + "' = " + v + " is outside [1, " + std::to_string(max) + "]";
  }
  const Json& j_;
  std::string label_;
};

DType ParseDType(const std::string& s, const std::string& label) {
  if (s.empty() || s == "bfloat16") return DType::kBFloat16;
  if (s == "float16" || s == "half") return DType::kFloat16;
  if (s == "float32" || s == "float") return DType::kFloat;
  Fail(label, "torch_dtype '" + s + "' is not one of bfloat16, float16, float32");
}

// Per-layer sliding windows: Gemma 2 alternates (even layers local), Gemma 3 has one global
// layer in every `sliding_window_pattern`; `layer_types` (newer configs) names each layer.
void ReadWindows(const Fields& f, DecoderSpec& s) {
  s.window.assign(static_cast<size_t>(s.layers), 0);
  const std::string& t = s.model_type;
  if (t == "qwen2" || t == "qwen2_moe" || t == "qwen3" || t == "qwen3_moe" || t == "qwen2_vl" ||
      t == "qwen2_5_vl") {
    if (!f.Bool("use_sliding_window", false)) return;  // the field exists but is off by default
  }
  if (!f.Has("sliding_window")) return;
  const int64_t w = f.Int("sliding_window", kMaxPositions);
  if (f.Has("layer_types")) {
    const Json& types = f.json().at("layer_types");
    if (!types.is_array() || static_cast<int64_t>(types.size()) != s.layers) {
      Fail(f.label(),
           "field 'layer_types' must list one entry per layer (" + std::to_string(s.layers) + ")");
    }
    for (size_t i = 0; i < types.size(); ++i) {
      if (!types[i].is_string()) Fail(f.label(), "field 'layer_types' must hold strings");
      if (types[i].get<std::string>() == "sliding_attention") s.window[i] = w;
    }
    return;
  }
  for (int64_t i = 0; i < s.layers; ++i) {
    bool local = true;
    if (t == "gemma2") local = i % 2 == 0;
    if (t == "gemma3_text") {
      local = (i + 1) % f.Int("sliding_window_pattern", kMaxLayers, 6) != 0;
    }
    if (local) s.window[static_cast<size_t>(i)] = w;
  }
}

// Which layers use experts (Qwen-MoE: decoder_sparse_step and mlp_only_layers; DeepSeek:
// first_k_dense_replace and moe_layer_freq).
void ReadMoeLayers(const Fields& f, DecoderSpec& s) {
  s.moe_layer.assign(static_cast<size_t>(s.layers), s.experts > 0);
  if (s.experts == 0) return;
  const int64_t step = f.Int("decoder_sparse_step", kMaxLayers, 1);
  const int64_t freq = f.Int("moe_layer_freq", kMaxLayers, 1);
  const int64_t first_dense = f.Count("first_k_dense_replace", kMaxLayers, 0);
  for (int64_t i = 0; i < s.layers; ++i) {
    bool moe = (i + 1) % step == 0 && i >= first_dense && (i - first_dense) % freq == 0;
    s.moe_layer[static_cast<size_t>(i)] = moe;
  }
  if (f.Has("mlp_only_layers")) {
    const Json& dense = f.json().at("mlp_only_layers");
    if (!dense.is_array()) Fail(f.label(), "field 'mlp_only_layers' must be a list");
    for (const Json& v : dense) {
      // 0-based layer indices.
      if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() >= s.layers) {
        Fail(f.label(), "field 'mlp_only_layers' must hold layer indices in [0, " +
                            std::to_string(s.layers - 1) + "], got " + v.dump());
      }
      s.moe_layer[static_cast<size_t>(v.get<int64_t>())] = false;
    }
  }
}

// Defaults of a configuration class in huggingface/transformers, for the fields a released
// config may leave out. head_dim and kv_heads 0: derived (hidden / heads, = heads).
struct ClassDefaults {
  int64_t vocab, hidden, layers, heads, kv_heads, head_dim, intermediate, max_positions;
};
// Gemma3TextConfig (configuration_gemma3.py).
constexpr ClassDefaults kGemma3Text = {262208, 2304, 26, 8, 4, 256, 9216, 131072};
// LlamaConfig (configuration_llama.py): vocab_size 32000, hidden_size 4096, intermediate_size
// 11008, num_hidden_layers 32, num_attention_heads 32, num_key_value_heads None (= heads),
// head_dim None (= hidden // heads), max_position_embeddings 2048; also rms_norm_eps 1e-6,
// hidden_act silu, tie_word_embeddings / attention_bias / mlp_bias false (the reader's own
// fallbacks for those fields already).
constexpr ClassDefaults kLlama = {32000, 4096, 32, 32, 0, 0, 11008, 2048};

const ClassDefaults* DefaultsFor(const std::string& model_type, bool from_text_config) {
  if (model_type == "gemma3_text") return &kGemma3Text;
  if (model_type == "llama" && from_text_config) return &kLlama;
  return nullptr;
}

void ReadChatGlm(const Fields& f, DecoderSpec& s) {
  s.layers = f.Int("num_layers", kMaxLayers);
  s.hidden = f.Int("hidden_size", kMaxWidth);
  s.heads = f.Int("num_attention_heads", kMaxHeads);
  s.kv_heads =
      f.Bool("multi_query_attention", false) ? f.Int("multi_query_group_num", kMaxHeads) : s.heads;
  s.head_dim = f.Int("kv_channels", kMaxWidth, s.hidden / s.heads);
  s.intermediate = f.Int("ffn_hidden_size", kMaxWidth);
  s.vocab = f.Int("padded_vocab_size", kMaxVocab);
  s.max_positions = f.Int("seq_length", kMaxPositions, 2048);
  s.qkv_bias = f.Bool("add_qkv_bias", false);
  s.o_bias = s.mlp_bias = f.Bool("add_bias_linear", false);
  s.final_norm = f.Bool("post_layer_norm", true);
  if (!f.Bool("rmsnorm", true)) Fail(f.label(), "ChatGLM with LayerNorm (rmsnorm: false)");
  s.rotary_dim = s.head_dim / 2;  // ChatGLM rotates half of each head
  s.tie_embeddings = f.Bool("tie_word_embeddings", false);
}

void ReadMla(const Fields& f, DecoderSpec& s) {
  s.mla = true;
  s.q_lora_rank = f.Count("q_lora_rank", kMaxWidth, 0);
  s.kv_lora_rank = f.Int("kv_lora_rank", kMaxWidth);
  s.qk_nope_dim = f.Int("qk_nope_head_dim", kMaxWidth);
  s.qk_rope_dim = f.Int("qk_rope_head_dim", kMaxWidth);
  s.v_head_dim = f.Int("v_head_dim", kMaxWidth, s.hidden / s.heads);
  s.head_dim = s.qk_nope_dim + s.qk_rope_dim;
  s.rotary_dim = s.qk_rope_dim;
}

}  // namespace

const std::vector<std::string>& SupportedHfModelTypes() {
  static const std::vector<std::string> kTypes = {
      "llama",     "mistral",   "qwen2",       "qwen3",    "internlm2",   "minicpm", "minicpm3",
      "phi3",      "granite",   "gemma",       "gemma2",   "gemma3_text", "chatglm", "mixtral",
      "qwen2_moe", "qwen3_moe", "deepseek_v2", "qwen2_vl", "qwen2_5_vl"};
  return kTypes;
}

bool LooksLikeHfConfig(std::string_view head) {
  // A JSON object whose first member name starts: '{', blanks, '"'. No protobuf model starts
  // with '{' (field 15, wire type 3 is not a ModelProto field).
  size_t i = head.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos || head[i] != '{') return false;
  i = head.find_first_not_of(" \t\r\n", i + 1);
  return i == std::string_view::npos || head[i] == '"' || head[i] == '}';
}

DecoderSpec ParseHfConfig(std::string_view text, const std::string& label) {
  if (text.size() > kMaxConfigBytes) {
    Fail(label, "config is " + std::to_string(text.size()) + " bytes; a config.json is at most " +
                    std::to_string(kMaxConfigBytes));
  }
  CheckNesting(text, label);
  Json root;
  try {
    root = Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    // parse_error for broken syntax, out_of_range for a number no double holds (1e999).
    Fail(label, std::string("not valid JSON: ") + e.what());
  }
  if (!root.is_object()) Fail(label, "expected a JSON object (a Hugging Face config.json)");

  DecoderSpec s;
  Fields outer(root, label);
  const Json* body = &root;
  // Vision-language configs nest the language model under text_config.
  if (root.contains("text_config") && root.at("text_config").is_object()) {
    body = &root.at("text_config");
    s.from_text_config = true;
  }
  Fields f(*body, label + (s.from_text_config ? " (text_config)" : ""));
  s.model_type = f.Text("model_type", "");
  if (s.from_text_config && s.model_type.empty()) s.model_type = outer.Text("model_type", "");
  if (s.model_type == "gemma3") s.model_type = "gemma3_text";
  // Newer transformers write Qwen2-VL's language model as a text_config of its own type.
  if (s.model_type == "qwen2_vl_text") s.model_type = "qwen2_vl";
  if (s.model_type == "qwen2_5_vl_text") s.model_type = "qwen2_5_vl";
  if (s.model_type == "glm" || s.model_type == "chatglm2") s.model_type = "chatglm";
  if (root.contains("architectures") && root.at("architectures").is_array() &&
      !root.at("architectures").empty() && root.at("architectures")[0].is_string()) {
    s.architecture = root.at("architectures")[0].get<std::string>();
  }
  const auto& types = SupportedHfModelTypes();
  if (std::find(types.begin(), types.end(), s.model_type) == types.end()) {
    std::string list;
    for (const auto& t : types) list += (list.empty() ? "" : ", ") + t;
    Fail(label, (s.model_type.empty() ? std::string("no model_type")
                                      : "model_type '" + s.model_type + "' is not supported") +
                    " (supported: " + list + ")");
  }
  const std::string& t = s.model_type;
  std::string dtype = f.Text("torch_dtype", f.Text("dtype", outer.Text("torch_dtype", "")));
  s.dtype = ParseDType(dtype, label);

  if (t == "chatglm") {
    ReadChatGlm(f, s);
  } else {
    // Released VLM configs leave text_config fields to the class's defaults: Gemma 3 (any
    // gemma3_text config, as transformers fills it) and a Llama text_config (LLaVA-1.5 gives only
    // vocab, max positions and norm eps). A top-level Llama config must still name its sizes.
    const ClassDefaults* d = DefaultsFor(t, s.from_text_config);
    auto size = [&](const char* key, int64_t max, int64_t ClassDefaults::*field, int64_t plain) {
      if (d && !f.Has(key)) s.defaulted.push_back(key);
      return f.Int(key, max, d ? d->*field : plain);
    };
    s.vocab = size("vocab_size", kMaxVocab, &ClassDefaults::vocab, -1);
    s.hidden = size("hidden_size", kMaxWidth, &ClassDefaults::hidden, -1);
    s.layers = size("num_hidden_layers", kMaxLayers, &ClassDefaults::layers, -1);
    s.heads = size("num_attention_heads", kMaxHeads, &ClassDefaults::heads, -1);
    // num_key_value_heads defaults to the class's figure, or to the heads (LlamaConfig: None).
    const int64_t kv_default = d && d->kv_heads > 0 ? d->kv_heads : s.heads;
    if (d && !f.Has("num_key_value_heads")) s.defaulted.push_back("num_key_value_heads");
    s.kv_heads = f.Int("num_key_value_heads", kMaxHeads, kv_default);
    // head_dim is explicit in Qwen3, Gemma and Llama 3.2 configs; hidden / heads otherwise
    // (also LlamaConfig's default: None, then hidden // heads).
    if (f.Has("head_dim") || (d && d->head_dim > 0)) {
      if (d && !f.Has("head_dim")) s.defaulted.push_back("head_dim");
      s.head_dim = f.Int("head_dim", kMaxWidth, d ? d->head_dim : -1);
    } else {
      if (s.hidden % s.heads != 0) {
        Fail(label, "num_attention_heads (" + std::to_string(s.heads) +
                        ") does not divide hidden_size (" + std::to_string(s.hidden) +
                        ") and there is no head_dim");
      }
      s.head_dim = s.hidden / s.heads;
    }
    s.intermediate = size("intermediate_size", kMaxWidth, &ClassDefaults::intermediate, -1);
    s.max_positions =
        size("max_position_embeddings", kMaxPositions, &ClassDefaults::max_positions, 4096);
    s.rotary_dim = s.head_dim;
    const double partial = f.Real("partial_rotary_factor", 1.0);
    if (partial <= 0 || partial > 1) Fail(label, "partial_rotary_factor must be in (0, 1]");
    s.rotary_dim = static_cast<int64_t>(std::floor(s.head_dim * partial));
    const bool gemma = t == "gemma" || t == "gemma2" || t == "gemma3_text";
    s.tie_embeddings = f.Bool("tie_word_embeddings", gemma || t == "minicpm" || t == "minicpm3");
    s.qkv_bias = f.Bool("attention_bias", false);
    s.o_bias = s.qkv_bias && t != "qwen2" && t != "qwen2_moe";
    s.mlp_bias = f.Bool("mlp_bias", false);
    if (t == "qwen2" || t == "qwen2_moe" || t == "qwen2_vl" || t == "qwen2_5_vl") {
      s.qkv_bias = true;
      s.o_bias = false;
    }
    if (t == "internlm2") s.qkv_bias = s.o_bias = s.mlp_bias = f.Bool("bias", false);
    s.qk_norm = t == "qwen3" || t == "qwen3_moe" || t == "gemma3_text";
    s.sandwich_norms = t == "gemma2" || t == "gemma3_text";
    s.embed_scale = gemma;
    if (gemma) {
      std::string act = f.Text("hidden_activation", f.Text("hidden_act", "gelu_pytorch_tanh"));
      s.mlp = act.rfind("gelu", 0) == 0 ? MlpKind::kGatedGelu : MlpKind::kGatedSilu;
    } else {
      std::string act = f.Text("hidden_act", "silu");
      if (act != "silu" && act != "swish") {
        Fail(label, "hidden_act '" + act + "' (a gated SiLU MLP is expected for " + t + ")");
      }
    }
    s.attn_softcap = f.Real("attn_logit_softcapping", 0);
    s.final_softcap = f.Real("final_logit_softcapping", 0);
    if (t == "mixtral") {
      s.experts = f.Int("num_local_experts", kMaxExperts);
      s.experts_per_token = f.Int("num_experts_per_tok", kMaxExperts);
      s.expert_intermediate = s.intermediate;
    }
    if (t == "qwen2_moe" || t == "qwen3_moe") {
      s.experts = f.Int("num_experts", kMaxExperts);
      s.experts_per_token = f.Int("num_experts_per_tok", kMaxExperts);
      s.expert_intermediate = f.Int("moe_intermediate_size", kMaxWidth);
      if (t == "qwen2_moe") {
        s.shared_intermediate = f.Count("shared_expert_intermediate_size", kMaxWidth, 0);
        s.shared_expert_gate = s.shared_intermediate > 0;
      }
    }
    if (t == "deepseek_v2" || t == "minicpm3") ReadMla(f, s);
    if (t == "deepseek_v2") {
      s.experts = f.Count("n_routed_experts", kMaxExperts, 0);
      if (s.experts > 0) {
        s.experts_per_token = f.Int("num_experts_per_tok", kMaxExperts);
        s.expert_intermediate = f.Int("moe_intermediate_size", kMaxWidth);
        s.shared_intermediate = s.expert_intermediate * f.Count("n_shared_experts", kMaxExperts, 0);
      }
    }
  }
  if (s.heads % s.kv_heads != 0) {
    Fail(label, "num_key_value_heads (" + std::to_string(s.kv_heads) +
                    ") does not divide num_attention_heads (" + std::to_string(s.heads) + ")");
  }
  if (s.experts > 0 && s.experts_per_token > s.experts) {
    Fail(label, "num_experts_per_tok (" + std::to_string(s.experts_per_token) +
                    ") exceeds the number of experts (" + std::to_string(s.experts) + ")");
  }
  if (s.rotary_dim % 2 != 0) Fail(label, "the rotary dimension must be even");
  ReadWindows(f, s);
  ReadMoeLayers(f, s);
  return s;
}

Model ReadHfConfigBytes(std::string_view text, const std::string& label) {
  return BuildDecoderGraph(ParseHfConfig(text, label), label);
}

}  // namespace tops
