// The wire-format reader against models written by the official protobuf API (libonnx-dev):
// what it keeps (dims, dtypes, small values, symbols, subgraphs, opsets) and what it must never
// touch (weight payloads, external-data files).
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <variant>

#include "tops/error.h"
#include "tops/profile.h"
#include "tops/read.h"

namespace tops {
namespace {

onnx::ValueInfoProto* AddValue(google::protobuf::RepeatedPtrField<onnx::ValueInfoProto>* list,
                               const std::string& name, int elem,
                               std::vector<std::variant<int64_t, std::string>> dims) {
  onnx::ValueInfoProto* v = list->Add();
  v->set_name(name);
  auto* tt = v->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(elem);
  auto* shape = tt->mutable_shape();
  for (const auto& d : dims) {
    auto* dim = shape->add_dim();
    if (std::holds_alternative<int64_t>(d))
      dim->set_dim_value(std::get<int64_t>(d));
    else
      dim->set_dim_param(std::get<std::string>(d));
  }
  return v;
}

// A small model exercising every reader feature: symbolic batch, an external-data weight, an
// int64 reshape target (kept values), a Constant node, a subgraph attribute, two opsets.
onnx::ModelProto FeatureModel() {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.set_producer_name("unit-test");
  m.set_producer_version("1.0");
  auto* op = m.add_opset_import();
  op->set_version(17);
  auto* ms = m.add_opset_import();
  ms->set_domain("com.microsoft");
  ms->set_version(1);
  auto* g = m.mutable_graph();
  g->set_name("g");
  AddValue(g->mutable_input(), "x", onnx::TensorProto::FLOAT, {std::string("batch"), int64_t{16}});
  AddValue(g->mutable_output(), "y", onnx::TensorProto::FLOAT,
           {std::string("batch"), int64_t{4}, int64_t{32}});

  // W: 16x128 float (more than kMaxKeptValues elements) stored in an external file that does not
  // exist.
  auto* w = g->add_initializer();
  w->set_name("W");
  w->set_data_type(onnx::TensorProto::FLOAT);
  w->add_dims(16);
  w->add_dims(128);
  w->set_data_location(onnx::TensorProto::EXTERNAL);
  auto* loc = w->add_external_data();
  loc->set_key("location");
  loc->set_value("does-not-exist.bin");
  // Reshape target as int64 raw data.
  auto* shape = g->add_initializer();
  shape->set_name("target");
  shape->set_data_type(onnx::TensorProto::INT64);
  shape->add_dims(3);
  const int64_t target[3] = {0, 4, 32};
  shape->set_raw_data(std::string(reinterpret_cast<const char*>(target), sizeof target));

  auto* mm = g->add_node();
  mm->set_name("mm");
  mm->set_op_type("MatMul");
  mm->add_input("x");
  mm->add_input("W");
  mm->add_output("h");
  auto* c = g->add_node();
  c->set_name("c");
  c->set_op_type("Constant");
  c->add_output("bias");
  auto* attr = c->add_attribute();
  attr->set_name("value");
  attr->set_type(onnx::AttributeProto::TENSOR);
  auto* t = attr->mutable_t();
  t->set_data_type(onnx::TensorProto::FLOAT);
  t->add_dims(128);
  for (int i = 0; i < 128; ++i) t->add_float_data(0.5f);
  auto* add = g->add_node();
  add->set_name("add");
  add->set_op_type("Add");
  add->add_input("h");
  add->add_input("bias");
  add->add_output("hb");
  auto* r = g->add_node();
  r->set_name("reshape");
  r->set_op_type("Reshape");
  r->add_input("hb");
  r->add_input("target");
  r->add_output("y");
  return m;
}

Model Read(const onnx::ModelProto& m) {
  std::string bytes;
  EXPECT_TRUE(m.SerializeToString(&bytes));
  return ReadModelBytes(bytes, "feature.onnx");
}

TEST(OnnxReader, KeepsMetadataOpsetsAndSymbols) {
  const Model m = Read(FeatureModel());
  EXPECT_EQ(8, m.ir_version);
  EXPECT_EQ("unit-test", m.producer_name);
  EXPECT_EQ(17, m.opset(""));
  EXPECT_EQ(1, m.opset("com.microsoft"));
  EXPECT_EQ(0, m.opset("ai.onnx.ml"));
  ASSERT_EQ(1u, m.graph.inputs.size());
  EXPECT_EQ("batch", m.graph.inputs[0].shape.dims[0].symbol);
  EXPECT_EQ(16, m.graph.inputs[0].shape.dims[1].value);
  EXPECT_EQ(4u, m.graph.nodes.size());
}

TEST(OnnxReader, ExternalDataIsNeverOpenedAndSmallIntsAreKept) {
  const Model m = Read(FeatureModel());
  ASSERT_EQ(2u, m.graph.initializers.size());
  const TensorData& w = m.graph.initializers[0];
  EXPECT_TRUE(w.external);
  EXPECT_EQ(2048, w.elems);
  EXPECT_FALSE(w.has_values);
  const TensorData& target = m.graph.initializers[1];
  ASSERT_TRUE(target.has_values);
  EXPECT_EQ((std::vector<int64_t>{0, 4, 32}), target.ints);
}

TEST(OnnxReader, ProfileOfTheFeatureModelIsHandArithmetic) {
  ProfileOptions opt;
  opt.dims["batch"] = 3;
  const Profile p = ProfileModel(Read(FeatureModel()), opt);
  // MatMul [3,16]x[16,128]: 3*128 outputs x K=16.
  EXPECT_EQ(3 * 128 * 16, p.totals.macs);
  // params: W 2048 + Constant bias 128 (float) + the 3-element int64 initializer (every
  // initializer counts, as in the reference "params in file").
  EXPECT_EQ(2048 + 128 + 3, p.totals.params);
  EXPECT_EQ(3 * 128, *p.nodes[2].other_ops);  // the Add, one op per element
  const Shape& y = p.nodes[3].outputs[0].shape;
  EXPECT_EQ("3x4x32", y.ToString());
}

TEST(OnnxReader, SubgraphAttributesAreRead) {
  onnx::ModelProto m = FeatureModel();
  auto* iff = m.mutable_graph()->add_node();
  iff->set_op_type("If");
  iff->set_name("branch");
  iff->add_input("cond");
  iff->add_output("z");
  for (const char* name : {"then_branch", "else_branch"}) {
    auto* a = iff->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::GRAPH);
    auto* sg = a->mutable_g();
    sg->set_name(name);
    auto* n = sg->add_node();
    n->set_op_type("Identity");
    n->add_input("y");
    n->add_output(std::string(name) + "_out");
  }
  const Model r = Read(m);
  const Node& n = r.graph.nodes.back();
  ASSERT_EQ(2u, n.attributes.size());
  ASSERT_EQ(1u, n.attributes[0].graphs.size());
  EXPECT_EQ("then_branch", n.attributes[0].graphs[0]->name);
  EXPECT_EQ("Identity", n.attributes[1].graphs[0]->nodes[0].op_type);
}

TEST(OnnxReader, WeightPayloadsDoNotChangeTheResult) {
  onnx::ModelProto m = FeatureModel();
  const Profile before = ProfileModel(Read(m));
  auto* w = m.mutable_graph()->mutable_initializer(0);
  w->clear_external_data();
  w->clear_data_location();
  w->set_raw_data(std::string(2048 * 4, '\0'));
  const Model with_data = Read(m);
  EXPECT_FALSE(with_data.graph.initializers[0].has_values);  // 2048 floats: never decoded
  const Profile after = ProfileModel(with_data);
  EXPECT_EQ(before.totals.params, after.totals.params);
  EXPECT_EQ(before.totals.weight_bytes, after.totals.weight_bytes);
}

TEST(OnnxReader, RejectsNonOnnxBytesWithOffset) {
  EXPECT_THROW(ReadModelBytes("", "empty.onnx"), Error);
  try {
    ReadModelBytes(std::string("\x0a\xff\xff\xff\xff\x0f", 6), "bad.onnx");
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("bad.onnx"), std::string::npos) << msg;
    EXPECT_NE(msg.find("byte"), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace tops
