// Wording and number formats shared by the HTML and Markdown reports.
#include "report/report_text.h"

#include <fmt/format.h>

#include "tops/report.h"

namespace tops::report_text {

std::string Ms(double ms) {
  if (ms >= 100) return fmt::format("{:.0f} ms", ms);
  if (ms >= 1) return fmt::format("{:.3g} ms", ms);
  return fmt::format("{:.2g} ms", ms);
}

std::string Tops(double tops) {
  if (tops >= 100) return fmt::format("{:.0f}", tops);
  return fmt::format("{:.3g}", tops);
}

std::string Fps(double fps) {
  if (fps >= 100) return fmt::format("{:.0f}", fps);
  return fmt::format("{:.3g}", fps);
}

std::string Percent(double part, double whole) {
  if (!(whole > 0)) return "-";
  return fmt::format("{:.1f}%", 100.0 * part / whole);
}

std::string OptOr(const std::optional<double>& v, std::string (*format)(double),
                  const char* missing) {
  return v ? format(*v) : missing;
}

std::string NodeName(const Report& r, size_t node) {
  const std::string& n = r.profile.nodes[node].name;
  return n.empty() ? "(unnamed #" + std::to_string(node) + ")" : n;
}

std::string OpName(const NodeProfile& n) {
  return n.domain.empty() ? n.op : n.domain + "::" + n.op;
}

std::string OutputShapes(const NodeProfile& n) {
  std::string s;
  for (size_t i = 0; i < n.outputs.size(); ++i) {
    if (i) s += " ";
    s += ShapeText(n.outputs[i].shape);
  }
  return s;
}

std::string ArticleVerdict(const FitResult& f) {
  if (!f.is_sufficient) return "n/a";
  return *f.is_sufficient ? "sufficient" : "insufficient";
}

std::string PredictedVerdict(const FitResult& f) {
  if (!f.predicted.available) return "n/a";
  return f.predicted.fits ? "fits" : "does not fit";
}

std::string ChipChoice(const Report& r) {
  if (r.chips.empty()) {
    return r.chip_choice == ChipChoice::kGiven
               ? "No chip given."
               : "No chip of the catalog has the figures for a prediction.";
  }
  std::string names;
  for (size_t i = 0; i < r.chips.size(); ++i) {
    if (i) names += i + 1 == r.chips.size() ? " and " : ", ";
    names += r.chips[i].fit.chip_name;
  }
  if (r.chip_choice == ChipChoice::kGiven) return "Chips: " + names + " (as asked).";
  return "Chips: " + names +
         ", the best of the catalog by predicted frame rate (--chip picks others).";
}

std::vector<std::string> FitNotes(const FitResult& f) {
  std::vector<std::string> out;
  for (const auto& m : f.missing) out.push_back("missing: " + m.text);
  for (const auto& m : f.predicted.missing) out.push_back("prediction lacks: " + m.text);
  for (const auto& c : f.predicted.caveats) out.push_back(c.text);
  return out;
}

}  // namespace tops::report_text
