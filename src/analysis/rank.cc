// `tops rank`: every chip of the catalog for one workload, best first.
#include <algorithm>

#include "analysis/roofline.h"
#include "fmt/format.h"
#include "tops/fit.h"

namespace tops {
namespace {

// Order: chips the roofline says fit, then by predicted FPS; chips with only the article's
// answer next (by margin, sufficient first); chips with no usable peak last.
int Tier(const FitResult& f) {
  if (f.predicted.available) return 0;
  if (f.is_sufficient) return 1;
  return 2;
}

bool Better(const RankRow& a, const RankRow& b) {
  const FitResult& x = a.fit;
  const FitResult& y = b.fit;
  if (Tier(x) != Tier(y)) return Tier(x) < Tier(y);
  if (Tier(x) == 0) {
    if (x.fits != y.fits) return x.fits;
    if (x.predicted.fps != y.predicted.fps) return x.predicted.fps > y.predicted.fps;
  } else if (Tier(x) == 1) {
    if (*x.is_sufficient != *y.is_sufficient) return *x.is_sufficient;
    if (x.effective_tops != y.effective_tops) return x.effective_tops > y.effective_tops;
  }
  return a.chip->id < b.chip->id;
}

}  // namespace

RankResult Rank(const std::vector<ModelLoad>& loads, const Catalog& catalog,
                const RankOptions& options) {
  analysis::CheckLoads(loads);
  RankResult result;
  result.precision = options.fit.precision.precision;
  result.precision_source = options.fit.precision.source;
  result.precision_note = options.fit.precision.note;
  for (const Chip& chip : catalog.chips()) {
    FitOptions fo = options.fit;
    fo.power_w.reset();
    if (options.max_watts) {
      const auto& modes = chip.power_modes_w.values;
      if (modes.empty()) {
        result.excluded.push_back({chip.id, "power unknown"});
        continue;
      }
      auto it = std::upper_bound(modes.begin(), modes.end(), *options.max_watts);
      if (it == modes.begin()) {
        result.excluded.push_back(
            {chip.id, fmt::format("lowest power mode {:g} W is over the budget", modes.front())});
        continue;
      }
      fo.power_w = *(it - 1);  // highest mode within the budget
    }
    RankRow row;
    row.chip = &chip;
    row.fit = Fit(loads, chip, catalog.FamilyOf(chip), fo);
    result.rows.push_back(std::move(row));
  }
  std::stable_sort(result.rows.begin(), result.rows.end(), Better);
  return result;
}

}  // namespace tops
