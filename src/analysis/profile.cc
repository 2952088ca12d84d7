// The profile pass: bind inputs, walk the graph in topological order running each op's shape
// and cost functions from the registry, then account parameters, bytes and activation memory.
#include "tops/profile.h"

#include <algorithm>
#include <charconv>
#include <cmath>
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

std::pair<std::string, std::vector<double>> ParseValueOption(const std::string& text) {
  const auto eq = text.find('=');
  const std::string usage =
      "a value is NAME=V1,V2,... with numbers (e.g. size=800,1333 or threshold=0.5), not '" + text +
      "'";
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) throw Error(usage);
  std::vector<double> values;
  size_t pos = eq + 1;
  while (pos <= text.size()) {
    size_t next = text.find(',', pos);
    if (next == std::string::npos) next = text.size();
    const char* b = text.data() + pos;
    const char* e = text.data() + next;
    int64_t i = 0;
    double d = 0;
    if (auto r = std::from_chars(b, e, i); r.ec == std::errc() && r.ptr == e) {
      if (i > (int64_t{1} << 53) || i < -(int64_t{1} << 53)) {
        throw Error("value '" + std::string(b, e) + "' in '" + text +
                    "' is too large to be held exactly (at most 2^53)");
      }
      d = static_cast<double>(i);
    } else if (auto f = std::from_chars(b, e, d); f.ec != std::errc() || f.ptr != e || b == e) {
      throw Error(usage);
    }
    values.push_back(d);
    pos = next + 1;
  }
  if (static_cast<int64_t>(values.size()) > kMaxEvalElems) {
    throw Error("'" + text.substr(0, eq) + "': at most " + std::to_string(kMaxEvalElems) +
                " values can be given");
  }
  return {text.substr(0, eq), values};
}

namespace {

// Gives graph input `name` the values of --value: its shape comes from the count where the
// file leaves it open (a scalar takes one value, a 1-D input any number).
void SetInputValue(ValueState& s, const std::string& name, const std::vector<double>& values) {
  const std::string where = "--value " + name + ": ";
  if (!Evaluable(s.dtype)) {
    throw Error(where + "the input's type " + std::string(DTypeName(s.dtype)) +
                " cannot take values (numbers of a bool, integer or float type only)");
  }
  const int64_t n = static_cast<int64_t>(values.size());
  if (s.shape.fully_known()) {
    if (s.shape.elems() != n) {
      throw Error(where + std::to_string(n) + " value(s) given for shape " + s.shape.ToString() +
                  " (" + std::to_string(*s.shape.elems()) + " elements)");
    }
  } else if (!s.shape.rank_known || s.shape.rank() == 1) {
    s.shape = Shape::Known({n});
  } else {
    throw Error(where + "the input's shape " + s.shape.ToString() +
                " is not fully known: give it with --input " + name + ":DxD...");
  }
  if (IsFloatDType(s.dtype)) {
    s.has_floats = true;
    for (double v : values) s.floats.push_back(RoundToDType(s.dtype, v));
  } else {
    s.has_ints = true;
    for (double v : values) {
      if (v != std::trunc(v)) {
        throw Error(where + "the input is " + std::string(DTypeName(s.dtype)) + ", but " +
                    std::to_string(v) + " is not an integer");
      }
      s.ints.push_back(SymInt::Of(WrapToDType(s.dtype, static_cast<int64_t>(v))));
    }
  }
  s.is_constant = true;
}

std::string Nodes(int64_t n) { return std::to_string(n) + (n == 1 ? " node" : " nodes"); }

}  // namespace

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
  WalkRecord record;
  const WalkSettings settings{&m, &opt.dims, &data_dependent,
                              m.opset("") ? m.opset("") : kLatestOpset, &record};
  GraphWalker walker(settings, g, "", nullptr);

  // Graph inputs (those not backed by an initializer), with user shapes and bindings.
  std::set<std::string> symbols;
  std::map<std::string, std::string> input_symbols;  // unbound dim -> first input holding it
  std::vector<std::string> input_names;
  for (const ValueInfo& vi : g.inputs) {
    if (walker.IsInitializer(vi.name)) continue;
    input_names.push_back(vi.name);
    CollectSymbols(vi.shape, symbols);
  }
  auto check_input = [&](const std::string& name, const char* what) {
    if (std::find(input_names.begin(), input_names.end(), name) == input_names.end()) {
      std::string list;
      for (const auto& n : input_names) list += (list.empty() ? "" : ", ") + n;
      throw Error(std::string(what) + " for '" + name +
                  "': the model has no input of that name (inputs: " + list + ")");
    }
  };
  for (const auto& [name, dims] : opt.input_shapes) check_input(name, "input shape");
  for (const auto& [name, values] : opt.input_values) check_input(name, "input value");
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
    if (auto v = opt.input_values.find(vi.name); v != opt.input_values.end()) {
      SetInputValue(s, vi.name, v->second);
    }
    std::set<std::string> unbound;
    CollectSymbols(s.shape, unbound);
    for (const auto& sym : unbound) {
      if (!input_symbols.count(sym)) input_symbols[sym] = vi.name;
    }
    p.model.inputs.push_back({vi.name, s.dtype, s.shape});
    std::string dims_hint;
    for (const Dim& d : s.shape.dims) {
      dims_hint += (dims_hint.empty() ? "" : "x") + (d.known() ? std::to_string(d.value) : "D");
    }
    walker.BindInput(vi.name, std::move(s),
                     "--input " + vi.name + ":" + (dims_hint.empty() ? "DxD..." : dims_hint));
  }

  GraphWalk walk = walker.Run();

  // Unbound dims of the inputs, then where shapes were lost, then per-node messages.
  for (const auto& [sym, input] : input_symbols) {
    const int64_t waiting = record.waiting_on.count(sym) ? record.waiting_on.at(sym) : 0;
    Diagnostic d{"",
                 "input '" + input + "' has unbound dim '" + sym + "': the costs of " +
                     Nodes(waiting) + " that depend on it are left out; bind it with --dim " + sym +
                     "=N",
                 DiagnosticKind::kUnboundDim, sym};
    d.nodes = waiting;
    d.resolve = "--dim " + sym + "=N";
    p.diagnostics.push_back(std::move(d));
  }
  for (const auto& [sym, waiting] : record.waiting_on) {
    if (input_symbols.count(sym)) continue;
    Diagnostic d;
    d.subject = sym;
    d.nodes = waiting;
    d.resolve = "--dim " + sym + "=N";
    if (data_dependent.count(sym)) {
      d.kind = DiagnosticKind::kDataDependentDim;
      d.message = "'" + sym + "' is a size known only at run time (an output of node '" +
                  sym.substr(0, sym.rfind(':')) + "'): the costs of " + Nodes(waiting) +
                  " that depend on it are left out; bind it with --dim " + sym + "=N";
    } else {
      d.kind = DiagnosticKind::kUnboundDim;
      d.message =
          "dim '" + sym + "' (from the file's shape annotations) is unbound: the costs of " +
          Nodes(waiting) + " that depend on it are left out; bind it with --dim " + sym + "=N";
    }
    p.diagnostics.push_back(std::move(d));
  }
  for (const ShapeLoss& l : record.losses) {
    Diagnostic d;
    d.node = l.node;
    d.kind = DiagnosticKind::kShapeLost;
    d.subject = l.node;
    d.nodes = l.affected;
    d.resolve = l.resolve;
    d.message = l.reason;
    if (l.affected > 0) d.message += "; " + Nodes(l.affected) + " downstream left unknown";
    if (l.costs_unknown > 0) d.message += " (" + Nodes(l.costs_unknown) + " without a cost)";
    if (!l.resolve.empty()) d.message += "; resolve with " + l.resolve;
    p.diagnostics.push_back(std::move(d));
  }
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
  p.coverage = CostCoverage(p);
  return p;
}

}  // namespace tops
