// Shapes computed inside the graph, the way exporters write them, in models built here and
// checked against arithmetic worked out in the comments: windowed attention that pads to a
// multiple of the window (Mod, Sub, Concat, ConstantOfShape, Reshape, Slice with a negative step,
// Transpose, Cast, as torch.onnx writes F.pad with computed amounts), a detector's resize whose
// target comes from float arithmetic on the input's size (Cast, ReduceMin / ReduceMax, Div, Min,
// Mul, Floor, Ceil), a size given as a graph input (--value), and the root-cause diagnostics
// when a value is not known at load time.
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
using test::FloatInitializer;
using test::Initializer;
using test::Int64TensorAttr;
using test::IntAttr;
using test::IntsAttr;
using test::NodeNamed;
using test::Read;
using test::StringAttr;

constexpr int64_t kInt64Min = INT64_MIN;

void Int64(GraphProto* g, const std::string& name, std::vector<int64_t> values, bool scalar) {
  Initializer(g, name, TensorProto::INT64,
              scalar ? std::vector<int64_t>{} : std::vector<int64_t>{int64_t(values.size())},
              values);
}

// Scalar -> [1] (opset 13+: axes as an input).
std::string Unsq(GraphProto* g, const std::string& x, const std::string& out) {
  AddNode(g, "Unsqueeze", {x, "axes0"}, {out});
  return out;
}

// NHWC input x [1, H, W, 8] padded at the bottom and right to multiples of the window 7, then
// split into 7x7 windows and projected by a [8, 24] MatMul (Swin's window attention qkv):
//   pad_h = (7 - H % 7) % 7, pad_w likewise
//   torch pads (last dim first, begin/end pairs): [0, 0, 0, pad_w, 0, pad_h]
//   -> extended with ConstantOfShape(4 * 2 - 6) zeros, Reshape [-1, 2], reversed by a Slice with
//   step -1, Transpose, Reshape [-1], Cast: ONNX pads [0, 0, 0, 0, 0, pad_h, pad_w, 0]
//   windows: Reshape [1, Hp/7, 7, Wp/7, 7, 8] -> Transpose -> Reshape [-1, 49, 8] -> MatMul.
onnx::ModelProto WindowPadModel() {
  onnx::ModelProto m;
  GraphProto* g = m.mutable_graph();
  g->set_name("window_pad");
  test::Value(g->add_input(), "x", TensorProto::FLOAT, {1, 30, 30, 8});
  Int64(g, "axes0", {0}, false);
  Int64(g, "i1", {1}, true);
  Int64(g, "i2", {2}, true);
  Int64(g, "win", {7}, true);
  Int64(g, "zero", {0}, true);
  Int64(g, "zero1", {0}, false);
  Int64(g, "rank2", {8}, false);  // rank 4 * 2, as torch writes it
  Int64(g, "pairs", {-1, 2}, false);
  Int64(g, "flat", {-1}, false);
  Int64(g, "rev_start", {-1}, false);
  Int64(g, "rev_end", {kInt64Min}, false);
  Int64(g, "rev_step", {-1}, false);
  Int64(g, "one", {1}, false);
  Int64(g, "c8", {8}, false);
  Int64(g, "tokens", {-1, 49, 8}, false);
  Initializer(g, "w_qkv", TensorProto::FLOAT, {8, 24});
  AddNode(g, "Shape", {"x"}, {"s"});
  AddNode(g, "Gather", {"s", "i1"}, {"h"});
  AddNode(g, "Gather", {"s", "i2"}, {"w"});
  for (const char* d : {"h", "w"}) {
    const std::string p = d;
    AddNode(g, "Mod", {p, "win"}, {p + "_mod"});
    AddNode(g, "Sub", {"win", p + "_mod"}, {p + "_left"});
    AddNode(g, "Mod", {p + "_left", "win"}, {"pad_" + p});
  }
  const std::string pw = Unsq(g, "pad_w", "pw_u"), ph = Unsq(g, "pad_h", "ph_u");
  IntAttr(AddNode(g, "Concat", {"zero1", "zero1", "zero1", pw, "zero1", ph}, {"tpads"}), "axis", 0);
  AddNode(g, "Shape", {"tpads"}, {"tpads_len"});
  AddNode(g, "Sub", {"rank2", "tpads_len"}, {"ext_len"});
  Int64TensorAttr(AddNode(g, "ConstantOfShape", {"ext_len"}, {"ext"}), "value", 0);
  IntAttr(AddNode(g, "Concat", {"tpads", "ext"}, {"all"}), "axis", 0);
  AddNode(g, "Reshape", {"all", "pairs"}, {"pairs2"});
  AddNode(g, "Slice", {"pairs2", "rev_start", "rev_end", "axes0", "rev_step"}, {"flipped"});
  IntsAttr(AddNode(g, "Transpose", {"flipped"}, {"cols"}), "perm", {1, 0});
  AddNode(g, "Reshape", {"cols", "flat"}, {"pads_i"});
  IntAttr(AddNode(g, "Cast", {"pads_i"}, {"pads"}), "to", TensorProto::INT64);
  AddNode(g, "Pad", {"x", "pads"}, {"xp"}, "pad");
  // Window partition with sizes from the padded shape.
  AddNode(g, "Shape", {"xp"}, {"sp"});
  AddNode(g, "Gather", {"sp", "i1"}, {"hp"});
  AddNode(g, "Gather", {"sp", "i2"}, {"wp"});
  AddNode(g, "Div", {"hp", "win"}, {"nh"});
  AddNode(g, "Div", {"wp", "win"}, {"nw"});
  const std::string nh = Unsq(g, "nh", "nh_u"), nw = Unsq(g, "nw", "nw_u");
  const std::string w7 = Unsq(g, "win", "w7_u");
  IntAttr(AddNode(g, "Concat", {"one", nh, w7, nw, w7, "c8"}, {"wshape"}), "axis", 0);
  AddNode(g, "Reshape", {"xp", "wshape"}, {"xw"});
  IntsAttr(AddNode(g, "Transpose", {"xw"}, {"xt"}), "perm", {0, 1, 3, 2, 4, 5});
  AddNode(g, "Reshape", {"xt", "tokens"}, {"xs"});
  AddNode(g, "MatMul", {"xs", "w_qkv"}, {"qkv"}, "qkv");
  test::Value(g->add_output(), "qkv", TensorProto::FLOAT, {});
  return m;
}

TEST(ShapeArithmetic, WindowedAttentionPadsToAMultipleOfTheWindow) {
  onnx::ModelProto proto = WindowPadModel();
  const Model model = Read(proto);
  // H = W = 30: pad (7 - 30 % 7) % 7 = 5 to 35; 5 x 5 windows of 49 tokens.
  const Profile p = ProfileModel(model);
  EXPECT_EQ("1x35x35x8", NodeNamed(p, "pad").outputs[0].shape.ToString());
  EXPECT_EQ("25x49x24", NodeNamed(p, "qkv").outputs[0].shape.ToString());
  EXPECT_EQ(25 * 49 * 24 * 8, *NodeNamed(p, "qkv").macs);  // out_elems * K = 235,200
  EXPECT_EQ(25 * 49 * 24 * 8, p.totals.macs);
  EXPECT_EQ(0, p.totals.nodes_without_cost);
  for (const NodeProfile& n : p.nodes) {
    for (const OutputInfo& o : n.outputs) EXPECT_TRUE(o.shape.fully_known()) << n.name;
  }
  // H = W = 28 divides: no padding, 4 x 4 windows.
  ProfileOptions opt;
  opt.input_shapes["x"] = {1, 28, 28, 8};
  const Profile q = ProfileModel(model, opt);
  EXPECT_EQ("1x28x28x8", NodeNamed(q, "pad").outputs[0].shape.ToString());
  EXPECT_EQ(16 * 49 * 24 * 8, q.totals.macs);  // 150,528
  // H = 15, W = 22: pads 6 and 6 -> 21 x 28, 3 x 4 windows.
  opt.input_shapes["x"] = {1, 15, 22, 8};
  const Profile r = ProfileModel(model, opt);
  EXPECT_EQ("1x21x28x8", NodeNamed(r, "pad").outputs[0].shape.ToString());
  EXPECT_EQ(12 * 49 * 24 * 8, r.totals.macs);  // 112,896
}

// A detector's preprocessing (torchvision GeneralizedRCNNTransform with min_size 320, max_size
// 640): image [1, 3, H, W] resized by scale = min(320 / min(H, W), 640 / max(H, W)) to
// floor(size * scale), then padded to a multiple of 32, then a 3x3 Conv 3 -> 8.
// For H = 300, W = 400 (float32 throughout):
//   scale = min(320 / 300, 640 / 400) = min(1.0666667, 1.6) = 1.0666667
//   resized: floor(300 * 1.0666667) = 320, floor(400 * 1.0666667) = floor(426.66669) = 426
//   padded: ceil(320 / 32) * 32 = 320, ceil(426 / 32) * 32 = 14 * 32 = 448
//   Conv MACs = 8 * 320 * 448 * 3 * 3 * 3 = 30,965,760
onnx::ModelProto ResizeModel(std::vector<int64_t> image_dims) {
  onnx::ModelProto m;
  GraphProto* g = m.mutable_graph();
  g->set_name("resize");
  test::Value(g->add_input(), "image", TensorProto::FLOAT, image_dims);
  Int64(g, "hw_idx", {2, 3}, false);
  Int64(g, "nc", {1, 3}, false);
  FloatInitializer(g, "min_size", {}, {320});
  FloatInitializer(g, "max_size", {}, {640});
  FloatInitializer(g, "stride", {}, {32});
  Int64(g, "zeros6", {0, 0, 0, 0, 0, 0}, false);
  Initializer(g, "conv_w", TensorProto::FLOAT, {8, 3, 3, 3});
  AddNode(g, "Shape", {"image"}, {"s"});
  AddNode(g, "Gather", {"s", "hw_idx"}, {"hw"});
  IntAttr(AddNode(g, "Cast", {"hw"}, {"hw_f"}), "to", TensorProto::FLOAT);
  IntAttr(AddNode(g, "ReduceMin", {"hw_f"}, {"short"}), "keepdims", 0);
  IntAttr(AddNode(g, "ReduceMax", {"hw_f"}, {"long"}), "keepdims", 0);
  AddNode(g, "Div", {"min_size", "short"}, {"s1"});
  AddNode(g, "Div", {"max_size", "long"}, {"s2"});
  AddNode(g, "Min", {"s1", "s2"}, {"scale"});
  AddNode(g, "Mul", {"hw_f", "scale"}, {"scaled"});
  AddNode(g, "Floor", {"scaled"}, {"new_f"});
  IntAttr(AddNode(g, "Cast", {"new_f"}, {"new_hw"}), "to", TensorProto::INT64);
  IntAttr(AddNode(g, "Concat", {"nc", "new_hw"}, {"sizes"}), "axis", 0);
  NodeProto* resize = AddNode(g, "Resize", {"image", "", "", "sizes"}, {"resized"}, "resize");
  StringAttr(resize, "mode", "linear");
  // Pad bottom / right to a multiple of the stride.
  AddNode(g, "Div", {"new_f", "stride"}, {"blocks_f"});
  AddNode(g, "Ceil", {"blocks_f"}, {"blocks"});
  AddNode(g, "Mul", {"blocks", "stride"}, {"padded_f"});
  AddNode(g, "Sub", {"padded_f", "new_f"}, {"extra_f"});
  IntAttr(AddNode(g, "Cast", {"extra_f"}, {"extra"}), "to", TensorProto::INT64);
  IntAttr(AddNode(g, "Concat", {"zeros6", "extra"}, {"pads"}), "axis", 0);
  AddNode(g, "Pad", {"resized", "pads"}, {"batched"}, "pad");
  NodeProto* conv = AddNode(g, "Conv", {"batched", "conv_w"}, {"features"}, "conv");
  IntsAttr(conv, "kernel_shape", {3, 3});
  IntsAttr(conv, "pads", {1, 1, 1, 1});
  AddNode(g, "Relu", {"features"}, {"out"}, "relu");
  test::Value(g->add_output(), "out", TensorProto::FLOAT, {});
  return m;
}

TEST(ShapeArithmetic, ResizeTargetFromFloatArithmeticOnTheInputSize) {
  onnx::ModelProto proto = ResizeModel({1, 3, 300, 400});
  const Profile p = ProfileModel(Read(proto));
  EXPECT_EQ("1x3x320x426", NodeNamed(p, "resize").outputs[0].shape.ToString());
  EXPECT_EQ("1x3x320x448", NodeNamed(p, "pad").outputs[0].shape.ToString());
  EXPECT_EQ(30965760, p.totals.macs);
  EXPECT_EQ(0, p.totals.nodes_without_cost);
  // A square 320 x 320 image: scale 1, no padding: 8 * 320 * 320 * 27 = 22,118,400.
  ProfileOptions opt;
  opt.input_shapes["image"] = {1, 3, 320, 320};
  EXPECT_EQ(22118400, ProfileModel(Read(proto), opt).totals.macs);
}

TEST(ShapeArithmetic, AnUnboundSizeIsNamedAtTheFirstNodeThatNeedsIt) {
  // H and W symbolic: the resize target cannot be computed; the one diagnostic names the Resize,
  // the dims that would resolve it, and counts the nodes after it instead of listing them.
  onnx::ModelProto proto = ResizeModel({1, 3, -1, -1});
  for (int i : {2, 3}) {
    auto* d = proto.mutable_graph()
                  ->mutable_input(0)
                  ->mutable_type()
                  ->mutable_tensor_type()
                  ->mutable_shape()
                  ->mutable_dim(i);
    d->set_dim_param(i == 2 ? "H" : "W");
  }
  const Profile p = ProfileModel(Read(proto));
  std::vector<const Diagnostic*> lost;
  for (const Diagnostic& d : p.diagnostics) {
    if (d.kind == DiagnosticKind::kShapeLost) lost.push_back(&d);
    EXPECT_EQ(std::string::npos, d.message.find("cost unknown")) << d.message;
  }
  ASSERT_EQ(1u, lost.size());
  EXPECT_EQ("resize", lost[0]->node);
  EXPECT_EQ("--dim H=N --dim W=N", lost[0]->resolve);  // both are needed
  EXPECT_NE(std::string::npos, lost[0]->message.find("unbound dim(s) 'H', 'W'"))
      << lost[0]->message;
  EXPECT_EQ(3, lost[0]->nodes);  // pad, conv, relu
  // Binding them gives the numbers above.
  ProfileOptions opt;
  opt.dims = {{"H", 300}, {"W", 400}};
  EXPECT_EQ(30965760, ProfileModel(Read(proto), opt).totals.macs);
}

// The target size is a graph input (a model exported with the size as an argument).
onnx::ModelProto SizeInputModel() {
  onnx::ModelProto m;
  GraphProto* g = m.mutable_graph();
  g->set_name("size_input");
  test::Value(g->add_input(), "image", TensorProto::FLOAT, {1, 3, 100, 100});
  test::Value(g->add_input(), "size", TensorProto::INT64, {2});
  Int64(g, "nc", {1, 3}, false);
  Initializer(g, "conv_w", TensorProto::FLOAT, {4, 3, 1, 1});
  IntAttr(AddNode(g, "Concat", {"nc", "size"}, {"sizes"}), "axis", 0);
  NodeProto* resize = AddNode(g, "Resize", {"image", "", "", "sizes"}, {"resized"}, "resize");
  StringAttr(resize, "mode", "nearest");
  IntsAttr(AddNode(g, "Conv", {"resized", "conv_w"}, {"f"}, "conv"), "kernel_shape", {1, 1});
  AddNode(g, "Relu", {"f"}, {"out"}, "relu");
  test::Value(g->add_output(), "out", TensorProto::FLOAT, {});
  return m;
}

TEST(ShapeArithmetic, ValueOptionFixesAGraphInputsValue) {
  onnx::ModelProto proto = SizeInputModel();
  const Model model = Read(proto);
  const Profile p = ProfileModel(model);
  const Diagnostic* lost = nullptr;
  for (const Diagnostic& d : p.diagnostics) {
    if (d.kind == DiagnosticKind::kShapeLost) lost = &d;
  }
  ASSERT_NE(nullptr, lost);
  EXPECT_EQ("resize", lost->node);
  EXPECT_EQ("--value size=V1,V2,...", lost->resolve);
  EXPECT_NE(std::string::npos, lost->message.find("graph input 'size'")) << lost->message;
  EXPECT_EQ(2, lost->nodes);  // conv, relu
  ProfileOptions opt;
  opt.input_values["size"] = {64, 48};
  const Profile q = ProfileModel(model, opt);
  EXPECT_EQ("1x3x64x48", NodeNamed(q, "resize").outputs[0].shape.ToString());
  EXPECT_EQ(4 * 64 * 48 * 3, q.totals.macs);  // 36,864
  // Wrong count, fractions for an integer input, unknown input: errors, not guesses.
  opt.input_values["size"] = {64};
  EXPECT_THROW(ProfileModel(model, opt), Error);
  opt.input_values["size"] = {64.5, 48};
  EXPECT_THROW(ProfileModel(model, opt), Error);
  opt.input_values.clear();
  opt.input_values["nope"] = {1};
  EXPECT_THROW(ProfileModel(model, opt), Error);
}

TEST(ShapeArithmetic, ValueOptionParsing) {
  EXPECT_EQ((std::pair<std::string, std::vector<double>>{"size", {800, 1333}}),
            ParseValueOption("size=800,1333"));
  EXPECT_EQ((std::pair<std::string, std::vector<double>>{"t", {0.5}}), ParseValueOption("t=0.5"));
  for (const char* bad : {"size", "=1", "size=", "size=1,,2", "size=a", "size=9007199254740993"}) {
    EXPECT_THROW(ParseValueOption(bad), Error) << bad;
  }
}

// Pads computed from the *content* of the input (ReduceMax over the data): nothing resolves it;
// the diagnostic says where the value comes from.
TEST(ShapeArithmetic, PadsFromTheDataNameTheReductionAndTheInput) {
  onnx::ModelProto m;
  GraphProto* g = m.mutable_graph();
  g->set_name("data_pads");
  test::Value(g->add_input(), "x", TensorProto::FLOAT, {1, 4, 32, 32});
  Int64(g, "zeros7", {0, 0, 0, 0, 0, 0, 0}, false);
  Int64(g, "axes0", {0}, false);
  Initializer(g, "conv_w", TensorProto::FLOAT, {4, 4, 1, 1});
  IntAttr(AddNode(g, "ReduceMax", {"x"}, {"peak"}, "peak"), "keepdims", 0);
  IntAttr(AddNode(g, "Cast", {"peak"}, {"peak_i"}), "to", TensorProto::INT64);
  AddNode(g, "Unsqueeze", {"peak_i", "axes0"}, {"peak_u"});
  IntAttr(AddNode(g, "Concat", {"zeros7", "peak_u"}, {"pads"}), "axis", 0);
  AddNode(g, "Pad", {"x", "pads"}, {"xp"}, "pad");
  IntsAttr(AddNode(g, "Conv", {"xp", "conv_w"}, {"y"}, "conv"), "kernel_shape", {1, 1});
  test::Value(g->add_output(), "y", TensorProto::FLOAT, {});
  const Profile p = ProfileModel(Read(m));
  int lost = 0;
  for (const Diagnostic& d : p.diagnostics) {
    if (d.kind != DiagnosticKind::kShapeLost) continue;
    ++lost;
    EXPECT_EQ("pad", d.node);
    EXPECT_NE(std::string::npos, d.message.find("graph input 'x'")) << d.message;
    EXPECT_NE(std::string::npos, d.message.find("ReduceMax 'peak'")) << d.message;
    EXPECT_EQ("", d.resolve);  // a 4096-element data tensor takes no --value
    EXPECT_EQ(1, d.nodes);
  }
  EXPECT_EQ(1, lost);
  // The rank survives, so the Conv's output keeps its rank; its cost is unknown, not zero.
  EXPECT_FALSE(NodeNamed(p, "conv").macs.has_value());
  EXPECT_EQ(1, p.totals.nodes_without_cost);
}

}  // namespace
}  // namespace tops
