// The built-in catalog: every researched device, provenance on every figure, the article's
// corrections, and clear errors for malformed or contradictory chip files.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "tops/chip.h"
#include "tops/error.h"

namespace tops {
namespace {

const std::string kData = std::string(TOPS_TEST_DIR) + "/hw/data/";

const Catalog& Builtin() {
  static const Catalog kCatalog = Catalog::Builtin();
  return kCatalog;
}

TEST(CatalogTest, HoldsEveryResearchedDevice) {
  // The ids of the chips gathered for the first catalog (with their sources).
  for (const char* id : {"jetson_agx_xavier",
                         "jetson_xavier_nx",
                         "jetson_agx_orin_64gb",
                         "jetson_agx_orin_32gb",
                         "jetson_orin_nx_16gb",
                         "jetson_orin_nx_8gb",
                         "jetson_orin_nano_8gb",
                         "jetson_orin_nano_8gb_super",
                         "jetson_nano",
                         "ascend_310",
                         "ascend_310b_atlas200i_dk_a2",
                         "rk3588",
                         "rk3576",
                         "rk3568",
                         "rv1126",
                         "qualcomm_rb5_qrb5165",
                         "qcs6490",
                         "snapdragon_8_gen2_hexagon",
                         "snapdragon_8_gen3_hexagon",
                         "hailo_8",
                         "hailo_8l",
                         "hailo_15h",
                         "hailo_10h",
                         "coral_edge_tpu",
                         "intel_myriad_x_ncs2",
                         "intel_meteor_lake_npu",
                         "intel_lunar_lake_npu",
                         "apple_a17_pro_ane",
                         "apple_m4_ane",
                         "kria_kv260",
                         "horizon_journey5",
                         "kendryte_k230",
                         "sophgo_bm1684x",
                         "ti_tda4vm",
                         "ambarella_cv22",
                         "ambarella_cv5s",
                         "nvidia_t4",
                         "nvidia_a100_sxm",
                         "nvidia_h100_sxm",
                         "nvidia_l4",
                         "raspberry_pi_5"}) {
    EXPECT_NE(Builtin().Find(id), nullptr) << id;
  }
}

TEST(CatalogTest, ShortAliasesResolve) {
  EXPECT_EQ(Builtin().Get("orin64").id, "jetson_agx_orin_64gb");
  EXPECT_EQ(Builtin().Get("AGX_ORIN").id, "jetson_agx_orin_64gb");
  EXPECT_EQ(Builtin().Get("hailo8").id, "hailo_8");
  EXPECT_EQ(Builtin().Get("coral").id, "coral_edge_tpu");
  EXPECT_EQ(Builtin().Get("l4").id, "nvidia_l4");
}

TEST(CatalogTest, UnknownChipSuggestsCloseIds) {
  try {
    Builtin().Get("orin");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("jetson_agx_orin_64gb"), std::string::npos) << e.what();
  }
}

void ExpectProvenance(const Chip& c, const Figure& f, const std::string& field) {
  if (!f.known()) return;
  EXPECT_FALSE(f.source.empty()) << c.id << " " << field;
  if (f.status == FigureStatus::kDerived) EXPECT_FALSE(f.how.empty()) << c.id << " " << field;
}

TEST(CatalogTest, EveryKnownFigureHasStatusAndSource) {
  for (const Chip& c : Builtin().chips()) {
    for (const auto& [p, peak] : c.peaks) {
      const std::string name(PrecisionName(p));
      ExpectProvenance(c, peak.dense, name + ".dense");
      ExpectProvenance(c, peak.sparse, name + ".sparse");
      ExpectProvenance(c, peak.single_inference, name + ".single_inference");
      if (peak.sparse.known()) EXPECT_FALSE(peak.sparsity.empty()) << c.id;
      if (peak.dense.known()) EXPECT_FALSE(peak.covers.empty()) << c.id;
    }
    ExpectProvenance(c, c.memory_bandwidth_gbs, "bandwidth");
    ExpectProvenance(c, c.on_chip_memory_mb, "on_chip");
    ExpectProvenance(c, c.memory_gb, "size");
    ExpectProvenance(c, c.cores, "cores");
    EXPECT_NO_THROW(Builtin().FamilyOf(c)) << c.id;
  }
}

TEST(CatalogTest, SparseAndDenseAreKeptApart) {
  const Chip& orin = Builtin().Get("orin64");
  const Peak& int8 = orin.peaks.at(Precision::kInt8);
  EXPECT_EQ(*int8.sparse, 275);
  EXPECT_EQ(*int8.dense, 137.5);
  EXPECT_EQ(int8.dense.status, FigureStatus::kDerived);
  EXPECT_EQ(int8.sparsity, "2:4");
  EXPECT_EQ(*int8.single_inference, 85);  // GPU alone
  EXPECT_EQ(orin.one_inference_uses_all, false);
}

// The seed article's table, as corrected in docs/hardware.md.
TEST(CatalogTest, ArticleTableCorrections) {
  const Chip& xavier = Builtin().Get("jetson_agx_xavier");
  EXPECT_EQ(*xavier.peaks.at(Precision::kInt8).dense, 32);
  EXPECT_EQ(xavier.power_modes_w.values.back(), 30);

  const Chip& a310 = Builtin().Get("ascend_310");
  EXPECT_EQ(*a310.peaks.at(Precision::kInt8).dense, 22);
  EXPECT_EQ(a310.power_modes_w.values.back(), 8);
  const Chip& a310b = Builtin().Get("ascend310b");
  EXPECT_EQ(*a310b.peaks.at(Precision::kInt8).dense, 8);

  const Chip& rk = Builtin().Get("rk3588");
  EXPECT_EQ(*rk.peaks.at(Precision::kInt8).dense, 6);
  EXPECT_FALSE(rk.power_modes_w.known());  // the article's 5 W has no vendor source

  const Chip& rb5 = Builtin().Get("rb5");
  EXPECT_EQ(*rb5.peaks.at(Precision::kInt8).dense, 15);
  EXPECT_EQ(rb5.peaks.at(Precision::kInt8).dense.status, FigureStatus::kUnverified);
  EXPECT_FALSE(rb5.power_modes_w.known());  // nor has its 7 W
}

TEST(CatalogTest, UnknownStaysUnknown) {
  EXPECT_EQ(Builtin().Get("jetson_nano").DensePeak(Precision::kInt8), nullptr);
  EXPECT_EQ(Builtin().Get("kendryte_k230").DensePeak(Precision::kInt8), nullptr);
  EXPECT_FALSE(Builtin().Get("hailo_8").memory_bandwidth_gbs.known());
}

TEST(CatalogTest, UserFileOverridesAndAdds) {
  Catalog c = Catalog::Builtin();
  const size_t before = c.chips().size();
  c.LoadFile(kData + "override.yaml");
  EXPECT_EQ(c.chips().size(), before + 1);
  EXPECT_EQ(*c.Get("rk3588").memory_bandwidth_gbs, 34.1);
  EXPECT_EQ(c.Get("mine").id, "my_npu");
}

struct BadFile {
  const char* file;
  const char* chip;
  const char* field;
};
void PrintTo(const BadFile& b, std::ostream* os) { *os << b.file; }

class MalformedChipFileTest : public ::testing::TestWithParam<BadFile> {};

TEST_P(MalformedChipFileTest, ErrorNamesFileChipAndField) {
  const BadFile& bad = GetParam();
  Catalog c = Catalog::Builtin();
  try {
    c.LoadFile(kData + bad.file);
    FAIL() << bad.file << ": expected an error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(bad.file), std::string::npos) << msg;
    EXPECT_NE(msg.find(bad.chip), std::string::npos) << msg;
    EXPECT_NE(msg.find(bad.field), std::string::npos) << msg;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Files, MalformedChipFileTest,
    ::testing::Values(
        BadFile{"sparse_below_dense.yaml", "bad_sparse", "peaks.int8.sparse"},
        BadFile{"bad_status.yaml", "bad_status", "peaks.int8.dense.status"},
        BadFile{"derived_without_how.yaml", "no_how", "memory.bandwidth_gbs.how"},
        BadFile{"unknown_key.yaml", "typo_chip", "memmory"},
        BadFile{"share_contradiction.yaml", "share_chip", "peaks.int8.single_inference"},
        BadFile{"alias_clash.yaml", "my_board", "aliases"},
        BadFile{"no_dram_with_bandwidth.yaml", "no_dram", "memory.bandwidth_gbs"},
        BadFile{"unknown_family.yaml", "orphan", "family"},
        BadFile{"mode_share_count.yaml", "mode_chip", "mode_peak_share"},
        BadFile{"quoted_mode_unlisted.yaml", "quoted_chip", "peaks_quoted_at_w"},
        BadFile{"bad_yaml.yaml", "", "line"},
        BadFile{"cpu_ops_not_list.yaml", "cpu_ops_not_list", "cpu_ops"},
        BadFile{"cpu_ops_no_source.yaml", "cpu_ops_no_source", "cpu_ops_source"},
        BadFile{"cpu_ops_not_text.yaml", "cpu_ops_not_text", "cpu_ops"},
        BadFile{"cpu_gops_negative.yaml", "cpu_gops_negative", "cpu.gops"},
        BadFile{"cpu_cores_malformed.yaml", "cpu_cores_malformed", "cpu.cores"},
        BadFile{"cpu_core_unknown.yaml", "cpu_core_unknown", "cpu.cores"},
        BadFile{"cpu_zero_clock.yaml", "cpu_zero_clock", "cpu.cores"},
        BadFile{"cpu_unknown_key.yaml", "cpu_unknown_key", "cpu.gpos"},
        BadFile{"cpu_without_cores.yaml", "cpu_without_cores", "cpu.cores"},
        BadFile{"cpu_core_no_figure.yaml", "cpu_core_no_figure", "fp32_flop_per_cycle"},
        BadFile{"cpu_ops_cut_not_bool.yaml", "cpu_ops_cut_not_bool", "cpu_ops_cut_graph"}));

// A family's CPU list is read as written, and the solved entries of the family take it.
TEST(CatalogTest, CpuOpsReachTheSolvedFigures) {
  Catalog c = Catalog::Builtin();
  c.LoadText(R"(schema_version: 1
families:
  - id: rockchip_rknpu
    source: "test"
    efficiency:
      conv: {value: 0.5, status: published}
      depthwise: {value: 0.1, status: published}
      gemm: {value: 0.5, status: published}
      elementwise: {value: 0.5, status: published}
    layer_overhead_us: {value: 1, status: published}
    cpu_ops: [Exp, TopK]
    cpu_ops_source: "my list"
)",
             "mine.yaml");
  const Family& solved = c.FamilyOf(c.Get("rk3588"));
  EXPECT_EQ(solved.runtime, "rknn");
  EXPECT_EQ(solved.cpu_ops, (std::vector<std::string>{"Exp", "TopK"}));
  EXPECT_EQ(solved.cpu_ops_source, "my list");
  EXPECT_FALSE(solved.cpu_ops_cut_graph);
  // The built-in lists: sourced, and absent where no vendor documents one.
  const Catalog& builtin = Catalog::Builtin();
  for (const auto& [id, f] : builtin.families()) {
    if (!f.cpu_ops.empty()) EXPECT_FALSE(f.cpu_ops_source.empty()) << id;
  }
  EXPECT_FALSE(builtin.families().at("google_edgetpu").cpu_ops.empty());
  EXPECT_FALSE(builtin.families().at("rockchip_rknpu").cpu_ops.empty());
  EXPECT_TRUE(builtin.families().at("hailo_dataflow").cpu_ops.empty());
  EXPECT_TRUE(builtin.families().at("qualcomm_hexagon").cpu_ops.empty());
}

// The lists read from RKNN-Toolkit (v1) and onnx-tensorrt reach the solved figures of their
// chips, with their pinned sources; ops the vendors mark supported are not in them.
TEST(CatalogTest, Rknpu1AndTensorRtListsLoadWithTheirSources) {
  const Catalog& c = Catalog::Builtin();
  auto has = [](const Family& f, const std::string& op) {
    return std::find(f.cpu_ops.begin(), f.cpu_ops.end(), op) != f.cpu_ops.end();
  };
  for (const char* id : {"rv1126", "rv1109", "rk1808"}) {
    const Family& f = c.FamilyOf(c.Get(id));
    EXPECT_EQ(f.cpu_ops.size(), 18u) << id;
    EXPECT_TRUE(has(f, "TopK") && has(f, "Where") && has(f, "GRU")) << id;
    // Marked Y for ONNX (exp, sin, lstm) or emitted by an op marked Y (Erf inside gelu).
    EXPECT_FALSE(has(f, "Exp") || has(f, "Sin") || has(f, "LSTM") || has(f, "Erf")) << id;
    EXPECT_NE(f.cpu_ops_source.find("airockchip/rknn-toolkit/blob/"
                                    "ccb0f4f12cc82f14a5a614d786a8a795a5a5f8da/"),
              std::string::npos)
        << id;
    EXPECT_FALSE(f.cpu_ops_note.empty()) << id;
  }
  for (const char* id : {"jetson_agx_orin_64gb", "jetson_orin_nano_8gb", "nvidia_l4"}) {
    const Family& f = c.FamilyOf(c.Get(id));
    EXPECT_EQ(f.cpu_ops.size(), 20u) << id;
    EXPECT_TRUE(has(f, "QLinearConv") && has(f, "Det") && has(f, "Unique")) << id;
    // Supported (NonMaxSuppression, TopK) or left out as not inference ops (Bernoulli).
    EXPECT_FALSE(has(f, "NonMaxSuppression") || has(f, "TopK") || has(f, "Bernoulli")) << id;
    EXPECT_NE(f.cpu_ops_source.find("onnx/onnx-tensorrt/blob/"
                                    "96e781103cfc4adf4a6bb557e94bac8e693f6f4c/docs/operators.md"),
              std::string::npos)
        << id;
    EXPECT_FALSE(f.cpu_ops_cut_graph) << id;
  }
}

// A chip's CPU rate is derived at load from its cores: cores x GHz x the core's FP32 FLOP/cycle,
// times the gemm efficiency of the Cortex-A family (HPL on the Raspberry Pi 5), by hand here.
TEST(CatalogTest, CpuRateIsDerivedFromTheCores) {
  Catalog c = Catalog::Builtin();
  const Family& arm = c.families().at(kCpuEfficiencyFamily);
  const double eff = *arm.efficiency.at(OpClass::kGemm);
  EXPECT_NEAR(eff, 35.17 / 76.8, 1e-3);  // HPL FP64 / FP64 peak of 4x A76 at 2.4 GHz
  c.LoadText(R"(schema_version: 1
cpu_cores:
  - {id: "Core-X", fp32_flop_per_cycle: {value: 16, status: published}, source: "core manual"}
  - {id: "Core-Y", fp32_flop_per_cycle: {value: 8, status: unverified}, source: "a forum"}
chips:
  - id: two_clusters
    name: "Two clusters"
    vendor: "Test"
    kind: soc
    family: rockchip_rknpu
    source: "datasheet"
    cpu: {cores: "4x Core-X @ 2.4 GHz + 4x Core-Y @ 1.8 GHz"}
  - id: given_rate
    name: "Given rate"
    vendor: "Test"
    kind: soc
    family: rockchip_rknpu
    source: "datasheet"
    cpu: {cores: "2x Core-X @ 1 GHz", gops: {value: 7, status: published, source: "measured"}}
)",
             "mine.yaml");
  const ChipCpu& two = c.Get("two_clusters").cpu;
  ASSERT_EQ(two.clusters.size(), 2u);
  EXPECT_EQ(two.clusters[1].count, 4);
  EXPECT_EQ(two.clusters[1].core, "Core-Y");
  EXPECT_EQ(two.clusters[1].ghz, 1.8);
  ASSERT_TRUE(two.gops.known());
  // 4 x 2.4 x 16 + 4 x 1.8 x 8 = 153.6 + 57.6 = 211.2 GFLOPS, x the efficiency, 3 digits.
  EXPECT_NEAR(*two.gops, 211.2 * eff, 0.5);
  // One core figure is unverified: so is the rate.
  EXPECT_EQ(two.gops.status, FigureStatus::kUnverified);
  EXPECT_NE(two.gops.how.find("211.2 GFLOPS FP32 peak"), std::string::npos) << two.gops.how;
  EXPECT_NE(two.gops.source.find("core manual"), std::string::npos) << two.gops.source;
  EXPECT_NE(two.gops.source.find("datasheet"), std::string::npos) << two.gops.source;
  // A rate the file gives is kept as written.
  EXPECT_EQ(*c.Get("given_rate").cpu.gops, 7);
  EXPECT_EQ(c.Get("given_rate").cpu.gops.source, "measured");
  // Chips of the built-in catalog with cores have a rate; accelerators on a host link have none.
  // (Builtin() keeps one catalog alive: a range-for over a temporary's chips() would dangle.)
  for (const Chip& chip : Builtin().chips()) {
    if (!chip.cpu.cores.empty()) EXPECT_TRUE(chip.cpu.gops.known()) << chip.id;
  }
  EXPECT_TRUE(Builtin().Get("coral_edge_tpu").cpu.cores.empty());
  EXPECT_TRUE(Builtin().Get("hailo_8").cpu.cores.empty());
}

TEST(CatalogTest, MissingFileIsAnError) {
  Catalog c;
  EXPECT_THROW(c.LoadFile(kData + "no_such_file.yaml"), Error);
}

}  // namespace
}  // namespace tops
