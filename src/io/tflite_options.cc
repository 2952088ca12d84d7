// Operator options -> attributes, driven by the options tables of tflite_schema.cc.
#include <array>

#include "io/flexbuffer.h"
#include "io/tflite_internal.h"
#include "io/tflite_schema.h"

namespace tops::io {
namespace {

namespace ts = tflite;
using fb::Path;

// Custom operators whose FlexBuffer options tops reads (others keep theirs untouched: an Edge
// TPU operator carries its compiled program there).
constexpr std::array<std::string_view, 1> kCustomWithOptions = {"TFLite_Detection_PostProcess"};

Attribute IntAttr(std::string_view name, int64_t v) {
  Attribute a;
  a.name = std::string(name);
  a.type = AttrType::kInt;
  a.i = v;
  return a;
}

Attribute FloatAttr(std::string_view name, double v) {
  Attribute a;
  a.name = std::string(name);
  a.type = AttrType::kFloat;
  a.f = v;
  return a;
}

Attribute StringAttr(std::string_view name, std::string v) {
  Attribute a;
  a.name = std::string(name);
  a.type = AttrType::kString;
  a.s = std::move(v);
  return a;
}

void ReadTable(const OptionsContext& ctx, const ts::OptionsTable& table, const fb::Table& t,
               const Path& p, Node& node) {
  fb::View& v = ctx.view;
  for (size_t slot = 0; slot < table.fields.size(); ++slot) {
    const ts::OptionField& f = table.fields[slot];
    const int id = static_cast<int>(slot);
    const Path fp = p(f.name.c_str());
    switch (f.kind) {
      case ts::FieldKind::kSkip:
        break;
      case ts::FieldKind::kInt:
        node.attributes.push_back(
            IntAttr(f.name, v.Scalar<int32_t>(t, id, static_cast<int32_t>(f.fallback), fp)));
        break;
      case ts::FieldKind::kUint:
        node.attributes.push_back(
            IntAttr(f.name, v.Scalar<uint32_t>(t, id, static_cast<uint32_t>(f.fallback), fp)));
        break;
      case ts::FieldKind::kLong:
        node.attributes.push_back(
            IntAttr(f.name, v.Scalar<int64_t>(t, id, static_cast<int64_t>(f.fallback), fp)));
        break;
      case ts::FieldKind::kBool:
      case ts::FieldKind::kByte:
        node.attributes.push_back(
            IntAttr(f.name, v.Scalar<int8_t>(t, id, static_cast<int8_t>(f.fallback), fp)));
        break;
      case ts::FieldKind::kFloat:
        node.attributes.push_back(
            FloatAttr(f.name, v.Scalar<float>(t, id, static_cast<float>(f.fallback), fp)));
        break;
      case ts::FieldKind::kPadding: {
        const int8_t code = v.Scalar<int8_t>(t, id, 0, fp);
        node.attributes.push_back(StringAttr(f.name, code == 0 ? "SAME"
                                                     : code == 1
                                                         ? "VALID"
                                                         : "UNKNOWN_" + std::to_string(code)));
        break;
      }
      case ts::FieldKind::kActivation: {
        const int8_t code = v.Scalar<int8_t>(t, id, 0, fp);
        const std::string_view name = ts::ActivationName(code);
        node.attributes.push_back(StringAttr(
            f.name, name.empty() ? "UNKNOWN_" + std::to_string(code) : std::string(name)));
        break;
      }
      case ts::FieldKind::kTensorType: {
        const int8_t code = v.Scalar<int8_t>(t, id, static_cast<int8_t>(f.fallback), fp);
        node.attributes.push_back(
            IntAttr(f.name, static_cast<int64_t>(ts::TensorTypeToDType(code))));
        break;
      }
      case ts::FieldKind::kInts:
      case ts::FieldKind::kLongs:
      case ts::FieldKind::kFloats: {
        const uint32_t width = f.kind == ts::FieldKind::kLongs ? 8 : 4;
        auto vec = v.VectorField(t, id, width, fp);
        if (!vec) break;
        v.Charge(vec->len, fp, vec->pos);
        Attribute a;
        a.name = std::string(f.name);
        a.type = f.kind == ts::FieldKind::kFloats ? AttrType::kFloats : AttrType::kInts;
        for (uint32_t i = 0; i < vec->len; ++i) {
          if (f.kind == ts::FieldKind::kInts) a.ints.push_back(v.Element<int32_t>(*vec, i, fp));
          if (f.kind == ts::FieldKind::kLongs) a.ints.push_back(v.Element<int64_t>(*vec, i, fp));
          if (f.kind == ts::FieldKind::kFloats) a.floats.push_back(v.Element<float>(*vec, i, fp));
        }
        node.attributes.push_back(std::move(a));
        break;
      }
      case ts::FieldKind::kString: {
        auto s = v.String(t, id, fp);
        if (!s) break;
        v.Charge(s->size(), fp, t.pos);
        node.attributes.push_back(StringAttr(f.name, std::string(*s)));
        break;
      }
      case ts::FieldKind::kSubgraphs: {
        // "branch_subgraph_indices" -> graph attribute "branch_subgraphs" and the indices.
        auto vec = v.VectorField(t, id, 4, fp);
        if (!vec) break;
        v.Charge(vec->len, fp, vec->pos);
        Attribute graphs, indices;
        std::string_view name = f.name;
        if (name.size() > 8 && name.substr(name.size() - 8) == "_indices") name.remove_suffix(8);
        graphs.name = std::string(name) + "s";
        graphs.type = AttrType::kGraphs;
        indices.name = f.name;
        indices.type = AttrType::kInts;
        for (uint32_t i = 0; i < vec->len; ++i) {
          const int32_t index = v.Element<int32_t>(*vec, i, fp);
          if (index < 0) v.Fail(fp, "negative subgraph index " + std::to_string(index), vec->pos);
          graphs.graphs.push_back(ctx.subgraph(static_cast<uint32_t>(index), fp));
          indices.ints.push_back(index);
        }
        node.attributes.push_back(std::move(graphs));
        node.attributes.push_back(std::move(indices));
        break;
      }
      case ts::FieldKind::kSubgraph: {
        // An absent index is the schema default 0: the model itself, which the reader refuses
        // as a cycle.
        const int32_t index = v.Scalar<int32_t>(t, id, 0, fp);
        if (index < 0) v.Fail(fp, "negative subgraph index " + std::to_string(index), t.pos);
        Attribute a;
        std::string_view name = f.name;
        if (name.size() > 6 && name.substr(name.size() - 6) == "_index") {
          name.remove_suffix(6);
        }
        a.name = std::string(name);
        a.type = AttrType::kGraph;
        a.graphs.push_back(ctx.subgraph(static_cast<uint32_t>(index), fp));
        node.attributes.push_back(std::move(a));
        node.attributes.push_back(IntAttr(f.name, index));
        break;
      }
    }
  }
}

void ReadCustomOptions(const OptionsContext& ctx, Node& node) {
  bool known = false;
  for (std::string_view op : kCustomWithOptions) known = known || node.op_type == op;
  if (!known) return;
  const Path p = ctx.path("custom_options");
  auto vec = ctx.view.VectorField(ctx.op, ts::op::kCustomOptions, 1, p);
  if (!vec || vec->len == 0) return;
  const std::string what = ctx.view.label() + ": " + p.ToString();
  for (FlexEntry& e : ReadFlexMap(ctx.bytes.substr(vec->pos, vec->len), what)) {
    switch (e.kind) {
      case FlexEntry::Kind::kInt:
      case FlexEntry::Kind::kBool:
        node.attributes.push_back(IntAttr(e.key, e.i));
        break;
      case FlexEntry::Kind::kFloat:
        node.attributes.push_back(FloatAttr(e.key, e.f));
        break;
      case FlexEntry::Kind::kString:
        node.attributes.push_back(StringAttr(e.key, std::move(e.s)));
        break;
      case FlexEntry::Kind::kOther:
        break;
    }
  }
}

}  // namespace

void ReadOperatorOptions(const OptionsContext& ctx, Node& node) {
  fb::View& v = ctx.view;
  const Path& p = ctx.path;
  const uint8_t type =
      v.Scalar<uint8_t>(ctx.op, ts::op::kOptionsType, 0, p("builtin_options_type"));
  if (type != 0) {
    const ts::OptionsTable* table = ts::BuiltinOptions(type);
    if (!table) {
      v.Fail(p("builtin_options_type"), "unknown options type " + std::to_string(type), ctx.op.pos);
    }
    if (auto t = v.SubTable(ctx.op, ts::op::kOptions, p("builtin_options"))) {
      ReadTable(ctx, *table, *t, p(table->name.c_str()), node);
    }
  }
  const uint8_t type2 =
      v.Scalar<uint8_t>(ctx.op, ts::op::kOptions2Type, 0, p("builtin_options_2_type"));
  if (type2 != 0) {
    const ts::OptionsTable* table = ts::BuiltinOptions2(type2);
    if (!table) {
      v.Fail(p("builtin_options_2_type"), "unknown options type " + std::to_string(type2),
             ctx.op.pos);
    }
    if (auto t = v.SubTable(ctx.op, ts::op::kOptions2, p("builtin_options_2"))) {
      ReadTable(ctx, *table, *t, p(table->name.c_str()), node);
    }
  }
  if (node.domain == "tflite.custom") ReadCustomOptions(ctx, node);
}

}  // namespace tops::io
