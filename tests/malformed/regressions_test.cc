// Replays every input the fuzzer ever crashed on (tests/fuzz/regressions/) through the same
// pipeline the fuzz target runs (tests/fuzz/pipeline.h), and holds every regression and every
// seed of the fuzz corpus to the time and memory bounds of hostile input through the CLI. Under
// `make test-sanitize` the replay runs with ASan and UBSan, as the fuzzer did.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "../fuzz/pipeline.h"
#include "run_cli.h"

namespace tops {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> FilesIn(const std::string& sub) {
  std::vector<std::string> out;
  const fs::path dir = fs::path(TOPS_TEST_DIR) / "fuzz" / sub;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().filename().string()[0] != '.') {
      out.push_back(e.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(FuzzRegressions, EveryCommittedCrashNowGivesAnAnswerOrAnError) {
  const std::vector<std::string> files = FilesIn("regressions");
  ASSERT_FALSE(files.empty()) << "tests/fuzz/regressions/ is empty";
  for (const auto& f : files) {
    SCOPED_TRACE(f);
    const std::string bytes = testing::Slurp(f);
    const std::string error = fuzz::RunPipeline(bytes);
    // An error must say something; success is the other correct outcome.
    if (!error.empty()) EXPECT_GT(error.size(), 10u) << error;
  }
}

void ExpectWithinBounds(const std::vector<std::string>& files) {
  for (const auto& f : files) {
    SCOPED_TRACE(f);
    const testing::CliResult r = testing::RunCli({"profile", f, "--format", "json"});
    EXPECT_EQ(0, r.signal) << r.err;
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 2) << r.exit_code << "\n" << r.err;
    if (r.exit_code == 2) EXPECT_NE(r.err.find("tops: error: "), std::string::npos) << r.err;
    EXPECT_LT(r.seconds, testing::kMaxSeconds);
    EXPECT_LT(r.max_rss_kb, testing::kMaxRssKb);
  }
}

TEST(FuzzRegressions, CliStaysWithinTimeAndMemoryBounds) {
  ExpectWithinBounds(FilesIn("regressions"));
}

TEST(FuzzCorpus, EverySeedStaysWithinTimeAndMemoryBounds) {
  const std::vector<std::string> files = FilesIn("corpus");
  ASSERT_GE(files.size(), 14u) << "the corpus holds at least the fixture models";
  ExpectWithinBounds(files);
}

}  // namespace
}  // namespace tops
