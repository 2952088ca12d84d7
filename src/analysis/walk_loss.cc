// Root-cause diagnostics of the graph walk (walk.h): where a shape was first lost, why, and
// which option would resolve it. A node whose output shape is lost while none of its inputs'
// is becomes a ShapeLoss; the explanation follows the value it was missing (a Reshape target,
// Pad amounts, Resize sizes) back to where that value stopped being known at load time: a
// graph input whose values come at run time, an unbound dim read by Shape, a weight whose
// values are not kept, or an op that could not be evaluated.
#include <algorithm>
#include <set>

#include "analysis/walk.h"

namespace tops {
namespace {

// Every element known (no symbol, no unknown).
bool Known(const ValueState& v) {
  if (!v.has_value()) return false;
  for (const SymInt& s : v.ints) {
    if (!s.known) return false;
  }
  return true;
}

std::string OpLabel(const Node& n) {
  std::string name = n.name;
  if (name.empty() && !n.outputs.empty()) name = n.outputs[0];
  return n.op_type + " '" + name + "'";
}

std::string Quoted(const std::set<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "'" : ", '") + n + "'";
  return s;
}

// The options that bind every unbound dim the lost value needs, not only the first.
std::string DimResolve(const std::set<std::string>& syms) {
  std::string s;
  for (const auto& n : syms) s += (s.empty() ? "--dim " : " --dim ") + n + "=N";
  return s;
}

}  // namespace

bool ShapeLost(const ValueState& v) {
  if (!v.present || !v.shape.rank_known) return true;
  for (const Dim& d : v.shape.dims) {
    if (!d.known() && !d.symbolic()) return true;
  }
  return false;
}

int GraphWalker::AddLoss(ShapeLoss loss) {
  if (!w_.record) return -1;
  w_.record->losses.push_back(std::move(loss));
  return static_cast<int>(w_.record->losses.size() - 1);
}

void GraphWalker::BindInput(const std::string& name, ValueState state, const std::string& resolve) {
  if (w_.dims) BindValue(state, *w_.dims);
  if (ShapeLost(state) && state.shape_loss < 0) {
    ShapeLoss l;
    l.reason = (path_.empty() ? "graph input '" : "input '") + name + "'" +
               (path_.empty() ? "" : " of subgraph '" + g_.name + "'") +
               ": shape not given in the file (" + state.shape.ToString() + ")";
    l.resolve = resolve;
    state.shape_loss = AddLoss(std::move(l));
  }
  const uint32_t id = scope_.InternCopy(name);
  inputs_.push_back(id);
  scope_.Define(id, std::move(state));
}

GraphWalker::ValueOrigin GraphWalker::TraceValue(const std::string& tensor) const {
  ValueOrigin o;
  std::string cur = tensor;
  const Node* via = nullptr;  // the node nearest the origin on the chain
  std::set<std::string> seen;
  while (seen.insert(cur).second) {
    const uint32_t id = scope_.Id(cur);
    const int64_t p = id == Scope::kNone || id >= producer_.size() ? -1 : producer_[id];
    if (p < 0) {
      const ValueState* v = scope_.Find(cur);
      const bool input = std::find(inputs_.begin(), inputs_.end(), id) != inputs_.end();
      if (id != Scope::kNone && id < weight_elems_.size() && weight_elems_[id] != kNotWeight) {
        const int64_t elems = weight_elems_[id];
        if (elems > kMaxKeptValues) {
          o.text = "it is computed from initializer '" + cur + "', whose " + std::to_string(elems) +
                   " values are not kept (at most " + std::to_string(kMaxKeptValues) + " are)";
        } else {
          o.text = "it is computed from initializer '" + cur +
                   "', whose values the file does not hold in a readable form (external, "
                   "missing or of the wrong size)";
        }
      } else if (input && path_.empty()) {
        o.text = "it is computed from graph input '" + cur +
                 "', whose values are known only at "
                 "run time";
        auto n = v ? v->shape.elems_if_representable() : std::nullopt;
        const bool small =
            v && v->shape.rank_known && (n ? *n <= kMaxEvalElems : v->shape.rank() <= 1);
        if (small) o.resolve = "--value " + cur + "=V1,V2,...";
      } else if (input) {
        o.text = "it is computed from input '" + cur + "' of subgraph '" + g_.name +
                 "', which changes at run time";
      } else {
        o.text = "it is computed from '" + cur + "' of an enclosing graph";
      }
      break;
    }
    const Node& pn = g_.nodes[static_cast<size_t>(p)];
    const OpEntry* pe = Registry::Get().Find(pn.domain, pn.op_type);
    if (pe && pe->traits.value_from_shape) {
      const ValueState* x = pn.inputs.empty() ? nullptr : scope_.Find(pn.inputs[0]);
      if (x && x->shape_loss >= 0) {
        o.inherit = x->shape_loss;
        return o;
      }
      std::set<std::string> syms;
      if (x) CollectSymbols(x->shape, syms);
      o.text = "it is computed from the shape of '" + (pn.inputs.empty() ? "" : pn.inputs[0]) +
               "' (" + OpLabel(pn) + ")";
      if (!syms.empty()) {
        o.text += ", which has unbound dim(s) " + Quoted(syms);
        o.resolve = DimResolve(syms);
      }
      break;
    }
    const std::string* next = nullptr;
    for (const std::string& in : pn.inputs) {
      if (in.empty()) continue;
      const ValueState* s = scope_.Find(in);
      if (!s || !Known(*s)) {
        next = &in;
        break;
      }
    }
    if (!next) {
      // Every input known: the value was lost here.
      auto note = out_.eval_notes.find(static_cast<size_t>(p));
      if (!pe) {
        o.text = OpLabel(pn) + ", an op tops does not know, computes it";
      } else if (!pe->eval) {
        o.text = OpLabel(pn) + " computes it, and tops does not evaluate " + pn.op_type +
                 " at load time";
      } else if (note != out_.eval_notes.end()) {
        o.text = OpLabel(pn) + " computes it and could not be evaluated: " + note->second;
      } else {
        o.text = OpLabel(pn) + " computes it from a tensor of more than " +
                 std::to_string(kMaxEvalElems) + " elements (the evaluation cap)";
      }
      via = nullptr;
      break;
    }
    via = &pn;
    cur = *next;
  }
  if (via) o.text += ", through " + OpLabel(*via);
  return o;
}

int GraphWalker::ExplainLoss(const Node& n, const OpEntry* entry,
                             const std::vector<const ValueState*>& ins,
                             const std::vector<std::string>& diags) {
  ShapeLoss l;
  l.node = n.name.empty() ? n.Label() : n.name;
  const std::string where =
      OpLabel(n) + (path_.empty() ? "" : " in subgraph '" + path_ + "'") + ": output shape unknown";
  if (!entry) {
    l.reason = where + ": tops has no shape function for op " +
               (n.domain.empty() ? "" : n.domain + "::") + n.op_type +
               " and the file annotates none";
    return AddLoss(std::move(l));
  }
  const OpTraits& t = entry->traits;
  for (size_t i = 0; i < ins.size() && i < n.inputs.size(); ++i) {
    const ValueState* v = ins[i];
    if (!v || n.inputs[i].empty() || Known(*v)) continue;
    const bool param = t.operand(i) == Operand::kParam ||
                       (t.operands.empty() && i > 0 && v->shape.rank_known && v->shape.rank() <= 1);
    if (!param) continue;
    ValueOrigin o = TraceValue(n.inputs[i]);
    if (o.inherit >= 0) return o.inherit;
    l.reason = where + ": input " + std::to_string(i) + " ('" + n.inputs[i] +
               "') is not known at load time: " + o.text;
    l.resolve = o.resolve;
    return AddLoss(std::move(l));
  }
  std::set<std::string> syms;
  std::string shapes;
  for (const ValueState* v : ins) {
    if (!v) continue;
    CollectSymbols(v->shape, syms);
    shapes += (shapes.empty() ? "" : ", ") + v->shape.ToString();
  }
  if (!diags.empty()) {
    l.reason = where + ": " + diags.front();
  } else if (!syms.empty()) {
    l.reason =
        where + ": it depends on unbound dim(s) " + Quoted(syms) + " (inputs " + shapes + ")";
  } else {
    l.reason = where + ": not inferred from input shapes " + shapes;
  }
  if (!syms.empty()) l.resolve = DimResolve(syms);
  return AddLoss(std::move(l));
}

}  // namespace tops
