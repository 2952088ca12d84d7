// Matrix products. MACs = out_elems * K (the reduction length), the convention of torchinfo,
// thop and ONNX Runtime's profilers; Gemm's C input adds one op per output element (bias), and
// alpha/beta scaling is not counted (exporters leave them at 1).
#include "core/checked.h"
#include "ops/registry.h"

namespace tops {
namespace {

void GemmShape(OpContext& ctx) {
  const Shape* a = ctx.input_shape(0);
  const Shape* b = ctx.input_shape(1);
  if (!a || !b) return;
  if (a->rank() != 2 || b->rank() != 2) {
    ctx.Diag("Gemm inputs must be 2-D, got " + a->ToString() + " and " + b->ToString());
    return;
  }
  const bool ta = ctx.node().attr_int("transA", 0) != 0;
  const bool tb = ctx.node().attr_int("transB", 0) != 0;
  Dim m = ta ? a->dims[1] : a->dims[0];
  Dim n = tb ? b->dims[0] : b->dims[1];
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of({m, n}));
}

Cost GemmCost(const OpContext& ctx) {
  const Shape* a = ctx.input_shape(0);
  auto out = OutputElems(ctx);
  if (!a || a->rank() != 2 || !out) return Cost::Unknown();
  const Dim& k = ctx.node().attr_int("transA", 0) ? a->dims[0] : a->dims[1];
  if (!k.known()) return Cost::Unknown();
  return Cost{CheckedMul(*out, k.value, "MACs"), ctx.input(2) ? *out : 0};
}

void MatMulShape(OpContext& ctx) {
  const Shape* a = ctx.input_shape(0);
  const Shape* b = ctx.input_shape(1);
  if (!a || !b) return;
  if (a->rank() == 0 || b->rank() == 0) {
    ctx.Diag("MatMul inputs must not be scalars");
    return;
  }
  // numpy.matmul: 1-D operands are promoted and the added dim removed afterwards.
  Shape sa = *a, sb = *b;
  const bool a_vec = sa.rank() == 1, b_vec = sb.rank() == 1;
  if (a_vec) sa.dims.insert(sa.dims.begin(), Dim::Known(1));
  if (b_vec) sb.dims.push_back(Dim::Known(1));
  Shape batch_a = Shape::Of({sa.dims.begin(), sa.dims.end() - 2});
  Shape batch_b = Shape::Of({sb.dims.begin(), sb.dims.end() - 2});
  auto batch = BroadcastShapes(batch_a, batch_b);
  if (!batch) {
    ctx.Diag("MatMul batch dims do not broadcast: " + a->ToString() + " x " + b->ToString());
    return;
  }
  const Dim& ka = sa.dims[sa.rank() - 1];
  const Dim& kb = sb.dims[sb.rank() - 2];
  if (ka.known() && kb.known() && ka.value != kb.value) {
    ctx.Diag("MatMul inner dims differ: " + a->ToString() + " x " + b->ToString());
    return;
  }
  std::vector<Dim> out = batch->dims;
  if (!a_vec) out.push_back(sa.dims[sa.rank() - 2]);
  if (!b_vec) out.push_back(sb.dims[sb.rank() - 1]);
  ctx.SetOutput(0, ctx.input_dtype(0), Shape::Of(std::move(out)));
}

Cost MatMulCost(const OpContext& ctx) {
  const Shape* a = ctx.input_shape(0);
  auto out = OutputElems(ctx);
  if (!a || a->rank() == 0 || !out) return Cost::Unknown();
  const Dim& k = a->dims[a->rank() - 1];
  if (!k.known()) return Cost::Unknown();
  return Cost{CheckedMul(*out, k.value, "MACs"), 0};
}

}  // namespace

void RegisterMatMulOps(Registry& r) {
  r.Add({"", "Gemm", "matmul", "MACs = out_elems * K; other = out_elems if C (bias) is given",
         GemmShape, GemmCost});
  r.Add({"", "MatMul", "matmul", "MACs = out_elems * K (batched, numpy broadcasting)",
         MatMulShape, MatMulCost});
}

}  // namespace tops
