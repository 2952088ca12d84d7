// Table, JSON, CSV and Markdown writers for require, fit, rank and the chip catalog.
#include "report/fit_writers.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "fmt/format.h"
#include "report/build_info_json.h"
#include "report/json_text.h"
#include "tops/error.h"

namespace tops {
namespace {

using Json = nlohmann::ordered_json;

Json Opt(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

// "137.5*" for derived, "45?" for unverified, "-" for unknown: the table's legend explains it.
std::string Cell(const Figure& f) {
  if (!f.known()) return "-";
  std::string s = fmt::format("{:g}", *f);
  if (f.status == FigureStatus::kDerived) s += "*";
  if (f.status == FigureStatus::kUnverified) s += "?";
  return s;
}

std::string Num(double v) {
  if (v == 0) return "0";
  if (std::abs(v) >= 100) return fmt::format("{:.0f}", v);
  if (std::abs(v) >= 10) return fmt::format("{:.1f}", v);
  if (std::abs(v) >= 0.01) return fmt::format("{:.3g}", v);
  return fmt::format("{:.2e}", v);
}

std::string OptNum(const std::optional<double>& v) { return v ? Num(*v) : "-"; }

std::string Modes(const ListFigure& f) {
  if (!f.known()) return "-";
  std::string s;
  for (double v : f.values) s += (s.empty() ? "" : "/") + fmt::format("{:g}", v);
  return s;
}

Json FigureJson(const Figure& f) {
  if (!f.known()) {
    Json j = {{"value", nullptr}};
    if (!f.note.empty()) j["note"] = f.note;
    return j;
  }
  Json j = {{"value", *f}, {"status", FigureStatusName(f.status)}, {"source", f.source}};
  if (!f.how.empty()) j["how"] = f.how;
  if (!f.note.empty()) j["note"] = f.note;
  return j;
}

Json ListJson(const ListFigure& f) {
  if (!f.known()) {
    Json j = {{"values", nullptr}};
    if (!f.note.empty()) j["note"] = f.note;
    return j;
  }
  Json j = {{"values", f.values}, {"status", FigureStatusName(f.status)}, {"source", f.source}};
  if (!f.how.empty()) j["how"] = f.how;
  if (!f.note.empty()) j["note"] = f.note;
  return j;
}

Json LayerJson(const LayerEstimate& l) {
  return Json{{"model", l.model},
              {"node", l.node},
              {"op", l.op},
              {"class", OpClassName(l.op_class)},
              {"ops", l.ops},
              {"dram_bytes", l.dram_bytes},
              {"compute_ms", l.compute_ms},
              {"memory_ms", l.memory_ms},
              {"overhead_ms", l.overhead_ms},
              {"time_ms", l.time_ms},
              {"bound", BoundName(l.bound)}};
}

Json FitJson(const FitResult& r) {
  const Prediction& p = r.predicted;
  Json pred;
  pred["available"] = p.available;
  pred["latency_ms"] = p.available ? Json(p.latency_ms) : Json(nullptr);
  pred["fps"] = p.available ? Json(p.fps) : Json(nullptr);
  pred["utilization"] = p.available ? Json(p.utilization) : Json(nullptr);
  pred["bound"] = p.available ? Json(BoundName(p.bound)) : Json(nullptr);
  pred["load"] = p.available ? Json(p.load) : Json(nullptr);
  pred["fits"] = p.available ? Json(p.fits) : Json(nullptr);
  pred["peak_tops"] = p.available ? Json(p.peak_tops) : Json(nullptr);
  pred["bandwidth_gbs"] = p.available ? Json(p.bandwidth_gbs) : Json(nullptr);
  pred["power_w"] = Opt(p.power_w);
  pred["peaks_from_higher_mode"] = p.peaks_from_higher_mode;
  pred["energy_mj"] = Opt(p.energy_mj);
  pred["fps_per_watt"] = Opt(p.fps_per_watt);
  pred["tops_per_watt"] = Opt(p.tops_per_watt);
  pred["achieved_tops_per_watt"] = Opt(p.achieved_tops_per_watt);
  pred["missing"] = Texts(p.missing);
  pred["caveats"] = Texts(p.caveats);
  Json models = Json::array();
  for (const ModelPrediction& m : p.models) {
    Json layers = Json::array();
    for (const LayerEstimate& l : m.top_layers) layers.push_back(LayerJson(l));
    models.push_back(Json{{"label", m.label},
                          {"fps_requested", m.fps_requested},
                          {"latency_ms", m.latency_ms},
                          {"fps", m.fps},
                          {"load", m.load},
                          {"compute_ms", m.compute_ms},
                          {"memory_ms", m.memory_ms},
                          {"overhead_ms", m.overhead_ms},
                          {"dram_bytes", m.dram_bytes},
                          {"weights_on_chip", m.weights_on_chip},
                          {"layers", m.layers},
                          {"skipped_nodes", m.skipped_nodes},
                          {"top_layers", layers}});
  }
  pred["models"] = models;

  Json j;
  j["chip"] = {{"id", r.chip_id}, {"name", r.chip_name}};
  j["precision"] = PrecisionName(r.precision);
  j["utilization"] = r.utilization;
  j["convention"] = ArticleConventionName(r.convention);
  j["chip_tops"] = Opt(r.chip_tops);
  j["required_tops"] = r.required_tops;
  j["effective_tops"] = Opt(r.effective_tops);
  j["is_sufficient"] = r.is_sufficient ? Json(*r.is_sufficient) : Json(nullptr);
  j["margin"] = Opt(r.margin);
  j["missing"] = Texts(r.missing);
  j["predicted"] = pred;
  j["fits"] = r.fits;
  j["verdict_basis"] = VerdictBasisName(r.verdict_basis);
  return j;
}

// "a.onnx @ 30 fps + b.onnx @ 10 fps"; empty when the prediction has no models.
std::string WorkloadText(const Prediction& p) {
  std::string workload;
  for (const ModelPrediction& m : p.models) {
    workload +=
        (workload.empty() ? "" : " + ") + fmt::format("{} @ {:g} fps", m.label, m.fps_requested);
  }
  return workload;
}

std::string ArticleRuleText(const FitResult& r) {
  const std::string prec(PrecisionName(r.precision));
  const bool own = r.convention == ArticleConvention::kOwnPeak;
  const char* convention = own ? "against the dense "
                           : r.convention == ArticleConvention::kInt8Equivalent
                               ? "INT8-equivalent, against the INT8 "
                               : "no usable ";
  return fmt::format("Article rule (check_hardware, utilisation {:.2f}, {}peak)", r.utilization,
                     convention + (own ? prec + " " : std::string()));
}

// "power mode 15 W: 2.10 mJ/inference, ..."; empty without a power mode.
std::string PowerText(const Prediction& p) {
  if (!p.power_w) return "";
  std::string s = fmt::format("power mode {:g} W", *p.power_w);
  if (p.energy_mj) {
    s += fmt::format(": {:.2f} mJ/inference, {:.1f} FPS/W, achieved {:.3g} TOPS/W", *p.energy_mj,
                     *p.fps_per_watt, *p.achieved_tops_per_watt);
  }
  if (p.tops_per_watt) s += fmt::format(" (datasheet {:.3g} TOPS/W)", *p.tops_per_watt);
  if (p.peaks_from_higher_mode) s += "; peaks of a higher mode (optimistic)";
  return s;
}

std::string LayersHeading(const ModelPrediction& m, const std::string& label) {
  return fmt::format("Dominant layers of {} ({} layers, {:.3f} ms, weights {})", label, m.layers,
                     m.latency_ms, m.weights_on_chip ? "on chip" : "from DRAM");
}

// The article's figures and the fit's missing ones (the check's, then the prediction's).
std::vector<std::string> AllMissing(const FitResult& r) {
  std::vector<std::string> missing = Texts(r.missing);
  for (const std::string& m : Texts(r.predicted.missing)) missing.push_back(m);
  return missing;
}

std::string VerdictText(const FitResult& r) {
  return fmt::format("{} ({})", r.fits ? "fits" : "does not fit",
                     VerdictBasisName(r.verdict_basis));
}

void FitTable(std::ostream& os, const FitResult& r) {
  const Prediction& p = r.predicted;
  const std::string prec(PrecisionName(r.precision));
  os << fmt::format("Chip      {} ({})\n", r.chip_name, r.chip_id);
  const std::string workload = WorkloadText(p);
  if (!workload.empty()) os << fmt::format("Workload  {}, {}\n", workload, prec);
  os << "\n";
  os << ArticleRuleText(r) << ":\n";
  os << fmt::format("  required_tops   {:.4f}\n", r.required_tops);
  if (r.effective_tops) {
    os << fmt::format("  effective_tops  {:.4f}   (peak {:g} x {:.2f})\n", *r.effective_tops,
                      *r.chip_tops, r.utilization);
    os << fmt::format("  is_sufficient   {}\n", *r.is_sufficient ? "yes" : "no");
    os << fmt::format("  margin          {:.4f}\n", *r.margin);
  } else {
    os << "  effective_tops  -   (no peak)\n";
  }
  os << "\nRoofline prediction";
  if (!p.available) {
    os << ": not available\n";
  } else {
    os << fmt::format(" (peak used {:g} TOPS):\n", p.peak_tops);
    os << fmt::format("  latency {:.3f} ms   fps {:.1f}   utilisation {:.1f}%   bound {}\n",
                      p.latency_ms, p.fps, 100 * p.utilization, BoundName(p.bound));
    os << fmt::format("  load {:.1f}% of the chip at the requested rates: {}\n", 100 * p.load,
                      p.fits ? "fits" : "does NOT fit");
    os << fmt::format("  DRAM traffic {:.2f} GB/s at the requested rates\n", p.bandwidth_gbs);
  }
  if (p.power_w) os << "  " << PowerText(p) << "\n";
  for (const ModelPrediction& m : p.models) {
    if (m.top_layers.empty()) continue;
    os << "\n" << LayersHeading(m, m.label) << ":\n";
    size_t op_width = 10;  // ONNX names fit; TFLite's (DEPTHWISE_CONV_2D) widen the column
    for (const LayerEstimate& l : m.top_layers) op_width = std::max(op_width, l.op.size());
    os << fmt::format("  {:<40} {:<{}} {:<11} {:>9} {:>9} {:>9} {:>8}\n", "node", "op", op_width,
                      "class", "time ms", "compute", "memory", "bound");
    for (const LayerEstimate& l : m.top_layers) {
      std::string name = l.node.size() > 40 ? l.node.substr(0, 37) + "..." : l.node;
      os << fmt::format("  {:<40} {:<{}} {:<11} {:>9.4f} {:>9.4f} {:>9.4f} {:>8}\n", name, l.op,
                        op_width, OpClassName(l.op_class), l.time_ms, l.compute_ms, l.memory_ms,
                        BoundName(l.bound));
    }
  }
  const std::vector<std::string> missing = AllMissing(r);
  if (!missing.empty()) {
    os << "\nMissing figures:\n";
    for (const auto& m : missing) os << "  - " << m << "\n";
  }
  if (!p.caveats.empty()) {
    os << "\nCaveats:\n";
    for (const auto& c : p.caveats) os << "  - " << c.text << "\n";
  }
  os << "\nVerdict: " << VerdictText(r) << "\n";
}

// ---- require -----------------------------------------------------------------------------

std::string DemandLine(const ModelDemand& m, const std::string& label) {
  return fmt::format("{}: {} MACs/frame -> {} OPs/frame (2 x MACs) at {:g} fps", label,
                     HumanCount(m.macs), HumanCount(m.ops_per_frame), m.fps);
}

std::string TotalLine(const Requirement& r) {
  return fmt::format("Total: {:.4g} TOPS of work per second", r.ops_per_second / 1e12);
}

const std::vector<std::string> kRequireHeads = {"precision",     "factor",       "article TOPS",
                                                "own-peak T*PS", "weights GB/s", "all-DRAM GB/s"};

std::vector<std::string> RequireCells(const PrecisionRequirement& p) {
  return {std::string(PrecisionName(p.precision)),
          fmt::format("{:g}", p.article_factor),
          fmt::format("{:.4f}", p.int8_equivalent_tops),
          fmt::format("{:.4f}", p.own_tops),
          fmt::format("{:.3f}", p.weight_bytes_per_second / 1e9),
          fmt::format("{:.3f}", p.all_dram_bytes_per_second / 1e9)};
}

constexpr const char* kRequireLegend =
    "article TOPS: the seed article's INT8-equivalent convention (FP16 x2, FP32 x4).\n"
    "own-peak T*PS: the same work against that precision's own peak (TOPS or TFLOPS).\n"
    "weights GB/s: weights read once per inference; all-DRAM GB/s adds every activation\n"
    "written and read once (nothing kept on chip). `tops fit` uses the chip's on-chip "
    "memory.\n";

void RequireTable(std::ostream& os, const Requirement& r) {
  for (const ModelDemand& m : r.models) os << DemandLine(m, m.label) << "\n";
  os << TotalLine(r) << "\n\n";
  constexpr const char* kRow = "{:<9} {:>7} {:>16} {:>14} {:>14} {:>16}\n";
  const auto& h = kRequireHeads;
  os << fmt::format(kRow, h[0], h[1], h[2], h[3], h[4], h[5]);
  for (const PrecisionRequirement& p : r.precisions) {
    const auto c = RequireCells(p);
    os << fmt::format(kRow, c[0], c[1], c[2], c[3], c[4], c[5]);
  }
  os << "\n" << kRequireLegend;
}

void RequireMarkdown(std::ostream& os, const Requirement& r) {
  os << "## Requirement\n\n";
  for (const ModelDemand& m : r.models) os << "- " << DemandLine(m, MarkdownCell(m.label)) << "\n";
  os << "\n" << TotalLine(r) << ".\n\n";
  std::vector<std::string> heads;
  for (const auto& h : kRequireHeads) heads.push_back(MarkdownCell(h));
  os << MarkdownRow(heads) << MarkdownRule("lrrrrr");
  for (const PrecisionRequirement& p : r.precisions) os << MarkdownRow(RequireCells(p));
  os << "\n" << kRequireLegend;
}

// One row per precision; bandwidths in bytes per second as the analysis gives them.
void RequireCsv(std::ostream& os, const Requirement& r) {
  os << CsvRow({"precision", "article_factor", "int8_equivalent_tops", "own_tops",
                "weight_bytes_per_second", "all_dram_bytes_per_second"});
  for (const PrecisionRequirement& p : r.precisions) {
    os << CsvRow({std::string(PrecisionName(p.precision)), CsvNumber(p.article_factor),
                  CsvNumber(p.int8_equivalent_tops), CsvNumber(p.own_tops),
                  CsvNumber(p.weight_bytes_per_second), CsvNumber(p.all_dram_bytes_per_second)});
  }
}
// ---- fit ---------------------------------------------------------------------------------

// CSV cells shared by fit and rank: the article's check, then the roofline's answer.
const std::vector<std::string> kArticleCsvHeads = {"chip_tops", "required_tops", "effective_tops",
                                                   "is_sufficient", "margin"};
const std::vector<std::string> kPredictedCsvHeads = {"predicted_latency_ms",
                                                     "predicted_fps",
                                                     "predicted_utilization",
                                                     "predicted_bound",
                                                     "predicted_load",
                                                     "predicted_fits",
                                                     "power_w",
                                                     "peaks_from_higher_mode",
                                                     "fps_per_watt"};

std::vector<std::string> ArticleCsv(const FitResult& f) {
  return {CsvNumber(f.chip_tops), CsvNumber(f.required_tops), CsvNumber(f.effective_tops),
          f.is_sufficient ? CsvBool(*f.is_sufficient) : "", CsvNumber(f.margin)};
}

std::vector<std::string> PredictedCsv(const Prediction& p) {
  auto known = [&p](double v) { return p.available ? CsvNumber(v) : std::string(); };
  return {known(p.latency_ms),
          known(p.fps),
          known(p.utilization),
          p.available ? std::string(BoundName(p.bound)) : "",
          known(p.load),
          p.available ? CsvBool(p.fits) : "",
          CsvNumber(p.power_w),
          CsvBool(p.peaks_from_higher_mode),
          CsvNumber(p.fps_per_watt)};
}

std::vector<std::string> Concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// One row per model: the chip, the article's check and the whole prediction repeat on every row
// (they belong to the workload), the model columns are that model's own. Without a prediction
// there are no per-model figures, and the one row leaves the model columns empty.
void FitCsv(std::ostream& os, const FitResult& r) {
  const std::vector<std::string> model_heads = {"model", "model_fps_requested", "model_latency_ms",
                                                "model_fps", "model_load"};
  os << CsvRow(Concat(
      Concat(Concat(Concat({"chip", "chip_name", "precision", "convention", "article_utilization"},
                           kArticleCsvHeads),
                    model_heads),
             kPredictedCsvHeads),
      {"fits", "verdict_basis"}));
  const Prediction& p = r.predicted;
  const std::vector<std::string> lead =
      Concat({r.chip_id, r.chip_name, std::string(PrecisionName(r.precision)),
              std::string(ArticleConventionName(r.convention)), CsvNumber(r.utilization)},
             ArticleCsv(r));
  const std::vector<std::string> tail =
      Concat(PredictedCsv(p), {CsvBool(r.fits), std::string(VerdictBasisName(r.verdict_basis))});
  std::vector<std::vector<std::string>> models;
  for (const ModelPrediction& m : p.models) {
    models.push_back({m.label, CsvNumber(m.fps_requested), CsvNumber(m.latency_ms),
                      CsvNumber(m.fps), CsvNumber(m.load)});
  }
  if (models.empty()) models.push_back(std::vector<std::string>(model_heads.size()));
  for (const auto& m : models) os << CsvRow(Concat(Concat(lead, m), tail));
}

void Bullets(std::ostream& os, const char* title, const std::vector<std::string>& items) {
  if (items.empty()) return;
  os << "\n" << title << ":\n\n";
  for (const auto& i : items) os << "- " << MarkdownCell(i) << "\n";
}

void FitMarkdown(std::ostream& os, const FitResult& r) {
  const Prediction& p = r.predicted;
  os << "## " << MarkdownCell(r.chip_name) << " (" << MarkdownCell(r.chip_id) << ")\n\n";
  const std::string workload = WorkloadText(p);
  if (!workload.empty()) {
    os << "Workload: " << MarkdownCell(workload) << ", " << PrecisionName(r.precision) << ".\n\n";
  }
  os << ArticleRuleText(r) << ":\n\n"
     << MarkdownRow({"required TOPS", "effective TOPS", "sufficient", "margin"})
     << MarkdownRule("rrlr")
     << MarkdownRow({fmt::format("{:.4f}", r.required_tops),
                     r.effective_tops ? fmt::format("{:.4f} (peak {:g} x {:.2f})",
                                                    *r.effective_tops, *r.chip_tops, r.utilization)
                                      : "- (no peak)",
                     r.is_sufficient ? (*r.is_sufficient ? "yes" : "no") : "-",
                     r.margin ? fmt::format("{:.4f}", *r.margin) : "-"});
  if (!p.available) {
    os << "\nRoofline prediction: not available.\n";
  } else {
    os << fmt::format(
        "\nRoofline prediction (peak used {:g} TOPS): latency {:.3f} ms, {:.1f} FPS, utilisation "
        "{:.1f}%, bound {}; load {:.1f}% of the chip at the requested rates: {}; DRAM traffic "
        "{:.2f} GB/s.\n\n",
        p.peak_tops, p.latency_ms, p.fps, 100 * p.utilization, BoundName(p.bound), 100 * p.load,
        p.fits ? "fits" : "does NOT fit", p.bandwidth_gbs);
    os << MarkdownRow({"model", "requested FPS", "latency ms", "FPS alone", "load", "weights"})
       << MarkdownRule("lrrrrl");
    for (const ModelPrediction& m : p.models) {
      os << MarkdownRow({MarkdownCell(m.label), fmt::format("{:g}", m.fps_requested),
                         fmt::format("{:.3f}", m.latency_ms), fmt::format("{:.1f}", m.fps),
                         fmt::format("{:.1f}%", 100 * m.load),
                         m.weights_on_chip ? "on chip" : "from DRAM"});
    }
  }
  if (p.power_w) os << "\n" << PowerText(p) << ".\n";
  for (const ModelPrediction& m : p.models) {
    if (m.top_layers.empty()) continue;
    os << "\n### " << LayersHeading(m, MarkdownCell(m.label)) << "\n\n"
       << MarkdownRow({"node", "op", "class", "time ms", "compute ms", "memory ms", "bound"})
       << MarkdownRule("lllrrrl");
    for (const LayerEstimate& l : m.top_layers) {
      os << MarkdownRow({MarkdownCell(l.node), MarkdownCell(l.op),
                         std::string(OpClassName(l.op_class)), fmt::format("{:.4f}", l.time_ms),
                         fmt::format("{:.4f}", l.compute_ms), fmt::format("{:.4f}", l.memory_ms),
                         std::string(BoundName(l.bound))});
    }
  }
  Bullets(os, "Missing figures", AllMissing(r));
  Bullets(os, "Caveats", Texts(p.caveats));
  os << "\n**Verdict: " << VerdictText(r) << "**\n";
}

// ---- rank --------------------------------------------------------------------------------

const std::vector<std::string> kRankHeads = {"#",         "chip",  "peak",   "required",
                                             "effective", "suff",  "margin", "pred fps",
                                             "lat ms",    "bound", "power",  "fits"};

std::vector<std::string> RankCells(size_t i, const FitResult& f) {
  const Prediction& p = f.predicted;
  return {
      std::to_string(i + 1),
      f.chip_id,
      OptNum(f.chip_tops),
      Num(f.required_tops),
      OptNum(f.effective_tops),
      f.is_sufficient ? (*f.is_sufficient ? "yes" : "no") : "-",
      OptNum(f.margin),
      p.available ? Num(p.fps) : "-",
      p.available ? Num(p.latency_ms) : "-",
      p.available ? std::string(BoundName(p.bound)) : "-",
      p.power_w ? fmt::format("{:g} W{}", *p.power_w, p.peaks_from_higher_mode ? "*" : "") : "-",
      p.available ? (p.fits ? "yes" : "no") : "-"};
}

std::string RankLegend(const RankResult& r) {
  return fmt::format(
      "peak/required/effective/margin: the article's check_hardware ({} dense peak, or the\n"
      "INT8 peak in its INT8-equivalent convention); pred fps/lat/bound: roofline; fits: the\n"
      "roofline says the requested frame rates are met. '-' = a figure the catalog lacks.\n"
      "'*' after the power: the chip's peaks are published only for a higher power mode and are\n"
      "used as they are (optimistic at this budget).\n",
      PrecisionName(r.precision));
}

// One row per chip, ranked ones first in rank order, then the excluded ones with their reason
// and no figures.
void RankCsv(std::ostream& os, const RankResult& r) {
  const std::vector<std::string> heads = Concat(
      Concat(Concat({"rank", "chip", "chip_name", "precision", "convention"}, kArticleCsvHeads),
             kPredictedCsvHeads),
      {"fits", "verdict_basis", "excluded"});
  os << CsvRow(heads);
  for (size_t i = 0; i < r.rows.size(); ++i) {
    const FitResult& f = r.rows[i].fit;
    os << CsvRow(Concat(Concat(Concat({std::to_string(i + 1), f.chip_id, f.chip_name,
                                       std::string(PrecisionName(f.precision)),
                                       std::string(ArticleConventionName(f.convention))},
                                      ArticleCsv(f)),
                               PredictedCsv(f.predicted)),
                        {CsvBool(f.fits), std::string(VerdictBasisName(f.verdict_basis)), ""}));
  }
  for (const RankExclusion& e : r.excluded) {
    std::vector<std::string> row(heads.size());
    row[1] = e.chip_id;
    row[3] = PrecisionName(r.precision);
    row.back() = e.reason;
    os << CsvRow(row);
  }
}

void RankMarkdown(std::ostream& os, const RankResult& r) {
  os << "## Chips ranked for this workload (" << PrecisionName(r.precision) << ")\n\n"
     << MarkdownTextRow(kRankHeads) << MarkdownRule("rlrrrlrrrlrl");
  for (size_t i = 0; i < r.rows.size(); ++i) os << MarkdownTextRow(RankCells(i, r.rows[i].fit));
  Bullets(os, "Excluded", [&r] {
    std::vector<std::string> lines;
    for (const RankExclusion& e : r.excluded) lines.push_back(e.chip_id + ": " + e.reason);
    return lines;
  }());
  os << "\n" << RankLegend(r);
}

// ---- chips -------------------------------------------------------------------------------

const std::vector<std::string> kChipsHeads = {"id",   "vendor", "kind",    "int8",    "int8 sp",
                                              "fp16", "fp32",   "BW GB/s", "power W", "aliases"};

std::string PeakCell(const Chip& c, Precision p, bool sparse) {
  auto it = c.peaks.find(p);
  if (it == c.peaks.end()) return "-";
  return Cell(sparse ? it->second.sparse : it->second.dense);
}

std::vector<std::string> ChipsCells(const Chip& c) {
  return {c.id,
          c.vendor,
          std::string(ChipKindName(c.kind)),
          PeakCell(c, Precision::kInt8, false),
          PeakCell(c, Precision::kInt8, true),
          PeakCell(c, Precision::kFp16, false),
          PeakCell(c, Precision::kFp32, false),
          Cell(c.memory_bandwidth_gbs),
          Modes(c.power_modes_w),
          Join(c.aliases, ", ")};
}

std::string ChipsLegend(const Catalog& catalog) {
  return fmt::format(
      "{} chips. Peaks in TOPS (int) / TFLOPS (float), dense unless 'sp' (sparse).\n"
      "* derived by arithmetic, ? unverified, - unknown. `tops chips show ID` for sources.\n",
      catalog.chips().size());
}

// One row per chip: every precision's dense and sparse peak as a plain number (the statuses
// and sources are in `chips show`), power modes joined by '/'.
void ChipsCsv(std::ostream& os, const Catalog& catalog) {
  std::vector<std::string> heads = {"id", "name", "vendor", "kind", "family"};
  for (Precision p : AllPrecisions()) {
    heads.push_back(std::string(PrecisionName(p)) + "_dense");
    heads.push_back(std::string(PrecisionName(p)) + "_sparse");
  }
  os << CsvRow(Concat(heads, {"bandwidth_gbs", "on_chip_memory_mb", "power_modes_w", "aliases"}));
  for (const Chip& c : catalog.chips()) {
    std::vector<std::string> row = {c.id, c.name, c.vendor, std::string(ChipKindName(c.kind)),
                                    c.family};
    for (Precision p : AllPrecisions()) {
      auto it = c.peaks.find(p);
      row.push_back(it == c.peaks.end() ? "" : CsvNumber(it->second.dense.value));
      row.push_back(it == c.peaks.end() ? "" : CsvNumber(it->second.sparse.value));
    }
    std::vector<std::string> modes;
    for (double w : c.power_modes_w.values) modes.push_back(CsvNumber(w));
    os << CsvRow(
        Concat(row, {CsvNumber(c.memory_bandwidth_gbs.value), CsvNumber(c.on_chip_memory_mb.value),
                     Join(modes, "/"), Join(c.aliases, " ")}));
  }
}

void ChipsMarkdown(std::ostream& os, const Catalog& catalog) {
  os << "## Chip catalog\n\n" << MarkdownTextRow(kChipsHeads) << MarkdownRule("lllrrrrrrl");
  for (const Chip& c : catalog.chips()) os << MarkdownTextRow(ChipsCells(c));
  os << "\n" << MarkdownCell(ChipsLegend(catalog)) << "\n";
}

// ---- chips show --------------------------------------------------------------------------

std::string PeakUnit(Precision p) {
  return (p == Precision::kInt4 || p == Precision::kInt8) ? "TOPS" : "TFLOPS";
}

struct NamedFigure {
  std::string label;
  const Figure* figure;
  std::string unit;
};

// Every single-valued figure of a chip and its family, in the order `chips show` prints them.
std::vector<NamedFigure> ChipFigures(const Chip& c, const Family& family) {
  std::vector<NamedFigure> out;
  for (const auto& [prec, peak] : c.peaks) {
    const std::string p(PrecisionName(prec));
    out.push_back({p + " dense", &peak.dense, PeakUnit(prec)});
    if (peak.sparse.known())
      out.push_back({p + " sparse " + peak.sparsity, &peak.sparse, PeakUnit(prec)});
    if (peak.single_inference.known()) {
      out.push_back({p + " one inference", &peak.single_inference, PeakUnit(prec)});
    }
  }
  out.push_back({"cores", &c.cores, ""});
  out.push_back({"bandwidth", &c.memory_bandwidth_gbs, "GB/s"});
  out.push_back({"on-chip memory", &c.on_chip_memory_mb, "MB"});
  out.push_back({"memory size", &c.memory_gb, "GB"});
  if (c.peaks_quoted_at_w.known()) out.push_back({"peaks quoted at", &c.peaks_quoted_at_w, "W"});
  for (const auto& [cls, f] : family.efficiency) {
    out.push_back({std::string(OpClassName(cls)) + " efficiency", &f, ""});
  }
  out.push_back({"layer overhead", &family.layer_overhead_us, "us"});
  return out;
}

// One row per figure; each power mode is a row of its own so that every value is one number.
void ChipCsv(std::ostream& os, const Chip& c, const Family& family) {
  os << CsvRow({"chip", "figure", "value", "unit", "status", "source", "how", "note"});
  for (const NamedFigure& n : ChipFigures(c, family)) {
    const Figure& f = *n.figure;
    os << CsvRow({c.id, n.label, CsvNumber(f.value), n.unit,
                  f.known() ? std::string(FigureStatusName(f.status)) : "",
                  f.known() ? f.source : "", f.how, f.note});
  }
  const ListFigure& modes = c.power_modes_w;
  for (double w : modes.values) {
    os << CsvRow({c.id, "power mode", CsvNumber(w), "W",
                  std::string(FigureStatusName(modes.status)), modes.source, modes.how,
                  modes.note});
  }
  for (const auto& [label, share] :
       {std::pair{"peak share at", &c.mode_peak_share},
        std::pair{"single-inference share at", &c.mode_single_share}}) {
    for (size_t i = 0; i < share->values.size(); ++i) {
      os << CsvRow({c.id, fmt::format("{} {:g} W", label, modes.values.at(i)),
                    CsvNumber(share->values[i]), "", std::string(FigureStatusName(share->status)),
                    share->source, share->how, share->note});
    }
  }
}

void ChipMarkdown(std::ostream& os, const Chip& c, const Family& family) {
  os << "## " << MarkdownCell(c.name) << " (" << MarkdownCell(c.id) << ")\n\n"
     << "- vendor " << MarkdownCell(c.vendor) << ", kind " << ChipKindName(c.kind)
     << ", aliases: " << (c.aliases.empty() ? "-" : MarkdownCell(Join(c.aliases, ", "))) << "\n"
     << "- one inference uses all units: "
     << (c.one_inference_uses_all ? (*c.one_inference_uses_all ? "yes" : "no") : "unknown") << "\n"
     << "- external memory: " << (c.external_memory ? "yes" : "none (all on chip)") << "\n"
     << "- calibration family " << MarkdownCell(family.id) << ": "
     << MarkdownCell(family.description) << " (basis: " << MarkdownCell(family.basis) << ")\n"
     << "- from " << MarkdownCell(c.origin) << "\n\n"
     << MarkdownRow({"figure", "value", "status", "source", "how / note"}) << MarkdownRule("lrlll");
  auto row = [&os](const std::string& label, const std::string& value, const auto& f) {
    std::vector<std::string> extra;
    if (!f.how.empty()) extra.push_back("how: " + f.how);
    if (!f.note.empty()) extra.push_back("note: " + f.note);
    os << MarkdownTextRow({label, value, f.known() ? std::string(FigureStatusName(f.status)) : "",
                           f.known() ? f.source : "", Join(extra, "; ")});
  };
  for (const NamedFigure& n : ChipFigures(c, family)) {
    const Figure& f = *n.figure;
    row(n.label,
        f.known() ? fmt::format("{:g}{}", *f, n.unit.empty() ? "" : " " + n.unit) : "unknown", f);
  }
  const ListFigure& modes = c.power_modes_w;
  row("power modes", modes.known() ? Modes(modes) + " W" : "unknown", modes);
  if (c.mode_peak_share.known())
    row("peak share per mode", Modes(c.mode_peak_share), c.mode_peak_share);
  if (c.mode_single_share.known()) {
    row("single-inference share per mode", Modes(c.mode_single_share), c.mode_single_share);
  }
  if (!c.notes.empty()) os << "\nNotes: " << MarkdownCell(c.notes) << "\n";
}

}  // namespace

void WriteRequire(std::ostream& os, const Requirement& r, Format format) {
  switch (format) {
    case Format::kTable:
      return RequireTable(os, r);
    case Format::kCsv:
      return RequireCsv(os, r);
    case Format::kMarkdown:
      return RequireMarkdown(os, r);
    case Format::kJson:
      break;
  }
  Json models = Json::array();
  for (const ModelDemand& m : r.models) {
    models.push_back(Json{{"label", m.label},
                          {"fps", m.fps},
                          {"macs", m.macs},
                          {"other_ops", m.other_ops},
                          {"ops_per_frame", m.ops_per_frame},
                          {"weight_elems", m.weight_elems},
                          {"activation_elems", m.activation_elems}});
  }
  Json precisions = Json::array();
  for (const PrecisionRequirement& p : r.precisions) {
    precisions.push_back(Json{{"precision", PrecisionName(p.precision)},
                              {"article_factor", p.article_factor},
                              {"int8_equivalent_tops", p.int8_equivalent_tops},
                              {"own_tops", p.own_tops},
                              {"weight_gbs", p.weight_bytes_per_second / 1e9},
                              {"all_dram_gbs", p.all_dram_bytes_per_second / 1e9}});
  }
  Json j = {{"schema_version", kFitSchemaVersion},
            {"tops", BuildInfoJson<Json>()},
            {"models", models},
            {"ops_per_second", r.ops_per_second},
            {"precisions", precisions}};
  os << JsonText(j) << "\n";
}

void WriteFit(std::ostream& os, const FitResult& r, Format format) {
  if (format == Format::kCsv) return FitCsv(os, r);
  if (format == Format::kMarkdown) return FitMarkdown(os, r);
  if (format == Format::kJson) {
    Json j = {{"schema_version", kFitSchemaVersion}, {"tops", BuildInfoJson<Json>()}};
    j.update(FitJson(r));
    os << JsonText(j) << "\n";
    return;
  }
  FitTable(os, r);
}

void WriteRank(std::ostream& os, const RankResult& r, Format format) {
  if (format == Format::kCsv) return RankCsv(os, r);
  if (format == Format::kMarkdown) return RankMarkdown(os, r);
  if (format == Format::kJson) {
    Json rows = Json::array();
    for (const RankRow& row : r.rows) rows.push_back(FitJson(row.fit));
    Json excluded = Json::array();
    for (const RankExclusion& e : r.excluded) {
      excluded.push_back(Json{{"chip", e.chip_id}, {"reason", e.reason}});
    }
    Json j = {{"schema_version", kFitSchemaVersion},
              {"tops", BuildInfoJson<Json>()},
              {"precision", PrecisionName(r.precision)},
              {"rows", rows},
              {"excluded", excluded}};
    os << JsonText(j) << "\n";
    return;
  }
  constexpr const char* kRow =
      "{:>3} {:<28} {:>9} {:>9} {:>10} {:>5} {:>9} {:>10} {:>9} {:>8} {:>7} {:>5}\n";
  const auto& h = kRankHeads;
  os << fmt::format(kRow, h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11]);
  for (size_t i = 0; i < r.rows.size(); ++i) {
    auto c = RankCells(i, r.rows[i].fit);
    if (c[1].size() > 28) c[1] = c[1].substr(0, 28);
    os << fmt::format(kRow, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10],
                      c[11]);
  }
  for (const RankExclusion& e : r.excluded) {
    os << fmt::format("    excluded {}: {}\n", e.chip_id, e.reason);
  }
  os << "\n" << RankLegend(r);
}

void WriteChips(std::ostream& os, const Catalog& catalog, Format format) {
  if (format == Format::kCsv) return ChipsCsv(os, catalog);
  if (format == Format::kMarkdown) return ChipsMarkdown(os, catalog);
  if (format == Format::kJson) {
    Json chips = Json::array();
    for (const Chip& c : catalog.chips()) {
      Json peaks = Json::object();
      for (const auto& [prec, peak] : c.peaks) {
        peaks[std::string(PrecisionName(prec))] = {{"dense", Opt(peak.dense.value)},
                                                   {"sparse", Opt(peak.sparse.value)}};
      }
      chips.push_back(Json{{"id", c.id},
                           {"aliases", c.aliases},
                           {"name", c.name},
                           {"vendor", c.vendor},
                           {"kind", ChipKindName(c.kind)},
                           {"family", c.family},
                           {"peaks", peaks},
                           {"bandwidth_gbs", Opt(c.memory_bandwidth_gbs.value)},
                           {"power_modes_w", c.power_modes_w.values}});
    }
    Json j = {
        {"schema_version", kFitSchemaVersion}, {"tops", BuildInfoJson<Json>()}, {"chips", chips}};
    os << JsonText(j) << "\n";
    return;
  }
  constexpr const char* kRow = "{:<28} {:<12} {:<11} {:>9} {:>9} {:>8} {:>8} {:>8} {:>11}  {}\n";
  const auto& h = kChipsHeads;
  os << fmt::format(kRow, h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9]);
  for (const Chip& chip : catalog.chips()) {
    auto c = ChipsCells(chip);
    if (c[1].size() > 12) c[1] = c[1].substr(0, 12);
    os << fmt::format(kRow, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9]);
  }
  os << "\n" << ChipsLegend(catalog);
}

void WriteChip(std::ostream& os, const Chip& c, const Family& family, Format format) {
  if (format == Format::kCsv) return ChipCsv(os, c, family);
  if (format == Format::kMarkdown) return ChipMarkdown(os, c, family);
  if (format == Format::kJson) {
    Json peaks = Json::object();
    for (const auto& [prec, peak] : c.peaks) {
      Json p = {{"covers", peak.covers}, {"dense", FigureJson(peak.dense)}};
      if (peak.sparse.known()) {
        p["sparse"] = FigureJson(peak.sparse);
        p["sparsity"] = peak.sparsity;
      }
      if (peak.single_inference.known()) p["single_inference"] = FigureJson(peak.single_inference);
      peaks[std::string(PrecisionName(prec))] = p;
    }
    Json eff = Json::object();
    for (const auto& [cls, f] : family.efficiency)
      eff[std::string(OpClassName(cls))] = FigureJson(f);
    Json j = {{"schema_version", kFitSchemaVersion},
              {"tops", BuildInfoJson<Json>()},
              {"id", c.id},
              {"aliases", c.aliases},
              {"name", c.name},
              {"vendor", c.vendor},
              {"kind", ChipKindName(c.kind)},
              {"peaks", peaks},
              {"cores", FigureJson(c.cores)},
              {"one_inference_uses_all",
               c.one_inference_uses_all ? Json(*c.one_inference_uses_all) : Json(nullptr)},
              {"memory",
               {{"external", c.external_memory},
                {"bandwidth_gbs", FigureJson(c.memory_bandwidth_gbs)},
                {"on_chip_mb", FigureJson(c.on_chip_memory_mb)},
                {"size_gb", FigureJson(c.memory_gb)}}},
              {"power_modes_w", ListJson(c.power_modes_w)},
              {"peaks_quoted_at_w", FigureJson(c.peaks_quoted_at_w)},
              {"mode_peak_share", ListJson(c.mode_peak_share)},
              {"mode_single_share", ListJson(c.mode_single_share)},
              {"family",
               {{"id", family.id},
                {"description", family.description},
                {"basis", family.basis},
                {"efficiency", eff},
                {"layer_overhead_us", FigureJson(family.layer_overhead_us)},
                {"fuses_elementwise", family.fuses_elementwise},
                {"weights_resident", family.weights_resident}}},
              {"notes", c.notes},
              {"origin", c.origin}};
    os << JsonText(j) << "\n";
    return;
  }
  auto line = [&os](const std::string& label, const Figure& f, const std::string& unit) {
    if (!f.known()) {
      os << fmt::format("  {:<22} unknown{}\n", label, f.note.empty() ? "" : " (" + f.note + ")");
      return;
    }
    os << fmt::format("  {:<22} {:g}{} [{}] {}\n", label, *f, unit, FigureStatusName(f.status),
                      f.source);
    if (!f.how.empty()) os << fmt::format("  {:<22}   how: {}\n", "", f.how);
    if (!f.note.empty()) os << fmt::format("  {:<22}   note: {}\n", "", f.note);
  };
  const std::string aliases = Join(c.aliases, ", ");
  os << fmt::format("{} ({})\n  vendor {}, kind {}, aliases: {}\n  from {}\n\nPeaks:\n", c.name,
                    c.id, c.vendor, ChipKindName(c.kind), aliases.empty() ? "-" : aliases,
                    c.origin);
  for (const auto& [prec, peak] : c.peaks) {
    const std::string p(PrecisionName(prec));
    os << fmt::format("  {} covers: {}\n", p, peak.covers.empty() ? "-" : peak.covers);
    const std::string unit = " " + PeakUnit(prec);
    line(p + " dense", peak.dense, unit);
    if (peak.sparse.known()) line(p + " sparse " + peak.sparsity, peak.sparse, unit);
    if (peak.single_inference.known()) line(p + " one inference", peak.single_inference, unit);
  }
  os << "\nUnits and memory:\n";
  line("cores", c.cores, "");
  os << fmt::format(
      "  {:<22} {}\n", "one inference uses all",
      c.one_inference_uses_all ? (*c.one_inference_uses_all ? "yes" : "no") : "unknown");
  if (!c.external_memory) os << fmt::format("  {:<22} none (all on chip)\n", "external memory");
  line("bandwidth", c.memory_bandwidth_gbs, " GB/s");
  line("on-chip memory", c.on_chip_memory_mb, " MB");
  line("memory size", c.memory_gb, " GB");
  if (c.power_modes_w.known()) {
    os << fmt::format("  {:<22} {} W [{}] {}\n", "power modes", Modes(c.power_modes_w),
                      FigureStatusName(c.power_modes_w.status), c.power_modes_w.source);
  } else {
    os << fmt::format("  {:<22} unknown\n", "power modes");
  }
  if (!c.power_modes_w.note.empty()) {
    os << fmt::format("  {:<22}   note: {}\n", "", c.power_modes_w.note);
  }
  if (c.peaks_quoted_at_w.known()) line("peaks quoted at", c.peaks_quoted_at_w, " W");
  for (const auto& [label, share] : {std::pair{"peak share per mode", &c.mode_peak_share},
                                     std::pair{"one-inference share", &c.mode_single_share}}) {
    if (!share->known()) continue;
    os << fmt::format("  {:<22} {} [{}] {}\n", label, Modes(*share),
                      FigureStatusName(share->status), share->source);
    if (!share->how.empty()) os << fmt::format("  {:<22}   how: {}\n", "", share->how);
  }
  os << fmt::format("\nCalibration family {}: {}\n  basis: {}\n", family.id, family.description,
                    family.basis);
  for (const auto& [cls, f] : family.efficiency) {
    line(std::string(OpClassName(cls)) + " efficiency", f, "");
  }
  line("layer overhead", family.layer_overhead_us, " us");
  if (!c.notes.empty()) os << "\nNotes: " << c.notes << "\n";
}

}  // namespace tops
