// ONNX Runtime contrib ops of decoder exports, written here with the ONNX protobuf API and read
// back through tops::ReadModelBytes: MultiHeadAttention and SkipSimplifiedLayerNormalization.
// Shapes follow onnxruntime's docs/ContribOperators.md; MACs and other ops are worked out by hand
// in each test from the op's definition.
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
using onnx::TensorProto;
using test::AddNode;
using test::Initializer;
using test::IntAttr;
using test::NodeNamed;
using test::Value;

Model ReadWithContribOps(onnx::ModelProto& m) {
  auto* ms = m.add_opset_import();
  ms->set_domain("com.microsoft");
  ms->set_version(1);
  return test::Read(m);
}

const OutputInfo& OutputNamed(const NodeProfile& n, const std::string& name) {
  for (const OutputInfo& o : n.outputs) {
    if (o.name == name) return o;
  }
  throw Error("no output " + name);
}

// Self-attention with a cache: query/key/value [B=2, S=3, N*H = 4*8], past_key/past_value
// [B, N, P=5, H] (inputs 6 and 7). Per the spec: output [B, S, N*Hv] = [2, 3, 32]; present_key
// and present_value [B, N, P+L, H] = [2, 4, 8, 8].
// MACs: Q K^T is B*N*S*(P+L)*H = 2*4*3*8*8 = 1536, softmax(.) V is B*N*S*(P+L)*Hv = 1536;
// 3072 in all. Scores B*N*S*(P+L) = 192, each scaled (1) and put through softmax (max, subtract,
// exp, sum, divide: 5): other = 6 * 192 = 1152.
TEST(MicrosoftOps, MultiHeadAttentionWithPastKeyValue) {
  onnx::ModelProto m;
  GraphProto* g = m.mutable_graph();
  g->set_name("mha");
  for (const char* name : {"q", "k", "v"})
    Value(g->add_input(), name, TensorProto::FLOAT, {2, 3, 32});
  Value(g->add_input(), "past_k", TensorProto::FLOAT, {2, 4, 5, 8});
  Value(g->add_input(), "past_v", TensorProto::FLOAT, {2, 4, 5, 8});
  auto* n = AddNode(g, "MultiHeadAttention", {"q", "k", "v", "", "", "", "past_k", "past_v"},
                    {"y", "present_k", "present_v"}, "mha");
  n->set_domain("com.microsoft");
  IntAttr(n, "num_heads", 4);
  Value(g->add_output(), "y", TensorProto::FLOAT, {});
  const Profile p = ProfileModel(ReadWithContribOps(m));
  const NodeProfile& node = NodeNamed(p, "mha");
  EXPECT_EQ(OutputNamed(node, "y").shape, Shape::Known({2, 3, 32}));
  EXPECT_EQ(OutputNamed(node, "present_k").shape, Shape::Known({2, 4, 8, 8}));
  EXPECT_EQ(OutputNamed(node, "present_v").shape, Shape::Known({2, 4, 8, 8}));
  EXPECT_EQ(node.macs, 3072);
  EXPECT_EQ(node.other_ops, 1152);
  EXPECT_EQ(node.flops(), 2 * 3072 + 1152);
}

// Cross-attention: key and value given as [B, N, L, H] (the whole cache, nothing appended), a
// value head size (6) that differs from the query's (8). query [2, 3, 4*8], key [2, 4, 10, 8],
// value [2, 4, 10, 6]: output [B, S, N*Hv] = [2, 3, 24].
// MACs: B*N*S*L*(H + Hv) = 2*4*3*10*(8+6) = 3360; other = 6 * 2*4*3*10 = 1440.
TEST(MicrosoftOps, MultiHeadAttentionCrossAttentionWithBnshKeyValue) {
  onnx::ModelProto m;
  GraphProto* g = m.mutable_graph();
  g->set_name("mha_cross");
  Value(g->add_input(), "q", TensorProto::FLOAT, {2, 3, 32});
  Value(g->add_input(), "k", TensorProto::FLOAT, {2, 4, 10, 8});
  Value(g->add_input(), "v", TensorProto::FLOAT, {2, 4, 10, 6});
  auto* n = AddNode(g, "MultiHeadAttention", {"q", "k", "v"}, {"y"}, "mha");
  n->set_domain("com.microsoft");
  IntAttr(n, "num_heads", 4);
  Value(g->add_output(), "y", TensorProto::FLOAT, {});
  const Profile p = ProfileModel(ReadWithContribOps(m));
  ASSERT_EQ(p.model.outputs.size(), 1u);
  EXPECT_EQ(p.model.outputs[0].shape, Shape::Known({2, 3, 24}));
  EXPECT_EQ(NodeNamed(p, "mha").macs, 3360);
  EXPECT_EQ(NodeNamed(p, "mha").other_ops, 1440);
}

// SkipSimplifiedLayerNormalization: input and skip [2, 5, 16], gamma [16]. Per the spec the
// outputs are output [2, 5, 16], mean and inv_std_var [2, 5, 1] (float), input_skip_bias_sum
// [2, 5, 16]. Per element: s = x + skip (1), s^2 (1) summed into the mean (1), times
// 1/sqrt(mean + eps) (1), times gamma (1): 5 * 160 = 800 other ops, no MACs. gamma is the only
// weight: 16 parameters.
TEST(MicrosoftOps, SkipSimplifiedLayerNormalization) {
  onnx::ModelProto m;
  GraphProto* g = m.mutable_graph();
  g->set_name("ssln");
  Value(g->add_input(), "x", TensorProto::FLOAT, {2, 5, 16});
  Value(g->add_input(), "skip", TensorProto::FLOAT, {2, 5, 16});
  Initializer(g, "gamma", TensorProto::FLOAT, {16});
  auto* n = AddNode(g, "SkipSimplifiedLayerNormalization", {"x", "skip", "gamma"},
                    {"y", "mean", "inv_std", "sum"}, "norm");
  n->set_domain("com.microsoft");
  Value(g->add_output(), "y", TensorProto::FLOAT, {});
  Value(g->add_output(), "sum", TensorProto::FLOAT, {});
  const Profile p = ProfileModel(ReadWithContribOps(m));
  const NodeProfile& node = NodeNamed(p, "norm");
  EXPECT_EQ(OutputNamed(node, "y").shape, Shape::Known({2, 5, 16}));
  EXPECT_EQ(OutputNamed(node, "sum").shape, Shape::Known({2, 5, 16}));
  EXPECT_EQ(OutputNamed(node, "inv_std").shape, Shape::Known({2, 5, 1}));
  EXPECT_EQ(OutputNamed(node, "inv_std").dtype, DType::kFloat);
  EXPECT_EQ(node.macs.value_or(-1), 0);
  EXPECT_EQ(node.other_ops, 800);
  EXPECT_EQ(p.totals.params, 16);
}

// With the optional bias (input 3, [16]) the spec adds it into input_skip_bias_sum: one more
// add per element, 6 * 160 = 960; gamma and bias are the weights, 32 parameters.
TEST(MicrosoftOps, SkipSimplifiedLayerNormalizationWithBias) {
  onnx::ModelProto m;
  GraphProto* g = m.mutable_graph();
  g->set_name("ssln_bias");
  Value(g->add_input(), "x", TensorProto::FLOAT, {2, 5, 16});
  Value(g->add_input(), "skip", TensorProto::FLOAT, {2, 5, 16});
  Initializer(g, "gamma", TensorProto::FLOAT, {16});
  Initializer(g, "bias", TensorProto::FLOAT, {16});
  auto* n =
      AddNode(g, "SkipSimplifiedLayerNormalization", {"x", "skip", "gamma", "bias"}, {"y"}, "norm");
  n->set_domain("com.microsoft");
  Value(g->add_output(), "y", TensorProto::FLOAT, {});
  const Profile p = ProfileModel(ReadWithContribOps(m));
  ASSERT_EQ(p.model.outputs.size(), 1u);
  EXPECT_EQ(p.model.outputs[0].shape, Shape::Known({2, 5, 16}));
  EXPECT_EQ(NodeNamed(p, "norm").other_ops, 960);
  EXPECT_EQ(p.totals.params, 32);
}

}  // namespace
}  // namespace tops
