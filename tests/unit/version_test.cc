// `tops --version` and the "tops" object of every JSON output, against references taken outside
// the code that records them: the version in CMakeLists.txt, the catalog fingerprint recomputed
// with sha256sum by the recipe docs give, and the revision from git itself.
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "../malformed/run_cli.h"

namespace {

const std::string kRoot = std::string(TOPS_TEST_DIR) + "/..";
const std::string kExample = kRoot + "/examples/resnet18.onnx";

std::string Shell(const std::string& cmd) {
  FILE* f = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  pclose(f);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

struct Version {
  std::string version, catalog, revision;
  int files = 0;
};

Version Printed() {
  const auto r = tops::testing::RunCli("--version");
  EXPECT_EQ(0, r.exit_code);
  std::smatch m;
  static const std::regex kText(
      "^tops ([0-9]+\\.[0-9]+\\.[0-9]+)\ncatalog (sha256:[0-9a-f]{16}) \\(([0-9]+) chip files\\)\n"
      "revision ([A-Za-z0-9._+-]+)\n$");
  EXPECT_TRUE(std::regex_match(r.out, m, kText)) << r.out;
  if (m.empty()) return {};
  return {m[1], m[2], m[4], std::stoi(m[3])};
}

TEST(Version, PrintsProjectVersionCatalogAndRevision) {
  const Version v = Printed();
  const std::string project = Shell("sed -n 's/^project(tops VERSION \\([0-9.]*\\).*/\\1/p' '" +
                                    kRoot + "/CMakeLists.txt'");
  EXPECT_EQ(project, v.version);
  const std::string recipe = "cd '" + kRoot +
                             "/data/chips' && LC_ALL=C sha256sum $(LC_ALL=C ls *.yaml) | "
                             "sha256sum | cut -c1-16";
  EXPECT_EQ("sha256:" + Shell(recipe), v.catalog);
  EXPECT_EQ(std::stoi(Shell("ls '" + kRoot + "/data/chips/'*.yaml | wc -l")), v.files);
  // The build's commit: HEAD, or an ancestor when commits were made after the last build.
  const std::string revision = v.revision.substr(0, v.revision.find("-dirty"));
  const std::string git = "git -C '" + kRoot + "' ";
  if (Shell(git + "rev-parse --git-dir >/dev/null 2>&1 && echo yes") != "yes") {
    EXPECT_EQ("unknown", revision) << "not a git checkout";
    return;
  }
  ASSERT_TRUE(std::regex_match(revision, std::regex("[0-9a-f]{12}"))) << revision;
  EXPECT_EQ("yes", Shell(git + "merge-base --is-ancestor " + revision + " HEAD && echo yes"))
      << revision << " is not HEAD (" << Shell(git + "rev-parse --short=12 HEAD")
      << ") nor one of its ancestors";
}

TEST(Version, EveryJsonOutputCarriesIt) {
  const Version v = Printed();
  const nlohmann::json want = {
      {"version", v.version}, {"catalog", v.catalog}, {"revision", v.revision}};
  const std::vector<std::string> cases = {
      "profile " + kExample + " --format json",
      "profile " + kRoot + "/tests/models/resnet18_dynbatch.onnx --sweep batch=1,2 --format json",
      "require " + kExample + " --format json",
      "fit " + kExample + " --chip rk3588 --format json",
      "rank " + kExample + " --format json",
      "chips --format json",
      "chips show rk3588 --format json",
      "whatif " + kExample + " --chip rk3588 --scenario baseline --format json",
      "compare " + kExample + " " + kExample + " --chip rk3588 --format json",
      "profile " + kExample + " --format netron"};
  for (const std::string& args : cases) {
    const auto r = tops::testing::RunCli(args);
    ASSERT_EQ(0, r.exit_code) << args << "\n" << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(want, j["tops"]) << args;
  }
}

}  // namespace
