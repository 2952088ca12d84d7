// The Markdown report: the HTML report's content for a pull request or an issue, with text bars
// where the HTML has charts (GitHub strips inline SVG from Markdown).
#include <fmt/format.h>

#include <algorithm>

#include "report/report_text.h"
#include "report/report_writers.h"
#include "tops/report.h"

namespace tops {
namespace {

namespace rt = report_text;

// A bar of up to `width` eighth-blocks, for a share in [0, 1].
std::string TextBar(double share, int width) {
  static const char* const kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  const int eighths = static_cast<int>(std::clamp(share, 0.0, 1.0) * width * 8 + 0.5);
  std::string out;
  for (int i = 0; i < eighths / 8; ++i) out += "█";
  out += kEighths[eighths % 8];
  return out;
}

void Summary(std::ostream& os, const Report& r) {
  const Profile& p = r.profile;
  const Totals& t = p.totals;
  os << "| model | |\n|---|---|\n";
  os << "| file | " << MarkdownCell(r.label) << " |\n";
  if (!p.model.producer.empty()) os << "| producer | " << MarkdownCell(p.model.producer) << " |\n";
  os << "| nodes | " << WithCommas(p.model.node_count) << " |\n";
  for (const auto& in : p.model.inputs) {
    os << "| input " << MarkdownCell(in.name) << " | " << MarkdownCell(ShapeText(in.shape)) << " "
       << DTypeName(in.dtype) << " |\n";
  }
  for (const auto& [k, v] : p.bindings)
    os << "| bound dim " << MarkdownCell(k) << " | " << v << " |\n";
  os << "| parameters | " << WithCommas(t.params) << " ("
     << HumanCount(static_cast<double>(t.params)) << ") |\n";
  os << "| MACs | " << WithCommas(t.macs) << " (" << HumanCount(static_cast<double>(t.macs))
     << ") |\n";
  os << "| FLOPs | " << WithCommas(t.flops) << " (" << HumanCount(static_cast<double>(t.flops))
     << ") |\n";
  os << "| weights | " << HumanBytes(static_cast<double>(t.weight_bytes)) << " as stored |\n";
  os << "| activations | " << HumanBytes(static_cast<double>(t.activation_bytes))
     << " written, peak live " << HumanBytes(static_cast<double>(t.peak_activation_bytes))
     << " |\n";
  for (const auto& pr : r.requirement.precisions) {
    os << "| required at " << rt::Fps(r.fps) << " FPS, " << PrecisionName(pr.precision) << " | "
       << rt::Tops(pr.own_tops) << " TOPS (" << rt::Tops(pr.int8_equivalent_tops)
       << " INT8-equivalent) |\n";
  }
}

void Verdicts(std::ostream& os, const Report& r) {
  os << "\n### Chips at " << rt::Fps(r.fps) << " FPS, " << PrecisionName(r.precision) << "\n\n"
     << rt::ChipChoice(r) << " Article check: required TOPS = 2 x MACs x FPS / 1e12 against peak x "
     << fmt::format("{:g}", r.utilization)
     << " utilisation. Prediction: per-layer roofline with the chip family's calibrated efficiency "
        "and overhead.\n\n";
  if (r.chips.empty()) return;
  os << "| chip | peak TOPS | required | effective | article | latency | FPS | bound | "
        "prediction | FPS/W |\n|---|---:|---:|---:|---|---:|---:|---|---|---:|\n";
  for (const ChipReport& c : r.chips) {
    const FitResult& f = c.fit;
    const Prediction& p = f.predicted;
    os << "| " << MarkdownCell(f.chip_name) << " | " << rt::OptOr(f.chip_tops, rt::Tops) << " | "
       << rt::Tops(f.required_tops) << " | " << rt::OptOr(f.effective_tops, rt::Tops) << " | "
       << rt::ArticleVerdict(f) << " | ";
    if (p.available) {
      os << rt::Ms(p.latency_ms) << " | " << rt::Fps(p.fps) << " | " << BoundName(p.bound) << " | "
         << (p.fits ? "**fits**" : "**does not fit**");
    } else {
      os << "- | - | - | n/a";
    }
    os << " | " << rt::OptOr(p.fps_per_watt, rt::Fps) << " |\n";
  }
  for (const ChipReport& c : r.chips) {
    const auto notes = rt::FitNotes(c.fit);
    if (notes.empty()) continue;
    os << "\n" << MarkdownCell(c.fit.chip_name) << ":\n";
    for (const auto& n : notes) os << "- " << MarkdownCell(n) << "\n";
  }
}

void Layers(std::ostream& os, const Report& r) {
  if (r.bars.empty()) return;
  const bool timed = !r.chips.empty() && r.chips[0].fit.predicted.available;
  const double total_macs = static_cast<double>(r.profile.totals.macs);
  const double total_time = timed ? r.chips[0].fit.predicted.latency_ms : 0;
  os << "\n### Where the work and the time go\n\n";
  if (timed) os << "Predicted time on " << MarkdownCell(r.chips[0].fit.chip_name) << ".\n\n";
  os << "| layer | op | MACs | share |";
  if (timed) os << " time | share | bound |";
  os << "\n|---|---|---:|---|";
  if (timed) os << "---:|---|---|";
  os << "\n";
  for (const LayerBar& b : r.bars) {
    const double macs = static_cast<double>(b.macs);
    if (b.node) {
      os << "| " << MarkdownCell(rt::NodeName(r, *b.node)) << " | "
         << MarkdownCell(rt::OpName(r.profile.nodes[*b.node])) << " | ";
    } else {
      os << "| *other " << WithCommas(b.count) << " layers* | | ";
    }
    os << HumanCount(macs) << " | `" << TextBar(total_macs > 0 ? macs / total_macs : 0, 10) << "` "
       << rt::Percent(macs, total_macs) << " |";
    if (timed) {
      const double t = b.time_ms.value_or(0);
      os << " " << (b.time_ms ? rt::Ms(t) : "-") << " | `"
         << TextBar(total_time > 0 ? t / total_time : 0, 10) << "` " << rt::Percent(t, total_time)
         << " | ";
      if (b.node && r.chips[0].node_bound[*b.node])
        os << BoundName(*r.chips[0].node_bound[*b.node]);
      os << " |";
    }
    os << "\n";
  }
}

void Rooflines(std::ostream& os, const Report& r) {
  if (r.chips.empty()) return;
  os << "\n### Roofline\n\n"
     << "A layer left of the ridge point (ops per DRAM byte below peak / bandwidth) is limited by "
        "memory bandwidth on that chip; right of it, by compute.\n\n"
     << "| chip | peak TOPS | bandwidth | ridge (ops/B) | layers | compute-bound | memory-bound | "
        "no DRAM traffic |\n|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const ChipReport& c : r.chips) {
    int compute = 0, memory = 0, on_chip = 0;
    for (const RooflinePoint& p : c.points) {
      if (!p.intensity) ++on_chip;
      (p.bound == Bound::kMemory ? memory : compute) += 1;
    }
    os << "| " << MarkdownCell(c.fit.chip_name) << " | "
       << (c.roof_tops > 0 ? rt::Tops(c.roof_tops) : "-") << " | "
       << (c.bandwidth_gbs ? fmt::format("{:g} GB/s", *c.bandwidth_gbs) : "-") << " | "
       << (c.ridge_intensity ? fmt::format("{:.3g}", *c.ridge_intensity) : "-") << " | "
       << c.points.size() << " | " << compute << " | " << memory << " | " << on_chip << " |\n";
  }
}

void Whatif(std::ostream& os, const Report& r) {
  if (!r.whatif || r.whatif->rows.empty()) return;
  const WhatifResult& w = *r.whatif;
  os << "\n### What if\n\nOn " << MarkdownCell(w.chip_name) << " at " << rt::Fps(w.fps)
     << " FPS (`tops whatif` gives each row).\n\n"
     << "| scenario | precision | MACs | weights | required TOPS | latency | FPS | verdict | "
        "effect |\n|---|---|---:|---:|---:|---:|---:|---|---|\n";
  for (const ScenarioResult& s : w.rows) {
    os << "| " << MarkdownCell(s.scenario.name) << " | " << PrecisionName(s.precision) << " | "
       << HumanCount(s.macs) << " | " << HumanBytes(s.weight_bytes) << " | "
       << rt::Tops(s.required_tops) << " | " << rt::OptOr(s.latency_ms, rt::Ms, "-") << " | "
       << rt::OptOr(s.fps, rt::Fps, "-") << " | " << (s.fits ? "fits" : "does not fit") << " | "
       << MarkdownCell(s.effect) << " |\n";
  }
}

void Conventions(std::ostream& os, const Report& r) {
  const Profile& p = r.profile;
  os << "\n<details><summary>Conventions and coverage</summary>\n\n";
  for (const auto& c : CountingConventions()) os << "- " << MarkdownCell(c) << "\n";
  int64_t unsupported = 0;
  for (const auto& u : p.unsupported) unsupported += u.count;
  const int64_t total = static_cast<int64_t>(p.nodes.size());
  os << "\nCoverage: " << WithCommas(total - unsupported) << " of " << WithCommas(total)
     << " nodes have a cost formula.";
  if (!p.unsupported.empty()) {
    os << " Not counted:";
    for (const auto& u : p.unsupported) os << " " << MarkdownCell(u.op) << " x" << u.count;
  }
  os << "\n\n</details>\n";
}

}  // namespace

void WriteMarkdownReport(std::ostream& os, const Report& r) {
  os << "## tops report: " << MarkdownCell(r.label) << "\n\n"
     << HumanCount(static_cast<double>(r.profile.totals.macs)) << " MACs, "
     << HumanCount(static_cast<double>(r.profile.totals.params)) << " parameters; target "
     << rt::Fps(r.fps) << " FPS at " << PrecisionName(r.precision) << ".\n\n";
  Summary(os, r);
  Verdicts(os, r);
  Layers(os, r);
  Rooflines(os, r);
  Whatif(os, r);
  Conventions(os, r);
}

}  // namespace tops
