// Table, JSON, CSV and Markdown writers for `tops whatif` and `tops compare`.
#include "report/whatif_writers.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fmt/format.h"
#include "report/json_text.h"
#include "tops/error.h"

namespace tops {
namespace {

using Json = nlohmann::ordered_json;

Json Opt(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

std::string OptFixed(const std::optional<double>& v, int digits) {
  return v ? fmt::format("{:.{}f}", *v, digits) : std::string("-");
}

// Prints `text` after `lead`, continuing on lines indented like the text, within 100 columns.
void Wrapped(std::ostream& os, const std::string& lead, const std::string& text) {
  constexpr size_t kWidth = 100;
  const std::string indent(lead.size(), ' ');
  std::istringstream words(text);
  std::string word, line = lead;
  bool empty = true;
  while (words >> word) {
    if (!empty && line.size() + 1 + word.size() > kWidth) {
      os << line << "\n";
      line = indent;
      empty = true;
    }
    line += (empty ? "" : " ") + word;
    empty = false;
  }
  os << line << "\n";
}

std::string Verdict(bool fits, const std::string& basis) {
  std::string s = fits ? "yes" : "no";
  if (basis != "roofline") s += " (" + basis + ")";
  return s;
}

std::string PrecisionLine(const WhatifResult& r) {
  std::string s = std::string(PrecisionName(r.precision));
  if (r.precision_source == PrecisionSource::kGraph) {
    std::string why;
    for (const auto& e : r.quant.evidence) why += (why.empty() ? "" : ", ") + e;
    s += ", taken from the graph (" + why + "); --precision is ignored";
  } else {
    s += " (--precision); the graph fixes none";
  }
  return s;
}

Json QuantJson(const QuantInfo& q) {
  return Json{{"quantized", q.quantized},
              {"precision", q.precision ? Json(PrecisionName(*q.precision)) : Json(nullptr)},
              {"evidence", q.evidence}};
}

std::string WhatifHeadline(const WhatifResult& r) {
  return fmt::format("{} on {} ({}) at {:g} FPS", r.model, r.chip_name, r.chip_id, r.fps);
}

const std::vector<std::string> kWhatifHeads = {"scenario", "prec",      "MACs/frame",
                                               "weights",  "req TOPS",  "latency ms",
                                               "FPS",      "DRAM GB/s", "fits"};

std::vector<std::string> WhatifCells(const ScenarioResult& row) {
  return {row.scenario.name,
          std::string(PrecisionName(row.precision)),
          HumanCount(row.macs),
          HumanBytes(row.weight_bytes),
          fmt::format("{:.3f}", row.required_tops),
          OptFixed(row.latency_ms, 2),
          OptFixed(row.fps, 1),
          OptFixed(row.bandwidth_gbs, 2),
          Verdict(row.fits, std::string(VerdictBasisName(row.verdict_basis)))};
}

constexpr const char* kWhatifLegend =
    "req TOPS: the seed article's rule, 2 x MACs x FPS / 1e12, INT8-equivalent (FP16 x2, "
    "FP32 x4).\nlatency, FPS, DRAM: per-layer roofline (as `tops fit`); batch rows: latency "
    "of one batch,\nFPS in frames. fits: the chip meets the frame rate; \"(article)\" where "
    "the catalog lacks\nthe peak the roofline needs.\n";

// One sentence per precision whose roofline used less than the chip's peak, or just the peak.
std::vector<std::string> RooflinePeakLines(const WhatifResult& r) {
  std::vector<std::string> lines;
  std::vector<Precision> seen;
  for (const ScenarioResult& row : r.rows) {
    if (!row.roofline_peak_tops || !row.peak_tops) continue;
    if (std::find(seen.begin(), seen.end(), row.precision) != seen.end()) continue;
    seen.push_back(row.precision);
    std::string line = fmt::format("Roofline peak at {}: {:g} TOPS", PrecisionName(row.precision),
                                   *row.roofline_peak_tops);
    if (*row.roofline_peak_tops < *row.peak_tops) {
      line += fmt::format(" of the chip's {:g} (the share one inference can use)", *row.peak_tops);
    }
    lines.push_back(line + ".");
  }
  return lines;
}

// What a scenario changed, how, and what it could not account for.
std::string ChangeText(const ScenarioResult& row) {
  std::string text = row.effect;
  if (!row.method.empty()) text += " [" + row.method + "]";
  for (const auto& m : row.missing) text += "; catalog lacks: " + m.text;
  for (const auto& n : row.notes) text += "; " + n;
  return text;
}

void WhatifTable(std::ostream& os, const WhatifResult& r) {
  Wrapped(os, "What if: ", WhatifHeadline(r));
  Wrapped(os, "Precision: ", PrecisionLine(r));
  os << "\n";
  constexpr const char* kRow = "{:<16} {:<5} {:>10} {:>10} {:>9} {:>10} {:>8} {:>9}  {}\n";
  const auto& h = kWhatifHeads;
  os << fmt::format(kRow, h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]);
  for (const ScenarioResult& row : r.rows) {
    const auto c = WhatifCells(row);
    os << fmt::format(kRow, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]);
  }
  os << "\n" << kWhatifLegend;
  for (const auto& line : RooflinePeakLines(r)) Wrapped(os, "", line);
  os << "\nWhat each row changed:\n";
  for (const ScenarioResult& row : r.rows) {
    Wrapped(os, fmt::format("  {:<16} ", row.scenario.name), ChangeText(row));
  }
  if (!r.notes.empty()) {
    os << "\nNotes:\n";
    for (const auto& n : r.notes) Wrapped(os, "  - ", n);
  }
}

void WhatifMarkdown(std::ostream& os, const WhatifResult& r) {
  os << "## What if: " << MarkdownCell(WhatifHeadline(r)) << "\n\n"
     << "Precision: " << MarkdownCell(PrecisionLine(r)) << "\n\n"
     << MarkdownTextRow(kWhatifHeads) << MarkdownRule("llrrrrrrl");
  for (const ScenarioResult& row : r.rows) os << MarkdownTextRow(WhatifCells(row));
  os << "\n" << kWhatifLegend;
  const auto peaks = RooflinePeakLines(r);
  if (!peaks.empty()) os << "\n" << Join(peaks, " ") << "\n";
  os << "\nWhat each row changed:\n\n";
  for (const ScenarioResult& row : r.rows) {
    os << "- " << MarkdownCell(row.scenario.name) << ": " << MarkdownCell(ChangeText(row)) << "\n";
  }
  if (!r.notes.empty()) {
    os << "\nNotes:\n\n";
    for (const auto& n : r.notes) os << "- " << MarkdownCell(n) << "\n";
  }
}

// One row per scenario, the model and chip repeated so that files from several runs concatenate.
void WhatifCsv(std::ostream& os, const WhatifResult& r) {
  os << CsvRow({"model",          "chip",
                "target_fps",     "scenario",
                "kind",           "ratio",
                "batch",          "precision",
                "macs_per_frame", "nonzero_params",
                "weight_bytes",   "required_tops",
                "peak_tops",      "roofline_peak_tops",
                "latency_ms",     "fps",
                "bandwidth_gbs",  "bound",
                "fits",           "verdict_basis",
                "effect",         "method",
                "missing",        "notes"});
  for (const ScenarioResult& row : r.rows) {
    const bool pruned = row.scenario.kind == ScenarioKind::kUnstructured ||
                        row.scenario.kind == ScenarioKind::kStructured;
    os << CsvRow({r.model,
                  r.chip_id,
                  CsvNumber(r.fps),
                  row.scenario.name,
                  std::string(ScenarioKindName(row.scenario.kind)),
                  pruned ? CsvNumber(row.scenario.ratio) : "",
                  std::to_string(row.scenario.batch),
                  std::string(PrecisionName(row.precision)),
                  CsvNumber(row.macs),
                  CsvNumber(row.nonzero_params),
                  CsvNumber(row.weight_bytes),
                  CsvNumber(row.required_tops),
                  CsvNumber(row.peak_tops),
                  CsvNumber(row.roofline_peak_tops),
                  CsvNumber(row.latency_ms),
                  CsvNumber(row.fps),
                  CsvNumber(row.bandwidth_gbs),
                  row.bound ? std::string(BoundName(*row.bound)) : "",
                  CsvBool(row.fits),
                  std::string(VerdictBasisName(row.verdict_basis)),
                  row.effect,
                  row.method,
                  Join(Texts(row.missing), "; "),
                  Join(row.notes, "; ")});
  }
}

Json WhatifJson(const WhatifResult& r) {
  Json rows = Json::array();
  for (const ScenarioResult& row : r.rows) {
    rows.push_back(Json{
        {"name", row.scenario.name},
        {"kind", ScenarioKindName(row.scenario.kind)},
        {"ratio", row.scenario.kind == ScenarioKind::kUnstructured ||
                          row.scenario.kind == ScenarioKind::kStructured
                      ? Json(row.scenario.ratio)
                      : Json(nullptr)},
        {"batch", row.scenario.batch},
        {"precision", PrecisionName(row.precision)},
        {"effect", row.effect},
        {"method", row.method.empty() ? Json(nullptr) : Json(row.method)},
        {"macs_per_frame", row.macs},
        {"nonzero_params", row.nonzero_params},
        {"weight_bytes", row.weight_bytes},
        {"required_tops", row.required_tops},
        {"peak_tops", Opt(row.peak_tops)},
        {"roofline_peak_tops", Opt(row.roofline_peak_tops)},
        {"latency_ms", Opt(row.latency_ms)},
        {"fps", Opt(row.fps)},
        {"bandwidth_gbs", Opt(row.bandwidth_gbs)},
        {"bound", row.bound ? Json(BoundName(*row.bound)) : Json(nullptr)},
        {"fits", row.fits},
        {"verdict_basis", VerdictBasisName(row.verdict_basis)},
        {"missing", Texts(row.missing)},
        {"notes", row.notes},
    });
  }
  Json j;
  j["schema_version"] = kWhatifSchemaVersion;
  j["model"] = r.model;
  j["chip"] = {{"id", r.chip_id}, {"name", r.chip_name}};
  j["fps"] = r.fps;
  j["precision"] = PrecisionName(r.precision);
  j["precision_source"] = PrecisionSourceName(r.precision_source);
  j["quantization"] = QuantJson(r.quant);
  j["batch_symbol"] = r.batch_symbol ? Json(*r.batch_symbol) : Json(nullptr);
  j["notes"] = r.notes;
  j["scenarios"] = rows;
  return j;
}

// ---- compare ------------------------------------------------------------------------------

bool IsBest(const CompareResult& r, const char* column, size_t row) {
  auto it = r.best.find(column);
  return it != r.best.end() && it->second == row;
}

// The kCompareColumns in which row `row` is best.
std::vector<std::string> BestIn(const CompareResult& r, size_t row) {
  std::vector<std::string> columns;
  for (std::string_view column : kCompareColumns) {
    if (IsBest(r, std::string(column).c_str(), row)) columns.emplace_back(column);
  }
  return columns;
}

struct CompareCells {
  std::string model, precision, params, macs, weights, required, latency, fps, load, fits;
};

// Cell texts of one row; `mark` decorates a best cell ("*" in tables, bold in Markdown).
CompareCells Cells(const CompareResult& r, size_t i, const std::string& before,
                   const std::string& after) {
  const CompareRow& row = r.rows[i];
  const Prediction& p = row.fit.predicted;
  auto mark = [&](const char* column, std::string text) {
    return IsBest(r, column, i) ? before + text + after : text;
  };
  CompareCells c;
  c.model = row.label;
  c.precision = std::string(PrecisionName(row.precision)) +
                (row.precision_source == PrecisionSource::kGraph ? " (graph)" : "");
  c.params = mark("params", HumanCount(static_cast<double>(row.params)));
  c.macs = mark("macs", HumanCount(static_cast<double>(row.macs)));
  c.weights = mark("weight_bytes", HumanBytes(row.weight_bytes));
  c.required = mark("required_tops", fmt::format("{:.3f}", row.required_tops));
  c.latency = p.available ? mark("latency_ms", fmt::format("{:.2f}", p.latency_ms)) : "-";
  c.fps = p.available ? mark("fps", fmt::format("{:.1f}", p.fps)) : "-";
  c.load = p.available ? fmt::format("{:.0f}%", 100 * p.load) : "-";
  c.fits = Verdict(row.fit.fits, std::string(VerdictBasisName(row.fit.verdict_basis)));
  return c;
}

std::string Basename(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void CompareFootnotes(std::ostream& os, const CompareResult& r, bool markdown) {
  const std::string bullet = markdown ? "- " : "  - ";
  for (const auto& n : r.notes) Wrapped(os, bullet, "all models: " + n);
  for (const CompareRow& row : r.rows) {
    for (const auto& n : row.notes) Wrapped(os, bullet, Basename(row.label) + ": " + n);
  }
}

// The peak each precision's roofline used, against the chip's dense peak: on multi-core NPUs
// one inference gets one core's share.
void PeakLines(std::ostream& os, const CompareResult& r, const std::string& bullet) {
  std::vector<Precision> seen;
  for (const CompareRow& row : r.rows) {
    const Prediction& p = row.fit.predicted;
    if (!p.available || !row.fit.chip_tops) continue;
    if (std::find(seen.begin(), seen.end(), row.precision) != seen.end()) continue;
    seen.push_back(row.precision);
    std::string line =
        fmt::format("Roofline peak at {}: {:g} TOPS", PrecisionName(row.precision), p.peak_tops);
    if (p.peak_tops < *row.fit.chip_tops) {
      line +=
          fmt::format(" of the chip's {:g} (the share one inference can use)", *row.fit.chip_tops);
    }
    Wrapped(os, bullet, line + ".");
  }
}

void CompareTable(std::ostream& os, const CompareResult& r) {
  os << fmt::format("Compare on {} ({}) at {:g} FPS; * marks the best value in each column\n\n",
                    r.chip_name, r.chip_id, r.fps);
  os << fmt::format("{:<20} {:<12} {:>7} {:>7} {:>9} {:>8} {:>8} {:>7} {:>5}  {}\n", "model",
                    "precision", "params", "MACs", "weights", "req TOPS", "latency", "FPS", "load",
                    "fits");
  os << fmt::format("{:<19} {:<12} {:>7} {:>7} {:>9} {:>8} {:>8}\n", "", "", "", "/frame", "", "",
                    "ms");
  for (size_t i = 0; i < r.rows.size(); ++i) {
    CompareCells c = Cells(r, i, "", "*");
    std::string name = Basename(c.model);
    if (name.size() > 20) name = name.substr(0, 17) + "...";
    os << fmt::format("{:<20} {:<12} {:>7} {:>7} {:>9} {:>8} {:>8} {:>7} {:>5}  {}\n", name,
                      c.precision, c.params, c.macs, c.weights, c.required, c.latency, c.fps,
                      c.load, c.fits);
  }
  os << "\nreq TOPS: what the seed article's rule asks of the chip, 2 x MACs x FPS / 1e12\n"
        "(INT8-equivalent). latency and FPS: per-layer roofline of one inference (as `tops "
        "fit`).\nload: share of the chip's time the model needs at the requested FPS; over 100% "
        "means\nit cannot keep up. weights: stored size at the precision shown.\n";
  PeakLines(os, r, "");
  std::ostringstream notes;
  CompareFootnotes(notes, r, false);
  if (!notes.str().empty()) os << "\nNotes:\n" << notes.str();
}

void CompareMarkdown(std::ostream& os, const CompareResult& r) {
  os << fmt::format(
      "Compare on {} (`{}`) at {:g} FPS; **bold** marks the best value in each "
      "column.\n\n",
      r.chip_name, r.chip_id, r.fps);
  os << "| model | precision | params | MACs/frame | weights | req TOPS | latency ms | FPS | "
        "load | fits |\n";
  os << "|---|---|--:|--:|--:|--:|--:|--:|--:|---|\n";
  for (size_t i = 0; i < r.rows.size(); ++i) {
    CompareCells c = Cells(r, i, "**", "**");
    os << fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", Basename(c.model),
                      c.precision, c.params, c.macs, c.weights, c.required, c.latency, c.fps,
                      c.load, c.fits);
  }
  os << "\n";
  PeakLines(os, r, "");
  std::ostringstream notes;
  CompareFootnotes(notes, r, true);
  if (!notes.str().empty()) os << "\n" << notes.str();
}

// One row per model with exact figures; best_in lists the columns where the row is best.
void CompareCsv(std::ostream& os, const CompareResult& r) {
  os << CsvRow(
      {"chip",          "target_fps", "model",         "precision",    "precision_source",
       "params",        "macs",       "flops",         "weight_bytes", "nodes_without_cost",
       "required_tops", "latency_ms", "fps",           "load",         "bandwidth_gbs",
       "bound",         "fits",       "verdict_basis", "best_in",      "notes"});
  for (size_t i = 0; i < r.rows.size(); ++i) {
    const CompareRow& row = r.rows[i];
    const Prediction& p = row.fit.predicted;
    auto known = [&p](double v) { return p.available ? CsvNumber(v) : std::string(); };
    os << CsvRow({r.chip_id,
                  CsvNumber(r.fps),
                  row.label,
                  std::string(PrecisionName(row.precision)),
                  std::string(PrecisionSourceName(row.precision_source)),
                  std::to_string(row.params),
                  std::to_string(row.macs),
                  std::to_string(row.flops),
                  CsvNumber(row.weight_bytes),
                  std::to_string(row.nodes_without_cost),
                  CsvNumber(row.required_tops),
                  known(p.latency_ms),
                  known(p.fps),
                  known(p.load),
                  known(p.bandwidth_gbs),
                  p.available ? std::string(BoundName(p.bound)) : "",
                  CsvBool(row.fit.fits),
                  std::string(VerdictBasisName(row.fit.verdict_basis)),
                  Join(BestIn(r, i), " "),
                  Join(row.notes, "; ")});
  }
}

Json CompareJson(const CompareResult& r) {
  Json rows = Json::array();
  for (size_t i = 0; i < r.rows.size(); ++i) {
    const CompareRow& row = r.rows[i];
    const Prediction& p = row.fit.predicted;
    const Json best = BestIn(r, i);
    rows.push_back(Json{
        {"model", row.label},
        {"precision", PrecisionName(row.precision)},
        {"precision_source", PrecisionSourceName(row.precision_source)},
        {"params", row.params},
        {"macs", row.macs},
        {"flops", row.flops},
        {"weight_bytes", row.weight_bytes},
        {"nodes_without_cost", row.nodes_without_cost},
        {"required_tops", row.required_tops},
        {"latency_ms", p.available ? Json(p.latency_ms) : Json(nullptr)},
        {"fps", p.available ? Json(p.fps) : Json(nullptr)},
        {"load", p.available ? Json(p.load) : Json(nullptr)},
        {"bandwidth_gbs", p.available ? Json(p.bandwidth_gbs) : Json(nullptr)},
        {"bound", p.available ? Json(BoundName(p.bound)) : Json(nullptr)},
        {"fits", row.fit.fits},
        {"verdict_basis", VerdictBasisName(row.fit.verdict_basis)},
        {"notes", row.notes},
        {"best_in", best},
    });
  }
  Json best = Json::object();
  for (const auto& [column, index] : r.best) best[column] = r.rows[index].label;
  Json j;
  j["schema_version"] = kWhatifSchemaVersion;
  j["chip"] = {{"id", r.chip_id}, {"name", r.chip_name}};
  j["fps"] = r.fps;
  j["models"] = rows;
  j["best"] = best;
  j["notes"] = r.notes;
  return j;
}

}  // namespace

void WriteWhatif(std::ostream& os, const WhatifResult& r, Format format) {
  switch (format) {
    case Format::kJson:
      os << JsonText(WhatifJson(r)) << "\n";
      return;
    case Format::kTable:
      return WhatifTable(os, r);
    case Format::kCsv:
      return WhatifCsv(os, r);
    case Format::kMarkdown:
      return WhatifMarkdown(os, r);
  }
}

void WriteCompare(std::ostream& os, const CompareResult& r, Format format) {
  switch (format) {
    case Format::kJson:
      os << JsonText(CompareJson(r)) << "\n";
      return;
    case Format::kTable:
      CompareTable(os, r);
      return;
    case Format::kMarkdown:
      CompareMarkdown(os, r);
      return;
    case Format::kCsv:
      CompareCsv(os, r);
      return;
  }
}

}  // namespace tops
