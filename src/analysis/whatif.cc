// What-if scenarios (seed article, section 4) as Profile transforms fed to the same Fit as
// `tops fit`, and `compare` of several models on one chip. Formulas and encodings are named
// where they are used; docs/whatif.md explains each scenario and its caveats.
#include "tops/whatif.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "core/checked.h"
#include "fmt/format.h"
#include "ops/registry.h"
#include "tops/error.h"

namespace tops {

std::string_view ScenarioKindName(ScenarioKind k) {
  switch (k) {
    case ScenarioKind::kBaseline:
      return "baseline";
    case ScenarioKind::kPrecision:
      return "precision";
    case ScenarioKind::kUnstructured:
      return "unstructured_pruning";
    case ScenarioKind::kStructured:
      return "structured_pruning";
    case ScenarioKind::kBatch:
      return "batch";
  }
  return "?";
}

const std::vector<Scenario>& AllScenarios() {
  static const std::vector<Scenario> kAll = [] {
    std::vector<Scenario> v;
    v.push_back({"baseline", ScenarioKind::kBaseline, std::nullopt, 0, 1});
    for (Precision p : {Precision::kFp32, Precision::kFp16, Precision::kInt8, Precision::kInt4}) {
      v.push_back({std::string(PrecisionName(p)), ScenarioKind::kPrecision, p, 0, 1});
    }
    for (int pct : {30, 50, 70}) {
      v.push_back({fmt::format("unstructured-{}", pct), ScenarioKind::kUnstructured, std::nullopt,
                   pct / 100.0, 1});
    }
    for (int pct : {30, 50, 70}) {
      v.push_back({fmt::format("structured-{}", pct), ScenarioKind::kStructured, std::nullopt,
                   pct / 100.0, 1});
    }
    for (int b : {1, 2, 4, 8}) {
      v.push_back({fmt::format("batch-{}", b), ScenarioKind::kBatch, std::nullopt, 0, b});
    }
    return v;
  }();
  return kAll;
}

const Scenario& FindScenario(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  std::string list;
  for (const Scenario& s : AllScenarios()) {
    if (s.name == lower) return s;
    list += (list.empty() ? "" : ", ") + s.name;
  }
  throw Error("unknown scenario '" + std::string(name) + "' (one of: " + list + ")");
}

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

namespace {

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

}  // namespace

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
  out.totals.activation_bytes =
      base.totals.activation_bytes + Scaled(1, batched_bytes * (batch - 1));
  return out;
}

// ---- What-if ------------------------------------------------------------------------------

namespace {

// "2:4" -> {2, 4}: N values kept in every group of M; nullopt when unparsable.
std::optional<std::pair<int, int>> ParsePattern(const std::string& pattern) {
  int n = 0, m = 0;
  char colon = 0;
  if (std::sscanf(pattern.c_str(), "%d%c%d", &n, &colon, &m) != 3 || colon != ':' || n <= 0 ||
      m <= n || m > 1024) {
    return std::nullopt;
  }
  return std::make_pair(n, m);
}

template <typename T>
void AppendUnique(std::vector<T>& to, const std::vector<T>& from) {
  for (const auto& s : from) {
    if (std::find(to.begin(), to.end(), s) == to.end()) to.push_back(s);
  }
}

void AppendUnique(std::vector<std::string>& to, const std::vector<Caveat>& from) {
  for (const Caveat& c : from) AppendUnique(to, {c.text});
}

std::string TextOf(const std::string& s) { return s; }
std::string TextOf(const MissingFigure& m) { return m.text; }

// Moves the lines of `field` present in every row to `to` (once, after `prefix`).
template <typename Row, typename Line>
void HoistShared(std::vector<Row>& rows, std::vector<Line> Row::*field, const std::string& prefix,
                 std::vector<std::string>& to) {
  const std::vector<Line> first = rows[0].*field;
  for (const Line& line : first) {
    const bool shared = std::all_of(rows.begin(), rows.end(), [&](const Row& row) {
      const auto& lines = row.*field;
      return std::find(lines.begin(), lines.end(), line) != lines.end();
    });
    if (!shared) continue;
    AppendUnique(to, {prefix + TextOf(line)});
    for (Row& row : rows) {
      auto& lines = row.*field;
      lines.erase(std::find(lines.begin(), lines.end(), line));
    }
  }
}

struct Variant {
  Profile profile;
  int batch = 1;
  double nonzero_params = 0;
  std::string effect;
  std::string method;
  std::vector<std::string> notes;
  std::vector<MissingFigure> missing;
};

Variant Unstructured(const Model& model, const Profile& base, const Chip& chip, Precision p,
                     double ratio) {
  Variant v;
  const int bits = PrecisionBits(p);
  const std::string prec(PrecisionName(p));
  const int pct = static_cast<int>(std::lround(ratio * 100));
  auto it = chip.peaks.find(p);
  const Peak* peak = it == chip.peaks.end() ? nullptr : &it->second;
  std::optional<double> density;
  double index_bits = 0;
  double speedup = 1;
  if (peak && peak->sparse.known() && peak->dense.known() && *peak->dense > 0) {
    if (auto nm = ParsePattern(peak->sparsity)) {
      density = static_cast<double>(nm->first) / nm->second;
      index_bits = std::ceil(std::log2(static_cast<double>(nm->second)));
    } else {
      v.notes.push_back("sparse peak without a readable N:M pattern: not used");
    }
    speedup = *peak->sparse / *peak->dense;
  }
  double mac_factor = 1, storage = 1;
  if (density && speedup > 1 && ratio >= 1 - *density - 1e-9) {
    // The chip skips the zeros of an N:M pattern: executed MACs fall by the sparse/dense peak
    // ratio. NVIDIA's 2:4 format stores the kept values plus a 2-bit index per value
    // (log2(M) bits; NVIDIA A100 whitepaper, "Fine-grained structured sparsity").
    mac_factor = 1 / speedup;
    storage = *density * (bits + index_bits) / bits;
    v.effect = fmt::format(
        "MACs x{:.2g} in weight layers: the chip runs {} sparsity at {:g}x ({} sparse {:g} vs "
        "dense {:g} TOPS) if the pruning follows that pattern",
        mac_factor, peak->sparsity, speedup, prec, *peak->sparse, *peak->dense);
    if (ratio > 1 - *density + 1e-9) {
      v.effect += fmt::format("; sparsity beyond {:g}% is not exploited", (1 - *density) * 100);
    }
  } else {
    // Unstructured zeros save storage only: a bitmap (1 bit per weight) plus the kept values.
    storage = ((1 - ratio) * bits + 1) / bits;
    if (density) {
      v.effect = fmt::format(
          "compute unchanged: {}% unstructured sparsity cannot take the chip's {} pattern "
          "(needs {:g}%); weight bytes x{:.2f} if stored compressed",
          pct, peak->sparsity, (1 - *density) * 100, storage);
    } else {
      v.effect = fmt::format(
          "compute unchanged: the catalog lists no {} sparse peak for this chip; weight bytes "
          "x{:.2f} if the runtime stores them compressed",
          prec, storage);
    }
  }
  int64_t eligible = 0;
  v.profile = Sparsify(model, base, mac_factor, storage, &eligible);
  v.nonzero_params =
      static_cast<double>(base.totals.params) - ratio * static_cast<double>(eligible);
  return v;
}

}  // namespace

WhatifResult WhatIf(const Model& model, const Chip& chip, const Family& family,
                    const WhatifOptions& options) {
  if (!(options.fps > 0) || !std::isfinite(options.fps)) {
    throw Error("frame rate must be a positive number");
  }
  std::vector<Scenario> chosen;
  if (options.scenarios.empty()) {
    chosen = AllScenarios();
  } else {
    for (const auto& name : options.scenarios) chosen.push_back(FindScenario(name));
  }

  WhatifResult r;
  r.model = model.path;
  r.chip_id = chip.id;
  r.chip_name = chip.name;
  r.fps = options.fps;

  BatchBinding batch = BindBatch(model, options.profile);
  const ProfileOptions& po = batch.options;
  r.batch_symbol = batch.symbol;
  if (!batch.note.empty()) r.notes.push_back(batch.note);
  const Profile base = ProfileModel(model, po);
  r.quant = base.quant;
  const PrecisionChoice choice =
      ChoosePrecision({ModelLoad{model.path, &base, options.fps}}, options.precision);
  r.precision = choice.precision;
  r.precision_source = choice.source;
  if (base.totals.nodes_without_cost > 0) {
    r.notes.push_back(fmt::format("{} node(s) have no cost (see `tops profile`); not counted",
                                  base.totals.nodes_without_cost));
    // The usual cause is a symbolic dim left unbound (a sequence length): say which, and how.
    for (const Diagnostic& d : base.diagnostics) {
      if (d.kind == DiagnosticKind::kUnboundDim) r.notes.push_back(d.message);
    }
  }
  int file_batch = 1;
  if (!r.batch_symbol && !base.model.inputs.empty()) {
    const Shape& s = base.model.inputs[0].shape;
    if (s.rank_known && s.rank() >= 1 && s.dims[0].known() && s.dims[0].value > 0) {
      file_batch = static_cast<int>(std::min<int64_t>(s.dims[0].value, 1 << 20));
    }
  } else if (r.batch_symbol) {
    file_batch = static_cast<int>(std::min<int64_t>(po.dims.at(*r.batch_symbol), 1 << 20));
  }

  for (const Scenario& s : chosen) {
    Variant v;
    Precision p = r.precision;
    switch (s.kind) {
      case ScenarioKind::kBaseline:
        v.profile = base;
        v.effect = r.precision_source == PrecisionSource::kGraph
                       ? fmt::format("the model as exported, at {} (taken from the graph)",
                                     PrecisionName(p))
                       : fmt::format("the model as exported, deployed at {}", PrecisionName(p));
        break;
      case ScenarioKind::kPrecision:
        p = *s.precision;
        v.profile = base;
        v.effect = fmt::format("weights and arithmetic at {} ({} bits per weight)",
                               PrecisionName(p), PrecisionBits(p));
        if (r.quant.quantized && r.quant.precision && p != *r.quant.precision) {
          v.notes.push_back(fmt::format(
              "the graph is quantised to {}; this row assumes the model is re-exported at {}",
              PrecisionName(*r.quant.precision), PrecisionName(p)));
        }
        break;
      case ScenarioKind::kUnstructured:
        v = Unstructured(model, base, chip, p, s.ratio);
        break;
      case ScenarioKind::kStructured:
        v.profile = PruneChannels(model, base, s.ratio, &v.notes);
        v.effect = fmt::format("{:g}% of the output channels of each prunable layer removed",
                               s.ratio * 100);
        break;
      case ScenarioKind::kBatch:
        v.batch = s.batch;
        if (r.batch_symbol) {
          ProfileOptions bo = po;
          bo.dims[*r.batch_symbol] = s.batch;
          v.profile = ProfileModel(model, bo);
          v.method = fmt::format("re-profiled with {}={}", *r.batch_symbol, s.batch);
        } else if (s.batch % file_batch == 0) {
          v.profile = ScaleBatch(model, base, s.batch / file_batch);
          v.method = fmt::format("scaled x{} (batch dim fixed at {} in the file)",
                                 s.batch / file_batch, file_batch);
        } else {
          v.profile = base;
          v.missing.push_back(
              {"batch", fmt::format("batch {} is not a multiple of the file's fixed batch {}",
                                    s.batch, file_batch)});
          v.batch = file_batch;
          v.method = "not evaluated";
        }
        v.effect = fmt::format("{} frames per inference; weights read once per batch", s.batch);
        break;
    }
    if (s.kind != ScenarioKind::kUnstructured) {
      v.nonzero_params = static_cast<double>(v.profile.totals.params);
    }

    ScenarioResult row;
    row.scenario = s;
    row.precision = p;
    row.effect = v.effect;
    row.method = v.method;
    // A batch-N inference carries N frames; a file whose batch is fixed at B carries B.
    const int frames = s.kind == ScenarioKind::kBatch ? v.batch : file_batch;
    const double inferences_per_second = options.fps / frames;
    row.macs = static_cast<double>(v.profile.totals.macs) / frames;
    row.nonzero_params = v.nonzero_params;
    row.weight_bytes = static_cast<double>(v.profile.totals.params) * PrecisionBits(p) / 8.0;
    row.required_tops = RequiredTops(row.macs, options.fps, ArticlePrecisionFactor(p));
    if (const Figure* peak = chip.DensePeak(p)) row.peak_tops = **peak;

    FitOptions fo;
    fo.precision = UsePrecision(p);  // the result says where the precision came from
    fo.utilization = options.utilization;
    fo.top_layers = 0;
    const std::vector<ModelLoad> loads = {ModelLoad{model.path, &v.profile, inferences_per_second}};
    const FitResult fit = Fit(loads, chip, family, fo);
    const Prediction& pred = fit.predicted;
    if (pred.available) {
      row.latency_ms = pred.latency_ms;
      row.fps = pred.fps * frames;
      row.bandwidth_gbs = pred.bandwidth_gbs;
      row.bound = pred.bound;
      row.roofline_peak_tops = pred.peak_tops;
    }
    row.fits = fit.fits && v.missing.empty();
    row.verdict_basis = fit.verdict_basis;
    row.missing = v.missing;
    AppendUnique(row.missing, fit.missing);
    // The article's "fp16 dense peak (article convention used ...)" already names the gap.
    for (const auto& m : pred.missing) {
      const bool said = std::any_of(row.missing.begin(), row.missing.end(),
                                    [&](const MissingFigure& x) { return x.figure == m.figure; });
      if (!said) row.missing.push_back(m);
    }
    row.notes = v.notes;
    // The roofline's caveats concern the chip's figures, not the scenario: said once.
    AppendUnique(r.notes, pred.caveats);
    r.rows.push_back(std::move(row));
  }
  // A figure every row lacks (the chip's power modes) is said once.
  if (r.rows.size() > 1) HoistShared(r.rows, &ScenarioResult::missing, "catalog lacks: ", r.notes);
  return r;
}

// ---- Compare --------------------------------------------------------------------------------

CompareResult Compare(const std::vector<CompareInput>& inputs, const Chip& chip,
                      const Family& family, const CompareOptions& options) {
  if (inputs.empty()) throw Error("no model given");
  CompareResult r;
  r.chip_id = chip.id;
  r.chip_name = chip.name;
  r.fps = options.fps;
  for (const CompareInput& in : inputs) {
    if (!in.profile) throw Error(in.label + ": no profile");
    CompareRow row;
    row.label = in.label;
    const PrecisionChoice choice =
        ChoosePrecision({ModelLoad{in.label, in.profile, options.fps}}, options.precision);
    row.precision = choice.precision;
    row.precision_source = choice.source;
    const Totals& t = in.profile->totals;
    row.params = t.params;
    row.macs = t.macs;
    row.flops = t.flops;
    row.nodes_without_cost = t.nodes_without_cost;
    row.weight_bytes = static_cast<double>(t.params) * PrecisionBits(row.precision) / 8.0;
    row.required_tops = RequiredTops(static_cast<double>(t.macs), options.fps,
                                     ArticlePrecisionFactor(row.precision));
    FitOptions fo;
    fo.precision = UsePrecision(row.precision);  // the row says where it came from
    fo.utilization = options.utilization;
    fo.top_layers = 0;
    row.fit = Fit({ModelLoad{in.label, in.profile, options.fps}}, chip, family, fo);
    for (const auto& m : row.fit.missing) AppendUnique(row.notes, {"catalog lacks: " + m.text});
    for (const auto& m : row.fit.predicted.missing) {
      AppendUnique(row.notes, {"catalog lacks: " + m.text});
    }
    AppendUnique(row.notes, row.fit.predicted.caveats);
    if (row.nodes_without_cost > 0) {
      row.notes.push_back(
          fmt::format("{} node(s) without a cost are not counted", row.nodes_without_cost));
    }
    r.rows.push_back(std::move(row));
  }
  // Notes of the chip (missing figures, unverified calibration) repeat in every row: keep one.
  if (r.rows.size() > 1) HoistShared(r.rows, &CompareRow::notes, "", r.notes);

  // Best per column: the lowest cost, the highest frame rate; the first row wins a tie.
  auto mark = [&](const std::string& column, auto value, bool higher_is_better) {
    std::optional<double> best_value;
    for (size_t i = 0; i < r.rows.size(); ++i) {
      const std::optional<double> v = value(r.rows[i]);
      if (!v) continue;
      if (!best_value || (higher_is_better ? *v > *best_value : *v < *best_value)) {
        best_value = v;
        r.best[column] = i;
      }
    }
  };
  using Row = const CompareRow&;
  mark(
      "params", [](Row x) { return std::optional<double>(static_cast<double>(x.params)); }, false);
  mark(
      "macs", [](Row x) { return std::optional<double>(static_cast<double>(x.macs)); }, false);
  mark(
      "weight_bytes", [](Row x) { return std::optional<double>(x.weight_bytes); }, false);
  mark(
      "required_tops", [](Row x) { return std::optional<double>(x.required_tops); }, false);
  mark(
      "latency_ms",
      [](Row x) {
        return x.fit.predicted.available ? std::optional<double>(x.fit.predicted.latency_ms)
                                         : std::nullopt;
      },
      false);
  mark(
      "fps",
      [](Row x) {
        return x.fit.predicted.available ? std::optional<double>(x.fit.predicted.fps)
                                         : std::nullopt;
      },
      true);
  return r;
}

}  // namespace tops
