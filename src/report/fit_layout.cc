// What `tops require`, `tops fit` and `tops rank` print: the article's check beside the roofline
// prediction, as rows with typed columns. CSV has one row per precision (require), per model
// (fit: the chip, the check and the prediction repeat on every row, they belong to the workload)
// or per chip (rank: ranked chips in rank order, then the excluded ones with their reason).
#include <fmt/format.h>

#include "report/layouts.h"

namespace tops::report {
namespace {

std::string G(double v) { return Number(v, Style::General()); }

// ---- require ---------------------------------------------------------------------------------

const Column<const ModelDemand*> kDemandColumns[] = {
    {{.key = "label"}, [](const ModelDemand* const& m) { return Cell::Text(m->label); }},
    {{.key = "fps", .unit = Unit::kNumber}, [](auto& m) { return Cell::Real(m->fps); }},
    {{.key = "macs", .unit = Unit::kCount}, [](auto& m) { return Cell::Real(m->macs); }},
    {{.key = "other_ops", .unit = Unit::kCount}, [](auto& m) { return Cell::Real(m->other_ops); }},
    {{.key = "ops_per_frame", .unit = Unit::kCount},
     [](auto& m) { return Cell::Real(m->ops_per_frame); }},
    {{.key = "weight_elems", .unit = Unit::kCount},
     [](auto& m) { return Cell::Real(m->weight_elems); }},
    {{.key = "activation_elems", .unit = Unit::kCount},
     [](auto& m) { return Cell::Real(m->activation_elems); }},
};

// Bandwidths: GB/s for people and in JSON, bytes per second in CSV (as the analysis gives them).
const Column<const PrecisionRequirement*> kRequireColumns[] = {
    {{.key = "precision", .title = "precision", .width = 9},
     [](auto& p) { return Cell::Text(PrecisionName(p->precision)); }},
    {{.key = "article_factor", .title = "factor", .unit = Unit::kNumber, .width = 7, .right = true},
     [](auto& p) { return Cell::Real(p->article_factor); }},
    {{.key = "int8_equivalent_tops",
      .title = "article TOPS",
      .unit = Unit::kTops,
      .width = 16,
      .right = true},
     [](auto& p) { return Cell::Real(p->int8_equivalent_tops); }},
    {{.key = "own_tops", .title = "own-peak T*PS", .unit = Unit::kTops, .width = 14, .right = true},
     [](auto& p) { return Cell::Real(p->own_tops); }},
    {{.key = "weight_gbs",
      .title = "weights GB/s",
      .unit = Unit::kNumber,
      .formats = kHuman | kJson,
      .style = Style::Fixed(3),
      .width = 14,
      .right = true},
     [](auto& p) { return Cell::Real(p->weight_bytes_per_second / 1e9); }},
    {{.key = "all_dram_gbs",
      .title = "all-DRAM GB/s",
      .unit = Unit::kNumber,
      .formats = kHuman | kJson,
      .style = Style::Fixed(3),
      .width = 16,
      .right = true},
     [](auto& p) { return Cell::Real(p->all_dram_bytes_per_second / 1e9); }},
    {{.key = "weight_bytes_per_second", .unit = Unit::kNumber, .formats = kCsv},
     [](auto& p) { return Cell::Real(p->weight_bytes_per_second); }},
    {{.key = "all_dram_bytes_per_second", .unit = Unit::kNumber, .formats = kCsv},
     [](auto& p) { return Cell::Real(p->all_dram_bytes_per_second); }},
};

constexpr const char* kRequireLegend =
    "article TOPS: the seed article's INT8-equivalent convention (FP16 x2, FP32 x4).\n"
    "own-peak T*PS: the same work against that precision's own peak (TOPS or TFLOPS).\n"
    "weights GB/s: weights read once per inference; all-DRAM GB/s adds every activation\n"
    "written and read once (nothing kept on chip). `tops fit` uses the chip's on-chip "
    "memory.\n";

std::string DemandLine(const ModelDemand& m, const std::string& label) {
  return label + ": " + Number(m.macs, Style::Si()) + " MACs/frame -> " +
         Number(m.ops_per_frame, Style::Si()) + " OPs/frame (2 x MACs) at " + G(m.fps) + " fps";
}

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

// The fit as JSON members (also each row of a rank).
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
  o.terminal = "\nRoofline prediction " + peak + ":\n  latency " + latency + " ms   fps " + fps +
               "   utilisation " + util + "   bound " + std::string(BoundName(p.bound)) +
               "\n  load " + load + " of the chip at the requested rates: " + fits +
               "\n  DRAM traffic " + dram + " GB/s at the requested rates\n";
  o.markdown = "\nRoofline prediction " + peak + ": latency " + latency + " ms, " + fps +
               " FPS, utilisation " + util + ", bound " + std::string(BoundName(p.bound)) +
               "; load " + load + " of the chip at the requested rates: " + fits +
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

// ---- CSV of fit and rank -----------------------------------------------------------------------

struct FitRow {
  size_t rank = 0;  // 1-based; 0 in a fit
  const FitResult* f = nullptr;
  const ModelPrediction* model = nullptr;  // fit: the row's model, if the prediction has any
  const RankExclusion* excluded = nullptr;
  Precision precision = Precision::kInt8;  // rank: the precision, also on excluded rows
};

// Figures of the prediction, empty without one (and on excluded chips).
Cell Predicted(const FitRow& r, double v) {
  return r.f && r.f->predicted.available ? Cell::Real(v) : Cell::Absent();
}
const Prediction& P(const FitRow& r) { return r.f->predicted; }

using FitColumn = Column<FitRow>;

const FitColumn kRankLead[] = {
    {{.key = "rank",
      .title = "#",
      .unit = Unit::kCount,
      .style = Style::Plain(),
      .width = 3,
      .right = true},
     [](const FitRow& r) {
       return r.f ? Cell::Int(static_cast<int64_t>(r.rank)) : Cell::Absent();
     }},
};

const FitColumn kChip[] = {
    {{.key = "chip", .title = "chip", .width = 28, .clip = Clip::kCut},
     [](const FitRow& r) { return Cell::Text(r.f ? r.f->chip_id : r.excluded->chip_id); }},
    {{.key = "chip_name", .formats = kCsv},
     [](const FitRow& r) { return r.f ? Cell::Text(r.f->chip_name) : Cell::Absent(); }},
    {{.key = "precision", .formats = kCsv},
     [](const FitRow& r) { return Cell::Text(PrecisionName(r.f ? r.f->precision : r.precision)); }},
    {{.key = "convention", .formats = kCsv},
     [](const FitRow& r) {
       return r.f ? Cell::Text(ArticleConventionName(r.f->convention)) : Cell::Absent();
     }},
};

const FitColumn kUtilization[] = {
    {{.key = "article_utilization", .unit = Unit::kRatio, .formats = kCsv},
     [](const FitRow& r) { return Cell::Real(r.f->utilization); }},
};

// The article's check; people read rank's figures with three significant digits.
const FitColumn kArticle[] = {
    {{.key = "chip_tops",
      .title = "peak",
      .unit = Unit::kTops,
      .style = Style::Adaptive(),
      .width = 9,
      .right = true},
     [](const FitRow& r) { return r.f ? Cell::Real(r.f->chip_tops) : Cell::Absent(); }},
    {{.key = "required_tops",
      .title = "required",
      .unit = Unit::kTops,
      .style = Style::Adaptive(),
      .width = 9,
      .right = true},
     [](const FitRow& r) { return r.f ? Cell::Real(r.f->required_tops) : Cell::Absent(); }},
    {{.key = "effective_tops",
      .title = "effective",
      .unit = Unit::kTops,
      .style = Style::Adaptive(),
      .width = 10,
      .right = true},
     [](const FitRow& r) { return r.f ? Cell::Real(r.f->effective_tops) : Cell::Absent(); }},
    {{.key = "is_sufficient",
      .title = "suff",
      .unit = Unit::kBool,
      .width = 5,
      .right = true,
      .md_right = false},
     [](const FitRow& r) { return r.f ? Cell::Bool(r.f->is_sufficient) : Cell::Absent(); }},
    {{.key = "margin",
      .title = "margin",
      .unit = Unit::kTops,
      .style = Style::Adaptive(),
      .width = 9,
      .right = true},
     [](const FitRow& r) { return r.f ? Cell::Real(r.f->margin) : Cell::Absent(); }},
};

const FitColumn kModel[] = {
    {{.key = "model", .formats = kCsv},
     [](const FitRow& r) { return r.model ? Cell::Text(r.model->label) : Cell::Absent(); }},
    {{.key = "model_fps_requested", .unit = Unit::kNumber, .formats = kCsv},
     [](const FitRow& r) { return r.model ? Cell::Real(r.model->fps_requested) : Cell::Absent(); }},
    {{.key = "model_latency_ms", .unit = Unit::kMs, .formats = kCsv},
     [](const FitRow& r) { return r.model ? Cell::Real(r.model->latency_ms) : Cell::Absent(); }},
    {{.key = "model_fps", .unit = Unit::kNumber, .formats = kCsv},
     [](const FitRow& r) { return r.model ? Cell::Real(r.model->fps) : Cell::Absent(); }},
    {{.key = "model_load", .unit = Unit::kRatio, .formats = kCsv},
     [](const FitRow& r) { return r.model ? Cell::Real(r.model->load) : Cell::Absent(); }},
};

const FitColumn kPredicted[] = {
    {{.key = "predicted_fps",
      .title = "pred fps",
      .unit = Unit::kNumber,
      .formats = kHuman,
      .style = Style::Adaptive(),
      .width = 10,
      .right = true},
     [](const FitRow& r) { return Predicted(r, r.f ? P(r).fps : 0); }},
    {{.key = "predicted_latency_ms",
      .title = "lat ms",
      .unit = Unit::kMs,
      .style = Style::Adaptive(),
      .width = 9,
      .right = true},
     [](const FitRow& r) { return Predicted(r, r.f ? P(r).latency_ms : 0); }},
    {{.key = "predicted_fps", .unit = Unit::kNumber, .formats = kCsv},
     [](const FitRow& r) { return Predicted(r, r.f ? P(r).fps : 0); }},
    {{.key = "predicted_utilization", .unit = Unit::kRatio, .formats = kCsv},
     [](const FitRow& r) { return Predicted(r, r.f ? P(r).utilization : 0); }},
    {{.key = "predicted_bound", .title = "bound", .width = 8, .right = true, .md_right = false},
     [](const FitRow& r) {
       return r.f && P(r).available ? Cell::Text(BoundName(P(r).bound)) : Cell::Absent();
     }},
    {{.key = "predicted_load", .unit = Unit::kRatio, .formats = kCsv},
     [](const FitRow& r) { return Predicted(r, r.f ? P(r).load : 0); }},
    {{.key = "predicted_fits", .unit = Unit::kBool, .formats = kCsv},
     [](const FitRow& r) {
       return r.f && P(r).available ? Cell::Bool(P(r).fits) : Cell::Absent();
     }},
    {{.key = "power_w", .unit = Unit::kNumber, .formats = kCsv},
     [](const FitRow& r) { return r.f ? Cell::Real(P(r).power_w) : Cell::Absent(); }},
    // '*': the peaks are a higher mode's, used as they are (the legend says so).
    {{.key = "power", .title = "power", .formats = kHuman, .width = 7, .right = true},
     [](const FitRow& r) {
       if (!r.f || !P(r).power_w) return Cell::Absent();
       return Cell::Own(G(*P(r).power_w) + " W" + (P(r).peaks_from_higher_mode ? "*" : ""));
     }},
    {{.key = "peaks_from_higher_mode", .unit = Unit::kBool, .formats = kCsv},
     [](const FitRow& r) {
       return r.f ? Cell::Bool(P(r).peaks_from_higher_mode) : Cell::Absent();
     }},
    {{.key = "fps_per_watt", .unit = Unit::kNumber, .formats = kCsv},
     [](const FitRow& r) { return r.f ? Cell::Real(P(r).fps_per_watt) : Cell::Absent(); }},
    {{.key = "predicted_fits",
      .title = "fits",
      .unit = Unit::kBool,
      .formats = kHuman,
      .width = 5,
      .right = true,
      .md_right = false},
     [](const FitRow& r) {
       return r.f && P(r).available ? Cell::Bool(P(r).fits) : Cell::Absent();
     }},
};

const FitColumn kVerdict[] = {
    {{.key = "fits", .unit = Unit::kBool, .formats = kCsv},
     [](const FitRow& r) { return r.f ? Cell::Bool(r.f->fits) : Cell::Absent(); }},
    {{.key = "verdict_basis", .formats = kCsv},
     [](const FitRow& r) {
       return r.f ? Cell::Text(VerdictBasisName(r.f->verdict_basis)) : Cell::Absent();
     }},
};

const FitColumn kExcluded[] = {
    {{.key = "excluded", .formats = kCsv},
     [](const FitRow& r) { return r.excluded ? Cell::Text(r.excluded->reason) : Cell::Absent(); }},
};

template <typename... Parts>
std::vector<FitColumn> Concat(const Parts&... parts) {
  std::vector<FitColumn> out;
  (out.insert(out.end(), std::begin(parts), std::end(parts)), ...);
  return out;
}

std::string RankLegend(const RankResult& r) {
  return "peak/required/effective/margin: the article's check_hardware (" +
         std::string(PrecisionName(r.precision)) +
         " dense peak, or the\n"
         "INT8 peak in its INT8-equivalent convention); pred fps/lat/bound: roofline; fits: the\n"
         "roofline says the requested frame rates are met. '-' = a figure the catalog lacks.\n"
         "'*' after the power: the chip's peaks are published only for a higher power mode and "
         "are\nused as they are (optimistic at this budget).\n";
}

}  // namespace

void Lay(Sink& s, const Requirement& r) {
  s.Field("schema_version", Cell::Int(kSchemaVersion));
  BuildIdentity(s);
  std::vector<const ModelDemand*> models;
  for (const ModelDemand& m : r.models) models.push_back(&m);
  s.Rows<const ModelDemand*>(kDemandColumns, models, {.key = "models", .formats = kJson});
  if (s.Reads()) {
    Prose p;
    for (const ModelDemand& m : r.models) {
      p.terminal += DemandLine(m, m.label) + "\n";
      p.markdown += "- " + DemandLine(m, MarkdownCell(m.label)) + "\n";
    }
    const std::string total =
        "Total: " + Number(r.ops_per_second / 1e12, Style::General(4)) + " TOPS of work per second";
    p.terminal += total + "\n\n";
    p.markdown = "## Requirement\n\n" + p.markdown + "\n" + total + ".\n\n";
    s.Say(p);
  }
  s.Field("ops_per_second", Cell::Real(r.ops_per_second));
  std::vector<const PrecisionRequirement*> rows;
  for (const PrecisionRequirement& p : r.precisions) rows.push_back(&p);
  s.Rows<const PrecisionRequirement*>(kRequireColumns, rows, {.key = "precisions"});
  s.Say(std::string("\n") + kRequireLegend, std::string("\n") + kRequireLegend);
}

void Lay(Sink& s, const FitResult& r) {
  s.Field("schema_version", Cell::Int(kSchemaVersion));
  BuildIdentity(s);
  FitFields(s, r);
  if (s.Reads()) Sentences(s, r);
  static const std::vector<FitColumn> kColumns =
      Concat(kChip, kUtilization, kArticle, kModel, kPredicted, kVerdict);
  std::vector<FitRow> rows;
  for (const ModelPrediction& m : r.predicted.models) rows.push_back({0, &r, &m});
  if (rows.empty()) rows.push_back({0, &r, nullptr});
  s.Rows<FitRow>(kColumns, std::move(rows), {.formats = kCsv});
}

void Lay(Sink& s, const RankResult& r) {
  static const std::vector<FitColumn> kColumns =
      Concat(kRankLead, kChip, kArticle, kPredicted, kVerdict, kExcluded);
  s.Field("schema_version", Cell::Int(kSchemaVersion));
  BuildIdentity(s);
  s.Field("precision", Cell::Text(PrecisionName(r.precision)));
  s.OpenList("rows");
  for (const RankRow& row : r.rows) {
    s.Open("");
    FitFields(s, row.fit);
    s.Close();
  }
  s.Close();
  s.OpenList("excluded");
  for (const RankExclusion& e : r.excluded) {
    s.Open("");
    s.Field("chip", Cell::Text(e.chip_id));
    s.Field("reason", Cell::Text(e.reason));
    s.Close();
  }
  s.Close();
  s.Say("",
        "## Chips ranked for this workload (" + std::string(PrecisionName(r.precision)) + ")\n\n");
  std::vector<FitRow> rows;
  for (size_t i = 0; i < r.rows.size(); ++i) rows.push_back({i + 1, &r.rows[i].fit});
  std::vector<FitRow> csv_rows = rows;
  for (const RankExclusion& e : r.excluded) {
    csv_rows.push_back({0, nullptr, nullptr, &e, r.precision});
  }
  s.Rows<FitRow>(kColumns, std::move(rows), {.formats = kHuman});
  s.Rows<FitRow>(kColumns, std::move(csv_rows), {.formats = kCsv});
  if (!s.Reads()) return;
  Prose excluded;
  std::vector<std::string> lines;
  for (const RankExclusion& e : r.excluded) {
    excluded.terminal += "    excluded " + e.chip_id + ": " + e.reason + "\n";
    lines.push_back(e.chip_id + ": " + e.reason);
  }
  excluded.markdown = Bullets("Excluded", lines).markdown;
  s.Say(excluded);
  s.SayBoth("\n" + RankLegend(r));
}

}  // namespace tops::report
