// Assembles the Report: the fit of each chosen chip with every layer timed, the roofline points,
// the per-layer bars and the what-if rows. Writers lay this out; nothing here prints.
#include "tops/report_data.h"

#include <algorithm>

#include "tops/error.h"

namespace tops {
namespace {

// Fit returns layers slowest first, each with its index into Profile::nodes.
void AttachLayers(const Profile& profile, ChipReport* c) {
  const size_t n = profile.nodes.size();
  c->node_time_ms.assign(n, std::nullopt);
  c->node_bound.assign(n, std::nullopt);
  if (!c->fit.predicted.available || c->fit.predicted.models.empty()) return;
  std::vector<const LayerEstimate*> by_node(n, nullptr);
  for (const LayerEstimate& e : c->fit.predicted.models[0].top_layers) {
    if (e.index < n) by_node[e.index] = &e;
  }
  for (size_t i = 0; i < n; ++i) {
    if (!by_node[i]) continue;
    const LayerEstimate& e = *by_node[i];
    c->node_time_ms[i] = e.time_ms;
    c->node_bound[i] = e.bound;
    RooflinePoint p;
    p.node = i;
    p.ops = e.ops;
    p.dram_bytes = e.dram_bytes;
    if (e.dram_bytes > 0) p.intensity = e.ops / e.dram_bytes;
    p.attained_tops = e.time_ms > 0 ? e.ops / (e.time_ms * 1e-3) / 1e12 : 0;
    p.bound = e.bound;
    // A layer that does no arithmetic (a pure copy) has no place on an ops-per-second axis.
    if (p.ops > 0 && p.attained_tops > 0) c->points.push_back(p);
  }
  for (const RooflinePoint& p : c->points) {
    if (!p.intensity) ++c->without_dram;
    ++(p.bound == Bound::kMemory ? c->memory_bound : c->compute_bound);
  }
}

ChipReport ReportChip(const Chip& chip, const Family& family, const Profile& profile,
                      const std::vector<ModelLoad>& loads, const FitOptions& fo) {
  ChipReport c;
  c.vendor = chip.vendor;
  c.kind = chip.kind;
  c.fit = Fit(loads, chip, family, fo);
  c.roof_tops = c.fit.predicted.available ? c.fit.predicted.peak_tops : 0;
  if (chip.external_memory && chip.memory_bandwidth_gbs.known() && *chip.memory_bandwidth_gbs > 0) {
    c.bandwidth_gbs = *chip.memory_bandwidth_gbs;
    // Roofline ridge point (Williams et al. 2009): peak ops/s divided by bytes/s.
    if (c.roof_tops > 0) c.ridge_intensity = c.roof_tops * 1e12 / (*c.bandwidth_gbs * 1e9);
  }
  AttachLayers(profile, &c);
  return c;
}

std::vector<LayerBar> Bars(const Profile& profile, const ChipReport* first, size_t top) {
  std::vector<LayerBar> bars;
  const std::vector<size_t> heavy = HeaviestNodes(profile, top);
  std::vector<bool> shown(profile.nodes.size(), false);
  for (size_t i : heavy) {
    LayerBar b;
    b.node = i;
    b.macs = profile.nodes[i].macs.value_or(0);
    if (first) b.time_ms = first->node_time_ms[i];
    shown[i] = true;
    bars.push_back(b);
  }
  LayerBar rest;
  rest.count = 0;
  if (first && first->fit.predicted.available) rest.time_ms = 0.0;
  for (size_t i = 0; i < profile.nodes.size(); ++i) {
    if (shown[i]) continue;
    ++rest.count;
    rest.macs += profile.nodes[i].macs.value_or(0);
    if (rest.time_ms && first->node_time_ms[i]) *rest.time_ms += *first->node_time_ms[i];
  }
  if (rest.count > 0) bars.push_back(rest);
  return bars;
}

}  // namespace

Report BuildReport(const Profile& profile, const Catalog& catalog, const ReportOptions& options) {
  if (!(options.fps > 0)) throw Error("--fps must be a positive number");
  Report r;
  r.label = options.label.empty() ? profile.model.path : options.label;
  r.profile = profile;
  r.fps = options.fps;
  r.utilization = options.utilization;
  const std::vector<ModelLoad> loads{ModelLoad{r.label, &r.profile, options.fps}};
  r.requirement = Require(loads);
  const PrecisionChoice choice = ChoosePrecision(loads, options.precision);
  r.precision = choice.precision;
  r.precision_source = choice.source;

  FitOptions fo;
  fo.precision = choice;
  fo.utilization = options.utilization;
  // Every layer, so that each one gets its time in the table and its point on the roofline.
  fo.top_layers = static_cast<int>(std::min<size_t>(profile.nodes.size(), 1u << 30));

  std::vector<const Chip*> chosen;
  if (!options.chips.empty()) {
    r.chip_choice = ChipChoice::kGiven;
    for (const auto& id : options.chips) {
      const Chip* c = &catalog.Get(id);
      if (std::find(chosen.begin(), chosen.end(), c) == chosen.end()) chosen.push_back(c);
    }
  } else {
    r.chip_choice = ChipChoice::kRanked;
    RankOptions ro;
    ro.fit = fo;
    ro.fit.top_layers = 0;
    const RankResult ranked = Rank(loads, catalog, ro);
    for (const RankRow& row : ranked.rows) {
      if (chosen.size() >= options.ranked_chips) break;
      // A chip whose prediction lacks a figure (bandwidth, power) would headline the report
      // with an optimistic number; the user can still ask for it with --chip.
      const Prediction& p = row.fit.predicted;
      if (p.available && p.missing.empty() && row.fit.missing.empty()) chosen.push_back(row.chip);
    }
  }
  for (const Chip* chip : chosen) {
    r.chips.push_back(ReportChip(*chip, catalog.FamilyOf(*chip), r.profile, loads, fo));
  }
  r.bars = Bars(r.profile, r.chips.empty() ? nullptr : &r.chips[0], options.top);

  if (options.model && !chosen.empty()) {
    WhatifOptions wo;
    wo.fps = options.fps;
    wo.precision = options.precision;  // WhatIf applies the same policy
    wo.utilization = options.utilization;
    wo.profile = options.profile;
    r.whatif = WhatIf(*options.model, *chosen[0], catalog.FamilyOf(*chosen[0]), wo);
    r.whatif->model = r.label;
  }
  return r;
}

}  // namespace tops
