// The config path against an ONNX Runtime GenAI-style export of the same decoder: the tiny test
// decoder's sizes (tests/llm/tiny_decoder_config.json) written by bench/llm_onnx_writer.h with the
// contrib ops such exports use (GroupQueryAttention, RotaryEmbedding, SimplifiedLayerNormalization,
// MatMulNBits), weights in a sparse external data file that is never read. Parameters, weight
// bytes, KV bytes, MACs and FLOPs per forward must be equal at three (new, cached) points; the
// MACs also equal hand arithmetic from the sizes.
#include <gtest/gtest.h>

#include <filesystem>

#include "../../bench/llm_onnx_writer.h"
#include "tops/llm.h"
#include "tops/read.h"

namespace tops {
namespace {

const std::string kDir = std::string(TOPS_TEST_DIR) + "/llm/";
// vocab 256, hidden 64, 2 layers, 4 query and 2 KV heads of 16, MLP 128, 2048 positions.
const bench::LlmOnnxSizes kTiny{256, 64, 2, 4, 2, 16, 128, 2048};
constexpr int64_t kParams =
    256 * 64 * 2 + 2 * (64 * 64 * 2 + 64 * 32 * 2 + 3 * 64 * 128 + 2 * 64) + 64;
constexpr int64_t kDenseMacs = 2 * (64 * 64 * 2 + 64 * 32 * 2 + 3 * 64 * 128) + 64 * 256;
constexpr int64_t AttnMacs(int64_t attended) { return 2 * 2 * 4 * 16 * attended; }
// The rotary cos and sin caches the export stores (2048 positions x 8, fp16): tables, not
// parameters, but bytes of the file.
constexpr int64_t kRotaryBytes = 2 * 2048 * 8 * 2;

std::string Write(bool int4) {
  const std::string dir = ::testing::TempDir() + (int4 ? "/tops_genai_int4" : "/tops_genai_fp16");
  std::filesystem::create_directories(dir);
  EXPECT_GT(bench::WriteLlmOnnx(dir, kTiny, int4), 0);
  // The data file is emptied: nothing tops reports can come from its contents.
  std::filesystem::resize_file(dir + "/model.onnx.data", 0);
  return dir + "/model.onnx";
}

TEST(LlmGenAiOnnx, ConfigAndGenAiExportAgree) {
  const Model config = ReadModel(kDir + "tiny_decoder_config.json");
  const Model onnx = ReadModel(Write(false));
  const DecoderFacts fc = InspectDecoder(config);
  const DecoderFacts fo = InspectDecoder(onnx);
  EXPECT_EQ(fc.params, kParams);
  EXPECT_EQ(fo.params, kParams);  // the rotary cos/sin caches are tables, not parameters
  EXPECT_EQ(fo.attention_layers, 2);
  const QuantScheme fp16 = ParseQuantScheme("fp16");
  EXPECT_EQ(WeightBytes(fo, ParseQuantScheme("file")), kParams * 2.0 + kRotaryBytes);
  EXPECT_EQ(WeightBytes(fo, fp16), WeightBytes(fc, fp16));
  for (auto [seq, past] : {std::pair<int64_t, int64_t>{16, 0}, {1, 127}, {1, 1023}}) {
    SCOPED_TRACE(std::to_string(seq) + " new, " + std::to_string(past) + " cached");
    const ForwardCost c = ProfileForward(config, fc, 1, seq, past);
    const ForwardCost o = ProfileForward(onnx, fo, 1, seq, past);
    EXPECT_EQ(o.macs, seq * kDenseMacs + seq * AttnMacs(past + seq));
    EXPECT_EQ(o.macs, c.macs);
    EXPECT_EQ(o.flops(), c.flops());
    EXPECT_EQ(o.uncosted_nodes, 0);
    EXPECT_EQ(KvBytes(fo, fp16, past + seq), 2.0 * 2 * 2 * 16 * (past + seq) * 2);
    EXPECT_EQ(KvBytes(fo, fp16, past + seq), KvBytes(fc, fp16, past + seq));
  }
}

TEST(LlmGenAiOnnx, MatMulNBitsCountsItsWeightsNotItsBytes) {
  const Model config = ReadModel(kDir + "tiny_decoder_config.json");
  const Model onnx = ReadModel(Write(true));
  const DecoderFacts fo = InspectDecoder(onnx);
  EXPECT_TRUE(fo.file_is_quantized);
  EXPECT_EQ(fo.params, kParams);  // K x N weights per MatMulNBits, not its packed bytes
  const DecoderFacts fc = InspectDecoder(config);
  const ForwardCost c = ProfileForward(config, fc, 1, 1, 127);
  const ForwardCost o = ProfileForward(onnx, fo, 1, 1, 127);
  EXPECT_EQ(o.macs, c.macs);
  EXPECT_EQ(o.uncosted_nodes, 0);
  // Stored bytes: every matrix in 4-bit blocks of 32 with one fp16 scale per block (4.5 bits per
  // weight), the embedding, norms and rotary caches in fp16.
  const int64_t matrices = 2 * (64 * 64 * 2 + 64 * 32 * 2 + 3 * 64 * 128) + 64 * 256;
  const int64_t fp16 = 256 * 64 + 2 * 2 * 64 + 64;
  EXPECT_EQ(fo.file_weight_bytes, matrices / 2 + matrices / 32 * 2 + fp16 * 2 + kRotaryBytes);
}

}  // namespace
}  // namespace tops
