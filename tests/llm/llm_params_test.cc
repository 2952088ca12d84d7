// Parameter counts from config.json against the publishers' counts
// (tests/llm/published_params.yaml): the decoder graph's learned parameters must equal them
// exactly.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "io/hf_config_reader.h"
#include "tops/llm.h"
#include "tops/profile.h"
#include "tops/read.h"

namespace tops {
namespace {

const std::string kDir = std::string(TOPS_TEST_DIR) + "/llm/";

TEST(LlmParams, ConfigCountsEqualPublishedCounts) {
  YAML::Node doc = YAML::LoadFile(kDir + "published_params.yaml");
  int checked = 0;
  int exact = 0;  // equal to the publisher's total as printed, with no explained difference
  for (const auto& m : doc["models"]) {
    const std::string config = m["config"].as<std::string>();
    SCOPED_TRACE(config);
    Model model = ReadModel(kDir + "configs/" + config);
    DecoderFacts f = InspectDecoder(model);
    if (m["printed"]) {  // llama.cpp prints billions with two decimals
      char text[32];
      std::snprintf(text, sizeof text, "%.2f B", static_cast<double>(f.params) / 1e9);
      EXPECT_EQ(text, m["printed"].as<std::string>());
    } else if (m["kind"] && m["kind"].as<std::string>() == "non_embedding") {
      EXPECT_EQ(f.params - f.embedding_params, m["count"].as<int64_t>());
    } else {
      const int64_t adjust = m["adjust"] ? m["adjust"].as<int64_t>() : 0;
      EXPECT_EQ(f.params + adjust, m["count"].as<int64_t>()) << m["model"].as<std::string>();
      exact += adjust == 0 && f.params == m["count"].as<int64_t>();
    }
    // The profile's own count agrees: rotary tables are inputs, not initializers.
    Profile p = ProfileModel(model, {{},
                                     {{"batch_size", 1},
                                      {"sequence_length", 1},
                                      {"past_sequence_length", 0},
                                      {"total_sequence_length", 1}}});
    EXPECT_EQ(p.totals.params, f.params);
    ++checked;
  }
  EXPECT_GE(checked, 15);
  EXPECT_GE(exact, 15);
}

DecoderSpec SpecOf(const std::string& config) {
  std::ifstream in(kDir + "configs/" + config, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return ParseHfConfig(text.str(), config);
}

// Qwen1.5-MoE-A2.7B: 60 routed experts (top 4) of width 1408 plus a gated shared expert of
// width 5632 in every layer. Published: 14.3B total, "A2.7B" activated (Qwen's model card); the
// total is checked exactly in published_params.yaml, the active count here by hand:
//   attention 4*2048^2 + 3*2048 (q/k/v bias)                      =  16,783,360
//   4 routed experts 4*3*2048*1408 = 34,603,008; router 2048*60    =     122,880
//   shared expert 3*2048*5632 = 34,603,008; its gate 2048*1        =       2,048
//   2 norms 2*2048                                                 =       4,096
//   per layer 86,118,400; x 24 = 2,066,841,600
//   + embedding and untied head 2*151936*2048 = 622,329,856 + final norm 2,048
//   = 2,689,173,504 active (2.7B), of 14,315,784,192.
TEST(LlmParams, QwenMoeSharedExpertsAndActiveParameters) {
  DecoderSpec s = SpecOf("qwen1.5-moe-a2.7b.json");
  EXPECT_EQ(s.experts, 60);
  EXPECT_EQ(s.experts_per_token, 4);
  EXPECT_EQ(s.expert_intermediate, 1408);
  EXPECT_EQ(s.shared_intermediate, 5632);
  EXPECT_TRUE(s.shared_expert_gate);
  EXPECT_EQ(std::count(s.moe_layer.begin(), s.moe_layer.end(), true), 24);
  DecoderFacts f = InspectDecoder(ReadModel(kDir + "configs/qwen1.5-moe-a2.7b.json"));
  EXPECT_EQ(f.params, 14315784192);
  EXPECT_EQ(f.active_params, 2689173504);
  EXPECT_EQ(std::llround(static_cast<double>(f.active_params) / 1e8), 27);  // "A2.7B"
}

// Gemma 3 4B as a vision-language config: the language model is read from text_config, the
// SigLIP tower is left out. Gemma 3 report (arXiv 2503.19786) Table 1: 4B has 3,209M
// non-embedding parameters. By hand: per layer q 2560*2048 + k, v 2*2560*1024 + o 2048*2560 =
// 15,728,640; MLP 3*2560*10240 = 78,643,200; 4 norms 4*2560 and q/k norms 2*256 = 10,752;
// 94,382,592 x 34 = 3,209,008,128, + final norm 2,560 = 3,209,010,688. One global layer in
// every 6 (layers 5, 11, 17, 23, 29), the other 29 see a 1024-token window.
TEST(LlmParams, Gemma3FromTextConfigOfAVisionLanguageConfig) {
  DecoderSpec s = SpecOf("gemma-3-4b-it.json");
  EXPECT_TRUE(s.from_text_config);
  EXPECT_EQ(s.model_type, "gemma3_text");
  EXPECT_EQ(s.architecture, "Gemma3ForConditionalGeneration");
  EXPECT_EQ(s.head_dim, 256);
  EXPECT_TRUE(s.tie_embeddings);
  EXPECT_TRUE(s.qk_norm);
  EXPECT_TRUE(s.sandwich_norms);
  EXPECT_TRUE(s.embed_scale);
  EXPECT_EQ(s.mlp, MlpKind::kGatedGelu);
  ASSERT_EQ(s.window.size(), 34u);
  for (size_t i = 0; i < s.window.size(); ++i) {
    EXPECT_EQ(s.window[i], (i + 1) % 6 == 0 ? 0 : 1024) << "layer " << i;
  }
  DecoderFacts f = InspectDecoder(ReadModel(kDir + "configs/gemma-3-4b-it.json"));
  EXPECT_EQ(f.params - f.embedding_params, 3209010688);
  EXPECT_EQ(std::llround(static_cast<double>(f.params - f.embedding_params) / 1e6), 3209);
  EXPECT_EQ(f.embedding_params, 262208 * 2560);
  EXPECT_TRUE(f.lm_head_tied);
}

// LLaVA-1.5-7B as released: its text_config names model_type llama, vocab 32064, 4096 positions
// and the norm epsilon, and leaves the sizes to LlamaConfig's defaults (hidden 4096, MLP 11008,
// 32 layers, 32 heads, KV heads = heads, head_dim = hidden / heads). The language model is
// Llama-2-7B's shape with 64 more tokens: llama.cpp's count for Llama-2-7B, 6,738,415,616 (vocab
// 32000; published_params.yaml), plus 64 rows in the embedding and in the untied head.
TEST(LlmParams, LlavaTextConfigUsesLlamaDefaults) {
  DecoderSpec s = SpecOf("llava-1.5-7b.json");
  EXPECT_TRUE(s.from_text_config);
  EXPECT_EQ(s.model_type, "llama");
  EXPECT_EQ(s.vocab, 32064);
  EXPECT_EQ(s.max_positions, 4096);
  EXPECT_EQ(s.hidden, 4096);
  EXPECT_EQ(s.intermediate, 11008);
  EXPECT_EQ(s.layers, 32);
  EXPECT_EQ(s.heads, 32);
  EXPECT_EQ(s.kv_heads, 32);
  EXPECT_EQ(s.head_dim, 128);
  EXPECT_FALSE(s.tie_embeddings);
  EXPECT_EQ(s.dtype, DType::kFloat16);
  const std::vector<std::string> defaulted = {"hidden_size", "num_hidden_layers",
                                              "num_attention_heads", "num_key_value_heads",
                                              "intermediate_size"};
  EXPECT_EQ(s.defaulted, defaulted);
  const Model llava = ReadModel(kDir + "configs/llava-1.5-7b.json");
  // The user is told which sizes came from the class's defaults, with their values.
  ASSERT_EQ(llava.notes.size(), 1u);
  EXPECT_NE(llava.notes[0].find("hidden_size 4096, num_hidden_layers 32"), std::string::npos)
      << llava.notes[0];
  EXPECT_NE(llava.notes[0].find("intermediate_size 11008 to llama's"), std::string::npos);
  DecoderFacts f = InspectDecoder(llava);
  EXPECT_EQ(f.params, 6738415616 + 2 * 64 * 4096);
  EXPECT_EQ(f.params, 6738939904);
  // The same sizes at the top level of a Llama config are not defaulted: a config.json of its
  // own must name them (the malformed table checks the error).
  EXPECT_TRUE(SpecOf("llama-2-7b.json").defaulted.empty());
}

// Qwen2-VL keeps its language model's fields at the top level (model_type qwen2_vl) beside a
// vision_config the reader leaves out. Its sliding_window (32768) is off: use_sliding_window is
// false, as in Qwen2. Mistral-Nemo's head_dim (128) is explicit and not hidden / heads (160).
TEST(LlmParams, Qwen2VlTopLevelAndNemoHeadDim) {
  DecoderSpec q = SpecOf("qwen2-vl-2b.json");
  EXPECT_FALSE(q.from_text_config);
  EXPECT_EQ(q.model_type, "qwen2_vl");
  EXPECT_EQ(q.hidden, 1536);
  EXPECT_TRUE(q.qkv_bias);
  EXPECT_TRUE(q.tie_embeddings);
  EXPECT_EQ(std::count(q.window.begin(), q.window.end(), 0), 28);
  EXPECT_TRUE(q.defaulted.empty());
  DecoderSpec n = SpecOf("mistral-nemo-12b.json");
  EXPECT_EQ(n.head_dim, 128);
  EXPECT_EQ(n.heads * n.head_dim, 4096);
  EXPECT_EQ(std::count(n.window.begin(), n.window.end(), 0), 40);  // sliding_window null
  // By hand: per layer q 5120 x 4096 + k, v 2 x 5120 x 1024 + o 4096 x 5120 + MLP 3 x 5120 x
  // 14336 + 2 norms = 272,640,000; x 40 + untied embedding and head 2 x 131072 x 5120 + final
  // norm 5120 = 12,247,782,400.
  DecoderFacts f = InspectDecoder(ReadModel(kDir + "configs/mistral-nemo-12b.json"));
  EXPECT_EQ(f.params, 40 * int64_t{272640000} + 2 * int64_t{131072} * 5120 + 5120);
}

// Gemma 1 (2B): multi-query attention (1 KV head) with head_dim 256 given explicitly, a gated
// GELU MLP, embeddings scaled and tied, no sandwich or q/k norms, no window, no soft-cap.
TEST(LlmParams, Gemma1Fields) {
  DecoderSpec s = SpecOf("gemma-2b.json");
  EXPECT_EQ(s.kv_heads, 1);
  EXPECT_EQ(s.head_dim, 256);
  EXPECT_EQ(s.mlp, MlpKind::kGatedGelu);
  EXPECT_TRUE(s.tie_embeddings);
  EXPECT_TRUE(s.embed_scale);
  EXPECT_FALSE(s.sandwich_norms);
  EXPECT_FALSE(s.qk_norm);
  EXPECT_EQ(s.attn_softcap, 0);
  EXPECT_EQ(std::count(s.window.begin(), s.window.end(), 0), 18);
}

// MiniCPM ties its embeddings by default (the remote-code MiniCPMConfig). Published: "2.4B
// parameters excluding embeddings" (model card); by hand 40 * (4*2304^2 + 3*2304*5760 + 2*2304)
// + 2304 = 2,442,057,984.
TEST(LlmParams, MiniCpmTiesEmbeddings) {
  DecoderSpec s = SpecOf("minicpm-2b.json");
  EXPECT_TRUE(s.tie_embeddings);
  EXPECT_EQ(s.head_dim, 64);
  DecoderFacts f = InspectDecoder(ReadModel(kDir + "configs/minicpm-2b.json"));
  EXPECT_EQ(f.params - f.embedding_params, 2442057984);
  EXPECT_EQ(f.embedding_params, 122753 * 2304);
}

}  // namespace
}  // namespace tops
