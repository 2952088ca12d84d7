// _tops_bench: the C++ call that tops.load makes (ReadModel + ProfileModel), timed in C++, so
// that bench_python.py can put tops.load beside it in one process and one run.
#include <pybind11/pybind11.h>
#include <time.h>

#include <chrono>
#include <string>

#include "tops/profile.h"
#include "tops/read.h"

namespace {

double ThreadSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// (wall seconds, this thread's CPU seconds, MACs) of one ReadModel(path) + ProfileModel(model),
// the work of `tops profile` without writing; the MACs keep the call from being optimised away.
// CPU time is what other processes on a shared machine do not inflate.
pybind11::tuple LoadSeconds(const std::string& path) {
  double wall = 0, cpu = 0;
  int64_t macs = 0;
  {
    pybind11::gil_scoped_release release;
    const double cpu_start = ThreadSeconds();
    const auto start = std::chrono::steady_clock::now();
    const tops::Model model = tops::ReadModel(path);
    const tops::Profile profile = tops::ProfileModel(model);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    cpu = ThreadSeconds() - cpu_start;
    wall = took.count();
    macs = profile.totals.macs;
  }
  return pybind11::make_tuple(wall, cpu, macs);
}

}  // namespace

PYBIND11_MODULE(_tops_bench, m) { m.def("load_seconds", &LoadSeconds, pybind11::arg("path")); }
