// StableHLO ops of the TFLite schema that apply a body subgraph to scalars (REDUCE,
// REDUCE_WINDOW, SORT's comparator, SCATTER's update computation), and the window ops DILATE and
// REDUCE_WINDOW. Shapes follow the StableHLO specification (openxla/stablehlo docs/spec.md) and
// the TFLite kernels; each application of a body costs what the body's own ops cost on scalars,
// counted by walking the body once with scalar inputs.
#include <algorithm>

#include "core/checked.h"
#include "ops/tflite_common.h"
#include "ops/value.h"

namespace tops::tfl {
namespace {

// The body's cost for one application: the subgraph walked with scalar inputs of the given
// dtypes (an accumulator and an element per operand, or two elements to compare).
std::optional<Cost> BodyCost(OpContext& ctx, const char* attr, const std::vector<DType>& types) {
  const Graph* g = GraphAttr(ctx.node(), attr);
  const SubgraphRunner* run = ctx.subgraph_runner();
  if (!g || !run) {
    ctx.Diag(ctx.node().op_type + " without its " + attr);
    return std::nullopt;
  }
  std::vector<ValueState> scalars;
  for (DType t : types) {
    ValueState v;
    v.present = true;
    v.dtype = t;
    v.shape = Shape::Known({});
    scalars.push_back(std::move(v));
  }
  SubgraphResult r = (*run)(*g, scalars);
  if (!r.cost.macs || !r.cost.other_ops) return std::nullopt;
  return r.cost;
}

// `per` applications of `body`, or unknown.
Cost Applications(const std::optional<Cost>& body, std::optional<int64_t> per) {
  if (!body || !per) return Cost::Unknown();
  return Cost{CheckedMul(*body->macs, *per, "MACs"), CheckedMul(*body->other_ops, *per, "ops")};
}

std::vector<int64_t> LongsAttr(const Node& n, const char* name, size_t rank, int64_t fallback) {
  const Attribute* a = n.attr(name);
  if (a && a->ints.size() == rank) return a->ints;
  return std::vector<int64_t>(rank, fallback);
}

// Operands come in groups: N operands, then N initial values (REDUCE, REDUCE_WINDOW).
size_t Operands(const OpContext& ctx) { return std::max<size_t>(1, ctx.num_inputs() / 2); }

std::vector<DType> Twice(const OpContext& ctx, size_t n) {
  std::vector<DType> t;
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < n; ++i) t.push_back(ctx.input_dtype(i));
  }
  return t;
}

// STABLEHLO_REDUCE (operands..., inits...): each operand loses the `dimensions`; every element
// is folded into its accumulator by the body once.
void ReduceShape(OpContext& ctx) {
  const size_t n = Operands(ctx);
  const Attribute* dims = ctx.node().attr("dimensions");
  for (size_t i = 0; i < n && i < ctx.num_outputs(); ++i) {
    const Shape* s = ctx.input_shape(i);
    if (!s || !dims) continue;
    std::vector<Dim> out;
    for (size_t d = 0; d < s->rank(); ++d) {
      const bool reduced = std::find(dims->ints.begin(), dims->ints.end(),
                                     static_cast<int64_t>(d)) != dims->ints.end();
      if (!reduced) out.push_back(s->dims[d]);
    }
    ctx.SetOutput(i, ctx.input_dtype(i), Shape::Of(out));
  }
  ctx.set_subgraph_cost(
      Applications(BodyCost(ctx, "body_subgraph", Twice(ctx, n)), InputElems(ctx, 0)));
}

// STABLEHLO_REDUCE_WINDOW (operands..., inits...): per dim, the input dilated by base_dilations
// and padded (padding is [rank, 2]: low, high), then windows of window_dimensions dilated by
// window_dilations every window_strides: out = (padded - dilated window) / stride + 1.
void StablehloReduceWindowShape(OpContext& ctx) {
  const size_t n = Operands(ctx);
  const Shape* s = ctx.input_shape(0);
  const Node& node = ctx.node();
  const Attribute* window = node.attr("window_dimensions");
  if (!s || !s->fully_known() || !window || window->ints.size() != s->rank()) {
    ctx.set_subgraph_cost(Cost::Unknown());
    return;
  }
  const size_t rank = s->rank();
  const auto strides = LongsAttr(node, "window_strides", rank, 1);
  const auto base = LongsAttr(node, "base_dilations", rank, 1);
  const auto wdil = LongsAttr(node, "window_dilations", rank, 1);
  const auto pad = LongsAttr(node, "padding", 2 * rank, 0);
  std::vector<int64_t> out;
  int64_t window_elems = 1;
  for (size_t d = 0; d < rank; ++d) {
    if (strides[d] <= 0 || window->ints[d] <= 0 || base[d] <= 0 || wdil[d] <= 0) {
      ctx.Diag("STABLEHLO_REDUCE_WINDOW with a non-positive window, stride or dilation");
      ctx.set_subgraph_cost(Cost::Unknown());
      return;
    }
    const int64_t in = s->dims[d].value;
    const int64_t dilated = in == 0 ? 0 : CheckedMul(in - 1, base[d], "dilated input") + 1;
    const int64_t padded =
        CheckedAdd(CheckedAdd(dilated, pad[2 * d], "padded input"), pad[2 * d + 1], "padded input");
    const int64_t span = CheckedMul(window->ints[d] - 1, wdil[d], "dilated window") + 1;
    out.push_back(padded < span ? 0 : (padded - span) / strides[d] + 1);
    window_elems = CheckedMul(window_elems, window->ints[d], "window elements");
  }
  for (size_t i = 0; i < n && i < ctx.num_outputs(); ++i) {
    ctx.SetOutput(i, ctx.input_dtype(i), Shape::Known(out));
  }
  const auto out_elems = ElemCount(out);
  ctx.set_subgraph_cost(Applications(
      BodyCost(ctx, "body_subgraph", Twice(ctx, n)),
      out_elems ? std::optional<int64_t>(CheckedMul(*out_elems, window_elems, "applications"))
                : std::nullopt));
}

// STABLEHLO_SORT (operands...): the outputs are the operands sorted along `dimension` together;
// a comparison sort does n * ceil(log2 n) comparisons per row of n elements.
void SortShape(OpContext& ctx) {
  const size_t n = ctx.num_inputs();
  for (size_t i = 0; i < n && i < ctx.num_outputs(); ++i) {
    if (const Shape* s = ctx.input_shape(i)) ctx.SetOutput(i, ctx.input_dtype(i), *s);
  }
  const Shape* s = ctx.input_shape(0);
  const auto elems = InputElems(ctx, 0);
  int64_t axis = ctx.node().attr_int("dimension", 0);
  if (!s || !elems || s->rank() == 0) return ctx.set_subgraph_cost(Cost::Unknown());
  if (axis < 0) axis += static_cast<int64_t>(s->rank());
  const Dim& len = s->dims[static_cast<size_t>(std::clamp<int64_t>(axis, 0, s->rank() - 1))];
  if (!len.known()) return ctx.set_subgraph_cost(Cost::Unknown());
  int64_t log2 = 0;
  while (log2 < 62 && (int64_t{1} << log2) < len.value) ++log2;
  ctx.set_subgraph_cost(Applications(BodyCost(ctx, "comparator_subgraph", Twice(ctx, n)),
                                     CheckedMul(*elems, log2, "comparisons")));
}

// STABLEHLO_SCATTER (operands..., scatter_indices, updates...): the outputs are the operands
// with every update element combined into its place by the update computation.
void ScatterShape(OpContext& ctx) {
  if (ctx.num_inputs() < 3) return ctx.set_subgraph_cost(Cost::Unknown());
  const size_t n = (ctx.num_inputs() - 1) / 2;
  for (size_t i = 0; i < n && i < ctx.num_outputs(); ++i) {
    if (const Shape* s = ctx.input_shape(i)) ctx.SetOutput(i, ctx.input_dtype(i), *s);
  }
  ctx.set_subgraph_cost(
      Applications(BodyCost(ctx, "update_computation_subgraph", Twice(ctx, std::max<size_t>(n, 1))),
                   InputElems(ctx, n + 1)));
}

// DILATE (input, dilations, padding_value): dilations - 1 padding values between neighbours
// along each dim: out = (in - 1) * dilation + 1.
void DilateShape(OpContext& ctx) {
  const Shape* s = ctx.input_shape(0);
  const auto dil = ctx.input_ints(1);
  if (!s || !dil || dil->size() != s->rank()) return;
  std::vector<Dim> out;
  for (size_t d = 0; d < s->rank(); ++d) {
    if ((*dil)[d] <= 0) return ctx.Diag("DILATE with a non-positive dilation");
    const Dim& in = s->dims[d];
    if (!in.known()) {
      out.push_back((*dil)[d] == 1 ? in : Dim::Unknown());
      continue;
    }
    out.push_back(
        Dim::Known(in.value == 0 ? 0 : CheckedMul(in.value - 1, (*dil)[d], "dilated dim") + 1));
  }
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(out));
}

// STABLEHLO_RNG_BIT_GENERATOR (initial_state) -> (output_state, output): the state keeps its
// shape; the random output's shape is a type the converter stores in the file (it is an op
// attribute in StableHLO, not a function of the inputs), so it is read from there.
void RngShape(OpContext& ctx) {
  if (const Shape* s = ctx.input_shape(0)) ctx.SetOutput(0, ctx.input_dtype(0), *s);
}

// One generated element costs one op, as ONNX RandomUniform counts it.
Cost RngCost(const OpContext& ctx) {
  const auto out = OutputElems(ctx, 1);
  if (!out) return Cost::Unknown();
  return Cost{0, *out};
}

// REDUCE_WINDOW (input, init_value, window_shape, window_strides, window_dilations): VALID
// windows, out = (in - (window - 1) * dilation - 1) / stride + 1; one reduction per element of
// every window (reduce_function ADD, MUL, MINIMUM, MAXIMUM, ALL, ANY).
void ReduceWindowShape(OpContext& ctx) {
  const Shape* s = ctx.input_shape(0);
  const auto window = ctx.input_ints(2);
  const auto strides = ctx.input_ints(3);
  const auto dil = ctx.input_ints(4);
  if (!s || !s->fully_known() || !window || !strides || !dil) return;
  const size_t rank = s->rank();
  if (window->size() != rank || strides->size() != rank || dil->size() != rank) return;
  std::vector<int64_t> out;
  for (size_t d = 0; d < rank; ++d) {
    if ((*window)[d] <= 0 || (*strides)[d] <= 0 || (*dil)[d] <= 0) {
      return ctx.Diag("REDUCE_WINDOW with a non-positive window, stride or dilation");
    }
    const int64_t span = CheckedMul((*window)[d] - 1, (*dil)[d], "dilated window") + 1;
    const int64_t in = s->dims[d].value;
    out.push_back(in < span ? 0 : (in - span) / (*strides)[d] + 1);
  }
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Known(out));
}

Cost ReduceWindowCost(const OpContext& ctx) {
  const auto out = OutputElems(ctx);
  const auto window = ctx.input_ints(2);
  if (!out || !window) return Cost::Unknown();
  int64_t k = 1;
  for (int64_t w : *window) k = CheckedMul(k, w, "window elements");
  return Cost{0, CheckedMul(*out, k, "ops")};
}

// Every input is data (operands, initial values, indices, updates): none is read as a value,
// so a lost shape is never blamed on the initial value, whose contents the reader does not keep.
OpTraits Roles(std::vector<Operand> operands) {
  OpTraits t;
  t.operands = std::move(operands);
  return t;
}
OpTraits AllData() { return Roles({Operand::kData}); }

}  // namespace

void RegisterStablehloFamily(Registry& r) {
  const char* kFamily = "tflite_stablehlo";
  Add(r, "STABLEHLO_REDUCE", kFamily,
      "body cost * in_elems (each element folded into its accumulator once)", ReduceShape,
      SubgraphCost, AllData());
  Add(r, "STABLEHLO_REDUCE_WINDOW", kFamily,
      "body cost * out_elems * window elems (padding and dilations as the options give them)",
      StablehloReduceWindowShape, SubgraphCost, AllData());
  Add(r, "STABLEHLO_SORT", kFamily,
      "comparator cost * elems * ceil(log2 n), n the length of the sorted dimension", SortShape,
      SubgraphCost, AllData());
  Add(r, "STABLEHLO_SCATTER", kFamily, "update computation cost * update elems", ScatterShape,
      SubgraphCost, AllData());
  Add(r, "STABLEHLO_RNG_BIT_GENERATOR", kFamily,
      "other = output elems (as RandomUniform; output shape as stored)", RngShape, RngCost,
      AllData());
  Add(r, "DILATE", kFamily, "no arithmetic (data movement: out = (in - 1) * dilation + 1)",
      DilateShape, ZeroCost, Roles({Operand::kData, Operand::kParam, Operand::kData}));
  Add(r, "REDUCE_WINDOW", kFamily, "other = out_elems * window elems (one reduction each)",
      ReduceWindowShape, ReduceWindowCost,
      Roles({Operand::kData, Operand::kData, Operand::kParam, Operand::kParam, Operand::kParam}));
}

}  // namespace tops::tfl
