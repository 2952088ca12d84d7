// What-if scenarios: precision against a chip whose peaks follow the article's 1:2:4, sparsity
// only where the chip declares its pattern, channel pruning by hand arithmetic, quantised
// models recognised from the graph, and batch by scaling agreeing with batch by re-profiling.
#include "tops/whatif.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "model_builder.h"
#include "tops/error.h"
#include "tops/profile.h"
#include "tops/quantized.h"
#include "tops/read.h"

namespace tops {
namespace {

const std::string kModels = std::string(TOPS_TEST_DIR) + "/models/";

Figure Known(double v) {
  Figure f;
  f.value = v;
  f.source = "test";
  return f;
}

// A chip with the given dense peaks and a memory fast enough that every layer is compute-bound,
// so latency ratios are compute ratios.
Chip TestChip(const std::map<Precision, double>& dense) {
  Chip c;
  c.id = "test_chip";
  c.name = "Test chip";
  c.family = "test_family";
  for (const auto& [p, tops] : dense) c.peaks[p].dense = Known(tops);
  c.memory_bandwidth_gbs = Known(1e6);
  c.power_modes_w.values = {10};
  c.power_modes_w.source = "test";
  return c;
}

Family TestFamily() {
  Family f;
  f.id = "test_family";
  for (OpClass c : {OpClass::kConv, OpClass::kDepthwise, OpClass::kGemm, OpClass::kElementwise}) {
    f.efficiency[c] = Known(1.0);
  }
  f.layer_overhead_us = Known(0);
  return f;
}

const ScenarioResult& Row(const WhatifResult& r, const std::string& name) {
  auto it = std::find_if(r.rows.begin(), r.rows.end(),
                         [&](const ScenarioResult& s) { return s.scenario.name == name; });
  if (it == r.rows.end()) throw std::runtime_error("no row " + name);
  return *it;
}

bool Contains(const std::vector<std::string>& lines, const std::string& part) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return l.find(part) != std::string::npos; });
}

// x[1,3,8,8] -> Conv 3->8 (3x3) -> Relu -> Conv 8->4 (3x3) -> y, no biases.
Model TwoConv() {
  return test::ModelBuilder()
      .Input("x", {1, 3, 8, 8})
      .Weight("w1", {8, 3, 3, 3})
      .Weight("w2", {4, 8, 3, 3})
      .Node("Conv", {"x", "w1"}, {"h"}, test::Conv3x3())
      .Node("Relu", {"h"}, {"r"})
      .Node("Conv", {"r", "w2"}, {"y"}, test::Conv3x3())
      .Output("y")
      .Build("two_conv");
}

const NodeProfile& NodeByOutput(const Profile& p, const std::string& output) {
  for (const NodeProfile& n : p.nodes) {
    if (!n.outputs.empty() && n.outputs[0].name == output) return n;
  }
  throw std::runtime_error("no node writes " + output);
}

TEST(Whatif, Int8AgainstFp32GivesTheArticlesFourTimes) {
  const Model m = ReadModel(kModels + "resnet18.onnx");
  const Chip chip = TestChip({{Precision::kInt8, 4}, {Precision::kFp16, 2}, {Precision::kFp32, 1}});
  WhatifOptions o;
  o.scenarios = {"fp32", "fp16", "int8"};
  const WhatifResult r = WhatIf(m, chip, TestFamily(), o);
  const ScenarioResult& fp32 = Row(r, "fp32");
  const ScenarioResult& fp16 = Row(r, "fp16");
  const ScenarioResult& int8 = Row(r, "int8");
  // Seed article, 3.1: 2 * MACs * fps / 1e12 with ResNet-18's MACs, at 30 FPS.
  EXPECT_DOUBLE_EQ(2.0 * static_cast<double>(ProfileModel(m).totals.macs) * 30 / 1e12,
                   int8.required_tops);
  EXPECT_DOUBLE_EQ(4.0, fp32.required_tops / int8.required_tops);
  EXPECT_DOUBLE_EQ(2.0, fp16.required_tops / int8.required_tops);
  ASSERT_TRUE(fp32.latency_ms && int8.latency_ms && fp16.latency_ms);
  EXPECT_NEAR(4.0, *fp32.latency_ms / *int8.latency_ms, 1e-9);
  EXPECT_NEAR(2.0, *fp16.latency_ms / *int8.latency_ms, 1e-9);
  EXPECT_DOUBLE_EQ(4.0, fp32.weight_bytes / int8.weight_bytes);
  EXPECT_EQ(VerdictBasis::kRoofline, int8.verdict_basis);
}

TEST(Whatif, PrecisionWithoutAPeakSaysSo) {
  const Model m = TwoConv();
  const WhatifResult r = WhatIf(m, TestChip({{Precision::kInt8, 4}}), TestFamily(), {});
  const ScenarioResult& fp16 = Row(r, "fp16");
  EXPECT_FALSE(fp16.latency_ms.has_value());
  EXPECT_FALSE(fp16.peak_tops.has_value());
  EXPECT_TRUE(Contains(Texts(fp16.missing), "fp16 dense peak"))
      << ::testing::PrintToString(Texts(fp16.missing));
  EXPECT_EQ(VerdictBasis::kArticle, fp16.verdict_basis);
  EXPECT_TRUE(Row(r, "int8").latency_ms.has_value());
  EXPECT_EQ(AllScenarios().size(), r.rows.size());
}

// x[1,16,16,16] -> Conv 16->32 -> Conv 32->16: all work is in weight layers.
Model SparseFriendly() {
  return test::ModelBuilder()
      .Input("x", {1, 16, 16, 16})
      .Weight("w1", {32, 16, 3, 3})
      .Weight("w2", {16, 32, 3, 3})
      .Node("Conv", {"x", "w1"}, {"h"}, test::Conv3x3())
      .Node("Conv", {"h", "w2"}, {"y"}, test::Conv3x3())
      .Output("y")
      .Build("sparse_friendly");
}

TEST(Whatif, TwoFourSparsityHalvesComputeOnlyWhereDeclared) {
  const Model m = SparseFriendly();
  Chip sparse = TestChip({{Precision::kInt8, 10}});
  sparse.peaks[Precision::kInt8].sparse = Known(20);
  sparse.peaks[Precision::kInt8].sparsity = "2:4";
  const Chip dense = TestChip({{Precision::kInt8, 10}});
  WhatifOptions o;
  o.scenarios = {"baseline", "unstructured-30", "unstructured-50", "unstructured-70"};

  const WhatifResult s = WhatIf(m, sparse, TestFamily(), o);
  ASSERT_TRUE(Row(s, "baseline").latency_ms && Row(s, "unstructured-50").latency_ms);
  const double base = *Row(s, "baseline").latency_ms;
  EXPECT_NEAR(0.5, *Row(s, "unstructured-50").latency_ms / base, 1e-9);
  EXPECT_NEAR(0.5, *Row(s, "unstructured-70").latency_ms / base, 1e-9);  // beyond 2:4: no gain
  EXPECT_NEAR(1.0, *Row(s, "unstructured-30").latency_ms / base, 1e-9);  // cannot take 2:4
  EXPECT_DOUBLE_EQ(Row(s, "baseline").macs / 2, Row(s, "unstructured-50").macs);
  // 2:4 storage: half the values plus a 2-bit index each, over 8 bits dense.
  EXPECT_NEAR(0.5 * (8 + 2) / 8,
              Row(s, "unstructured-50").weight_bytes / Row(s, "baseline").weight_bytes, 1e-3);

  const WhatifResult d = WhatIf(m, dense, TestFamily(), o);
  const double dense_base = *Row(d, "baseline").latency_ms;
  for (const char* name : {"unstructured-30", "unstructured-50", "unstructured-70"}) {
    ASSERT_TRUE(Row(d, name).latency_ms);
    EXPECT_DOUBLE_EQ(dense_base, *Row(d, name).latency_ms) << name;
    EXPECT_DOUBLE_EQ(Row(d, "baseline").macs, Row(d, name).macs) << name;
    EXPECT_NE(Row(d, name).effect.find("compute unchanged"), std::string::npos);
  }
  // Bitmap storage: 1 bit per weight plus the 70% kept values, over 8 bits dense.
  EXPECT_NEAR((0.7 * 8 + 1) / 8,
              Row(d, "unstructured-30").weight_bytes / Row(d, "baseline").weight_bytes, 1e-3);
  const double all_weights = 32 * 16 * 9 + 16 * 32 * 9;
  EXPECT_DOUBLE_EQ(all_weights * 0.7, Row(d, "unstructured-30").nonzero_params);
}

TEST(Whatif, ChannelPruningOfTwoConvsByHand) {
  const Model m = TwoConv();
  const Profile base = ProfileModel(m);
  const int64_t pixels = 8 * 8;
  ASSERT_EQ(8 * 3 * 9 * pixels + 4 * 8 * 9 * pixels, base.totals.macs);

  std::vector<std::string> notes;
  const Profile p = PruneChannels(m, base, 0.3, &notes);
  // conv1 keeps 8 - floor(0.3 * 8) = 6 outputs; conv2 makes the model's output, so it keeps its
  // 4 outputs but reads only 6 channels.
  EXPECT_EQ(6 * 3 * 9 * pixels, *NodeByOutput(p, "h").macs);
  EXPECT_EQ(4 * 6 * 9 * pixels, *NodeByOutput(p, "y").macs);
  EXPECT_EQ(6 * 3 * 9 * pixels + 4 * 6 * 9 * pixels, p.totals.macs);
  EXPECT_EQ(6 * 3 * 9 + 4 * 6 * 9, p.totals.params);
  EXPECT_EQ(*NodeByOutput(base, "r").other_ops * 6 / 8, *NodeByOutput(p, "r").other_ops);
  EXPECT_EQ(*NodeByOutput(base, "r").bytes_written * 6 / 8, *NodeByOutput(p, "r").bytes_written);
  EXPECT_EQ(6, NodeByOutput(p, "h").outputs[0].shape.dims[1].value);
  EXPECT_TRUE(Contains(notes, "keep all their channels"));
  // The input profile is left as it was.
  EXPECT_EQ(8 * 3 * 9 * pixels + 4 * 8 * 9 * pixels, base.totals.macs);
}

TEST(Whatif, DepthwiseFollowsItsInputAndConcatWeighsChannels) {
  // x[1,4,8,8] -> 1x1 Conv 4->8 -> depthwise 3x3 (8 groups) -> Concat with x -> 1x1 Conv 12->2.
  const Model m = test::ModelBuilder()
                      .Input("x", {1, 4, 8, 8})
                      .Weight("w1", {8, 4, 1, 1})
                      .Weight("dw", {8, 1, 3, 3})
                      .Weight("w3", {2, 12, 1, 1})
                      .Node("Conv", {"x", "w1"}, {"a"}, {{"kernel_shape", {1, 1}}})
                      .Node("Conv", {"a", "dw"}, {"b"}, test::Conv3x3(8))
                      .Node("Concat", {"b", "x"}, {"c"}, {{"axis", {1}}})
                      .Node("Conv", {"c", "w3"}, {"y"}, {{"kernel_shape", {1, 1}}})
                      .Output("y")
                      .Build("dw_concat");
  const Profile p = PruneChannels(m, ProfileModel(m), 0.5, nullptr);
  const int64_t pixels = 64;
  EXPECT_EQ(4 * 4 * pixels, *NodeByOutput(p, "a").macs);  // keeps 8 - floor(4) = 4
  EXPECT_EQ(4 * 9 * pixels, *NodeByOutput(p, "b").macs);  // 4 of 8 groups remain
  // Concat: 4 kept of b's 8 channels plus x's 4 unpruned inputs = 8 of 12 channels.
  EXPECT_EQ(2 * 8 * pixels, *NodeByOutput(p, "y").macs);
}

TEST(Whatif, QdqModelIsRecognisedAsInt8) {
  const Model m = test::ModelBuilder()
                      .Input("x", {1, 3, 8, 8})
                      .Weight("xs", {})
                      .Weight("xzp", {}, onnx::TensorProto::UINT8)
                      .Weight("w", {4, 3, 3, 3}, onnx::TensorProto::INT8)
                      .Weight("ws", {})
                      .Weight("wzp", {}, onnx::TensorProto::INT8)
                      .Node("QuantizeLinear", {"x", "xs", "xzp"}, {"xq"})
                      .Node("DequantizeLinear", {"xq", "xs", "xzp"}, {"xd"})
                      .Node("DequantizeLinear", {"w", "ws", "wzp"}, {"wd"})
                      .Node("Conv", {"xd", "wd"}, {"y"}, test::Conv3x3())
                      .Output("y")
                      .Build("qdq");
  const QuantInfo q = DetectQuantization(m);
  EXPECT_TRUE(q.quantized);
  ASSERT_TRUE(q.precision.has_value());
  EXPECT_EQ(Precision::kInt8, *q.precision);
  EXPECT_TRUE(Contains(q.evidence, "QuantizeLinear x 1"));
  EXPECT_TRUE(Contains(q.evidence, "DequantizeLinear x 2"));
  EXPECT_TRUE(Contains(q.evidence, "int8 weight tensors: 1"));

  WhatifOptions o;
  o.precision = Precision::kFp16;  // ignored: the graph fixes int8
  o.scenarios = {"baseline", "fp32"};
  const WhatifResult r = WhatIf(m, TestChip({{Precision::kInt8, 4}}), TestFamily(), o);
  EXPECT_EQ(Precision::kInt8, r.precision);
  EXPECT_EQ(PrecisionSource::kGraph, r.precision_source);
  EXPECT_EQ(Precision::kInt8, Row(r, "baseline").precision);
  EXPECT_TRUE(Contains(Row(r, "fp32").notes, "re-exported"));

  const QuantInfo f = DetectQuantization(TwoConv());
  EXPECT_FALSE(f.quantized);
  EXPECT_FALSE(f.precision.has_value());
}

TEST(Whatif, IntegerOperatorModelIsTimedAtItsGraphPrecision) {
  // QOperator format: the convolution itself is integer (uint8 in, uint8 out).
  const Model m = test::ModelBuilder()
                      .Input("x", {1, 16, 16, 16}, onnx::TensorProto::UINT8)
                      .Weight("xs", {})
                      .Weight("xzp", {}, onnx::TensorProto::UINT8)
                      .Weight("w", {32, 16, 3, 3}, onnx::TensorProto::INT8)
                      .Weight("ws", {})
                      .Weight("wzp", {}, onnx::TensorProto::INT8)
                      .Weight("ys", {})
                      .Weight("yzp", {}, onnx::TensorProto::UINT8)
                      .Node("QLinearConv", {"x", "xs", "xzp", "w", "ws", "wzp", "ys", "yzp"}, {"y"},
                            {{"kernel_shape", {3, 3}}, {"pads", {1, 1, 1, 1}}})
                      .Output("y", onnx::TensorProto::UINT8)
                      .Build("qoperator");
  WhatifOptions o;
  o.precision = Precision::kFp32;  // ignored: the graph fixes int8
  o.scenarios = {"baseline"};
  const WhatifResult r = WhatIf(m, TestChip({{Precision::kInt8, 4}}), TestFamily(), o);
  EXPECT_EQ(Precision::kInt8, r.precision);
  const ScenarioResult& row = Row(r, "baseline");
  EXPECT_EQ(32 * 16 * 9 * 256, row.macs);
  // The integer layer is the model's work: timed, at no less than its MACs on the INT8 peak.
  ASSERT_TRUE(row.latency_ms.has_value());
  EXPECT_GE(*row.latency_ms, 2.0 * row.macs / 4e12 * 1e3);
}

TEST(Whatif, Fp16WeightsFixTheirPrecisionWithoutBeingQuantised) {
  const Model m = test::ModelBuilder()
                      .Input("x", {1, 3, 8, 8}, onnx::TensorProto::FLOAT16)
                      .Weight("w", {4, 3, 3, 3}, onnx::TensorProto::FLOAT16)
                      .Node("Conv", {"x", "w"}, {"y"}, test::Conv3x3())
                      .Output("y", onnx::TensorProto::FLOAT16)
                      .Build("fp16");
  const QuantInfo q = DetectQuantization(m);
  EXPECT_FALSE(q.quantized);
  ASSERT_TRUE(q.precision.has_value());
  EXPECT_EQ(Precision::kFp16, *q.precision);
}

TEST(Whatif, BatchScalingAgreesWithReprofiling) {
  const Model fixed = ReadModel(kModels + "mobilenet_v2.onnx");
  const Model dynamic = ReadModel(kModels + "mobilenet_v2_dynbatch.onnx");
  ProfileOptions four;
  four.dims["batch"] = 4;
  const Profile reprofiled = ProfileModel(dynamic, four);
  const Profile scaled = ScaleBatch(fixed, ProfileModel(fixed), 4);
  EXPECT_EQ(reprofiled.totals.macs, scaled.totals.macs);
  EXPECT_EQ(reprofiled.totals.other_ops, scaled.totals.other_ops);
  EXPECT_EQ(reprofiled.totals.params, scaled.totals.params);
  EXPECT_EQ(reprofiled.totals.activation_bytes, scaled.totals.activation_bytes);

  WhatifOptions o;
  o.scenarios = {"baseline", "batch-4"};
  const Chip chip = TestChip({{Precision::kInt8, 4}});
  const WhatifResult rf = WhatIf(fixed, chip, TestFamily(), o);
  const WhatifResult rd = WhatIf(dynamic, chip, TestFamily(), o);
  EXPECT_NE(Row(rf, "batch-4").method.find("scaled"), std::string::npos);
  EXPECT_NE(Row(rd, "batch-4").method.find("re-profiled"), std::string::npos);
  EXPECT_EQ(std::optional<std::string>("batch"), rd.batch_symbol);
  // Per frame, batching changes neither the MACs nor the article's requirement.
  EXPECT_DOUBLE_EQ(Row(rd, "baseline").macs, Row(rd, "batch-4").macs);
  EXPECT_DOUBLE_EQ(Row(rf, "batch-4").required_tops, Row(rd, "batch-4").required_tops);
  ASSERT_TRUE(Row(rf, "batch-4").fps && Row(rf, "baseline").fps);
  // Weights are read once per batch, so frames per second cannot drop.
  EXPECT_GE(*Row(rf, "batch-4").fps, *Row(rf, "baseline").fps * (1 - 1e-9));
}

// The likely range is the family's band applied to each row's roofline latency, as in `tops
// fit`; a batch row's FPS range counts frames; a family without a band gives no range.
TEST(Whatif, RowsCarryTheFamilysBandAndBatchRowsCountFrames) {
  const Model m = ReadModel(kModels + "mobilenet_v2.onnx");
  WhatifOptions o;
  o.scenarios = {"baseline", "batch-4", "fp16"};
  const Chip chip = TestChip({{Precision::kInt8, 4}});
  Family banded = TestFamily();
  banded.band = {.low = 0.5, .high = 2.0, .rows = 12, .scope = "family test_family/test"};
  const WhatifResult r = WhatIf(m, chip, banded, o);
  for (const char* name : {"baseline", "batch-4"}) {
    const ScenarioResult& row = Row(r, name);
    ASSERT_TRUE(row.latency_ms && row.fps && row.latency_low_ms && row.latency_high_ms &&
                row.fps_low && row.fps_high)
        << name;
    const double frames = std::string(name) == "batch-4" ? 4 : 1;
    EXPECT_DOUBLE_EQ(*row.latency_ms * 0.5, *row.latency_low_ms) << name;
    EXPECT_DOUBLE_EQ(*row.latency_ms * 2.0, *row.latency_high_ms) << name;
    EXPECT_NEAR(frames * 1000.0 / *row.latency_high_ms, *row.fps_low, 1e-9 * *row.fps) << name;
    EXPECT_NEAR(frames * 1000.0 / *row.latency_low_ms, *row.fps_high, 1e-9 * *row.fps) << name;
    EXPECT_NEAR(*row.fps / 2, *row.fps_low, 1e-9 * *row.fps) << name;
    EXPECT_EQ(12, row.band.rows);
    EXPECT_EQ("family test_family/test", row.band.scope);
  }
  // No fp16 peak: no roofline, so no range either.
  EXPECT_FALSE(Row(r, "fp16").latency_ms);
  EXPECT_FALSE(Row(r, "fp16").fps_low);
  EXPECT_FALSE(Row(r, "fp16").band.known());

  const WhatifResult unbanded = WhatIf(m, chip, TestFamily(), o);
  EXPECT_TRUE(Row(unbanded, "baseline").latency_ms);
  EXPECT_FALSE(Row(unbanded, "baseline").latency_low_ms);
  EXPECT_FALSE(Row(unbanded, "baseline").fps_high);
}

TEST(Whatif, CompareMarksTheBestPerColumn) {
  const Model big = ReadModel(kModels + "resnet18.onnx");
  const Model small = ReadModel(kModels + "mobilenet_v2.onnx");
  const Profile pb = ProfileModel(big), ps = ProfileModel(small);
  const CompareResult r = Compare({{"resnet18.onnx", &pb}, {"mobilenet_v2.onnx", &ps}},
                                  TestChip({{Precision::kInt8, 4}}), TestFamily(), {});
  ASSERT_EQ(2u, r.rows.size());
  const size_t fewer_macs = pb.totals.macs < ps.totals.macs ? 0 : 1;
  const size_t fewer_params = pb.totals.params < ps.totals.params ? 0 : 1;
  EXPECT_EQ(fewer_macs, r.best.at("macs"));
  EXPECT_EQ(fewer_macs, r.best.at("required_tops"));
  EXPECT_EQ(fewer_params, r.best.at("params"));
  const size_t faster = r.rows[0].fit.predicted.fps > r.rows[1].fit.predicted.fps ? 0 : 1;
  EXPECT_EQ(faster, r.best.at("fps"));
  EXPECT_EQ(faster, r.best.at("latency_ms"));
}

TEST(Whatif, UnknownScenarioListsTheNames) {
  try {
    FindScenario("prune-99");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("structured-30"), std::string::npos);
  }
  EXPECT_EQ(ScenarioKind::kBatch, FindScenario("BATCH-8").kind);
}

}  // namespace
}  // namespace tops
