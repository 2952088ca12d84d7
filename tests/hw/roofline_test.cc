// Per-layer roofline on hand-made profiles whose times are worked out by hand below:
// time = max(ops / (peak * efficiency), DRAM bytes / bandwidth) + overhead.
#include "analysis/roofline.h"

#include <gtest/gtest.h>

#include <map>

#include "../whatif/model_builder.h"
#include "hw_test_util.h"
#include "tops/error.h"
#include "tops/fit.h"
#include "tops/profile.h"
#include "tops/read.h"

namespace tops {
namespace {

using testing::ConvNode;
using testing::FromNodes;
using testing::Known;
using testing::TestChip;
using testing::TestFamily;

// 3x3 conv, 64 -> 64 channels at 56x56: 115,605,504 MACs, 36,928 weights (with bias).
NodeProfile Conv3x3() {
  return ConvNode("conv3x3", 64, 56, 56, 200704LL * 576, 64 * 64 * 9 + 64, 200704, 1, 64);
}
// Depthwise 3x3 on 32 channels at 112x112: 3,612,672 MACs, 320 weights.
NodeProfile Depthwise() {
  return ConvNode("dw", 32, 112, 112, 401408LL * 9, 32 * 9 + 32, 401408, 32, 1);
}

TEST(RooflineTest, ClassifiesByConvGeometry) {
  EXPECT_EQ(analysis::ClassifyNode(Depthwise()), OpClass::kDepthwise);
  EXPECT_EQ(analysis::ClassifyNode(Conv3x3()), OpClass::kConv);
  NodeProfile gemm = Conv3x3();
  gemm.op = "Gemm";
  gemm.conv.reset();
  EXPECT_EQ(analysis::ClassifyNode(gemm), OpClass::kGemm);
  NodeProfile relu = Conv3x3();
  relu.op = "Relu";
  relu.macs = 0;
  EXPECT_EQ(analysis::ClassifyNode(relu), OpClass::kElementwise);
}

// The class comes from the model's group attribute and weight shape through the op formulas,
// including the cases a shape heuristic gets wrong: a 1x1 depthwise conv, a 3x3 conv on a
// single-channel input, a grouped (not depthwise) conv and an integer depthwise conv.
TEST(RooflineTest, ClassifiesConvolutionsOfARealGraph) {
  Model m = test::ModelBuilder()
                .Input("x", {1, 1, 32, 32})
                .Weight("w1", {16, 1, 3, 3})
                .Node("Conv", {"x", "w1"}, {"a"}, {{"pads", {1, 1, 1, 1}}})
                .Weight("w2", {16, 1, 1, 1})
                .Node("Conv", {"a", "w2"}, {"b"}, {{"group", {16}}})
                .Weight("w3", {32, 4, 3, 3})
                .Node("Conv", {"b", "w3"}, {"c"}, {{"group", {4}}, {"pads", {1, 1, 1, 1}}})
                .Weight("w4", {32, 1, 3, 3})
                .Node("ConvTranspose", {"c", "w4"}, {"d"}, {{"group", {32}}})
                .Node("QuantizeLinear", {"d", "s", "z"}, {"q"})
                .Weight("s", {}, onnx::TensorProto::FLOAT)
                .Weight("z", {}, onnx::TensorProto::UINT8)
                .Weight("wq", {32, 1, 3, 3}, onnx::TensorProto::UINT8)
                .Node("ConvInteger", {"q", "wq", "z", "z"}, {"e"}, {{"group", {32}}})
                .Output("e", onnx::TensorProto::INT32)
                .Build("classes");
  Profile p = ProfileModel(m);
  ASSERT_EQ(p.nodes.size(), 6u);
  std::map<std::string, OpClass> got;
  for (const NodeProfile& n : p.nodes) got[n.outputs.at(0).name] = analysis::ClassifyNode(n);
  EXPECT_EQ(got["a"], OpClass::kConv);       // 3x3, one input channel, group 1
  EXPECT_EQ(got["b"], OpClass::kDepthwise);  // 1x1 depthwise
  EXPECT_EQ(got["c"], OpClass::kConv);       // 4 groups of 4 channels
  EXPECT_EQ(got["d"], OpClass::kDepthwise);  // depthwise transposed conv (W is C x M/group x k)
  EXPECT_EQ(got["q"], OpClass::kElementwise);
  EXPECT_EQ(got["e"], OpClass::kDepthwise);  // integer depthwise conv
  EXPECT_EQ(p.nodes[2].conv->group, 4);
  EXPECT_EQ(p.nodes[2].conv->in_channels_per_group, 4);
}

TEST(RooflineTest, ComputeBoundLayer) {
  Profile p = FromNodes({Conv3x3()});
  Chip chip = TestChip(10, 10);
  Family fam = TestFamily(0.5, 0.1, 10);
  FitResult r = Fit({{"m", &p, 30}}, chip, fam, FitOptions{});
  ASSERT_TRUE(r.predicted.available);
  // compute: 231,211,008 ops / (10e12 * 0.5) = 46.242 us; memory: (36,928 + 2 x 200,704) B
  // at INT8 / 10 GB/s = 43.834 us; plus 10 us overhead.
  EXPECT_NEAR(r.predicted.latency_ms, 0.0462422016 + 0.010, 1e-9);
  EXPECT_EQ(r.predicted.models[0].top_layers[0].bound, Bound::kCompute);
  EXPECT_NEAR(r.predicted.models[0].dram_bytes, 438336, 1e-6);
  EXPECT_NEAR(r.predicted.fps, 1000.0 / 0.0562422016, 1e-6);
}

TEST(RooflineTest, MemoryBoundLayerAndPrecisionScalesBytes) {
  Profile p = FromNodes({Conv3x3()});
  Chip chip = TestChip(10, 1);
  chip.peaks[Precision::kFp16].dense = Known(5);
  chip.peaks[Precision::kFp16].covers = "NPU";
  Family fam = TestFamily(0.5, 0.1, 10);
  FitResult int8 = Fit({{"m", &p, 30}}, chip, fam, FitOptions{});
  EXPECT_NEAR(int8.predicted.latency_ms, 0.438336 + 0.010, 1e-9);
  EXPECT_EQ(int8.predicted.bound, Bound::kMemory);
  FitOptions o;
  o.precision = UsePrecision(Precision::kFp16);
  FitResult fp16 = Fit({{"m", &p, 30}}, chip, fam, o);
  EXPECT_NEAR(fp16.predicted.latency_ms, 2 * 0.438336 + 0.010, 1e-9);
}

TEST(RooflineTest, DepthwiseUsesItsOwnEfficiency) {
  Profile p = FromNodes({Depthwise()});
  Chip chip = TestChip(10, 0);
  chip.external_memory = false;  // all on chip: compute only
  Family fam = TestFamily(0.5, 0.1, 0);
  FitResult r = Fit({{"m", &p, 30}}, chip, fam, FitOptions{});
  // 7,225,344 ops / (10e12 * 0.1) = 7.225 us.
  EXPECT_NEAR(r.predicted.latency_ms, 0.0072253440, 1e-12);
}

TEST(RooflineTest, ResidentWeightsAndOnChipActivationsSkipDram) {
  Profile p = FromNodes({Conv3x3()});
  Chip chip = TestChip(10, 1);
  chip.on_chip_memory_mb = Known(1);  // 1e6 B: weights 36,928 B and 401,408 B of activations fit
  Family fam = TestFamily(0.5, 0.1, 10);
  fam.weights_resident = true;
  FitResult r = Fit({{"m", &p, 30}}, chip, fam, FitOptions{});
  EXPECT_TRUE(r.predicted.models[0].weights_on_chip);
  EXPECT_EQ(r.predicted.models[0].dram_bytes, 0);
  EXPECT_NEAR(r.predicted.latency_ms, 0.0462422016 + 0.010, 1e-9);
}

TEST(RooflineTest, OversizedWeightsStreamTheirExcess) {
  Profile p = FromNodes({Conv3x3()});
  Chip chip = TestChip(10, 1);
  chip.on_chip_memory_mb = Known(0.01);  // 10,000 B of 36,928 B of weights stay on chip
  Family fam = TestFamily(0.5, 0.1, 0);
  fam.weights_resident = true;
  FitResult r = Fit({{"m", &p, 30}}, chip, fam, FitOptions{});
  // Streamed weights 26,928 B plus 401,408 B of activations (over the 10,000 B on chip).
  EXPECT_NEAR(r.predicted.models[0].dram_bytes, 26928 + 401408, 1e-6);
}

TEST(RooflineTest, ThroughputModeAmortisesOverheadAndWeightsAndUsesAllUnits) {
  Profile p = FromNodes({Conv3x3()});
  Chip chip = TestChip(20, 1000);
  chip.peaks[Precision::kInt8].single_inference = Known(10);
  chip.one_inference_uses_all = false;
  Family fam = TestFamily(0.5, 0.1, 10);
  FitResult lat = Fit({{"m", &p, 30}}, chip, fam, FitOptions{});
  EXPECT_EQ(lat.predicted.peak_tops, 10);
  FitOptions o;
  o.throughput = true;
  FitResult thr = Fit({{"m", &p, 30}}, chip, fam, o);
  EXPECT_EQ(thr.predicted.peak_tops, 20);
  EXPECT_NEAR(thr.predicted.latency_ms, 0.0462422016 / 2, 1e-9);
  EXPECT_NEAR(thr.predicted.models[0].dram_bytes, 401408, 1e-6);
}

TEST(RooflineTest, SeveralModelsShareTheChip) {
  Profile a = FromNodes({Conv3x3()});
  Profile b = FromNodes({Depthwise()});
  Chip chip = TestChip(10, 0);
  chip.external_memory = false;
  Family fam = TestFamily(0.5, 0.1, 0);
  FitResult r = Fit({{"a", &a, 10000}, {"b", &b, 100000}}, chip, fam, FitOptions{});
  const double la = 0.0462422016, lb = 0.0072253440;
  EXPECT_NEAR(r.predicted.latency_ms, la + lb, 1e-9);
  EXPECT_NEAR(r.predicted.load, 10000 * la / 1000 + 100000 * lb / 1000, 1e-9);
  EXPECT_FALSE(r.predicted.fits);  // 0.462 + 0.723 = 1.18 > 1
  EXPECT_FALSE(r.fits);
  EXPECT_EQ(r.verdict_basis, VerdictBasis::kRoofline);
  // The article alone calls it sufficient: 2 x MACs x fps = 3.03 TOPS against 10 x 0.6.
  EXPECT_TRUE(*r.is_sufficient);
  FitResult light = Fit({{"a", &a, 1000}, {"b", &b, 10000}}, chip, fam, FitOptions{});
  EXPECT_TRUE(light.fits);  // a tenth of the load
}

TEST(RooflineTest, UnknownBandwidthIsReportedNotGuessed) {
  Profile p = FromNodes({Conv3x3()});
  Chip chip = TestChip(10, 0);
  Family fam = TestFamily(0.5, 0.1, 0);
  FitResult r = Fit({{"m", &p, 30}}, chip, fam, FitOptions{});
  ASSERT_FALSE(r.predicted.missing.empty());
  EXPECT_EQ(r.predicted.missing[0].figure, "memory bandwidth");
  EXPECT_FALSE(r.predicted.caveats.empty());
}

TEST(RooflineTest, PowerModesGiveEnergyAndEfficiency) {
  Profile p = FromNodes({Depthwise()});
  Chip chip = TestChip(10, 0);
  chip.external_memory = false;
  chip.power_modes_w.values = {5, 10};
  chip.power_modes_w.source = "test";
  Family fam = TestFamily(0.5, 0.1, 0);
  FitResult hi = Fit({{"m", &p, 30}}, chip, fam, FitOptions{});
  EXPECT_EQ(*hi.predicted.power_w, 10);
  EXPECT_NEAR(*hi.predicted.energy_mj, 10 * 0.0072253440, 1e-12);
  EXPECT_NEAR(*hi.predicted.tops_per_watt, 1.0, 1e-12);
  FitOptions o;
  o.power_w = 5;
  FitResult lo = Fit({{"m", &p, 30}}, chip, fam, o);
  EXPECT_NEAR(*lo.predicted.fps_per_watt, lo.predicted.fps / 5, 1e-9);
  o.power_w = 7;
  EXPECT_THROW(Fit({{"m", &p, 30}}, chip, fam, o), Error);
  // Without per-mode figures a lower mode keeps the quoted peak and says it is optimistic.
  ASSERT_FALSE(lo.predicted.caveats.empty());
  EXPECT_EQ(lo.predicted.caveats[0].kind, CaveatKind::kPowerMode);
  EXPECT_NE(lo.predicted.caveats[0].text.find("optimistic"), std::string::npos);
  EXPECT_NEAR(lo.predicted.latency_ms, hi.predicted.latency_ms, 1e-12);
}

// Peaks quoted at a middle mode: only the modes below it are flagged as optimistic.
TEST(RooflineTest, PeaksQuotedAtAMiddleMode) {
  Profile p = FromNodes({Depthwise()});
  Chip chip = TestChip(10, 0);
  chip.external_memory = false;
  chip.power_modes_w.values = {5, 10, 20};
  chip.power_modes_w.source = "test";
  chip.peaks_quoted_at_w = Known(10);
  Family fam = TestFamily(0.5, 0.1, 0);
  for (auto [watts, flagged] : {std::pair{5.0, true}, {10.0, false}, {20.0, false}}) {
    FitOptions o;
    o.power_w = watts;
    FitResult r = Fit({{"m", &p, 30}}, chip, fam, o);
    EXPECT_EQ(r.predicted.peaks_from_higher_mode, flagged) << watts;
    EXPECT_NEAR(*r.predicted.tops_per_watt, 10 / watts, 1e-12);
  }
}

// Per-mode shares scale the whole-chip peak (article rule, throughput) and the single-inference
// peak (latency) separately, as on a GPU + DLA module whose GPU slows down more than its DLAs.
TEST(RooflineTest, PowerModeSharesScaleThePeaks) {
  Profile p = FromNodes({Depthwise()});
  Chip chip = TestChip(10, 0);
  chip.external_memory = false;
  chip.peaks[Precision::kInt8].single_inference = Known(4);
  chip.power_modes_w.values = {5, 10};
  chip.power_modes_w.source = "test";
  chip.mode_peak_share.values = {0.5, 1};
  chip.mode_peak_share.source = "test";
  chip.mode_single_share.values = {0.25, 1};
  chip.mode_single_share.source = "test";
  Family fam = TestFamily(0.5, 0.1, 0);
  FitOptions o;
  o.power_w = 5;
  FitResult lo = Fit({{"m", &p, 30}}, chip, fam, o);
  // Article rule: 10 TOPS x 0.5 at 5 W, x 0.6 utilisation.
  EXPECT_NEAR(*lo.effective_tops, 3.0, 1e-12);
  // Latency: 7,225,344 ops / (4e12 x 0.25 x 0.1) = 72.25344 us; datasheet 10 x 0.5 / 5 W.
  EXPECT_NEAR(lo.predicted.latency_ms, 0.07225344, 1e-12);
  EXPECT_NEAR(*lo.predicted.tops_per_watt, 1.0, 1e-12);
  o.throughput = true;
  FitResult tp = Fit({{"m", &p, 30}}, chip, fam, o);
  EXPECT_NEAR(tp.predicted.latency_ms, 0.07225344 * 4 * 0.25 / (10 * 0.5), 1e-12);
}

TEST(RankTest, SortsFittingChipsByPredictedFpsAndHonoursPowerBudget) {
  Profile p = FromNodes({Conv3x3(), Depthwise()});
  const Catalog catalog = Catalog::Builtin();
  RankOptions o;
  RankResult all = Rank({{"m", &p, 30}}, catalog, o);
  EXPECT_EQ(all.rows.size(), catalog.chips().size());
  for (size_t i = 1; i < all.rows.size(); ++i) {
    const FitResult& a = all.rows[i - 1].fit;
    const FitResult& b = all.rows[i].fit;
    if (a.predicted.available && b.predicted.available && a.fits == b.fits) {
      EXPECT_GE(a.predicted.fps, b.predicted.fps) << a.chip_id << " before " << b.chip_id;
    }
    if (!a.predicted.available) EXPECT_FALSE(b.predicted.available) << b.chip_id;
  }
  o.max_watts = 3;
  RankResult small = Rank({{"m", &p, 30}}, catalog, o);
  EXPECT_FALSE(small.rows.empty());
  for (const RankRow& row : small.rows) EXPECT_LE(*row.fit.predicted.power_w, 3) << row.chip->id;
  EXPECT_EQ(small.rows.size() + small.excluded.size(), catalog.chips().size());
}

}  // namespace
}  // namespace tops
