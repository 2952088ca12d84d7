// Weight payloads are skipped, not read: a full-size resnet18 (47 MB, the stripped payloads
// filled with zeros by bench/full_size.h) profiles exactly like the 11 KB weightless fixture,
// and `tops profile` needs no more memory for it. No timing here (bench/ measures speed).
#include "../../bench/full_size.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "tops/profile.h"
#include "tops/read.h"

extern char** environ;

namespace tops {
namespace {

namespace fs = std::filesystem;

const std::string kWeightless = std::string(TOPS_TEST_DIR) + "/models/resnet18.onnx";

class FullSize : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("tops-full-size-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    full_ = (dir_ / "resnet18.onnx").string();
    stats_ = bench::MakeFullSizeFile(kWeightless, full_);
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static fs::path dir_;
  static std::string full_;
  static bench::FillStats stats_;
};

fs::path FullSize::dir_;
std::string FullSize::full_;
bench::FillStats FullSize::stats_;

TEST_F(FullSize, FileHasTheTrueSize) {
  // 11,684,712 float parameters, 4 bytes each; tensors of at most 64 elements kept their data.
  EXPECT_GT(stats_.bytes, 46'000'000);
  EXPECT_GT(fs::file_size(full_), 46'000'000u);
  EXPECT_LT(fs::file_size(kWeightless), 20'000u);
}

TEST_F(FullSize, PayloadsAreSeenButNotKept) {
  const Model light = ReadModel(kWeightless);
  const Model full = ReadModel(full_);
  ASSERT_EQ(light.graph.initializers.size(), full.graph.initializers.size());
  int filled = 0;
  for (size_t i = 0; i < full.graph.initializers.size(); ++i) {
    const TensorData& a = light.graph.initializers[i];
    const TensorData& b = full.graph.initializers[i];
    ASSERT_EQ(a.name, b.name);
    EXPECT_EQ(a.dims, b.dims) << a.name;
    EXPECT_EQ(a.dtype, b.dtype) << a.name;
    EXPECT_EQ(a.elems, b.elems) << a.name;
    EXPECT_TRUE(b.has_payload) << b.name;
    if (b.elems > kMaxKeptValues) {
      ++filled;
      EXPECT_FALSE(b.has_values) << b.name;
      EXPECT_TRUE(b.ints.empty() && b.floats.empty()) << b.name;
    }
  }
  EXPECT_GT(filled, 20);
}

TEST_F(FullSize, ProfileIsIdenticalToTheWeightlessOne) {
  const Profile a = ProfileModel(ReadModel(kWeightless));
  const Profile b = ProfileModel(ReadModel(full_));
  EXPECT_EQ(a.totals.params, b.totals.params);
  EXPECT_EQ(a.totals.macs, b.totals.macs);
  EXPECT_EQ(a.totals.macs, 1814073344);
  EXPECT_EQ(a.totals.other_ops, b.totals.other_ops);
  EXPECT_EQ(a.totals.flops, b.totals.flops);
  EXPECT_EQ(a.totals.weight_bytes, b.totals.weight_bytes);
  EXPECT_EQ(a.totals.activation_bytes, b.totals.activation_bytes);
  EXPECT_EQ(a.totals.peak_activation_bytes, b.totals.peak_activation_bytes);
  EXPECT_EQ(a.totals.nodes_without_cost, b.totals.nodes_without_cost);
  ASSERT_EQ(a.nodes.size(), b.nodes.size());
  for (size_t i = 0; i < a.nodes.size(); ++i) {
    const NodeProfile& x = a.nodes[i];
    const NodeProfile& y = b.nodes[i];
    ASSERT_EQ(x.name, y.name);
    EXPECT_EQ(x.op, y.op) << x.name;
    EXPECT_EQ(x.params, y.params) << x.name;
    EXPECT_EQ(x.macs, y.macs) << x.name;
    EXPECT_EQ(x.other_ops, y.other_ops) << x.name;
    EXPECT_EQ(x.bytes_read, y.bytes_read) << x.name;
    EXPECT_EQ(x.bytes_written, y.bytes_written) << x.name;
    ASSERT_EQ(x.outputs.size(), y.outputs.size()) << x.name;
    for (size_t j = 0; j < x.outputs.size(); ++j) {
      EXPECT_EQ(x.outputs[j].name, y.outputs[j].name) << x.name;
      EXPECT_EQ(x.outputs[j].dtype, y.outputs[j].dtype) << x.name;
      EXPECT_TRUE(x.outputs[j].shape == y.outputs[j].shape) << x.name << " output " << j;
    }
  }
  EXPECT_EQ(a.unsupported.size(), b.unsupported.size());
  EXPECT_EQ(a.diagnostics.size(), b.diagnostics.size());
}

// Peak RSS of `tops profile FILE` in a fresh process (ru_maxrss from wait4), in KB.
long PeakRssKb(const std::string& model) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  const std::string binary = TOPS_BINARY;
  char* argv[] = {const_cast<char*>(binary.c_str()), const_cast<char*>("profile"),
                  const_cast<char*>(model.c_str()), nullptr};
  pid_t pid;
  const int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  struct rusage usage {};
  if (::wait4(pid, &status, 0, &usage) != pid) return -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  return usage.ru_maxrss;
}

TEST_F(FullSize, CliMemoryDoesNotGrowWithWeights) {
  const long light = PeakRssKb(kWeightless);
  const long full = PeakRssKb(full_);
  ASSERT_GT(light, 0);
  ASSERT_GT(full, 0);
  // 46 MB of payload more; the mapping may touch a few pages around each tensor header, and
  // nothing else may depend on the payload.
  EXPECT_LT(full - light, 4 * 1024) << "weightless " << light << " KB, full-size " << full << " KB";
}

}  // namespace
}  // namespace tops
