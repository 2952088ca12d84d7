// The profile pass: bind inputs, walk the graph in topological order running each op's shape
// and cost functions from the registry, then account parameters, bytes and activation memory.
#include "tops/profile.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "analysis/walk.h"
#include "core/checked.h"
#include "ops/registry.h"
#include "tops/error.h"

namespace tops {
namespace {

std::string OpKey(const Node& n) {
  return n.domain.empty() ? n.op_type : n.domain + "::" + n.op_type;
}

void CollectSymbols(const Shape& s, std::set<std::string>& out) {
  for (const Dim& d : s.dims) {
    if (d.symbolic()) out.insert(d.symbol);
  }
}

// A tensor whose size overflows int64 (a hostile 2^62-element shape) has unknown bytes; the
// reason goes to *overflow so the node that holds it can say so.
std::optional<int64_t> BytesOf(const ValueState& v, std::string* overflow = nullptr) {
  if (!v.present || DTypeBits(v.dtype) == 0) return std::nullopt;
  try {
    auto n = v.shape.elems();
    if (!n) return std::nullopt;
    return DTypeBytes(v.dtype, *n);
  } catch (const Error& e) {
    if (overflow) *overflow = e.what();
    return std::nullopt;
  }
}

}  // namespace

const std::vector<std::string>& CountingConventions() {
  static const std::vector<std::string> kLines = {
      "MACs: multiply-accumulates of Conv (out_elems * Cin/group * kh * kw), ConvTranspose "
      "(in_elems * Cout/group * kh * kw), Gemm and MatMul (out_elems * K); nothing else",
      "FLOPs = 2 * MACs + other ops (bias adds, elementwise, normalisation, activation, "
      "softmax, pooling, reductions; per-element counts in docs/conventions.md)",
      "params: elements of all initializers (shared tensors once) plus floating-point Constant "
      "tensors of 2+ elements; integer Constants (shapes, axes) and scalars are not parameters",
      "bytes: at the tensors' own dtypes; bytes_read includes weights; activation bytes = every "
      "tensor produced by a node plus graph inputs; peak = largest live set in topological order",
  };
  return kLines;
}

std::pair<std::string, std::vector<int64_t>> ParseInputShapeOption(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    throw Error("--input expects NAME:DxDxD (e.g. input:1x3x224x224), got '" + text + "'");
  }
  std::vector<int64_t> dims;
  const std::string spec = text.substr(colon + 1);
  size_t pos = 0;
  while (pos <= spec.size()) {
    size_t next = spec.find_first_of("x,", pos);
    if (next == std::string::npos) next = spec.size();
    int64_t v = -1;
    const char* b = spec.data() + pos;
    const char* e = spec.data() + next;
    auto res = std::from_chars(b, e, v);
    if (res.ec != std::errc() || res.ptr != e || v < 0) {
      throw Error("--input '" + text + "': dim '" + std::string(b, e) +
                  "' is not a non-negative integer");
    }
    dims.push_back(v);
    pos = next + 1;
  }
  return {text.substr(0, colon), dims};
}

std::pair<std::string, int64_t> ParseDimOption(const std::string& text) {
  const auto eq = text.find('=');
  int64_t v = -1;
  if (eq != std::string::npos && eq > 0) {
    const char* b = text.data() + eq + 1;
    const char* e = text.data() + text.size();
    auto res = std::from_chars(b, e, v);
    if (res.ec != std::errc() || res.ptr != e || b == e) v = -1;
  }
  if (eq == std::string::npos || eq == 0 || v < 0) {
    throw Error("--dim expects NAME=VALUE with a non-negative integer (e.g. batch=4), got '" +
                text + "'");
  }
  return {text.substr(0, eq), v};
}

Profile ProfileModel(const Model& m, const ProfileOptions& opt) {
  const Graph& g = m.graph;
  Profile p;
  p.model.path = m.path;
  p.model.producer = m.producer_name + (m.producer_version.empty() ? "" : " " + m.producer_version);
  p.model.ir_version = m.ir_version;
  p.model.opsets = m.opsets;
  p.model.node_count = static_cast<int64_t>(g.nodes.size());
  p.model.file_bytes = m.file_bytes;
  p.bindings = opt.dims;
  if (g.nodes.empty()) p.diagnostics.push_back({"", "graph has no nodes"});
  for (const std::string& note : m.notes) p.diagnostics.push_back({"", note});
  const bool default_domain_nodes =
      std::any_of(g.nodes.begin(), g.nodes.end(), [](const Node& n) { return n.domain.empty(); });
  if (m.opset("") == 0 && default_domain_nodes) {
    p.diagnostics.push_back({"", "model imports no default-domain opset; assuming the latest"});
  }
  const int64_t default_opset = m.opset("") ? m.opset("") : 21;

  Scope scope;
  auto& values = scope.values;
  values.reserve(g.initializers.size() + g.nodes.size() * 2 + g.inputs.size());
  std::unordered_map<std::string, int64_t> weight_elems;  // name -> elements, for attribution

  // Initializers: parameters and weight bytes, each name once.
  for (const TensorData& t : g.initializers) {
    if (values.count(t.name)) {
      p.diagnostics.push_back({"", "initializer '" + t.name + "' is defined twice; counted once"});
      continue;
    }
    values.emplace(t.name, StateOf(t));
    weight_elems[t.name] = t.elems;
    try {
      p.totals.params = CheckedAdd(p.totals.params, t.elems, "parameter count");
      if (t.stored_bytes) {  // sparse storage: what the file holds, not the dense size
        p.totals.weight_bytes = CheckedAdd(p.totals.weight_bytes, *t.stored_bytes, "weight bytes");
      } else if (DTypeBits(t.dtype) > 0) {
        p.totals.weight_bytes =
            CheckedAdd(p.totals.weight_bytes, DTypeBytes(t.dtype, t.elems), "weight bytes");
      }
    } catch (const Error& e) {
      throw Error("initializer '" + t.name + "': " + e.what());
    }
  }

  // Graph inputs (those not backed by an initializer), with user shapes and bindings.
  std::set<std::string> symbols;
  std::vector<std::string> input_names;
  for (const ValueInfo& vi : g.inputs) {
    if (values.count(vi.name)) continue;
    input_names.push_back(vi.name);
    CollectSymbols(vi.shape, symbols);
  }
  for (const auto& [name, dims] : opt.input_shapes) {
    if (std::find(input_names.begin(), input_names.end(), name) == input_names.end()) {
      std::string list;
      for (const auto& n : input_names) list += (list.empty() ? "" : ", ") + n;
      throw Error("--input: the model has no input named '" + name + "' (inputs: " + list + ")");
    }
  }
  for (const ValueInfo& vi : g.value_info) CollectSymbols(vi.shape, symbols);
  for (const ValueInfo& vi : g.outputs) CollectSymbols(vi.shape, symbols);
  // A --dim naming no symbol of the file may name a data-dependent dim ("<node>:n") that the
  // walk hands out; it is checked once the walk is done.
  std::set<std::string> data_dependent;
  for (const ValueInfo& vi : g.inputs) {
    if (values.count(vi.name)) continue;
    ValueState s;
    s.present = true;
    s.dtype = vi.dtype;
    s.shape = vi.shape;
    auto it = opt.input_shapes.find(vi.name);
    if (it != opt.input_shapes.end()) {
      if (vi.shape.rank_known && vi.shape.rank() != it->second.size()) {
        p.diagnostics.push_back({"", "--input " + vi.name + ": rank " +
                                         std::to_string(it->second.size()) +
                                         " differs from the file's " + vi.shape.ToString()});
      }
      s.shape = Shape::Known(it->second);
    }
    BindValue(s, opt.dims);
    std::set<std::string> unbound;
    CollectSymbols(s.shape, unbound);
    for (const auto& sym : unbound) {
      p.diagnostics.push_back({"", "input '" + vi.name + "' has unbound dim '" + sym +
                                       "': costs that depend on it are left out; bind it with "
                                       "--dim " +
                                       sym + "=N"});
    }
    p.model.inputs.push_back({vi.name, s.dtype, s.shape});
    values.emplace(vi.name, std::move(s));
  }

  const Annotations annotated = AnnotationsOf(g);

  std::unordered_map<std::string, size_t> producer;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    for (const auto& o : g.nodes[i].outputs) {
      if (o.empty()) continue;
      if (values.count(o) && !producer.count(o)) {
        throw Error("tensor '" + o + "' is both a graph input/initializer and the output of " +
                    g.nodes[i].Label());
      }
      auto [it, inserted] = producer.emplace(o, i);
      if (!inserted) {
        throw Error("tensor '" + o + "' is produced by two nodes: " + g.nodes[it->second].Label() +
                    " and " + g.nodes[i].Label());
      }
    }
  }
  std::vector<std::vector<std::string>> deps;
  const std::vector<size_t> order = TopologicalOrder(g, producer, deps);

  std::unordered_set<std::string> attributed;  // weights already counted on a node
  std::map<std::string, int64_t> unsupported;
  p.nodes.reserve(order.size());
  WalkSettings walk{&m, &opt.dims, &data_dependent, default_opset};
  for (size_t idx : order) {
    const Node& n = g.nodes[idx];
    NodeProfile np;
    np.name = n.name;
    np.op = n.op_type;
    np.domain = n.domain;
    NodeResult r = InferNode(walk, n, scope, annotated);
    const OpEntry* entry = r.entry;
    const Cost& cost = r.cost;
    const std::vector<const ValueState*>& ins = r.ins;
    std::vector<ValueState>& outs = r.outs;
    for (auto& d : r.diags) p.diagnostics.push_back({n.name.empty() ? n.Label() : n.name, d});

    np.has_formula = entry != nullptr;
    if (!entry) ++unsupported[OpKey(n)];
    np.macs = cost.macs;
    np.other_ops = cost.other_ops;
    np.conv = cost.conv;
    if (entry && !cost.macs) {
      std::set<std::string> unbound;
      for (const ValueState& o : outs) CollectSymbols(o.shape, unbound);
      for (const ValueState* in : ins) {
        if (in) CollectSymbols(in->shape, unbound);
      }
      std::string why = "cost unknown: ";
      if (!unbound.empty()) {
        why += "depends on unbound dim(s)";
        for (const auto& s : unbound) why += " '" + s + "'";
      } else {
        why += "input or output shape not inferred";
      }
      p.diagnostics.push_back({n.name.empty() ? n.Label() : n.name, why});
    }

    // Parameters: weights read by this node, attributed to their first reader.
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      const std::string& name = n.inputs[i];
      auto w = weight_elems.find(name);
      if (w != weight_elems.end() && attributed.insert(name).second) np.params += w->second;
    }

    // Bytes moved; a size that overflows int64 leaves them unknown and is reported here.
    std::string too_big;
    auto sum = [&](std::optional<int64_t> acc, std::optional<int64_t> b) {
      int64_t r;
      if (!acc || !b) return std::optional<int64_t>();
      if (__builtin_add_overflow(*acc, *b, &r)) {
        too_big = "byte count overflows 64-bit integer";
        return std::optional<int64_t>();
      }
      return std::optional<int64_t>(r);
    };
    std::optional<int64_t> rd = 0, wr = 0;
    for (const ValueState* in : ins) {
      if (in) rd = sum(rd, BytesOf(*in, &too_big));
    }
    const bool is_constant_node = n.domain.empty() && n.op_type == "Constant";
    for (size_t i = 0; i < outs.size(); ++i) {
      if (n.outputs[i].empty()) continue;
      wr = sum(wr, BytesOf(outs[i], &too_big));
      np.outputs.push_back({n.outputs[i], outs[i].dtype, outs[i].shape});
    }
    np.bytes_read = rd;
    np.bytes_written = wr;
    if (!too_big.empty()) {
      p.diagnostics.push_back({n.name.empty() ? n.Label() : n.name, "bytes unknown: " + too_big});
    }

    // Constant nodes: floating-point values are weights (paddle2onnx stores weights this way).
    for (size_t i = 0; i < outs.size(); ++i) {
      ValueState& o = outs[i];
      if (n.outputs[i].empty()) continue;
      if (is_constant_node) {
        o.is_constant = true;
        auto e = o.shape.elems();
        // Scalars (clip bounds, epsilons, scale factors) are hyperparameters, not weights.
        if (IsFloatDType(o.dtype) && e && *e > 1) {
          o.is_weight = true;
          {
            weight_elems[n.outputs[i]] = *e;
            p.totals.params = CheckedAdd(p.totals.params, *e, "parameter count");
            if (auto b = BytesOf(o)) {
              p.totals.weight_bytes = CheckedAdd(p.totals.weight_bytes, *b, "weight bytes");
            }
          }
        }
      }
      values[n.outputs[i]] = std::move(o);
    }
    p.nodes.push_back(std::move(np));
  }

  for (const auto& [name, value] : opt.dims) {
    if (!symbols.count(name) && !data_dependent.count(name)) {
      std::string list;
      for (const auto& sym : symbols) list += (list.empty() ? "" : ", ") + sym;
      for (const auto& sym : data_dependent) list += (list.empty() ? "" : ", ") + sym;
      throw Error("--dim: the model has no symbolic dim named '" + name + "'" +
                  (list.empty() ? " (it has none)" : " (symbols: " + list + ")"));
    }
    (void)value;
  }

  // Totals.
  for (const NodeProfile& np : p.nodes) {
    if (np.macs)
      p.totals.macs = CheckedAdd(p.totals.macs, *np.macs, "total MACs");
    else if (np.has_formula)
      ++p.totals.nodes_without_cost;
    if (np.other_ops) p.totals.other_ops = CheckedAdd(p.totals.other_ops, *np.other_ops, "ops");
  }
  p.totals.flops = CheckedAdd(CheckedMul(p.totals.macs, 2, "FLOPs"), p.totals.other_ops, "FLOPs");

  // Activation memory: every non-constant tensor produced by a node, plus graph inputs; peak of
  // the live set when tensors die after their last reader (graph outputs live to the end).
  std::unordered_map<std::string, size_t> last_use;
  for (size_t step = 0; step < order.size(); ++step) {
    for (const auto& name : deps[order[step]]) last_use[name] = step;
  }
  for (const ValueInfo& vi : g.outputs) last_use[vi.name] = std::numeric_limits<size_t>::max();
  int64_t live = 0, peak = 0;
  std::vector<std::vector<std::pair<std::string, int64_t>>> frees(order.size());
  auto track = [&](const std::string& name, size_t born) {
    auto it = values.find(name);
    if (it == values.end() || it->second.is_weight) return;
    auto b = BytesOf(it->second);
    if (!b) return;
    try {
      p.totals.activation_bytes = CheckedAdd(p.totals.activation_bytes, *b, "activation bytes");
      live = CheckedAdd(live, *b, "live bytes");
    } catch (const Error& e) {
      throw Error("tensor '" + name + "': " + e.what());
    }
    auto lu = last_use.find(name);
    const size_t die = lu == last_use.end() ? born : lu->second;
    if (die < order.size()) frees[die].push_back({name, *b});
  };
  for (const auto& name : input_names) track(name, 0);
  peak = live;
  for (size_t step = 0; step < order.size(); ++step) {
    const Node& n = g.nodes[order[step]];
    for (const auto& o : n.outputs) {
      if (!o.empty()) track(o, step);
    }
    peak = std::max(peak, live);
    for (const auto& [name, b] : frees[step]) live -= b;
  }
  p.totals.peak_activation_bytes = peak;

  for (const ValueInfo& vi : g.outputs) {
    auto it = values.find(vi.name);
    if (it != values.end())
      p.model.outputs.push_back({vi.name, it->second.dtype, it->second.shape});
    else
      p.model.outputs.push_back({vi.name, vi.dtype, vi.shape});
  }
  for (const auto& [op, count] : unsupported) p.unsupported.push_back({op, count});
  std::stable_sort(
      p.unsupported.begin(), p.unsupported.end(),
      [](const UnsupportedOp& a, const UnsupportedOp& b) { return a.count > b.count; });
  for (const auto& u : p.unsupported) {
    p.diagnostics.push_back({"", "no cost formula for op " + u.op + " (" + std::to_string(u.count) +
                                     " node(s)): their MACs and ops are not counted"});
  }
  return p;
}

}  // namespace tops
