// The extension module tops._tops: the library's entry points and result types for the Python
// package (python/tops). The Python layer turns keyword arguments into the CLI's option strings;
// everything here calls the public library and renders through output.h.
//
// Errors: every tops::Error leaves as one of the Python classes of tops/_errors.py, chosen by the
// stage that threw it (reading the model, parsing an option, loading a chip file, finding a chip,
// the analysis), with the library's message unchanged.
#pragma once

#include <pybind11/pybind11.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "output.h"
#include "tops/chip.h"
#include "tops/error.h"
#include "tops/graph.h"
#include "tops/profile.h"

namespace tops::python {

namespace py = pybind11;

enum class Stage { kModel, kOption, kCatalog, kChip, kAnalysis };

// A tops::Error caught at a known stage; translated to the matching Python class.
struct StageError {
  Stage stage;
  std::string message;
};

// Runs f, turning a tops::Error into a StageError of the stage.
template <typename F>
auto At(Stage stage, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Error& e) {
    throw StageError{stage, e.what()};
  }
}

// A profile with the model it was computed from and the options it was computed with, so that
// fit, rank, what-if and report can analyse the same model again under their policy.
struct PyProfile {
  std::shared_ptr<const Model> model;
  std::string label;
  ProfileOptions options;
  Profile profile;
};

// A model argument: a path (read by the workload itself), bytes already read, or a profile.
struct Source {
  std::string label;
  std::string path;                    // set for a path
  std::shared_ptr<const Model> model;  // set for bytes and profiles
  ProfileOptions options;              // a profile's own options
};

// The option strings of the CLI (--input, --dim, --value) as ProfileOptions.
ProfileOptions ParseProfileOptions(const std::vector<std::string>& inputs,
                                   const std::vector<std::string>& dims,
                                   const std::vector<std::string>& values);
// Reads a model argument (str path, bytes-like, or Profile); `label` names bytes in messages.
Source ToSource(py::handle obj, const std::string& label, bool read_path);
// options + extra, extra winning where both bind the same name.
ProfileOptions Merge(ProfileOptions options, const ProfileOptions& extra);
std::optional<Precision> AskedPrecision(const std::optional<std::string>& name);
Catalog LoadCatalog(const std::vector<std::string>& files);

// A `_render(format)` method on a bound result: what `get` returns of it (default the object)
// in one of the CLI's formats, through the writers (output.h).
template <typename Class, typename Get>
void AddRender(Class& cls, Get get) {
  cls.def("_render", [get](const typename Class::type& r, const std::string& format) {
    const Format f = At(Stage::kOption, [&] { return ParseFormat(format); });
    py::gil_scoped_release release;
    return Render(get(r), f);
  });
}
template <typename Class>
void AddRender(Class& cls) {
  AddRender(cls, [](const typename Class::type& r) -> const typename Class::type& { return r; });
}

// Module parts (results.cc, hardware.cc, llm.cc).
void BindResults(py::module_& m);
void BindHardware(py::module_& m);
void BindLlm(py::module_& m);

}  // namespace tops::python
