// Per-layer roofline (Williams, Waterman, Patterson, "Roofline", CACM 2009): a layer takes the
// longer of its compute time and its memory time; a calibrated per-layer overhead is added for
// what neither captures at batch 1 (kernel launch, pipeline fill, small-tile underuse).
#include "analysis/roofline.h"

#include <algorithm>
#include <cmath>

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

double Milliseconds(double seconds) { return seconds * 1e3; }

}  // namespace

OpClass ClassifyNode(const NodeProfile& node) {
  if (!node.macs || *node.macs == 0) return OpClass::kElementwise;
  if (!node.conv) return OpClass::kGemm;
  return node.conv->depthwise() ? OpClass::kDepthwise : OpClass::kConv;
}

ModelPrediction PredictModel(const ModelLoad& load, const RooflineParams& params,
                             std::vector<Caveat>* caveats) {
  const Profile& profile = *load.profile;
  const Family& family = *params.family;
  const int bits = PrecisionBits(params.precision);
  ModelPrediction out;
  out.label = load.label;
  out.fps_requested = load.fps;

  // Weights at the deployed precision; the part that does not fit on chip streams from DRAM on
  // every inference (Coral's documented behaviour for models over its SRAM).
  double total_weight_bytes = static_cast<double>(profile.totals.params) * bits / 8.0;
  double streamed_weight_share = 1.0;
  if (!params.external_memory) {
    streamed_weight_share = 0;
  } else if (family.weights_resident && params.on_chip_bytes >= 0 && total_weight_bytes > 0) {
    streamed_weight_share =
        std::max(0.0, total_weight_bytes - params.on_chip_bytes) / total_weight_bytes;
  }
  if (params.throughput) streamed_weight_share = 0;  // read once per large batch
  out.weights_on_chip = streamed_weight_share == 0;

  const double peak_ops = params.peak_tops * 1e12;
  const double bandwidth = params.bandwidth_gbs * 1e9;
  const double overhead_s = params.throughput ? 0.0 : *family.layer_overhead_us * 1e-6;
  bool traffic_without_bandwidth = false;
  int64_t nodes_without_cost = 0;
  std::vector<LayerEstimate> layers;

  for (size_t index = 0; index < profile.nodes.size(); ++index) {
    const NodeProfile& node = profile.nodes[index];
    // Nodes with only int32 / int64 outputs are shape arithmetic that every deployment compiler
    // folds away, except integer layers with MACs (MatMulInteger): those are a quantised model's
    // work, as are the int8 / uint8 / int16 activations of a quantised model's other ops.
    if (!HasDataOutput(node) && !(node.macs && *node.macs > 0)) {
      ++out.skipped_nodes;
      continue;
    }
    if (!node.macs && !node.other_ops) {
      ++nodes_without_cost;
      continue;
    }
    LayerEstimate e;
    e.model = load.label;
    e.index = index;
    e.node = node.name;
    e.op = node.op;
    e.op_class = ClassifyNode(node);
    const double macs = static_cast<double>(node.macs.value_or(0));
    e.ops = 2 * macs + static_cast<double>(node.other_ops.value_or(0));
    const bool is_layer = macs > 0;
    const bool fused = family.fuses_elementwise && !is_layer;

    const double efficiency = *family.efficiency.at(e.op_class);
    double compute_s = peak_ops > 0 ? e.ops / (peak_ops * efficiency) : 0;

    if (!fused && params.external_memory) {
      const int src_bits = SourceBits(node);
      const double scale = static_cast<double>(bits) / src_bits;
      const double weight_src = static_cast<double>(node.params) * src_bits / 8.0;
      const double act_in =
          std::max(0.0, static_cast<double>(node.bytes_read.value_or(0)) - weight_src);
      const double act = (act_in + static_cast<double>(node.bytes_written.value_or(0))) * scale;
      e.dram_bytes += static_cast<double>(node.params) * bits / 8.0 * streamed_weight_share;
      // A layer's activations stay on chip only when input and output fit there together.
      if (params.on_chip_bytes < 0 || act > params.on_chip_bytes) e.dram_bytes += act;
    }
    double memory_s = 0;
    if (e.dram_bytes > 0) {
      if (bandwidth > 0) {
        memory_s = e.dram_bytes / bandwidth;
      } else {
        traffic_without_bandwidth = true;
      }
    }
    e.compute_ms = Milliseconds(compute_s);
    e.memory_ms = Milliseconds(memory_s);
    e.overhead_ms = fused ? 0 : Milliseconds(overhead_s);
    e.time_ms = std::max(e.compute_ms, e.memory_ms) + e.overhead_ms;
    e.bound = e.compute_ms >= e.memory_ms ? Bound::kCompute : Bound::kMemory;
    if (e.bound == Bound::kCompute) {
      out.compute_ms += e.compute_ms;
    } else {
      out.memory_ms += e.memory_ms;
    }
    out.overhead_ms += e.overhead_ms;
    out.dram_bytes += e.dram_bytes;
    out.latency_ms += e.time_ms;
    if (!fused) ++out.layers;
    layers.push_back(std::move(e));
  }

  out.fps = out.latency_ms > 0 ? 1000.0 / out.latency_ms : 0;
  out.load = load.fps * out.latency_ms / 1000.0;
  const size_t keep = std::min(layers.size(), static_cast<size_t>(std::max(0, params.top_layers)));
  std::partial_sort(
      layers.begin(), layers.begin() + keep, layers.end(),
      [](const LayerEstimate& a, const LayerEstimate& b) { return a.time_ms > b.time_ms; });
  layers.resize(keep);
  out.top_layers = std::move(layers);

  if (traffic_without_bandwidth) {
    caveats->push_back({CaveatKind::kBandwidthUnknown, "memory bandwidth",
                        fmt::format("{}: memory bandwidth unknown, DRAM traffic not timed "
                                    "(prediction is optimistic)",
                                    load.label)});
  }
  if (nodes_without_cost > 0) {
    caveats->push_back({CaveatKind::kNodesWithoutFormula, "",
                        fmt::format("{}: {} node(s) without a cost formula are not counted",
                                    load.label, nodes_without_cost)});
  }
  return out;
}

}  // namespace tops::analysis
