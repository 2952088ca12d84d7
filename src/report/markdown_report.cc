// The Markdown report: the HTML report's content for a pull request or an issue, with text bars
// where the HTML has charts (GitHub strips inline SVG from Markdown). Its tables are the table
// model through the Markdown renderer.
#include <algorithm>

#include "report/report_text.h"
#include "report/report_writers.h"
#include "report/sink.h"

namespace tops::report {
namespace {

// A bar of up to `width` eighth-blocks, for a share in [0, 1].
std::string TextBar(double share, int width) {
  static const char* const kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  const int eighths = static_cast<int>(std::clamp(share, 0.0, 1.0) * width * 8 + 0.5);
  std::string out;
  for (int i = 0; i < eighths / 8; ++i) out += "█";
  out += kEighths[eighths % 8];
  return out;
}

// "`█████` 49.5%": a share as a bar and a percentage.
std::string ShareBar(double part, double whole) {
  return "`" + TextBar(whole > 0 ? part / whole : 0, 10) + "` " + Share(part, whole);
}

std::string Rounded(double v) { return Number(v, Style::Rounded()); }

// The heaviest layers one by one, then the rest as one row.
struct BarRow {
  const Report* r;
  const LayerBar* b;
  double total_macs;
  double total_time;
};

const Column<BarRow> kBarColumns[] = {
    {{.key = "layer", .title = "layer"},
     [](const BarRow& r) {
       if (r.b->node) return Cell::Own(NodeName(*r.r, *r.b->node));
       return std::move(Cell::Own("other " + Int(r.b->count, Style::Commas()) + " layers")
                            .Emphasis(Mark::kSummary));
     }},
    {{.key = "op", .title = "op", .absent = ""},
     [](const BarRow& r) {
       return r.b->node ? Cell::Own(OpName(r.r->profile.nodes[*r.b->node])) : Cell::Absent();
     }},
    {{.key = "macs", .title = "MACs", .unit = Unit::kCount, .style = Style::Si(), .right = true},
     [](const BarRow& r) { return Cell::Int(r.b->macs); }},
    {{.key = "macs_share", .title = "share", .markdown_raw = true},
     [](const BarRow& r) {
       return Cell::Own(ShareBar(static_cast<double>(r.b->macs), r.total_macs));
     }},
    // On the first chip, when it has a prediction.
    {{.key = "time_ms",
      .title = "time",
      .unit = Unit::kMs,
      .style = Style::Millis(),
      .right = true},
     [](const BarRow& r) { return Cell::Real(r.b->time_ms); }},
    {{.key = "time_share", .title = "share", .markdown_raw = true},
     [](const BarRow& r) { return Cell::Own(ShareBar(r.b->time_ms.value_or(0), r.total_time)); }},
    {{.key = "bound", .title = "bound", .absent = ""},
     [](const BarRow& r) {
       if (!r.b->node || !r.r->chips[0].node_bound[*r.b->node]) return Cell::Absent();
       return Cell::Text(BoundName(*r.r->chips[0].node_bound[*r.b->node]));
     }},
};

const Column<const ChipReport*> kRooflineColumns[] = {
    {{.key = "chip", .title = "chip"},
     [](const ChipReport* const& c) { return Cell::Text(c->fit.chip_name); }},
    {{.key = "peak_tops",
      .title = "peak TOPS",
      .unit = Unit::kTops,
      .style = Style::Rounded(),
      .right = true},
     [](const ChipReport* const& c) {
       return c->roof_tops > 0 ? Cell::Real(c->roof_tops) : Cell::Absent();
     }},
    {{.key = "bandwidth_gbs",
      .title = "bandwidth",
      .unit = Unit::kNumber,
      .style = Style::General(6, " GB/s"),
      .right = true},
     [](const ChipReport* const& c) { return Cell::Real(c->bandwidth_gbs); }},
    {{.key = "ridge",
      .title = "ridge (ops/B)",
      .unit = Unit::kNumber,
      .style = Style::General(3),
      .right = true},
     [](const ChipReport* const& c) { return Cell::Real(c->ridge_intensity); }},
    {{.key = "layers",
      .title = "layers",
      .unit = Unit::kCount,
      .style = Style::Plain(),
      .right = true},
     [](const ChipReport* const& c) { return Cell::Int(static_cast<int64_t>(c->points.size())); }},
    {{.key = "compute_bound",
      .title = "compute-bound",
      .unit = Unit::kCount,
      .style = Style::Plain(),
      .right = true},
     [](const ChipReport* const& c) { return Cell::Int(c->compute_bound); }},
    {{.key = "memory_bound",
      .title = "memory-bound",
      .unit = Unit::kCount,
      .style = Style::Plain(),
      .right = true},
     [](const ChipReport* const& c) { return Cell::Int(c->memory_bound); }},
    {{.key = "without_dram",
      .title = "no DRAM traffic",
      .unit = Unit::kCount,
      .style = Style::Plain(),
      .right = true},
     [](const ChipReport* const& c) { return Cell::Int(c->without_dram); }},
};

void Verdicts(Sink& s, const Report& r) {
  s.Say("", "\n### Chips at " + Rounded(r.fps) + " FPS, " +
                std::string(PrecisionName(r.precision)) + "\n\n" + ChipChoiceText(r) +
                " Article check: required TOPS = 2 x MACs x FPS / 1e12 against peak x " +
                Number(r.utilization, Style::General()) +
                " utilisation. Prediction: per-layer roofline with the chip family's calibrated "
                "efficiency and overhead.\n\n");
  if (r.chips.empty()) return;
  std::vector<const ChipReport*> rows;
  for (const ChipReport& c : r.chips) rows.push_back(&c);
  s.Rows<const ChipReport*>(VerdictColumns(), rows, {.formats = kMarkdown});
  for (const ChipReport& c : r.chips) {
    const auto notes = FitNotes(c.fit);
    if (notes.empty()) continue;
    std::string text = "\n" + MarkdownCell(c.fit.chip_name) + ":\n";
    for (const auto& n : notes) text += "- " + MarkdownCell(n) + "\n";
    s.Say("", text);
  }
}

void Layers(Sink& s, const Report& r) {
  if (r.bars.empty()) return;
  const bool timed = !r.chips.empty() && r.chips[0].fit.predicted.available;
  const double total_macs = static_cast<double>(r.profile.totals.macs);
  const double total_time = timed ? r.chips[0].fit.predicted.latency_ms : 0;
  std::string intro = "\n### Where the work and the time go\n\n";
  if (timed) intro += "Predicted time on " + MarkdownCell(r.chips[0].fit.chip_name) + ".\n\n";
  s.Say("", intro);
  std::vector<BarRow> rows;
  for (const LayerBar& b : r.bars) rows.push_back({&r, &b, total_macs, total_time});
  const std::span<const Column<BarRow>> columns(kBarColumns,
                                                std::size(kBarColumns) - (timed ? 0 : 3));
  s.Rows<BarRow>(columns, std::move(rows), {.formats = kMarkdown});
}

void Rooflines(Sink& s, const Report& r) {
  if (r.chips.empty()) return;
  s.Say("",
        "\n### Roofline\n\n"
        "A layer left of the ridge point (ops per DRAM byte below peak / bandwidth) is limited by "
        "memory bandwidth on that chip; right of it, by compute.\n\n");
  std::vector<const ChipReport*> rows;
  for (const ChipReport& c : r.chips) rows.push_back(&c);
  s.Rows<const ChipReport*>(kRooflineColumns, rows, {.formats = kMarkdown});
}

void Whatif(Sink& s, const Report& r) {
  if (!r.whatif || r.whatif->rows.empty()) return;
  const WhatifResult& w = *r.whatif;
  s.Say("", "\n### What if\n\nOn " + MarkdownCell(w.chip_name) + " at " + Rounded(w.fps) +
                " FPS (`tops whatif` gives each row).\n\n");
  std::vector<const ScenarioResult*> rows;
  for (const ScenarioResult& row : w.rows) rows.push_back(&row);
  s.Rows<const ScenarioResult*>(WhatifColumns(), rows, {.formats = kMarkdown});
}

std::string Conventions(const Report& r) {
  const Profile& p = r.profile;
  std::string out = "\n<details><summary>Conventions and coverage</summary>\n\n";
  for (const auto& c : CountingConventions()) out += "- " + MarkdownCell(c) + "\n";
  const Coverage coverage = p.coverage;
  out += "\nCoverage: " + Int(coverage.costed, Style::Commas()) + " of " +
         Int(coverage.nodes, Style::Commas()) + " nodes have a cost formula.";
  if (!p.unsupported.empty()) {
    out += " Not counted:";
    for (const auto& u : p.unsupported) {
      out += " " + MarkdownCell(u.op) + " x" + Int(u.count, Style::Plain());
    }
  }
  return out + "\n\n</details>\n";
}

}  // namespace

void WriteMarkdownReport(std::ostream& os, const Report& r) {
  Out out(os);
  const std::unique_ptr<Sink> s = MakeSink(Format::kMarkdown, out);
  s->Say("", "## tops report: " + MarkdownCell(r.label) + "\n\n" +
                 Int(r.profile.totals.macs, Style::Si()) + " MACs, " +
                 Int(r.profile.totals.params, Style::Si()) + " parameters; target " +
                 Rounded(r.fps) + " FPS at " + std::string(PrecisionName(r.precision)) + ".\n\n");
  s->Rows<Fact>(FactColumns(), Facts(r, false), {.formats = kMarkdown});
  Verdicts(*s, r);
  Layers(*s, r);
  Rooflines(*s, r);
  Whatif(*s, r);
  s->Say("", Conventions(r));
}

}  // namespace tops::report
