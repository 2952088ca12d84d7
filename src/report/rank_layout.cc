// What `tops rank` prints: one row per chip (the article's check, the roofline's prediction and
// the verdict), ranked chips in rank order, then in CSV the excluded ones with their reason. The
// same columns make fit's CSV rows, one per model on the chip.
#include "report/fit_rows.h"

namespace tops::report {
namespace {

std::string G(double v) { return Number(v, Style::General()); }

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
    {{.key = "likely_fps",
      .title = "likely fps",
      .unit = Unit::kNumber,
      .formats = kHuman,
      .width = 13,
      .right = true},
     [](const FitRow& r) {
       if (!r.f || !P(r).available || !P(r).band.known()) return Cell::Absent();
       return Cell::Own(Number(P(r).fps_low, Style::Adaptive()) + "-" +
                        Number(P(r).fps_high, Style::Adaptive()));
     }},
    {{.key = "predicted_fps", .unit = Unit::kNumber, .formats = kCsv},
     [](const FitRow& r) { return Predicted(r, r.f ? P(r).fps : 0); }},
    {{.key = "predicted_fps_low", .unit = Unit::kNumber, .formats = kCsv},
     [](const FitRow& r) {
       return r.f && P(r).band.known() ? Predicted(r, P(r).fps_low) : Cell::Absent();
     }},
    {{.key = "predicted_fps_high", .unit = Unit::kNumber, .formats = kCsv},
     [](const FitRow& r) {
       return r.f && P(r).band.known() ? Predicted(r, P(r).fps_high) : Cell::Absent();
     }},
    {{.key = "range_rows", .unit = Unit::kCount, .formats = kCsv},
     [](const FitRow& r) {
       return r.f && P(r).band.known() ? Cell::Int(P(r).band.rows) : Cell::Absent();
     }},
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

void FitCsv(Sink& s, const FitResult& r) {
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
