// A runtime of fixed-shape graphs (data/chips/llm.yaml `kv_cache: static`, e.g. Genie's QNN
// context binaries) reads the KV cache of the whole context it was built for at every pass; a
// dynamic runtime reads the tokens cached so far. Checked on the tiny decoder, whose KV cache is
// 2 layers x (K + V) x 2 heads x 16 x 2 bytes = 256 bytes per token at fp16 (hand arithmetic),
// with two test runtimes that differ only in that flag.
#include <gtest/gtest.h>

#include "tops/chip.h"
#include "tops/error.h"
#include "tops/llm.h"
#include "tops/read.h"

namespace tops {
namespace {

const std::string kConfig = std::string(TOPS_TEST_DIR) + "/llm/tiny_decoder_config.json";
constexpr double kKvPerToken = 2.0 * 2 * 2 * 16 * 2;

Catalog TestCatalog() {
  Catalog c = Catalog::Builtin();
  c.LoadText(R"(schema_version: 1
llm_runtimes:
  - {id: fixed, name: "fixed-shape test runtime", unit: npu, chips: [rk3588], formats: [fp16],
     prefill_chunk: {value: 16, status: published}, kv_cache: static, source: "test"}
  - {id: growing, name: "dynamic test runtime", unit: npu, chips: [rk3588], formats: [fp16],
     prefill_chunk: {value: 16, status: published}, kv_cache: dynamic, source: "test"}
)",
             "test");
  return c;
}

LlmEstimate Estimate(const Catalog& c, const std::string& runtime, int64_t prompt,
                     int64_t context) {
  const Model m = ReadModel(kConfig);
  const DecoderFacts f = InspectDecoder(m);
  LlmOptions o;
  o.quant = ParseQuantScheme("fp16");
  o.prompt = prompt;
  o.generate = 8;
  o.context = context;
  o.runtime = runtime;
  o.curve = {context - 1};
  return EstimateLlm(m, f, c.Get("rk3588"), c, o);
}

TEST(LlmStaticKv, EveryPassReadsTheWholeContext) {
  const Catalog c = TestCatalog();
  const LlmEstimate fixed = Estimate(c, "fixed", 40, 1024);
  const LlmEstimate growing = Estimate(c, "growing", 40, 1024);
  // Same figures for both (neither has a calibrated family): only the KV traffic differs.
  ASSERT_EQ(fixed.prefill_phases.size(), 3u);  // 40 tokens in chunks of 16, the last padded
  ASSERT_EQ(growing.prefill_phases.size(), 3u);
  for (size_t j = 0; j < 3; ++j) {
    SCOPED_TRACE(j);
    // Fixed shapes: every chunk attends over the cache of 1024 - 16 positions.
    EXPECT_DOUBLE_EQ(fixed.prefill_phases[j].second - growing.prefill_phases[j].second,
                     kKvPerToken * (1024 - 16 - 16 * static_cast<double>(j)));
  }
  EXPECT_GT(fixed.ttft_ms.value, 0);
  // Decode: every step of the fixed runtime is the step at the full context, whatever the
  // prompt, so its mean rate is the curve's rate at 1023 cached tokens.
  EXPECT_DOUBLE_EQ(fixed.decode_tokens_per_s.value, fixed.curve.front().tokens_per_s.value);
  EXPECT_DOUBLE_EQ(Estimate(c, "fixed", 200, 1024).decode_tokens_per_s.value,
                   fixed.decode_tokens_per_s.value);
  EXPECT_GT(growing.decode_tokens_per_s.value, fixed.decode_tokens_per_s.value);
  EXPECT_DOUBLE_EQ(growing.curve.front().bytes_per_step, fixed.curve.front().bytes_per_step);
}

TEST(LlmStaticKv, UnknownModeIsAnError) {
  Catalog c = Catalog::Builtin();
  EXPECT_THROW(c.LoadText(R"(llm_runtimes:
  - {id: x, name: "x", unit: npu, chips: [rk3588], kv_cache: paged, source: "test"}
)",
                          "test"),
               Error);
}

}  // namespace
}  // namespace tops
