// The LLM calibration is the output of the solver, never typed: re-solving the published rows in
// data/measurements/llm must reproduce data/chips/llm_calibration.yaml exactly (regenerate with
// `tops llm-calibrate > data/chips/llm_calibration.yaml`). And the leave-one-out predictions
// must meet the bar the docs state: decode tokens/s within a factor 1.5 for 80% of the rows,
// time to first token within a factor 2 for 70%, over at least 60 rows from 3 runtimes and 4 chip
// families. docs/llm.md carries the solver's Markdown tables as they are.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "tops/chip.h"
#include "tops/error.h"
#include "tops/llm.h"
#include "tops/output.h"
#include "tops/read.h"

namespace tops {
namespace {

const std::string kRoot = std::string(TOPS_TEST_DIR) + "/..";

const LlmCalibrationResult& Result() {
  static const LlmCalibrationResult r = CalibrateLlm(
      LoadLlmMeasurements(kRoot + "/data/measurements/llm"), Catalog::Builtin(), kRoot);
  return r;
}

TEST(LlmCalibration, CatalogFileIsTheSolverOutput) {
  std::ifstream f(kRoot + "/data/chips/llm_calibration.yaml");
  ASSERT_TRUE(f) << "data/chips/llm_calibration.yaml missing";
  std::stringstream s;
  s << f.rdbuf();
  EXPECT_EQ(s.str(), LlmCalibrationYaml(Result()))
      << "regenerate: build/tops llm-calibrate > data/chips/llm_calibration.yaml";
}

TEST(LlmCalibration, LeaveOneOutMeetsTheStatedBar) {
  const LlmCalibrationResult& r = Result();
  EXPECT_TRUE(r.skipped.empty()) << r.skipped.front();
  int rows = 0, dec = 0, dec_ok = 0, ttft = 0, ttft_ok = 0;
  std::set<std::string> runtimes, families;
  for (const auto& fam : r.families) {
    runtimes.insert(fam.runtime);
    families.insert(fam.chip_family);
    for (const auto& row : fam.rows) {
      ++rows;
      const double factor = std::max(row.loo_ratio, 1 / row.loo_ratio);
      if (row.row.metric == LlmMetric::kDecodeTokensPerS) {
        ++dec;
        dec_ok += factor <= 1.5;
      } else {
        ++ttft;
        ttft_ok += factor <= 2.0;
      }
    }
  }
  EXPECT_GE(rows, 60);
  EXPECT_GE(runtimes.size(), 3u);
  EXPECT_GE(families.size(), 4u);
  EXPECT_GE(dec_ok, 0.8 * dec) << dec_ok << " of " << dec;
  EXPECT_GE(ttft_ok, 0.7 * ttft) << ttft_ok << " of " << ttft;
  // The bands are the 5th to 95th percentiles of the other rows' left-out ratios: most
  // measurements fall inside the band printed with their left-out prediction.
  EXPECT_GE(r.loo.in_band, 0.8 * r.loo.rows) << r.loo.in_band << " of " << r.loo.rows;
  for (const auto& fam : r.families) {
    for (const PredictionBand& b : {fam.figures.decode_band, fam.figures.ttft_band}) {
      EXPECT_TRUE(b.known() && b.low <= 1 && b.high >= 1) << fam.id;
    }
  }
}

// `tops llm` with the shipped calibration (family figures and each chip's bandwidth share, as
// the YAML stores them to 4 digits) gives every fitted row the solver's in-sample prediction: the
// estimate and the solver use one model.
TEST(LlmCalibration, EstimateReproducesTheFittedRows) {
  const Catalog catalog = Catalog::Builtin();
  int checked = 0;
  for (const auto& fam : Result().families) {
    for (const auto& row : fam.rows) {
      const LlmMeasurement& m = row.row;
      SCOPED_TRACE(m.id);
      Model model = ReadModel(kRoot + "/" + m.model);
      const DecoderFacts facts = InspectDecoder(model);
      LlmOptions o;
      o.quant = ParseQuantScheme(m.quant);
      o.quant.kv_bits = m.kv_bits;
      o.prompt = std::max<int64_t>(m.prompt, 1);
      o.generate = std::max<int64_t>(m.generate, 1);
      o.runtime = m.runtime;
      if (m.chunk > 0) o.prefill_chunk = m.chunk;
      if (m.context > 0) o.context = m.context;
      const LlmEstimate e = EstimateLlm(model, facts, catalog.Get(m.chip), catalog, o);
      const double got =
          m.metric == LlmMetric::kDecodeTokensPerS ? e.decode_tokens_per_s.value : e.ttft_ms.value;
      EXPECT_NEAR(got / row.predicted, 1.0, 2e-3) << got << " vs " << row.predicted;
      ++checked;
    }
  }
  EXPECT_GE(checked, 60);
}

// Every line `tops llm-calibrate --format md` prints (per-family figures, row tables, the
// leave-one-out summary) appears in docs/llm.md, so the documented table is the current one.
TEST(LlmCalibration, DocsCarryTheCurrentTables) {
  std::ifstream f(kRoot + "/docs/llm.md");
  ASSERT_TRUE(f) << "docs/llm.md missing";
  std::stringstream docs;
  docs << f.rdbuf();
  std::stringstream md;
  Write(md, Result(), Format::kMarkdown);
  std::string line;
  int lines = 0;
  while (std::getline(md, line)) {
    if (line.empty() || line.rfind("<!--", 0) == 0) continue;
    EXPECT_NE(docs.str().find(line), std::string::npos)
        << "docs/llm.md lacks: " << line << "\n(paste `build/tops llm-calibrate --format md`)";
    ++lines;
  }
  EXPECT_GT(lines, 60);
}

TEST(LlmCalibration, BadRowsAreErrors) {
  const std::string path = ::testing::TempDir() + "/tops_llm_rows.yaml";
  std::ofstream(path) << "rows:\n  - {id: a, chip: rk3588, runtime: rkllm, model: x.json, "
                         "quant: w8a8, prompt: 1, generate: 1, metric: speed, value: 1, "
                         "source: s, quote: q}\n";
  try {
    LoadLlmMeasurements(path);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown metric 'speed'"), std::string::npos);
  }
}

}  // namespace
}  // namespace tops
