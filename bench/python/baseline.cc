// _tops_bench: the C++ call that tops.load makes (ReadModel + ProfileModel), timed in C++, so
// that bench_python.py can put tops.load beside it in one process and one run.
#include <pybind11/pybind11.h>

#include <chrono>
#include <string>

#include "tops/profile.h"
#include "tops/read.h"

namespace {

// Seconds of one ReadModel(path) + ProfileModel(model), the work of `tops profile` without
// writing; the MAC total is returned too so the call cannot be optimised away.
pybind11::tuple LoadSeconds(const std::string& path) {
  const auto start = std::chrono::steady_clock::now();
  const tops::Model model = tops::ReadModel(path);
  const tops::Profile profile = tops::ProfileModel(model);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  return pybind11::make_tuple(took.count(), profile.totals.macs);
}

}  // namespace

PYBIND11_MODULE(_tops_bench, m) {
  m.def("load_seconds", &LoadSeconds, pybind11::arg("path"),
        pybind11::call_guard<pybind11::gil_scoped_release>());
}
