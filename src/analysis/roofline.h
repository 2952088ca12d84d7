// Per-layer roofline of one model on one chip (internal to the fit analysis).
#pragma once

#include <string>
#include <vector>

#include "tops/chip.h"
#include "tops/fit.h"
#include "tops/profile.h"

namespace tops::analysis {

struct RooflineParams {
  Precision precision = Precision::kInt8;
  double peak_tops = 0;         // dense peak the model can use
  bool external_memory = true;  // false: every tensor stays on chip
  double bandwidth_gbs = 0;     // 0: unknown
  double on_chip_bytes = -1;    // < 0: unknown
  const Family* family = nullptr;
  bool throughput = false;
  int top_layers = 5;
};

// Throws tops::Error for an empty list, a missing profile or a non-positive frame rate.
void CheckLoads(const std::vector<ModelLoad>& loads);

// Which efficiency applies to a node: elementwise without MACs; conv or depthwise for a
// convolution (any of Conv, ConvTranspose, QLinearConv, ConvInteger, FusedConv) by its group
// attribute and weight shape (depthwise: group > 1, one input channel per group); gemm for
// every other node with MACs (Gemm, MatMul, attention, RNNs).
OpClass ClassifyNode(const NodeProfile& node);

// Predicts one inference of `load` (its fps is only carried into `load`). Adds to `caveats`
// the approximations it had to make (unknown bandwidth, nodes without cost).
ModelPrediction PredictModel(const ModelLoad& load, const RooflineParams& params,
                             std::vector<Caveat>* caveats);

}  // namespace tops::analysis
