// What `tops llm-calibrate --format table|md|csv|json` prints: every measured row beside its
// prediction in sample and with the row left out, per calibration family, and how many left-out
// predictions meet the bar docs/llm.md sets (counted by CalibrateLlm).
#include "report/layouts.h"

namespace tops::report {
namespace {

struct FitRow {
  const LlmFamilyFit* family;
  const LlmFitRow* row;
};

const Column<FitRow> kCalibrationColumns[] = {
    {{.key = "family", .formats = kCsv | kJson},
     [](const FitRow& r) { return Cell::Text(r.family->id); }},
    {{.key = "row", .title = "row", .width = 28},
     [](const FitRow& r) { return Cell::Text(r.row->row.id); }},
    {{.key = "chip", .title = "chip", .width = 8},
     [](const FitRow& r) { return Cell::Text(r.row->row.chip); }},
    {{.key = "model", .formats = kCsv | kJson},
     [](const FitRow& r) { return Cell::Text(r.row->row.model); }},
    {{.key = "model", .title = "model", .formats = kHuman, .width = 22},
     [](const FitRow& r) { return Cell::Text(Basename(r.row->row.model)); }},
    {{.key = "quant", .title = "quant", .width = 11},
     [](const FitRow& r) { return Cell::Text(r.row->row.quant); }},
    {{.key = "metric", .title = "metric", .width = 20},
     [](const FitRow& r) { return Cell::Text(LlmMetricName(r.row->row.metric)); }},
    {{.key = "measured",
      .title = "measured",
      .unit = Unit::kNumber,
      .style = Style::General(4),
      .width = 9,
      .right = true},
     [](const FitRow& r) { return Cell::Real(r.row->row.value); }},
    {{.key = "predicted",
      .title = "predicted",
      .unit = Unit::kNumber,
      .style = Style::General(4),
      .width = 9,
      .right = true},
     [](const FitRow& r) { return Cell::Real(r.row->predicted); }},
    {{.key = "in_sample_ratio", .unit = Unit::kNumber, .formats = kCsv | kJson},
     [](const FitRow& r) { return Cell::Real(r.row->in_sample_ratio); }},
    {{.key = "loo_predicted",
      .title = "left out",
      .unit = Unit::kNumber,
      .formats = kHuman | kJson,
      .style = Style::General(4),
      .width = 9,
      .right = true},
     [](const FitRow& r) { return Cell::Real(r.row->loo_predicted); }},
    {{.key = "loo_ratio",
      .title = "ratio",
      .unit = Unit::kNumber,
      .style = Style::Fixed(2),
      .width = 6,
      .right = true},
     [](const FitRow& r) { return Cell::Real(r.row->loo_ratio); }},
    {{.key = "band_low",
      .title = "band",
      .unit = Unit::kNumber,
      .style = Style::General(4),
      .width = 8,
      .right = true},
     [](const FitRow& r) { return Cell::Real(r.row->band_low); }},
    {{.key = "band_high",
      .title = "",
      .unit = Unit::kNumber,
      .style = Style::General(4),
      .width = 8,
      .right = true},
     [](const FitRow& r) { return Cell::Real(r.row->band_high); }},
    {{.key = "in_band", .title = "in", .width = 3},
     [](const FitRow& r) { return Cell::Text(r.row->in_band ? "yes" : "no"); }},
};

std::vector<FitRow> FitRows(const LlmFamilyFit& f) {
  std::vector<FitRow> rows;
  for (const LlmFitRow& r : f.rows) rows.push_back({&f, &r});
  return rows;
}

// Each chip's share of the family's bandwidth efficiency: "rk3576 0.93, rk3588 1.05".
std::string Shares(const LlmFamily& x) {
  std::string out;
  for (const auto& [chip, v] : x.chip_bandwidth_share) {
    out += (out.empty() ? "" : ", ") + chip + " " + Number(v, Style::Fixed(2));
  }
  return out.empty() ? "-" : out;
}

std::string FamilyLine(const LlmFamilyFit& f) {
  const LlmFamily& x = f.figures;
  return ": decode " + Number(*x.decode_bandwidth_efficiency, Style::Fixed(3)) +
         " of bandwidth, prefill " + Number(*x.prefill_efficiency, Style::Fixed(3)) + " of peak, " +
         Number(*x.layer_overhead_us, Style::Fixed(1)) + " us/layer, " +
         Number(*x.token_overhead_ms, Style::Fixed(2)) + " ms/step (" +
         Int(x.rows, Style::Plain()) + " rows); chip's share of it: " + Shares(x) +
         "; band measured / predicted: decode " + Number(x.decode_band.low, Style::General(3)) +
         "-" + Number(x.decode_band.high, Style::General(3)) + ", time to first token " +
         Number(x.ttft_band.low, Style::General(3)) + "-" +
         Number(x.ttft_band.high, Style::General(3)) + "\n\n";
}

std::string LooLine(const LlmLooSummary& l) {
  auto percent = [](double v) { return Number(v, Style::Fixed(0, "%")); };
  return "\nLeave-one-out over " + Int(l.rows, Style::Plain()) +
         " rows: decode tokens/s within a factor " +
         Number(kLlmDecodeLooFactor, Style::Shortest()) + " for " +
         Int(l.decode_within, Style::Plain()) + " of " + Int(l.decode_rows, Style::Plain()) + " (" +
         percent(l.decode_percent) + "), time to first token within a factor " +
         Number(kLlmTtftLooFactor, Style::Shortest()) + " for " +
         Int(l.ttft_within, Style::Plain()) + " of " + Int(l.ttft_rows, Style::Plain()) + " (" +
         percent(l.ttft_percent) + "); measurement inside the printed band for " +
         Int(l.in_band, Style::Plain()) + " of " + Int(l.rows, Style::Plain()) + " (" +
         percent(l.in_band_percent) + ")\n";
}

}  // namespace

void Lay(Sink& s, const LlmCalibrationResult& r) {
  s.Field("schema_version", Cell::Int(kSchemaVersion));
  BuildIdentity(s);
  std::vector<FitRow> all;
  for (const LlmFamilyFit& f : r.families) {
    for (FitRow row : FitRows(f)) all.push_back(row);
  }
  s.Rows<FitRow>(kCalibrationColumns, std::move(all), {.key = "rows", .formats = kCsv | kJson});
  s.Open("leave_one_out");
  s.Field("rows", Cell::Int(r.loo.rows));
  s.Field("decode_factor", Cell::Real(kLlmDecodeLooFactor));
  s.Field("decode_rows", Cell::Int(r.loo.decode_rows));
  s.Field("decode_within", Cell::Int(r.loo.decode_within));
  s.Field("ttft_factor", Cell::Real(kLlmTtftLooFactor));
  s.Field("ttft_rows", Cell::Int(r.loo.ttft_rows));
  s.Field("ttft_within", Cell::Int(r.loo.ttft_within));
  s.Field("in_band", Cell::Int(r.loo.in_band));
  s.Close();
  if (!s.Reads()) return;
  for (const LlmFamilyFit& f : r.families) {
    s.Say("\n" + f.id + FamilyLine(f), "\n**" + f.id + "**" + FamilyLine(f));
    s.Rows<FitRow>(kCalibrationColumns, FitRows(f),
                   {.formats = kHuman, .indent = "  ", .header = false});
  }
  s.SayBoth(LooLine(r.loo));
}

}  // namespace tops::report
