// Models written here with the ONNX protobuf API (not copied from anywhere), serialised and read
// back through tops::ReadOnnxBytes: control flow, recurrent, quantized and NHWC graphs, each with
// its MACs worked out by hand in the test.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

#include "onnx_build.h"
#include "tops/error.h"
#include "tops/profile.h"
#include "tops/read.h"

namespace tops {
namespace {

using onnx::GraphProto;
using onnx::NodeProto;
using onnx::TensorProto;
using test::AddNode;
using test::GraphAttr;
using test::HasDiagnostic;
using test::Initializer;
using test::IntAttr;
using test::IntsAttr;
using test::NodeNamed;
using test::Read;
using test::StringAttr;
using test::Value;

// If whose branches read X and their weights from the outer scope: then = X[1,4] x [4,8],
// else = X[1,4] x [4,16].
onnx::ModelProto IfModel(bool constant_condition) {
  onnx::ModelProto m;
  GraphProto* g = m.mutable_graph();
  g->set_name("if");
  Value(g->add_input(), "X", TensorProto::FLOAT, {1, 4});
  if (constant_condition) {
    Initializer(g, "cond", TensorProto::BOOL, {}, {1});
  } else {
    Value(g->add_input(), "cond", TensorProto::BOOL, {});
  }
  Initializer(g, "W_then", TensorProto::FLOAT, {4, 8});
  Initializer(g, "W_else", TensorProto::FLOAT, {4, 16});
  NodeProto* n = AddNode(g, "If", {"cond"}, {"Y"}, "if");
  GraphProto* then_g = GraphAttr(n, "then_branch");
  AddNode(then_g, "MatMul", {"X", "W_then"}, {"Yt"}, "then_mm");
  Value(then_g->add_output(), "Yt", TensorProto::FLOAT, {1, 8});
  GraphProto* else_g = GraphAttr(n, "else_branch");
  AddNode(else_g, "MatMul", {"X", "W_else"}, {"Ye"}, "else_mm");
  Value(else_g->add_output(), "Ye", TensorProto::FLOAT, {1, 16});
  Value(g->add_output(), "Y", TensorProto::FLOAT, {});
  g->mutable_output(0)->mutable_type()->mutable_tensor_type()->clear_shape();  // rank unknown
  return m;
}

TEST(HandmadeModels, IfWithConstantConditionCountsTheBranchTaken) {
  onnx::ModelProto proto = IfModel(true);
  const Profile p = ProfileModel(Read(proto));
  const NodeProfile& n = NodeNamed(p, "if");
  // then branch: 1 x 8 outputs, K = 4.
  EXPECT_EQ(n.macs, 1 * 8 * 4);
  EXPECT_EQ(p.totals.macs, 32);
  ASSERT_EQ(p.model.outputs.size(), 1u);
  EXPECT_EQ(p.model.outputs[0].shape, Shape::Known({1, 8}));
}

TEST(HandmadeModels, IfWithRuntimeConditionCountsTheCostlierBranch) {
  onnx::ModelProto proto = IfModel(false);
  const Profile p = ProfileModel(Read(proto));
  // else branch: 1 x 16 outputs, K = 4; the shapes disagree on the last dim.
  EXPECT_EQ(NodeNamed(p, "if").macs, 1 * 16 * 4);
  EXPECT_TRUE(HasDiagnostic(p, "costlier branch (else)")) << [&] {
    std::string all;
    for (const Diagnostic& d : p.diagnostics) all += d.node + ": " + d.message + "\n";
    return all;
  }();
  EXPECT_EQ(p.model.outputs[0].shape.rank(), 2u);
  EXPECT_FALSE(p.model.outputs[0].shape.dims[1].known());
}

// If whose weights live inside its branches (as some speech exports put them): then has a
// [4,8] initializer and a 2x4 float Constant, else a [4,16] initializer.
onnx::ModelProto IfWithBranchWeights(bool constant_condition) {
  onnx::ModelProto m;
  GraphProto* g = m.mutable_graph();
  g->set_name("if_weights");
  Value(g->add_input(), "X", TensorProto::FLOAT, {1, 4});
  if (constant_condition) {
    Initializer(g, "cond", TensorProto::BOOL, {}, {1});
  } else {
    Value(g->add_input(), "cond", TensorProto::BOOL, {});
  }
  NodeProto* n = AddNode(g, "If", {"cond"}, {"Y"}, "if");
  GraphProto* then_g = GraphAttr(n, "then_branch");
  Initializer(then_g, "W_then", TensorProto::FLOAT, {4, 8});
  NodeProto* c = AddNode(then_g, "Constant", {}, {"C_then"}, "then_const");
  auto* value = c->add_attribute();
  value->set_name("value");
  value->set_type(onnx::AttributeProto::TENSOR);
  value->mutable_t()->set_data_type(TensorProto::FLOAT);
  value->mutable_t()->add_dims(2);
  value->mutable_t()->add_dims(4);
  value->mutable_t()->set_raw_data(std::string(2 * 4 * 4, '\0'));
  AddNode(then_g, "MatMul", {"X", "W_then"}, {"Yt"}, "then_mm");
  Value(then_g->add_output(), "Yt", TensorProto::FLOAT, {});
  GraphProto* else_g = GraphAttr(n, "else_branch");
  Initializer(else_g, "W_else", TensorProto::FLOAT, {4, 16});
  AddNode(else_g, "MatMul", {"X", "W_else"}, {"Ye"}, "else_mm");
  Value(else_g->add_output(), "Ye", TensorProto::FLOAT, {});
  Value(g->add_output(), "Y", TensorProto::FLOAT, {});
  return m;
}

TEST(HandmadeModels, WeightsInsideIfBranchesAreParametersOfTheIf) {
  // Both branches walked (run-time condition): 4*8 + 2*4 + 4*16 = 104 parameters, float32.
  onnx::ModelProto both = IfWithBranchWeights(false);
  const Profile p = ProfileModel(Read(both));
  EXPECT_EQ(104, p.totals.params);
  EXPECT_EQ(104 * 4, p.totals.weight_bytes);
  EXPECT_EQ(104, NodeNamed(p, "if").params);
  EXPECT_EQ(1 * 16 * 4, NodeNamed(p, "if").macs);  // the costlier branch
  // Constant condition: only the branch taken is walked; its 4*8 + 2*4 = 40 weights count, plus
  // the condition itself (an initializer, read by the If).
  onnx::ModelProto taken = IfWithBranchWeights(true);
  const Profile q = ProfileModel(Read(taken));
  EXPECT_EQ(40 + 1, q.totals.params);
  EXPECT_EQ(40 + 1, NodeNamed(q, "if").params);
}

TEST(HandmadeModels, LoopBodyWeightsCountOnceWhateverTheTripCount) {
  onnx::ModelProto m;
  GraphProto* g = m.mutable_graph();
  g->set_name("loop_weights");
  Value(g->add_input(), "y0", TensorProto::FLOAT, {1, 4});
  Initializer(g, "M", TensorProto::INT64, {}, {7});
  NodeProto* n = AddNode(g, "Loop", {"M", "", "y0"}, {"y"}, "loop");
  GraphProto* body = GraphAttr(n, "body");
  Initializer(body, "W_body", TensorProto::FLOAT, {4, 4});
  Value(body->add_input(), "i", TensorProto::INT64, {});
  Value(body->add_input(), "c_in", TensorProto::BOOL, {});
  Value(body->add_input(), "y_in", TensorProto::FLOAT, {});
  AddNode(body, "Identity", {"c_in"}, {"c_out"});
  AddNode(body, "MatMul", {"y_in", "W_body"}, {"y_out"}, "body_mm");
  for (const char* o : {"c_out", "y_out"}) Value(body->add_output(), o, TensorProto::FLOAT, {});
  Value(g->add_output(), "y", TensorProto::FLOAT, {});
  const Profile p = ProfileModel(Read(m));
  EXPECT_EQ(16 + 1, p.totals.params);  // W_body once, plus the scalar trip count M
  EXPECT_EQ(7 * 16, NodeNamed(p, "loop").macs);
}

TEST(HandmadeModels, ATensorProducedTwiceInsideABodyIsAnError) {
  onnx::ModelProto m = IfModel(false);
  GraphProto* then_g = m.mutable_graph()->mutable_node(0)->mutable_attribute(0)->mutable_g();
  AddNode(then_g, "Relu", {"X"}, {"Yt"}, "second_producer");
  try {
    ProfileModel(Read(m));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("produced by two nodes"), std::string::npos) << e.what();
  }
}

TEST(HandmadeModels, LoopWithKnownTripCountMultipliesTheBody) {
  onnx::ModelProto m;
  GraphProto* g = m.mutable_graph();
  g->set_name("loop");
  Value(g->add_input(), "y0", TensorProto::FLOAT, {1, 4});
  Initializer(g, "M", TensorProto::INT64, {}, {5});
  Initializer(g, "W", TensorProto::FLOAT, {4, 4});
  NodeProto* n = AddNode(g, "Loop", {"M", "", "y0"}, {"y", "ys"}, "loop");
  GraphProto* body = GraphAttr(n, "body");
  Value(body->add_input(), "i", TensorProto::INT64, {});
  Value(body->add_input(), "c_in", TensorProto::BOOL, {});
  Value(body->add_input(), "y_in", TensorProto::FLOAT, {});
  AddNode(body, "Identity", {"c_in"}, {"c_out"});
  AddNode(body, "MatMul", {"y_in", "W"}, {"y_out"}, "body_mm");
  AddNode(body, "Relu", {"y_out"}, {"scan_out"}, "body_relu");
  for (const char* o : {"c_out", "y_out", "scan_out"}) {
    Value(body->add_output(), o, TensorProto::FLOAT, {});
  }
  Value(g->add_output(), "y", TensorProto::FLOAT, {});
  Value(g->add_output(), "ys", TensorProto::FLOAT, {});
  const Profile p = ProfileModel(Read(m));
  const NodeProfile& loop = NodeNamed(p, "loop");
  // Per iteration: [1,4] x [4,4] = 4 outputs * K 4 = 16 MACs, Relu 4 ops; 5 iterations.
  EXPECT_EQ(loop.macs, 5 * 16);
  EXPECT_EQ(loop.other_ops, 5 * 4);
  EXPECT_EQ(p.model.outputs[0].shape, Shape::Known({1, 4}));
  EXPECT_EQ(p.model.outputs[1].shape, Shape::Known({5, 1, 4}));
}

TEST(HandmadeModels, LoopWithRuntimeTripCountNamesItAndDimBindsIt) {
  onnx::ModelProto m;
  GraphProto* g = m.mutable_graph();
  g->set_name("loop");
  Value(g->add_input(), "M", TensorProto::INT64, {});
  Value(g->add_input(), "y0", TensorProto::FLOAT, {1, 4});
  Initializer(g, "W", TensorProto::FLOAT, {4, 4});
  NodeProto* n = AddNode(g, "Loop", {"M", "", "y0"}, {"y"}, "loop");
  GraphProto* body = GraphAttr(n, "body");
  Value(body->add_input(), "i", TensorProto::INT64, {});
  Value(body->add_input(), "c_in", TensorProto::BOOL, {});
  Value(body->add_input(), "y_in", TensorProto::FLOAT, {});
  AddNode(body, "Identity", {"c_in"}, {"c_out"});
  AddNode(body, "MatMul", {"y_in", "W"}, {"y_out"}, "body_mm");
  Value(body->add_output(), "c_out", TensorProto::BOOL, {});
  Value(body->add_output(), "y_out", TensorProto::FLOAT, {});
  Value(g->add_output(), "y", TensorProto::FLOAT, {});
  const Model model = Read(m);
  EXPECT_FALSE(NodeNamed(ProfileModel(model), "loop").macs);
  ProfileOptions opt;
  opt.dims["loop:trips"] = 3;
  EXPECT_EQ(NodeNamed(ProfileModel(model, opt), "loop").macs, 3 * 16);
}

TEST(HandmadeModels, BidirectionalLstm) {
  onnx::ModelProto m;
  GraphProto* g = m.mutable_graph();
  g->set_name("lstm");
  // seq 7, batch 2, input 10, hidden 16, two directions.
  Value(g->add_input(), "X", TensorProto::FLOAT, {7, 2, 10});
  Initializer(g, "W", TensorProto::FLOAT, {2, 4 * 16, 10});
  Initializer(g, "R", TensorProto::FLOAT, {2, 4 * 16, 16});
  Initializer(g, "B", TensorProto::FLOAT, {2, 8 * 16});
  NodeProto* n = AddNode(g, "LSTM", {"X", "W", "R", "B"}, {"Y", "Y_h", "Y_c"}, "lstm");
  IntAttr(n, "hidden_size", 16);
  StringAttr(n, "direction", "bidirectional");
  for (const char* o : {"Y", "Y_h", "Y_c"}) Value(g->add_output(), o, TensorProto::FLOAT, {});
  const Profile p = ProfileModel(Read(m));
  // Per step, direction and batch row: 4 gates * 16 units * (10 inputs + 16 recurrent).
  EXPECT_EQ(p.totals.macs, 7 * 2 * 2 * (4 * 16) * (10 + 16));
  EXPECT_EQ(p.model.outputs[0].shape, Shape::Known({7, 2, 2, 16}));
  EXPECT_EQ(p.model.outputs[1].shape, Shape::Known({2, 2, 16}));
  EXPECT_EQ(p.model.outputs[2].shape, Shape::Known({2, 2, 16}));
}

TEST(HandmadeModels, QuantizeDequantizeAroundConv) {
  onnx::ModelProto m;
  GraphProto* g = m.mutable_graph();
  g->set_name("qdq");
  Value(g->add_input(), "X", TensorProto::FLOAT, {1, 3, 8, 8});
  Initializer(g, "s", TensorProto::FLOAT, {});
  Initializer(g, "zp", TensorProto::UINT8, {});
  Initializer(g, "Wq", TensorProto::UINT8, {4, 3, 3, 3});
  AddNode(g, "QuantizeLinear", {"X", "s", "zp"}, {"Xq"}, "q_in");
  AddNode(g, "DequantizeLinear", {"Xq", "s", "zp"}, {"Xd"}, "dq_in");
  AddNode(g, "DequantizeLinear", {"Wq", "s", "zp"}, {"Wd"}, "dq_w");
  NodeProto* conv = AddNode(g, "Conv", {"Xd", "Wd"}, {"Y"}, "conv");
  IntsAttr(conv, "pads", {1, 1, 1, 1});
  AddNode(g, "QuantizeLinear", {"Y", "s", "zp"}, {"Yq"}, "q_out");
  Value(g->add_output(), "Yq", TensorProto::UINT8, {});
  const Profile p = ProfileModel(Read(m));
  // Output 1x4x8x8 = 256 elements, each 3 channels * 3 * 3 = 27 MACs.
  EXPECT_EQ(NodeNamed(p, "conv").macs, 256 * 27);
  EXPECT_EQ(p.totals.macs, 6912);
  EXPECT_EQ(NodeNamed(p, "q_in").other_ops, 3 * 192);
  EXPECT_EQ(NodeNamed(p, "dq_w").other_ops, 2 * 108);
  EXPECT_EQ(p.model.outputs[0].dtype, DType::kUint8);
  EXPECT_EQ(p.model.outputs[0].shape, Shape::Known({1, 4, 8, 8}));
}

TEST(HandmadeModels, QLinearConv) {
  onnx::ModelProto m;
  GraphProto* g = m.mutable_graph();
  g->set_name("qlinearconv");
  Value(g->add_input(), "x", TensorProto::UINT8, {1, 2, 5, 5});
  Initializer(g, "s", TensorProto::FLOAT, {});
  Initializer(g, "zp", TensorProto::UINT8, {});
  Initializer(g, "w", TensorProto::UINT8, {6, 2, 3, 3});
  AddNode(g, "QLinearConv", {"x", "s", "zp", "w", "s", "zp", "s", "zp"}, {"y"}, "qconv");
  Value(g->add_output(), "y", TensorProto::UINT8, {});
  const Profile p = ProfileModel(Read(m));
  // No padding: 5 - 3 + 1 = 3, output 1x6x3x3 = 54 elements, 2 * 3 * 3 = 18 MACs each.
  EXPECT_EQ(p.totals.macs, 54 * 18);
  EXPECT_EQ(NodeNamed(p, "qconv").other_ops, 54 * 3);
  EXPECT_EQ(p.model.outputs[0].shape, Shape::Known({1, 6, 3, 3}));
}

TEST(HandmadeModels, NhwcTransposeChain) {
  onnx::ModelProto m;
  GraphProto* g = m.mutable_graph();
  g->set_name("nhwc");
  Value(g->add_input(), "x", TensorProto::FLOAT, {1, 32, 32, 3});
  Initializer(g, "w", TensorProto::FLOAT, {8, 3, 1, 1});
  IntsAttr(AddNode(g, "Transpose", {"x"}, {"nchw"}, "to_nchw"), "perm", {0, 3, 1, 2});
  AddNode(g, "Conv", {"nchw", "w"}, {"c"}, "conv");
  IntsAttr(AddNode(g, "Transpose", {"c"}, {"y"}, "to_nhwc"), "perm", {0, 2, 3, 1});
  Value(g->add_output(), "y", TensorProto::FLOAT, {});
  const Profile p = ProfileModel(Read(m));
  // 1x8x32x32 outputs, 3 input channels, 1x1 kernel.
  EXPECT_EQ(p.totals.macs, 8 * 32 * 32 * 3);
  EXPECT_EQ(p.model.outputs[0].shape, Shape::Known({1, 32, 32, 8}));
}

TEST(HandmadeModels, NonZeroCountIsANamedDimThatDimBinds) {
  onnx::ModelProto m;
  GraphProto* g = m.mutable_graph();
  g->set_name("nonzero");
  Value(g->add_input(), "x", TensorProto::FLOAT, {4, 6});
  Initializer(g, "w", TensorProto::FLOAT, {2, 5});
  AddNode(g, "NonZero", {"x"}, {"idx"}, "nz");
  AddNode(g, "Cast", {"idx"}, {"f"}, "cast")->add_attribute()->CopyFrom([] {
    onnx::AttributeProto a;
    a.set_name("to");
    a.set_type(onnx::AttributeProto::INT);
    a.set_i(TensorProto::FLOAT);
    return a;
  }());
  IntsAttr(AddNode(g, "Transpose", {"f"}, {"t"}, "tr"), "perm", {1, 0});
  AddNode(g, "MatMul", {"t", "w"}, {"y"}, "mm");
  Value(g->add_output(), "y", TensorProto::FLOAT, {});
  const Model model = Read(m);
  const Profile unbound = ProfileModel(model);
  EXPECT_EQ(unbound.model.outputs[0].shape.ToString(), "nz:nx5");
  EXPECT_FALSE(NodeNamed(unbound, "mm").macs);
  ProfileOptions opt;
  opt.dims["nz:n"] = 10;
  const Profile bound = ProfileModel(model, opt);
  // [10, 2] x [2, 5]: 50 outputs, K = 2.
  EXPECT_EQ(NodeNamed(bound, "mm").macs, 100);
  opt.dims["no_such_dim"] = 1;
  EXPECT_THROW(ProfileModel(model, opt), Error);
}

}  // namespace
}  // namespace tops
