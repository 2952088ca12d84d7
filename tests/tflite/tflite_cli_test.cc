// Every command on a .tflite file, through the CLI as a user runs it: profile, require, fit,
// rank, whatif, compare and report work as on an ONNX file, with the TFLite op names in the
// per-layer table and the precision of a quantised file taken from it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tflite_test_util.h"

namespace tops {
namespace {

using testing::kTfliteDir;

testing::CliResult Tops(const std::string& args) { return testing::RunCli(args); }

nlohmann::json Json(const std::string& args) {
  const testing::CliResult r = Tops(args + " --format json");
  EXPECT_EQ(0, r.exit_code) << args << "\n" << r.err;
  return nlohmann::json::parse(r.out);
}

const std::string kMobileNet = kTfliteDir + "mobilenet_v1_1.0_224.tflite";
const std::string kInt8 = kTfliteDir + "mobilenet_v1_1.0_224_int8.tflite";

TEST(TfliteCli, ProfileShowsTfliteOpsAndTheExactCounts) {
  const testing::CliResult table = Tops("profile " + kMobileNet + " --top 3");
  ASSERT_EQ(0, table.exit_code) << table.err;
  EXPECT_NE(table.out.find("tflite::CONV_2D"), std::string::npos) << table.out;
  const auto j = Json("profile " + kMobileNet);
  EXPECT_EQ(j["totals"]["macs"], 568740352);
  EXPECT_EQ(j["totals"]["params"], 4221034);
  bool depthwise = false;
  for (const auto& n : j["nodes"]) {
    depthwise = depthwise || (n["domain"] == "tflite" && n["op"] == "DEPTHWISE_CONV_2D");
  }
  EXPECT_TRUE(depthwise) << j["nodes"].dump().substr(0, 400);
}

TEST(TfliteCli, ProfileBindsTheDynamicBatch) {
  const std::string model = kTfliteDir + "mobilenet_v1_0.25_128_dynbatch.tflite";
  const auto one = Json("profile " + model + " --dim batch=1");
  const auto four = Json("profile " + model + " --input input:4x128x128x3");
  EXPECT_EQ(four["totals"]["macs"].get<int64_t>(), 4 * one["totals"]["macs"].get<int64_t>());
  EXPECT_EQ(one["totals"]["macs"], 13570048);
}

TEST(TfliteCli, RequireFitRankAndCompareRun) {
  // require on the .tflite gives the figures of its ONNX twin (make_mobilenet_v1.cc): the same
  // operations per second and, at each precision, the same TOPS and weight traffic. (Activation
  // traffic differs: ONNX writes each Conv's output and its Clip's, TFLite fuses the ReLU6.)
  const auto req = Json("require " + kMobileNet + " --fps 30");
  const auto twin =
      Json("require " + std::string(TOPS_TEST_DIR) + "/models/mobilenet_v1.onnx --fps 30");
  EXPECT_EQ(req["ops_per_second"].get<double>(), 2.0 * 568740352 * 30);  // 2 ops per MAC
  EXPECT_EQ(req["ops_per_second"], twin["ops_per_second"]);
  ASSERT_EQ(req["precisions"].size(), 3u);
  ASSERT_EQ(req["precisions"].size(), twin["precisions"].size());
  for (size_t i = 0; i < req["precisions"].size(); ++i) {
    for (const char* key : {"precision", "int8_equivalent_tops", "own_tops", "weight_gbs"}) {
      EXPECT_EQ(req["precisions"][i][key], twin["precisions"][i][key]) << i << " " << key;
    }
  }
  // The int8 file fixes its precision: fit says it is taken from the graph.
  const auto fit = Json("fit " + kInt8 + " --chip rk3588 --fps 30 --precision fp16");
  EXPECT_EQ("int8", fit["precision"]) << fit.dump().substr(0, 400);
  EXPECT_NE(fit.dump().find("taken from the graph"), std::string::npos);
  const testing::CliResult rank = Tops("rank " + kInt8 + " --fps 30");
  ASSERT_EQ(0, rank.exit_code) << rank.err;
  EXPECT_NE(rank.out.find("tflite::QUANTIZE x 1"), std::string::npos) << rank.out;
  const testing::CliResult cmp = Tops("compare " + kMobileNet + " " + std::string(TOPS_TEST_DIR) +
                                      "/models/mobilenet_v1.onnx --chip rk3588 --fps 30");
  ASSERT_EQ(0, cmp.exit_code) << cmp.err;
  EXPECT_NE(cmp.out.find("mobilenet_v1_1.0_"), std::string::npos) << cmp.out;  // name cut short
  EXPECT_NE(cmp.out.find("mobilenet_v1.onnx"), std::string::npos) << cmp.out;
}

TEST(TfliteCli, WhatifPrunesTfliteConvolutions) {
  const auto j = Json("whatif " + kMobileNet +
                      " --chip rk3588 --fps 30 --scenario baseline --scenario structured-30");
  const std::string all = j.dump();
  double base = -1, pruned = -1;
  for (const auto& row : j["scenarios"]) {
    if (row["name"] == "baseline") base = row["macs_per_frame"].get<double>();
    if (row["name"] == "structured-30") pruned = row["macs_per_frame"].get<double>();
  }
  ASSERT_GT(base, 0) << all.substr(0, 600);
  EXPECT_EQ(base, 568740352.0);
  // Structured pruning keeps 70 % of each pointwise conv's output channels: the MACs fall to
  // about half (pointwise layers read 70 % and write 70 %); depthwise layers follow their input.
  EXPECT_LT(pruned, base * 0.6);
  EXPECT_GT(pruned, base * 0.4);
}

TEST(TfliteCli, ReportWritesHtml) {
  const std::string out =
      ::testing::TempDir() + "tops_tflite_report_" + std::to_string(::getpid()) + ".html";
  const testing::CliResult r = Tops("report " + kMobileNet + " --chip rk3588 -o " + out);
  ASSERT_EQ(0, r.exit_code) << r.err;
  const std::string html = testing::Slurp(out);
  EXPECT_NE(html.find("CONV_2D"), std::string::npos);
  std::filesystem::remove(out);
}

TEST(TfliteCli, EdgeTpuModelSaysSoAndNamesTheOp) {
  const testing::CliResult r = Tops("profile " + kTfliteDir + "edgetpu_compiled.tflite");
  ASSERT_EQ(0, r.exit_code) << r.err;
  const std::string all = r.out + r.err;
  EXPECT_NE(all.find("edgetpu-custom-op"), std::string::npos) << all;
  EXPECT_NE(all.find("uncompiled .tflite"), std::string::npos) << all;
}

TEST(TfliteCli, BrokenFileExitsTwoWithTheByteOffset) {
  const std::string bytes = testing::Slurp(kMobileNet).substr(0, 3000);
  const std::string path =
      ::testing::TempDir() + "tops_tflite_cut_" + std::to_string(::getpid()) + ".tflite";
  std::ofstream(path, std::ios::binary) << bytes;
  const testing::CliResult r = Tops("profile " + path);
  EXPECT_EQ(2, r.exit_code);
  EXPECT_NE(r.err.find("at byte"), std::string::npos) << r.err;
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace tops
