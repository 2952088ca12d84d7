// --sweep through the library and the CLI on tiny_gpt: seq 32 and seq 128 reproduce the
// reference MACs of tests/models/README.md.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "tops/error.h"
#include "tops/profile.h"
#include "tops/read.h"

namespace tops {
namespace {

const std::string kTinyGpt = std::string(TOPS_TEST_DIR) + "/models/tiny_gpt.onnx";

TEST(Sweep, TinyGptSequenceLengths) {
  const Sweep s = ProfileSweep(ReadModel(kTinyGpt), {}, "seq", {32, 128});
  ASSERT_EQ(s.points.size(), 2u);
  EXPECT_EQ(s.points[0].value, 32);
  EXPECT_EQ(s.points[0].profile.totals.macs, 110952448);
  EXPECT_EQ(s.points[1].profile.totals.macs, 468975616);
  EXPECT_EQ(s.points[1].profile.bindings.at("seq"), 128);
}

TEST(Sweep, OptionParsingAndErrors) {
  auto [name, values] = ParseSweepOption("batch=1,2,4,8");
  EXPECT_EQ(name, "batch");
  EXPECT_EQ(values, (std::vector<int64_t>{1, 2, 4, 8}));
  for (const char* bad : {"batch", "=1,2", "batch=", "batch=1,,2", "batch=-1", "batch=x"}) {
    EXPECT_THROW(ParseSweepOption(bad), Error) << bad;
  }
  const Model m = ReadModel(kTinyGpt);
  EXPECT_THROW(ProfileSweep(m, {}, "no_such_dim", {1}), Error);
  ProfileOptions both;
  both.dims["seq"] = 4;
  EXPECT_THROW(ProfileSweep(m, both, "seq", {1}), Error);
}

TEST(Sweep, CliJsonHasOneEntryPerBinding) {
  const std::string cmd =
      std::string(TOPS_BINARY) + " profile " + kTinyGpt + " --sweep seq=32,128 --format json";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  ASSERT_TRUE(pipe);
  std::string out;
  std::array<char, 4096> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), pipe.get())) out.append(buf.data(), n);
  const auto j = nlohmann::json::parse(out);
  ASSERT_EQ(j["points"].size(), 2u);
  EXPECT_EQ(j["sweep"], "seq");
  EXPECT_EQ(j["points"][0]["totals"]["macs"], 110952448);
  EXPECT_EQ(j["points"][1]["totals"]["macs"], 468975616);
}

}  // namespace
}  // namespace tops
