// Writers for `tops llm` and `tops rank` of a language model: terminal table, JSON
// (schema_version 1), CSV and Markdown. They serialise LlmEstimate / LlmRank; nothing is computed.
#pragma once

#include <ostream>
#include <vector>

#include "tops/llm.h"
#include "tops/report.h"

namespace tops {

inline constexpr int kLlmSchemaVersion = 1;

// The decoder alone (no chip): parameters, KV bytes per token, FLOPs per token.
struct LlmModelView {
  std::string path;
  DecoderFacts facts;
  QuantScheme quant;
  double weight_bytes = 0;
  double kv_bytes_per_token = 0;
  ForwardCost decode_at_prompt;  // one token after the prompt
  int64_t prompt = 0;
};

void WriteLlmModel(std::ostream& os, const LlmModelView& v, Format format);
// One estimate per quantisation scheme (what-if over schemes when several are given).
void WriteLlmEstimates(std::ostream& os, const std::string& path,
                       const std::vector<LlmEstimate>& estimates, Format format);
// A self-contained HTML page with a tokens/s-vs-context chart (src/report/llm_html.cc).
void WriteLlmHtml(std::ostream& os, const std::string& path, const std::vector<LlmEstimate>& es);
// Calibration rows: measured, predicted in sample and left out, per family.
void WriteLlmCalibration(std::ostream& os, const LlmCalibrationResult& r, Format format);
void WriteLlmRank(std::ostream& os, const std::string& path, const LlmRank& rank, Format format);

}  // namespace tops
