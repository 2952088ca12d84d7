// Golden-output tests: every writer (profile, require, fit, rank, chips, whatif and compare in
// their formats, report html/md) on two fixture models, run through the CLI as a user would and
// compared byte for byte with tests/golden/expected/. TOPS_UPDATE_GOLDEN=1 rewrites the expected
// files instead (see tests/golden/README.md). The CLI runs inside tests/ with relative model paths,
// so the outputs hold no absolute path; they hold no timestamp either.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace {

struct Case {
  const char* name;  // expected file, under tests/golden/expected/
  const char* args;  // after `tops`, run in tests/
};
// Names the case in test output instead of a byte dump.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

constexpr Case kCases[] = {
    {"profile_resnet18.txt", "profile models/resnet18.onnx --no-color"},
    {"profile_resnet18.json", "profile models/resnet18.onnx --format json"},
    {"profile_resnet18.csv", "profile models/resnet18.onnx --format csv"},
    {"profile_resnet18.md", "profile models/resnet18.onnx --format md"},
    {"profile_mobilenet_v2.txt", "profile models/mobilenet_v2.onnx --no-color"},
    {"profile_mobilenet_v2.json", "profile models/mobilenet_v2.onnx --format json"},
    {"profile_mobilenet_v2.csv", "profile models/mobilenet_v2.onnx --format csv"},
    {"profile_mobilenet_v2.md", "profile models/mobilenet_v2.onnx --format md"},
    {"profile_mobilenet_v2_by_op.txt", "profile models/mobilenet_v2.onnx --group-by op --no-color"},
    {"profile_resnet18_top5.txt", "profile models/resnet18.onnx --top 5 --no-color"},
    {"profile_mobilenet_v1_int8_tflite.txt",
     "profile models/tflite/mobilenet_v1_1.0_224_int8.tflite --no-color"},
    {"fit_mobilenet_v1_int8_tflite_rk3588.txt",
     "fit models/tflite/mobilenet_v1_1.0_224_int8.tflite --chip rk3588"},
    {"fit_resnet18_rk3588.txt", "fit models/resnet18.onnx --chip rk3588"},
    {"fit_resnet18_rk3588.json", "fit models/resnet18.onnx --chip rk3588 --format json"},
    {"fit_mobilenet_v2_orin_nano.txt",
     "fit models/mobilenet_v2.onnx --chip jetson_orin_nano_8gb --fps 60 --precision fp16"},
    {"fit_mobilenet_v2_orin_nano.json",
     "fit models/mobilenet_v2.onnx --chip jetson_orin_nano_8gb --fps 60 --precision fp16 "
     "--format json"},
    {"fit_resnet18_rk3588.csv", "fit models/resnet18.onnx --chip rk3588 --format csv"},
    {"fit_resnet18_rk3588.md", "fit models/resnet18.onnx --chip rk3588 --format md"},
    {"fit_mobilenet_v2_orin_nano.csv",
     "fit models/mobilenet_v2.onnx --chip jetson_orin_nano_8gb --fps 60 --precision fp16 "
     "--format csv"},
    {"fit_mobilenet_v2_orin_nano.md",
     "fit models/mobilenet_v2.onnx --chip jetson_orin_nano_8gb --fps 60 --precision fp16 "
     "--format md"},
    {"require_resnet18.csv", "require models/resnet18.onnx --format csv"},
    {"require_resnet18.md", "require models/resnet18.onnx --format md"},
    {"require_mobilenet_v2.csv", "require models/mobilenet_v2.onnx --fps 60 --format csv"},
    {"require_mobilenet_v2.md", "require models/mobilenet_v2.onnx --fps 60 --format md"},
    {"rank_resnet18.csv", "rank models/resnet18.onnx --format csv"},
    {"rank_mobilenet_v2.md", "rank models/mobilenet_v2.onnx --max-watts 15 --format md"},
    {"chips.csv", "chips --format csv"},
    {"chips.md", "chips --format md"},
    {"chips_show_rk3588.csv", "chips show rk3588 --format csv"},
    {"chips_show_rk3588.md", "chips show rk3588 --format md"},
    {"whatif_resnet18_rk3588.csv", "whatif models/resnet18.onnx --chip rk3588 --format csv"},
    {"whatif_mobilenet_v2_hailo_8.md",
     "whatif models/mobilenet_v2.onnx --chip hailo_8 --fps 60 --format md"},
    {"compare_rk3588.csv",
     "compare models/resnet18.onnx models/mobilenet_v2.onnx --chip rk3588 --format csv"},
    {"compare_rk3588.md",
     "compare models/resnet18.onnx models/mobilenet_v2.onnx --chip rk3588 --format md"},
    {"report_resnet18.html",
     "report models/resnet18.onnx --chip rk3588 --chip jetson_orin_nano_8gb --top 8"},
    {"report_resnet18.md",
     "report models/resnet18.onnx --chip rk3588 --chip jetson_orin_nano_8gb --top 8 --format md"},
    {"report_mobilenet_v2.html", "report models/mobilenet_v2.onnx --chip hailo_8 --fps 60"},
    {"report_mobilenet_v2.md",
     "report models/mobilenet_v2.onnx --chip hailo_8 --fps 60 --format md"},
};

std::string RunTops(const std::string& args, int* code) {
  // NO_COLOR too, so that a terminal running the tests cannot change the table.
  const std::string cmd = "cd '" + std::string(TOPS_TEST_DIR) + "' && NO_COLOR=1 '" +
                          std::string(TOPS_BINARY) + "' " + args + " 2>&1";
  FILE* f = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 1 << 14> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), f)) > 0) out.append(buf.data(), n);
  const int status = pclose(f);
  *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

// The build identity every JSON output carries ("tops": {"version", "catalog", "revision"})
// changes with each commit and each catalog edit; the expected files hold placeholders for those
// two values so that they guard the numbers, not the build. Version tests check the real values.
std::string WithoutBuildIdentity(const std::string& out) {
  static const std::regex kCatalog("\"catalog\": \"sha256:[0-9a-f]{16}\"");
  static const std::regex kRevision("\"revision\": \"[A-Za-z0-9._+-]+\"");
  return std::regex_replace(std::regex_replace(out, kCatalog, "\"catalog\": \"<catalog>\""),
                            kRevision, "\"revision\": \"<revision>\"");
}

std::string ExpectedPath(const char* name) {
  return std::string(TOPS_TEST_DIR) + "/golden/expected/" + name;
}

// Line number (1-based) and both lines of the first difference, for a readable failure.
std::string FirstDifference(const std::string& want, const std::string& got) {
  std::istringstream a(want), b(got);
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool ha = static_cast<bool>(std::getline(a, la));
    const bool hb = static_cast<bool>(std::getline(b, lb));
    if (!ha && !hb) return "outputs differ only in the final newline";
    if (!ha || !hb || la != lb) {
      return "first difference at line " + std::to_string(line) +
             ":\n  expected: " + (ha ? la : "<end of file>") +
             "\n  actual:   " + (hb ? lb : "<end of output>");
    }
  }
}

class Golden : public ::testing::TestWithParam<Case> {};

TEST_P(Golden, MatchesExpectedFile) {
  const Case& c = GetParam();
  int code = 0;
  std::string got = RunTops(c.args, &code);
  if (std::string(c.name).ends_with(".json")) got = WithoutBuildIdentity(got);
  ASSERT_EQ(0, code) << "tops " << c.args << "\n" << got;
  for (const char* absolute : {TOPS_TEST_DIR, "/tmp/"}) {
    EXPECT_EQ(std::string::npos, got.find(absolute)) << "absolute path in the output: " << absolute;
  }
  const std::string path = ExpectedPath(c.name);
  const char* update = std::getenv("TOPS_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << got;
    GTEST_SKIP() << "rewrote " << c.name;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing " << path << " (TOPS_UPDATE_GOLDEN=1 creates it)";
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_TRUE(want.str() == got) << "tops " << c.args << " differs from golden/expected/" << c.name
                                 << "\n"
                                 << FirstDifference(want.str(), got)
                                 << "\nIf the change is intended: TOPS_UPDATE_GOLDEN=1 ctest -R "
                                    "Golden, then review git diff tests/golden.";
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  std::string s = info.param.name;
  for (char& ch : s) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return s;
}

INSTANTIATE_TEST_SUITE_P(Writers, Golden, ::testing::ValuesIn(kCases), CaseName);

}  // namespace
