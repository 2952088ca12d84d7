// The CPU rate checked against published CPU-only latencies, independently of how it was set: if
// every node of a CNN fell back to the CPU, the fallback model (ops at the chip's CPU rate) would
// predict the network's CPU-only latency. The rate is cores x GHz x FP32 FLOP/cycle x the HPL
// efficiency of the Pi 5's Cortex-A76 (data/chips/cpu_cores.yaml, raspberrypi.yaml); none of the
// rows below set any figure. Rows: Ultralytics' Raspberry Pi 5 table (4x Cortex-A76) and the
// "Embedded CPU" column of Coral's benchmark table (the Dev Board's NXP i.MX 8M, 4x Cortex-A53).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analysis/roofline.h"
#include "fmt/format.h"
#include "hw_test_util.h"
#include "tops/chip.h"
#include "tops/read.h"

namespace tops {
namespace {

const std::string kModels = std::string(TOPS_TEST_DIR) + "/models/";

constexpr const char* kUltralytics =
    "ultralytics/ultralytics docs/en/guides/raspberry-pi.md @01007503ffb2, \"Detailed Comparison "
    "Table\", Inference time (ms/im), Raspberry Pi 5";
constexpr const char* kCoral =
    "https://coral.ai/docs/edgetpu/benchmarks/ Table 1, column \"Embedded CPU\" (Coral Dev Board "
    "CPU, TensorFlow Lite, C++ benchmark)";

struct CpuRow {
  const char* chip;  // catalog chip whose CPU ran it
  const char* runtime;
  // The runtime's default uses every core (NCNN, OpenVINO, MNN, ONNX Runtime); false where the
  // thread count is not stated (Coral's table; Ultralytics' TFLite interpreter is created without
  // num_threads): then the row is checked between the one-core and the all-core predictions.
  bool all_cores;
  const char* fixture;
  int size;
  double ms;  // as published
  const char* source;
};

const std::vector<CpuRow>& Rows() {
  static const std::vector<CpuRow> kRows = {
      {"raspberry_pi_5", "NCNN", true, "yolo11n", 640, 88.026, kUltralytics},
      {"raspberry_pi_5", "OpenVINO", true, "yolo11n", 640, 81.192, kUltralytics},
      {"raspberry_pi_5", "MNN", true, "yolo11n", 640, 112.554, kUltralytics},
      {"raspberry_pi_5", "ONNX Runtime", true, "yolo11n", 640, 168.082, kUltralytics},
      {"raspberry_pi_5", "TF Lite", false, "yolo11n", 640, 317.398, kUltralytics},
      {"raspberry_pi_5", "NCNN", true, "yolo11s", 640, 194.858, kUltralytics},
      {"raspberry_pi_5", "OpenVINO", true, "yolo11s", 640, 179.324, kUltralytics},
      {"raspberry_pi_5", "MNN", true, "yolo11s", 640, 273.032, kUltralytics},
      {"raspberry_pi_5", "ONNX Runtime", true, "yolo11s", 640, 324.17, kUltralytics},
      {"raspberry_pi_5", "TF Lite", false, "yolo11s", 640, 849.86, kUltralytics},
      {"coral_dev_board_cpu", "TFLite", false, "mobilenet_v1", 224, 164, kCoral},
      {"coral_dev_board_cpu", "TFLite", false, "mobilenet_v2", 224, 122, kCoral},
      {"coral_dev_board_cpu", "TFLite", false, "googlenet", 224, 392, kCoral},  // Inception v1
      {"coral_dev_board_cpu", "TFLite", false, "inception_v4", 299, 3157, kCoral},
      {"coral_dev_board_cpu", "TFLite", false, "resnet50", 299, 1763, kCoral},     // V1
      {"coral_dev_board_cpu", "TFLite", false, "resnet50_v2", 299, 1875, kCoral},  // V2
      {"coral_dev_board_cpu", "TFLite", false, "vgg16", 224, 4595, kCoral},
      {"coral_dev_board_cpu", "TFLite", false, "vgg19", 224, 5538, kCoral},
      {"coral_dev_board_cpu", "TFLite", false, "efficientnet_edgetpu_s", 224, 705, kCoral},
      {"coral_dev_board_cpu", "TFLite", false, "efficientnet_edgetpu_m", 240, 1081, kCoral},
  };
  return kRows;
}

// The catalog plus the Coral Dev Board's CPU, whose rate the loader derives like any chip's.
const Catalog& WithDevBoard() {
  static const Catalog kCatalog = [] {
    Catalog c = Catalog::Builtin();
    c.LoadText(R"(schema_version: 1
chips:
  - id: coral_dev_board_cpu
    name: "Coral Dev Board (NXP i.MX 8M), CPU only"
    vendor: "Google"
    kind: soc
    family: google_edgetpu
    source: "Coral Dev Board datasheet (NXP i.MX 8M SoC: quad Cortex-A53 at 1.5 GHz); coral.ai benchmarks, Embedded CPU: Quad-core Cortex-A53 @ 1.5GHz"
    cpu: {cores: "4x Cortex-A53 @ 1.5 GHz"}
)",
               "dev_board.yaml");
    return c;
  }();
  return kCatalog;
}

const Profile& ProfileOf(const std::string& fixture, int size) {
  static std::map<std::string, std::unique_ptr<Profile>> cache;
  const std::string key = fmt::format("{}@{}", fixture, size);
  auto it = cache.find(key);
  if (it == cache.end()) {
    const Model model = ReadModel(kModels + fixture + ".onnx");
    ProfileOptions po;
    po.input_shapes[model.graph.inputs.at(0).name] = {1, 3, size, size};
    it = cache.emplace(key, std::make_unique<Profile>(ProfileModel(model, po))).first;
  }
  return *it->second;
}

// The CPU share of a prediction in which the first node is a CPU op of a family that cuts the
// graph there: every node runs on the CPU, at `cpu`'s rate (no transfer: bandwidth unknown).
double CpuOnlyMs(const Profile& profile, const ChipCpu& cpu) {
  Family f = testing::TestFamily(0.5, 0.5, 0);
  for (const NodeProfile& n : profile.nodes) f.cpu_ops.push_back(n.op);
  f.cpu_ops_source = "every op of the model";
  f.cpu_ops_cut_graph = true;
  analysis::RooflineParams rp;
  rp.precision = Precision::kFp32;
  rp.peak_tops = 1;
  rp.family = &f;
  rp.cpu = &cpu;
  std::vector<Caveat> caveats;
  const ModelPrediction m = analysis::PredictModel({"m", &profile, 1.0}, rp, &caveats);
  EXPECT_EQ(m.compute_ms + m.memory_ms, 0) << "a node stayed off the CPU";
  return m.cpu_ms;
}

struct Checked {
  const CpuRow* row;
  double all_ms, one_ms;  // predicted with every core, with one core's share of the rate
};

// Every row predicted with the catalog's rate times `scale` (1: as derived).
std::vector<Checked> Predict(double scale) {
  std::vector<Checked> out;
  for (const CpuRow& row : Rows()) {
    const Chip& chip = WithDevBoard().Get(row.chip);
    EXPECT_TRUE(chip.cpu.gops.known()) << row.chip;
    int cores = 0;
    for (const CpuCluster& c : chip.cpu.clusters) cores += c.count;
    ChipCpu all = chip.cpu;
    all.gops.value = *chip.cpu.gops * scale;
    ChipCpu one = all;
    one.gops.value = *all.gops / cores;
    const Profile& p = ProfileOf(row.fixture, row.size);
    out.push_back({&row, CpuOnlyMs(p, all), CpuOnlyMs(p, one)});
  }
  return out;
}

// The rows whose runtime uses every core: each measured / predicted within [0.4, 2.5], their
// geometric mean within [2/3, 1.5].
bool AllCoreRowsHold(const std::vector<Checked>& rows, std::string* why) {
  double log_sum = 0;
  int n = 0;
  for (const Checked& c : rows) {
    if (!c.row->all_cores) continue;
    const double ratio = c.row->ms / c.all_ms;
    if (ratio < 0.4 || ratio > 2.5) {
      *why += fmt::format("{} {} ratio {:.2f}; ", c.row->fixture, c.row->runtime, ratio);
    }
    log_sum += std::log(ratio);
    ++n;
  }
  const double mean = std::exp(log_sum / n);
  if (mean < 2.0 / 3 || mean > 1.5) *why += fmt::format("geometric mean {:.2f}", mean);
  return why->empty();
}

TEST(CpuRateCheckTest, PublishedCpuOnlyLatenciesAgreeWithTheDerivedRate) {
  const std::vector<Checked> rows = Predict(1.0);
  std::string table;
  for (const Checked& c : rows) {
    table += fmt::format(
        "{:20} {:13} {:23} {:4} measured {:8.1f} ms | all cores {:8.1f} ms x{:.2f}"
        " | one core {:8.1f} ms x{:.2f}\n",
        c.row->chip, c.row->runtime, c.row->fixture, c.row->size, c.row->ms, c.all_ms,
        c.row->ms / c.all_ms, c.one_ms, c.row->ms / c.one_ms);
  }
  std::cout << table;
  std::string why;
  EXPECT_TRUE(AllCoreRowsHold(rows, &why)) << why;
  // Rows without a stated thread count lie between the all-core prediction (less a factor 1.5)
  // and the one-core prediction (plus a factor 2).
  for (const Checked& c : rows) {
    if (c.row->all_cores) continue;
    EXPECT_GE(c.row->ms / c.all_ms, 1 / 1.5) << c.row->chip << " " << c.row->fixture;
    EXPECT_LE(c.row->ms / c.one_ms, 2.0) << c.row->chip << " " << c.row->fixture;
  }
}

// The check has teeth: a rate 3x off either way fails it.
TEST(CpuRateCheckTest, ARateThreeTimesOffFails) {
  for (double scale : {3.0, 1.0 / 3}) {
    std::string why;
    EXPECT_FALSE(AllCoreRowsHold(Predict(scale), &why)) << "scale " << scale;
  }
}

}  // namespace
}  // namespace tops
