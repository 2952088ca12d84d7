// Shape inference + cost (ProfileModel) alone, on the largest fixture graphs (tests/models and the
// 6,504-node bench/models/gpt_6k.onnx): the model is read once outside the timed loop. Reports ns
// per node; the target is <= 5 ms per 1,000 nodes (5,000 ns per node).
#include <benchmark/benchmark.h>

#include <string>

#include "tops/profile.h"
#include "tops/read.h"

namespace {

void BM_Infer(benchmark::State& state, const std::string& path, tops::ProfileOptions opt) {
  const tops::Model model = tops::ReadModel(path);
  const auto nodes = static_cast<double>(model.graph.nodes.size());
  for (auto _ : state) {
    tops::Profile p = tops::ProfileModel(model, opt);
    benchmark::DoNotOptimize(p.totals.macs);
  }
  state.counters["nodes"] = nodes;
  // Inverted rate: seconds per node, scaled so the printed figure reads in ns.
  state.counters["ns_per_node"] = benchmark::Counter(
      nodes * 1e-9, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

tops::ProfileOptions Seq(int64_t n) {
  tops::ProfileOptions o;
  o.dims["seq"] = n;
  return o;
}

const std::string kModels = TOPS_MODELS_DIR;

BENCHMARK_CAPTURE(BM_Infer, tiny_gpt_seq128, kModels + "/tiny_gpt.onnx", Seq(128))
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Infer, shufflenet_v2, kModels + "/shufflenet_v2_x1_0.onnx",
                  tops::ProfileOptions{})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Infer, resnet50, kModels + "/resnet50.onnx", tops::ProfileOptions{})
    ->Unit(benchmark::kMicrosecond);
// The largest fixture: a 6,504-node GPT-style decoder (bench/make_big_gpt.py).
BENCHMARK_CAPTURE(BM_Infer, gpt_6k_seq128, std::string(TOPS_BENCH_MODELS_DIR) + "/gpt_6k.onnx",
                  Seq(128))
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
