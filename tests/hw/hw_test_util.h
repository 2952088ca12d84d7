// Hand-made profiles, chips and families for the hardware tests: small enough that every
// expected number can be worked out by hand from the roofline formula.
#pragma once

#include <string>
#include <vector>

#include "tops/chip.h"
#include "tops/fit.h"
#include "tops/profile.h"

namespace tops::testing {

inline Figure Known(double v) {
  Figure f;
  f.value = v;
  f.status = FigureStatus::kPublished;
  f.source = "test";
  return f;
}

// A conv node: output 1 x cout x h x w (fp32), `macs`, `params` weights, `in_elems` input
// activation elements, `group` groups of `in_per_group` input channels.
inline NodeProfile ConvNode(const std::string& name, int64_t cout, int64_t h, int64_t w,
                            int64_t macs, int64_t params, int64_t in_elems, int64_t group = 1,
                            int64_t in_per_group = 0) {
  NodeProfile n;
  n.name = name;
  n.op = "Conv";
  n.outputs.push_back({name + "_out", DType::kFloat, Shape::Known({1, cout, h, w})});
  n.params = params;
  n.macs = macs;
  n.other_ops = 0;
  n.bytes_read = 4 * (params + in_elems);
  n.bytes_written = 4 * cout * h * w;
  n.has_formula = true;
  n.conv = ConvGeometry{group, in_per_group};
  return n;
}

// A profile whose totals hold `macs` (the article's worked example needs only that).
inline Profile TotalsOnly(int64_t macs) {
  Profile p;
  p.totals.macs = macs;
  p.totals.flops = 2 * macs;
  return p;
}

inline Profile FromNodes(std::vector<NodeProfile> nodes) {
  Profile p;
  for (const auto& n : nodes) {
    p.totals.macs += n.macs.value_or(0);
    p.totals.other_ops += n.other_ops.value_or(0);
    p.totals.params += n.params;
  }
  p.totals.flops = 2 * p.totals.macs + p.totals.other_ops;
  p.nodes = std::move(nodes);
  return p;
}

inline Family TestFamily(double conv, double depthwise, double overhead_us) {
  Family f;
  f.id = "test_family";
  f.efficiency[OpClass::kConv] = Known(conv);
  f.efficiency[OpClass::kDepthwise] = Known(depthwise);
  f.efficiency[OpClass::kGemm] = Known(conv);
  f.efficiency[OpClass::kElementwise] = Known(conv);
  f.layer_overhead_us = Known(overhead_us);
  return f;
}

inline Chip TestChip(double int8_tops, double bandwidth_gbs) {
  Chip c;
  c.id = "test_chip";
  c.name = "Test chip";
  c.family = "test_family";
  c.peaks[Precision::kInt8].dense = Known(int8_tops);
  c.peaks[Precision::kInt8].covers = "NPU";
  if (bandwidth_gbs > 0) c.memory_bandwidth_gbs = Known(bandwidth_gbs);
  return c;
}

}  // namespace tops::testing
