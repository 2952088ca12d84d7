// Per-layer roofline of one model on one chip (internal to the fit analysis and the calibration
// solver, which share it so that solved figures mean what predictions use).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "tops/chip.h"
#include "tops/fit.h"
#include "tops/profile.h"

namespace tops::analysis {

struct RooflineParams {
  Precision precision = Precision::kInt8;
  int activation_bits = 0;      // 0: the precision's width (w8a16: 16)
  double peak_tops = 0;         // dense peak the model can use
  bool external_memory = true;  // false: every tensor stays on chip
  double bandwidth_gbs = 0;     // 0: unknown
  double on_chip_bytes = -1;    // < 0: unknown
  const Family* family = nullptr;
  const ChipCpu* cpu = nullptr;  // runs the family's cpu_ops; null: kDefaultCpuGops, assumed
  bool throughput = false;
  double batch = 1;  // images per inference: per-layer and per-inference costs spread over them
  double overhead_scale = 1;  // the chip's scale of the family's overheads (overhead_share)
  int top_layers = 5;
};

// Throws tops::Error for an empty list, a missing profile or a non-positive frame rate.
void CheckLoads(const std::vector<ModelLoad>& loads);

// Which efficiency applies to a node. With MACs: conv or depthwise for a convolution (Conv,
// ConvTranspose, QLinearConv, ConvInteger, FusedConv; depthwise: group > 1, one input channel
// per group), attention for a matrix product without a weight operand (two activations), gemm
// for every other (Gemm, MatMul with weights, RNNs). Without MACs: softmax, norm (layer, group,
// instance normalisation and the reductions decomposed layer norms use), data movement
// (transpose, concat, split, slice, gather, pad, resize, ...), elementwise for the rest
// (activations, arithmetic, pooling, batch norm, which compilers fold into the conv).
OpClass ClassifyNode(const NodeProfile& node);

// One layer's work at the deployed precision, before any family figure is applied.
struct WorkItem {
  size_t node = 0;
  OpClass op_class = OpClass::kConv;
  double ops = 0;         // 2 x MACs + other ops; elements moved for data movement
  double dram_bytes = 0;  // traffic to external memory
  bool overhead = false;  // pays the per-layer overhead (runs as its own layer, not fused)
  // Runs on the host CPU (the family's cpu_ops): cpu_s is its whole time, the CPU's arithmetic
  // (cpu_compute_s) and its activations crossing over (dram_bytes, cpu_s - cpu_compute_s).
  bool on_cpu = false;
  double cpu_s = 0, cpu_compute_s = 0;
};
struct InferenceWork {
  std::vector<WorkItem> items;
  double weight_bytes = 0;  // at the deployed precision
  int layers = 0;           // items paying the per-layer overhead
  int skipped_nodes = 0;    // shape arithmetic and views folded at compile time
  int64_t nodes_without_cost = 0;
  bool traffic_without_bandwidth = false;
  bool weights_on_chip = false;
};
InferenceWork Decompose(const Profile& profile, const RooflineParams& params);

// A family's figures as numbers (fractions and seconds), as the timing uses them.
struct CostFigures {
  std::array<double, kOpClassCount> efficiency{};
  double layer_overhead_s = 0;
  double inference_overhead_s = 0;
  double context_switch_s = 0;  // 0: the family does not split networks into contexts
  double capacity_bytes = -1;   // weights one context holds; < 0: unknown (no contexts)
  double capacity_layers = -1;  // layers one context holds; < 0: unknown
  bool pipelined = false;       // a dataflow chip: frames stream through the layers
};
CostFigures CostFiguresOf(const Family& family, const RooflineParams& params);

struct Timing {
  double compute_s = 0, memory_s = 0;  // layers bound by compute / by memory
  double overhead_s = 0;               // per-layer and per-inference overheads
  double layer_overhead_s = 0;         // the per-layer part of overhead_s
  double context_s = 0;                // context switches
  double cpu_s = 0;                    // nodes on the host CPU, with their transfers
  double contexts = 1;                 // contexts the network needs (demand; 1 when it fits)
  double demand_bytes = 0, demand_layers = 0;  // the parts of `contexts` (pipelined chips)
  double d_log_demand = 0;  // d total / d log(contexts): what the capacities move
  // A pipelined chip's frame costs a smooth maximum of its work and its per-frame floor:
  // d total / d work, and d total / d log(floor).
  double work_weight = 1, d_log_floor = 0;
  double total_s = 0;  // per image
};
// The exponent of the smooth maximum (work^k + floor^k)^(1/k) of a pipelined chip's frame: where
// the two are equal the frame costs 2^(1/k) = 1.19 x either (stages do not overlap perfectly).
inline constexpr double kPipelineSharpness = 4;

// One image's time: each layer the longer of compute and memory time, plus the overheads and
// context switches, the last two spread over the batch (none in throughput mode). On a
// pipelined (dataflow) chip a frame costs the smooth maximum of its work and the per-frame floor;
// a network that does not fit one context also pays, per batch, a switch and a pipeline fill
// per context, ramped in over the first extra context. With `d_log_eff`, adds
// d total_s / d log(efficiency of class c) into d_log_eff[c].
Timing TimeInference(const InferenceWork& work, const CostFigures& x, double peak_ops,
                     double bandwidth, double batch, bool throughput, double* d_log_eff = nullptr);

// Predicts one inference of `load` (its fps is only carried into `load`). Adds to `caveats`
// the approximations it had to make (unknown bandwidth, nodes without cost).
ModelPrediction PredictModel(const ModelLoad& load, const RooflineParams& params,
                             std::vector<Caveat>* caveats);

}  // namespace tops::analysis
