// `tops fit`: the seed article's check_hardware and the roofline prediction, side by side.
#include "tops/fit.h"

#include <algorithm>
#include <cmath>

#include "analysis/roofline.h"
#include "fmt/format.h"
#include "tops/error.h"

namespace tops {

std::string_view BoundName(Bound b) {
  switch (b) {
    case Bound::kCompute:
      return "compute";
    case Bound::kMemory:
      return "memory";
    case Bound::kOverhead:
      return "overhead";
    case Bound::kCpu:
      return "cpu";
  }
  return "?";
}

std::string_view ArticleConventionName(ArticleConvention c) {
  switch (c) {
    case ArticleConvention::kOwnPeak:
      return "own_peak";
    case ArticleConvention::kInt8Equivalent:
      return "int8_equivalent";
    case ArticleConvention::kUnavailable:
      return "unavailable";
  }
  return "?";
}

std::string_view VerdictBasisName(VerdictBasis b) {
  return b == VerdictBasis::kRoofline ? "roofline" : "article";
}

std::vector<std::string> Texts(const std::vector<MissingFigure>& missing) {
  std::vector<std::string> out;
  for (const MissingFigure& m : missing) out.push_back(m.text);
  return out;
}

std::vector<std::string> Texts(const std::vector<Caveat>& caveats) {
  std::vector<std::string> out;
  for (const Caveat& c : caveats) out.push_back(c.text);
  return out;
}

PrecisionChoice ChoosePrecision(const std::vector<ModelLoad>& loads,
                                std::optional<Precision> asked) {
  PrecisionChoice c;
  c.precision = asked.value_or(Precision::kInt8);
  for (const ModelLoad& l : loads) {
    if (!l.profile || !l.profile->quant.precision) continue;
    const QuantInfo& q = l.profile->quant;
    std::string evidence;
    for (const auto& e : q.evidence) evidence += (evidence.empty() ? "" : "; ") + e;
    c.note = fmt::format("precision {} taken from the graph of {} ({})",
                         PrecisionName(*q.precision), l.label, evidence);
    if (asked && *asked != *q.precision) {
      c.note += fmt::format("; the requested {} is not used", PrecisionName(*asked));
    }
    c.precision = *q.precision;
    c.source = PrecisionSource::kGraph;
    return c;
  }
  return c;
}

namespace {

// The power mode the numbers are quoted at (the one asked for, else the highest) and the share
// of the quoted peaks the chip reaches in it.
struct PowerMode {
  std::optional<double> watts;
  double peak_share = 1;    // whole-chip peaks
  double single_share = 1;  // single-inference peaks
  std::optional<Caveat> caveat;
  bool peaks_from_higher_mode = false;
  // Share for a peak figure: a peak equal to its single-inference figure covers the same units.
  double ShareOf(const Peak& peak, double value) const {
    if (peak.single_inference.known() && *peak.single_inference == value) return single_share;
    return peak_share;
  }
};

PowerMode PickPower(const Chip& chip, const std::optional<double>& asked) {
  PowerMode mode;
  const auto& modes = chip.power_modes_w.values;
  if (modes.empty()) {
    if (asked) {
      throw Error(fmt::format("chip '{}': power mode {:g} W asked, but no power mode is published",
                              chip.id, *asked));
    }
    return mode;
  }
  size_t index = modes.size() - 1;
  if (asked) {
    index = modes.size();
    for (size_t i = 0; i < modes.size(); ++i) {
      if (std::fabs(modes[i] - *asked) < 1e-9 * std::max(1.0, modes[i])) index = i;
    }
    if (index == modes.size()) {
      std::string list;
      for (double m : modes) list += (list.empty() ? "" : ", ") + fmt::format("{:g}", m);
      throw Error(fmt::format("chip '{}': power mode {:g} W is not one of its modes ({} W)",
                              chip.id, *asked, list));
    }
  }
  mode.watts = modes[index];
  if (chip.mode_peak_share.known()) {
    mode.peak_share = chip.mode_peak_share.values[index];
    mode.single_share =
        chip.mode_single_share.known() ? chip.mode_single_share.values[index] : mode.peak_share;
    if (mode.peak_share != 1 || mode.single_share != 1) {
      mode.caveat = Caveat{
          CaveatKind::kPowerMode, "power mode",
          fmt::format("at {:g} W the whole-chip peaks are {:.3g} x and the single-inference ones "
                      "{:.3g} x the quoted ones ({}, {})",
                      modes[index], mode.peak_share, mode.single_share,
                      FigureStatusName(chip.mode_peak_share.status), chip.mode_peak_share.source)};
    }
  } else {
    const double quoted = chip.peaks_quoted_at_w.known() ? *chip.peaks_quoted_at_w : modes.back();
    if (modes[index] < quoted) {
      mode.peaks_from_higher_mode = true;
      mode.caveat = Caveat{
          CaveatKind::kPowerMode, "power mode",
          fmt::format("peaks are quoted at the {:g} W power mode and no figure says how much lower "
                      "they are at {:g} W: latency, FPS and energy use the {:g} W peaks "
                      "(optimistic)",
                      quoted, modes[index], quoted)};
    }
  }
  return mode;
}

void NoteUnverified(const Figure& f, const std::string& what, std::vector<Caveat>* caveats) {
  if (f.known() && f.status == FigureStatus::kUnverified) {
    caveats->push_back({CaveatKind::kUnverifiedFigure, what,
                        fmt::format("{} {:g} is unverified ({})", what, *f, f.source)});
  }
}

}  // namespace

FitResult Fit(const std::vector<ModelLoad>& loads, const Chip& chip, const Family& family,
              const FitOptions& options) {
  analysis::CheckLoads(loads);
  if (!(options.utilization > 0 && options.utilization <= 1)) {
    throw Error(fmt::format("utilization must be in (0, 1], got {:g}", options.utilization));
  }
  FitResult r;
  r.chip_id = chip.id;
  r.chip_name = chip.name;
  const Precision precision = options.precision.precision;
  r.precision = precision;
  r.precision_source = options.precision.source;
  r.utilization = options.utilization;
  const std::string prec(PrecisionName(precision));

  double macs_per_second = 0;
  for (const ModelLoad& l : loads)
    macs_per_second += static_cast<double>(l.profile->totals.macs) * l.fps;

  // Article's answer. Against this precision's own dense peak when the chip publishes one;
  // otherwise the article's own convention: INT8-equivalent demand against the INT8 peak.
  const Figure* own = chip.DensePeak(precision);
  const Figure* int8 = chip.DensePeak(Precision::kInt8);
  if (own) {
    r.convention = ArticleConvention::kOwnPeak;
    r.chip_tops = **own;
    r.required_tops = RequiredTops(macs_per_second, 1.0);
  } else if (int8) {
    r.convention = ArticleConvention::kInt8Equivalent;
    r.chip_tops = **int8;
    r.required_tops = RequiredTops(macs_per_second, 1.0, ArticlePrecisionFactor(precision));
    r.missing.push_back(
        {prec + " dense peak", prec + " dense peak (article convention used: INT8 peak, factor " +
                                   fmt::format("{:g}", ArticlePrecisionFactor(precision)) + ")"});
  } else {
    r.convention = ArticleConvention::kUnavailable;
    r.required_tops = RequiredTops(macs_per_second, 1.0);
    r.missing.push_back({prec + " dense peak", prec + " dense peak"});
  }
  const PowerMode mode = PickPower(chip, options.power_w);
  if (r.chip_tops) {
    const Peak& quoted = chip.peaks.at(own ? precision : Precision::kInt8);
    *r.chip_tops *= mode.ShareOf(quoted, *r.chip_tops);
  }
  if (r.chip_tops) {
    ArticleCheck c = CheckHardware(r.required_tops, *r.chip_tops, options.utilization);
    r.effective_tops = c.effective_tops;
    r.is_sufficient = c.is_sufficient;
    r.margin = c.margin;
  }

  // Roofline prediction at the requested precision.
  Prediction& p = r.predicted;
  if (options.precision.source == PrecisionSource::kGraph) {
    p.caveats.push_back({CaveatKind::kPrecisionFromGraph, "precision", options.precision.note});
  }
  if (!own) {
    p.missing.push_back({prec + " dense peak", prec + " dense peak"});
  } else {
    const Peak& peak = chip.peaks.at(precision);
    NoteUnverified(peak.dense, prec + " peak", &p.caveats);
    analysis::RooflineParams rp;
    rp.precision = precision;
    rp.family = &family;
    rp.cpu = &chip.cpu;
    rp.throughput = options.throughput;
    rp.top_layers = options.top_layers;
    rp.peak_tops = **own;
    if (!options.throughput && peak.single_inference.known()) {
      rp.peak_tops = *peak.single_inference;
    } else if (!options.throughput && !chip.one_inference_uses_all.has_value() &&
               peak.covers.find('+') != std::string::npos) {
      p.caveats.push_back({CaveatKind::kUnitsShareUnknown, prec + " peak",
                           "whether one inference can use every unit of the peak (" + peak.covers +
                               ") is not published; assumed it can"});
    }
    rp.peak_tops *= mode.ShareOf(peak, rp.peak_tops);
    rp.peak_tops *= family.PeakShareOf(chip.id, precision);
    rp.overhead_scale = family.OverheadShareOf(chip.id);
    if (mode.caveat) p.caveats.push_back(*mode.caveat);
    rp.external_memory = chip.external_memory;
    if (chip.memory_bandwidth_gbs.known()) rp.bandwidth_gbs = *chip.memory_bandwidth_gbs;
    NoteUnverified(chip.memory_bandwidth_gbs, "memory bandwidth", &p.caveats);
    if (chip.on_chip_memory_mb.known()) rp.on_chip_bytes = *chip.on_chip_memory_mb * 1e6;
    if (chip.external_memory && !chip.memory_bandwidth_gbs.known()) {
      p.missing.push_back({"memory bandwidth", "memory bandwidth"});
    }
    for (const auto& [cls, fig] : family.efficiency) {
      NoteUnverified(fig,
                     "family " + family.id + " " + std::string(OpClassName(cls)) + " efficiency",
                     &p.caveats);
    }

    double ops_per_round = 0;
    double dram_per_second = 0;
    double compute_ms = 0, memory_ms = 0, overhead_ms = 0, cpu_ms = 0;
    for (const ModelLoad& l : loads) {
      ModelPrediction m = analysis::PredictModel(l, rp, &p.caveats);
      ops_per_round += 2.0 * static_cast<double>(l.profile->totals.macs) +
                       static_cast<double>(l.profile->totals.other_ops);
      dram_per_second += m.dram_bytes * l.fps;
      p.latency_ms += m.latency_ms;
      p.load += m.load;
      compute_ms += m.compute_ms;
      memory_ms += m.memory_ms;
      overhead_ms += m.overhead_ms;
      cpu_ms += m.cpu_ms;
      p.models.push_back(std::move(m));
    }
    p.available = p.latency_ms > 0;
    p.peak_tops = rp.peak_tops;
    p.runtime = family.runtime;
    if (!family.runtime.empty()) {
      p.caveats.push_back({CaveatKind::kRuntime, "runtime",
                           fmt::format("figures solved for {} on the {} runtime from {}", family.id,
                                       family.runtime, family.basis)});
    }
    if (p.available) {
      p.fps = 1000.0 / p.latency_ms;
      if (family.band.known()) {
        p.band = family.band;
        p.latency_low_ms = p.latency_ms * family.band.low;
        p.latency_high_ms = p.latency_ms * family.band.high;
        p.fps_low = 1000.0 / p.latency_high_ms;
        p.fps_high = 1000.0 / p.latency_low_ms;
      }
      p.utilization = ops_per_round / (p.latency_ms / 1000.0) / (rp.peak_tops * 1e12);
      p.bandwidth_gbs = dram_per_second / 1e9;
      p.fits = p.load <= 1.0;
      p.bound = Bound::kCompute;
      if (memory_ms > compute_ms && memory_ms >= overhead_ms) p.bound = Bound::kMemory;
      if (overhead_ms > compute_ms && overhead_ms > memory_ms) p.bound = Bound::kOverhead;
      if (cpu_ms > std::max({compute_ms, memory_ms, overhead_ms})) p.bound = Bound::kCpu;
    }
  }

  p.power_w = mode.watts;
  p.peaks_from_higher_mode = mode.peaks_from_higher_mode;
  if (!p.power_w) p.missing.push_back({"power", "power"});
  if (p.power_w && own) {
    p.tops_per_watt = **own * mode.ShareOf(chip.peaks.at(precision), **own) / *p.power_w;
  }
  if (p.power_w && p.available) {
    p.energy_mj = *p.power_w * p.latency_ms;
    p.fps_per_watt = p.fps / *p.power_w;
    p.achieved_tops_per_watt = p.utilization * p.peak_tops / *p.power_w;
  }

  if (p.available) {
    r.fits = p.fits;
    r.verdict_basis = VerdictBasis::kRoofline;
  } else {
    r.fits = r.is_sufficient.value_or(false);
    r.verdict_basis = VerdictBasis::kArticle;
  }
  return r;
}

}  // namespace tops
