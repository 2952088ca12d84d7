// libFuzzer target for Hugging Face config.json files: arbitrary bytes through the config reader,
// the decoder graph it builds, InspectDecoder, a profile of one prefill and one decode step, an
// estimate on RK3588 and every LLM writer. A tops::Error is a correct answer; anything else
// (crash, sanitizer report, hang, an allocation the size of a bogus config) is a finding.
// Seeds: tests/llm/configs/ and tests/fuzz/corpus_hf/ (`make fuzz`).
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "io/hf_config_reader.h"
#include "tops/chip.h"
#include "tops/error.h"
#include "tops/llm.h"
#include "tops/output.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const tops::Catalog catalog = tops::Catalog::Builtin();
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    tops::DecoderSpec spec = tops::ParseHfConfig(text, "fuzz");
    // Building a graph of thousands of huge layers is slow but not wrong; keep runs short.
    if (spec.layers > 64 || spec.hidden > 16384 || spec.vocab > 300000) return 0;
    tops::Model model = tops::BuildDecoderGraph(spec, "fuzz");
    tops::DecoderFacts facts = tops::InspectDecoder(model);
    tops::ProfileForward(model, facts, 1, 4, 0);
    tops::LlmOptions o;
    o.prompt = 8;
    o.generate = 4;
    o.curve = {16};
    const tops::Chip& chip = catalog.Get("rk3588");
    std::ostringstream os;
    for (const char* q : {"fp16", "w4a16_g128"}) {
      o.quant = tops::ParseQuantScheme(q);
      tops::LlmEstimate e = tops::EstimateLlm(model, facts, chip, catalog, o);
      for (tops::Format f : {tops::Format::kTable, tops::Format::kJson, tops::Format::kCsv,
                             tops::Format::kMarkdown}) {
        tops::Write(os, tops::LlmEstimates{"fuzz", {e}}, f);
      }
    }
  } catch (const tops::Error&) {
  }
  return 0;
}
