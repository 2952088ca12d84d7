// What `tops whatif` and `tops compare` print: one row per scenario or per model, with what the
// analysis decided (including which row is best in each column). CSV repeats the model and chip
// on every row so that files from several runs concatenate.
#include "report/layouts.h"

namespace tops::report {
namespace {

std::string G(double v) { return Number(v, Style::General()); }

// "yes", "no (article)": the verdict, and its basis when it is not the roofline.
std::string Verdict(bool fits, VerdictBasis basis) {
  std::string s = fits ? "yes" : "no";
  if (basis != VerdictBasis::kRoofline) s += " (" + std::string(VerdictBasisName(basis)) + ")";
  return s;
}

// "Roofline peak at int8: 2 TOPS of the chip's 6 (the share one inference can use)."
std::string PeakLine(Precision p, double used, double chip) {
  std::string line = "Roofline peak at " + std::string(PrecisionName(p)) + ": " + G(used) + " TOPS";
  if (used < chip) line += " of the chip's " + G(chip) + " (the share one inference can use)";
  return line + ".";
}

// ---- whatif ----------------------------------------------------------------------------------

struct ScenarioRow {
  const WhatifResult* r;
  const ScenarioResult* s;
};

bool Pruned(const ScenarioResult& s) {
  return s.scenario.kind == ScenarioKind::kUnstructured ||
         s.scenario.kind == ScenarioKind::kStructured;
}

const Column<ScenarioRow> kScenarioColumns[] = {
    {{.key = "model", .formats = kCsv},
     [](const ScenarioRow& r) { return Cell::Text(r.r->model); }},
    {{.key = "chip", .formats = kCsv},
     [](const ScenarioRow& r) { return Cell::Text(r.r->chip_id); }},
    {{.key = "target_fps", .unit = Unit::kNumber, .formats = kCsv},
     [](const ScenarioRow& r) { return Cell::Real(r.r->fps); }},
    {{.key = "name", .formats = kJson},
     [](const ScenarioRow& r) { return Cell::Text(r.s->scenario.name); }},
    {{.key = "scenario", .title = "scenario", .formats = kHuman | kCsv, .width = 16},
     [](const ScenarioRow& r) { return Cell::Text(r.s->scenario.name); }},
    {{.key = "kind", .formats = kCsv | kJson},
     [](const ScenarioRow& r) { return Cell::Text(ScenarioKindName(r.s->scenario.kind)); }},
    {{.key = "ratio", .unit = Unit::kRatio, .formats = kCsv | kJson},
     [](const ScenarioRow& r) {
       return Pruned(*r.s) ? Cell::Real(r.s->scenario.ratio) : Cell::Absent();
     }},
    {{.key = "batch", .unit = Unit::kCount, .formats = kCsv | kJson},
     [](const ScenarioRow& r) { return Cell::Int(r.s->scenario.batch); }},
    {{.key = "precision", .title = "prec", .width = 5},
     [](const ScenarioRow& r) { return Cell::Text(PrecisionName(r.s->precision)); }},
    {{.key = "effect", .formats = kJson},
     [](const ScenarioRow& r) { return Cell::Text(r.s->effect); }},
    {{.key = "method", .formats = kJson},
     [](const ScenarioRow& r) {
       return r.s->method.empty() ? Cell::Absent() : Cell::Text(r.s->method);
     }},
    {{.key = "macs_per_frame",
      .title = "MACs/frame",
      .unit = Unit::kCount,
      .style = Style::Si(),
      .width = 10,
      .right = true},
     [](const ScenarioRow& r) { return Cell::Real(r.s->macs); }},
    {{.key = "nonzero_params", .unit = Unit::kCount, .formats = kCsv | kJson},
     [](const ScenarioRow& r) { return Cell::Real(r.s->nonzero_params); }},
    {{.key = "weight_bytes", .title = "weights", .unit = Unit::kBytes, .width = 10, .right = true},
     [](const ScenarioRow& r) { return Cell::Real(r.s->weight_bytes); }},
    {{.key = "required_tops",
      .title = "req TOPS",
      .unit = Unit::kTops,
      .style = Style::Fixed(3),
      .width = 9,
      .right = true},
     [](const ScenarioRow& r) { return Cell::Real(r.s->required_tops); }},
    {{.key = "peak_tops", .unit = Unit::kTops, .formats = kCsv | kJson},
     [](const ScenarioRow& r) { return Cell::Real(r.s->peak_tops); }},
    {{.key = "roofline_peak_tops", .unit = Unit::kTops, .formats = kCsv | kJson},
     [](const ScenarioRow& r) { return Cell::Real(r.s->roofline_peak_tops); }},
    {{.key = "latency_ms",
      .title = "latency ms",
      .unit = Unit::kMs,
      .style = Style::Fixed(2),
      .width = 10,
      .right = true},
     [](const ScenarioRow& r) { return Cell::Real(r.s->latency_ms); }},
    {{.key = "fps",
      .title = "FPS",
      .unit = Unit::kNumber,
      .style = Style::Fixed(1),
      .width = 8,
      .right = true},
     [](const ScenarioRow& r) { return Cell::Real(r.s->fps); }},
    {{.key = "likely_fps", .title = "likely FPS", .formats = kMarkdown, .width = 11, .right = true},
     [](const ScenarioRow& r) {
       if (!r.s->fps_low || !r.s->fps_high) return Cell::Absent();
       return Cell::Own(Number(*r.s->fps_low, Style::Adaptive()) + "-" +
                        Number(*r.s->fps_high, Style::Adaptive()));
     }},
    {{.key = "latency_low_ms", .unit = Unit::kMs, .formats = kCsv | kJson},
     [](const ScenarioRow& r) { return Cell::Real(r.s->latency_low_ms); }},
    {{.key = "latency_high_ms", .unit = Unit::kMs, .formats = kCsv | kJson},
     [](const ScenarioRow& r) { return Cell::Real(r.s->latency_high_ms); }},
    {{.key = "fps_low", .unit = Unit::kNumber, .formats = kCsv | kJson},
     [](const ScenarioRow& r) { return Cell::Real(r.s->fps_low); }},
    {{.key = "fps_high", .unit = Unit::kNumber, .formats = kCsv | kJson},
     [](const ScenarioRow& r) { return Cell::Real(r.s->fps_high); }},
    {{.key = "range_rows", .unit = Unit::kCount, .formats = kCsv | kJson},
     [](const ScenarioRow& r) {
       return r.s->band.known() ? Cell::Int(r.s->band.rows) : Cell::Absent();
     }},
    {{.key = "range_scope", .formats = kCsv | kJson},
     [](const ScenarioRow& r) {
       return r.s->band.known() ? Cell::Text(r.s->band.scope) : Cell::Absent();
     }},
    {{.key = "bandwidth_gbs",
      .title = "DRAM GB/s",
      .unit = Unit::kNumber,
      .style = Style::Fixed(2),
      .width = 9,
      .right = true},
     [](const ScenarioRow& r) { return Cell::Real(r.s->bandwidth_gbs); }},
    {{.key = "bound", .formats = kCsv | kJson},
     [](const ScenarioRow& r) {
       return r.s->bound ? Cell::Text(BoundName(*r.s->bound)) : Cell::Absent();
     }},
    {{.key = "fits", .unit = Unit::kBool, .formats = kCsv | kJson},
     [](const ScenarioRow& r) { return Cell::Bool(r.s->fits); }},
    {{.key = "verdict", .title = "fits", .formats = kHuman, .width = 0, .gap = 2},
     [](const ScenarioRow& r) { return Cell::Own(Verdict(r.s->fits, r.s->verdict_basis)); }},
    {{.key = "verdict_basis", .formats = kCsv | kJson},
     [](const ScenarioRow& r) { return Cell::Text(VerdictBasisName(r.s->verdict_basis)); }},
    {{.key = "effect", .formats = kCsv},
     [](const ScenarioRow& r) { return Cell::Text(r.s->effect); }},
    {{.key = "method", .formats = kCsv},
     [](const ScenarioRow& r) { return Cell::Text(r.s->method); }},
    {{.key = "missing", .unit = Unit::kList, .formats = kCsv | kJson},
     [](const ScenarioRow& r) { return Cell::List(Texts(r.s->missing)); }},
    {{.key = "notes", .unit = Unit::kList, .formats = kCsv | kJson},
     [](const ScenarioRow& r) { return Cell::List(r.s->notes); }},
};

constexpr const char* kWhatifLegend =
    "req TOPS: the seed article's rule, 2 x MACs x FPS / 1e12, INT8-equivalent (FP16 x2, "
    "FP32 x4).\nlatency, FPS, DRAM: per-layer roofline (as `tops fit`); batch rows: latency "
    "of one batch,\nFPS in frames. fits: the chip meets the frame rate; \"(article)\" where "
    "the catalog lacks\nthe peak the roofline needs.\n";

std::string PrecisionLine(const WhatifResult& r) {
  std::string s(PrecisionName(r.precision));
  if (r.precision_source == PrecisionSource::kGraph) {
    s += ", taken from the graph (" + Join(r.quant.evidence, ", ") + "); --precision is ignored";
  } else {
    s += " (--precision); the graph fixes none";
  }
  return s;
}

// One line per precision whose roofline peak is known, said once.
std::vector<std::string> RooflinePeakLines(const WhatifResult& r) {
  std::vector<std::string> lines;
  std::vector<Precision> seen;
  for (const ScenarioResult& row : r.rows) {
    if (!row.roofline_peak_tops || !row.peak_tops) continue;
    if (std::find(seen.begin(), seen.end(), row.precision) != seen.end()) continue;
    seen.push_back(row.precision);
    lines.push_back(PeakLine(row.precision, *row.roofline_peak_tops, *row.peak_tops));
  }
  return lines;
}

// The likely range behind the roofline rows, once per band with the precisions it covers:
// "Likely (int8, fp16): latency 0.84x-1.43x the roofline's (5th-95th percentile ...)".
std::vector<std::string> BandLines(const WhatifResult& r) {
  struct Seen {
    const PredictionBand* band;
    std::vector<std::string> precisions;
  };
  std::vector<Seen> seen;
  for (const ScenarioResult& row : r.rows) {
    const PredictionBand& b = row.band;
    if (!b.known()) continue;
    auto it = std::find_if(seen.begin(), seen.end(), [&](const Seen& x) {
      return x.band->scope == b.scope && x.band->low == b.low && x.band->high == b.high;
    });
    if (it == seen.end()) it = seen.insert(seen.end(), Seen{&b, {}});
    const std::string p(PrecisionName(row.precision));
    if (std::find(it->precisions.begin(), it->precisions.end(), p) == it->precisions.end()) {
      it->precisions.push_back(p);
    }
  }
  std::vector<std::string> lines;
  for (const Seen& x : seen) {
    lines.push_back("Likely (" + Join(x.precisions, ", ") + "): latency " +
                    Number(x.band->low, Style::Fixed(2)) + "x-" +
                    Number(x.band->high, Style::Fixed(2)) +
                    "x the roofline's, FPS the inverse: 5th-95th percentile of measured / "
                    "predicted over " +
                    Int(x.band->rows, Style::Plain()) + " left-out rows (" + x.band->scope + ").");
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

Prose WhatifOpening(const WhatifResult& r) {
  const std::string headline =
      r.model + " on " + r.chip_name + " (" + r.chip_id + ") at " + G(r.fps) + " FPS";
  Prose p;
  AppendWrapped(p.terminal, "What if: ", headline);
  AppendWrapped(p.terminal, "Precision: ", PrecisionLine(r));
  p.terminal += "\n";
  p.markdown = "## What if: " + MarkdownCell(headline) +
               "\n\nPrecision: " + MarkdownCell(PrecisionLine(r)) + "\n\n";
  return p;
}

Prose WhatifClosing(const WhatifResult& r) {
  Prose p;
  p.terminal = std::string("\n") + kWhatifLegend;
  p.markdown = p.terminal;
  const std::vector<std::string> peaks = RooflinePeakLines(r);
  for (const auto& line : peaks) AppendWrapped(p.terminal, "", line);
  if (!peaks.empty()) p.markdown += "\n" + Join(peaks, " ") + "\n";
  const std::vector<std::string> bands = BandLines(r);
  if (!bands.empty()) p.terminal += "\n";
  for (const auto& line : bands) AppendWrapped(p.terminal, "", line);
  if (!bands.empty()) p.terminal += "Each row's range: --format md (likely FPS), csv or json.\n";
  if (!bands.empty()) p.markdown += "\n" + Join(bands, " ") + "\n";
  p.terminal += "\nWhat each row changed:\n";
  p.markdown += "\nWhat each row changed:\n\n";
  for (const ScenarioResult& row : r.rows) {
    AppendWrapped(p.terminal, "  " + Pad(row.scenario.name, 16) + " ", ChangeText(row));
    p.markdown +=
        "- " + MarkdownCell(row.scenario.name) + ": " + MarkdownCell(ChangeText(row)) + "\n";
  }
  if (!r.notes.empty()) {
    p.terminal += "\nNotes:\n";
    p.markdown += "\nNotes:\n\n";
    for (const auto& n : r.notes) {
      AppendWrapped(p.terminal, "  - ", n);
      p.markdown += "- " + MarkdownCell(n) + "\n";
    }
  }
  return p;
}

// ---- compare ---------------------------------------------------------------------------------

struct ModelRow {
  const CompareResult* r;
  size_t i;
  const CompareRow& row() const { return r->rows[i]; }
  const Prediction& p() const { return r->rows[i].fit.predicted; }
  // A cell, marked when this row is the best in `column` (kCompareColumns).
  Cell Best(const char* column, Cell c) const {
    auto it = r->best.find(column);
    return std::move(
        c.Emphasis(it != r->best.end() && it->second == i ? Mark::kBest : Mark::kNone));
  }
  Cell Predicted(const char* column, double v) const {
    return p().available ? Best(column, Cell::Real(v)) : Cell::Absent();
  }
};

// The columns in which row `i` is best.
std::vector<std::string> BestIn(const CompareResult& r, size_t i) {
  std::vector<std::string> columns;
  for (std::string_view column : kCompareColumns) {
    auto it = r.best.find(std::string(column));
    if (it != r.best.end() && it->second == i) columns.emplace_back(column);
  }
  return columns;
}

const Column<ModelRow> kCompareModelColumns[] = {
    {{.key = "chip", .formats = kCsv}, [](const ModelRow& m) { return Cell::Text(m.r->chip_id); }},
    {{.key = "target_fps", .unit = Unit::kNumber, .formats = kCsv},
     [](const ModelRow& m) { return Cell::Real(m.r->fps); }},
    {{.key = "model", .formats = kCsv | kJson},
     [](const ModelRow& m) { return Cell::Text(m.row().label); }},
    {{.key = "model", .title = "model", .formats = kHuman, .width = 20, .clip = Clip::kHead},
     [](const ModelRow& m) { return Cell::Text(Basename(m.row().label)); }},
    {{.key = "precision", .formats = kCsv | kJson},
     [](const ModelRow& m) { return Cell::Text(PrecisionName(m.row().precision)); }},
    {{.key = "precision", .title = "precision", .formats = kHuman, .width = 12},
     [](const ModelRow& m) {
       return Cell::Own(std::string(PrecisionName(m.row().precision)) +
                        (m.row().precision_source == PrecisionSource::kGraph ? " (graph)" : ""));
     }},
    {{.key = "precision_source", .formats = kCsv | kJson},
     [](const ModelRow& m) { return Cell::Text(PrecisionSourceName(m.row().precision_source)); }},
    {{.key = "params",
      .title = "params",
      .unit = Unit::kCount,
      .style = Style::Si(),
      .width = 7,
      .right = true},
     [](const ModelRow& m) { return m.Best("params", Cell::Int(m.row().params)); }},
    {{.key = "macs",
      .title = "MACs",
      .unit = Unit::kCount,
      .style = Style::Si(),
      .width = 7,
      .right = true,
      .md_title = "MACs/frame",
      .unit_line = "/frame"},
     [](const ModelRow& m) { return m.Best("macs", Cell::Int(m.row().macs)); }},
    {{.key = "flops", .unit = Unit::kCount, .formats = kCsv | kJson},
     [](const ModelRow& m) { return Cell::Int(m.row().flops); }},
    {{.key = "weight_bytes", .title = "weights", .unit = Unit::kBytes, .width = 9, .right = true},
     [](const ModelRow& m) { return m.Best("weight_bytes", Cell::Real(m.row().weight_bytes)); }},
    {{.key = "nodes_without_cost", .unit = Unit::kCount, .formats = kCsv | kJson},
     [](const ModelRow& m) { return Cell::Int(m.row().nodes_without_cost); }},
    {{.key = "required_tops",
      .title = "req TOPS",
      .unit = Unit::kTops,
      .style = Style::Fixed(3),
      .width = 8,
      .right = true},
     [](const ModelRow& m) { return m.Best("required_tops", Cell::Real(m.row().required_tops)); }},
    {{.key = "latency_ms",
      .title = "latency",
      .unit = Unit::kMs,
      .style = Style::Fixed(2),
      .width = 8,
      .right = true,
      .md_title = "latency ms",
      .unit_line = "ms"},
     [](const ModelRow& m) { return m.Predicted("latency_ms", m.p().latency_ms); }},
    {{.key = "fps",
      .title = "FPS",
      .unit = Unit::kNumber,
      .style = Style::Fixed(1),
      .width = 7,
      .right = true},
     [](const ModelRow& m) { return m.Predicted("fps", m.p().fps); }},
    {{.key = "likely_fps", .title = "likely FPS", .formats = kMarkdown, .width = 11, .right = true},
     [](const ModelRow& m) {
       if (!m.p().available || !m.p().band.known()) return Cell::Absent();
       return Cell::Own(Number(m.p().fps_low, Style::Adaptive()) + "-" +
                        Number(m.p().fps_high, Style::Adaptive()));
     }},
    {{.key = "fps_low", .unit = Unit::kNumber, .formats = kCsv | kJson},
     [](const ModelRow& m) {
       return m.p().available && m.p().band.known() ? Cell::Real(m.p().fps_low) : Cell::Absent();
     }},
    {{.key = "fps_high", .unit = Unit::kNumber, .formats = kCsv | kJson},
     [](const ModelRow& m) {
       return m.p().available && m.p().band.known() ? Cell::Real(m.p().fps_high) : Cell::Absent();
     }},
    {{.key = "load",
      .title = "load",
      .unit = Unit::kRatio,
      .style = Style::Percent(0),
      .width = 5,
      .right = true},
     [](const ModelRow& m) { return m.p().available ? Cell::Real(m.p().load) : Cell::Absent(); }},
    {{.key = "bandwidth_gbs", .unit = Unit::kNumber, .formats = kCsv | kJson},
     [](const ModelRow& m) {
       return m.p().available ? Cell::Real(m.p().bandwidth_gbs) : Cell::Absent();
     }},
    {{.key = "bound", .formats = kCsv | kJson},
     [](const ModelRow& m) {
       return m.p().available ? Cell::Text(BoundName(m.p().bound)) : Cell::Absent();
     }},
    {{.key = "fits", .unit = Unit::kBool, .formats = kCsv | kJson},
     [](const ModelRow& m) { return Cell::Bool(m.row().fit.fits); }},
    {{.key = "verdict", .title = "fits", .formats = kHuman, .width = 0, .gap = 2},
     [](const ModelRow& m) {
       return Cell::Own(Verdict(m.row().fit.fits, m.row().fit.verdict_basis));
     }},
    {{.key = "verdict_basis", .formats = kCsv | kJson},
     [](const ModelRow& m) { return Cell::Text(VerdictBasisName(m.row().fit.verdict_basis)); }},
    {{.key = "notes", .unit = Unit::kList, .formats = kJson},
     [](const ModelRow& m) { return Cell::List(m.row().notes); }},
    {{.key = "best_in", .unit = Unit::kList, .formats = kCsv | kJson, .csv_join = " "},
     [](const ModelRow& m) { return Cell::List(BestIn(*m.r, m.i)); }},
    {{.key = "notes", .unit = Unit::kList, .formats = kCsv},
     [](const ModelRow& m) { return Cell::List(m.row().notes); }},
};

constexpr const char* kCompareLegend =
    "\nreq TOPS: what the seed article's rule asks of the chip, 2 x MACs x FPS / 1e12\n"
    "(INT8-equivalent). latency and FPS: per-layer roofline of one inference (as `tops "
    "fit`); its\nlikely range: `tops fit`, or compare's Markdown, CSV and JSON (likely "
    "FPS).\nload: share of the chip's time the model needs at the requested FPS; over 100% "
    "means\nit cannot keep up. weights: stored size at the precision shown.\n";

// The peak each precision's roofline used, against the chip's dense peak: on multi-core NPUs
// one inference gets one core's share.
std::string ComparePeaks(const CompareResult& r) {
  std::string out;
  std::vector<Precision> seen;
  for (const CompareRow& row : r.rows) {
    const Prediction& p = row.fit.predicted;
    if (!p.available || !row.fit.chip_tops) continue;
    if (std::find(seen.begin(), seen.end(), row.precision) != seen.end()) continue;
    seen.push_back(row.precision);
    AppendWrapped(out, "", PeakLine(row.precision, p.peak_tops, *row.fit.chip_tops));
  }
  return out;
}

std::string Footnotes(const CompareResult& r, const std::string& bullet, bool markdown) {
  std::string out;
  auto note = [&](const std::string& text) {
    AppendWrapped(out, bullet, markdown ? MarkdownCell(text) : text);
  };
  for (const auto& n : r.notes) note("all models: " + n);
  for (const CompareRow& row : r.rows) {
    for (const auto& n : row.notes) note(std::string(Basename(row.label)) + ": " + n);
  }
  return out;
}

}  // namespace

void Lay(Sink& s, const WhatifResult& r) {
  s.Field("schema_version", Cell::Int(kSchemaVersion));
  BuildIdentity(s);
  s.Field("model", Cell::Text(r.model));
  s.Open("chip");
  s.Field("id", Cell::Text(r.chip_id));
  s.Field("name", Cell::Text(r.chip_name));
  s.Close();
  s.Field("fps", Cell::Real(r.fps));
  s.Field("precision", Cell::Text(PrecisionName(r.precision)));
  s.Field("precision_source", Cell::Text(PrecisionSourceName(r.precision_source)));
  s.Open("quantization");
  s.Field("quantized", Cell::Bool(r.quant.quantized));
  s.Field("precision",
          r.quant.precision ? Cell::Text(PrecisionName(*r.quant.precision)) : Cell::Absent());
  s.Field("evidence", Cell::List(r.quant.evidence));
  s.Close();
  s.Field("batch_symbol", r.batch_symbol ? Cell::Text(*r.batch_symbol) : Cell::Absent());
  s.Field("notes", Cell::List(r.notes));
  if (s.Reads()) s.Say(WhatifOpening(r));
  std::vector<ScenarioRow> rows;
  for (const ScenarioResult& row : r.rows) rows.push_back({&r, &row});
  s.Rows<ScenarioRow>(kScenarioColumns, std::move(rows), {.key = "scenarios"});
  if (s.Reads()) s.Say(WhatifClosing(r));
}

void Lay(Sink& s, const CompareResult& r) {
  s.Field("schema_version", Cell::Int(kSchemaVersion));
  BuildIdentity(s);
  s.Open("chip");
  s.Field("id", Cell::Text(r.chip_id));
  s.Field("name", Cell::Text(r.chip_name));
  s.Close();
  s.Field("fps", Cell::Real(r.fps));
  s.Say("Compare on " + r.chip_name + " (" + r.chip_id + ") at " + G(r.fps) +
            " FPS; * marks the best value in each column\n\n",
        "Compare on " + MarkdownCell(r.chip_name) + " (`" + r.chip_id + "`) at " + G(r.fps) +
            " FPS; **bold** marks the best value in each column.\n\n");
  std::vector<ModelRow> rows;
  for (size_t i = 0; i < r.rows.size(); ++i) rows.push_back({&r, i});
  s.Rows<ModelRow>(kCompareModelColumns, std::move(rows), {.key = "models", .md_short_rule = true});
  s.Open("best");
  for (const auto& [column, index] : r.best) s.Field(column, Cell::Text(r.rows[index].label));
  s.Close();
  s.Field("notes", Cell::List(r.notes));
  if (!s.Reads()) return;
  const std::string peaks = ComparePeaks(r);
  const std::string terminal_notes = Footnotes(r, "  - ", false);
  const std::string markdown_notes = Footnotes(r, "- ", true);
  s.Say(kCompareLegend + peaks + (terminal_notes.empty() ? "" : "\nNotes:\n" + terminal_notes),
        "\n" + peaks + (markdown_notes.empty() ? "" : "\n" + markdown_notes));
}

}  // namespace tops::report
