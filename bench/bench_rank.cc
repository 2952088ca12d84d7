// `tops rank` over the whole built-in catalog for ResNet-50 (budget: 50 ms).
// Three scopes: the rank alone on a ready profile, catalog + rank, and the whole command
// (read the ONNX file, profile it, load the catalog, rank).
#include <benchmark/benchmark.h>

#include <string>

#include "tops/chip.h"
#include "tops/fit.h"
#include "tops/profile.h"
#include "tops/read.h"

namespace {

const std::string kResNet50 = std::string(TOPS_MODELS_DIR) + "/resnet50.onnx";

void BM_RankOnly(benchmark::State& state) {
  const tops::Profile profile = tops::ProfileModel(tops::ReadModel(kResNet50));
  const tops::Catalog catalog = tops::Catalog::Builtin();
  for (auto _ : state) {
    auto r = tops::Rank({{"resnet50", &profile, 30}}, catalog, tops::RankOptions{});
    benchmark::DoNotOptimize(r);
  }
  state.counters["chips"] = static_cast<double>(catalog.chips().size());
}
BENCHMARK(BM_RankOnly)->Unit(benchmark::kMillisecond);

void BM_CatalogAndRank(benchmark::State& state) {
  const tops::Profile profile = tops::ProfileModel(tops::ReadModel(kResNet50));
  for (auto _ : state) {
    const tops::Catalog catalog = tops::Catalog::Builtin();
    auto r = tops::Rank({{"resnet50", &profile, 30}}, catalog, tops::RankOptions{});
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_CatalogAndRank)->Unit(benchmark::kMillisecond);

void BM_ReadProfileRank(benchmark::State& state) {
  for (auto _ : state) {
    const tops::Profile profile = tops::ProfileModel(tops::ReadModel(kResNet50));
    const tops::Catalog catalog = tops::Catalog::Builtin();
    auto r = tops::Rank({{"resnet50", &profile, 30}}, catalog, tops::RankOptions{});
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ReadProfileRank)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
