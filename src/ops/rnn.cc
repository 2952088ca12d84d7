// Recurrent layers (ONNX LSTM-14, GRU-14, RNN-14). Each time step of each direction multiplies
// the input by W [G*hidden, input] and the previous state by R [G*hidden, hidden], G gates
// (LSTM 4, GRU 3, RNN 1): MACs = seq * dirs * batch * G*hidden * (input + hidden).
// Other ops per step, direction, batch row and hidden unit: bias adds 2*G when B is given, plus
// the gate arithmetic of the spec's equations (LSTM: 3 sigmoids at 4 ops, 2 tanh, 3 products,
// 1 sum = 18; GRU: 2 sigmoids, 1 tanh, 4 products/sums = 13; RNN: 1 tanh).
#include "core/checked.h"
#include "ops/registry.h"

namespace tops {
namespace {

struct RnnDims {
  Dim seq, batch, input, hidden;
  int64_t dirs = 1;
  bool batch_first = false;
};

std::optional<RnnDims> ReadDims(const OpContext& ctx) {
  const Shape* x = ctx.input_shape(0);
  if (!x || x->rank() != 3) return std::nullopt;
  RnnDims d;
  d.batch_first = ctx.node().attr_int("layout", 0) != 0;
  d.seq = x->dims[d.batch_first ? 1 : 0];
  d.batch = x->dims[d.batch_first ? 0 : 1];
  d.input = x->dims[2];
  const std::string dir = ctx.node().attr_string("direction", "forward");
  d.dirs = dir == "bidirectional" ? 2 : 1;
  const int64_t h = ctx.node().attr_int("hidden_size", -1);
  if (h > 0) {
    d.hidden = Dim::Known(h);
  } else if (const Shape* r = ctx.input_shape(2); r && r->rank() == 3) {
    d.hidden = r->dims[2];
  }
  return d;
}

void RecurrentShape(OpContext& ctx) {
  auto d = ReadDims(ctx);
  if (!d) return;
  const DType dt = ctx.input_dtype(0);
  const Dim dirs = Dim::Known(d->dirs);
  if (d->batch_first) {
    ctx.SetOutput(0, dt, Shape::Of({d->batch, d->seq, dirs, d->hidden}));
  } else {
    ctx.SetOutput(0, dt, Shape::Of({d->seq, dirs, d->batch, d->hidden}));
  }
  const Shape state = d->batch_first ? Shape::Of({d->batch, dirs, d->hidden})
                                     : Shape::Of({dirs, d->batch, d->hidden});
  for (size_t i = 1; i < ctx.num_outputs(); ++i) ctx.SetOutput(i, dt, state);  // Y_h, Y_c
}

Cost RecurrentCost(const OpContext& ctx, int64_t gates, int64_t gate_ops) {
  auto d = ReadDims(ctx);
  if (!d || !d->seq.known() || !d->batch.known() || !d->input.known() || !d->hidden.known()) {
    return Cost::Unknown();
  }
  const int64_t rows = CheckedMul(CheckedMul(d->seq.value, d->dirs, "MACs"), d->batch.value,
                                  "MACs");  // state vectors computed
  const int64_t gh = CheckedMul(gates, d->hidden.value, "MACs");
  const int64_t macs =
      CheckedMul(CheckedMul(rows, gh, "MACs"), d->input.value + d->hidden.value, "MACs");
  int64_t per_unit = gate_ops + (ctx.input(3) ? 2 * gates : 0);
  return Cost{macs, CheckedMul(CheckedMul(rows, d->hidden.value, "ops"), per_unit, "ops")};
}

}  // namespace

void RegisterRnnOps(Registry& r) {
  r.Add({"", "LSTM", "rnn",
         "MACs = seq * dirs * batch * 4*hidden * (input + hidden); other = seq * dirs * batch * "
         "hidden * (18 + 8 if B)",
         RecurrentShape, [](const OpContext& c) { return RecurrentCost(c, 4, 18); }});
  r.Add({"", "GRU", "rnn",
         "MACs = seq * dirs * batch * 3*hidden * (input + hidden); other = seq * dirs * batch * "
         "hidden * (13 + 6 if B)",
         RecurrentShape, [](const OpContext& c) { return RecurrentCost(c, 3, 13); }});
  r.Add({"", "RNN", "rnn",
         "MACs = seq * dirs * batch * hidden * (input + hidden); other = seq * dirs * batch * "
         "hidden * (1 + 2 if B)",
         RecurrentShape, [](const OpContext& c) { return RecurrentCost(c, 1, 1); }});
}

}  // namespace tops
