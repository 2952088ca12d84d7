// A calibration result as the catalog's `calibrations:` section (data/chips/calibration.yaml for
// the published rows; a user's --chips file for their own).
#include <sstream>

#include "fmt/format.h"
#include "tops/calibrate.h"

namespace tops {
namespace {

std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Six significant digits: a re-solve reproduces the file exactly, and no reader needs more.
// The derivation is said once per entry (`source`); each figure points at it.
std::string FigureYaml(const Figure& f) {
  return fmt::format("{{value: {:.6g}, status: derived, how: \"solved: see source\"}}", *f);
}

}  // namespace

std::string CalibrationYaml(const CalibrationResult& result) {
  std::ostringstream o;
  o << "# Family figures solved from measurements by `tops calibrate` (docs/hardware.md,\n"
       "# \"Calibration\"). Generated: do not edit; re-solve instead. Each entry's figures are\n"
       "# derived from the rows its basis names; band: measured / predicted latency between the\n"
       "# 5th and 95th percentiles of the leave-one-out predictions.\n";
  o << "schema_version: 1\n";
  o << fmt::format(
      "# leave-one-out over {} rows: {:.1f} % within a factor 1.5, median |log2 ratio| {:.3f}, "
      "{:.1f} % inside the band\n",
      result.loo.rows, result.loo.within_1_5, result.loo.median_abs_log2, result.loo.in_band);
  o << "calibrations:\n";
  for (const CalibratedGroup& g : result.groups) {
    const Family& f = g.figures;
    if (g.chip.empty()) {
      o << "  - family: " << g.family << "\n";
    } else {
      o << "  - chip: " << g.chip << "\n";
    }
    o << "    runtime: " << g.runtime << "\n";
    o << "    default: " << (g.is_default ? "true" : "false") << "\n";
    o << "    basis: " << Quoted(fmt::format("{} row(s) on {}", g.rows, fmt::join(g.chips, ", ")))
      << "\n";
    o << "    source: "
      << Quoted(
             "tops calibrate from the basis rows (data/measurements): robust least squares "
             "on log(predicted / measured), the class fit of the other groups as prior")
      << "\n";
    o << "    fuses_elementwise: " << (f.fuses_elementwise ? "true" : "false") << "\n";
    o << "    weights_resident: " << (f.weights_resident ? "true" : "false") << "\n";
    if (f.splits_into_contexts) o << "    splits_into_contexts: true\n";
    o << "    efficiency:\n";
    for (OpClass c : AllOpClasses()) {
      o << "      " << OpClassName(c) << ": " << FigureYaml(f.efficiency.at(c)) << "\n";
    }
    o << "    layer_overhead_us: " << FigureYaml(f.layer_overhead_us) << "\n";
    o << "    inference_overhead_us: " << FigureYaml(f.inference_overhead_us) << "\n";
    if (f.context_switch_us.known()) {
      o << "    context_switch_us: " << FigureYaml(f.context_switch_us) << "\n";
      o << "    context_capacity_mb_per_tops: " << FigureYaml(f.context_capacity_mb_per_tops)
        << "\n";
      o << "    context_layers_per_tops: " << FigureYaml(f.context_layers_per_tops) << "\n";
    }
    for (auto [key, shares] :
         {std::pair{"peak_share", &f.peak_share}, {"overhead_share", &f.overhead_share}}) {
      if (shares->empty()) continue;
      o << "    " << key << ":\n";
      for (const auto& [chip, v] : *shares) o << fmt::format("      {}: {:.6g}\n", chip, v);
    }
    o << fmt::format("    band: {{low: {:.4g}, high: {:.4g}, rows: {}, scope: {}}}\n", f.band.low,
                     f.band.high, f.band.rows, Quoted(f.band.scope));
  }
  return o.str();
}

}  // namespace tops
