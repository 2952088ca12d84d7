// The chip catalog: chips with every figure's source (bindings.h).
#include <pybind11/stl.h>

#include <memory>

#include "bindings.h"
#include "output.h"
#include "tops/chip.h"
#include "tops/error.h"
#include "tops/whatif.h"

namespace tops::python {
namespace {

struct PyCatalog {
  std::shared_ptr<const Catalog> catalog;
};

// One chip with the catalog that holds it (its family lives there too).
struct PyChipSheet {
  std::shared_ptr<const Catalog> catalog;
  const Chip* chip = nullptr;
};

std::optional<double> PeakOf(const Chip& c, const std::string& precision, bool sparse) {
  const std::optional<Precision> p = AskedPrecision(precision);
  const auto it = c.peaks.find(*p);
  if (it == c.peaks.end()) return std::nullopt;
  return sparse ? it->second.sparse.value : it->second.dense.value;
}

}  // namespace

void BindHardware(py::module_& m) {
  py::class_<Figure>(m, "Figure", "A catalog figure with its status and source.")
      .def_readonly("value", &Figure::value)
      .def_property_readonly("status", [](const Figure& f) { return FigureStatusName(f.status); })
      .def_readonly("source", &Figure::source)
      .def_readonly("how", &Figure::how)
      .def_readonly("note", &Figure::note)
      .def("__repr__", [](const Figure& f) {
        return "Figure(value=" + std::string(py::repr(py::cast(f.value))) + ", status='" +
               std::string(FigureStatusName(f.status)) + "')";
      });

  py::class_<Peak>(m, "Peak", "Peak throughput at one precision, in TOPS (10^12 ops/s).")
      .def_readonly("dense", &Peak::dense)
      .def_readonly("sparse", &Peak::sparse)
      .def_readonly("sparsity", &Peak::sparsity)
      .def_readonly("covers", &Peak::covers)
      .def_readonly("single_inference", &Peak::single_inference);

  py::class_<Chip>(m, "Chip", "A chip of the catalog.")
      .def_readonly("id", &Chip::id)
      .def_readonly("aliases", &Chip::aliases)
      .def_readonly("name", &Chip::name)
      .def_readonly("vendor", &Chip::vendor)
      .def_property_readonly("kind", [](const Chip& c) { return ChipKindName(c.kind); })
      .def_readonly("family", &Chip::family)
      .def_property_readonly("peaks",
                             [](const Chip& c) {
                               std::map<std::string, Peak> out;
                               for (const auto& [p, peak] : c.peaks) {
                                 out.emplace(PrecisionName(p), peak);
                               }
                               return out;
                             })
      .def("peak_tops", &PeakOf, py::arg("precision") = "int8", py::arg("sparse") = false,
           "Dense (or sparse) peak at a precision, None when the catalog has none.")
      .def_readonly("cores", &Chip::cores)
      .def_readonly("memory_bandwidth_gbs", &Chip::memory_bandwidth_gbs)
      .def_readonly("on_chip_memory_mb", &Chip::on_chip_memory_mb)
      .def_readonly("memory_gb", &Chip::memory_gb)
      .def_property_readonly("power_modes_w", [](const Chip& c) { return c.power_modes_w.values; })
      .def_readonly("source", &Chip::source)
      .def_readonly("notes", &Chip::notes)
      .def("__repr__", [](const Chip& c) { return "<tops.Chip " + c.id + ": " + c.name + ">"; });

  py::class_<PyChipSheet, std::shared_ptr<PyChipSheet>>(m, "_ChipSheet")
      .def_property_readonly(
          "chip", [](const PyChipSheet& s) -> const Chip& { return *s.chip; },
          py::return_value_policy::reference_internal)
      .def("_render", [](const PyChipSheet& s, const std::string& format) {
        const Format f = At(Stage::kOption, [&] { return ParseFormat(format); });
        return Render(*s.chip, s.catalog->FamilyOf(*s.chip), s.catalog->RuntimesOf(*s.chip), f);
      });

  py::class_<PyCatalog, std::shared_ptr<PyCatalog>>(m, "Catalog")
      .def_property_readonly(
          "chips",
          [](const PyCatalog& c) -> const std::vector<Chip>& { return c.catalog->chips(); },
          py::return_value_policy::reference_internal)
      .def(
          "get",
          [](const PyCatalog& c, const std::string& id) -> const Chip& {
            return At(Stage::kChip, [&]() -> const Chip& { return c.catalog->Get(id); });
          },
          py::arg("id"), py::return_value_policy::reference_internal,
          "A chip by id or alias (case-insensitive); ChipError when absent.")
      .def(
          "_sheet",
          [](const PyCatalog& c, const std::string& id) {
            auto s = std::make_shared<PyChipSheet>();
            s->catalog = c.catalog;
            s->chip = &At(Stage::kChip, [&]() -> const Chip& { return c.catalog->Get(id); });
            return s;
          },
          py::arg("id"))
      .def("_render", [](const PyCatalog& c, const std::string& format) {
        const Format f = At(Stage::kOption, [&] { return ParseFormat(format); });
        return Render(*c.catalog, f);
      });

  m.def(
      "catalog",
      [](const std::vector<std::string>& chip_files) {
        auto c = std::make_shared<PyCatalog>();
        c->catalog = std::make_shared<const Catalog>(LoadCatalog(chip_files));
        return c;
      },
      py::arg("chip_files"));

  m.def("scenarios", [] {
    std::vector<std::string> names;
    for (const Scenario& s : AllScenarios()) names.push_back(s.name);
    return names;
  });
  m.def("precisions", [] {
    std::vector<std::string> names;
    for (Precision p : AllPrecisions()) names.emplace_back(PrecisionName(p));
    return names;
  });
}

}  // namespace tops::python
