// Profiling a large TFLite file reads almost none of it. For each file made by
// `tests/models/tflite/make_tflite.py --bench DIR` (58 MB of float weights, once inside the
// FlatBuffer and once after it, reached by buffer offset / size):
//   tflite_profile/F   tops::ReadModel(path) + ProfileModel: what `tops profile` runs, through
//                      the same file access (src/io/file_source.cc), timed with the file in the
//                      page cache;
//   tflite_full_walk/F the baseline a reader that loads weights pays: the file mapped (with the
//                      kernel's usual read-ahead), the same FlatBuffer walked through every
//                      Buffer table and every payload byte summed.
// Before the timed loop each benchmark runs once on a cold file: the file is flushed and
// dropped from the page cache (fdatasync + POSIX_FADV_DONTNEED), run, and mincore() on a mapping
// made afterwards (mapping faults nothing in) counts the pages that came back: `pages_read` of
// `pages_in_file`, and `cold_ms`, the time of that run.
//   bench_tflite --tflite-dir=DIR [Google Benchmark flags]
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "io/flatbuffer.h"
#include "ops/registry.h"
#include "tops/error.h"
#include "tops/profile.h"
#include "tops/read.h"

namespace {

class Mapping {
 public:
  explicit Mapping(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY);
    if (fd_ < 0) throw tops::Error(path + ": cannot open");
    struct stat st;
    ::fstat(fd_, &st);
    size_ = static_cast<size_t>(st.st_size);
    data_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (data_ == MAP_FAILED) throw tops::Error(path + ": cannot map");
  }
  ~Mapping() {
    ::munmap(data_, size_);
    ::close(fd_);
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }
  size_t pages() const { return (size_ + 4095) / 4096; }
  // Pages of the file in the page cache (after a cold start: the pages read).
  size_t CachedPages() const {
    std::vector<unsigned char> v(pages());
    if (::mincore(data_, size_, v.data()) != 0) return 0;
    size_t n = 0;
    for (unsigned char c : v) n += c & 1;
    return n;
  }

 private:
  int fd_ = -1;
  void* data_ = nullptr;
  size_t size_ = 0;
};

// Writes the file back and drops its pages from the page cache.
void Evict(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw tops::Error(path + ": cannot open");
  ::fdatasync(fd);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

// Runs `work` once on a cold file; sets the page and time counters.
template <typename Work>
void ColdRun(benchmark::State& state, const std::string& path, Work work) {
  Evict(path);
  size_t before = 0;
  {
    const Mapping probe(path);
    before = probe.CachedPages();
  }
  const auto start = std::chrono::steady_clock::now();
  work();
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const Mapping after(path);
  const size_t cached = after.CachedPages();
  const size_t read = cached - std::min(before, cached);
  state.counters["pages_read"] = static_cast<double>(read);
  state.counters["pages_in_file"] = static_cast<double>(after.pages());
  state.counters["read_pct"] =
      100.0 * static_cast<double>(read) / static_cast<double>(after.pages());
  state.counters["cached_before"] = static_cast<double>(before);
  state.counters["cold_ms"] = ms;
}

std::string g_dir;

// What `tops profile FILE` runs: the library's reader of a path, then the profile.
int64_t Profile(const std::string& path) {
  return tops::ProfileModel(tops::ReadModel(path)).totals.macs;
}

// Every buffer of the model, payload bytes summed: what loading the weights costs at least.
uint64_t FullWalk(std::string_view b, const std::string& label) {
  tops::fb::View v(b, label, UINT64_MAX);
  const tops::fb::Path p;
  const tops::fb::Table model = v.TableAt(0, p);
  uint64_t sum = 0;
  if (auto buffers = v.VectorField(model, 4, 4, p)) {
    for (uint32_t i = 0; i < buffers->len; ++i) {
      const tops::fb::Table buf = v.TableElement(*buffers, i, p);
      std::string_view data;
      if (auto d = v.VectorField(buf, 0, 1, p); d && d->len > 0) {
        data = b.substr(d->pos, d->len);
      } else if (const uint64_t off = v.Scalar<uint64_t>(buf, 1, 0, p); off > 1) {
        data = b.substr(off, v.Scalar<uint64_t>(buf, 2, 0, p));
      }
      for (unsigned char c : data) sum += c;
    }
  }
  return sum;
}

void BM_Profile(benchmark::State& state, const std::string& file) {
  const std::string path = g_dir + "/" + file;
  int64_t macs = 0;
  ColdRun(state, path, [&] { macs = Profile(path); });
  for (auto _ : state) benchmark::DoNotOptimize(macs = Profile(path));
  state.counters["macs"] = static_cast<double>(macs);
}

void BM_FullWalk(benchmark::State& state, const std::string& file) {
  const std::string path = g_dir + "/" + file;
  ColdRun(state, path, [&] {
    const Mapping m(path);
    benchmark::DoNotOptimize(FullWalk(m.bytes(), path));
  });
  for (auto _ : state) {
    const Mapping m(path);
    benchmark::DoNotOptimize(FullWalk(m.bytes(), path));
  }
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--tflite-dir=", 0) == 0) g_dir = a.substr(13);
  }
  if (g_dir.empty()) {
    std::fprintf(stderr,
                 "usage: bench_tflite --tflite-dir=DIR (make it with tests/models/tflite/"
                 "make_tflite.py --bench DIR)\n");
    return 2;
  }
  for (const char* f : {"bench_convnet.tflite", "bench_convnet_offsets.tflite"}) {
    const std::string name = std::string(f).substr(0, std::strlen(f) - 7);
    benchmark::RegisterBenchmark(("tflite_profile/" + name).c_str(), BM_Profile, f)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("tflite_full_walk/" + name).c_str(), BM_FullWalk, f)
        ->Unit(benchmark::kMillisecond);
  }
  tops::Registry::Get();  // built once per process, before any timing
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
