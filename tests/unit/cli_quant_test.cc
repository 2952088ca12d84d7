// A model that is already quantised runs at its graph's precision in `fit` and `rank`, and the
// output says so.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../malformed/run_cli.h"
#include "../whatif/model_builder.h"

namespace {

std::string QdqModelFile() {
  const std::string path =
      (std::filesystem::temp_directory_path() / "tops_cli_qdq_conv.onnx").string();
  const std::string bytes = tops::test::ModelBuilder()
                                .Input("x", {1, 16, 32, 32})
                                .Weight("xs", {})
                                .Weight("xzp", {}, onnx::TensorProto::UINT8)
                                .Weight("w", {32, 16, 3, 3}, onnx::TensorProto::INT8)
                                .Weight("ws", {})
                                .Weight("wzp", {}, onnx::TensorProto::INT8)
                                .Node("QuantizeLinear", {"x", "xs", "xzp"}, {"xq"})
                                .Node("DequantizeLinear", {"xq", "xs", "xzp"}, {"xd"})
                                .Node("DequantizeLinear", {"w", "ws", "wzp"}, {"wd"})
                                .Node("Conv", {"xd", "wd"}, {"y"}, tops::test::Conv3x3())
                                .Output("y")
                                .Bytes();
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

// Exit code and stdout (plus stderr when asked).
std::pair<int, std::string> Tops(const std::string& args, bool with_stderr) {
  const tops::testing::CliResult r = tops::testing::RunCli(args);
  return {r.exit_code, with_stderr ? r.err + r.out : r.out};
}

TEST(CliQuantised, FitTakesThePrecisionFromTheGraphAndSaysSo) {
  const std::string model = QdqModelFile();
  auto [code, out] =
      Tops("fit " + model + " --chip rk3588 --fps 30 --precision fp16 --format json", false);
  ASSERT_EQ(0, code) << out;
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ("int8", j["precision"]) << out;
  const std::string caveats = j["predicted"]["caveats"].dump();
  EXPECT_NE(caveats.find("taken from the graph"), std::string::npos) << caveats;
  EXPECT_NE(caveats.find("the requested fp16 is not used"), std::string::npos) << caveats;
}

TEST(CliQuantised, RankTableStartsWithTheNote) {
  const std::string model = QdqModelFile();
  auto [code, out] = Tops("rank " + model + " --fps 30", true);
  ASSERT_EQ(0, code) << out;
  EXPECT_EQ(0u, out.find("Note: precision int8 taken from the graph")) << out;
  EXPECT_NE(out.find("QuantizeLinear x 1"), std::string::npos);
}

TEST(CliQuantised, FloatModelKeepsTheRequestedPrecision) {
  auto [code, out] = Tops("fit " + std::string(TOPS_TEST_DIR) +
                              "/models/resnet18.onnx --chip jetson_agx_orin_64gb --precision fp16 "
                              "--format json",
                          false);
  ASSERT_EQ(0, code) << out;
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ("fp16", j["precision"]);
}

}  // namespace
