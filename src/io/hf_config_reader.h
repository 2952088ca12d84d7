// Hugging Face `config.json` of a decoder-only language model -> tops::Model (a decoder graph in
// the IR, no weights). The config is read into a DecoderSpec (every size the architecture needs,
// checked: positive, bounded, heads dividing the widths), then built into one graph per model:
// token embedding, per layer the attention block (projections, rotary embedding, grouped-query
// attention with a KV cache) and the MLP (dense or mixture-of-experts), final norm and LM head.
//
// Graph interface (the names ONNX Runtime GenAI and Optimum exports use):
//   inputs  input_ids [batch_size, sequence_length] int64, position_ids (same shape),
//           past_key_values.<i>.key / .value [batch_size, kv_heads, past_sequence_length, head],
//           cos_cache / sin_cache [total_sequence_length, rotary_dim / 2] (tables the runtime
//           computes from rope_theta: inputs, not parameters)
//   outputs logits [batch_size, sequence_length, vocab], present.<i>.key / .value
// Weights are initializers at the config's torch_dtype; each learned tensor of the checkpoint is
// one initializer (tied embeddings: one tensor read twice), so the profile's parameter count is
// the checkpoint's. Supported model_type values are listed by SupportedHfModelTypes().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tops/graph.h"

namespace tops {

enum class MlpKind { kGatedSilu, kGatedGelu };

struct DecoderSpec {
  std::string model_type;    // as the file names it ("qwen2"), the text model's for a VLM
  std::string architecture;  // architectures[0], may be empty
  bool from_text_config = false;
  // Fields the file leaves out and the reader took from the configuration class's defaults
  // (a VLM's text_config relies on them: LLaVA-1.5, Gemma 3), in reading order.
  std::vector<std::string> defaulted;
  DType dtype = DType::kBFloat16;
  int64_t vocab = 0;
  int64_t hidden = 0;
  int64_t layers = 0;
  int64_t heads = 0;
  int64_t kv_heads = 0;
  int64_t head_dim = 0;
  int64_t intermediate = 0;  // dense MLP width
  int64_t max_positions = 0;
  int64_t rotary_dim = 0;  // rotated dims per head
  bool tie_embeddings = false;
  bool qkv_bias = false;
  bool o_bias = false;
  bool mlp_bias = false;
  MlpKind mlp = MlpKind::kGatedSilu;
  bool qk_norm = false;         // RMS norm over each head of Q and K (Qwen3, Gemma 3)
  bool sandwich_norms = false;  // extra norms after attention and MLP (Gemma 2 and 3)
  bool embed_scale = false;     // embeddings multiplied by sqrt(hidden) (Gemma)
  bool final_norm = true;
  std::vector<int64_t> window;  // per layer: sliding-window length, 0 for global attention
  double attn_softcap = 0;
  double final_softcap = 0;
  // Mixture of experts (Mixtral, Qwen-MoE, DeepSeek): 0 experts = dense.
  int64_t experts = 0;
  int64_t experts_per_token = 0;
  int64_t expert_intermediate = 0;
  int64_t shared_intermediate = 0;  // total width of the shared expert(s), 0 for none
  bool shared_expert_gate = false;  // Qwen2-MoE's sigmoid gate on the shared expert
  std::vector<bool> moe_layer;      // per layer
  // Multi-head latent attention (DeepSeek-V2, MiniCPM3): q_lora_rank 0 = direct Q projection.
  bool mla = false;
  int64_t q_lora_rank = 0;
  int64_t kv_lora_rank = 0;
  int64_t qk_nope_dim = 0;
  int64_t qk_rope_dim = 0;
  int64_t v_head_dim = 0;
};

const std::vector<std::string>& SupportedHfModelTypes();

// Cheap probe (ReadModel's list, src/io/readers.cc): text that opens a JSON object.
bool LooksLikeHfConfig(std::string_view head);

// Throws tops::Error naming the file and the field for malformed JSON, an unsupported
// model_type (listing the supported ones), a missing or absurd size.
DecoderSpec ParseHfConfig(std::string_view text, const std::string& label);
Model BuildDecoderGraph(const DecoderSpec& spec, const std::string& label);

// The reader ReadModel calls (tops/read.h): ParseHfConfig, then BuildDecoderGraph.
Model ReadHfConfigBytes(std::string_view text, const std::string& label = "<memory>");

}  // namespace tops
