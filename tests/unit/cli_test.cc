// The CLI end to end: exit codes, formats and messages, run as a user would.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "../malformed/run_cli.h"

namespace {

// Exit code and stdout+stderr together, as a user sees them in a terminal.
struct CliRun {
  int code;
  std::string out;
};

CliRun Tops(const std::string& args) {
  const tops::testing::CliResult r = tops::testing::RunCli(args);
  return {r.exit_code, r.out + r.err};
}

const std::string kModels = std::string(TOPS_TEST_DIR) + "/models/";

TEST(Cli, HelpTeaches) {
  CliRun r = Tops("--help");
  EXPECT_EQ(0, r.code);
  EXPECT_NE(r.out.find("Examples:"), std::string::npos);
  EXPECT_NE(r.out.find("FLOPs = 2 x MACs"), std::string::npos);
  r = Tops("profile --help");
  EXPECT_EQ(0, r.code);
  EXPECT_NE(r.out.find("--dim"), std::string::npos);
}

TEST(Cli, ProfileTablePrintsTotalsConventionAndCoverage) {
  CliRun r = Tops("profile " + kModels + "resnet18.onnx");
  ASSERT_EQ(0, r.code) << r.out;
  EXPECT_NE(r.out.find("1,814,073,344"), std::string::npos);
  EXPECT_NE(r.out.find("11,684,712"), std::string::npos);
  EXPECT_NE(r.out.find("Convention:"), std::string::npos);
  EXPECT_NE(r.out.find("49 of 49 nodes"), std::string::npos);
  for (size_t pos = 0, next; pos < r.out.size(); pos = next + 1) {
    next = r.out.find('\n', pos);
    if (next == std::string::npos) next = r.out.size();
    EXPECT_LE(next - pos, 100u) << "line wider than 100 columns: " << r.out.substr(pos, next - pos);
  }
}

TEST(Cli, ProfileJsonHasTheDocumentedSchema) {
  CliRun r = Tops("profile " + kModels + "resnet18_dynbatch.onnx --dim batch=4 --format json");
  ASSERT_EQ(0, r.code) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(1, j["schema_version"]);
  for (const char* k : {"path", "producer", "opsets", "node_count"})
    EXPECT_TRUE(j["model"].contains(k)) << k;
  for (const char* k :
       {"params", "macs", "flops", "weight_bytes", "activation_bytes", "peak_activation_bytes"}) {
    EXPECT_TRUE(j["totals"].contains(k)) << k;
  }
  EXPECT_EQ(7256293376LL, j["totals"]["macs"].get<long long>());
  const auto& n0 = j["nodes"][0];
  for (const char* k :
       {"name", "op", "outputs", "params", "macs", "flops", "bytes_read", "bytes_written"}) {
    EXPECT_TRUE(n0.contains(k)) << k;
  }
  EXPECT_EQ(4, n0["outputs"][0]["shape"][0]);
  EXPECT_TRUE(j["unsupported"].is_array());
  EXPECT_TRUE(j["diagnostics"].is_array());
  EXPECT_TRUE(j["conventions"].is_array());
}

TEST(Cli, UnboundSymbolIsAStringInJson) {
  CliRun r = Tops("profile " + kModels + "resnet18_dynbatch.onnx --format json");
  ASSERT_EQ(0, r.code);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ("batch", j["nodes"][0]["outputs"][0]["shape"][0]);
  EXPECT_TRUE(j["nodes"][0]["macs"].is_null());
}

TEST(Cli, CsvAndMarkdownAndTopAndGroupBy) {
  CliRun r = Tops("profile " + kModels + "resnet18.onnx --format csv");
  ASSERT_EQ(0, r.code);
  EXPECT_EQ(0u, r.out.find("name,op,output_shapes,params,macs,flops,bytes_read,bytes_written\n"));
  EXPECT_NE(r.out.find("/conv1/Conv,Conv,\"[1, 64, 112, 112]\",9472,118013952,"),
            std::string::npos);
  r = Tops("profile " + kModels + "resnet18.onnx --format md --top 3");
  ASSERT_EQ(0, r.code);
  EXPECT_NE(r.out.find("| node | op |"), std::string::npos);
  EXPECT_NE(r.out.find("| /conv1/Conv | Conv |"), std::string::npos);
  r = Tops("profile " + kModels + "resnet18.onnx --group-by op --format json");
  ASSERT_EQ(0, r.code);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ("Conv", j["groups"][0]["op"]);
  EXPECT_EQ(20, j["groups"][0]["count"]);
  EXPECT_EQ(1813561344LL, j["groups"][0]["macs"].get<long long>());
  r = Tops("profile " + kModels + "resnet18.onnx --top 2 --format json");
  const auto t = nlohmann::json::parse(r.out);
  ASSERT_EQ(2u, t["nodes"].size());
  EXPECT_EQ("/conv1/Conv", t["nodes"][0]["name"]);
}

TEST(Cli, CalcReproducesTheArticle) {
  CliRun r = Tops("calc conv2d --cin 3 --cout 64 --kernel 7 --out 112");
  ASSERT_EQ(0, r.code) << r.out;
  EXPECT_NE(r.out.find("118,013,952"), std::string::npos);
  r = Tops("calc linear --in 512 --out 1000 --json");
  ASSERT_EQ(0, r.code);
  EXPECT_EQ(512000, nlohmann::json::parse(r.out)["macs"]);
  r = Tops("calc depthwise --channels 32 --kernel 3 --out 112");
  EXPECT_NE(r.out.find("3,612,672"), std::string::npos);
  r = Tops("calc matmul -m 128 -k 256 -n 768");
  EXPECT_NE(r.out.find("25,165,824"), std::string::npos);
}

TEST(Cli, BadInputExitsTwoWithAMessage) {
  CliRun r = Tops("profile /nonexistent/model.onnx");
  EXPECT_EQ(2, r.code);
  EXPECT_NE(r.out.find("cannot open"), std::string::npos);
  r = Tops("profile " + kModels + "resnet18_dynbatch.onnx --dim bach=4");
  EXPECT_EQ(2, r.code);
  EXPECT_NE(r.out.find("no symbolic dim named 'bach'"), std::string::npos);
  EXPECT_NE(r.out.find("batch"), std::string::npos);
  r = Tops("profile " + kModels + "resnet18.onnx --input data:1x3x224x224");
  EXPECT_EQ(2, r.code);
  EXPECT_NE(r.out.find("(inputs: input)"), std::string::npos);
  r = Tops("profile " + kModels + "resnet18.onnx --format xml");
  EXPECT_EQ(2, r.code);
  EXPECT_NE(r.out.find("unknown format 'xml'"), std::string::npos);
  r = Tops("profile " + kModels);
  EXPECT_EQ(2, r.code);
  EXPECT_NE(r.out.find("is a directory"), std::string::npos);
  r = Tops("calc conv2d --cin 3 --cout 64 --kernel 0 --out 112");
  EXPECT_EQ(2, r.code);
  r = Tops("profile");
  EXPECT_EQ(2, r.code);
  r = Tops("frobnicate");
  EXPECT_EQ(2, r.code);
}

}  // namespace
