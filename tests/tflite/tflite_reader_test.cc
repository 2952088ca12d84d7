// What the TFLite reader puts in the IR: options as attributes (schema defaults applied),
// quantisation parameters, sparse storage, symbolic dims from shape_signature, subgraphs and
// signatures, custom operators; and the costs of the ops that only TFLite has, by hand.
#include <gtest/gtest.h>

#include <map>

#include "io/flatbuffer.h"
#include "tflite_test_util.h"
#include "tops/error.h"
#include "tops/profile.h"
#include "tops/quantized.h"

namespace tops {
namespace {

using testing::ReadTflite;

const Node& NodeNamed(const Graph& g, const std::string& name) {
  for (const Node& n : g.nodes) {
    if (n.name == name) return n;
  }
  throw Error("no node " + name);
}

const TensorData& InitializerNamed(const Graph& g, const std::string& name) {
  for (const TensorData& t : g.initializers) {
    if (t.name == name) return t;
  }
  throw Error("no initializer " + name);
}

const NodeProfile& ProfiledNode(const Profile& p, const std::string& name) {
  for (const NodeProfile& n : p.nodes) {
    if (n.name == name) return n;
  }
  throw Error("no node " + name);
}

bool HasDiagnostic(const Profile& p, const std::string& fragment) {
  for (const Diagnostic& d : p.diagnostics) {
    if (d.message.find(fragment) != std::string::npos) return true;
  }
  return false;
}

TEST(TfliteReader, OperatorsAndOptions) {
  const Model m = ReadTflite("zoo_vision");
  EXPECT_EQ(m.format, "tflite");
  EXPECT_EQ(m.opset("tflite"), 3);
  const Node& conv = NodeNamed(m.graph, "conv/Relu");
  EXPECT_EQ(conv.domain, "tflite");
  EXPECT_EQ(conv.op_type, "CONV_2D");
  // SAME is the schema default (0), so the writer left the field out; the reader applies it.
  EXPECT_EQ(conv.attr_string("padding", ""), "SAME");
  EXPECT_EQ(conv.attr_int("stride_w", 0), 1);
  EXPECT_EQ(conv.attr_int("dilation_h_factor", 0), 1);
  EXPECT_EQ(conv.attr_string("fused_activation_function", ""), "RELU");
  const Node& dw = NodeNamed(m.graph, "dw/None");
  EXPECT_EQ(dw.attr_string("padding", ""), "VALID");
  EXPECT_EQ(dw.attr_int("depth_multiplier", 0), 2);
  const Node& ss = NodeNamed(m.graph, "strided_slice");
  EXPECT_EQ(ss.attr_int("begin_mask", -1), 1);
  EXPECT_EQ(ss.attr_int("shrink_axis_mask", -1), 0);
  // Weights keep their TFLite layouts: OHWI and 1HWO.
  EXPECT_EQ(InitializerNamed(m.graph, "conv/weights").dims, (std::vector<int64_t>{8, 3, 3, 3}));
  EXPECT_EQ(InitializerNamed(m.graph, "dw/depthwise_weights").dims,
            (std::vector<int64_t>{1, 3, 3, 16}));
  // Small integer constants keep their values (shape inference needs them).
  const TensorData& pads = InitializerNamed(m.graph, "pads");
  ASSERT_TRUE(pads.has_values);
  EXPECT_EQ(pads.ints, (std::vector<int64_t>{0, 0, 1, 1, 1, 1, 0, 0}));
  // Weights over 64 elements are weightless in the fixtures: never read, no payload.
  EXPECT_FALSE(InitializerNamed(m.graph, "conv/weights").has_values);
}

TEST(TfliteReader, QuantisationParametersPerTensorAndPerChannel) {
  const Model m = ReadTflite("mobilenet_v1_1.0_224_int8");
  const TensorData& w = InitializerNamed(m.graph, "MobilenetV1/Conv2d_1_pointwise/weights");
  EXPECT_EQ(w.dtype, DType::kInt8);
  ASSERT_TRUE(w.quant.has_value());
  EXPECT_EQ(w.quant->scales, 64);  // one per output channel, OHWI axis 0
  EXPECT_EQ(w.quant->axis, 0);
  EXPECT_TRUE(w.quant->per_axis());
  const TensorData& dw =
      InitializerNamed(m.graph, "MobilenetV1/Conv2d_1_depthwise/depthwise_weights");
  ASSERT_TRUE(dw.quant.has_value());
  EXPECT_EQ(dw.quant->axis, 3);  // 1HWO: channels last
  EXPECT_EQ(InitializerNamed(m.graph, "MobilenetV1/Conv2d_1_pointwise/bias").dtype, DType::kInt32);
  bool activation_quant = false;
  for (const ValueInfo& vi : m.graph.value_info) {
    if (vi.name == "MobilenetV1/Conv2d_0/Relu6") {
      activation_quant = vi.quant && vi.quant->scales == 1 && vi.dtype == DType::kInt8;
    }
  }
  EXPECT_TRUE(activation_quant);
}

TEST(TfliteReader, SparseWeightsCountTheBytesStored) {
  const Model m = ReadTflite("sparse_fc");
  const TensorData& w = InitializerNamed(m.graph, "sparse_weights");
  EXPECT_TRUE(w.sparse);
  EXPECT_EQ(w.dims, (std::vector<int64_t>{16, 64}));  // the dense shape
  // 16 rows keep 8 of 16 blocks of 1 x 4 float32 values: 512 bytes of values, plus the CSR
  // index arrays (17 segment and 128 block-index int32 entries).
  ASSERT_TRUE(w.stored_bytes.has_value());
  EXPECT_EQ(*w.stored_bytes, 16 * 8 * 4 * 4 + (17 + 128) * 4);
  const Profile p = ProfileModel(m);
  EXPECT_EQ(p.totals.weight_bytes, 2 * *w.stored_bytes + 16 * 4);
  EXPECT_EQ(p.totals.params, 2 * 16 * 64 + 16);
  // MACs stay those of the dense product: what a dense kernel does.
  EXPECT_EQ(*ProfiledNode(p, "sparse_fc").macs, 16 * 64);
}

TEST(TfliteReader, ShapeSignatureBecomesASymbolicBatch) {
  const Model m = ReadTflite("mobilenet_v1_0.25_128_dynbatch");
  ASSERT_EQ(m.graph.inputs.size(), 1u);
  EXPECT_EQ(m.graph.inputs[0].shape.ToString(), "batchx128x128x3");
  const Profile unbound = ProfileModel(m);
  EXPECT_GT(unbound.totals.nodes_without_cost, 0);
  EXPECT_TRUE(HasDiagnostic(unbound, "--dim batch=N"));
  ProfileOptions one, four;
  one.dims["batch"] = 1;
  four.dims["batch"] = 4;
  const Profile p1 = ProfileModel(m, one);
  const Profile p4 = ProfileModel(m, four);
  EXPECT_EQ(p1.totals.nodes_without_cost, 0);
  EXPECT_EQ(p4.totals.macs, 4 * p1.totals.macs);
  EXPECT_EQ(p1.totals.macs, ProfileModel(ReadTflite("mobilenet_v1_0.25_128")).totals.macs);
  // The SHAPE -> STRIDED_SLICE -> PACK chain folds to [4, 256] and RESHAPE resolves it.
  EXPECT_EQ(ProfiledNode(p4, "MobilenetV1/Logits/Reshape").outputs[0].shape,
            Shape::Known({4, 256}));
  // --input binds it too.
  ProfileOptions input;
  input.input_shapes["input"] = {2, 128, 128, 3};
  EXPECT_EQ(ProfileModel(m, input).totals.macs, 2 * p1.totals.macs);
}

TEST(TfliteReader, WeightsAfterTheFlatBufferAreReachedByOffset) {
  // The MEAN axes of this file live after the FlatBuffer (buffer offset / size): reading
  // them is the only way the model's shapes resolve.
  const Model m = ReadTflite("mobilenet_v1_0.25_128_offsets");
  const TensorData& axes =
      InitializerNamed(m.graph, "MobilenetV1/Logits/AvgPool/reduction_indices");
  ASSERT_TRUE(axes.has_values);
  EXPECT_EQ(axes.ints, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(ProfileModel(m).totals.macs,
            ProfileModel(ReadTflite("mobilenet_v1_0.25_128")).totals.macs);
}

TEST(TfliteReader, DeprecatedOpcodeFileHasNoBuiltinCodeField) {
  // The fixture exercises the rule: its operator codes carry only deprecated_builtin_code, so a
  // reader of builtin_code alone would see 0 (ADD) for every operator.
  const std::string bytes = testing::TfliteBytes("mobilenet_v1_0.25_128_deprecated_opcodes");
  fb::View v(bytes, "fixture", 1 << 20);
  const fb::Path p;
  const fb::Table model = v.TableAt(0, p);
  auto codes = v.VectorField(model, 1, 4, p);
  ASSERT_TRUE(codes.has_value());
  ASSERT_GT(codes->len, 3u);
  for (uint32_t i = 0; i < codes->len; ++i) {
    const fb::Table c = v.TableElement(*codes, i, p);
    EXPECT_FALSE(v.Field(c, 3, 4, p).has_value()) << "builtin_code present in code " << i;
    EXPECT_TRUE(v.Field(c, 0, 1, p).has_value()) << "deprecated_builtin_code missing " << i;
  }
}

TEST(TfliteReader, EdgeTpuModelIsNamedAndPointsToTheUncompiledModel) {
  const Profile p = ProfileModel(ReadTflite("edgetpu_compiled"));
  ASSERT_EQ(p.unsupported.size(), 1u);
  EXPECT_EQ(p.unsupported[0].op, "tflite.custom::edgetpu-custom-op");
  EXPECT_EQ(p.unsupported[0].count, 1);
  EXPECT_TRUE(HasDiagnostic(p, "compiled for the Edge TPU"));
  EXPECT_TRUE(HasDiagnostic(p, "uncompiled .tflite"));
}

TEST(TfliteReader, DetectionPostProcessOptionsAndCost) {
  const Model m = ReadTflite("ssd_tiny_postprocess");
  const Node& n = NodeNamed(m.graph, "TFLite_Detection_PostProcess");
  EXPECT_EQ(n.domain, "tflite.custom");
  EXPECT_EQ(n.attr_int("max_detections", 0), 10);
  EXPECT_EQ(n.attr_int("num_classes", 0), 4);
  EXPECT_EQ(n.attr_int("use_regular_nms", 1), 0);
  EXPECT_FLOAT_EQ(n.attr_float("nms_iou_threshold", 0), 0.6);
  const Profile p = ProfileModel(m);
  EXPECT_TRUE(p.unsupported.empty());
  const NodeProfile& np = ProfiledNode(p, "TFLite_Detection_PostProcess");
  // 1728 anchors: 18 ops to decode each box and 5 class scores each, then 10 ops per IoU of
  // every anchor pair (fast NMS).
  const int64_t anchors = 24 * 24 * 3;
  EXPECT_EQ(*np.other_ops, anchors * (18 + 5) + anchors * anchors * 10);
  EXPECT_EQ(np.outputs[0].shape, Shape::Known({1, 10, 4}));
}

TEST(TfliteReader, SubgraphsAndSignatures) {
  const Model m = ReadTflite("control_flow");
  const Node& w = NodeNamed(m.graph, "while_i");
  EXPECT_EQ(w.op_type, "WHILE");
  ASSERT_NE(w.attr("body_subgraph"), nullptr);
  EXPECT_EQ(w.attr("body_subgraph")->graphs.at(0)->name, "while_body");
  const Profile unbound = ProfileModel(m);
  EXPECT_TRUE(HasDiagnostic(unbound, "--dim while_i:trips=N"));
  EXPECT_TRUE(HasDiagnostic(unbound, "signature 'dense' runs subgraph 1"));
  EXPECT_TRUE(HasDiagnostic(unbound, "costlier branch (then)"));
  ProfileOptions o;
  o.dims["while_i:trips"] = 5;
  const Profile p = ProfileModel(m, o);
  // IF: the dense branch (16 x 16 MACs); WHILE: the same product 5 times; CALL_ONCE: nothing.
  EXPECT_EQ(p.totals.macs, 256 + 5 * 256);
  EXPECT_EQ(*ProfiledNode(p, "if_out").other_ops, 16 + 16);  // bias + RELU
  // Per iteration: i + 1, bias, RELU6 (2 ops) and the condition's compare; once more for the
  // last condition.
  EXPECT_EQ(*ProfiledNode(p, "while_i").other_ops, 5 * (1 + 16 + 32 + 1) + 1);
}

std::string Evidence(const QuantInfo& q) {
  std::string all;
  for (const std::string& e : q.evidence) all += e + "\n";
  return all;
}

TEST(TfliteReader, QuantisedPrecisionIsReadFromTheGraph) {
  const QuantInfo int8 = DetectQuantization(ReadTflite("mobilenet_v1_1.0_224_int8"));
  EXPECT_EQ(int8.precision, Precision::kInt8);
  EXPECT_NE(Evidence(int8).find("tflite::QUANTIZE x 1"), std::string::npos) << Evidence(int8);
  EXPECT_NE(Evidence(int8).find("int8 activation tensors"), std::string::npos);
  // The older uint8 scheme has no QUANTIZE: its uint8 activations say it.
  const QuantInfo uint8 = DetectQuantization(ReadTflite("mobilenet_v1_1.0_224_uint8"));
  EXPECT_EQ(uint8.precision, Precision::kInt8);
  EXPECT_NE(Evidence(uint8).find("uint8 activation tensors"), std::string::npos);
  // int16 activations: no catalog peak, and said so.
  const QuantInfo i16 = DetectQuantization(ReadTflite("mobilenet_v1_0.25_128_int16x8"));
  EXPECT_TRUE(i16.quantized);
  EXPECT_FALSE(i16.precision.has_value());
  EXPECT_NE(Evidence(i16).find("16-bit integers"), std::string::npos) << Evidence(i16);
  // Dynamic range: int8 weights, float activations.
  const QuantInfo dyn = DetectQuantization(ReadTflite("mobilenet_v1_1.0_224_dynamic"));
  EXPECT_EQ(dyn.precision, Precision::kInt8);
  EXPECT_NE(Evidence(dyn).find("dynamic-range"), std::string::npos) << Evidence(dyn);
  // Float16 weights expanded by DEQUANTIZE: not integer quantisation, FP16.
  const QuantInfo f16 = DetectQuantization(ReadTflite("mobilenet_v1_1.0_224_float16"));
  EXPECT_FALSE(f16.quantized);
  EXPECT_EQ(f16.precision, Precision::kFp16);
  EXPECT_NE(Evidence(f16).find("expand float16 weights"), std::string::npos) << Evidence(f16);
  EXPECT_FALSE(DetectQuantization(ReadTflite("mobilenet_v1_1.0_224")).quantized);
}

}  // namespace
}  // namespace tops
