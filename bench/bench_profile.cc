// Speed of `tops profile` on full-size models against the baseline a naive tool would use,
// onnx::ModelProto::ParseFromString of the same bytes, measured in the same run.
//
//   bench_profile [--full-size-dir=DIR] [benchmark flags]
//
// DIR holds resnet50.onnx, alexnet.onnx and vgg16.onnx made by make_full_size (bench/compare.sh
// passes its own); files missing there are generated, and without the flag everything is
// generated into a temporary directory that is removed afterwards.
#include <benchmark/benchmark.h>
#include <onnx/onnx_pb.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "full_size.h"
#include "tops/profile.h"
#include "tops/read.h"

namespace {

namespace fs = std::filesystem;

const char* const kModels[] = {"resnet50", "alexnet", "vgg16"};

std::string Fixture(const std::string& model) {
  return std::string(TOPS_MODELS_DIR) + "/" + model + ".onnx";
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void SetFileCounter(benchmark::State& state, const std::string& path) {
  state.counters["file_MB"] = static_cast<double>(fs::file_size(path)) / 1e6;
}

// What `tops profile` does before printing: read (pread windows, payloads skipped), profile.
void BM_TopsProfile(benchmark::State& state, const std::string& path) {
  for (auto _ : state) {
    const tops::Profile p = tops::ProfileModel(tops::ReadModel(path));
    benchmark::DoNotOptimize(p.totals.macs);
  }
  SetFileCounter(state, path);
}

void BM_ReadModel(benchmark::State& state, const std::string& path) {
  for (auto _ : state) {
    const tops::Model m = tops::ReadModel(path);
    benchmark::DoNotOptimize(m.graph.nodes.size());
  }
  SetFileCounter(state, path);
}

// The baseline: the whole file already in memory (its read is not timed), parsed into the
// generated ONNX classes. Destroying the message is not timed either, so the baseline is, if
// anything, flattered.
void BM_ParseFromString(benchmark::State& state, const std::string& path) {
  const std::string bytes = ReadAll(path);
  for (auto _ : state) {
    auto m = std::make_unique<onnx::ModelProto>();
    if (!m->ParseFromString(bytes)) {
      state.SkipWithError("ParseFromString failed");
      break;
    }
    benchmark::DoNotOptimize(m->graph().node_size());
    state.PauseTiming();
    m.reset();
    state.ResumeTiming();
  }
  SetFileCounter(state, path);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  fs::path dir;
  bool temporary = false;
  const std::string flag = "--full-size-dir=";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind(flag, 0) == 0) {
      dir = arg.substr(flag.size());
    } else {
      std::fprintf(stderr, "bench_profile: unknown argument '%s'\n", argv[i]);
      return 2;
    }
  }
  if (dir.empty()) {
    dir = fs::temp_directory_path() / ("tops-full-size-" + std::to_string(::getpid()));
    temporary = true;
  }
  try {
    fs::create_directories(dir);
    for (const char* model : kModels) {
      const std::string full = (dir / (std::string(model) + ".onnx")).string();
      if (!fs::exists(full)) tops::bench::MakeFullSizeFile(Fixture(model), full);
      benchmark::RegisterBenchmark((std::string("tops_profile/") + model).c_str(), BM_TopsProfile,
                                   full)
          ->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark((std::string("ReadModel/") + model).c_str(), BM_ReadModel, full)
          ->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark((std::string("ParseFromString/") + model).c_str(),
                                   BM_ParseFromString, full)
          ->Unit(benchmark::kMillisecond);
      // Same graph without payloads: the time must not depend on the weights' size.
      benchmark::RegisterBenchmark((std::string("tops_profile_weightless/") + model).c_str(),
                                   BM_TopsProfile, Fixture(model))
          ->Unit(benchmark::kMillisecond);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_profile: %s\n", e.what());
    return 2;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (temporary) fs::remove_all(dir);
  return 0;
}
