// What `tops fit` prints: the article's check beside the roofline prediction and the dominant
// layers, as rows with typed columns. Its CSV rows (one per model: the chip, the check and the
// prediction repeat on every row, they belong to the workload) are rank's (rank_layout.cc).
#include "report/fit_rows.h"

namespace tops::report {
namespace {

std::string G(double v) { return Number(v, Style::General()); }

// ---- fit -------------------------------------------------------------------------------------

const Column<const LayerEstimate*> kLayerColumns[] = {
    {{.key = "model", .formats = kJson}, [](auto& l) { return Cell::Text(l->model); }},
    {{.key = "node", .title = "node", .width = 40, .clip = Clip::kHead},
     [](auto& l) { return Cell::Text(l->node); }},
    // ONNX op names fit in 10; TFLite's (DEPTHWISE_CONV_2D) widen the column.
    {{.key = "op", .title = "op", .min_width = 10}, [](auto& l) { return Cell::Text(l->op); }},
    {{.key = "class", .title = "class", .width = 11},
     [](auto& l) { return Cell::Text(OpClassName(l->op_class)); }},
    {{.key = "time_ms",
      .title = "time ms",
      .unit = Unit::kMs,
      .formats = kHuman,
      .style = Style::Fixed(4),
      .width = 9,
      .right = true},
     [](auto& l) { return Cell::Real(l->time_ms); }},
    {{.key = "ops", .unit = Unit::kCount, .formats = kJson},
     [](auto& l) { return Cell::Real(l->ops); }},
    {{.key = "dram_bytes", .unit = Unit::kBytes, .formats = kJson},
     [](auto& l) { return Cell::Real(l->dram_bytes); }},
    {{.key = "compute_ms",
      .title = "compute",
      .unit = Unit::kMs,
      .style = Style::Fixed(4),
      .width = 9,
      .right = true,
      .md_title = "compute ms"},
     [](auto& l) { return Cell::Real(l->compute_ms); }},
    {{.key = "memory_ms",
      .title = "memory",
      .unit = Unit::kMs,
      .style = Style::Fixed(4),
      .width = 9,
      .right = true,
      .md_title = "memory ms"},
     [](auto& l) { return Cell::Real(l->memory_ms); }},
    {{.key = "overhead_ms", .unit = Unit::kMs, .formats = kJson},
     [](auto& l) { return Cell::Real(l->overhead_ms); }},
    {{.key = "time_ms", .unit = Unit::kMs, .formats = kJson},
     [](auto& l) { return Cell::Real(l->time_ms); }},
    {{.key = "bound", .title = "bound", .width = 8, .right = true, .md_right = false},
     [](auto& l) { return Cell::Text(BoundName(l->bound)); }},
};

std::shared_ptr<const Table> Layers(const ModelPrediction& m, Formats formats) {
  std::vector<const LayerEstimate*> rows;
  for (const LayerEstimate& l : m.top_layers) rows.push_back(&l);
  return std::make_shared<Rows<const LayerEstimate*>>(kLayerColumns, std::move(rows),
                                                      Layout{.formats = formats, .indent = "  "});
}

// Per model of a prediction: a Markdown table, and in JSON each with its dominant layers.
const Column<const ModelPrediction*> kModelColumns[] = {
    {{.key = "label", .title = "model"}, [](auto& m) { return Cell::Text(m->label); }},
    {{.key = "fps_requested", .title = "requested FPS", .unit = Unit::kNumber, .right = true},
     [](auto& m) { return Cell::Real(m->fps_requested); }},
    {{.key = "latency_ms", .title = "latency ms", .unit = Unit::kMs, .right = true},
     [](auto& m) { return Cell::Real(m->latency_ms); }},
    {{.key = "fps",
      .title = "FPS alone",
      .unit = Unit::kNumber,
      .style = Style::Fixed(1),
      .right = true},
     [](auto& m) { return Cell::Real(m->fps); }},
    {{.key = "latency_low_ms", .title = "likely from ms", .unit = Unit::kMs, .right = true},
     [](auto& m) {
       return m->latency_low_ms > 0 ? Cell::Real(m->latency_low_ms) : Cell::Absent();
     }},
    {{.key = "latency_high_ms", .title = "to ms", .unit = Unit::kMs, .right = true},
     [](auto& m) {
       return m->latency_high_ms > 0 ? Cell::Real(m->latency_high_ms) : Cell::Absent();
     }},
    {{.key = "load", .title = "load", .unit = Unit::kRatio, .right = true},
     [](auto& m) { return Cell::Real(m->load); }},
    {{.key = "compute_ms", .unit = Unit::kMs, .formats = kJson},
     [](auto& m) { return Cell::Real(m->compute_ms); }},
    {{.key = "memory_ms", .unit = Unit::kMs, .formats = kJson},
     [](auto& m) { return Cell::Real(m->memory_ms); }},
    {{.key = "overhead_ms", .unit = Unit::kMs, .formats = kJson},
     [](auto& m) { return Cell::Real(m->overhead_ms); }},
    {{.key = "dram_bytes", .unit = Unit::kBytes, .formats = kJson},
     [](auto& m) { return Cell::Real(m->dram_bytes); }},
    {{.key = "weights_on_chip",
      .title = "weights",
      .unit = Unit::kBool,
      .yes = "on chip",
      .no = "from DRAM"},
     [](auto& m) { return Cell::Bool(m->weights_on_chip); }},
    {{.key = "layers", .unit = Unit::kCount, .formats = kJson},
     [](auto& m) { return Cell::Int(m->layers); }},
    {{.key = "skipped_nodes", .unit = Unit::kCount, .formats = kJson},
     [](auto& m) { return Cell::Int(m->skipped_nodes); }},
    {{.key = "top_layers", .formats = kJson},
     [](auto& m) { return Cell::Nested(Layers(*m, kJson)); }},
};

// "a.onnx @ 30 fps + b.onnx @ 10 fps"; empty when the prediction has no models.
std::string WorkloadText(const Prediction& p) {
  std::string workload;
  for (const ModelPrediction& m : p.models) {
    workload += (workload.empty() ? "" : " + ") + m.label + " @ " + G(m.fps_requested) + " fps";
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
  return "Article rule (check_hardware, utilisation " + Number(r.utilization, Style::Fixed(2)) +
         ", " + convention + (own ? prec + " " : std::string()) + "peak)";
}

// "power mode 15 W: 2.10 mJ/inference, ..."; empty without a power mode.
std::string PowerText(const Prediction& p) {
  if (!p.power_w) return "";
  std::string s = "power mode " + G(*p.power_w) + " W";
  if (p.energy_mj) {
    s += ": " + Number(*p.energy_mj, Style::Fixed(2)) + " mJ/inference, " +
         Number(*p.fps_per_watt, Style::Fixed(1)) + " FPS/W, achieved " +
         Number(*p.achieved_tops_per_watt, Style::General(3)) + " TOPS/W";
  }
  if (p.tops_per_watt) {
    s += " (datasheet " + Number(*p.tops_per_watt, Style::General(3)) + " TOPS/W)";
  }
  if (p.peaks_from_higher_mode) s += "; peaks of a higher mode (optimistic)";
  return s;
}

std::string LayersHeading(const ModelPrediction& m, const std::string& label) {
  return "Dominant layers of " + label + " (" + Int(m.layers, Style::Plain()) + " layers, " +
         Number(m.latency_ms, Style::Fixed(3)) + " ms, weights " +
         (m.weights_on_chip ? "on chip" : "from DRAM") + ")";
}

std::string VerdictText(const FitResult& r) {
  return std::string(r.fits ? "fits" : "does not fit") + " (" +
         std::string(VerdictBasisName(r.verdict_basis)) + ")";
}

std::string YesNo(const std::optional<bool>& v) { return v ? (*v ? "yes" : "no") : "-"; }

// The article's check: key-value lines in the terminal, a one-row table in Markdown.
struct ArticleRow {
  const FitResult* r;
};
const Column<ArticleRow> kArticleColumns[] = {
    {{.title = "required TOPS", .unit = Unit::kTops, .right = true},
     [](const ArticleRow& a) { return Cell::Real(a.r->required_tops); }},
    {{.title = "effective TOPS", .right = true},
     [](const ArticleRow& a) {
       const FitResult& r = *a.r;
       if (!r.effective_tops) return Cell::Text("- (no peak)");
       return Cell::Own(Number(*r.effective_tops, Style::Fixed(4)) + " (peak " + G(*r.chip_tops) +
                        " x " + Number(r.utilization, Style::Fixed(2)) + ")");
     }},
    {{.title = "sufficient", .unit = Unit::kBool},
     [](const ArticleRow& a) { return Cell::Bool(a.r->is_sufficient); }},
    {{.title = "margin", .unit = Unit::kTops, .right = true},
     [](const ArticleRow& a) { return Cell::Real(a.r->margin); }},
};

Prose Opening(const FitResult& r) {
  const Prediction& p = r.predicted;
  const std::string prec(PrecisionName(r.precision));
  const std::string workload = WorkloadText(p);
  Prose o;
  o.terminal = "Chip      " + r.chip_name + " (" + r.chip_id + ")\n";
  if (!workload.empty()) o.terminal += "Workload  " + workload + ", " + prec + "\n";
  o.terminal += "\n" + ArticleRuleText(r) + ":\n";
  o.terminal += "  required_tops   " + Number(r.required_tops, Style::Fixed(4)) + "\n";
  if (r.effective_tops) {
    o.terminal += "  effective_tops  " + Number(*r.effective_tops, Style::Fixed(4)) + "   (peak " +
                  G(*r.chip_tops) + " x " + Number(r.utilization, Style::Fixed(2)) + ")\n";
    o.terminal += "  is_sufficient   " + YesNo(r.is_sufficient) + "\n";
    o.terminal += "  margin          " + Number(*r.margin, Style::Fixed(4)) + "\n";
  } else {
    o.terminal += "  effective_tops  -   (no peak)\n";
  }
  o.markdown = "## " + MarkdownCell(r.chip_name) + " (" + MarkdownCell(r.chip_id) + ")\n\n";
  if (!workload.empty())
    o.markdown += "Workload: " + MarkdownCell(workload) + ", " + prec + ".\n\n";
  o.markdown += ArticleRuleText(r) + ":\n\n";
  return o;
}

Prose PredictionProse(const FitResult& r) {
  const Prediction& p = r.predicted;
  Prose o;
  if (!p.available) {
    o.terminal = "\nRoofline prediction: not available\n";
    o.markdown = "\nRoofline prediction: not available.\n";
    return o;
  }
  const std::string peak = "(peak used " + G(p.peak_tops) + " TOPS)";
  const std::string latency = Number(p.latency_ms, Style::Fixed(3));
  const std::string fps = Number(p.fps, Style::Fixed(1));
  const std::string util = Number(p.utilization, Style::Percent(1));
  const std::string load = Number(p.load, Style::Percent(1));
  const std::string fits = p.fits ? "fits" : "does NOT fit";
  const std::string dram = Number(p.bandwidth_gbs, Style::Fixed(2));
  // The likely range: the family's leave-one-out band (docs/hardware.md, "Calibration").
  const std::string range =
      p.band.known()
          ? "\n  likely " + Number(p.latency_low_ms, Style::Fixed(3)) + "-" +
                Number(p.latency_high_ms, Style::Fixed(3)) + " ms (" +
                Number(p.fps_low, Style::Fixed(1)) + "-" + Number(p.fps_high, Style::Fixed(1)) +
                " fps): 5th-95th percentile of measured / predicted over " +
                Int(p.band.rows, Style::Plain()) + " left-out rows (" + p.band.scope + ")"
          : "\n  range unknown: the figures were not solved from measurements";
  o.terminal = "\nRoofline prediction " + peak + ":\n  latency " + latency + " ms   fps " + fps +
               "   utilisation " + util + "   bound " + std::string(BoundName(p.bound)) + range +
               "\n  load " + load + " of the chip at the requested rates: " + fits +
               "\n  DRAM traffic " + dram + " GB/s at the requested rates\n";
  o.markdown = "\nRoofline prediction " + peak + ": latency " + latency + " ms, " + fps +
               " FPS, utilisation " + util + ", bound " + std::string(BoundName(p.bound)) + ";" +
               range.substr(2) + "; load " + load + " of the chip at the requested rates: " + fits +
               "; DRAM traffic " + dram + " GB/s.\n\n";
  return o;
}

void Sentences(Sink& s, const FitResult& r) {
  const Prediction& p = r.predicted;
  s.Say(Opening(r));
  s.Rows<ArticleRow>(kArticleColumns, {{&r}}, {.formats = kMarkdown});
  s.Say(PredictionProse(r));
  if (p.available) {
    std::vector<const ModelPrediction*> models;
    for (const ModelPrediction& m : p.models) models.push_back(&m);
    s.Rows<const ModelPrediction*>(kModelColumns, models, {.formats = kMarkdown});
  }
  if (p.power_w) s.Say("  " + PowerText(p) + "\n", "\n" + PowerText(p) + ".\n");
  for (const ModelPrediction& m : p.models) {
    if (m.top_layers.empty()) continue;
    s.Say("\n" + LayersHeading(m, m.label) + ":\n",
          "\n### " + LayersHeading(m, MarkdownCell(m.label)) + "\n\n");
    s.Table(*Layers(m, kHuman));
  }
  std::vector<std::string> missing = Texts(r.missing);
  for (const std::string& m : Texts(p.missing)) missing.push_back(m);
  s.Say(Bullets("Missing figures", missing));
  s.Say(Bullets("Caveats", Texts(p.caveats)));
  s.Say("\nVerdict: " + VerdictText(r) + "\n", "\n**Verdict: " + VerdictText(r) + "**\n");
}

}  // namespace

void FitFields(Sink& s, const FitResult& r) {
  const Prediction& p = r.predicted;
  auto known = [&p](double v) { return p.available ? Cell::Real(v) : Cell::Absent(); };
  s.Open("chip");
  s.Field("id", Cell::Text(r.chip_id));
  s.Field("name", Cell::Text(r.chip_name));
  s.Close();
  s.Field("precision", Cell::Text(PrecisionName(r.precision)));
  s.Field("utilization", Cell::Real(r.utilization));
  s.Field("convention", Cell::Text(ArticleConventionName(r.convention)));
  s.Field("chip_tops", Cell::Real(r.chip_tops));
  s.Field("required_tops", Cell::Real(r.required_tops));
  s.Field("effective_tops", Cell::Real(r.effective_tops));
  s.Field("is_sufficient", Cell::Bool(r.is_sufficient));
  s.Field("margin", Cell::Real(r.margin));
  s.Field("missing", Cell::List(Texts(r.missing)));
  s.Open("predicted");
  s.Field("available", Cell::Bool(p.available));
  s.Field("latency_ms", known(p.latency_ms));
  s.Field("fps", known(p.fps));
  const bool band = p.available && p.band.known();
  s.Field("latency_low_ms", band ? Cell::Real(p.latency_low_ms) : Cell::Absent());
  s.Field("latency_high_ms", band ? Cell::Real(p.latency_high_ms) : Cell::Absent());
  s.Field("fps_low", band ? Cell::Real(p.fps_low) : Cell::Absent());
  s.Field("fps_high", band ? Cell::Real(p.fps_high) : Cell::Absent());
  s.Field("range_rows", band ? Cell::Int(p.band.rows) : Cell::Absent());
  s.Field("range_scope", band ? Cell::Text(p.band.scope) : Cell::Absent());
  s.Field("runtime", p.runtime.empty() ? Cell::Absent() : Cell::Text(p.runtime));
  s.Field("utilization", known(p.utilization));
  s.Field("bound", p.available ? Cell::Text(BoundName(p.bound)) : Cell::Absent());
  s.Field("load", known(p.load));
  s.Field("fits", p.available ? Cell::Bool(p.fits) : Cell::Absent());
  s.Field("peak_tops", known(p.peak_tops));
  s.Field("bandwidth_gbs", known(p.bandwidth_gbs));
  s.Field("power_w", Cell::Real(p.power_w));
  s.Field("peaks_from_higher_mode", Cell::Bool(p.peaks_from_higher_mode));
  s.Field("energy_mj", Cell::Real(p.energy_mj));
  s.Field("fps_per_watt", Cell::Real(p.fps_per_watt));
  s.Field("tops_per_watt", Cell::Real(p.tops_per_watt));
  s.Field("achieved_tops_per_watt", Cell::Real(p.achieved_tops_per_watt));
  s.Field("missing", Cell::List(Texts(p.missing)));
  s.Field("caveats", Cell::List(Texts(p.caveats)));
  std::vector<const ModelPrediction*> models;
  for (const ModelPrediction& m : p.models) models.push_back(&m);
  s.Rows<const ModelPrediction*>(kModelColumns, models, {.key = "models", .formats = kJson});
  s.Close();
  s.Field("fits", Cell::Bool(r.fits));
  s.Field("verdict_basis", Cell::Text(VerdictBasisName(r.verdict_basis)));
}

void Lay(Sink& s, const FitResult& r) {
  s.Field("schema_version", Cell::Int(kSchemaVersion));
  BuildIdentity(s);
  FitFields(s, r);
  if (s.Reads()) Sentences(s, r);
  FitCsv(s, r);
}

}  // namespace tops::report
