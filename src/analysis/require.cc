// `tops require`: what a model asks of any chip, before a chip is chosen.
#include <cmath>

#include "analysis/roofline.h"
#include "tops/error.h"
#include "tops/fit.h"

namespace tops {

double ArticlePrecisionFactor(Precision p) { return PrecisionBits(p) / 8.0; }

double RequiredTops(double macs, double fps, double factor) {
  // Seed article, section 3.1: ops_per_frame = MACs * 2; TOPS = ops_per_frame * rate / 10^12.
  return 2.0 * macs * fps * factor / 1e12;
}

ArticleCheck CheckHardware(double required_tops, double chip_tops, double utilization) {
  ArticleCheck c;
  c.required_tops = required_tops;
  c.effective_tops = chip_tops * utilization;
  const double margin = c.effective_tops - c.required_tops;
  c.is_sufficient = margin >= 0;
  c.margin = std::fabs(margin);
  return c;
}

namespace analysis {

void CheckLoads(const std::vector<ModelLoad>& loads) {
  if (loads.empty()) throw Error("no model given");
  for (const ModelLoad& l : loads) {
    if (l.profile == nullptr) throw Error(l.label + ": no profile");
    if (!(l.fps > 0) || !std::isfinite(l.fps)) {
      throw Error(l.label + ": frame rate must be a positive number");
    }
  }
}

}  // namespace analysis

Requirement Require(const std::vector<ModelLoad>& loads) {
  analysis::CheckLoads(loads);
  Requirement r;
  double weight_elems_per_second = 0;
  double activation_elems_per_second = 0;
  for (const ModelLoad& l : loads) {
    ModelDemand d;
    d.label = l.label;
    d.fps = l.fps;
    d.macs = static_cast<double>(l.profile->totals.macs);
    d.other_ops = static_cast<double>(l.profile->totals.other_ops);
    d.ops_per_frame = 2.0 * d.macs;
    d.weight_elems = static_cast<double>(l.profile->totals.params);
    for (const NodeProfile& n : l.profile->nodes) {
      for (const OutputInfo& o : n.outputs) {
        auto elems = o.shape.fully_known() ? o.shape.elems_if_representable() : std::nullopt;
        if (IsFloatDType(o.dtype) && elems) d.activation_elems += static_cast<double>(*elems);
      }
    }
    r.ops_per_second += d.ops_per_frame * d.fps;
    weight_elems_per_second += d.weight_elems * d.fps;
    activation_elems_per_second += d.activation_elems * d.fps;
    r.models.push_back(std::move(d));
  }
  for (Precision p : {Precision::kInt8, Precision::kFp16, Precision::kFp32}) {
    PrecisionRequirement pr;
    pr.precision = p;
    pr.article_factor = ArticlePrecisionFactor(p);
    pr.int8_equivalent_tops = r.ops_per_second * pr.article_factor / 1e12;
    pr.own_tops = r.ops_per_second / 1e12;
    const double bytes = PrecisionBits(p) / 8.0;
    pr.weight_bytes_per_second = weight_elems_per_second * bytes;
    // Every activation written once and read back once when nothing stays on chip.
    pr.all_dram_bytes_per_second =
        (weight_elems_per_second + 2 * activation_elems_per_second) * bytes;
    r.precisions.push_back(pr);
  }
  return r;
}

}  // namespace tops
