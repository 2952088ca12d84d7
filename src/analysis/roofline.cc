// Per-layer roofline (Williams, Waterman, Patterson, "Roofline", CACM 2009): a layer takes the
// longer of its compute time and its memory time; a calibrated per-layer overhead is added for
// what neither captures at batch 1 (kernel launch, pipeline fill, small-tile underuse).
#include "analysis/roofline.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string_view>

#include "analysis/cpu_fallback.h"
#include "fmt/format.h"

namespace tops::analysis {
namespace {

// Outputs that are a model's data: floats, and the narrow integers quantised models compute in
// (int8 / uint8 / int16 / int4 activations); int32 / int64 outputs are shape arithmetic.
bool HasDataOutput(const NodeProfile& node) {
  for (const auto& o : node.outputs) {
    if (IsFloatDType(o.dtype)) return true;
    if (IsIntegerDType(o.dtype) && DTypeBits(o.dtype) > 0 && DTypeBits(o.dtype) <= 16) return true;
  }
  return false;
}

// Bits per element of the node's float outputs as stored in the model (fp32 exports: 32); an
// integer layer (QLinearConv, ConvInteger) stores its outputs at their integer width.
int SourceBits(const NodeProfile& node) {
  for (const auto& o : node.outputs) {
    if (IsFloatDType(o.dtype) && DTypeBits(o.dtype) > 0) return DTypeBits(o.dtype);
  }
  for (const auto& o : node.outputs) {
    if (DTypeBits(o.dtype) > 0) return DTypeBits(o.dtype);
  }
  return 32;
}

// Views: no data moves, every deployment compiler removes them.
bool IsView(std::string_view op) {
  static const std::set<std::string_view> kViews = {"Reshape", "Flatten",   "Squeeze",  "Concat",
                                                    "Split",   "Unsqueeze", "Identity", "Dropout"};
  return kViews.count(op) > 0;
}

double Milliseconds(double seconds) { return seconds * 1e3; }

}  // namespace

OpClass ClassifyNode(const NodeProfile& node) {
  static const std::set<std::string_view> kSoftmax = {"Softmax", "LogSoftmax", "Hardmax"};
  static const std::set<std::string_view> kNorm = {"LayerNormalization",
                                                   "GroupNormalization",
                                                   "InstanceNormalization",
                                                   "LpNormalization",
                                                   "RMSNormalization",
                                                   "SkipLayerNormalization",
                                                   "SimplifiedLayerNormalization",
                                                   "SkipSimplifiedLayerNormalization",
                                                   "ReduceMean",
                                                   "ReduceSum",
                                                   "ReduceL2",
                                                   "ReduceSumSquare",
                                                   "MeanVarianceNormalization"};
  static const std::set<std::string_view> kMove = {
      "Transpose",      "Concat",          "Split",        "Slice",           "Gather",
      "GatherElements", "GatherND",        "ScatterND",    "ScatterElements", "Pad",
      "Resize",         "Upsample",        "DepthToSpace", "SpaceToDepth",    "Tile",
      "Expand",         "ReverseSequence", "Compress"};
  if (node.macs && *node.macs > 0) {
    if (node.conv) return node.conv->depthwise() ? OpClass::kDepthwise : OpClass::kConv;
    return node.params == 0 ? OpClass::kAttention : OpClass::kGemm;
  }
  if (kSoftmax.count(node.op)) return OpClass::kSoftmax;
  if (kNorm.count(node.op)) return OpClass::kNorm;
  if (kMove.count(node.op)) return OpClass::kDataMovement;
  return OpClass::kElementwise;
}

InferenceWork Decompose(const Profile& profile, const RooflineParams& params) {
  const Family& family = *params.family;
  const int bits = PrecisionBits(params.precision);
  const int act_bits = params.activation_bits > 0 ? params.activation_bits : bits;
  InferenceWork out;

  // Weights at the deployed precision; the part that does not fit on chip streams from DRAM on
  // every inference (Coral's documented behaviour for models over its SRAM).
  out.weight_bytes = static_cast<double>(profile.totals.params) * bits / 8.0;
  double streamed_weight_share = 1.0;
  if (!params.external_memory) {
    streamed_weight_share = 0;
  } else if (family.weights_resident && params.on_chip_bytes >= 0 && out.weight_bytes > 0) {
    streamed_weight_share =
        std::max(0.0, out.weight_bytes - params.on_chip_bytes) / out.weight_bytes;
  }
  if (params.throughput) streamed_weight_share = 0;  // read once per large batch
  out.weights_on_chip = streamed_weight_share == 0;

  bool cut = false;  // past the first CPU op of a family whose compiler cuts the graph there
  for (size_t index = 0; index < profile.nodes.size(); ++index) {
    const NodeProfile& node = profile.nodes[index];
    // Nodes with only int32 / int64 outputs, and nodes whose outputs are computed from constants
    // and fixed shapes (masks, position tables), are folded away by every deployment compiler,
    // except integer layers with MACs (MatMulInteger): those are a quantised model's work, as are
    // the int8 / uint8 / int16 activations of a quantised model's other ops.
    const bool has_macs = node.macs && *node.macs > 0;
    if ((!HasDataOutput(node) && !has_macs) || IsView(node.op) || node.folded) {
      ++out.skipped_nodes;
      continue;
    }
    // A node that reads no activations (a Constant) has nothing to run or move on the CPU.
    const bool reads = node.bytes_read.value_or(0) > node.params * SourceBits(node) / 8;
    const bool listed = IsCpuOp(family, node.op) && reads;
    const bool on_cpu = listed || (cut && reads);
    if (!node.macs && !node.other_ops && !on_cpu) {
      ++out.nodes_without_cost;
      continue;
    }
    WorkItem w;
    w.node = index;
    w.op_class = ClassifyNode(node);
    const double macs = static_cast<double>(node.macs.value_or(0));
    const int src_bits = SourceBits(node);
    w.ops = 2 * macs + static_cast<double>(node.other_ops.value_or(0));
    if (w.op_class == OpClass::kDataMovement) {
      w.ops += static_cast<double>(node.bytes_written.value_or(0)) * 8.0 / src_bits;
    }
    if (on_cpu) {
      // Activations at the deployed width cross to the CPU and back; after a graph cut they
      // stay there, only the first CPU node's inputs crossing.
      const double scale = static_cast<double>(act_bits) / src_bits;
      const double act_in = std::max(0.0, static_cast<double>(node.bytes_read.value_or(0)) -
                                              static_cast<double>(node.params) * src_bits / 8.0);
      const double act_out = static_cast<double>(node.bytes_written.value_or(0));
      const double transfer = (cut ? 0.0 : act_in + (family.cpu_ops_cut_graph ? 0.0 : act_out));
      PlaceOnCpu(&w, transfer * scale, CpuGopsOf(params.cpu), params.bandwidth_gbs);
      cut = cut || (listed && family.cpu_ops_cut_graph);
      if (w.dram_bytes > 0 && params.bandwidth_gbs <= 0) out.traffic_without_bandwidth = true;
      out.items.push_back(w);
      continue;
    }
    const bool fused = family.fuses_elementwise && w.op_class == OpClass::kElementwise;
    w.overhead = !fused;
    if (!fused && params.external_memory) {
      const double scale = static_cast<double>(act_bits) / src_bits;
      const double weight_src = static_cast<double>(node.params) * src_bits / 8.0;
      const double act_in =
          std::max(0.0, static_cast<double>(node.bytes_read.value_or(0)) - weight_src);
      const double act = (act_in + static_cast<double>(node.bytes_written.value_or(0))) * scale;
      w.dram_bytes += static_cast<double>(node.params) * bits / 8.0 * streamed_weight_share;
      // A layer's activations stay on chip only when input and output fit there together.
      if (params.on_chip_bytes < 0 || act > params.on_chip_bytes) w.dram_bytes += act;
    }
    if (w.dram_bytes > 0 && params.bandwidth_gbs <= 0) out.traffic_without_bandwidth = true;
    out.layers += w.overhead;
    out.items.push_back(w);
  }
  return out;
}

CostFigures CostFiguresOf(const Family& family, const RooflineParams& params) {
  CostFigures x;
  for (OpClass c : AllOpClasses()) {
    const Figure& f = EfficiencyOf(family, c);
    x.efficiency[static_cast<size_t>(c)] = f.known() ? *f : 1.0;
  }
  x.layer_overhead_s = family.layer_overhead_us.value.value_or(0) * 1e-6 * params.overhead_scale;
  x.inference_overhead_s =
      family.inference_overhead_us.value.value_or(0) * 1e-6 * params.overhead_scale;
  x.pipelined = family.splits_into_contexts;
  if (family.splits_into_contexts && family.context_switch_us.known()) {
    x.context_switch_s = *family.context_switch_us * 1e-6;
    if (params.on_chip_bytes >= 0) {
      x.capacity_bytes = params.on_chip_bytes;
    } else if (family.context_capacity_mb_per_tops.known()) {
      x.capacity_bytes = *family.context_capacity_mb_per_tops * 1e6 * params.peak_tops;
    }
    if (family.context_layers_per_tops.known()) {
      x.capacity_layers = *family.context_layers_per_tops * params.peak_tops;
    }
  }
  return x;
}

Timing TimeInference(const InferenceWork& work, const CostFigures& x, double peak_ops,
                     double bandwidth, double batch, bool throughput, double* d_log_eff) {
  Timing t;
  double d_eff[kOpClassCount] = {};
  for (const WorkItem& w : work.items) {
    if (w.on_cpu) {
      t.cpu_s += w.cpu_s;
      continue;
    }
    const double e = x.efficiency[static_cast<size_t>(w.op_class)];
    const double compute = peak_ops > 0 ? w.ops / (peak_ops * e) : 0;
    const double memory = bandwidth > 0 ? w.dram_bytes / bandwidth : 0;
    if (compute >= memory) {
      t.compute_s += compute;
      d_eff[static_cast<size_t>(w.op_class)] -= compute;
    } else {
      t.memory_s += memory;
    }
  }
  const double spread = std::max(1.0, batch);
  if (!throughput && x.pipelined) {
    if (x.context_switch_s > 0) {
      if (x.capacity_bytes > 0) t.demand_bytes = work.weight_bytes / x.capacity_bytes;
      if (x.capacity_layers > 0) t.demand_layers = work.layers / x.capacity_layers;
    }
    const double demand = t.demand_bytes + t.demand_layers;
    // Frames stream through the layers: the per-frame floor and the work overlap.
    const double work_s = t.compute_s + t.memory_s;
    const double floor_s = x.inference_overhead_s;
    if (floor_s > 0 && work_s > 0) {
      const double k = kPipelineSharpness;
      const double m = std::max(work_s, floor_s);
      const double a = std::pow(work_s / m, k), b = std::pow(floor_s / m, k);
      const double frame_s = m * std::pow(a + b, 1 / k);
      t.work_weight = a / (a + b) * frame_s / work_s;
      t.d_log_floor = b / (a + b) * frame_s;
      t.overhead_s = frame_s - work_s;
    } else if (floor_s > 0) {
      t.work_weight = 0;
      t.d_log_floor = floor_s;
      t.overhead_s = floor_s;
    }
    if (demand > 1) {
      // The switches and fills ramp in over the first extra context (a network just over one
      // context loses a little, not a whole switch: the prediction stays continuous).
      const double ramp = std::min(1.0, demand - 1);
      const double fill_s = x.layer_overhead_s * work.layers / spread;
      const double switch_s = x.context_switch_s / spread;
      t.contexts = demand;
      t.context_s = demand * ramp * switch_s;
      t.layer_overhead_s = ramp * fill_s;
      t.overhead_s += t.layer_overhead_s;
      const double d_ramp = demand < 2 ? 1.0 : 0.0;
      t.d_log_demand = demand * ((ramp + demand * d_ramp) * switch_s + d_ramp * fill_s);
    }
  } else if (!throughput) {
    t.layer_overhead_s = x.layer_overhead_s * work.layers / spread;
    t.overhead_s = t.layer_overhead_s + x.inference_overhead_s / spread;
  }
  if (d_log_eff) {
    for (int c = 0; c < kOpClassCount; ++c) d_log_eff[c] += d_eff[c] * t.work_weight;
  }
  // The CPU's share runs between NPU segments, after its inputs arrive: in series with the rest.
  t.total_s = t.compute_s + t.memory_s + t.overhead_s + t.context_s + t.cpu_s;
  return t;
}

ModelPrediction PredictModel(const ModelLoad& load, const RooflineParams& params,
                             std::vector<Caveat>* caveats) {
  const Profile& profile = *load.profile;
  const InferenceWork work = Decompose(profile, params);
  const CostFigures x = CostFiguresOf(*params.family, params);
  const double peak_ops = params.peak_tops * 1e12;
  const double bandwidth = params.bandwidth_gbs * 1e9;
  const Timing t = TimeInference(work, x, peak_ops, bandwidth, params.batch, params.throughput);

  ModelPrediction out;
  out.label = load.label;
  out.fps_requested = load.fps;
  out.weights_on_chip = work.weights_on_chip;
  out.skipped_nodes = work.skipped_nodes;
  out.layers = work.layers;
  out.compute_ms = Milliseconds(t.compute_s);
  out.memory_ms = Milliseconds(t.memory_s);
  out.context_ms = Milliseconds(t.context_s);
  out.cpu_ms = Milliseconds(t.cpu_s);
  out.contexts = t.contexts;
  out.overhead_ms = Milliseconds(t.overhead_s + t.context_s);
  out.latency_ms = Milliseconds(t.total_s);
  // What the layers' own times do not hold: the per-inference overhead (a pipelined chip's
  // per-frame floor beyond the work) and the context switches.
  out.fixed_ms = Milliseconds(t.overhead_s - t.layer_overhead_s + t.context_s);

  std::vector<LayerEstimate> layers;
  const double layer_overhead_ms =
      work.layers > 0 ? Milliseconds(t.layer_overhead_s) / work.layers : 0;
  for (const WorkItem& w : work.items) {
    const NodeProfile& node = profile.nodes[w.node];
    LayerEstimate e;
    e.model = load.label;
    e.index = w.node;
    e.node = node.name;
    e.op = node.op;
    e.op_class = w.op_class;
    e.ops = w.ops;
    e.dram_bytes = w.dram_bytes;
    out.dram_bytes += e.dram_bytes;
    if (w.on_cpu) {
      ++out.cpu_nodes;
      e.compute_ms = Milliseconds(w.cpu_compute_s);
      e.memory_ms = Milliseconds(w.cpu_s - w.cpu_compute_s);
      e.time_ms = Milliseconds(w.cpu_s);
      e.bound = Bound::kCpu;
      layers.push_back(std::move(e));
      continue;
    }
    const double eff = x.efficiency[static_cast<size_t>(w.op_class)];
    e.compute_ms = peak_ops > 0 ? Milliseconds(w.ops / (peak_ops * eff)) : 0;
    e.memory_ms = bandwidth > 0 ? Milliseconds(w.dram_bytes / bandwidth) : 0;
    e.overhead_ms = w.overhead ? layer_overhead_ms : 0;
    e.time_ms = std::max(e.compute_ms, e.memory_ms) + e.overhead_ms;
    e.bound = e.compute_ms >= e.memory_ms ? Bound::kCompute : Bound::kMemory;
    layers.push_back(std::move(e));
  }

  out.fps = out.latency_ms > 0 ? 1000.0 / out.latency_ms : 0;
  out.load = load.fps * out.latency_ms / 1000.0;
  const PredictionBand& band = params.family->band;
  if (band.known()) {
    out.latency_low_ms = out.latency_ms * band.low;
    out.latency_high_ms = out.latency_ms * band.high;
  }
  const size_t keep = std::min(layers.size(), static_cast<size_t>(std::max(0, params.top_layers)));
  std::partial_sort(
      layers.begin(), layers.begin() + keep, layers.end(),
      [](const LayerEstimate& a, const LayerEstimate& b) { return a.time_ms > b.time_ms; });
  layers.resize(keep);
  out.top_layers = std::move(layers);

  if (work.traffic_without_bandwidth) {
    caveats->push_back({CaveatKind::kBandwidthUnknown, "memory bandwidth",
                        fmt::format("{}: memory bandwidth unknown, DRAM traffic not timed "
                                    "(prediction is optimistic)",
                                    load.label)});
  }
  AddCpuFallbackCaveat(work, profile, *params.family, params.cpu, load.label, caveats);
  if (work.nodes_without_cost > 0) {
    caveats->push_back({CaveatKind::kNodesWithoutFormula, "",
                        fmt::format("{}: {} node(s) without a cost formula are not counted",
                                    load.label, work.nodes_without_cost)});
  }
  if (t.context_s > 0) {
    caveats->push_back(
        {CaveatKind::kContextSwitches, "context switches",
         fmt::format("{}: weights ({:.1f} MB) and layers ({}) exceed one context ({:.1f} MB, "
                     "{:.0f} layers): about {:.1f} contexts, {:.3g} ms of switches and pipeline "
                     "fills per image",
                     load.label, work.weight_bytes / 1e6, work.layers, x.capacity_bytes / 1e6,
                     x.capacity_layers, t.contexts,
                     Milliseconds(t.context_s + t.layer_overhead_s))});
  }
  return out;
}

}  // namespace tops::analysis
