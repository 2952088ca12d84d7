// The generated MobileNet v1 fixture (tests/models/make_mobilenet_v1.cc), checked against
// references that do not come from this project:
// - Howard et al. 2017, "MobileNets", Table 1 (layer shapes) and Table 2 (569 million
//   mult-adds; 1x1 conv 94.86%, depthwise 3.06%, fully connected 0.18% of them; the table's
//   1.19% for the first conv is a digit swap of 1.91%: the four shares must sum to 100);
// - Keras' MobileNet(alpha=1.0, 224, 1000 classes) summary: 4,231,976 trainable parameters, of
//   which 21,888 are BatchNorm gamma/beta, so 4,210,088 conv and classifier weights.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "analysis/roofline.h"
#include "tops/profile.h"
#include "tops/read.h"

namespace tops {
namespace {

namespace fs = std::filesystem;

const std::string kFixture = std::string(TOPS_TEST_DIR) + "/models/mobilenet_v1.onnx";

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(MobileNetV1, FixtureIsWhatTheGeneratorWrites) {
  const fs::path out =
      fs::temp_directory_path() / ("tops_mnv1_" + std::to_string(::getpid()) + ".onnx");
  const std::string cmd = std::string(TOPS_MAKE_MOBILENET_V1) + " " + out.string();
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const std::string fresh = Slurp(out.string());
  fs::remove(out);
  EXPECT_FALSE(fresh.empty());
  EXPECT_TRUE(fresh == Slurp(kFixture))
      << "tests/models/mobilenet_v1.onnx differs from the generator's output; regenerate it with "
         "build/tests/make_mobilenet_v1 tests/models/mobilenet_v1.onnx";
}

TEST(MobileNetV1, MatchesThePaperAndKeras) {
  const Profile p = ProfileModel(ReadModel(kFixture));
  ASSERT_EQ(p.totals.nodes_without_cost, 0);
  // Keras' 4,210,088 + one folded BatchNorm bias per conv output channel (= the 10,944 BN
  // gammas) + the two ReLU6 bounds of Clip.
  EXPECT_EQ(p.totals.params, 4210088 + 10944 + 2);
  // Table 2: 569 million mult-adds.
  EXPECT_EQ(std::llround(static_cast<double>(p.totals.macs) / 1e6), 569);

  std::map<std::string, int64_t> macs;  // by kind of layer
  int depthwise_layers = 0;
  for (const NodeProfile& n : p.nodes) {
    if (n.op == "Gemm") macs["fc"] += *n.macs;
    if (n.op != "Conv") continue;
    ASSERT_TRUE(n.conv.has_value()) << n.name;
    const bool dw = analysis::ClassifyNode(n) == OpClass::kDepthwise;
    depthwise_layers += dw;
    const std::string kind = dw ? "dw" : n.name == "/conv1/Conv" ? "first" : "pw";
    macs[kind] += *n.macs;
  }
  EXPECT_EQ(depthwise_layers, 13);
  auto share = [&](const char* kind) {
    return std::round(10000.0 * static_cast<double>(macs[kind]) / p.totals.macs) / 100;
  };
  EXPECT_DOUBLE_EQ(share("pw"), 94.86);
  EXPECT_DOUBLE_EQ(share("dw"), 3.06);
  EXPECT_DOUBLE_EQ(share("fc"), 0.18);
  EXPECT_DOUBLE_EQ(share("first"), 1.91);

  // Table 1: the last feature map is 7 x 7 x 1024; the output is 1000 logits.
  const NodeProfile* last_pw = nullptr;
  for (const NodeProfile& n : p.nodes) {
    if (n.name == "/block13/pw/Conv") last_pw = &n;
  }
  ASSERT_NE(last_pw, nullptr);
  EXPECT_EQ(last_pw->outputs[0].shape, Shape::Known({1, 1024, 7, 7}));
  EXPECT_EQ(p.model.outputs.at(0).shape, Shape::Known({1, 1000}));
}

}  // namespace
}  // namespace tops
