// The CLI over the fit analysis: exit codes and the JSON fields scripts rely on.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

namespace {

struct CliRun {
  int code = -1;
  std::string out;
};

CliRun Tops(const std::string& args) {
  const std::string cmd = std::string(TOPS_BINARY) + " " + args + " 2>/dev/null";
  CliRun r;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

const std::string kModels = std::string(TOPS_TEST_DIR) + "/models/";

TEST(FitCliTest, JsonHasArticleFieldsAndPrediction) {
  CliRun r = Tops("fit " + kModels + "resnet18.onnx --chip hailo8 --fps 30 --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["required_tops"].get<double>(), 0.10884440064, 1e-9);
  EXPECT_NEAR(j["effective_tops"].get<double>(), 26 * 0.6, 1e-9);
  EXPECT_TRUE(j["is_sufficient"].get<bool>());
  EXPECT_NEAR(j["margin"].get<double>(), 15.6 - 0.10884440064, 1e-9);
  for (const char* key : {"latency_ms", "fps", "utilization", "bound"}) {
    EXPECT_TRUE(j["predicted"].contains(key)) << key;
  }
  EXPECT_GT(j["predicted"]["fps"].get<double>(), 30);
}

TEST(FitCliTest, CheckExitsOneWhenItDoesNotFit) {
  // RK3568 (1 TOPS) runs ResNet-50 at about 55 FPS by the roofline: 100 FPS does not fit.
  EXPECT_EQ(Tops("fit " + kModels + "resnet50.onnx --chip rk3568 --fps 100 --check").code, 1);
  EXPECT_EQ(Tops("fit " + kModels + "resnet50.onnx --chip orin64 --fps 30 --check").code, 0);
}

TEST(FitCliTest, SeveralModelsAtTheirOwnRates) {
  CliRun one = Tops("fit " + kModels + "resnet18.onnx@30 --chip rk3588 --format json");
  CliRun two = Tops("fit " + kModels + "resnet18.onnx@30 " + kModels +
                    "mobilenet_v2.onnx@10 --chip rk3588 --format json");
  ASSERT_EQ(one.code, 0);
  ASSERT_EQ(two.code, 0);
  auto a = nlohmann::json::parse(one.out);
  auto b = nlohmann::json::parse(two.out);
  EXPECT_GT(b["required_tops"].get<double>(), a["required_tops"].get<double>());
  EXPECT_EQ(b["predicted"]["models"].size(), 2u);
}

TEST(FitCliTest, BadInputExitsTwo) {
  EXPECT_EQ(Tops("fit " + kModels + "resnet18.onnx --chip no_such_chip").code, 2);
  EXPECT_EQ(Tops("fit " + kModels + "resnet18.onnx --chip l4 --precision int3").code, 2);
  EXPECT_EQ(Tops("fit " + kModels + "resnet18.onnx@0 --chip l4").code, 2);
  EXPECT_EQ(Tops("chips --chips " + std::string(TOPS_TEST_DIR) + "/hw/data/bad_status.yaml").code,
            2);
}

TEST(FitCliTest, RankAndChipsRun) {
  CliRun r = Tops("rank " + kModels + "resnet50.onnx --fps 30 --max-watts 15 --format json");
  ASSERT_EQ(r.code, 0);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j["rows"].empty());
  EXPECT_EQ(Tops("chips").code, 0);
  CliRun show = Tops("chips show orin64 --format json");
  ASSERT_EQ(show.code, 0);
  auto chip = nlohmann::json::parse(show.out);
  EXPECT_EQ(chip["id"], "jetson_agx_orin_64gb");
  // NVIDIA's per-mode table: GPU 14 of 171 sparse TOPS at 15 W.
  EXPECT_NEAR(chip["mode_single_share"]["values"][0].get<double>(), 14.0 / 171, 1e-4);
  EXPECT_EQ(chip["mode_peak_share"]["status"], "derived");
}

// At 15 W the AGX Orin 64GB is scaled by its per-mode figures; the 32GB, which has none, keeps
// its MAXN peaks and is flagged.
TEST(FitCliTest, LowerPowerModes) {
  auto fit = [](const std::string& chip, const std::string& watts) {
    CliRun r = Tops("fit " + kModels + "resnet50.onnx --chip " + chip + " --power " + watts +
                    " --format json");
    EXPECT_EQ(r.code, 0) << r.out;
    return nlohmann::json::parse(r.out);
  };
  auto top = fit("orin64", "60"), low = fit("orin64", "15");
  EXPECT_NEAR(low["effective_tops"].get<double>(), top["effective_tops"].get<double>() * 54.0 / 275,
              0.01);
  EXPECT_GT(low["predicted"]["latency_ms"].get<double>(),
            3 * top["predicted"]["latency_ms"].get<double>());
  EXPECT_FALSE(low["predicted"]["peaks_from_higher_mode"].get<bool>());
  auto other = fit("orin32", "15");
  EXPECT_TRUE(other["predicted"]["peaks_from_higher_mode"].get<bool>());
  CliRun rank = Tops("rank " + kModels + "resnet50.onnx --max-watts 15");
  EXPECT_NE(rank.out.find("15 W*"), std::string::npos);
}

}  // namespace
