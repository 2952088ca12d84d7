// Ops a family's NPU does not run (Family::cpu_ops) fall back to the host CPU: their ops at the
// CPU rate plus their activations crossing over the chip's bandwidth, worked out by hand below
// on a tiny graph x -> Conv 1x1 (8 -> 8 channels, 16x16) -> Exp -> Conv 1x1.
#include "analysis/cpu_fallback.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "../whatif/model_builder.h"
#include "hw_test_util.h"
#include "tops/chip.h"
#include "tops/fit.h"
#include "tops/profile.h"

namespace tops {
namespace {

using testing::Known;
using testing::TestChip;
using testing::TestFamily;

constexpr double kElems = 8 * 16 * 16;  // 2,048 activations per tensor
constexpr double kTops = 4, kBandwidthGbs = 0.5, kCpuGops = 2;

Profile Graph(bool with_exp, bool second_conv = true) {
  test::ModelBuilder b;
  b.Input("x", {1, 8, 16, 16}).Weight("w1", {8, 8, 1, 1}).Node("Conv", {"x", "w1"}, {"a"});
  std::string last = "a";
  if (with_exp) {
    b.Node("Exp", {"a"}, {"e"});
    last = "e";
  }
  if (second_conv) {
    b.Weight("w2", {8, 8, 1, 1}).Node("Conv", {last, "w2"}, {"c"});
    last = "c";
  }
  return ProfileModel(b.Output(last).Build("cpu_fallback"));
}

Family ListingExp(bool cut_graph) {
  Family f = TestFamily(0.5, 0.1, 10);
  f.cpu_ops = {"Exp"};
  f.cpu_ops_source = "test list";
  f.cpu_ops_cut_graph = cut_graph;
  return f;
}

// The test chip with a CPU of kCpuGops.
Chip WithCpu() {
  Chip c = TestChip(kTops, kBandwidthGbs);
  c.cpu.cores = "2x Test-Core @ 1 GHz";
  c.cpu.gops = Known(kCpuGops);
  return c;
}

const ModelPrediction& Only(const FitResult& r) {
  EXPECT_TRUE(r.predicted.available);
  return r.predicted.models.at(0);
}

TEST(CpuFallbackTest, ExpOnTheCpuCostsItsOpsAndBothTransfers) {
  const Profile with = Graph(true);
  const auto exp = std::find_if(with.nodes.begin(), with.nodes.end(),
                                [](const NodeProfile& n) { return n.op == "Exp"; });
  ASSERT_NE(exp, with.nodes.end());
  ASSERT_EQ(exp->other_ops.value_or(-1), kElems);  // one op per element
  const Chip chip = WithCpu();
  FitResult cpu = Fit({{"m", &with, 30}}, chip, ListingExp(false), FitOptions{});
  const Profile without = Graph(false);
  FitResult npu = Fit({{"m", &without, 30}}, chip, TestFamily(0.5, 0.1, 10), FitOptions{});
  // 2,048 ops at 2 GOPS = 1.024 us; 2,048 int8 bytes in and 2,048 out at 0.5 GB/s = 8.192 us.
  const double cpu_ms = (kElems / (kCpuGops * 1e9) + 2 * kElems / (kBandwidthGbs * 1e9)) * 1e3;
  EXPECT_NEAR(Only(cpu).cpu_ms, cpu_ms, 1e-12);
  EXPECT_EQ(Only(cpu).cpu_nodes, 1);
  // The two convs, their DRAM traffic and overheads are those of the graph without the Exp.
  EXPECT_NEAR(cpu.predicted.latency_ms, npu.predicted.latency_ms + cpu_ms, 1e-12);
  const auto& layers = Only(cpu).top_layers;
  const auto e = std::find_if(layers.begin(), layers.end(),
                              [](const LayerEstimate& l) { return l.op == "Exp"; });
  ASSERT_NE(e, layers.end());
  EXPECT_EQ(e->bound, Bound::kCpu);
  EXPECT_EQ(BoundName(e->bound), "cpu");
  EXPECT_NEAR(e->time_ms, cpu_ms, 1e-12);
  EXPECT_NEAR(e->dram_bytes, 2 * kElems, 1e-9);
  const auto& caveats = cpu.predicted.caveats;
  const bool named = std::any_of(caveats.begin(), caveats.end(), [](const Caveat& c) {
    return c.kind == CaveatKind::kCpuFallback &&
           c.text.find(
               "m: 1 node(s) run on the CPU on this family: Exp x1 (vendor's list: "
               "test list)") != std::string::npos;
  });
  EXPECT_TRUE(named) << ::testing::PrintToString(Texts(caveats));
}

TEST(CpuFallbackTest, AGraphCutSendsEveryLaterNodeToTheCpu) {
  const Profile with = Graph(true);
  const Chip chip = WithCpu();
  FitResult cut = Fit({{"m", &with, 30}}, chip, ListingExp(true), FitOptions{});
  const Profile head = Graph(false, false);
  FitResult npu = Fit({{"m", &head, 30}}, chip, TestFamily(0.5, 0.1, 10), FitOptions{});
  // Exp (2,048 ops) and the second conv (2 x 2,048 x 8 MACs = 32,768 ops) on the CPU; only the
  // Exp's input crosses (2,048 int8 bytes): the rest stays on the CPU.
  const double cpu_ms =
      ((kElems + 2 * kElems * 8) / (kCpuGops * 1e9) + kElems / (kBandwidthGbs * 1e9)) * 1e3;
  EXPECT_NEAR(Only(cut).cpu_ms, cpu_ms, 1e-12);
  EXPECT_EQ(Only(cut).cpu_nodes, 2);
  // 34,816 ops at 2 GOPS (17.4 us) + 4.1 us of transfer outweigh the first conv on the NPU.
  EXPECT_EQ(cut.predicted.bound, Bound::kCpu);
  EXPECT_NEAR(cut.predicted.latency_ms, npu.predicted.latency_ms + cpu_ms, 1e-12);
  const auto texts = Texts(cut.predicted.caveats);
  const bool cut_named = std::any_of(texts.begin(), texts.end(), [](const std::string& t) {
    return t.find("2 node(s) run on the CPU") != std::string::npos &&
           t.find("cuts the graph at the first op it cannot map (Exp") != std::string::npos;
  });
  EXPECT_TRUE(cut_named) << ::testing::PrintToString(texts);
}

TEST(CpuFallbackTest, WithoutACpuRateTheDefaultIsUsedAndSaid) {
  const Profile with = Graph(true);
  FitResult r =
      Fit({{"m", &with, 30}}, TestChip(kTops, kBandwidthGbs), ListingExp(false), FitOptions{});
  const double cpu_ms =
      (kElems / (analysis::kDefaultCpuGops * 1e9) + 2 * kElems / (kBandwidthGbs * 1e9)) * 1e3;
  EXPECT_NEAR(Only(r).cpu_ms, cpu_ms, 1e-12);
  const auto texts = Texts(r.predicted.caveats);
  EXPECT_TRUE(std::any_of(texts.begin(), texts.end(), [](const std::string& t) {
    return t.find("assumed 10 GOPS (the catalog has no CPU for this chip") != std::string::npos;
  })) << ::testing::PrintToString(texts);
}

// The Edge TPU's list comes from Coral's table and reaches the solved (calibration) figures the
// catalog predicts with; its USB link (0.5 GB/s) carries the transfer.
TEST(CpuFallbackTest, EdgeTpuSendsExpAndTheRestOfTheGraphToTheCpu) {
  const Catalog& catalog = Catalog::Builtin();
  const Chip& coral = catalog.Get("coral_edge_tpu");
  const Family& family = catalog.FamilyOf(coral);
  ASSERT_FALSE(family.runtime.empty());  // the solved entry, not the hand-set family
  EXPECT_TRUE(analysis::IsCpuOp(family, "Exp"));
  EXPECT_FALSE(analysis::IsCpuOp(family, "Conv"));
  EXPECT_TRUE(family.cpu_ops_cut_graph);
  EXPECT_NE(family.cpu_ops_source.find("coral.ai"), std::string::npos);
  const Profile with = Graph(true);
  FitResult r = Fit({{"m", &with, 30}}, coral, family, FitOptions{});
  const double cpu_ms = ((kElems + 2 * kElems * 8) / (analysis::kDefaultCpuGops * 1e9) +
                         kElems / (*coral.memory_bandwidth_gbs * 1e9)) *
                        1e3;
  EXPECT_NEAR(Only(r).cpu_ms, cpu_ms, 1e-12);
  const auto texts = Texts(r.predicted.caveats);
  EXPECT_TRUE(std::any_of(texts.begin(), texts.end(), [](const std::string& t) {
    return t.find("2 node(s) run on the CPU on this family: ") != std::string::npos &&
           t.find("coral.ai/docs/edgetpu/models-intro") != std::string::npos;
  })) << ::testing::PrintToString(texts);
}

// The RK3588's CPU (4x Cortex-A76 at 2.4 GHz + 4x Cortex-A55 at 1.8 GHz, Rockchip's figures)
// gets a derived rate: 4 x 2.4 x 16 + 4 x 1.8 x 8 = 211.2 GFLOPS FP32 peak, x 0.458 (HPL on
// the Pi 5's Cortex-A76) = 96.7 GOPS; the caveat names the cores and the derivation.
TEST(CpuFallbackTest, Rk3588FallsBackToItsOwnCpuRate) {
  const Catalog& catalog = Catalog::Builtin();
  const Chip& rk = catalog.Get("rk3588");
  ASSERT_TRUE(rk.cpu.gops.known());
  EXPECT_NEAR(*rk.cpu.gops, 96.7, 0.05);
  EXPECT_EQ(rk.cpu.gops.status, FigureStatus::kDerived);
  const Profile with = Graph(true);
  FitResult r = Fit({{"m", &with, 30}}, rk, ListingExp(false), FitOptions{});
  const double cpu_ms = (kElems / 96.7e9 + 2 * kElems / (*rk.memory_bandwidth_gbs * 1e9)) * 1e3;
  EXPECT_NEAR(Only(r).cpu_ms, cpu_ms, 1e-12);
  const auto texts = Texts(r.predicted.caveats);
  EXPECT_TRUE(std::any_of(texts.begin(), texts.end(), [](const std::string& t) {
    return t.find(
               "CPU (4x Cortex-A76 @ 2.4 GHz + 4x Cortex-A55 @ 1.8 GHz) at 96.7 GOPS "
               "(derived: ") != std::string::npos;
  })) << ::testing::PrintToString(texts);
}

// x -> Conv 1x1 (8 -> 8 channels, 16x16) -> ops..., each op taking the previous output alone.
Profile Chain(const std::vector<std::string>& ops) {
  test::ModelBuilder b;
  b.Input("x", {1, 8, 16, 16}).Weight("w1", {8, 8, 1, 1}).Node("Conv", {"x", "w1"}, {"t0"});
  std::string last = "t0";
  for (size_t i = 0; i < ops.size(); ++i) {
    const std::string next = "t" + std::to_string(i + 1);
    b.Node(ops[i], {last}, {next});
    last = next;
  }
  return ProfileModel(b.Output(last).Build("chain"));
}

// "1 node(s) run on the CPU on this family: <op> x1 (vendor's list: ...<source>", and no other
// op named before the list's source.
bool NamesExactly(const std::vector<Caveat>& caveats, const std::string& op,
                  const std::string& source) {
  return std::any_of(caveats.begin(), caveats.end(), [&](const Caveat& c) {
    return c.kind == CaveatKind::kCpuFallback &&
           c.text.find("m: 1 node(s) run on the CPU on this family: " + op +
                       " x1 (vendor's list: " + source + ")") != std::string::npos;
  });
}

// RKNPU1 (RV1126): the v1 toolkit's table marks cos N for ONNX and sin Y, so Cos runs on the CPU
// and the Sin after it stays on the NPU.
TEST(CpuFallbackTest, Rknpu1SendsCosButNotSinToTheCpu) {
  const Catalog& catalog = Catalog::Builtin();
  const Chip& chip = catalog.Get("rv1126");
  const Family& family = catalog.FamilyOf(chip);
  ASSERT_EQ(family.id.rfind("rockchip_rknpu1", 0), 0u) << family.id;
  EXPECT_FALSE(family.cpu_ops_cut_graph);
  // The catalog has no DRAM bandwidth for the RKNPU1 parts: the transfer is counted, not timed.
  ASSERT_FALSE(chip.memory_bandwidth_gbs.known());
  const Profile with = Chain({"Cos", "Sin"});
  FitResult cpu = Fit({{"m", &with, 30}}, chip, family, FitOptions{});
  const Profile without = Chain({"Sin"});
  FitResult npu = Fit({{"m", &without, 30}}, chip, family, FitOptions{});
  // Cos: 2,048 ops (one per element) at the CPU rate.
  const double cpu_ms = kElems / (analysis::CpuGopsOf(&chip.cpu) * 1e9) * 1e3;
  EXPECT_NEAR(Only(cpu).cpu_ms, cpu_ms, 1e-12);
  EXPECT_EQ(Only(cpu).cpu_nodes, 1);
  const auto& layers = Only(cpu).top_layers;
  const auto cos = std::find_if(layers.begin(), layers.end(),
                                [](const LayerEstimate& l) { return l.op == "Cos"; });
  ASSERT_NE(cos, layers.end());
  EXPECT_EQ(cos->bound, Bound::kCpu);
  EXPECT_NEAR(cos->dram_bytes, 2 * kElems, 1e-9);  // 2,048 int8 activations in, 2,048 out
  EXPECT_TRUE(std::none_of(layers.begin(), layers.end(), [](const LayerEstimate& l) {
    return l.op == "Sin" && l.bound == Bound::kCpu;
  }));
  EXPECT_NEAR(cpu.predicted.latency_ms, npu.predicted.latency_ms + cpu_ms, 1e-12);
  EXPECT_EQ(Only(npu).cpu_nodes, 0);
  EXPECT_TRUE(NamesExactly(cpu.predicted.caveats, "Cos", family.cpu_ops_source))
      << ::testing::PrintToString(Texts(cpu.predicted.caveats));
  const auto& caveats = cpu.predicted.caveats;
  EXPECT_TRUE(std::any_of(caveats.begin(), caveats.end(),
                          [](const Caveat& c) { return c.kind == CaveatKind::kBandwidthUnknown; }));
}

// TensorRT (Jetson Orin Nano): onnx-tensorrt's matrix marks Det N and Exp Y; the Exp stays on the
// GPU, the Det of its output runs on the CPU.
TEST(CpuFallbackTest, TensorRtSendsDetButNotExpToTheCpu) {
  const Catalog& catalog = Catalog::Builtin();
  const Chip& chip = catalog.Get("jetson_orin_nano_8gb");
  const Family& family = catalog.FamilyOf(chip);
  ASSERT_EQ(family.id.rfind("nvidia_tensorrt", 0), 0u) << family.id;
  ASSERT_TRUE(chip.memory_bandwidth_gbs.known());
  const Profile with = Chain({"Exp", "Det"});
  const auto det = std::find_if(with.nodes.begin(), with.nodes.end(),
                                [](const NodeProfile& n) { return n.op == "Det"; });
  ASSERT_NE(det, with.nodes.end());
  // Det of 8 matrices of 16 x 16: 8 x 16^3 = 32,768 ops (LU), output 8 values.
  ASSERT_EQ(det->other_ops.value_or(-1), 8 * 16 * 16 * 16);
  FitResult cpu = Fit({{"m", &with, 30}}, chip, family, FitOptions{});
  const Profile without = Chain({"Exp"});
  FitResult gpu = Fit({{"m", &without, 30}}, chip, family, FitOptions{});
  // 2,048 int8 activations in and 8 out cross at the chip's memory bandwidth.
  const double cpu_ms = (8 * 16 * 16 * 16 / (analysis::CpuGopsOf(&chip.cpu) * 1e9) +
                         (kElems + 8) / (*chip.memory_bandwidth_gbs * 1e9)) *
                        1e3;
  EXPECT_NEAR(Only(cpu).cpu_ms, cpu_ms, 1e-12);
  EXPECT_EQ(Only(cpu).cpu_nodes, 1);
  EXPECT_NEAR(cpu.predicted.latency_ms, gpu.predicted.latency_ms + cpu_ms, 1e-12);
  EXPECT_EQ(Only(gpu).cpu_nodes, 0);
  EXPECT_TRUE(NamesExactly(cpu.predicted.caveats, "Det", family.cpu_ops_source))
      << ::testing::PrintToString(Texts(cpu.predicted.caveats));
}

// Families without a vendor list run everything on the NPU.
TEST(CpuFallbackTest, NoListNoFallback) {
  const Profile with = Graph(true);
  FitResult r = Fit({{"m", &with, 30}}, TestChip(kTops, kBandwidthGbs), TestFamily(0.5, 0.1, 10),
                    FitOptions{});
  EXPECT_EQ(Only(r).cpu_nodes, 0);
  EXPECT_EQ(Only(r).cpu_ms, 0);
}

}  // namespace
}  // namespace tops
