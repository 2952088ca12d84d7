// Profiling a large TFLite file reads almost none of it. For each file made by
// `tests/models/tflite/make_tflite.py --bench DIR` (58 MB of float weights, once inside the
// FlatBuffer and once after it, reached by buffer offset / size):
//   tflite_profile/F   map the file, read it (tops's TFLite reader), profile it, unmap: what
//                      `tops profile` does, timed with the file in the page cache;
//   tflite_full_walk/F the baseline a reader that loads weights pays: the same FlatBuffer walked
//                      through every Buffer table and every payload byte summed.
// Before the timed loop each benchmark runs once on a cold file: the file is flushed and
// dropped from the page cache (fdatasync + POSIX_FADV_DONTNEED), mapped with MADV_RANDOM (no
// read-ahead, so a fault reads exactly the page touched), run, and mincore() counts the pages
// that came back: `pages_read` of `pages_in_file`, and `cold_ms`, the time of that run.
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
#include "io/tflite_reader.h"
#include "ops/registry.h"
#include "tops/error.h"
#include "tops/profile.h"

namespace {

class Mapping {
 public:
  // With `cold`, the file's pages are first written back and dropped from the page cache.
  Mapping(const std::string& path, bool cold) {
    fd_ = ::open(path.c_str(), O_RDONLY);
    if (fd_ < 0) throw tops::Error(path + ": cannot open");
    struct stat st;
    ::fstat(fd_, &st);
    size_ = static_cast<size_t>(st.st_size);
    if (cold) {
      ::fdatasync(fd_);
      ::posix_fadvise(fd_, 0, 0, POSIX_FADV_DONTNEED);
    }
    data_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (data_ == MAP_FAILED) throw tops::Error(path + ": cannot map");
    if (cold) ::madvise(data_, size_, MADV_RANDOM);
  }
  ~Mapping() {
    ::munmap(data_, size_);
    ::close(fd_);
  }
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

// Runs `work` once on a cold mapping of `path`; sets the page and time counters.
template <typename Work>
void ColdRun(benchmark::State& state, const std::string& path, Work work) {
  Mapping m(path, true);
  const size_t before = m.CachedPages();
  const auto start = std::chrono::steady_clock::now();
  work(m.bytes());
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const size_t read = m.CachedPages() - std::min(before, m.CachedPages());
  state.counters["pages_read"] = static_cast<double>(read);
  state.counters["pages_in_file"] = static_cast<double>(m.pages());
  state.counters["read_pct"] = 100.0 * static_cast<double>(read) / static_cast<double>(m.pages());
  state.counters["cached_before"] = static_cast<double>(before);
  state.counters["cold_ms"] = ms;
}

std::string g_dir;

int64_t Profile(std::string_view bytes, const std::string& label) {
  return tops::ProfileModel(tops::io::ReadTfliteBytes(bytes, label)).totals.macs;
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
  ColdRun(state, path, [&](std::string_view b) { macs = Profile(b, path); });
  for (auto _ : state) {
    Mapping m(path, false);
    benchmark::DoNotOptimize(macs = Profile(m.bytes(), path));
  }
  state.counters["macs"] = static_cast<double>(macs);
}

void BM_FullWalk(benchmark::State& state, const std::string& file) {
  const std::string path = g_dir + "/" + file;
  ColdRun(state, path, [&](std::string_view b) { benchmark::DoNotOptimize(FullWalk(b, path)); });
  for (auto _ : state) {
    Mapping m(path, false);
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
