// The malformed-input table: hand-made broken files, each with the
// outcome it must produce. Every case runs through the library (ReadOnnxBytes/ReadOnnxFile ->
// ProfileModel -> every writer) and through the CLI, which must exit 2 with the message on
// stderr for errors, exit 0 otherwise, and stay within the time and memory bounds of
// run_cli.h. Cases are built here from bytes or with the ONNX protobuf API so each one states
// exactly what is broken. With TOPS_WRITE_CORPUS=DIR set, every case's bytes are also written
// to DIR (how tests/fuzz/corpus/ got its hand-made seeds).
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "../fuzz/pipeline.h"
#include "run_cli.h"
#include "tops/error.h"
#include "tops/profile.h"
#include "tops/read.h"

namespace tops {
namespace {

namespace fs = std::filesystem;
using testing::RunCli;

// ---- Raw protobuf wire bytes ----

std::string Varint(uint64_t v) {
  std::string s;
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if (v) b |= 0x80;
    s.push_back(static_cast<char>(b));
  } while (v);
  return s;
}
std::string Key(int field, int wire_type) {
  return Varint(static_cast<uint64_t>(field) << 3 | static_cast<uint64_t>(wire_type));
}
std::string VField(int field, uint64_t v) { return Key(field, 0) + Varint(v); }
std::string LField(int field, const std::string& payload) {
  return Key(field, 2) + Varint(payload.size()) + payload;
}

// ir_version 8 and opset 17: a valid ModelProto prefix for graph-level wire cases.
std::string Header() {
  return VField(onnx::ModelProto::kIrVersionFieldNumber, 8) +
         LField(onnx::ModelProto::kOpsetImportFieldNumber,
                VField(onnx::OperatorSetIdProto::kVersionFieldNumber, 17));
}
std::string WithGraph(const std::string& graph_payload) {
  return Header() + LField(onnx::ModelProto::kGraphFieldNumber, graph_payload);
}
std::string WithNode(const std::string& node_payload) {
  return WithGraph(LField(onnx::GraphProto::kNodeFieldNumber, node_payload));
}
std::string OpType(const std::string& op) {
  return LField(onnx::NodeProto::kOpTypeFieldNumber, op);
}

// ---- Models built with the ONNX protobuf API ----

onnx::ModelProto NewModel(int64_t opset = 17) {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.set_producer_name("malformed_test");
  if (opset > 0) m.add_opset_import()->set_version(opset);
  m.mutable_graph()->set_name("g");
  return m;
}

void SetType(onnx::ValueInfoProto* v, const std::string& name, const std::vector<int64_t>& dims,
             int elem_type, const std::string& symbol = "") {
  v->set_name(name);
  auto* t = v->mutable_type()->mutable_tensor_type();
  t->set_elem_type(elem_type);
  auto* shape = t->mutable_shape();
  if (!symbol.empty()) shape->add_dim()->set_dim_param(symbol);
  for (int64_t d : dims) shape->add_dim()->set_dim_value(d);
}
void Input(onnx::ModelProto& m, const std::string& name, const std::vector<int64_t>& dims,
           int elem_type = onnx::TensorProto::FLOAT, const std::string& symbol = "") {
  SetType(m.mutable_graph()->add_input(), name, dims, elem_type, symbol);
}
void Output(onnx::ModelProto& m, const std::string& name) {
  m.mutable_graph()->add_output()->set_name(name);
}
onnx::NodeProto* AddNode(onnx::GraphProto* g, const std::string& op,
                         const std::vector<std::string>& ins, const std::vector<std::string>& outs,
                         const std::string& name) {
  auto* n = g->add_node();
  n->set_op_type(op);
  n->set_name(name);
  for (const auto& i : ins) n->add_input(i);
  for (const auto& o : outs) n->add_output(o);
  return n;
}
onnx::NodeProto* AddNode(onnx::ModelProto& m, const std::string& op,
                         const std::vector<std::string>& ins, const std::vector<std::string>& outs,
                         const std::string& name) {
  return AddNode(m.mutable_graph(), op, ins, outs, name);
}
void IntsAttr(onnx::NodeProto* n, const std::string& name, const std::vector<int64_t>& v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}
onnx::TensorProto* Int64Init(onnx::ModelProto& m, const std::string& name,
                             const std::vector<int64_t>& values, bool scalar = false) {
  auto* t = m.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::INT64);
  if (!scalar) t->add_dims(static_cast<int64_t>(values.size()));
  for (int64_t v : values) t->add_int64_data(v);
  return t;
}
onnx::TensorProto* FloatInit(onnx::ModelProto& m, const std::string& name,
                             const std::vector<int64_t>& dims) {
  auto* t = m.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims) t->add_dims(d);
  return t;
}
std::string Ser(const onnx::ModelProto& m) {
  std::string s;
  m.SerializeToString(&s);
  return s;
}

// X[1,3,8,8] -> Relu 'r' -> Y: the well-formed base that graph-level cases break.
onnx::ModelProto ReluModel() {
  onnx::ModelProto m = NewModel();
  Input(m, "X", {1, 3, 8, 8});
  AddNode(m, "Relu", {"X"}, {"Y"}, "r");
  Output(m, "Y");
  return m;
}

std::string Fixture(const std::string& name) {
  return testing::Slurp(std::string(TOPS_TEST_DIR) + "/models/" + name);
}

// ---- The table ----

enum class Expect { kError, kOk };

struct Case {
  std::string name;
  Expect expect;
  // Error: a fragment of the message. Ok: a fragment of one diagnostic ("node: message"), or
  // empty when the profile must have no diagnostics at all.
  std::string fragment;
  std::function<std::string()> bytes;  // the file's contents; unset for path cases
  std::function<std::string(const std::string& dir)> path = nullptr;  // path cases only
};

std::vector<Case> Table() {
  std::vector<Case> t;
  auto bytes = [&](std::string name, Expect e, std::string frag, std::function<std::string()> f) {
    t.push_back({std::move(name), e, std::move(frag), std::move(f)});
  };
  auto model = [&](std::string name, Expect e, std::string frag,
                   std::function<void(onnx::ModelProto&)> edit) {
    t.push_back({std::move(name), e, std::move(frag), [edit] {
                   onnx::ModelProto m = ReluModel();
                   edit(m);
                   return Ser(m);
                 }});
  };
  const Expect kErr = Expect::kError, kOk = Expect::kOk;
  using MP = onnx::ModelProto;

  // -- Files that are not models at all --
  t.push_back({"missing_file", kErr, "cannot open: No such file", nullptr,
               [](const std::string& dir) { return dir + "/does_not_exist.onnx"; }});
  t.push_back(
      {"directory", kErr, "is a directory", nullptr, [](const std::string& dir) { return dir; }});
  t.push_back({"character_device", kErr, "not a regular file", nullptr,
               [](const std::string&) { return std::string("/dev/null"); }});
  bytes("empty_file", kErr, "empty file", [] { return std::string(); });
  bytes("one_byte_tag_without_value", kErr, "truncated or overflowing varint in ModelProto.ir",
        [] { return std::string("\x08", 1); });
  bytes("one_byte_zero", kErr, "first byte 0x00", [] { return std::string(1, '\0'); });
  bytes("one_byte_length_delimited_ir_version", kErr, "wrong wire type 2 for ModelProto.ir",
        [] { return std::string("\x0a", 1); });
  bytes("text_file", kErr, "first byte 0x23", [] { return std::string("# not a model\n"); });
  bytes("zip_archive", kErr, "at byte", [] { return std::string("PK\x03\x04\x14\0\0\0", 8); });

  // -- Wire format --
  bytes("varint_overflow", kErr, "truncated or overflowing varint", [] {
    return Key(onnx::ModelProto::kIrVersionFieldNumber, 0) + std::string(11, '\xff') + "\x01";
  });
  bytes("wrong_wire_type_graph_as_varint", kErr, "wrong wire type 0 for ModelProto.graph",
        [] { return Header() + VField(onnx::ModelProto::kGraphFieldNumber, 5); });
  bytes("wrong_wire_type_node_input", kErr, "wrong wire type 0 for NodeProto.input",
        [] { return WithNode(OpType("Relu") + VField(onnx::NodeProto::kInputFieldNumber, 1)); });
  bytes("wrong_wire_type_tensor_dims", kErr, "wrong wire type 5 for TensorProto.dims", [] {
    return WithGraph(LField(onnx::GraphProto::kInitializerFieldNumber,
                            Key(onnx::TensorProto::kDimsFieldNumber, 5) + "abcd"));
  });
  bytes("huge_length_graph", kErr, "runs past the end",
        [] { return Header() + Key(onnx::ModelProto::kGraphFieldNumber, 2) + Varint(0x7ffffff0); });
  bytes("length_over_4gib", kErr, "overflowing length", [] {
    return Header() + Key(onnx::ModelProto::kGraphFieldNumber, 2) + Varint(uint64_t{1} << 40);
  });
  bytes("huge_length_node_name", kErr, "length 100 of NodeProto.name runs past the end", [] {
    return WithNode(OpType("Relu") + Key(onnx::NodeProto::kNameFieldNumber, 2) + Varint(100) +
                    "abc");
  });
  bytes("group_wire_type", kErr, "unsupported wire type 3", [] { return Header() + Key(30, 3); });
  bytes("wire_type_7", kErr, "unsupported wire type 7", [] { return Header() + Key(30, 7); });
  bytes("field_number_zero", kErr, "invalid field number 0",
        [] { return Header() + Key(0, 2) + std::string(1, '\0'); });
  bytes("truncated_fixed64", kErr, "truncated 64-bit field",
        [] { return Header() + Key(31, 1) + "abc"; });
  bytes("truncated_fixed32", kErr, "truncated 32-bit field",
        [] { return Header() + Key(31, 5) + "a"; });
  bytes("truncated_float_attribute", kErr, "truncated float in AttributeProto.f", [] {
    return WithNode(OpType("Relu") + LField(onnx::NodeProto::kAttributeFieldNumber,
                                            Key(onnx::AttributeProto::kFFieldNumber, 5) + "ab"));
  });
  bytes("truncated_packed_ints", kErr, "varint in AttributeProto.ints", [] {
    return WithNode(OpType("Relu") +
                    LField(onnx::NodeProto::kAttributeFieldNumber,
                           LField(onnx::AttributeProto::kIntsFieldNumber, "\x01\xff")));
  });
  bytes("no_model_fields", kErr, "no ModelProto fields",
        [] { return LField(onnx::ModelProto::kDocStringFieldNumber, "hello"); });
  bytes("no_graph", kErr, "has no graph", [] { return Header(); });
  bytes("two_graphs", kErr, "more than one graph", [] {
    return Header() + LField(onnx::ModelProto::kGraphFieldNumber, "") +
           LField(onnx::ModelProto::kGraphFieldNumber, "");
  });
  bytes("node_without_op_type", kErr, "has no op_type",
        [] { return WithNode(LField(onnx::NodeProto::kNameFieldNumber, "n")); });
  bytes("nesting_too_deep", kErr, "nested deeper than 64", [] {
    // Graph -> node -> attribute -> graph ... : three messages per If level.
    std::string graph;
    for (int level = 0; level < 25; ++level) {
      const std::string attr =
          LField(onnx::AttributeProto::kNameFieldNumber, "then_branch") +
          VField(onnx::AttributeProto::kTypeFieldNumber, onnx::AttributeProto::GRAPH) +
          LField(onnx::AttributeProto::kGFieldNumber, graph);
      graph = LField(onnx::GraphProto::kNodeFieldNumber,
                     OpType("If") + LField(onnx::NodeProto::kAttributeFieldNumber, attr));
    }
    return WithGraph(graph);
  });

  // -- Dims and sizes --
  model("negative_initializer_dim", kErr, "tensor 'W' has negative dim -3", [](MP& m) {
    FloatInit(m, "W", {4, -3});
  });
  bytes("negative_value_info_dim", kErr, "value 'X' has negative dim -5", [] {
    onnx::ModelProto m = ReluModel();
    m.mutable_graph()
        ->mutable_input(0)
        ->mutable_type()
        ->mutable_tensor_type()
        ->mutable_shape()
        ->mutable_dim(1)
        ->set_dim_value(-5);
    return Ser(m);
  });
  model("initializer_elems_overflow", kErr, "tensor 'W' element count overflows", [](MP& m) {
    FloatInit(m, "W", {int64_t{1} << 32, int64_t{1} << 32});
  });
  model("initializer_2p62_float_bytes_overflow", kErr, "initializer 'W'", [](MP& m) {
    FloatInit(m, "W", {int64_t{1} << 31, int64_t{1} << 31});
  });
  model("initializer_2p62_int8_is_fine", kOk, "", [](MP& m) {
    FloatInit(m, "W", {int64_t{1} << 31, int64_t{1} << 31})->set_data_type(onnx::TensorProto::INT8);
  });
  model("input_2p62_float_elems", kOk, "r: bytes unknown", [](MP& m) {
    auto* shape =
        m.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
    shape->Clear();
    shape->add_dim()->set_dim_value(int64_t{1} << 31);
    shape->add_dim()->set_dim_value(int64_t{1} << 31);
  });
  model("input_dims_product_overflow", kOk, "r: cost unknown", [](MP& m) {
    auto* shape =
        m.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
    for (int i = 0; i < 4; ++i) shape->mutable_dim(i)->set_dim_value(int64_t{1} << 20);
  });
  bytes("matmul_macs_overflow", kOk, "mm: MACs overflows", [] {
    onnx::ModelProto m = NewModel();
    Input(m, "A", {int64_t{1} << 20, int64_t{1} << 21});
    Input(m, "B", {int64_t{1} << 21, int64_t{1} << 30});
    AddNode(m, "MatMul", {"A", "B"}, {"C"}, "mm");
    Output(m, "C");
    return Ser(m);
  });
  bytes("conv_pads_overflow", kOk, "Conv 'c': output shape unknown: padding overflows", [] {
    onnx::ModelProto m = NewModel();
    Input(m, "X", {1, 3, 8, 8});
    FloatInit(m, "W", {4, 3, 3, 3});
    IntsAttr(AddNode(m, "Conv", {"X", "W"}, {"Y"}, "c"), "pads",
             {INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX});
    Output(m, "Y");
    return Ser(m);
  });
  bytes("conv_strides_extreme", kOk, "", [] {
    onnx::ModelProto m = NewModel();
    Input(m, "X", {1, 3, int64_t{1} << 40, 8});
    FloatInit(m, "W", {4, 3, 3, 3});
    auto* c = AddNode(m, "Conv", {"X", "W"}, {"Y"}, "c");
    IntsAttr(c, "strides", {INT64_MAX, INT64_MAX});
    auto* a = c->add_attribute();
    a->set_name("auto_pad");
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s("SAME_UPPER");
    Output(m, "Y");
    return Ser(m);
  });
  bytes("reshape_target_of_huge_rank", kOk,
        "Reshape 'rs': output shape unknown: input 1 ('S') is not known at load time: it is "
        "computed from graph input 'S', whose values are known only at run time",
        [] {
          onnx::ModelProto m = NewModel();
          Input(m, "X", {4});
          Input(m, "S", {int64_t{1} << 40}, onnx::TensorProto::INT64);
          AddNode(m, "Reshape", {"X", "S"}, {"Y"}, "rs");
          Output(m, "Y");
          return Ser(m);
        });
  bytes("constant_of_shape_of_huge_rank", kOk,
        "ConstantOfShape 'cs': output shape unknown: input 0 ('S') is not known", [] {
          onnx::ModelProto m = NewModel();
          Input(m, "S", {int64_t{1} << 40}, onnx::TensorProto::INT64);
          AddNode(m, "ConstantOfShape", {"S"}, {"Y"}, "cs");
          Output(m, "Y");
          return Ser(m);
        });
  bytes("expand_to_huge_rank", kOk, "Expand 'ex': output shape unknown: input 1 ('S') is not known",
        [] {
          onnx::ModelProto m = NewModel();
          Input(m, "X", {4});
          Input(m, "S", {int64_t{1} << 40}, onnx::TensorProto::INT64);
          AddNode(m, "Expand", {"X", "S"}, {"Y"}, "ex");
          Output(m, "Y");
          return Ser(m);
        });
  bytes("range_float_length_1e60", kOk,
        "Range 'rg': output shape unknown: Range length is not a 64-bit size", [] {
          onnx::ModelProto m = NewModel();
          for (auto [name, v] : {std::pair{"s", 0.0f}, {"l", 1e30f}, {"d", 1e-30f}}) {
            auto* t = FloatInit(m, name, {});
            t->add_float_data(v);
          }
          AddNode(m, "Range", {"s", "l", "d"}, {"Y"}, "rg");
          Output(m, "Y");
          return Ser(m);
        });
  bytes("range_int64_full_span", kOk,
        "Range 'rg': output shape unknown: Range length is not a 64-bit size", [] {
          onnx::ModelProto m = NewModel();
          Int64Init(m, "s", {INT64_MIN}, true);
          Int64Init(m, "l", {INT64_MAX}, true);
          Int64Init(m, "d", {1}, true);
          AddNode(m, "Range", {"s", "l", "d"}, {"Y"}, "rg");
          Output(m, "Y");
          return Ser(m);
        });
  bytes("slice_step_int64_min", kOk, "Slice 'sl': output shape unknown: Slice step overflows", [] {
    onnx::ModelProto m = NewModel();
    Int64Init(m, "x", {1, 2, 3, 4});
    Int64Init(m, "st", {0});
    Int64Init(m, "en", {4});
    Int64Init(m, "ax", {0});
    Int64Init(m, "sp", {INT64_MIN});
    AddNode(m, "Slice", {"x", "st", "en", "ax", "sp"}, {"Y"}, "sl");
    Output(m, "Y");
    return Ser(m);
  });
  bytes("pad_overflow", kOk, "Pad 'pd': output shape unknown: Pad size overflows", [] {
    onnx::ModelProto m = NewModel();
    Input(m, "X", {4, INT64_MAX});
    Int64Init(m, "p", {0, 1, 0, INT64_MAX});
    AddNode(m, "Pad", {"X", "p"}, {"Y"}, "pd");
    Output(m, "Y");
    return Ser(m);
  });
  bytes("split_of_int64_max_dim", kErr, "tensor 'a': activation bytes overflows", [] {
    onnx::ModelProto m = NewModel();
    Input(m, "X", {INT64_MAX}, onnx::TensorProto::UINT8);
    AddNode(m, "Split", {"X"}, {"a", "b"}, "sp");
    Output(m, "a");
    return Ser(m);
  });
  bytes("concat_fold_blowup", kOk, "", [] {
    // 4000 inputs each a 1024-entry constant: folding them all would hold 4 M values.
    onnx::ModelProto m = NewModel();
    std::vector<int64_t> big(1024, 7);
    Int64Init(m, "k", big);
    AddNode(m, "Concat", std::vector<std::string>(4000, "k"), {"Y"}, "cat");
    Output(m, "Y");
    return Ser(m);
  });

  // -- Graph structure --
  bytes("cycle_of_two_nodes", kErr, "graph has a cycle: 'a' (Relu) -> 'b' (Relu) -> 'a' (Relu)",
        [] {
          onnx::ModelProto m = NewModel();
          AddNode(m, "Relu", {"v2"}, {"v1"}, "a");
          AddNode(m, "Relu", {"v1"}, {"v2"}, "b");
          Output(m, "v1");
          return Ser(m);
        });
  model("self_loop", kErr, "graph has a cycle: 's' (Add) -> 's' (Add)", [](MP& m) {
    AddNode(m, "Add", {"Y", "Z"}, {"Z"}, "s");
  });
  bytes("cycle_through_subgraph", kErr, "'branch' (If) -> 'after' (Relu) -> 'branch' (If)", [] {
    onnx::ModelProto m = NewModel();
    Input(m, "cond", {}, onnx::TensorProto::BOOL);
    auto* iff = AddNode(m, "If", {"cond"}, {"y"}, "branch");
    for (const char* branch : {"then_branch", "else_branch"}) {
      auto* a = iff->add_attribute();
      a->set_name(branch);
      a->set_type(onnx::AttributeProto::GRAPH);
      AddNode(a->mutable_g(), "Identity", {"z"}, {"t"}, "inner");
      a->mutable_g()->add_output()->set_name("t");
    }
    AddNode(m, "Relu", {"y"}, {"z"}, "after");
    Output(m, "z");
    return Ser(m);
  });
  model("dangling_input", kOk, "r2: input 'ghost' is not produced", [](MP& m) {
    AddNode(m, "Add", {"Y", "ghost"}, {"Z"}, "r2");
  });
  model("duplicate_output", kErr, "tensor 'Y' is produced by two nodes: 'r' (Relu) and 'r2'",
        [](MP& m) { AddNode(m, "Relu", {"X"}, {"Y"}, "r2"); });
  model("output_shadows_graph_input", kErr, "tensor 'X' is both a graph input",
        [](MP& m) { AddNode(m, "Relu", {"Y"}, {"X"}, "r2"); });
  model("missing_opset", kOk, "imports no default-domain opset",
        [](MP& m) { m.clear_opset_import(); });
  model("only_custom_domain_opset", kOk, "imports no default-domain opset", [](MP& m) {
    m.clear_opset_import();
    auto* o = m.add_opset_import();
    o->set_domain("com.example");
    o->set_version(1);
  });
  model("unknown_domain", kOk, "no cost formula for op com.example::Frob",
        [](MP& m) { AddNode(m, "Frob", {"Y"}, {"Z"}, "f")->set_domain("com.example"); });
  model("unknown_default_domain_op", kOk, "no cost formula for op NotAnOnnxOp",
        [](MP& m) { AddNode(m, "NotAnOnnxOp", {"Y"}, {"Z"}, "f"); });
  bytes("empty_graph", kOk, "graph has no nodes", [] { return Ser(NewModel()); });
  model("duplicate_initializer", kOk, "initializer 'W' is defined twice", [](MP& m) {
    FloatInit(m, "W", {2});
    FloatInit(m, "W", {3});
  });
  model("unbound_symbolic_dim", kOk, "unbound dim 'batch'", [](MP& m) {
    m.mutable_graph()->clear_input();
    Input(m, "X", {3, 8, 8}, onnx::TensorProto::FLOAT, "batch");
  });
  model("constant_without_value", kOk, "Constant node has no value attribute",
        [](MP& m) { AddNode(m, "Constant", {}, {"K"}, "k"); });
  model("external_data_initializer_never_opened", kOk, "", [](MP& m) {
    auto* t = FloatInit(m, "W", {8, 8});
    t->set_data_location(onnx::TensorProto::EXTERNAL);
    auto* e = t->add_external_data();
    e->set_key("location");
    e->set_value("/nonexistent/weights.bin");
    AddNode(m, "MatMul", {"Y", "W"}, {"Z"}, "mm");
  });
  model("raw_data_size_mismatch", kOk,
        "initializer 'S', whose values the file does not hold in a readable form", [](MP& m) {
          auto* t = m.mutable_graph()->add_initializer();
          t->set_name("S");
          t->set_data_type(onnx::TensorProto::INT64);
          t->add_dims(2);
          t->set_raw_data(std::string(5, '\1'));
          AddNode(m, "Reshape", {"Y", "S"}, {"Z"}, "rs");
        });
  bytes("long_chain_10000_nodes", kOk, "", [] {
    onnx::ModelProto m = NewModel();
    Input(m, "X", {1, 16});
    std::string prev = "X";
    for (int i = 0; i < 10000; ++i) {
      const std::string out = "t" + std::to_string(i);
      AddNode(m, "Relu", {prev}, {out}, "");
      prev = out;
    }
    Output(m, prev);
    return Ser(m);
  });

  // -- Truncations: resnet18.onnx cut at 32 offsets spread over the file, and its graph cut at
  // 16 offsets with the outer length fixed so the cut lands inside nested messages. --
  for (int k = 0; k < 32; ++k) {
    bytes("resnet18_prefix_" + std::to_string(k), kErr, "at byte", [k] {
      const std::string full = Fixture("resnet18.onnx");
      // The last bytes are the opset_import after the graph: a cut there leaves a valid model.
      const size_t graph_end = full.size() - 16;
      return full.substr(0, 1 + (graph_end - 1) * static_cast<size_t>(k) / 32);
    });
  }
  for (int k = 0; k < 16; ++k) {
    // protobuf itself is the oracle: a cut it accepts (at a field boundary) must load, a cut it
    // rejects must be an error naming a byte offset.
    bytes("resnet18_graph_cut_" + std::to_string(k), kErr, "at byte", [k] {
      onnx::ModelProto m;
      m.ParseFromString(Fixture("resnet18.onnx"));
      std::string g;
      m.graph().SerializeToString(&g);
      g.resize(g.size() * static_cast<size_t>(2 * k + 1) / 32 + 3);
      return WithGraph(g);
    });
  }
  return t;
}

struct Prepared {
  Case c;
  std::string path;   // file handed to ReadOnnxFile and the CLI
  std::string bytes;  // for byte cases
};

std::string ScratchDir() {
  static const std::string dir = [] {
    std::string d = ::testing::TempDir() + "tops_malformed_" + std::to_string(getpid());
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

Prepared Prepare(const Case& c) {
  Prepared p{c, "", ""};
  if (c.path) {
    p.path = c.path(ScratchDir());
    return p;
  }
  p.bytes = c.bytes();
  p.path = ScratchDir() + "/" + c.name + ".onnx";
  std::ofstream(p.path, std::ios::binary) << p.bytes;
  if (const char* dir = std::getenv("TOPS_WRITE_CORPUS")) {
    std::ofstream(std::string(dir) + "/" + c.name + ".onnx", std::ios::binary) << p.bytes;
  }
  return p;
}

// Graph-cut cases where protobuf accepts the cut: those must load instead of failing.
bool ProtobufAccepts(const Prepared& p) {
  if (p.c.name.rfind("resnet18_graph_cut_", 0) != 0) return false;
  onnx::ModelProto m;
  return m.ParseFromString(p.bytes);
}

std::string JoinDiagnostics(const Profile& prof) {
  std::string all;
  for (const Diagnostic& d : prof.diagnostics) all += d.node + ": " + d.message + "\n";
  return all;
}

class MalformedTable : public ::testing::TestWithParam<Case> {};

TEST_P(MalformedTable, LibraryGivesTheExpectedOutcome) {
  const Prepared p = Prepare(GetParam());
  const bool expect_error = p.c.expect == Expect::kError && !ProtobufAccepts(p);
  std::string error;
  Profile prof;
  try {
    const Model m = ReadModel(p.path);
    prof = ProfileModel(m);
    fuzz::WriteEverything(prof);
  } catch (const Error& e) {
    error = e.what();
  }
  if (expect_error) {
    ASSERT_FALSE(error.empty()) << "expected an error containing '" << p.c.fragment << "'";
    EXPECT_NE(error.find(p.c.fragment), std::string::npos) << error;
  } else {
    ASSERT_TRUE(error.empty()) << error;
    const std::string diags = JoinDiagnostics(prof);
    if (p.c.expect == Expect::kOk && p.c.fragment.empty()) {
      EXPECT_EQ("", diags);
    } else if (p.c.expect == Expect::kOk) {
      EXPECT_NE(diags.find(p.c.fragment), std::string::npos) << diags;
    }
  }
  if (!p.c.path) {
    // The in-memory entry point agrees with the file one (same bytes, same outcome).
    EXPECT_EQ(fuzz::RunPipeline(p.bytes).empty(), error.empty());
  }
}

TEST_P(MalformedTable, CliExitsTwoWithTheMessageWithinBounds) {
  const Prepared p = Prepare(GetParam());
  const bool expect_error = p.c.expect == Expect::kError && !ProtobufAccepts(p);
  for (const char* format : {"table", "json"}) {
    const testing::CliResult r = RunCli({"profile", p.path, "--format", format});
    ASSERT_EQ(0, r.signal) << "killed by signal; stderr:\n" << r.err;
    if (expect_error) {
      EXPECT_EQ(2, r.exit_code) << r.err;
      EXPECT_NE(r.err.find("tops: error: "), std::string::npos) << r.err;
      EXPECT_NE(r.err.find(p.c.fragment), std::string::npos) << r.err;
    } else {
      EXPECT_EQ(0, r.exit_code) << r.err;
    }
    EXPECT_LT(r.seconds, testing::kMaxSeconds) << format;
    EXPECT_LT(r.max_rss_kb, testing::kMaxRssKb) << format;
  }
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) { return info.param.name; }
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

INSTANTIATE_TEST_SUITE_P(Inputs, MalformedTable, ::testing::ValuesIn(Table()), CaseName);

TEST(MalformedTableSize, HasAtLeastFortyHandMadeCasesBesidesTruncations) {
  int hand_made = 0;
  for (const Case& c : Table()) hand_made += c.name.rfind("resnet18_", 0) != 0;
  EXPECT_GE(hand_made, 40);
}

}  // namespace
}  // namespace tops
