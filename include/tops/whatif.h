// What-if: the seed article's ways out when a chip is not enough (section 4: quantise, prune,
// swap the architecture), plus batching, evaluated on one model and one chip. Each scenario is
// a transformed Profile run through the same Fit (article check and per-layer roofline), so a
// scenario's numbers are re-derivable with `tops fit` on the transformed model.
//
// Invariants: a scenario never claims a speed-up the chip cannot deliver. Unstructured sparsity
// reduces executed MACs only on a chip whose catalog publishes a sparse peak, and only when the
// pruning can take the chip's pattern (N:M); elsewhere only the stored weight bytes fall.
// Structured pruning removes whole channels and propagates them through the graph: the layers
// that read a pruned tensor lose input channels too. A model that is already quantised runs at
// the precision its graph fixes, not at the requested one.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tops/chip.h"
#include "tops/fit.h"
#include "tops/graph.h"
#include "tops/profile.h"
#include "tops/quantized.h"

namespace tops {

enum class ScenarioKind { kBaseline, kPrecision, kUnstructured, kStructured, kBatch };
std::string_view ScenarioKindName(ScenarioKind k);

struct Scenario {
  std::string name;  // "baseline", "fp16", "unstructured-50", "structured-30", "batch-4"
  ScenarioKind kind = ScenarioKind::kBaseline;
  std::optional<Precision> precision;  // kPrecision: the precision tried
  double ratio = 0;                    // pruning: fraction of weights (or channels) removed
  int batch = 1;                       // kBatch
};

// Every scenario in display order: baseline; fp32, fp16, int8, int4; unstructured and
// structured pruning at 30/50/70%; batch 1/2/4/8.
const std::vector<Scenario>& AllScenarios();
// By name (case-insensitive); throws tops::Error listing the names.
const Scenario& FindScenario(std::string_view name);

// ---- Profile transforms (each returns a new Profile; the input is left as it was) ----------

// Structured (channel) pruning: every prunable layer keeps C - floor(ratio * C) of its C output
// channels, and every layer reading that tensor, directly or through channel-preserving ops,
// loses the same fraction of its input channels. Layers whose output reaches a graph output
// without another MAC layer in between keep all their outputs (they are the model's answer).
// Approximations are appended to `notes`.
Profile PruneChannels(const Model& model, const Profile& profile, double ratio,
                      std::vector<std::string>* notes);

// Weight sparsity: in layers with a weight (Conv with group 1, Gemm, MatMul with an initializer
// operand) the executed MACs are multiplied by `mac_factor` and the stored weights by
// `storage_factor` (compressed size / dense size at the same precision).
Profile SparsifyWeights(const Model& model, const Profile& profile, double mac_factor,
                        double storage_factor);

// Batch scaling for a model whose batch dim is fixed in the file: MACs, other ops and activation
// bytes times `batch`, weights unchanged (they are read once per inference).
Profile ScaleBatch(const Model& model, const Profile& profile, int batch);

// ---- What-if ---------------------------------------------------------------------------

struct WhatifOptions {
  double fps = kDefaultFps;
  // Precision of every scenario except the precision ones, unless the graph fixes one
  // (ChoosePrecision); int8 when not given.
  std::optional<Precision> precision;
  double utilization = kArticleUtilization;
  ProfileOptions profile;              // the user's input shapes and dim bindings
  std::vector<std::string> scenarios;  // names; empty: all
};

struct ScenarioResult {
  Scenario scenario;
  Precision precision = Precision::kInt8;
  // What the scenario changed on this chip, in words ("MACs x0.5 on 2:4 sparse units").
  std::string effect;
  // Batch: "re-profiled with batch=4" or "scaled x4 (batch dim fixed in the file)".
  std::string method;
  double macs = 0;                  // executed per frame (per inference / batch)
  double nonzero_params = 0;        // weights left after pruning
  double weight_bytes = 0;          // stored at this precision (compressed when sparse)
  double required_tops = 0;         // article convention, INT8-equivalent: 2*MACs*fps*factor/1e12
  std::optional<double> peak_tops;  // chip's dense peak at this precision
  // Peak the roofline used: less than peak_tops where one inference cannot use every unit.
  std::optional<double> roofline_peak_tops;
  std::optional<double> latency_ms;     // one inference (a whole batch for batch scenarios)
  std::optional<double> fps;            // frames per second (batch * inferences per second)
  std::optional<double> bandwidth_gbs;  // DRAM traffic at the requested frame rate
  // Likely range of latency_ms and fps, as `tops fit` gives it: the family's leave-one-out band
  // (`band.rows` rows behind it). Absent when the roofline or the band is.
  std::optional<double> latency_low_ms, latency_high_ms;
  std::optional<double> fps_low, fps_high;
  PredictionBand band;
  std::optional<Bound> bound;
  bool fits = false;
  VerdictBasis verdict_basis = VerdictBasis::kArticle;  // article: no peak for the roofline
  std::vector<MissingFigure> missing;                   // figures the catalog lacks for this row
  std::vector<std::string> notes;                       // approximations of this row's transform
};

struct WhatifResult {
  std::string model;
  std::string chip_id;
  std::string chip_name;
  double fps = 0;
  Precision precision = Precision::kInt8;  // of the non-precision scenarios
  PrecisionSource precision_source = PrecisionSource::kOption;
  QuantInfo quant;
  std::optional<std::string> batch_symbol;  // symbolic batch dim of the file, if any
  // Model-level notes (bindings, uncosted nodes), the roofline's caveats (unverified figures)
  // and figures every row lacks, said once.
  std::vector<std::string> notes;
  std::vector<ScenarioResult> rows;
};

// Profiles `model` (binding a symbolic batch dim to 1 unless the options bind it) and runs the
// chosen scenarios. Throws tops::Error for an unknown scenario or bad options.
WhatifResult WhatIf(const Model& model, const Chip& chip, const Family& family,
                    const WhatifOptions& options);

// ---- Compare (swap the architecture) -------------------------------------------------

struct CompareInput {
  std::string label;
  const Profile* profile = nullptr;
};

struct CompareOptions {
  double fps = kDefaultFps;
  std::optional<Precision> precision;  // models whose graph fixes none; int8 when not given
  double utilization = kArticleUtilization;
};

struct CompareRow {
  std::string label;
  Precision precision = Precision::kInt8;
  PrecisionSource precision_source = PrecisionSource::kOption;
  int64_t params = 0;
  int64_t macs = 0;
  int64_t flops = 0;
  double weight_bytes = 0;  // at the row's precision
  int64_t nodes_without_cost = 0;
  double required_tops = 0;  // article convention, INT8-equivalent
  FitResult fit;
  std::vector<std::string> notes;  // this model's missing figures and caveats only
};

// Columns where one model is best, with the direction that makes it best.
inline constexpr std::string_view kCompareColumns[] = {
    "params", "macs", "weight_bytes", "required_tops", "latency_ms", "fps"};

struct CompareResult {
  std::string chip_id;
  std::string chip_name;
  double fps = 0;
  std::vector<CompareRow> rows;
  // Missing figures and caveats every row shares (the chip's), said once.
  std::vector<std::string> notes;
  // Column name (kCompareColumns) -> index of the best row: lowest cost, highest FPS. Absent
  // when no row has the figure.
  std::map<std::string, size_t> best;
};

CompareResult Compare(const std::vector<CompareInput>& inputs, const Chip& chip,
                      const Family& family, const CompareOptions& options);

}  // namespace tops
