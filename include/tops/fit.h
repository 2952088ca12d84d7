// Requirement, fit and rank: from model profiles and target frame rates to "is this chip enough,
// by how much, and how fast will it really run".
//
// Two answers sit side by side:
//  - the seed article's rule (check_hardware): required TOPS = 2 * MACs * fps / 10^12, effective
//    TOPS = peak * utilisation, sufficient when effective >= required, margin = |effective -
//    required|;
//  - a per-layer roofline: time = max(ops / (peak * efficiency), DRAM bytes / bandwidth) +
//    per-layer overhead, with efficiency and overhead from the chip's calibration family, and
//    on-chip memory deciding which tensors travel to DRAM.
// Several models on one chip add their loads. Nothing here prints; report/ serialises results.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tops/chip.h"
#include "tops/profile.h"
#include "tops/quantized.h"

namespace tops {

// ---- Defaults every command shares (decided here, once) -------------------------------------

// The seed article's check_hardware default: effective TOPS = peak x 0.6 (it quotes 30-70 % as
// the typical range of real utilisation).
inline constexpr double kArticleUtilization = 0.6;
// The seed article's estimate_requirements default frame rate (frame_rate=30).
inline constexpr double kDefaultFps = 30;

// ---- The seed article's convention -------------------------------------------------------

// Article's precision table: FP16 needs 2x and FP32 4x the INT8 TOPS ("INT8-equivalent").
// INT4 is half of INT8 and BF16 counts as FP16 by the same reasoning (bits / 8).
double ArticlePrecisionFactor(Precision p);

// 2 * MACs * fps * factor / 10^12 (article: "1 MAC ~ 2 OPs", TOPS = OPs * rate / 10^12).
double RequiredTops(double macs, double fps, double factor = 1.0);

struct ArticleCheck {
  double required_tops = 0;
  double effective_tops = 0;
  bool is_sufficient = false;
  double margin = 0;  // |effective - required|, as the article reports it
};

// The article's check_hardware with the chip's peak and the utilisation (article default 0.6).
ArticleCheck CheckHardware(double required_tops, double chip_tops,
                           double utilization = kArticleUtilization);

// ---- Inputs ----------------------------------------------------------------------------------

struct ModelLoad {
  std::string label;  // file name as given ("a.onnx")
  const Profile* profile = nullptr;
  double fps = kDefaultFps;
};

// ---- Precision policy ------------------------------------------------------------------------

// The precision an answer uses: the one the first model whose graph fixes one says (quantised
// operators, integer or float16 weights), else the one asked for, else int8 (the article's
// default). `note` says why when a graph decided.
struct PrecisionChoice {
  Precision precision = Precision::kInt8;
  PrecisionSource source = PrecisionSource::kOption;
  std::string note;
};
PrecisionChoice ChoosePrecision(const std::vector<ModelLoad>& loads,
                                std::optional<Precision> asked);
// A precision used as given (what-if rows that try each precision).
inline PrecisionChoice UsePrecision(Precision p) { return {p, PrecisionSource::kOption, {}}; }

// A figure the catalog lacks for an answer: `figure` names it ("fp16 dense peak"), `text` is
// the line people read (it may add how the answer did without it).
struct MissingFigure {
  std::string figure;
  std::string text;
  bool operator==(const MissingFigure& o) const { return figure == o.figure && text == o.text; }
};

// The people-readable lines of missing figures and caveats, in order.
std::vector<std::string> Texts(const std::vector<MissingFigure>& missing);

// ---- require -----------------------------------------------------------------------------

struct ModelDemand {
  std::string label;
  double fps = 0;
  double macs = 0;
  double other_ops = 0;
  double ops_per_frame = 0;  // 2 * MACs (article convention; other ops shown apart)
  double weight_elems = 0;
  double activation_elems = 0;  // elements written by all nodes with a float output
};

struct PrecisionRequirement {
  Precision precision = Precision::kInt8;
  double article_factor = 1;
  double int8_equivalent_tops = 0;       // article convention: ops/s * factor / 10^12
  double own_tops = 0;                   // ops/s / 10^12, to compare with this precision's own peak
  double weight_bytes_per_second = 0;    // weights read once per inference
  double all_dram_bytes_per_second = 0;  // weights plus every activation written and read
};

struct Requirement {
  std::vector<ModelDemand> models;
  double ops_per_second = 0;                     // sum over models of ops_per_frame * fps
  std::vector<PrecisionRequirement> precisions;  // int8, fp16, fp32
};

Requirement Require(const std::vector<ModelLoad>& loads);

// ---- fit ---------------------------------------------------------------------------------

struct FitOptions {
  PrecisionChoice precision;
  double utilization = kArticleUtilization;
  std::optional<double> power_w;  // power mode; default the highest mode of the chip
  // Throughput mode: every unit of the chip busy with independent frames, per-layer overhead and
  // weight traffic amortised over a large batch (what MLPerf "offline" measures).
  bool throughput = false;
  int top_layers = 5;
};

enum class Bound { kCompute, kMemory, kOverhead, kCpu };  // kCpu: the op fell back to the CPU
std::string_view BoundName(Bound b);

// How the article's check compares demand and peak.
enum class ArticleConvention {
  kOwnPeak,         // required ops at this precision against this precision's dense peak
  kInt8Equivalent,  // article convention against the INT8 peak (this precision's peak unknown)
  kUnavailable,     // no usable peak
};
std::string_view ArticleConventionName(ArticleConvention c);  // "own_peak", ...

// What a verdict rests on: the roofline prediction when there is one, else the article's rule.
enum class VerdictBasis { kRoofline, kArticle };
std::string_view VerdictBasisName(VerdictBasis b);  // "roofline", "article"

// Something a prediction had to assume; `figure` names the figure concerned (empty if none).
enum class CaveatKind {
  kUnverifiedFigure,     // a catalog figure marked unverified was used
  kUnitsShareUnknown,    // whether one inference can use every unit of the peak is unknown
  kPowerMode,            // the power mode scales the peaks (or the scaling is unknown)
  kBandwidthUnknown,     // DRAM traffic not timed: bandwidth unknown
  kNodesWithoutFormula,  // nodes without a cost formula are not counted
  kPrecisionFromGraph,   // the graph fixed the precision, not the request
  kContextSwitches,      // weights over the chip's capacity: contexts switched per image
  kRuntime,              // which runtime's solved figures the prediction uses
  kCpuFallback,          // ops the NPU does not run fall back to the host CPU
};
struct Caveat {
  CaveatKind kind = CaveatKind::kUnverifiedFigure;
  std::string figure;
  std::string text;  // one sentence for people
  bool operator==(const Caveat& o) const { return kind == o.kind && text == o.text; }
};
std::vector<std::string> Texts(const std::vector<Caveat>& caveats);

struct LayerEstimate {
  std::string model;
  size_t index = 0;  // into the model's Profile::nodes
  std::string node;
  std::string op;
  OpClass op_class = OpClass::kConv;
  double ops = 0;
  double dram_bytes = 0;
  double compute_ms = 0;
  double memory_ms = 0;
  double overhead_ms = 0;
  double time_ms = 0;
  Bound bound = Bound::kCompute;
};

struct ModelPrediction {
  std::string label;
  double fps_requested = 0;
  double latency_ms = 0;
  double fps = 0;          // frames/s of this model alone on the chip
  double load = 0;         // fps_requested * latency: share of the chip's time it needs
  double compute_ms = 0;   // sum over layers of their compute-bound time
  double memory_ms = 0;    // sum over layers of their memory-bound time
  double overhead_ms = 0;  // sum of per-layer overheads, the per-inference one and context switches
  double context_ms = 0;   // context switches (weights over the chip's capacity), in overhead_ms
  double cpu_ms = 0;  // nodes that fell back to the CPU, with their transfers (in no other sum)
  int cpu_nodes = 0;
  // Time no layer owns: the per-inference overhead and the context switches (in overhead_ms);
  // the layers' times add up to latency_ms - fixed_ms.
  double fixed_ms = 0;
  double contexts = 1;    // contexts the network is split into (1: its weights fit)
  double dram_bytes = 0;  // per inference
  // Likely range of the latency (the family's leave-one-out band); 0 when no band is known.
  double latency_low_ms = 0, latency_high_ms = 0;
  bool weights_on_chip = false;
  int layers = 0;
  int skipped_nodes = 0;  // shape arithmetic folded at compile time
  std::vector<LayerEstimate> top_layers;
};

struct Prediction {
  bool available = false;
  std::vector<MissingFigure> missing;  // figures the prediction needs but the catalog lacks
  std::vector<Caveat> caveats;         // unverified figures used, approximations
  double peak_tops = 0;   // dense peak the prediction uses (after single-inference share)
  double latency_ms = 0;  // one inference of every model, back to back
  double fps = 0;         // 1000 / latency_ms
  // Likely range (the family's leave-one-out band, `band.rows` rows behind it): the measured
  // latency of 9 in 10 such predictions fell inside. 0 when the figures have no band.
  double latency_low_ms = 0, latency_high_ms = 0;
  double fps_low = 0, fps_high = 0;
  PredictionBand band;
  std::string runtime;     // runtime the figures were solved on ("" for hand-set figures)
  double utilization = 0;  // ops actually executed per second / peak_tops
  Bound bound = Bound::kCompute;
  double load = 0;  // sum of model loads; <= 1 means the frame rates are met
  bool fits = false;
  double bandwidth_gbs = 0;  // DRAM traffic at the requested frame rates
  std::optional<double> power_w;
  // The chosen power mode is below the one the peaks are quoted at and the catalog has no
  // per-mode figures: the numbers use the higher mode's peaks (optimistic).
  bool peaks_from_higher_mode = false;
  std::optional<double> energy_mj;  // per inference (power mode * latency)
  std::optional<double> fps_per_watt;
  std::optional<double> tops_per_watt;  // dense peak / power mode (datasheet efficiency)
  std::optional<double> achieved_tops_per_watt;
  std::vector<ModelPrediction> models;
};

struct FitResult {
  std::string chip_id;
  std::string chip_name;
  Precision precision = Precision::kInt8;
  PrecisionSource precision_source = PrecisionSource::kOption;
  double utilization = kArticleUtilization;
  ArticleConvention convention = ArticleConvention::kUnavailable;
  std::optional<double> chip_tops;
  double required_tops = 0;
  std::optional<double> effective_tops;
  std::optional<bool> is_sufficient;
  std::optional<double> margin;
  std::vector<MissingFigure> missing;
  Prediction predicted;
  bool fits = false;  // the verdict: prediction when available, else article
  VerdictBasis verdict_basis = VerdictBasis::kArticle;
};

FitResult Fit(const std::vector<ModelLoad>& loads, const Chip& chip, const Family& family,
              const FitOptions& options);

// ---- rank --------------------------------------------------------------------------------

struct RankOptions {
  FitOptions fit;
  std::optional<double> max_watts;  // keep chips with a power mode at or under this budget
};

struct RankRow {
  const Chip* chip = nullptr;
  FitResult fit;
};

struct RankExclusion {
  std::string chip_id;
  std::string reason;
};

struct RankResult {
  Precision precision = Precision::kInt8;
  PrecisionSource precision_source = PrecisionSource::kOption;
  std::string precision_note;  // why, when a graph fixed the precision
  std::vector<RankRow> rows;   // fitting chips first, then by predicted FPS, unknowns last
  std::vector<RankExclusion> excluded;
};

RankResult Rank(const std::vector<ModelLoad>& loads, const Catalog& catalog,
                const RankOptions& options);

}  // namespace tops
