// The op registry: one entry per ONNX op type, holding its shape function, its cost function
// and a one-line formula (printed by docs/ops.md and `tops ops`). Each op family registers its
// entries from its own file (conv.cc, matmul.cc, ...); the explicit family list is in
// registry.cc so a test can count what is registered.
//
// Shape functions degrade instead of failing: when an input they need is unknown they return
// leaving outputs unknown; problems go to ctx.Diag() and the walk goes on.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ops/value.h"
#include "tops/graph.h"
#include "tops/profile.h"

namespace tops {

// The newest default-domain opset the shape and cost functions follow; a model that imports none
// is read as this one.
inline constexpr int64_t kLatestOpset = 21;

// What inference knows about one tensor.
struct ValueState {
  bool present = false;  // false: never produced / unknown name
  DType dtype = DType::kUndefined;
  Shape shape;
  // Constant-folded contents (small integer tensors exactly; small float tensors as double).
  bool has_ints = false;
  std::vector<SymInt> ints;
  bool has_floats = false;
  std::vector<double> floats;
  bool is_weight = false;    // initializer, or output of a Constant node
  bool is_constant = false;  // value known at load time (weight or folded constant)
  // Provenance for diagnostics: the entry of the walk's loss table (analysis/walk.h) that left
  // this tensor's shape unknown, or -1.
  int shape_loss = -1;

  // Every element known or symbolic, at most kMaxEvalElems of them, and the shape fully known:
  // what partial evaluation can compute on.
  bool has_value() const;
};

struct Cost {
  Cost() = default;
  Cost(std::optional<int64_t> m, std::optional<int64_t> o,
       std::optional<ConvGeometry> c = std::nullopt)
      : macs(m), other_ops(o), conv(c) {}
  std::optional<int64_t> macs;
  std::optional<int64_t> other_ops;
  std::optional<ConvGeometry> conv;  // convolutions: channel grouping (depthwise or not)
  static Cost Zero() { return Cost{0, 0}; }
  static Cost Unknown() { return Cost{}; }
};

// What walking a subgraph (If branch, Loop/Scan body) gives back: the states of its outputs
// and the summed cost of its nodes (unknown when any node's cost is unknown).
struct SubgraphResult {
  std::vector<ValueState> outputs;
  Cost cost;
};
// Supplied by the graph walker: walks `g` with `inputs` bound to its formal inputs, resolving
// other names in the enclosing scopes of the node being inferred.
using SubgraphRunner =
    std::function<SubgraphResult(const Graph& g, const std::vector<ValueState>& inputs)>;

class OpContext {
 public:
  // `inputs` (nullptr for an omitted optional input) must outlive the context.
  OpContext(const Node& node, int64_t opset, const std::vector<const ValueState*>& inputs,
            std::vector<ValueState>* outputs, std::vector<std::string>* diagnostics)
      : node_(node), opset_(opset), inputs_(inputs), outputs_(outputs), diagnostics_(diagnostics) {}

  const Node& node() const { return node_; }
  int64_t opset() const { return opset_; }

  size_t num_inputs() const { return inputs_.size(); }
  size_t num_outputs() const { return outputs_->size(); }
  // Input i if given (optional inputs may be absent: nullptr).
  const ValueState* input(size_t i) const {
    return i < inputs_.size() && inputs_[i] && inputs_[i]->present ? inputs_[i] : nullptr;
  }
  const Shape* input_shape(size_t i) const {
    const ValueState* v = input(i);
    return v && v->shape.rank_known ? &v->shape : nullptr;
  }
  DType input_dtype(size_t i) const {
    const ValueState* v = input(i);
    return v ? v->dtype : DType::kUndefined;
  }
  // Constant integer contents of input i, if folded and all known.
  std::optional<std::vector<int64_t>> input_ints(size_t i) const;
  // Constant integer contents, possibly symbolic.
  const std::vector<SymInt>* input_symints(size_t i) const {
    const ValueState* v = input(i);
    return v && v->has_ints ? &v->ints : nullptr;
  }
  std::optional<std::vector<double>> input_floats(size_t i) const;

  ValueState& output(size_t i) { return (*outputs_)[i]; }
  const ValueState& output(size_t i) const { return (*outputs_)[i]; }
  void SetOutput(size_t i, DType dtype, Shape shape) {
    if (i >= outputs_->size()) return;
    (*outputs_)[i].present = true;
    (*outputs_)[i].dtype = dtype;
    (*outputs_)[i].shape = std::move(shape);
  }
  // Output i with known integer contents (shape is [n], or a scalar when scalar is true).
  void SetOutputInts(size_t i, DType dtype, std::vector<SymInt> values, bool scalar = false);
  void SetOutputInts(size_t i, DType dtype, Shape shape, std::vector<SymInt> values);

  void Diag(std::string message) const { diagnostics_->push_back(std::move(message)); }

  // Partial evaluation. The walker calls an op's evaluator only when every given input has a
  // value (ValueState::has_value); input_value(i) is then non-null for each input present. An
  // evaluator sets every output with SetOutputValue and returns true, or returns Refuse(why).
  const Value* input_value(size_t i) const {
    return input_values_ && i < input_values_->size() && (*input_values_)[i] ? &*(*input_values_)[i]
                                                                             : nullptr;
  }
  void SetOutputValue(size_t i, Value v);
  bool Refuse(std::string why) {
    eval_note_ = std::move(why);
    return false;
  }
  const std::string& eval_note() const { return eval_note_; }
  void set_input_values(const std::vector<std::optional<Value>>* v) { input_values_ = v; }

  // Subgraph support (If/Loop/Scan): the walker installs a runner; the shape function stores
  // the cost it derived from the bodies so the cost function can report it.
  void set_subgraph_runner(const SubgraphRunner* runner) { runner_ = runner; }
  const SubgraphRunner* subgraph_runner() const { return runner_; }
  void set_subgraph_cost(Cost c) { subgraph_cost_ = c; }
  const std::optional<Cost>& subgraph_cost() const { return subgraph_cost_; }

  // A named symbolic dim for a size known only at run time (NonZero's count, TopK's runtime k):
  // "<node name>:<what>", or "<first output>:<what>" for an unnamed node. `--dim` binds it.
  // A value the user bound with `--dim` is returned as a known dim.
  Dim DataDependentDim(std::string_view what) const;
  // Installed by the walker: the user's --dim bindings, and the set that records every
  // data-dependent symbol handed out (so `--dim` can accept them).
  void set_bindings(const std::map<std::string, int64_t>* dims, std::set<std::string>* seen) {
    bindings_ = dims;
    seen_symbols_ = seen;
  }

 private:
  const Node& node_;
  int64_t opset_;
  const std::vector<const ValueState*>& inputs_;
  std::vector<ValueState>* outputs_;
  std::vector<std::string>* diagnostics_;
  const SubgraphRunner* runner_ = nullptr;
  const std::map<std::string, int64_t>* bindings_ = nullptr;
  std::set<std::string>* seen_symbols_ = nullptr;
  std::optional<Cost> subgraph_cost_;
  const std::vector<std::optional<Value>>* input_values_ = nullptr;
  std::string eval_note_;
};

using ShapeFn = std::function<void(OpContext&)>;
using CostFn = std::function<Cost(const OpContext&)>;
// Computes the op's outputs from known inputs with the operator's reference semantics (see
// OpContext: true when every output was set, else Refuse(why)).
using EvalFn = std::function<bool(OpContext&)>;

// What an input of an op is for. Analyses that transform or classify a graph (pruning, sparsity,
// quantisation detection) ask these instead of keeping their own tables of input positions.
enum class Operand : uint8_t {
  kData,       // an activation (or a weight where the op takes either, e.g. MatMul's A)
  kWeight,     // the multiplied operand of a MAC layer (a weight when it is a constant)
  kBias,       // added per output channel
  kScale,      // quantisation scale
  kZeroPoint,  // quantisation zero point: its integer type is the quantised type
  kParam,      // read as values (shape, axes, pads, indices, sizes), not computed on
};

// Which axis of the op's data tensors holds channels (features).
enum class Layout : uint8_t {
  kAny,            // layout-agnostic (elementwise, Concat: the axis comes with the tensor)
  kChannelsFirst,  // NCHW...: axis 1 (ONNX Conv, pooling, normalisation over C)
  kChannelsLast,   // N...C: the last axis (Gemm / MatMul features, NHWC formats)
};

// The op's part in quantisation.
enum class QuantRole : uint8_t {
  kNone,
  kQuantize,    // float -> integer (QuantizeLinear)
  kDequantize,  // integer -> float (DequantizeLinear)
  kInteger,     // computes on integers (QLinearConv, MatMulInteger, ...)
};

struct OpTraits {
  std::vector<Operand> operands;  // by input position; positions past the end are kData
  Layout layout = Layout::kAny;
  bool grouped = false;  // a `group` attribute splits the channels (convolutions)
  QuantRole quant = QuantRole::kNone;
  // The output is a load-time constant whenever the inputs are (an op without inputs, such as
  // Constant, always yields one): its float outputs are weights.
  bool folds_to_constant = false;
  // Joins its data inputs along the axis named by its `axis` attribute (Concat).
  bool joins_on_axis = false;
  // Its output values describe the input's shape, not its elements (Shape, Size).
  bool value_from_shape = false;

  Operand operand(size_t i) const { return i < operands.size() ? operands[i] : Operand::kData; }
  // First input with this role, or -1.
  int find(Operand role) const;
  bool mac_layer() const { return find(Operand::kWeight) >= 0; }
};

struct OpEntry {
  std::string domain;  // "" = default ONNX domain
  std::string op;
  std::string family;   // "conv", "matmul", ... (the file it lives in)
  std::string formula;  // one line, e.g. "MACs = out_elems * Cin/group * prod(kernel)"
  ShapeFn shape;
  CostFn cost;
  OpTraits traits = {};
  EvalFn eval = nullptr;  // value evaluator, for ops that appear in shape arithmetic
};

class Registry {
 public:
  static const Registry& Get();
  const OpEntry* Find(std::string_view domain, std::string_view op) const;
  const std::vector<OpEntry>& entries() const { return entries_; }
  void Add(OpEntry e);
  // Attaches a value evaluator to a registered op (throws when the op is not registered).
  void SetEvaluator(std::string_view domain, std::string_view op, EvalFn eval);
  // Entry of a registered op, for registration code that builds on another entry.
  OpEntry* FindMutable(std::string_view domain, std::string_view op);
  void Add(OpEntry e, OpTraits traits) {
    e.traits = std::move(traits);
    Add(std::move(e));
  }

 private:
  // "domain\0op" -> index in entries_; looked up with a string_view, no string built.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view k) const { return std::hash<std::string_view>{}(k); }
  };
  std::vector<OpEntry> entries_;
  std::unordered_map<std::string, size_t, KeyHash, std::equal_to<>> index_;
  friend Registry BuildRegistry();
};

// Traits of an op whose inputs at `positions` are read as values (kParam: shapes, axes, pads,
// sizes, k) and whose other inputs are data.
OpTraits ParamInputs(std::initializer_list<size_t> positions);

// Traits of the common MAC layers, shared by the families that register variants of them.
OpTraits ConvTraits();    // X, W, B; channels first, grouped
OpTraits MatMulTraits();  // A, B; features last
OpTraits GemmTraits();    // A, B, C

// Family registration functions (one per file in src/ops/).
void RegisterConvOps(Registry& r);
void RegisterMatMulOps(Registry& r);
void RegisterElementwiseOps(Registry& r);
void RegisterNormalizationOps(Registry& r);
void RegisterPoolingOps(Registry& r);
void RegisterReductionOps(Registry& r);
void RegisterTensorOps(Registry& r);
void RegisterIndexingOps(Registry& r);      // gather/scatter, one-hot, layout permutations
void RegisterMathOps(Registry& r);          // cumulative, signal, random, losses, Det
void RegisterRnnOps(Registry& r);           // LSTM, GRU, RNN
void RegisterQuantizationOps(Registry& r);  // Q/DQ, QLinear*, *Integer
void RegisterControlFlowOps(Registry& r);   // If, Loop, Scan
void RegisterDetectionOps(Registry& r);     // data-dependent outputs, RoI ops
void RegisterResizeOps(Registry& r);        // Resize, Upsample, GridSample
void RegisterMicrosoftOps(Registry& r);     // com.microsoft contrib ops
void RegisterDecoderOps(Registry& r);       // LLM decoder contrib ops (attention, 4-bit MatMul)
void RegisterTfliteOps(Registry& r);        // domain "tflite": TFLite builtins (tflite_*.cc)
// Value evaluators (partial evaluation), attached to the entries registered above.
void RegisterElementwiseEvaluators(Registry& r);  // arithmetic, comparisons, Cast, Where, Clip
void RegisterTensorEvaluators(Registry& r);       // reshapes, Concat, Split, Slice, Pad, Range...
void RegisterIndexingEvaluators(Registry& r);     // Gather*, Scatter*, NonZero, TopK, OneHot...
void RegisterReductionEvaluators(Registry& r);    // Reduce*, ArgMax / ArgMin, CumSum

// ---- Helpers shared by the families ----

// Multidirectional (numpy) broadcast of two shapes; nullopt when incompatible.
std::optional<Shape> BroadcastShapes(const Shape& a, const Shape& b);
// Elements of output i when fully known.
std::optional<int64_t> OutputElems(const OpContext& ctx, size_t i = 0);
std::optional<int64_t> InputElems(const OpContext& ctx, size_t i);
// Normalises a possibly negative axis against rank; nullopt when out of range.
std::optional<int64_t> NormalizeAxis(int64_t axis, int64_t rank);
// Output 0 takes input 0's dtype and shape (unary math, activations, normalisations).
void SameShapeAsInput(OpContext& ctx);
// Cost of ops that only move or reinterpret data: zero arithmetic (their bytes still count).
Cost ZeroCost(const OpContext& ctx);
// Cost = per_elem * output elements (in the "other ops" bucket).
Cost PerOutputElement(const OpContext& ctx, int64_t per_elem);
// Cost = per_elem * elements of input 0.
Cost PerInputElement(const OpContext& ctx, int64_t per_elem);

}  // namespace tops

namespace tops {

// One spatial output size of a sliding window (ONNX Conv / pooling arithmetic, shared with
// the NHWC formats): with `same` (auto_pad SAME_*, TFLite SAME) ceil(in / stride); otherwise
// (in + pads - dilated kernel) / stride + 1, rounded up with ceil_mode. An unknown `in` or a
// non-positive parameter gives an unknown dim; a window larger than the padded input gives
// nullopt and a diagnostic naming `axis`.
struct WindowParams {
  int64_t kernel = 1;
  int64_t stride = 1;
  int64_t dilation = 1;
  int64_t pad_begin = 0;
  int64_t pad_end = 0;
  bool same = false;
  bool ceil_mode = false;
};
std::optional<Dim> WindowOutputDim(const OpContext& ctx, const Dim& in, const WindowParams& w,
                                   size_t axis);

// Spatial output shape of a sliding-window op (Conv, pooling): [N, channels, out_1..out_n].
// Reads auto_pad, pads, strides, dilations and ceil_mode from the node (ONNX Conv/MaxPool spec).
// `channels` may be unknown. Returns an unknown shape when X's rank is unknown.
Shape WindowOutputShape(const OpContext& ctx, const Shape& x, const std::vector<int64_t>& kernel,
                        Dim channels);

// Conv-style output (conv.cc) for ops whose data and weight sit at other input positions
// (QLinearConv, ConvInteger, FusedConv), and its MACs: out_elems * prod(W dims after the first).
void ConvLikeShape(OpContext& ctx, size_t x_index, size_t w_index, DType out_dtype);
std::optional<int64_t> ConvLikeMacs(const OpContext& ctx, size_t w_index);
// Channel grouping of a conv whose weight (M x C/group x k...) is input `w_index`.
ConvGeometry ConvLikeGeometry(const OpContext& ctx, size_t w_index);
// Control-flow helpers (controlflow.cc), shared by the formats' If / Loop / While ops:
// a value with its folded contents dropped (loop-carried values change between iterations);
// the dim-wise agreement of two values (differing dims unknown; with prefer_known a dim the
// second leaves unknown keeps the first's size); whether cost a exceeds b (unknown exceeds
// everything); and a cost repeated n times (unknown unless n is known).
ValueState ShapeOnly(const ValueState& v);
ValueState MergeStates(const ValueState& a, const ValueState& b, bool prefer_known = false);
bool Costlier(const Cost& a, const Cost& b);
Cost CostTimes(const Cost& c, const Dim& n);
// The subgraph a graph attribute holds (If's then_branch, a TFLite op's body_subgraph), or null.
const Graph* GraphAttr(const Node& n, const char* name);
// An If whose condition is unknown at load time: outputs agree dim-wise across the branches,
// the costlier branch is counted, and a diagnostic says which.
void CostlierBranch(OpContext& ctx, const SubgraphResult& then_result,
                    const SubgraphResult& else_result);
// A Shape op's [start, end) over a rank-`rank` input (negative values count from the end,
// both clamped), as the spec gives it since opset 15.
std::pair<int64_t, int64_t> ShapeRange(const Node& node, int64_t rank);
// Shape of a SkipLayerNormalization-style node (microsoft.cc): output and input_skip_bias_sum
// take the input's shape, mean and inv_std_var its shape with the last dim 1.
void SkipNormShape(OpContext& ctx);

// Reshape target resolution (tensor.cc), including symbolic dims: -1 is solved when the known
// parts divide and the symbolic parts cancel ([batch, seq, 256] -> [batch, seq, 4, -1]); a 0
// copies the input dim unless allowzero. nullopt for an invalid target.
std::optional<Shape> ResolveReshape(const Shape& in, const std::vector<SymInt>& target,
                                    bool allowzero);
// numpy.matmul output (matmul.cc) for MatMul and its quantized forms; MACs = out_elems * K.
void MatMulLikeShape(OpContext& ctx, size_t a_index, size_t b_index, DType out_dtype);
// The same on shapes: numpy.matmul of a and b; nullopt (with a diagnostic) when the batch dims
// do not broadcast or the inner dims differ.
std::optional<Shape> MatMulOutputShape(const OpContext& ctx, const Shape& a, const Shape& b);
std::optional<int64_t> MatMulLikeMacs(const OpContext& ctx, size_t a_index);

}  // namespace tops
