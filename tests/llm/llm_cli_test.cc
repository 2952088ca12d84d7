// `tops llm` and `tops rank --tokens-per-s` through the CLI: every format, the numbers the JSON
// carries against the library's, and the HTML chart's points.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "../malformed/run_cli.h"
#include "io/hf_config_reader.h"
#include "tops/llm.h"
#include "tops/read.h"

namespace tops {
namespace {

const std::string kConfig = std::string(TOPS_TEST_DIR) + "/llm/configs/qwen2.5-1.5b.json";

TEST(LlmCli, JsonCarriesTheEstimate) {
  const testing::CliResult r =
      testing::RunCli({"llm", kConfig, "--chip", "rk3588", "--quant", "w8a8,w4a16_g128", "--prompt",
                       "128", "--gen", "64", "--curve", "512,4096", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["decoder"]["params"], 1543714304);
  ASSERT_EQ(j["estimates"].size(), 2u);
  const auto& e = j["estimates"][0];
  EXPECT_EQ(e["quant"], "w8a8");
  EXPECT_EQ(e["runtime"], "rkllm");
  EXPECT_EQ(e["curve"].size(), 2u);
  // The same numbers as the library gives.
  Model m = ReadModel(kConfig);
  DecoderFacts f = InspectDecoder(m);
  LlmOptions o;
  o.quant = ParseQuantScheme("w8a8");
  o.prompt = 128;
  o.generate = 64;
  o.curve = {512, 4096};
  const Catalog catalog = Catalog::Builtin();
  LlmEstimate lib = EstimateLlm(m, f, catalog.Get("rk3588"), catalog, o);
  EXPECT_DOUBLE_EQ(e["ttft_ms"]["value"].get<double>(), lib.ttft_ms.value);
  EXPECT_DOUBLE_EQ(e["decode_tokens_per_s"]["value"].get<double>(), lib.decode_tokens_per_s.value);
  // Slower at a longer context (the KV cache grows), and w4a16_g128 reads fewer weight bytes.
  EXPECT_GT(e["curve"][0]["tokens_per_s"]["value"].get<double>(),
            e["curve"][1]["tokens_per_s"]["value"].get<double>());
  EXPECT_LT(j["estimates"][1]["memory"]["weight_bytes"].get<double>(),
            e["memory"]["weight_bytes"].get<double>());
}

TEST(LlmCli, EveryFormat) {
  for (const char* format : {"table", "csv", "md", "html"}) {
    SCOPED_TRACE(format);
    const testing::CliResult r = testing::RunCli({"llm", kConfig, "--chip", "jetson_orin_nano_8gb",
                                                  "--format", format, "--curve", "256,1024,8192"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(std::string(format) == "csv" ? "jetson_orin_nano_8gb" : "mlc"),
              std::string::npos);
    if (std::string(format) == "html") {
      EXPECT_NE(r.out.find("data-chart=\"tokens-per-s-vs-context\""), std::string::npos);
      size_t marks = 0;
      for (size_t p = r.out.find("class=\"mark"); p != std::string::npos;
           p = r.out.find("class=\"mark", p + 1)) {
        ++marks;
      }
      EXPECT_EQ(marks, 3u);  // one point per context of the curve
    }
  }
}

TEST(LlmCli, RankByTokensPerSecond) {
  const testing::CliResult r = testing::RunCli(
      {"rank", kConfig, "--tokens-per-s", "15", "--context", "4096", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["target_tokens_per_s"], 15);
  bool seen_meeting = false, seen_failing = false;
  for (const auto& row : j["rows"]) {
    const double tps = row["curve"][0]["tokens_per_s"]["value"].get<double>();
    EXPECT_EQ(row["fast_enough"].get<bool>(), tps >= 15) << row["chip"];
    if (row["meets"].get<bool>()) {
      EXPECT_FALSE(seen_failing) << "meeting chips come first";
      seen_meeting = true;
    } else {
      seen_failing = true;
    }
  }
  EXPECT_TRUE(seen_meeting);
  EXPECT_TRUE(seen_failing);
}

// Lines of `text` that start with `prefix`.
size_t LinesStarting(const std::string& text, const std::string& prefix) {
  size_t n = 0;
  for (size_t at = 0; at < text.size();) {
    if (text.compare(at, prefix.size(), prefix) == 0) ++n;
    const size_t end = text.find('\n', at);
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return n;
}

TEST(LlmCli, EveryResultInEveryFormatFromTheSameRows) {
  // The decoder alone: JSON with the build identity, the library's figures.
  testing::CliResult r = testing::RunCli({"llm", kConfig, "--quant", "w4a16", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["tops"]["version"].is_string());
  const Model m = ReadModel(kConfig);
  const LlmModelSummary lib =
      SummarizeDecoder(m, InspectDecoder(m), ParseQuantScheme("w4a16"), 512);
  EXPECT_DOUBLE_EQ(j["weight_bytes"].get<double>(), lib.weight_bytes);
  EXPECT_EQ(j["decode_flops_per_token"].get<int64_t>(), lib.decode_at_prompt.flops());
  r = testing::RunCli({"llm", kConfig, "--quant", "w4a16", "--format", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(2u, LinesStarting(r.out, ""));
  EXPECT_EQ(1u, LinesStarting(r.out, "model,params,"));

  // Estimates: one CSV record and one Markdown row per weight format.
  const std::vector<std::string> estimate = {"llm",    kConfig,   "--chip",
                                             "rk3588", "--quant", "fp16,w8a8,w4a16"};
  auto with = [](std::vector<std::string> args, const char* format) {
    args.insert(args.end(), {"--format", format});
    return testing::RunCli(args);
  };
  r = with(estimate, "csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(3u, LinesStarting(r.out, "rk3588,rkllm,"));
  r = with(estimate, "md");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(3u, LinesStarting(r.out, "| rk3588 | rkllm |"));
  r = with(estimate, "json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(3u, j["estimates"].size());
  EXPECT_TRUE(j["tops"]["catalog"].is_string());

  // Rank: as many CSV records as JSON rows, "meets" first.
  const std::vector<std::string> rank = {"rank", kConfig,     "--tokens-per-s",
                                         "15",   "--context", "4096"};
  r = with(rank, "json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  r = with(rank, "csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(1u, LinesStarting(r.out, "meets,chip,runtime,"));
  EXPECT_EQ(j["rows"].size(), LinesStarting(r.out, "true,") + LinesStarting(r.out, "false,"));
}

TEST(LlmCli, CalibrationRowsInEveryFormat) {
  const std::string rows = std::string(TOPS_TEST_DIR) + "/../data/measurements/llm";
  const std::string root = std::string(TOPS_TEST_DIR) + "/..";
  const testing::CliResult json =
      testing::RunCli({"llm-calibrate", rows, "--root", root, "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto j = nlohmann::json::parse(json.out);
  const auto& loo = j["leave_one_out"];
  EXPECT_EQ(j["rows"].size(), loo["rows"].get<size_t>());
  EXPECT_EQ(loo["rows"], loo["decode_rows"].get<int64_t>() + loo["ttft_rows"].get<int64_t>());
  EXPECT_LE(loo["decode_within"], loo["decode_rows"]);
  // Each row's left-out prediction is its measurement times the left-out ratio.
  for (const auto& row : j["rows"]) {
    EXPECT_NEAR(row["loo_predicted"].get<double>(),
                row["measured"].get<double>() * row["loo_ratio"].get<double>(),
                1e-9 * row["loo_predicted"].get<double>())
        << row["row"];
  }
  const testing::CliResult csv =
      testing::RunCli({"llm-calibrate", rows, "--root", root, "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(j["rows"].size() + 1, LinesStarting(csv.out, ""));
  const testing::CliResult table =
      testing::RunCli({"llm-calibrate", rows, "--root", root, "--format", "table"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  const std::string summary = "Leave-one-out over " + std::to_string(j["rows"].size()) +
                              " rows: decode tokens/s within a factor 1.5 for " +
                              std::to_string(loo["decode_within"].get<int64_t>()) + " of " +
                              std::to_string(loo["decode_rows"].get<int64_t>());
  EXPECT_NE(table.out.find(summary), std::string::npos) << table.out;
}

// --memory replaces the catalog's size (RK3588's 32 GB is the most the SoC supports, not what a
// board carries) in the memory check. Qwen2.5-1.5B at fp16: weights 2 bytes x 1,543,714,304
// parameters; KV cache 2 (K and V) x 28 layers x 2 KV heads x 128 dims x 2 bytes = 28,672 bytes
// per token (the config's fields), so the largest context is what is left after the weights and
// activations, divided by 28,672.
TEST(LlmCli, MemoryOptionReplacesTheCatalogsSize) {
  const auto memory = [](const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"llm", kConfig, "--chip", "rk3588",   "--prompt",
                                     "128", "--gen", "64",     "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const testing::CliResult r = testing::RunCli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out)["estimates"][0]["memory"];
  };
  const auto catalog = memory({});
  EXPECT_EQ(catalog["capacity_bytes"].get<double>(), 32e9);
  EXPECT_EQ(catalog["capacity_source"], "maximum supported");

  const auto four = memory({"--memory", "4"});
  EXPECT_EQ(four["capacity_bytes"].get<double>(), 4e9);
  EXPECT_EQ(four["capacity_source"],
            "the memory given; the catalog's 32 GB is the chip's maximum supported");
  const double weights = 2.0 * 1543714304;
  EXPECT_EQ(four["weight_bytes"].get<double>(), weights);
  EXPECT_EQ(four["kv_bytes"].get<double>(), 28672.0 * 192);
  const double activations = four["activation_bytes"].get<double>();
  EXPECT_GT(activations, 0);
  EXPECT_TRUE(four["fits"].get<bool>());
  EXPECT_EQ(four["max_context"].get<int64_t>(),
            static_cast<int64_t>(std::floor((4e9 - weights - activations) / 28672)));

  // 3 GB holds less than the weights: no context fits.
  const auto three = memory({"--memory", "3"});
  EXPECT_FALSE(three["fits"].get<bool>());
  EXPECT_EQ(three["max_context"].get<int64_t>(), 0);
}

TEST(LlmCli, BadOptionsExitTwo) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"llm", kConfig, "--quant", "w3a9"},
        {"llm", kConfig, "--kv", "int2"},
        {"llm", kConfig, "--chip", "no_such_chip"},
        {"llm", kConfig, "--chip", "rk3588", "--runtime", "nope"},
        {"llm", kConfig, "--chip", "rk3588", "--prompt", "0"},
        {"llm", kConfig, "--chip", "rk3588", "--memory", "-1"},
        {"llm", kConfig, "--chip", "rk3588", "--memory", "nan"},
        {"llm", std::string(TOPS_TEST_DIR) + "/models/resnet18.onnx"},
        {"rank", kConfig, "--tokens-per-s", "-3"}}) {
    const testing::CliResult r = testing::RunCli(args);
    EXPECT_EQ(r.exit_code, 2) << args[1] << " " << r.err;
    EXPECT_NE(r.err.find("error"), std::string::npos);
  }
}

}  // namespace
}  // namespace tops
