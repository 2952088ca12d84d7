// The config path and the ONNX path of one decoder agree: tests/llm/tiny_decoder_config.json and
// tests/llm/tiny_decoder.onnx (both written by make_tiny_decoder.py from one PyTorch model). The
// expected MACs are hand arithmetic from the model's sizes, independent of tops.
#include <gtest/gtest.h>

#include "io/hf_config_reader.h"
#include "tops/error.h"
#include "tops/llm.h"
#include "tops/read.h"

namespace tops {
namespace {

const std::string kDir = std::string(TOPS_TEST_DIR) + "/llm/";

// hidden 64, 2 layers, 4 query heads and 2 KV heads of 16, MLP 128, vocab 256, untied.
constexpr int64_t kParams =
    256 * 64 * 2 + 2 * (64 * 64 * 2 + 64 * 32 * 2 + 3 * 64 * 128 + 2 * 64) + 64;
// MACs per token outside attention: projections and MLP of both layers, then the LM head.
constexpr int64_t kDenseMacs = 2 * (64 * 64 * 2 + 64 * 32 * 2 + 3 * 64 * 128) + 64 * 256;
// Attention per token: Q.K and P.V over every attended key, 4 heads of 16, 2 layers.
constexpr int64_t AttnMacs(int64_t attended) { return 2 * 2 * 4 * 16 * attended; }

TEST(LlmDecoder, ConfigAndOnnxAgree) {
  Model config = ReadModel(kDir + "tiny_decoder_config.json");
  Model onnx = ReadModel(kDir + "tiny_decoder.onnx");
  DecoderFacts fc = InspectDecoder(config);
  DecoderFacts fo = InspectDecoder(onnx);
  EXPECT_EQ(fc.params, kParams);
  EXPECT_EQ(fo.params, kParams);
  EXPECT_EQ(fc.attention_layers, 2);
  EXPECT_EQ(fo.attention_layers, 2);
  EXPECT_EQ(fo.total_dim, "total_sequence_length");
  QuantScheme as_file = ParseQuantScheme("file");
  EXPECT_EQ(WeightBytes(fc, as_file), WeightBytes(fo, as_file));
  EXPECT_EQ(WeightBytes(fo, as_file), kParams * 4.0);  // float32 weights
  QuantScheme fp16 = ParseQuantScheme("fp16");
  // (new tokens, cached tokens): a prefill of 16, a decode at context 128 and at 1024.
  for (auto [seq, past] : {std::pair<int64_t, int64_t>{16, 0}, {1, 127}, {1, 1023}}) {
    SCOPED_TRACE(std::to_string(seq) + " new, " + std::to_string(past) + " cached");
    const ForwardCost c = ProfileForward(config, fc, 1, seq, past);
    const ForwardCost o = ProfileForward(onnx, fo, 1, seq, past);
    const int64_t expected = seq * kDenseMacs + seq * AttnMacs(past + seq);
    EXPECT_EQ(c.macs, expected);
    EXPECT_EQ(o.macs, expected);
    EXPECT_EQ(o.uncosted_nodes, 0);
    // KV cache after the call: 2 layers x (K + V) x 2 heads x 16 x tokens x 2 bytes.
    EXPECT_EQ(KvBytes(fc, fp16, past + seq), 2.0 * 2 * 2 * 16 * (past + seq) * 2);
    EXPECT_EQ(KvBytes(fo, fp16, past + seq), KvBytes(fc, fp16, past + seq));
  }
}

TEST(LlmDecoder, NotADecoderIsAnError) {
  Model m = ReadModel(std::string(TOPS_TEST_DIR) + "/models/resnet18.onnx");
  try {
    InspectDecoder(m);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("past_key_values"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tops
