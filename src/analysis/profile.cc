// The profile pass: bind inputs, walk the graph in topological order running each op's shape
// and cost functions from the registry, then account parameters, bytes and activation memory.
#include "tops/profile.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "analysis/walk.h"
#include "core/checked.h"
#include "ops/registry.h"
#include "tops/error.h"

namespace tops {
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
    throw Error("an input shape is NAME:DxDxD (e.g. input:1x3x224x224), not '" + text + "'");
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
      throw Error("input shape '" + text + "': dim '" + std::string(b, e) +
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
    throw Error("a dim binding is NAME=VALUE with a non-negative integer (e.g. batch=4), not '" +
                text + "'");
  }
  return {text.substr(0, eq), v};
}

BatchBinding BindBatch(const Model& model, ProfileOptions options) {
  BatchBinding b;
  std::set<std::string> inits;
  for (const TensorData& t : model.graph.initializers) inits.insert(t.name);
  for (const ValueInfo& vi : model.graph.inputs) {
    if (inits.count(vi.name)) continue;
    const bool symbolic =
        vi.shape.rank_known && vi.shape.rank() >= 1 && vi.shape.dims[0].symbolic();
    if (symbolic && !options.input_shapes.count(vi.name)) {
      const std::string& sym = vi.shape.dims[0].symbol;
      b.symbol = sym;
      if (!options.dims.count(sym)) {
        options.dims[sym] = 1;
        b.note = "symbolic batch dim '" + sym + "' bound to 1 for the baseline";
      }
    }
    break;  // the first graph input carries the batch
  }
  b.options = std::move(options);
  return b;
}

Profile ProfileModel(const Model& m, const ProfileOptions& opt) {
  const Graph& g = m.graph;
  Profile p;
  p.model.path = m.path;
  p.model.format = m.format;
  p.model.producer = m.producer_name + (m.producer_version.empty() ? "" : " " + m.producer_version);
  p.model.ir_version = m.ir_version;
  p.model.opsets = m.opsets;
  p.model.node_count = static_cast<int64_t>(g.nodes.size());
  p.model.file_bytes = m.file_bytes;
  p.bindings = opt.dims;
  p.quant = DetectQuantization(m);
  if (g.nodes.empty()) p.diagnostics.push_back({"", "graph has no nodes"});
  for (const std::string& note : m.notes) p.diagnostics.push_back({"", note});
  const bool default_domain_nodes =
      std::any_of(g.nodes.begin(), g.nodes.end(), [](const Node& n) { return n.domain.empty(); });
  if (m.opset("") == 0 && default_domain_nodes) {
    p.diagnostics.push_back({"", "model imports no default-domain opset; assuming the latest"});
  }
  // A --dim naming no symbol of the file may name a data-dependent dim ("<node>:n") that the
  // walk hands out; it is checked once the walk is done.
  std::set<std::string> data_dependent;
  const WalkSettings settings{&m, &opt.dims, &data_dependent,
                              m.opset("") ? m.opset("") : kLatestOpset};
  GraphWalker walker(settings, g, "", nullptr);

  // Graph inputs (those not backed by an initializer), with user shapes and bindings.
  std::set<std::string> symbols;
  std::vector<std::string> input_names;
  for (const ValueInfo& vi : g.inputs) {
    if (walker.IsInitializer(vi.name)) continue;
    input_names.push_back(vi.name);
    CollectSymbols(vi.shape, symbols);
  }
  for (const auto& [name, dims] : opt.input_shapes) {
    if (std::find(input_names.begin(), input_names.end(), name) == input_names.end()) {
      std::string list;
      for (const auto& n : input_names) list += (list.empty() ? "" : ", ") + n;
      throw Error("input shape for '" + name +
                  "': the model has no input of that name (inputs: " + list + ")");
    }
  }
  for (const ValueInfo& vi : g.value_info) CollectSymbols(vi.shape, symbols);
  for (const ValueInfo& vi : g.outputs) CollectSymbols(vi.shape, symbols);
  for (const ValueInfo& vi : g.inputs) {
    if (walker.IsInitializer(vi.name)) continue;
    ValueState s;
    s.present = true;
    s.dtype = vi.dtype;
    s.shape = vi.shape;
    auto it = opt.input_shapes.find(vi.name);
    if (it != opt.input_shapes.end()) {
      if (vi.shape.rank_known && vi.shape.rank() != it->second.size()) {
        p.diagnostics.push_back({"", "input " + vi.name + ": given rank " +
                                         std::to_string(it->second.size()) +
                                         " differs from the file's " + vi.shape.ToString()});
      }
      s.shape = Shape::Known(it->second);
    }
    BindValue(s, opt.dims);
    std::set<std::string> unbound;
    CollectSymbols(s.shape, unbound);
    for (const auto& sym : unbound) {
      p.diagnostics.push_back({"",
                               "input '" + vi.name + "' has unbound dim '" + sym +
                                   "': costs that depend on it are left out; bind it with "
                                   "--dim " +
                                   sym + "=N",
                               DiagnosticKind::kUnboundDim, sym});
    }
    p.model.inputs.push_back({vi.name, s.dtype, s.shape});
    walker.BindInput(vi.name, std::move(s));
  }

  GraphWalk walk = walker.Run();
  for (WalkDiagnostic& d : walk.diagnostics) {
    std::string node;
    if (d.node) node = d.node->name.empty() ? d.node->Label() : d.node->name;
    p.diagnostics.push_back({std::move(node), std::move(d.message)});
  }
  p.nodes = std::move(walk.nodes);

  for (const auto& [name, value] : opt.dims) {
    if (!symbols.count(name) && !data_dependent.count(name)) {
      std::string list;
      for (const auto& sym : symbols) list += (list.empty() ? "" : ", ") + sym;
      for (const auto& sym : data_dependent) list += (list.empty() ? "" : ", ") + sym;
      throw Error("the model has no symbolic dim named '" + name + "'" +
                  (list.empty() ? " (it has none)" : " (symbols: " + list + ")"));
    }
    (void)value;
  }

  // Totals: the walk counted parameters, bytes and activations; MACs and ops are the nodes'.
  p.totals = walk.totals;
  for (const NodeProfile& np : p.nodes) {
    if (np.macs)
      p.totals.macs = CheckedAdd(p.totals.macs, *np.macs, "total MACs");
    else if (np.has_formula)
      ++p.totals.nodes_without_cost;
    if (np.other_ops) p.totals.other_ops = CheckedAdd(p.totals.other_ops, *np.other_ops, "ops");
  }
  p.totals.flops = CheckedAdd(CheckedMul(p.totals.macs, 2, "FLOPs"), p.totals.other_ops, "FLOPs");

  for (const ValueInfo& vi : g.outputs) {
    const ValueState* v = walker.scope().Find(vi.name);
    if (v)
      p.model.outputs.push_back({vi.name, v->dtype, v->shape});
    else
      p.model.outputs.push_back({vi.name, vi.dtype, vi.shape});
  }
  for (const auto& [op, count] : walk.unsupported) p.unsupported.push_back({op, count});
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
