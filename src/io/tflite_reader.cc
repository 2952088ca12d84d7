// TFLite reader: walks Model -> subgraphs -> tensors / operators through the checked FlatBuffer
// view (flatbuffer.h); field slots and codes come from tflite_schema.h. Operator options become
// attributes (tflite_options.cc). Buffers are looked at only for the few tensors whose values or
// stored size are needed, so weight pages stay untouched.
#include "io/tflite_reader.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <unordered_set>

#include "core/checked.h"
#include "io/flatbuffer.h"
#include "io/tflite_internal.h"
#include "io/tflite_schema.h"
#include "tops/error.h"

namespace tops::io {
namespace {

namespace ts = tflite;
using fb::Path;

constexpr uint32_t kSchemaVersion = 3;
constexpr int kMaxSubgraphNesting = 64;
constexpr std::string_view kEdgeTpuOp = "edgetpu-custom-op";

struct OpCode {
  std::string domain;  // "tflite" or "tflite.custom"
  std::string op;
};

struct OperatorInfo {
  fb::Table table;
  uint32_t opcode = 0;
  std::vector<int32_t> inputs, outputs;
};

class Reader {
 public:
  Reader(std::string_view bytes, const std::string& label)
      : bytes_(bytes), v_(bytes, label, 64 * static_cast<uint64_t>(bytes.size()) + (1u << 24)) {}

  Model Read() {
    const Path root{nullptr, "Model", -1};
    if (bytes_.size() < 8) {
      v_.Fail(Path{},
              "file of " + std::to_string(bytes_.size()) +
                  " bytes is too short for a TFLite FlatBuffer",
              0);
    }
    if (bytes_.substr(4, 4) != "TFL3") {
      v_.Fail(Path{},
              "file identifier '" + Printable(bytes_.substr(4, 4)) +
                  "' is not TFL3 (not a TensorFlow Lite model)",
              4);
    }
    model_ = v_.TableAt(0, root);
    Model m;
    const uint32_t version = v_.Scalar<uint32_t>(model_, ts::model::kVersion, 0, root("version"));
    if (version != kSchemaVersion) {
      v_.Fail(root("version"),
              "schema version " + std::to_string(version) + " is not supported (TFLite reads 3)",
              model_.pos);
    }
    m.ir_version = version;
    m.producer_name = "tflite";
    if (auto d = v_.String(model_, ts::model::kDescription, root("description"))) {
      m.producer_version = std::string(d->substr(0, 256));
    }
    m.opsets.push_back({"tflite", version});
    ReadOpCodes(root);
    auto sgs = v_.VectorField(model_, ts::model::kSubgraphs, 4, root("subgraphs"));
    if (!sgs || sgs->len == 0) v_.Fail(root("subgraphs"), "the model has no subgraphs", model_.pos);
    subgraphs_ = *sgs;
    if (auto b = v_.VectorField(model_, ts::model::kBuffers, 4, root("buffers"))) buffers_ = *b;
    tensors_.emplace(v_, bytes_, buffers_);
    built_.resize(subgraphs_.len);
    state_.assign(subgraphs_.len, 0);
    std::shared_ptr<Graph> main = Subgraph(0, 0, root);
    m.graph = *main;
    ReadSignatures(root, m);
    for (std::string& note : notes_) m.notes.push_back(std::move(note));
    return m;
  }

 private:
  static std::string Printable(std::string_view s) {
    std::string out;
    for (char c : s) out += (c >= 32 && c < 127) ? c : '?';
    return out;
  }

  void ReadOpCodes(const Path& root) {
    const Path p = root("operator_codes");
    auto codes = v_.VectorField(model_, ts::model::kOperatorCodes, 4, p);
    if (!codes) return;
    v_.Charge(codes->len, p, codes->pos);
    for (uint32_t i = 0; i < codes->len; ++i) {
      const Path pi = p[i];
      const fb::Table t = v_.TableElement(*codes, i, pi);
      // Old files have only the 8-bit deprecated_builtin_code; newer ones write both, with 127
      // (placeholder) in the old field for codes above it. The code is the larger of the two.
      const int32_t old_code = v_.Scalar<int8_t>(t, ts::opcode::kDeprecatedBuiltinCode, 0,
                                                 pi("deprecated_builtin_code"));
      const int32_t new_code =
          v_.Scalar<int32_t>(t, ts::opcode::kBuiltinCode, 0, pi("builtin_code"));
      const int32_t code = std::max(old_code, new_code);
      OpCode oc;
      if (code == ts::kCustomCode) {
        auto name = v_.String(t, ts::opcode::kCustomCode, pi("custom_code"));
        if (!name || name->empty()) v_.Fail(pi, "custom operator without custom_code", t.pos);
        v_.Charge(name->size(), pi, t.pos);
        oc.domain = "tflite.custom";
        oc.op = std::string(*name);
      } else {
        oc.domain = "tflite";
        const std::string_view n = ts::BuiltinName(code);
        if (code < 0)
          v_.Fail(pi("builtin_code"), "negative builtin code " + std::to_string(code), t.pos);
        oc.op = n.empty() ? "BUILTIN_" + std::to_string(code) : std::string(n);
      }
      opcodes_.push_back(std::move(oc));
    }
  }

  std::shared_ptr<Graph> Subgraph(uint32_t index, int depth, const Path& from) {
    if (index >= subgraphs_.len) {
      v_.Fail(from,
              "subgraph index " + std::to_string(index) + " out of range (" +
                  std::to_string(subgraphs_.len) + " subgraphs)",
              model_.pos);
    }
    if (state_[index] == 2) return built_[index];
    if (state_[index] == 1) {
      v_.Fail(
          from,
          "subgraph " + std::to_string(index) + " calls itself (a cycle of subgraph references)",
          model_.pos);
    }
    if (depth > kMaxSubgraphNesting) {
      v_.Fail(from, "subgraphs nested more than " + std::to_string(kMaxSubgraphNesting) + " deep",
              model_.pos);
    }
    state_[index] = 1;
    built_[index] = BuildSubgraph(index, depth);
    state_[index] = 2;
    return built_[index];
  }

  std::shared_ptr<Graph> BuildSubgraph(uint32_t index, int depth);
  void ReadSignatures(const Path& root, const Model& m);

  std::string_view bytes_;
  fb::View v_;
  fb::Table model_;
  fb::Vector subgraphs_, buffers_;
  std::optional<TensorReader> tensors_;
  std::vector<OpCode> opcodes_;
  std::vector<std::shared_ptr<Graph>> built_;
  std::vector<int> state_;  // 0 not built, 1 being built, 2 built
  std::vector<std::string> notes_;
  int edgetpu_ops_ = 0;
  friend class SubgraphBuilder;
};

std::shared_ptr<Graph> Reader::BuildSubgraph(uint32_t index, int depth) {
  const Path sp{nullptr, "subgraphs", index};
  const fb::Table sg = v_.TableElement(subgraphs_, index, sp);
  auto g = std::make_shared<Graph>();
  if (auto n = v_.String(sg, ts::subgraph::kName, sp("name")); n && !n->empty()) {
    v_.Charge(n->size(), sp, sg.pos);
    g->name = std::string(*n);
  } else {
    g->name = index == 0 ? "main" : "subgraph_" + std::to_string(index);
  }
  std::vector<TensorInfo> tensors;
  fb::Vector tvec;
  if (auto t = v_.VectorField(sg, ts::subgraph::kTensors, 4, sp("tensors"))) tvec = *t;
  v_.Charge(tvec.len, sp("tensors"), tvec.pos);
  tensors.reserve(tvec.len);
  for (uint32_t i = 0; i < tvec.len; ++i)
    tensors.push_back(tensors_->Read(tvec, i, sp("tensors")[i]));
  const int64_t n_tensors = tvec.len;
  auto check_index = [&](int32_t t, bool optional, const Path& p, uint64_t at) {
    if ((optional && t == -1) || (t >= 0 && t < n_tensors)) return;
    v_.Fail(p,
            "tensor index " + std::to_string(t) + " out of range (" + std::to_string(n_tensors) +
                " tensors)",
            at);
  };
  const std::vector<int32_t> ins = tensors_->Ints32(sg, ts::subgraph::kInputs, sp("inputs"));
  const std::vector<int32_t> outs = tensors_->Ints32(sg, ts::subgraph::kOutputs, sp("outputs"));
  for (int32_t t : ins) check_index(t, false, sp("inputs"), sg.pos);
  for (int32_t t : outs) check_index(t, false, sp("outputs"), sg.pos);

  std::vector<OperatorInfo> ops;
  fb::Vector ovec;
  if (auto o = v_.VectorField(sg, ts::subgraph::kOperators, 4, sp("operators"))) ovec = *o;
  v_.Charge(ovec.len, sp("operators"), ovec.pos);
  ops.reserve(ovec.len);
  std::vector<char> produced(tensors.size(), 0), consumed(tensors.size(), 0),
      is_input(tensors.size(), 0);
  for (int32_t t : ins) is_input[static_cast<size_t>(t)] = 1;
  for (uint32_t i = 0; i < ovec.len; ++i) {
    const Path op = sp.At("operators", i);
    OperatorInfo info;
    info.table = v_.TableElement(ovec, i, op);
    info.opcode = v_.Scalar<uint32_t>(info.table, ts::op::kOpcodeIndex, 0, op("opcode_index"));
    if (info.opcode >= opcodes_.size()) {
      v_.Fail(op("opcode_index"),
              "opcode index " + std::to_string(info.opcode) + " out of range (" +
                  std::to_string(opcodes_.size()) + " operator codes)",
              info.table.pos);
    }
    info.inputs = tensors_->Ints32(info.table, ts::op::kInputs, op("inputs"));
    info.outputs = tensors_->Ints32(info.table, ts::op::kOutputs, op("outputs"));
    for (int32_t t : info.inputs) {
      check_index(t, true, op("inputs"), info.table.pos);
      if (t >= 0) consumed[static_cast<size_t>(t)] = 1;
    }
    for (int32_t t : info.outputs) {
      check_index(t, true, op("outputs"), info.table.pos);
      if (t >= 0) produced[static_cast<size_t>(t)] = 1;
    }
    ops.push_back(std::move(info));
  }

  // IR names: the file's names, made unique (TFLite does not require them to be).
  std::vector<std::string> names(tensors.size());
  std::unordered_set<std::string> used;
  for (size_t i = 0; i < tensors.size(); ++i) {
    std::string n =
        tensors[i].file_name.empty() ? "tensor_" + std::to_string(i) : tensors[i].file_name;
    if (!used.insert(n).second) {
      n += "#" + std::to_string(i);
      used.insert(n);
    }
    names[i] = std::move(n);
  }

  for (int32_t t : ins) {
    const TensorInfo& ti = tensors[static_cast<size_t>(t)];
    g->inputs.push_back(TensorReader::ValueInfoOf(ti, names[static_cast<size_t>(t)], index == 0));
  }
  for (int32_t t : outs) {
    const TensorInfo& ti = tensors[static_cast<size_t>(t)];
    g->outputs.push_back(TensorReader::ValueInfoOf(ti, names[static_cast<size_t>(t)], false));
  }
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Path tp = sp.At("tensors", static_cast<int64_t>(i));
    if (is_input[i]) continue;
    if (produced[i]) {
      g->value_info.push_back(TensorReader::ValueInfoOf(tensors[i], names[i], false));
    } else if (consumed[i] ||
               std::find(outs.begin(), outs.end(), static_cast<int32_t>(i)) != outs.end()) {
      g->initializers.push_back(tensors_->Constant(tensors[i], names[i], tp));
    }
  }

  g->nodes.reserve(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) {
    const Path op = sp.At("operators", static_cast<int64_t>(i));
    const OperatorInfo& info = ops[i];
    const OpCode& code = opcodes_[info.opcode];
    Node n;
    n.op_type = code.op;
    n.domain = code.domain;
    // Each reference copies a name: charged before the copy, so a long name read many times
    // is refused before it is copied many times.
    for (const std::vector<int32_t>* list : {&info.inputs, &info.outputs}) {
      std::vector<std::string>& dst = list == &info.inputs ? n.inputs : n.outputs;
      for (int32_t t : *list) {
        if (t >= 0) v_.Charge(names[static_cast<size_t>(t)].size(), op, info.table.pos);
        dst.push_back(t < 0 ? "" : names[static_cast<size_t>(t)]);
      }
    }
    for (const auto& o : n.outputs) {
      if (n.name.empty()) n.name = o;
    }
    OptionsContext oc{v_, bytes_, info.table, op, [&](uint32_t sub, const Path& from) {
                        return Subgraph(sub, depth + 1, from);
                      }};
    ReadOperatorOptions(oc, n);
    // QUANTIZE's and CAST's output type is the output tensor's: record it where the op's shape
    // function looks (CAST's options are optional in the schema).
    if (code.domain == "tflite" && (code.op == "QUANTIZE" || code.op == "CAST") &&
        !info.outputs.empty() && info.outputs[0] >= 0) {
      Attribute a;
      a.name = "output_dtype";
      a.type = AttrType::kInt;
      a.i = static_cast<int64_t>(tensors[static_cast<size_t>(info.outputs[0])].dtype);
      n.attributes.push_back(std::move(a));
    }
    if (code.domain == "tflite.custom" && code.op == kEdgeTpuOp) ++edgetpu_ops_;
    g->nodes.push_back(std::move(n));
  }
  if (index == 0 && edgetpu_ops_ > 0) {
    notes_.push_back(
        "compiled for the Edge TPU: the work of the layers it maps is inside " +
        std::to_string(edgetpu_ops_) + " " + std::string(kEdgeTpuOp) +
        " node(s), which tops cannot see; profile the model before edgetpu_compiler (the "
        "uncompiled .tflite) for per-layer costs");
  }
  return g;
}

void Reader::ReadSignatures(const Path& root, const Model& m) {
  const Path p = root("signature_defs");
  auto sigs = v_.VectorField(model_, ts::model::kSignatureDefs, 4, p);
  if (!sigs) return;
  v_.Charge(sigs->len, p, sigs->pos);
  for (uint32_t i = 0; i < sigs->len; ++i) {
    const Path sp = p[i];
    const fb::Table s = v_.TableElement(*sigs, i, sp);
    std::string key(
        v_.String(s, ts::signature::kKey, sp("signature_key")).value_or("").substr(0, 256));
    const uint32_t sub =
        v_.Scalar<uint32_t>(s, ts::signature::kSubgraphIndex, 0, sp("subgraph_index"));
    if (sub >= subgraphs_.len) {
      v_.Fail(sp("subgraph_index"),
              "subgraph index " + std::to_string(sub) + " out of range (" +
                  std::to_string(subgraphs_.len) + " subgraphs)",
              s.pos);
    }
    for (int slot : {ts::signature::kInputs, ts::signature::kOutputs}) {
      const Path mp = sp(slot == ts::signature::kInputs ? "inputs" : "outputs");
      auto maps = v_.VectorField(s, slot, 4, mp);
      if (!maps) continue;
      v_.Charge(maps->len, mp, maps->pos);
      for (uint32_t k = 0; k < maps->len; ++k) {
        const fb::Table tm = v_.TableElement(*maps, k, mp[k]);
        (void)v_.String(tm, ts::tensor_map::kName, mp[k]("name"));
        (void)v_.Scalar<uint32_t>(tm, ts::tensor_map::kTensorIndex, 0, mp[k]("tensor_index"));
      }
    }
    // The main subgraph's own signature needs no remark; another entry point is not profiled.
    if (sub != 0) {
      notes_.push_back("signature '" + key + "' runs subgraph " + std::to_string(sub) +
                       ", which is not profiled (tops profiles subgraph 0, '" + m.graph.name +
                       "')");
    }
  }
}

}  // namespace

bool LooksLikeTflite(std::string_view head) {
  return head.size() >= 8 && head.substr(4, 4) == "TFL3";
}

Model ReadTfliteBytes(std::string_view bytes, const std::string& label) {
  Model m = Reader(bytes, label).Read();
  m.format = "tflite";
  m.path = label;
  m.file_bytes = bytes.size();
  return m;
}

}  // namespace tops::io
