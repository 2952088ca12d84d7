#include "ops/registry.h"

#include <algorithm>
#include <map>

#include "core/checked.h"
#include "tops/error.h"
#include "tops/ops.h"

namespace tops {

std::optional<std::vector<int64_t>> OpContext::input_ints(size_t i) const {
  const std::vector<SymInt>* v = input_symints(i);
  if (!v) return std::nullopt;
  std::vector<int64_t> out;
  out.reserve(v->size());
  for (const SymInt& s : *v) {
    if (!s.known) return std::nullopt;
    out.push_back(s.v);
  }
  return out;
}

std::optional<std::vector<double>> OpContext::input_floats(size_t i) const {
  const ValueState* v = input(i);
  if (!v) return std::nullopt;
  if (v->has_floats) return v->floats;
  if (auto ints = input_ints(i)) return std::vector<double>(ints->begin(), ints->end());
  return std::nullopt;
}

bool ValueState::has_value() const {
  if (!present || !Evaluable(dtype) || !shape.fully_known()) return false;
  auto n = shape.elems_if_representable();
  if (!n || *n > kMaxEvalElems) return false;
  if (IsFloatDType(dtype)) return has_floats && static_cast<int64_t>(floats.size()) == *n;
  return has_ints && static_cast<int64_t>(ints.size()) == *n;
}

void OpContext::SetOutputValue(size_t i, Value v) {
  if (i >= outputs_->size()) return;
  ValueState& o = (*outputs_)[i];
  o = ValueState{};
  o.present = true;
  o.dtype = v.dtype;
  o.shape = Shape::Known(v.dims);
  if (v.is_float()) {
    o.has_floats = true;
    o.floats = std::move(v.floats);
  } else {
    o.has_ints = true;
    o.ints = std::move(v.ints);
  }
}

void OpContext::SetOutputInts(size_t i, DType dtype, std::vector<SymInt> values, bool scalar) {
  Shape shape = scalar ? Shape::Of({}) : Shape::Known({static_cast<int64_t>(values.size())});
  SetOutputInts(i, dtype, std::move(shape), std::move(values));
}

void OpContext::SetOutputInts(size_t i, DType dtype, Shape shape, std::vector<SymInt> values) {
  if (i >= outputs_->size()) return;
  SetOutput(i, dtype, std::move(shape));
  ValueState& o = (*outputs_)[i];
  if (static_cast<int64_t>(values.size()) > kMaxKeptValues) return;
  o.has_ints = true;
  o.ints = std::move(values);
}

Dim OpContext::DataDependentDim(std::string_view what) const {
  std::string label = node_.name;
  if (label.empty()) {
    for (const auto& o : node_.outputs) {
      if (!o.empty()) {
        label = o;
        break;
      }
    }
  }
  std::string symbol = label + ":" + std::string(what);
  if (seen_symbols_) seen_symbols_->insert(symbol);
  if (bindings_) {
    auto it = bindings_->find(symbol);
    if (it != bindings_->end()) return Dim::Known(it->second);
  }
  return Dim::Symbol(std::move(symbol));
}

int OpTraits::find(Operand role) const {
  for (size_t i = 0; i < operands.size(); ++i) {
    if (operands[i] == role) return static_cast<int>(i);
  }
  return -1;
}

OpTraits ParamInputs(std::initializer_list<size_t> positions) {
  OpTraits t;
  for (size_t p : positions) {
    if (t.operands.size() <= p) t.operands.resize(p + 1, Operand::kData);
    t.operands[p] = Operand::kParam;
  }
  return t;
}

OpTraits ConvTraits() {
  return {{Operand::kData, Operand::kWeight, Operand::kBias}, Layout::kChannelsFirst, true};
}
OpTraits MatMulTraits() { return {{Operand::kData, Operand::kWeight}, Layout::kChannelsLast}; }
OpTraits GemmTraits() {
  return {{Operand::kData, Operand::kWeight, Operand::kBias}, Layout::kChannelsLast};
}

namespace {
// "domain\0op" in `buf` when it fits (op names are short), else in `spill`.
std::string_view Key(std::string_view domain, std::string_view op, char (&buf)[64],
                     std::string& spill) {
  const size_t n = domain.size() + 1 + op.size();
  char* k = buf;
  if (n > sizeof buf) {
    spill.resize(n);
    k = spill.data();
  }
  std::copy(domain.begin(), domain.end(), k);
  k[domain.size()] = '\0';
  std::copy(op.begin(), op.end(), k + domain.size() + 1);
  return {k, n};
}
}  // namespace

void Registry::Add(OpEntry e) {
  char buf[64];
  std::string spill;
  const std::string_view key = Key(e.domain, e.op, buf, spill);
  if (!index_.emplace(std::string(key), entries_.size()).second) {
    throw Error("internal: op " + e.op + " registered twice");
  }
  entries_.push_back(std::move(e));
}

OpEntry* Registry::FindMutable(std::string_view domain, std::string_view op) {
  return const_cast<OpEntry*>(Find(domain, op));
}

void Registry::SetEvaluator(std::string_view domain, std::string_view op, EvalFn eval) {
  OpEntry* e = FindMutable(domain, op);
  if (!e) throw Error("internal: evaluator for unregistered op " + std::string(op));
  if (e->eval) throw Error("internal: op " + std::string(op) + " has two evaluators");
  e->eval = std::move(eval);
}

const OpEntry* Registry::Find(std::string_view domain, std::string_view op) const {
  char buf[64];
  std::string spill;
  auto it = index_.find(Key(domain, op, buf, spill));
  return it == index_.end() ? nullptr : &entries_[it->second];
}

Registry BuildRegistry() {
  Registry r;
  RegisterConvOps(r);
  RegisterMatMulOps(r);
  RegisterElementwiseOps(r);
  RegisterNormalizationOps(r);
  RegisterPoolingOps(r);
  RegisterReductionOps(r);
  RegisterTensorOps(r);
  RegisterIndexingOps(r);
  RegisterMathOps(r);
  RegisterRnnOps(r);
  RegisterQuantizationOps(r);
  RegisterControlFlowOps(r);
  RegisterDetectionOps(r);
  RegisterResizeOps(r);
  RegisterMicrosoftOps(r);
  RegisterDecoderOps(r);
  RegisterTfliteOps(r);  // after the ONNX families: some TFLite ops share their shape functions
  RegisterElementwiseEvaluators(r);
  RegisterTensorEvaluators(r);
  RegisterIndexingEvaluators(r);
  RegisterReductionEvaluators(r);
  return r;
}

const Registry& Registry::Get() {
  // Built on first use and never destroyed: a process that profiled a model exits without
  // taking apart some 500 entries of std::function objects.
  static const Registry* const registry = new Registry(BuildRegistry());
  return *registry;
}

std::vector<OpInfo> SupportedOps() {
  std::map<std::string, const OpEntry*> sorted;  // "" (default domain) sorts first
  for (const OpEntry& e : Registry::Get().entries()) sorted[e.domain + "\x01" + e.op] = &e;
  std::vector<OpInfo> out;
  for (const auto& [key, e] : sorted) out.push_back({e->domain, e->op, e->family, e->formula});
  return out;
}

std::optional<Shape> BroadcastShapes(const Shape& a, const Shape& b) {
  if (!a.rank_known || !b.rank_known) return Shape::Unknown();
  const size_t rank = std::max(a.rank(), b.rank());
  std::vector<Dim> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const Dim* da = i < rank - a.rank() ? nullptr : &a.dims[i - (rank - a.rank())];
    const Dim* db = i < rank - b.rank() ? nullptr : &b.dims[i - (rank - b.rank())];
    if (!da) {
      out[i] = *db;
      continue;
    }
    if (!db) {
      out[i] = *da;
      continue;
    }
    if (da->known() && db->known()) {
      if (da->value == db->value || db->value == 1)
        out[i] = *da;
      else if (da->value == 1)
        out[i] = *db;
      else
        return std::nullopt;
    } else if (*da == *db) {
      out[i] = *da;
    } else if (da->known() && da->value == 1) {
      out[i] = *db;
    } else if (db->known() && db->value == 1) {
      out[i] = *da;
    } else if (da->known() && da->value > 1) {
      out[i] = *da;  // the other side must be the same size or 1: the result is this size
    } else if (db->known() && db->value > 1) {
      out[i] = *db;
    } else {
      out[i] = Dim::Unknown();
    }
  }
  return Shape::Of(std::move(out));
}

std::optional<int64_t> OutputElems(const OpContext& ctx, size_t i) {
  if (i >= ctx.num_outputs() || !ctx.output(i).present) return std::nullopt;
  return ctx.output(i).shape.elems();
}

std::optional<int64_t> InputElems(const OpContext& ctx, size_t i) {
  const Shape* s = ctx.input_shape(i);
  if (!s) return std::nullopt;
  return s->elems();
}

std::optional<int64_t> NormalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank) return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

void SameShapeAsInput(OpContext& ctx) {
  const ValueState* x = ctx.input(0);
  if (!x) return;
  ctx.SetOutput(0, x->dtype, x->shape);
}

Cost ZeroCost(const OpContext&) { return Cost::Zero(); }

Cost PerOutputElement(const OpContext& ctx, int64_t per_elem) {
  auto n = OutputElems(ctx, 0);
  if (!n) return Cost::Unknown();
  return Cost{0, CheckedMul(*n, per_elem, "op count")};
}

Cost PerInputElement(const OpContext& ctx, int64_t per_elem) {
  auto n = InputElems(ctx, 0);
  if (!n) return Cost::Unknown();
  return Cost{0, CheckedMul(*n, per_elem, "op count")};
}

}  // namespace tops
