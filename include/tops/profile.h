// Profile: the cost of one model, per node and in total, under the documented counting
// convention (docs/conventions.md). MACs, other arithmetic ops, parameters and bytes are kept
// in separate buckets; FLOPs = 2 * MACs + other ops. A node whose cost cannot be computed (an op
// without a cost formula, or a shape left unknown/symbolic) has no value instead of a zero, and
// is listed in `unsupported` or `diagnostics`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tops/graph.h"
#include "tops/quantized.h"

namespace tops {

struct ProfileOptions {
  // --input NAME:1x3x224x224 : full shape of a graph input (overrides the file's shape).
  std::map<std::string, std::vector<int64_t>> input_shapes;
  // --dim NAME=VALUE : binds a symbolic dim everywhere it appears.
  std::map<std::string, int64_t> dims;
  // --value NAME=1,2,3 : the values of a small graph input (a size, a threshold), so shape
  // arithmetic that reads them is evaluated at load time. One value for a scalar; the count
  // must match the input's shape (a 1-D input of unknown length takes the count given).
  std::map<std::string, std::vector<double>> input_values;
};

struct OutputInfo {
  std::string name;
  DType dtype = DType::kUndefined;
  Shape shape;
};

// Channel grouping of a convolution (Conv, ConvTranspose, QLinearConv, ConvInteger, FusedConv),
// taken from its `group` attribute and weight shape. Depthwise: group > 1 and one input channel
// per group.
struct ConvGeometry {
  int64_t group = 1;
  int64_t in_channels_per_group = 0;  // 0: weight shape unknown
  bool depthwise() const { return group > 1 && in_channels_per_group == 1; }
};

// Where a node sits in the model: the path of the graph holding it ("" for the main graph,
// "<control-flow node>/<attribute>" segments for bodies) and its position in that graph's node
// list (Graph::nodes). Analyses reach a node's graph entry through this, never by its name.
struct NodeId {
  std::string path;
  size_t index = 0;
};

struct NodeProfile {
  NodeId id;
  std::string name;
  std::string op;
  std::string domain;
  std::vector<OutputInfo> outputs;
  int64_t params = 0;                // elements of weights this node reads (first use only)
  std::optional<int64_t> macs;       // multiply-accumulates
  std::optional<int64_t> other_ops;  // non-MAC arithmetic (bias, elementwise, norm, ...)
  std::optional<int64_t> flops() const {
    if (!macs || !other_ops) return std::nullopt;
    int64_t f;  // a node with MACs near 2^62 must read as unknown, not wrap
    if (__builtin_mul_overflow(*macs, 2, &f) || __builtin_add_overflow(f, *other_ops, &f)) {
      return std::nullopt;
    }
    return f;
  }
  std::optional<int64_t> bytes_read;     // all inputs, weights included
  std::optional<int64_t> bytes_written;  // all outputs
  bool has_formula = false;              // false: op has no cost formula (listed in unsupported)
  // Every output was computed from known values (constants, fixed shapes): a deployment
  // compiler folds the node away, so it costs nothing at run time.
  bool folded = false;
  std::optional<ConvGeometry> conv;  // set for convolutions only
};

struct Totals {
  int64_t params = 0;
  int64_t macs = 0;
  int64_t other_ops = 0;
  int64_t flops = 0;
  int64_t weight_bytes = 0;
  int64_t activation_bytes = 0;
  int64_t peak_activation_bytes = 0;
  int64_t nodes_without_cost = 0;  // nodes whose MACs could not be computed (not in the sums)
};

struct UnsupportedOp {
  std::string op;  // "Domain::Op" for a non-default domain
  int64_t count = 0;
};

enum class DiagnosticKind {
  kOther,
  kUnboundDim,  // a graph input has a symbolic dim no binding fixes (`subject`: the dim)
  // The first place a shape was lost (`node`: where; empty for a graph input without a shape):
  // the message says why; `nodes` counts the nodes downstream it leaves unknown; `resolve` is
  // the option that would fix it, when one would.
  kShapeLost,
  // A size known only at run time (NonZero's count, NMS's boxes: `subject`, "<node>:n") that
  // costs wait on; `nodes` counts them; --dim binds it.
  kDataDependentDim,
};

struct Diagnostic {
  Diagnostic() = default;
  Diagnostic(std::string n, std::string m, DiagnosticKind k = DiagnosticKind::kOther,
             std::string s = "")
      : node(std::move(n)), message(std::move(m)), kind(k), subject(std::move(s)) {}

  std::string node;  // empty for graph-level messages
  std::string message;
  DiagnosticKind kind = DiagnosticKind::kOther;
  std::string subject;  // what the kind is about (the dim's name)
  int64_t nodes = 0;    // how many nodes it concerns (kinds above say which)
  std::string resolve;  // "--value NAME=...", "--dim NAME=N" or "--input NAME:DxD", when one would
};

struct ModelSummary {
  std::string format;  // "onnx", ... (the reader that read it)
  std::string path;
  std::string producer;  // "pytorch 1.13.0"
  int64_t ir_version = 0;
  std::vector<OpsetImport> opsets;
  int64_t node_count = 0;
  uint64_t file_bytes = 0;
  std::vector<OutputInfo> inputs;   // graph inputs after binding
  std::vector<OutputInfo> outputs;  // graph outputs after inference
};

// How much of the graph has a cost formula.
struct Coverage {
  int64_t nodes = 0;
  int64_t costed = 0;    // nodes whose op has a cost formula
  double percent = 100;  // 100 * costed / nodes; 100 for an empty graph
};

struct Profile {
  ModelSummary model;
  std::map<std::string, int64_t> bindings;  // symbolic dims bound by the user
  Totals totals;
  std::vector<NodeProfile> nodes;  // topological order
  std::vector<UnsupportedOp> unsupported;
  Coverage coverage;  // of nodes and unsupported (CostCoverage)
  std::vector<Diagnostic> diagnostics;
  QuantInfo quant;  // the precision the graph fixes, if any, and why
};

// One line per bucket stating what is counted; printed by every writer.
const std::vector<std::string>& CountingConventions();

// Shape inference + cost over the whole graph. Throws tops::Error for bad options (unknown
// input name, bad shape) and for graphs that cannot be walked (cycles); per-node problems
// become diagnostics.
Profile ProfileModel(const Model& model, const ProfileOptions& options = {});

// Policy shared by every analysis of a workload (require, fit, rank, whatif, compare, report):
// when the first graph input leads with a named symbol (PyTorch's dynamic batch), it is
// profiled at batch 1 unless the options bind that symbol or give that input's shape.
struct BatchBinding {
  ProfileOptions options;             // the given options, plus the binding when one was made
  std::optional<std::string> symbol;  // the batch symbol, unless the input's shape was given
  std::string note;                   // says so when the binding was made here
};
BatchBinding BindBatch(const Model& model, ProfileOptions options);

// Parses "NAME:1x3x224x224" and "NAME=VALUE" option strings; throws tops::Error.
std::pair<std::string, std::vector<int64_t>> ParseInputShapeOption(const std::string& text);
std::pair<std::string, int64_t> ParseDimOption(const std::string& text);
// "NAME=1,2,3" (--value): numbers, integers exactly up to 2^53.
std::pair<std::string, std::vector<double>> ParseValueOption(const std::string& text);

// --sweep NAME=V1,V2,... : one profile per value of the symbolic dim NAME (the other options
// apply to every point). Throws tops::Error for a bad option or an unknown dim.
struct SweepPoint {
  int64_t value = 0;
  Profile profile;
};
struct Sweep {
  std::string dim;
  std::vector<SweepPoint> points;
};
std::pair<std::string, std::vector<int64_t>> ParseSweepOption(const std::string& text);
Sweep ProfileSweep(const Model& model, const ProfileOptions& options, const std::string& dim,
                   const std::vector<int64_t>& values);

}  // namespace tops

namespace tops {

// Per-op-type aggregate (--group-by op).
struct OpGroup {
  std::string op;
  int64_t count = 0;
  int64_t params = 0;
  int64_t macs = 0;
  int64_t flops = 0;
  int64_t nodes_without_cost = 0;
};
// Sorted by MACs, then FLOPs, descending.
std::vector<OpGroup> GroupByOp(const Profile& p);
// Indices into p.nodes of the n heaviest nodes (by MACs, then FLOPs), heaviest first.
std::vector<size_t> HeaviestNodes(const Profile& p, size_t n);

// Share of the model's MACs in `macs` (a node's, an op group's), in percent: 100 * macs /
// total. Nullopt when the count is unknown or the model has no MACs.
std::optional<double> MacsPercent(const std::optional<int64_t>& macs, const Totals& totals);

// How much of the graph has a cost formula (Profile::coverage).
Coverage CostCoverage(const Profile& p);

}  // namespace tops
