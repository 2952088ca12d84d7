// The config path and the ONNX path of one decoder agree: tests/llm/tiny_decoder_config.json and
// tests/llm/tiny_decoder.onnx (both written by make_tiny_decoder.py from one PyTorch model). The
// expected MACs and FLOPs are hand arithmetic from the model's sizes, independent of tops: the
// config path's FLOPs exactly, and the export's as the config's plus the itemised work the
// decomposed PyTorch graph does that the fused graph does not.
#include <gtest/gtest.h>

#include <vector>

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

constexpr int64_t kLayers = 2, kHidden = 64, kHeads = 4, kKvHeads = 2, kHeadDim = 16;
constexpr int64_t kInter = 128, kNorms = 2 * kLayers + 1;  // two per layer and the final one

// Non-MAC work of the config's fused graph for s new tokens attending to t keys (docs/ops.md):
// RMS norm 4 per element; RotaryEmbedding 3 per rotated element of Q and K; GroupQueryAttention 6
// per score (scale, softmax 5); two residual adds; SiLU-gated MLP: Sigmoid 4, x * sigmoid 1,
// gate * up 1 per element.
constexpr int64_t ConfigOtherOps(int64_t s, int64_t t) {
  const int64_t per_layer = 3 * s * (kHeads + kKvHeads) * kHeadDim + 6 * s * kHeads * t +
                            2 * s * kHidden + (4 + 1 + 1) * s * kInter;
  return kNorms * 4 * s * kHidden + kLayers * per_layer;
}

// What the PyTorch export computes beyond the fused graph, item by item (per forward of s new
// tokens after t - s cached ones; docs/llm.md "Config and ONNX agree" lists them).
struct ExtraWork {
  const char* what;
  int64_t flops;
};
std::vector<ExtraWork> ExportExtraWork(int64_t s, int64_t t) {
  return {
      // The additive mask is a graph input: one Add per attention score, every layer.
      {"mask added to every attention score", kLayers * s * kHeads * t},
      // x * rsqrt(mean(x^2) + eps) split into Pow, ReduceMean (in + out elements), Add, Sqrt,
      // Div, Mul, Mul: 4 per element as the fused op, plus 4 per row (mean's divide, + eps, sqrt,
      // reciprocal).
      {"RMS norm per-row steps (5 norms)", kNorms * 4 * s},
      // rotate_half negates half of each rotated vector: Neg over Q and K, every layer.
      {"rotate_half's Neg", kLayers * s * (kHeads + kKvHeads) * kHeadDim / 2},
      // position x inverse frequency (head_dim / 2 per token), then Cos and Sin of head_dim.
      {"rotary tables (Mul, Cos, Sin)", s * kHeadDim / 2 + 2 * s * kHeadDim},
      // int64 shape arithmetic, 1 per element as every elementwise op: head_dim // 2 for the
      // rotation of Q and of K (two scalar Divs), and the target shape of repeat-KV's Expand
      // (Mul, Equal, Where over its 5 dims) for K and for V. Not time: the roofline skips
      // integer outputs.
      {"shape arithmetic (Div, Mul, Equal, Where on int64)", kLayers * (2 + 2 * 3 * 5)},
  };
}

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
    EXPECT_EQ(c.uncosted_nodes, 0);
    // FLOPs per forward: the config's from its sizes; the export's is the config's plus each
    // item of extra work, so the two agree exactly once the export's own work is named.
    EXPECT_EQ(c.flops(), 2 * expected + ConfigOtherOps(seq, past + seq));
    int64_t extra = 0;
    for (const ExtraWork& e : ExportExtraWork(seq, past + seq)) {
      EXPECT_GT(e.flops, 0) << e.what;
      extra += e.flops;
    }
    EXPECT_EQ(o.flops(), c.flops() + extra);
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
