// Malformed Hugging Face configs, written by hand to be broken: each must be a tops::Error whose
// message names the problem (never an overflow, a crash or a hang), in the library and through
// `tops llm`, which exits 2. With TOPS_WRITE_CORPUS=DIR the cases are also written to DIR (how
// tests/fuzz/corpus_hf/ got its hand-made seeds).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "../malformed/run_cli.h"
#include "io/hf_config_reader.h"
#include "tops/error.h"
#include "tops/llm.h"

namespace tops {
namespace {

struct Case {
  const char* name;
  std::string json;
  const char* message;  // a part of the error text
};

std::string Llama(const std::string& extra) {
  return R"({"model_type": "llama", "vocab_size": 32000, "hidden_size": 2048,
             "num_hidden_layers": 22, "num_attention_heads": 32, "num_key_value_heads": 4,
             "intermediate_size": 5632)" +
         extra + "}";
}

std::string Nested(int depth) {
  std::string s;
  for (int i = 0; i < depth; ++i) s += "{\"a\": ";
  s += "1";
  for (int i = 0; i < depth; ++i) s += "}";
  return s;
}

std::vector<Case> Cases() {
  return {
      {"empty", "", "not valid JSON"},
      {"not_json", "model_type: llama", "not valid JSON"},
      {"array", "[1, 2, 3]", "expected a JSON object"},
      {"truncated", R"({"model_type": "llama", "hidden_size": 20)", "not valid JSON"},
      {"number_beyond_double", R"({"model_type": "llama", "vocab_size": 1e936})", "not valid JSON"},
      {"no_model_type", R"({"hidden_size": 64})", "no model_type (supported: llama"},
      {"unknown_model_type", Llama(R"(, "model_type": "mamba")"), "'mamba' is not supported"},
      {"hidden_1e18", Llama(R"(, "hidden_size": 1000000000000000000)"), "hidden_size"},
      {"hidden_float_huge", Llama(R"(, "hidden_size": 1e300)"), "hidden_size"},
      {"hidden_fraction", Llama(R"(, "hidden_size": 2048.5)"), "whole number"},
      {"layers_1e6", Llama(R"(, "num_hidden_layers": 1000000)"), "num_hidden_layers"},
      {"negative_heads", Llama(R"(, "num_attention_heads": -32)"), "num_attention_heads"},
      {"zero_heads", Llama(R"(, "num_attention_heads": 0)"), "num_attention_heads"},
      {"heads_not_dividing_hidden", Llama(R"(, "num_attention_heads": 30)"),
       "does not divide hidden_size"},
      {"kv_not_dividing_heads", Llama(R"(, "num_key_value_heads": 5)"),
       "does not divide num_attention_heads"},
      {"vocab_string", Llama(R"(, "vocab_size": "32000")"), "vocab_size' must be a number"},
      {"missing_vocab", R"({"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2,
                            "num_attention_heads": 4, "intermediate_size": 128})",
       "missing field 'vocab_size'"},
      {"bad_dtype", Llama(R"(, "torch_dtype": "int3")"), "torch_dtype 'int3'"},
      {"bad_activation", Llama(R"(, "hidden_act": "relu6")"), "hidden_act 'relu6'"},
      {"odd_rotary", Llama(R"(, "head_dim": 63)"), "rotary dimension must be even"},
      {"partial_rotary_zero", Llama(R"(, "partial_rotary_factor": 0)"), "partial_rotary_factor"},
      {"deep_nesting", Nested(100000), "nested deeper than"},
      {"experts_k_over_e", R"({"model_type": "mixtral", "vocab_size": 32000, "hidden_size": 4096,
                               "num_hidden_layers": 2, "num_attention_heads": 32,
                               "num_key_value_heads": 8, "intermediate_size": 14336,
                               "num_local_experts": 8, "num_experts_per_tok": 9})",
       "exceeds the number of experts"},
      {"mlp_only_layer_out_of_range",
       R"({"model_type": "qwen3_moe", "vocab_size": 1000, "hidden_size": 64,
           "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128,
           "num_experts": 4, "num_experts_per_tok": 2, "moe_intermediate_size": 32,
           "mlp_only_layers": [7]})",
       "mlp_only_layers"},
      {"layer_types_wrong_length", Llama(R"(, "sliding_window": 512,
                                            "layer_types": ["sliding_attention"])"),
       "one entry per layer"},
      {"text_config_not_supported", R"({"model_type": "llava", "text_config": {"model_type":
                                        "t5", "hidden_size": 4}})",
       "'t5' is not supported"},
      {"mla_missing_rank", R"({"model_type": "deepseek_v2", "vocab_size": 1000,
                               "hidden_size": 64, "num_hidden_layers": 2,
                               "num_attention_heads": 4, "intermediate_size": 128})",
       "kv_lora_rank"},
      {"chatglm_layernorm", R"({"model_type": "chatglm", "num_layers": 2, "hidden_size": 64,
                                "num_attention_heads": 4, "ffn_hidden_size": 128,
                                "padded_vocab_size": 100, "rmsnorm": false})",
       "LayerNorm"},
  };
}

TEST(LlmMalformed, EveryCaseIsAnErrorNamingTheProblem) {
  const char* corpus = std::getenv("TOPS_WRITE_CORPUS");
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.name);
    if (corpus) std::ofstream(std::string(corpus) + "/" + c.name + ".json") << c.json;
    try {
      Model m = ReadHfConfigBytes(c.json, c.name);
      FAIL() << "no error for " << c.name;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    }
  }
}

TEST(LlmMalformed, CliExitsTwoWithTheMessage) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.name);
    const std::string path = ::testing::TempDir() + "/tops_llm_malformed_" + c.name + ".json";
    // A config that does not look like JSON at all is handed to the ONNX reader, whose error
    // also exits 2.
    std::ofstream(path) << c.json;
    const testing::CliResult r = testing::RunCli({"llm", path});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_FALSE(r.err.empty());
    EXPECT_LT(r.seconds, 5.0);
  }
}

}  // namespace
}  // namespace tops
