// What `tops calibrate --format table|md|csv|json` prints: every row's measured time beside the
// catalog's, the in-sample, the left-out (with its range) and the article's predictions; the
// solved figures per group; the cross-validation summary.
#include "report/layouts.h"
#include "tops/calibrate.h"

namespace tops::report {
namespace {

Cell Ms(double v) { return v > 0 ? Cell::Real(v) : Cell::Absent(); }
Cell Ratio(double pred, double meas) { return pred > 0 ? Cell::Real(pred / meas) : Cell::Absent(); }

const Column<CalibratedRow> kRowColumns[] = {
    {{.key = "row", .title = "row", .width = 34},
     [](const CalibratedRow& r) { return Cell::Text(r.row.id); }},
    {{.key = "group", .title = "group", .width = 24},
     [](const CalibratedRow& r) { return Cell::Text(r.group); }},
    {{.key = "chip", .formats = kCsv | kJson},
     [](const CalibratedRow& r) { return Cell::Text(r.row.chip); }},
    {{.key = "model", .title = "model", .width = 18},
     [](const CalibratedRow& r) { return Cell::Text(r.row.fixture); }},
    {{.key = "precision", .title = "prec", .width = 5},
     [](const CalibratedRow& r) { return Cell::Text(PrecisionName(r.row.precision)); }},
    {{.key = "measured_ms",
      .title = "measured ms",
      .unit = Unit::kNumber,
      .style = Style::General(4),
      .width = 11,
      .right = true},
     [](const CalibratedRow& r) { return Ms(r.measured_ms); }},
    {{.key = "catalog_ms", .formats = kCsv | kJson},
     [](const CalibratedRow& r) { return Ms(r.catalog_ms); }},
    {{.key = "fitted_ms", .formats = kCsv | kJson},
     [](const CalibratedRow& r) { return Ms(r.fitted_ms); }},
    {{.key = "loo_ms",
      .title = "left out ms",
      .unit = Unit::kNumber,
      .style = Style::General(4),
      .width = 11,
      .right = true},
     [](const CalibratedRow& r) { return Ms(r.loo_ms); }},
    {{.key = "loo_ratio",
      .title = "ratio",
      .unit = Unit::kNumber,
      .style = Style::Fixed(2),
      .width = 6,
      .right = true},
     [](const CalibratedRow& r) { return Ratio(r.loo_ms, r.measured_ms); }},
    {{.key = "loo_fixture_layers_ms", .formats = kCsv | kJson},
     [](const CalibratedRow& r) { return Ms(r.loo_fixture_layers_ms); }},
    {{.key = "band_low_ms",
      .title = "likely from",
      .unit = Unit::kNumber,
      .style = Style::General(3),
      .width = 11,
      .right = true},
     [](const CalibratedRow& r) { return Ms(r.band_low_ms); }},
    {{.key = "band_high_ms",
      .title = "to",
      .unit = Unit::kNumber,
      .style = Style::General(3),
      .width = 8,
      .right = true},
     [](const CalibratedRow& r) { return Ms(r.band_high_ms); }},
    {{.key = "in_band", .formats = kCsv | kJson},
     [](const CalibratedRow& r) { return r.loo_ms > 0 ? Cell::Bool(r.in_band) : Cell::Absent(); }},
    {{.key = "lomo_ms", .formats = kCsv | kJson},
     [](const CalibratedRow& r) { return Ms(r.lomo_ms); }},
    {{.key = "lomo_ratio",
      .title = "model out",
      .unit = Unit::kNumber,
      .formats = kHuman,
      .style = Style::Fixed(2),
      .width = 9,
      .right = true},
     [](const CalibratedRow& r) { return Ratio(r.lomo_ms, r.measured_ms); }},
    {{.key = "loco_ms", .formats = kCsv | kJson},
     [](const CalibratedRow& r) { return Ms(r.loco_ms); }},
    {{.key = "loco_ratio",
      .title = "chip out",
      .unit = Unit::kNumber,
      .formats = kHuman,
      .style = Style::Fixed(2),
      .width = 8,
      .right = true},
     [](const CalibratedRow& r) { return Ratio(r.loco_ms, r.measured_ms); }},
    {{.key = "article_ms", .formats = kCsv | kJson},
     [](const CalibratedRow& r) { return Ms(r.article_ms); }},
    {{.key = "article_ratio",
      .title = "article",
      .unit = Unit::kNumber,
      .formats = kHuman,
      .style = Style::Fixed(2),
      .width = 7,
      .right = true},
     [](const CalibratedRow& r) { return Ratio(r.article_ms, r.measured_ms); }},
    {{.key = "skipped", .title = "skipped", .width = 0},
     [](const CalibratedRow& r) { return Cell::Text(r.skipped); }},
    {{.key = "source", .formats = kCsv | kJson},
     [](const CalibratedRow& r) { return Cell::Text(r.row.source); }},
};

const Column<CalibratedGroup> kGroupColumns[] = {
    {{.key = "group", .title = "group", .width = 26},
     [](const CalibratedGroup& g) { return Cell::Text(g.id); }},
    {{.key = "default", .title = "default", .width = 7},
     [](const CalibratedGroup& g) { return Cell::Bool(g.is_default); }},
    {{.key = "rows", .title = "rows", .unit = Unit::kCount, .width = 5, .right = true},
     [](const CalibratedGroup& g) { return Cell::Int(g.rows); }},
    {{.key = "conv",
      .title = "conv",
      .unit = Unit::kNumber,
      .style = Style::General(3),
      .width = 7,
      .right = true},
     [](const CalibratedGroup& g) { return Cell::Real(*g.figures.efficiency.at(OpClass::kConv)); }},
    {{.key = "depthwise",
      .title = "dw",
      .unit = Unit::kNumber,
      .style = Style::General(3),
      .width = 7,
      .right = true},
     [](const CalibratedGroup& g) {
       return Cell::Real(*g.figures.efficiency.at(OpClass::kDepthwise));
     }},
    {{.key = "gemm",
      .title = "gemm",
      .unit = Unit::kNumber,
      .style = Style::General(3),
      .width = 7,
      .right = true},
     [](const CalibratedGroup& g) { return Cell::Real(*g.figures.efficiency.at(OpClass::kGemm)); }},
    {{.key = "attention",
      .title = "attn",
      .unit = Unit::kNumber,
      .style = Style::General(3),
      .width = 7,
      .right = true},
     [](const CalibratedGroup& g) {
       return Cell::Real(*g.figures.efficiency.at(OpClass::kAttention));
     }},
    {{.key = "layer_overhead_us",
      .title = "us/layer",
      .unit = Unit::kNumber,
      .style = Style::General(3),
      .width = 8,
      .right = true},
     [](const CalibratedGroup& g) { return Cell::Real(*g.figures.layer_overhead_us); }},
    {{.key = "inference_overhead_us",
      .title = "us/inf",
      .unit = Unit::kNumber,
      .style = Style::General(3),
      .width = 8,
      .right = true},
     [](const CalibratedGroup& g) { return Cell::Real(*g.figures.inference_overhead_us); }},
    {{.key = "band_low",
      .title = "band",
      .unit = Unit::kNumber,
      .style = Style::Fixed(2),
      .width = 5,
      .right = true},
     [](const CalibratedGroup& g) { return Cell::Real(g.figures.band.low); }},
    {{.key = "band_high",
      .title = "-",
      .unit = Unit::kNumber,
      .style = Style::Fixed(2),
      .width = 5,
      .right = true},
     [](const CalibratedGroup& g) { return Cell::Real(g.figures.band.high); }},
    {{.key = "chips", .title = "chips", .width = 0},
     [](const CalibratedGroup& g) { return Cell::List(g.chips); }},
};

void Summary(Sink& s, const char* key, const CrossValidation& cv) {
  s.Open(key);
  s.Field("rows", Cell::Int(cv.rows));
  s.Field("within_1_5_percent", Cell::Real(cv.within_1_5));
  s.Field("within_2_percent", Cell::Real(cv.within_2));
  s.Field("median_abs_log2", Cell::Real(cv.median_abs_log2));
  s.Close();
}

std::string SummaryLine(const std::string& what, const CrossValidation& cv) {
  if (cv.rows == 0) return "";
  return what + ": " + Int(cv.rows, Style::Plain()) + " rows, " +
         Number(cv.within_1_5, Style::Fixed(1, "%")) + " within a factor 1.5, " +
         Number(cv.within_2, Style::Fixed(1, "%")) + " within 2, median |log2 ratio| " +
         Number(cv.median_abs_log2, Style::Fixed(3)) + "\n";
}

}  // namespace

void Lay(Sink& s, const CalibrationResult& r) {
  s.Field("schema_version", Cell::Int(kSchemaVersion));
  BuildIdentity(s);
  s.Rows<CalibratedGroup>(kGroupColumns, r.groups, {.key = "groups", .formats = kJson});
  s.Rows<CalibratedRow>(kRowColumns, r.rows, {.key = "rows", .formats = kCsv | kJson});
  Summary(s, "in_sample", r.in_sample);
  Summary(s, "catalog", r.catalog);
  Summary(s, "leave_one_out", r.loo);
  s.Field("leave_one_out_in_band_percent", Cell::Real(r.loo.in_band));
  Summary(s, "leave_one_out_fixture_layers", r.loo_fixture_layers);
  Summary(s, "leave_one_model_out", r.lomo);
  Summary(s, "leave_one_chip_out", r.loco);
  Summary(s, "article_rule", r.article);
  if (!s.Reads()) return;
  s.SayBoth("Solved figures (efficiency: share of the dense peak; band: measured / predicted)\n\n");
  s.Rows<CalibratedGroup>(kGroupColumns, r.groups, {.formats = kHuman});
  s.SayBoth(
      "\nRows (ratio: left-out prediction / measured; model out, chip out, article: the same "
      "ratio with the row's model or chip left out, and by the article's rule)\n\n");
  s.Rows<CalibratedRow>(kRowColumns, r.rows, {.formats = kHuman});
  s.SayBoth("\n" + SummaryLine("catalog figures (before this solve)", r.catalog) +
            SummaryLine("in sample", r.in_sample) + SummaryLine("leave one row out", r.loo) +
            (r.loo.rows ? "  " + Number(r.loo.in_band, Style::Fixed(1, "%")) +
                              " of the measurements inside the printed range\n"
                        : "") +
            SummaryLine("leave one row out, the fixture's own layer count", r.loo_fixture_layers) +
            SummaryLine("leave one model out", r.lomo) + SummaryLine("leave one chip out", r.loco) +
            SummaryLine("article's rule (2 MACs / (peak x 0.6))", r.article));
}

}  // namespace tops::report
