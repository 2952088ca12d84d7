// What-if transforms: a Profile changed as pruning, sparsity or batching would change the model
// (PruneChannels, SparsifyWeights, ScaleBatch in tops/whatif.h), each layer's weight and channel
// roles taken from the op registry's traits. Formulas and encodings are named where they are used;
// docs/whatif.md explains each transform and its caveats.
#include "analysis/whatif_transforms.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "core/checked.h"
#include "fmt/format.h"
#include "ops/registry.h"
#include "tops/error.h"

namespace tops {

namespace {

// A layer that multiplies an activation by a weight: operand positions and channel layout, from
// the op's registry traits. bias < 0: no bias input.
struct MacSpec {
  int act = 0;
  int weight = 1;
  int bias = -1;
  bool channels_first = false;  // channels on axis 1 (else the last axis)
  bool grouped = false;         // the `group` attribute applies
};

std::optional<MacSpec> FindMacSpec(const Node& n) {
  const OpEntry* e = Registry::Get().Find(n.domain, n.op_type);
  if (!e || !e->traits.mac_layer()) return std::nullopt;
  const OpTraits& t = e->traits;
  return MacSpec{std::max(0, t.find(Operand::kData)), t.find(Operand::kWeight),
                 t.find(Operand::kBias), t.layout == Layout::kChannelsFirst, t.grouped};
}

struct TensorInfo {
  DType dtype = DType::kUndefined;
  Shape shape;
  bool weight = false;  // initializer, Constant, or computed from weights alone
};

// What a transform needs beside the Profile: each profile node's graph node (by the index it
// carries), its MAC-layer spec, and dtype/shape of every tensor.
class GraphIndex {
 public:
  GraphIndex(const Model& model, const Profile& profile) {
    const Graph& g = model.graph;
    for (const TensorData& t : g.initializers) {
      tensors_[t.name] = TensorInfo{t.dtype, Shape::Known(t.dims), true};
    }
    for (const OutputInfo& in : profile.model.inputs) {
      tensors_.emplace(in.name, TensorInfo{in.dtype, in.shape, false});
    }
    nodes_.reserve(profile.nodes.size());
    specs_.reserve(profile.nodes.size());
    for (const NodeProfile& np : profile.nodes) {
      const Node* n =
          np.id.path.empty() && np.id.index < g.nodes.size() ? &g.nodes[np.id.index] : nullptr;
      nodes_.push_back(n);
      specs_.push_back(n ? FindMacSpec(*n) : std::nullopt);
      bool from_weights = n != nullptr;
      if (n) {
        bool any = false;
        for (const auto& in : n->inputs) {
          if (in.empty()) continue;
          any = true;
          if (!IsWeight(in)) from_weights = false;
        }
        // A node without inputs is a weight only when its op yields a load-time constant.
        if (!any) {
          const OpEntry* e = Registry::Get().Find(n->domain, n->op_type);
          from_weights = e && e->traits.folds_to_constant;
        }
      }
      for (const OutputInfo& o : np.outputs) {
        tensors_[o.name] = TensorInfo{o.dtype, o.shape, from_weights};
      }
    }
  }

  const Node* node(size_t i) const { return nodes_[i]; }
  bool IsWeight(const std::string& name) const {
    auto it = tensors_.find(name);
    return it != tensors_.end() && it->second.weight;
  }
  const TensorInfo* Find(const std::string& name) const {
    auto it = tensors_.find(name);
    return it == tensors_.end() ? nullptr : &it->second;
  }
  std::optional<double> Bytes(const std::string& name) const {
    const TensorInfo* t = Find(name);
    if (!t || DTypeBits(t->dtype) == 0) return std::nullopt;
    auto e = t->shape.fully_known() ? t->shape.elems_if_representable() : std::nullopt;
    if (!e) return std::nullopt;
    return static_cast<double>(DTypeBytes(t->dtype, *e));
  }
  // Any MAC layer (weight operand constant or not), by registry traits.
  const MacSpec* MacLayer(size_t i) const { return specs_[i] ? &*specs_[i] : nullptr; }
  // A layer that multiplies an activation by a weight, with its spec; nullptr otherwise.
  const MacSpec* WeightLayer(size_t i, const NodeProfile& np) const {
    const Node* n = nodes_[i];
    const MacSpec* spec = MacLayer(i);
    if (!n || !spec || !np.macs || *np.macs <= 0) return nullptr;
    if (spec->weight < 0 || static_cast<size_t>(spec->weight) >= n->inputs.size()) return nullptr;
    if (!IsWeight(n->inputs[static_cast<size_t>(spec->weight)])) return nullptr;
    return spec;
  }

 private:
  std::unordered_map<std::string, TensorInfo> tensors_;
  std::vector<const Node*> nodes_;
  std::vector<std::optional<MacSpec>> specs_;
};

int64_t Scaled(int64_t v, double f) { return static_cast<int64_t>(std::llround(v * f)); }

// bytes_read rescaled by per-input factors; inputs of unknown size keep the node's own ratio.
std::optional<int64_t> ScaleRead(const GraphIndex& gi, const Node* n, std::optional<int64_t> read,
                                 const std::function<double(size_t, const std::string&)>& factor) {
  if (!read || !n) return read;
  double before = 0, after = 0;
  for (size_t i = 0; i < n->inputs.size(); ++i) {
    const std::string& name = n->inputs[i];
    if (name.empty()) continue;
    auto b = gi.Bytes(name);
    if (!b) continue;
    before += *b;
    after += *b * factor(i, name);
  }
  if (before <= 0) return read;
  return Scaled(*read, after / before);
}

// Totals after per-node changes. Parameters not read by any node (dead initializers) stay; the
// activation buckets follow the bytes every node writes (the peak live set is scaled by the same
// ratio: the live set is made of those tensors).
void Retotal(const Profile& base, Profile& p) {
  Totals& t = p.totals;
  t.macs = 0;
  t.other_ops = 0;
  int64_t base_node_params = 0, node_params = 0;
  double written_before = 0, written_after = 0;
  for (size_t i = 0; i < p.nodes.size(); ++i) {
    const NodeProfile& n = p.nodes[i];
    if (n.macs) t.macs = CheckedAdd(t.macs, *n.macs, "total MACs");
    if (n.other_ops) t.other_ops = CheckedAdd(t.other_ops, *n.other_ops, "ops");
    base_node_params += base.nodes[i].params;
    node_params += n.params;
    written_before += static_cast<double>(base.nodes[i].bytes_written.value_or(0));
    written_after += static_cast<double>(n.bytes_written.value_or(0));
  }
  t.flops = CheckedAdd(CheckedMul(t.macs, 2, "FLOPs"), t.other_ops, "FLOPs");
  const int64_t params = base.totals.params - base_node_params + node_params;
  if (base.totals.params > 0) {
    t.weight_bytes = Scaled(base.totals.weight_bytes,
                            static_cast<double>(params) / static_cast<double>(base.totals.params));
  }
  t.params = params;
  if (written_before > 0) {
    const double f = written_after / written_before;
    t.activation_bytes = Scaled(base.totals.activation_bytes, f);
    t.peak_activation_bytes = Scaled(base.totals.peak_activation_bytes, f);
  }
}

// Parameters of a weight layer after its weight is scaled by w and its bias by b. The node owns
// its parameters only where it is their first reader; otherwise its count is scaled as a whole.
int64_t LayerParams(const GraphIndex& gi, const Node& n, const MacSpec& spec, int64_t params,
                    double w, double b) {
  auto elems = [&](int idx) -> int64_t {
    if (idx < 0 || static_cast<size_t>(idx) >= n.inputs.size()) return 0;
    const TensorInfo* t = gi.Find(n.inputs[static_cast<size_t>(idx)]);
    if (!t || !t->weight) return 0;
    return t->shape.fully_known() ? t->shape.elems_if_representable().value_or(0) : 0;
  };
  const int64_t we = elems(spec.weight), be = elems(spec.bias);
  if (we + be == params) return Scaled(we, w) + Scaled(be, b);
  return Scaled(params, w);
}

// Output channels of a weight layer: axis 1 of a conv output, last axis of a Gemm/MatMul.
int64_t OutputChannels(const NodeProfile& np, const MacSpec& spec) {
  if (np.outputs.empty()) return 0;
  const Shape& s = np.outputs[0].shape;
  if (!s.rank_known || s.rank() < 2) return 0;
  const Dim& d = spec.channels_first ? s.dims[1] : s.dims.back();
  return d.known() ? d.value : 0;
}

// The channel axis of a rank-r tensor: 1 when channels come first, else the last.
size_t ChannelAxis(size_t rank, bool channels_last) { return channels_last ? rank - 1 : 1; }

void SetChannels(NodeProfile& np, double f, bool channels_last) {
  for (OutputInfo& o : np.outputs) {
    if (!IsFloatDType(o.dtype) && !IsIntegerDType(o.dtype)) continue;
    if (!o.shape.rank_known || o.shape.rank() < 2) continue;
    Dim& d = o.shape.dims[ChannelAxis(o.shape.rank(), channels_last)];
    if (d.known()) d.value = std::max<int64_t>(1, std::llround(static_cast<double>(d.value) * f));
  }
}

// Grouped and depthwise convolutions: by the channel grouping the op's cost reported (ONNX's
// `group`, TFLite's depthwise layout), or by the `group` attribute.
bool IsGroupedConv(const Node& n, const NodeProfile& np, const MacSpec& spec) {
  if (np.conv && np.conv->group > 1) return true;
  return spec.grouped && n.attr_int("group", 1) > 1;
}

}  // namespace

// ---- Structured pruning -------------------------------------------------------------------

Profile PruneChannels(const Model& model, const Profile& base, double ratio,
                      std::vector<std::string>* notes) {
  if (!(ratio >= 0 && ratio < 1)) {
    throw Error(fmt::format("pruning ratio must be in [0, 1), got {:g}", ratio));
  }
  GraphIndex gi(model, base);
  const size_t count = base.nodes.size();

  // Layers that produce the model's answer keep every output channel: walk back from the graph
  // outputs through ops without weights until a weight layer is met.
  std::unordered_set<std::string> feeds_output;
  for (const ValueInfo& vi : model.graph.outputs) feeds_output.insert(vi.name);
  std::vector<bool> keep_whole(count, false);
  for (size_t k = count; k-- > 0;) {
    const Node* n = gi.node(k);
    if (!n) continue;
    bool reaches = false;
    for (const auto& o : n->outputs) reaches = reaches || feeds_output.count(o);
    if (!reaches) continue;
    if (gi.WeightLayer(k, base.nodes[k])) {
      keep_whole[k] = true;
      continue;
    }
    for (const auto& in : n->inputs) {
      if (!in.empty() && !gi.IsWeight(in)) feeds_output.insert(in);
    }
  }

  Profile out = base;
  std::unordered_map<std::string, double> frac;  // kept fraction of each tensor's channels
  auto fraction = [&](const std::string& name) {
    auto it = frac.find(name);
    return it == frac.end() ? 1.0 : it->second;
  };
  // Where each tensor keeps its channels: set by the MAC layer that made it (its layout), carried
  // by the ops after it; channels-first where no layer said (ONNX's NCHW inputs).
  std::unordered_map<std::string, bool> last_axis;
  auto channels_last = [&](const std::string& name) {
    auto it = last_axis.find(name);
    return it != last_axis.end() && it->second;
  };
  int pruned = 0, kept = 0, tied = 0, unpruned_matmul = 0, mixed = 0;
  for (size_t i = 0; i < count; ++i) {
    const Node* n = gi.node(i);
    if (!n) continue;
    NodeProfile& np = out.nodes[i];
    double f_out = 1, mac_f = 1, w_f = 1, bias_f = 1;
    const MacSpec* spec = gi.WeightLayer(i, base.nodes[i]);
    bool out_last = false;
    if (spec) {
      out_last = !spec->channels_first;
    } else {
      for (const auto& in : n->inputs) {
        if (in.empty() || gi.IsWeight(in)) continue;
        out_last = channels_last(in);
        break;
      }
    }
    if (spec) {
      const double kin = fraction(n->inputs[static_cast<size_t>(spec->act)]);
      if (IsGroupedConv(*n, base.nodes[i], *spec)) {
        // Grouped and depthwise convs: each group reads its own input channels, so pruning
        // the input removes whole groups and the output follows (MACs scale once).
        f_out = kin;
        mac_f = w_f = bias_f = kin;
        ++tied;
      } else {
        const int64_t c = OutputChannels(base.nodes[i], *spec);
        double kout = 1;
        if (keep_whole[i]) {
          ++kept;
        } else if (c > 0) {
          const int64_t keep =
              std::max<int64_t>(1, c - static_cast<int64_t>(std::floor(ratio * c)));
          kout = static_cast<double>(keep) / static_cast<double>(c);
          ++pruned;
        }
        f_out = kout;
        mac_f = w_f = kin * kout;  // Cout' * Cin' * k^2 * H * W
        bias_f = kout;
      }
      np.params = LayerParams(gi, *n, *spec, base.nodes[i].params, w_f, bias_f);
      np.other_ops =
          np.other_ops ? std::optional<int64_t>(Scaled(*np.other_ops, f_out)) : std::nullopt;
    } else {
      // Channel-preserving ops carry the fraction; a Concat on the channel axis takes the
      // channel-weighted mean. A binary op whose operands differ keeps the larger fraction.
      double lo = 1, hi = 0;
      bool any = false;
      for (const auto& in : n->inputs) {
        if (in.empty() || gi.IsWeight(in)) continue;
        const double f = fraction(in);
        lo = std::min(lo, f);
        hi = std::max(hi, f);
        any = true;
      }
      f_out = any ? hi : 1.0;
      if (any && hi - lo > 1e-9) {
        const OpEntry* entry = Registry::Get().Find(n->domain, n->op_type);
        if (entry && entry->traits.joins_on_axis) {
          const Shape* s = np.outputs.empty() ? nullptr : &np.outputs[0].shape;
          const bool ok = s && s->rank_known && s->rank() >= 2;
          const size_t rank = ok ? s->rank() : 0;
          int64_t axis = n->attr_int("axis", 0);
          if (ok && axis < 0) axis += static_cast<int64_t>(rank);
          double channels = 0, kept_channels = 0;
          // Joining along the channel axis: the kept share is the channel-weighted mean.
          bool known = ok && axis == static_cast<int64_t>(ChannelAxis(rank, out_last));
          for (const auto& in : n->inputs) {
            const TensorInfo* t = gi.Find(in);
            const size_t c = ChannelAxis(rank, out_last);
            if (!known || !t || !t->shape.rank_known || t->shape.rank() != rank ||
                !t->shape.dims[c].known()) {
              known = false;
              break;
            }
            channels += static_cast<double>(t->shape.dims[c].value);
            kept_channels += static_cast<double>(t->shape.dims[c].value) * fraction(in);
          }
          if (known && channels > 0) f_out = kept_channels / channels;
        } else {
          ++mixed;
        }
      }
      if (gi.MacLayer(i) && np.macs && *np.macs > 0) ++unpruned_matmul;
      w_f = f_out;  // per-channel parameters (normalisation scale and shift, PRelu slopes)
      np.params = Scaled(base.nodes[i].params, w_f);
      if (np.other_ops) np.other_ops = Scaled(*np.other_ops, f_out);
    }
    if (np.macs) np.macs = Scaled(*np.macs, mac_f);
    np.bytes_read = ScaleRead(gi, n, np.bytes_read, [&](size_t idx, const std::string& name) {
      if (!gi.IsWeight(name)) return fraction(name);
      if (spec && static_cast<int>(idx) == spec->bias) return bias_f;
      return w_f;
    });
    if (np.bytes_written) np.bytes_written = Scaled(*np.bytes_written, f_out);
    SetChannels(np, f_out, out_last);
    for (const auto& o : n->outputs) {
      if (o.empty()) continue;
      frac[o] = f_out;
      last_axis[o] = out_last;
    }
  }
  Retotal(base, out);

  if (notes) {
    notes->push_back(fmt::format(
        "{} layer(s) keep C - floor({:g} x C) output channels; the layers reading them lose the "
        "same input channels",
        pruned, ratio));
    if (kept > 0) {
      notes->push_back(
          fmt::format("{} layer(s) producing the model's outputs keep all their channels", kept));
    }
    if (tied > 0) {
      notes->push_back(
          fmt::format("{} grouped/depthwise conv(s) follow their input's channels", tied));
    }
    if (mixed > 0) {
      notes->push_back(fmt::format(
          "{} residual/broadcast op(s) join tensors pruned differently; the larger channel count "
          "is kept (a pruner prunes coupled channels together, so this overestimates)",
          mixed));
    }
    if (unpruned_matmul > 0) {
      notes->push_back(fmt::format("{} MatMul(s) of two activations (attention) keep their MACs",
                                   unpruned_matmul));
    }
  }
  return out;
}

// ---- Weight sparsity ------------------------------------------------------------------------

Profile Sparsify(const Model& model, const Profile& base, double mac_factor, double storage_factor,
                 int64_t* eligible_params) {
  GraphIndex gi(model, base);
  Profile out = base;
  int64_t eligible = 0;
  for (size_t i = 0; i < base.nodes.size(); ++i) {
    const MacSpec* spec = gi.WeightLayer(i, base.nodes[i]);
    if (!spec) continue;
    const Node& n = *gi.node(i);
    // Sparse tensor units take dense-channel layers (NVIDIA's 2:4 applies to Conv with group 1
    // and to fully connected layers); depthwise filters are too small to prune in a pattern.
    if (IsGroupedConv(n, base.nodes[i], *spec)) continue;
    NodeProfile& np = out.nodes[i];
    eligible += base.nodes[i].params;
    np.macs = Scaled(*np.macs, mac_factor);
    const TensorInfo* w = gi.Find(n.inputs[static_cast<size_t>(spec->weight)]);
    const double bytes_per_param = w && DTypeBits(w->dtype) > 0 ? DTypeBits(w->dtype) / 8.0 : 4.0;
    if (np.bytes_read) {
      np.bytes_read =
          *np.bytes_read - Scaled(base.nodes[i].params, bytes_per_param * (1.0 - storage_factor));
    }
    np.params = Scaled(base.nodes[i].params, storage_factor);
  }
  Retotal(base, out);
  if (eligible_params) *eligible_params = eligible;
  return out;
}

Profile SparsifyWeights(const Model& model, const Profile& profile, double mac_factor,
                        double storage_factor) {
  if (!(mac_factor > 0 && mac_factor <= 1) || !(storage_factor > 0 && storage_factor <= 2)) {
    throw Error(fmt::format("sparsity factors out of range (MACs x{:g}, storage x{:g})", mac_factor,
                            storage_factor));
  }
  return Sparsify(model, profile, mac_factor, storage_factor, nullptr);
}

// ---- Batch ------------------------------------------------------------------------------

Profile ScaleBatch(const Model& model, const Profile& base, int batch) {
  if (batch < 1) throw Error(fmt::format("batch must be at least 1, got {}", batch));
  GraphIndex gi(model, base);
  // The file's batch: the leading dim of the first graph input. Float tensors are data and grow
  // with the batch wherever its axis went (a transposed tensor need not lead with it); integer
  // tensors grow only when they are data too (rank 2+, leading with the batch). Shape vectors,
  // scalars and tensors computed from weights alone stay.
  std::optional<int64_t> file_batch;
  if (!base.model.inputs.empty()) {
    const Shape& s = base.model.inputs[0].shape;
    if (s.rank_known && s.rank() >= 1 && s.dims[0].known()) file_batch = s.dims[0].value;
  }
  auto leads_with_batch = [&](const Shape& shape) {
    return file_batch && shape.rank_known && shape.rank() >= 1 && shape.dims[0].known() &&
           shape.dims[0].value == *file_batch;
  };
  std::unordered_set<std::string> grows;
  double batched_bytes = 0;  // one copy of every activation that grows with the batch
  auto grow = [&](const std::string& name, DType dtype, Shape& shape) {
    if (gi.IsWeight(name)) return;
    if (!IsFloatDType(dtype) && !(shape.rank() >= 2 && leads_with_batch(shape))) return;
    grows.insert(name);
    if (auto b = gi.Bytes(name)) batched_bytes += *b;
    if (leads_with_batch(shape)) {
      shape.dims[0].value = CheckedMul(shape.dims[0].value, batch, "batch dim");
    }
  };
  Profile out = base;
  for (OutputInfo& in : out.model.inputs) grow(in.name, in.dtype, in.shape);
  for (size_t i = 0; i < out.nodes.size(); ++i) {
    NodeProfile& np = out.nodes[i];
    double written_before = 0, written_after = 0;
    for (OutputInfo& o : np.outputs) {
      const double b = gi.Bytes(o.name).value_or(0);
      grow(o.name, o.dtype, o.shape);
      written_before += b;
      written_after += grows.count(o.name) ? b * batch : b;
    }
    // Work on batched data repeats per frame; shape arithmetic does not.
    const bool on_data = !grows.empty() && written_after > written_before;
    const int64_t f = on_data ? batch : 1;
    if (np.macs) np.macs = CheckedMul(*np.macs, f, "MACs");
    if (np.other_ops) np.other_ops = CheckedMul(*np.other_ops, f, "ops");
    if (np.bytes_written && written_before > 0) {
      np.bytes_written = Scaled(*np.bytes_written, written_after / written_before);
    }
    np.bytes_read = ScaleRead(gi, gi.node(i), np.bytes_read, [&](size_t, const std::string& name) {
      return grows.count(name) ? static_cast<double>(batch) : 1.0;
    });
  }
  Retotal(base, out);
  // Every growing tensor is an activation: the total gains (batch - 1) copies of them.
  out.totals.activation_bytes = CheckedAdd(
      base.totals.activation_bytes, Scaled(1, batched_bytes * (batch - 1)), "activation bytes");
  return out;
}

}  // namespace tops
