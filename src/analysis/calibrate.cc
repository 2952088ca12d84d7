// The calibration solver (tops/calibrate.h): rows -> per-row work (the roofline's decomposition,
// done once), then per group a robust least-squares fit of the log figures, then the same fit
// with rows left out for the cross-validated ratios and the bands.
#include "tops/calibrate.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "analysis/calibrate_internal.h"
#include "analysis/least_squares.h"
#include "analysis/roofline.h"
#include "fmt/format.h"
#include "tops/error.h"
#include "tops/formulas.h"
#include "tops/profile.h"
#include "tops/read.h"

namespace tops {
namespace analysis {
namespace {

namespace fs = std::filesystem;

// Parameters, all natural logs: efficiency per op class, then the overheads and context figures.
constexpr int kLayerOverhead = kOpClassCount;
constexpr int kInferenceOverhead = kOpClassCount + 1;
constexpr int kContextSwitch = kOpClassCount + 2;
constexpr int kCapacity = kOpClassCount + 3;
constexpr int kLayerCapacity = kOpClassCount + 4;
constexpr int kParams = kOpClassCount + 5;
using Params = std::vector<double>;

// Start values and prior widths of the class fits (hand-set, wide): efficiencies a few percent
// to tens of percent of peak, microseconds per layer, ~100 us per inference, ~1 ms per context
// switch, ~1 MB of weights and ~5 layers per TOPS in one context.
Params HandPrior() {
  Params u(kParams);
  const double eff[kOpClassCount] = {0.4, 0.08, 0.3, 0.1, 0.02, 0.02, 0.1, 0.05};
  for (int c = 0; c < kOpClassCount; ++c) u[c] = std::log(eff[c]);
  u[kLayerOverhead] = std::log(5e-6);
  u[kInferenceOverhead] = std::log(100e-6);
  u[kContextSwitch] = std::log(1e-3);
  u[kCapacity] = std::log(1e6);
  u[kLayerCapacity] = std::log(5.0);
  return u;
}
constexpr double kHandSigma = 2.5;  // class fits: the hand values barely bind
// Group fits: a factor 4.5 from the class is one sigma. Chosen by leave-one-out over the rows
// (docs/hardware.md), with the chip shares below and before the context ramp: 1.0 gave 75.3 %
// within 1.5x, 1.5 gave 76.7 %, 2.5 gave 75.8 %; the class prior still carries a family with few
// rows.
constexpr double kClassSigma = 1.5;
constexpr double kUserChipSigma = 0.5;  // a user's chip: a factor 1.6 from the catalog's figures
constexpr double kHuberDelta = 0.4;     // pseudo-Huber scale on log ratios
// A chip's share of its quoted peak: chips of one family differ (clocks, memory, how much of
// an "AI engine" total is the NPU); a factor 4.5 either way is one sigma (0.5 held RB5's and
// QCS6490's "AI engine" totals near the NPU they are not). The same for the scale of its
// overheads; a precision's share beyond the chip's is narrower (a factor 1.35 is one sigma).
constexpr double kChipShareSigma = 1.5;
constexpr double kPrecisionShareSigma = 0.3;

CostFigures Figures(const Params& u) {
  CostFigures x;
  for (int c = 0; c < kOpClassCount; ++c) x.efficiency[c] = std::exp(u[c]);
  x.layer_overhead_s = std::exp(u[kLayerOverhead]);
  x.inference_overhead_s = std::exp(u[kInferenceOverhead]);
  x.context_switch_s = std::exp(u[kContextSwitch]);
  return x;
}

}  // namespace

// Seconds per image for a prepared row under figures `u`; with `grad`, d log(t) / d u.
double RowSeconds(const PreparedRow& p, const Params& u, double* grad) {
  CostFigures x = Figures(u);
  // The chip's (and the precision's) share of the quoted peak and the chip's overhead scale:
  // parameters after the family's figures (1 for a chip the fit has no rows of).
  auto slot_value = [&](int slot) {
    const size_t k = kParams + static_cast<size_t>(slot);
    return slot >= 0 && k < u.size() ? u[k] : 0.0;
  };
  const double share = std::exp(slot_value(p.chip_slot) + slot_value(p.precision_slot));
  const double ovh = std::exp(slot_value(p.overhead_slot));
  x.layer_overhead_s *= ovh;
  x.inference_overhead_s *= ovh;
  x.pipelined = p.contexts;
  if (p.contexts) {
    x.capacity_bytes = std::exp(u[kCapacity]) * p.peak_tops * share;
    x.capacity_layers = std::exp(u[kLayerCapacity]) * p.peak_tops * share;
  } else {
    x.context_switch_s = 0;
  }
  double d_eff[kOpClassCount] = {};
  const Timing t = TimeInference(p.work, x, p.peak_ops * share, p.bandwidth, p.batch, p.throughput,
                                 grad ? d_eff : nullptr);
  if (grad) {
    const double inv = 1.0 / t.total_s;
    std::fill(grad, grad + u.size(), 0.0);
    for (int c = 0; c < kOpClassCount; ++c) grad[c] = d_eff[c] * inv;
    // The chip's and the precision's share scale the rate and the context capacities.
    const double d_share = -(t.work_weight * t.compute_s + t.d_log_demand) * inv;
    // The per-inference part: spread over the batch, or a pipelined chip's per-frame floor.
    const double inference_s = t.overhead_s - t.layer_overhead_s;
    const double d_inference = p.contexts && !p.throughput ? t.d_log_floor : inference_s;
    for (auto [slot, d] : {std::pair{p.chip_slot, d_share},
                           {p.precision_slot, d_share},
                           {p.overhead_slot, (t.layer_overhead_s + d_inference) * inv}}) {
      const size_t k = kParams + static_cast<size_t>(slot);
      if (slot >= 0 && k < u.size()) grad[k] = d;
    }
    grad[kLayerOverhead] = t.layer_overhead_s * inv;
    grad[kInferenceOverhead] = d_inference * inv;
    grad[kContextSwitch] = t.context_s * inv;
    if (t.context_s > 0) {
      grad[kCapacity] = -t.demand_bytes / t.contexts * t.d_log_demand * inv;
      grad[kLayerCapacity] = -t.demand_layers / t.contexts * t.d_log_demand * inv;
    }
  }
  return t.total_s;
}

namespace {

// Robust fit of `rows` (indices into `all`) with Gaussian priors N(prior, sigma) on every log
// figure: iteratively reweighted least squares (pseudo-Huber weights), each pass by
// Levenberg-Marquardt from the previous solution.
// `slot_sigma`: the prior width of each parameter after the family's figures (chip shares).
Params Solve(const std::vector<double>& slot_sigma, const std::vector<PreparedRow>& all,
             const std::vector<size_t>& rows, const Params& prior, double sigma, Params start) {
  const size_t n = start.size();
  Params lo(n, -30.0), hi(n, 30.0);
  for (int c = 0; c < kOpClassCount; ++c) hi[c] = 0;           // an efficiency is at most 1
  for (size_t k = kParams; k < n; ++k) lo[k] = -2, hi[k] = 2;  // chip shares: 0.14-7.4
  std::vector<double> weight(rows.size(), 1.0);
  for (int pass = 0; pass < 3; ++pass) {
    ResidualFn f = [&](const Params& u, std::vector<double>& r, std::vector<double>* jac) {
      r.assign(rows.size() + n, 0);
      if (jac) jac->assign(r.size() * n, 0);
      std::vector<double> grad(n);
      for (size_t i = 0; i < rows.size(); ++i) {
        const PreparedRow& p = all[rows[i]];
        const double t = RowSeconds(p, u, jac ? grad.data() : nullptr);
        const double w = std::sqrt(weight[i]);
        r[i] = w * std::log(t / p.measured_s);
        if (jac) {
          for (size_t k = 0; k < n; ++k) (*jac)[i * n + k] = w * grad[k];
        }
      }
      for (size_t k = 0; k < n; ++k) {
        const bool share = k >= kParams;
        const double mean = prior[k];
        const double width = share ? slot_sigma[k - kParams] : sigma;
        r[rows.size() + k] = (u[k] - mean) / width;
        if (jac) (*jac)[(rows.size() + k) * n + k] = 1.0 / width;
      }
    };
    start = LevenbergMarquardt(f, start, lo, hi, 60);
    for (size_t i = 0; i < rows.size(); ++i) {
      const PreparedRow& p = all[rows[i]];
      weight[i] =
          PseudoHuberWeight(std::log(RowSeconds(p, start, nullptr) / p.measured_s), kHuberDelta);
    }
  }
  return start;
}

std::vector<size_t> Without(const std::vector<size_t>& rows,
                            const std::function<bool(const PreparedRow&)>& drop,
                            const std::vector<PreparedRow>& all) {
  std::vector<size_t> out;
  for (size_t i : rows) {
    if (!drop(all[i])) out.push_back(i);
  }
  return out;
}

CrossValidation Score(const std::vector<std::pair<double, double>>& pred_meas,
                      const std::vector<bool>* in_band = nullptr) {
  CrossValidation cv;
  std::vector<double> abs_log2;
  int64_t w15 = 0, w2 = 0, band = 0;
  for (size_t i = 0; i < pred_meas.size(); ++i) {
    const auto [pred, meas] = pred_meas[i];
    if (!(pred > 0)) continue;
    const double l = std::fabs(std::log2(pred / meas));
    abs_log2.push_back(l);
    w15 += l <= std::log2(1.5) + 1e-12;
    w2 += l <= 1.0 + 1e-12;
    if (in_band) band += (*in_band)[i];
  }
  cv.rows = static_cast<int64_t>(abs_log2.size());
  if (cv.rows == 0) return cv;
  const double n = static_cast<double>(cv.rows);
  cv.within_1_5 = 100.0 * static_cast<double>(w15) / n;
  cv.within_2 = 100.0 * static_cast<double>(w2) / n;
  cv.median_abs_log2 = Quantile(abs_log2, 0.5);
  if (in_band) cv.in_band = 100.0 * static_cast<double>(band) / n;
  return cv;
}

// Figures back into a catalog family, each with how it was solved.
Family ToFamily(const Params& u, const Family& base, const std::string& runtime, int64_t rows,
                bool contexts, const std::string& scope) {
  Family f = base;
  f.runtime = runtime;
  const std::string how = fmt::format(
      "solved by `tops calibrate` from {} measurement(s) of {} on {} (robust least squares on "
      "log(predicted / measured), prior: the class fit of the other groups)",
      rows, scope, runtime);
  auto fig = [&](double v, const std::string& source) {
    Figure x;
    x.value = v;
    x.status = FigureStatus::kDerived;
    x.how = how;
    x.source = source;
    return x;
  };
  const std::string source = "data/measurements (see docs/hardware.md, \"Calibration\")";
  f.efficiency.clear();
  f.peak_share.clear();
  f.overhead_share.clear();
  for (OpClass c : AllOpClasses()) {
    f.efficiency[c] = fig(std::exp(u[static_cast<int>(c)]), source);
  }
  f.layer_overhead_us = fig(std::exp(u[kLayerOverhead]) * 1e6, source);
  f.inference_overhead_us = fig(std::exp(u[kInferenceOverhead]) * 1e6, source);
  f.context_switch_us = Figure{};
  f.context_capacity_mb_per_tops = Figure{};
  f.context_layers_per_tops = Figure{};
  if (contexts) {
    f.context_switch_us = fig(std::exp(u[kContextSwitch]) * 1e6, source);
    f.context_capacity_mb_per_tops = fig(std::exp(u[kCapacity]) / 1e6, source);
    f.context_layers_per_tops = fig(std::exp(u[kLayerCapacity]), source);
  }
  f.basis = fmt::format("{} measurement(s): {}", rows, scope);
  return f;
}

}  // namespace
}  // namespace analysis

CalibrationResult Calibrate(const std::vector<Measurement>& measurements, const Catalog& catalog,
                            const CalibrationOptions& options) {
  using namespace analysis;
  CalibrationResult result;
  std::vector<PreparedRow> all = PrepareRows(measurements, catalog, options, &result.rows);
  if (all.empty()) {
    std::string why;
    for (const auto& r : result.rows) {
      if (!r.skipped.empty() && why.size() < 400) why += "\n  " + r.row.id + ": " + r.skipped;
    }
    throw Error("no measurement row can be used" + (why.empty() ? std::string() : ":" + why));
  }

  // Chips get a peak-share and an overhead-scale parameter each, and a precision share for
  // each precision but int8 they were measured at, after the family figures.
  std::map<std::string, int> slots;
  std::vector<double> slot_sigma;
  auto slot_of = [&](const std::string& key, double sigma) {
    auto [it, added] = slots.emplace(key, static_cast<int>(slots.size()));
    if (added) slot_sigma.push_back(sigma);
    return it->second;
  };
  for (PreparedRow& p : all) {
    p.chip_slot = slot_of(p.chip_id, kChipShareSigma);
    p.overhead_slot = slot_of(p.chip_id + "#overhead", kChipShareSigma);
    if (p.precision != Precision::kInt8) {
      p.precision_slot =
          slot_of(p.chip_id + "/" + std::string(PrecisionName(p.precision)), kPrecisionShareSigma);
    }
  }
  const size_t n_params = kParams + slots.size();
  for (PreparedRow& p : all) {
    // A user's chip starts from the catalog's shares for it too.
    p.catalog_params.resize(n_params, 0.0);
    const Family& f = *p.base_family;
    const double chip_share = f.PeakShareOf(p.chip_id, Precision::kInt8);
    p.catalog_params[kParams + static_cast<size_t>(p.chip_slot)] = std::log(chip_share);
    p.catalog_params[kParams + static_cast<size_t>(p.overhead_slot)] =
        std::log(f.OverheadShareOf(p.chip_id));
    if (p.precision_slot >= 0) {
      p.catalog_params[kParams + static_cast<size_t>(p.precision_slot)] =
          std::log(f.PeakShareOf(p.chip_id, p.precision) / chip_share);
    }
  }
  // A user's chip: the catalog's figures are a close prior (its few rows refine them).
  const double group_sigma = options.chip.empty() ? kClassSigma : kUserChipSigma;

  // Groups and classes.
  std::map<std::string, std::vector<size_t>> groups;
  std::map<std::string, std::vector<size_t>> classes;
  for (size_t i = 0; i < all.size(); ++i) {
    groups[all[i].group].push_back(i);
    classes[all[i].chip_class].push_back(i);
  }
  Params hand = HandPrior();
  hand.resize(n_params, 0.0);
  // The prior of a group: its class solved without it (a user's chip: its catalog figures).
  auto class_prior = [&](const std::string& cls,
                         const std::function<bool(const PreparedRow&)>& drop) {
    const std::vector<size_t> rows = Without(classes[cls], drop, all);
    if (rows.empty()) return hand;
    // The class's figures; the chips' shares start from 1 (another runtime's shares of a
    // chip are not evidence for this one's).
    Params u = Solve(slot_sigma, all, rows, hand, kHandSigma, hand);
    std::fill(u.begin() + kParams, u.end(), 0.0);
    return u;
  };

  std::map<std::string, Params> prior_of, fit_of;
  for (const auto& group : groups) {
    const std::string& g = group.first;
    const std::vector<size_t>& rows = group.second;
    const PreparedRow& first = all[rows.front()];
    prior_of[g] =
        options.chip.empty()
            ? class_prior(first.chip_class, [&](const PreparedRow& p) { return p.group == g; })
            : first.catalog_params;
    fit_of[g] = Solve(slot_sigma, all, rows, prior_of[g], group_sigma, prior_of[g]);
  }

  // Leave-one-out: the group refitted without the row, from the full fit.
  std::vector<double> loo(all.size(), 0), loo_log(all.size(), 0), loo_fixture(all.size(), 0);
  for (const auto& group : groups) {
    const std::string& g = group.first;
    const std::vector<size_t>& rows = group.second;
    for (size_t i : rows) {
      const std::vector<size_t> rest = Without(
          rows, [&](const PreparedRow& p) { return &p == &all[i]; }, all);
      const Params u = rest.empty()
                           ? prior_of[g]
                           : Solve(slot_sigma, all, rest, prior_of[g], group_sigma, fit_of[g]);
      loo[i] = RowSeconds(all[i], u, nullptr);
      loo_log[i] = std::log(all[i].measured_s / loo[i]);
      if (all[i].fixture_layers != all[i].work.layers) {
        PreparedRow own = all[i];
        own.work.layers = own.fixture_layers;
        loo_fixture[i] = RowSeconds(own, u, nullptr);
      }
    }
  }

  // Bands: quantiles of measured / predicted over the other rows of the group (a group with
  // fewer than 8 rows borrows its class's rows).
  constexpr size_t kMinBandRows = 8;
  auto band_rows = [&](const PreparedRow& p) -> std::pair<std::vector<size_t>, std::string> {
    if (groups[p.group].size() >= kMinBandRows + 1) return {groups[p.group], "group " + p.group};
    return {classes[p.chip_class], "class " + p.chip_class};
  };
  std::vector<bool> in_band(all.size(), false);
  std::vector<std::pair<double, double>> band_of(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    std::vector<double> others;
    for (size_t j : band_rows(all[i]).first) {
      if (j != i) others.push_back(loo_log[j]);
    }
    const double lo = std::exp(Quantile(others, kCalibrationBandQuantile));
    const double hi = std::exp(Quantile(others, 1 - kCalibrationBandQuantile));
    band_of[i] = {std::min(lo, 1.0), std::max(hi, 1.0)};
    const double ratio = all[i].measured_s / loo[i];
    in_band[i] = ratio >= band_of[i].first && ratio <= band_of[i].second;
  }

  // Leave-one-model-out and leave-one-chip-out.
  std::vector<double> lomo(all.size(), 0), loco(all.size(), 0);
  if (options.cross_validate && options.chip.empty()) {
    std::set<std::string> models;
    for (const auto& p : all) models.insert(p.model_key);
    for (const std::string& m : models) {
      auto drop_model = [&](const PreparedRow& p) { return p.model_key == m; };
      std::map<std::string, Params> cls_prior;
      for (const auto& [cls, rows] : classes) cls_prior[cls] = class_prior(cls, drop_model);
      for (const auto& group : groups) {
        const std::vector<size_t>& rows = group.second;
        std::vector<size_t> test;
        for (size_t i : rows) {
          if (all[i].model_key == m) test.push_back(i);
        }
        if (test.empty()) continue;
        const Params& pr = cls_prior[all[rows.front()].chip_class];
        const std::vector<size_t> rest = Without(rows, drop_model, all);
        const Params u = rest.empty() ? pr : Solve(slot_sigma, all, rest, pr, kClassSigma, pr);
        for (size_t i : test) lomo[i] = RowSeconds(all[i], u, nullptr);
      }
    }
    for (const auto& group : groups) {
      const std::string& g = group.first;
      const std::vector<size_t>& rows = group.second;
      std::set<std::string> chips;
      for (size_t i : rows) chips.insert(all[i].chip_id);
      for (const std::string& c : chips) {
        auto drop_chip = [&](const PreparedRow& p) { return p.chip_id == c; };
        const std::vector<size_t> rest = Without(rows, drop_chip, all);
        const Params u = rest.empty()
                             ? prior_of[g]
                             : Solve(slot_sigma, all, rest, prior_of[g], group_sigma, fit_of[g]);
        for (size_t i : rows) {
          if (all[i].chip_id == c) loco[i] = RowSeconds(all[i], u, nullptr);
        }
      }
    }
  }

  // Rows and scores.
  std::vector<std::pair<double, double>> s_in, s_cat, s_loo, s_lomo, s_loco, s_art, s_own;
  std::vector<bool> band_flags;
  for (size_t i = 0; i < all.size(); ++i) {
    const PreparedRow& p = all[i];
    CalibratedRow& row = result.rows[p.row];
    row.group = p.group;
    row.measured_ms = p.measured_s * 1e3;
    row.fitted_ms = RowSeconds(p, fit_of[p.group], nullptr) * 1e3;
    row.catalog_ms = p.catalog_s * 1e3;
    row.loo_ms = loo[i] * 1e3;
    row.loo_fixture_layers_ms = loo_fixture[i] * 1e3;
    s_own.push_back({loo_fixture[i] > 0 ? row.loo_fixture_layers_ms : row.loo_ms, row.measured_ms});
    row.lomo_ms = lomo[i] * 1e3;
    row.loco_ms = loco[i] * 1e3;
    row.article_ms = p.article_s * 1e3;
    row.band_low_ms = row.loo_ms * band_of[i].first;
    row.band_high_ms = row.loo_ms * band_of[i].second;
    row.in_band = in_band[i];
    s_in.push_back({row.fitted_ms, row.measured_ms});
    s_cat.push_back({row.catalog_ms, row.measured_ms});
    s_loo.push_back({row.loo_ms, row.measured_ms});
    band_flags.push_back(row.in_band);
    if (lomo[i] > 0) s_lomo.push_back({row.lomo_ms, row.measured_ms});
    if (loco[i] > 0) s_loco.push_back({row.loco_ms, row.measured_ms});
    s_art.push_back({row.article_ms, row.measured_ms});
  }
  result.in_sample = Score(s_in);
  result.catalog = Score(s_cat);
  result.loo = Score(s_loo, &band_flags);
  result.loo_fixture_layers = Score(s_own);
  result.lomo = Score(s_lomo);
  result.loco = Score(s_loco);
  result.article = Score(s_art);

  // Groups -> catalog families, with the band over all the group's rows.
  std::map<std::string, std::map<std::string, size_t>> runtime_rows;  // family -> runtime -> n
  for (const auto& group : groups) {
    const std::vector<size_t>& rows = group.second;
    runtime_rows[all[rows.front()].family_id][all[rows.front()].runtime] += rows.size();
  }
  for (const auto& group : groups) {
    const std::string& g = group.first;
    const std::vector<size_t>& rows = group.second;
    const PreparedRow& first = all[rows.front()];
    CalibratedGroup out;
    out.id = g;
    out.family = first.family_id;
    out.chip = options.chip.empty() ? "" : first.chip_id;
    out.runtime = first.runtime;
    out.rows = static_cast<int64_t>(rows.size());
    std::set<std::string> chips;
    for (size_t i : rows) chips.insert(all[i].chip_id);
    out.chips.assign(chips.begin(), chips.end());
    const Family& base = *first.base_family;
    out.figures = ToFamily(fit_of[g], base, first.runtime, out.rows, first.contexts, g);
    for (const auto& [key, slot] : slots) {
      const double v = std::exp(fit_of[g][kParams + static_cast<size_t>(slot)]);
      const size_t cut = key.find_first_of("/#");
      if (!chips.count(key.substr(0, cut))) continue;
      if (cut != std::string::npos && key[cut] == '#') {
        out.figures.overhead_share[key.substr(0, cut)] = v;
      } else {
        out.figures.peak_share[key] = v;
      }
    }
    const auto [band_source, scope] = band_rows(first);
    std::vector<double> logs;
    for (size_t j : band_source) logs.push_back(loo_log[j]);
    out.figures.band.low = std::min(1.0, std::exp(Quantile(logs, kCalibrationBandQuantile)));
    out.figures.band.high = std::max(1.0, std::exp(Quantile(logs, 1 - kCalibrationBandQuantile)));
    out.figures.band.rows = static_cast<int64_t>(band_source.size());
    out.figures.band.scope = scope;
    // Default runtime: the vendor's own where the family names it, else the one with most rows.
    const auto& counts = runtime_rows[first.family_id];
    std::string best;
    for (const auto& [rt, n] : counts) {
      if (best.empty() || n > counts.at(best)) best = rt;
    }
    const std::string vendor = VendorRuntime(first.family_id);
    out.is_default = counts.count(vendor) ? first.runtime == vendor : first.runtime == best;
    result.groups.push_back(std::move(out));
  }

  // Families without rows of their own take their class's figures (every row of the class),
  // with the class's band: "typical" for that kind of chip, said so in the basis.
  if (options.chip.empty()) {
    std::set<std::string> solved;
    for (const auto& g : result.groups) solved.insert(g.family);
    std::map<std::string, Params> class_fit;
    for (const Chip& chip : catalog.chips()) {
      const std::string cls = chip.kind == ChipKind::kGpu ? "gpu" : "npu";
      if (solved.count(chip.family) || !classes.count(cls)) continue;
      solved.insert(chip.family);
      if (!class_fit.count(cls))
        class_fit[cls] = class_prior(cls, [](const PreparedRow&) { return false; });
      CalibratedGroup out;
      out.family = chip.family;
      out.runtime = "typical";
      out.id = chip.family + "/typical";
      out.is_default = true;
      out.rows = 0;
      const std::string scope = "class " + cls;
      out.figures = ToFamily(class_fit[cls], catalog.FamilyOf(chip), "typical",
                             static_cast<int64_t>(classes[cls].size()), false, scope);
      std::vector<double> logs;
      for (size_t j : classes[cls]) logs.push_back(loo_log[j]);
      out.figures.band.low = std::min(1.0, std::exp(Quantile(logs, kCalibrationBandQuantile)));
      out.figures.band.high = std::max(1.0, std::exp(Quantile(logs, 1 - kCalibrationBandQuantile)));
      out.figures.band.rows = static_cast<int64_t>(logs.size());
      out.figures.band.scope = scope + " (no rows of this family)";
      result.groups.push_back(std::move(out));
    }
  }
  return result;
}

}  // namespace tops
