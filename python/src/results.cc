// require, fit, rank, whatif, compare and report: the workload built from Python's model
// arguments under the library's policy (Workload), and the typed results (bindings.h).
#include <pybind11/stl.h>

#include <memory>
#include <utility>

#include "bindings.h"
#include "output.h"
#include "tops/error.h"
#include "tops/fit.h"
#include "tops/report_data.h"
#include "tops/whatif.h"
#include "tops/workload.h"

namespace tops::python {
namespace {

using Strings = std::vector<std::string>;

// Profile options as the Python layer passes them: (inputs, dims, values) in the CLI's syntax.
struct Options {
  Strings inputs, dims, values;
  ProfileOptions Parse() const { return ParseProfileOptions(inputs, dims, values); }
};

// `models`: a list of (model, label, fps or None) tuples from the Python layer. Every model is
// read here (so that a read error is a ModelError) and then loaded by the library's Workload:
// one batch policy and one precision policy for every entry point.
struct Loaded {
  Workload workload;
  ProfileOptions options;  // what every model was profiled with (before the batch policy)
};
Loaded LoadWorkload(const py::list& models, const Options& options, double fps) {
  const ProfileOptions given = options.Parse();
  ProfileOptions merged;
  std::vector<WorkloadSpec> specs;
  for (py::handle item : models) {
    const auto t = py::reinterpret_borrow<py::tuple>(item);
    Source s = ToSource(t[0], t[1].cast<std::string>(), true);
    WorkloadSpec spec;
    spec.path = s.label;
    spec.model = s.model;
    if (!t[2].is_none()) spec.fps = t[2].cast<double>();
    specs.push_back(std::move(spec));
    merged = Merge(std::move(merged), s.options);
  }
  merged = Merge(std::move(merged), given);
  py::gil_scoped_release release;
  Workload w = At(Stage::kAnalysis, [&] { return Workload::Load(specs, merged, fps); });
  return Loaded{std::move(w), std::move(merged)};
}

struct PyRank {
  std::shared_ptr<const Catalog> catalog;  // the rows point at its chips
  RankResult result;
};

struct PyReport {
  Report report;
};

std::vector<std::string> MissingTexts(const std::vector<MissingFigure>& m) { return Texts(m); }

// A bound of the likely range, None where the figures have no band (the C++ keeps 0 there).
std::optional<double> Banded(double v) {
  if (v > 0) return v;
  return std::nullopt;
}

void BindFitTypes(py::module_& m) {
  py::class_<ModelDemand>(m, "ModelDemand", "One model's demand at its frame rate.")
      .def_readonly("label", &ModelDemand::label)
      .def_readonly("fps", &ModelDemand::fps)
      .def_readonly("macs", &ModelDemand::macs)
      .def_readonly("other_ops", &ModelDemand::other_ops)
      .def_readonly("ops_per_frame", &ModelDemand::ops_per_frame)
      .def_readonly("weight_elems", &ModelDemand::weight_elems)
      .def_readonly("activation_elems", &ModelDemand::activation_elems);

  py::class_<PrecisionRequirement>(m, "PrecisionRequirement",
                                   "TOPS and bandwidth at one precision.")
      .def_property_readonly(
          "precision", [](const PrecisionRequirement& r) { return PrecisionName(r.precision); })
      .def_readonly("article_factor", &PrecisionRequirement::article_factor)
      .def_readonly("int8_equivalent_tops", &PrecisionRequirement::int8_equivalent_tops)
      .def_readonly("own_tops", &PrecisionRequirement::own_tops)
      .def_property_readonly(
          "weight_gbs",
          [](const PrecisionRequirement& r) { return r.weight_bytes_per_second / 1e9; })
      .def_property_readonly("all_dram_gbs", [](const PrecisionRequirement& r) {
        return r.all_dram_bytes_per_second / 1e9;
      });

  py::class_<Requirement> req(m, "Requirement");
  req.def_readonly("models", &Requirement::models)
      .def_readonly("ops_per_second", &Requirement::ops_per_second)
      .def_readonly("precisions", &Requirement::precisions);
  AddRender(req);

  py::class_<LayerEstimate>(m, "LayerEstimate", "One layer's roofline time on the chip.")
      .def_readonly("model", &LayerEstimate::model)
      .def_readonly("index", &LayerEstimate::index)
      .def_readonly("node", &LayerEstimate::node)
      .def_readonly("op", &LayerEstimate::op)
      .def_property_readonly("op_class",
                             [](const LayerEstimate& l) { return OpClassName(l.op_class); })
      .def_readonly("ops", &LayerEstimate::ops)
      .def_readonly("dram_bytes", &LayerEstimate::dram_bytes)
      .def_readonly("compute_ms", &LayerEstimate::compute_ms)
      .def_readonly("memory_ms", &LayerEstimate::memory_ms)
      .def_readonly("overhead_ms", &LayerEstimate::overhead_ms)
      .def_readonly("time_ms", &LayerEstimate::time_ms)
      .def_property_readonly("bound", [](const LayerEstimate& l) { return BoundName(l.bound); });

  py::class_<PredictionBand>(m, "PredictionBand",
                             "The family's leave-one-out band: measured / predicted latency.")
      .def_readonly("low", &PredictionBand::low)
      .def_readonly("high", &PredictionBand::high)
      .def_readonly("rows", &PredictionBand::rows)
      .def_readonly("scope", &PredictionBand::scope)
      .def_property_readonly("known", &PredictionBand::known);

  py::class_<ModelPrediction>(m, "ModelPrediction", "One model's predicted latency on the chip.")
      .def_readonly("label", &ModelPrediction::label)
      .def_readonly("fps_requested", &ModelPrediction::fps_requested)
      .def_readonly("latency_ms", &ModelPrediction::latency_ms)
      .def_property_readonly("latency_low_ms",
                             [](const ModelPrediction& p) { return Banded(p.latency_low_ms); })
      .def_property_readonly("latency_high_ms",
                             [](const ModelPrediction& p) { return Banded(p.latency_high_ms); })
      .def_readonly("fps", &ModelPrediction::fps)
      .def_readonly("load", &ModelPrediction::load)
      .def_readonly("compute_ms", &ModelPrediction::compute_ms)
      .def_readonly("memory_ms", &ModelPrediction::memory_ms)
      .def_readonly("overhead_ms", &ModelPrediction::overhead_ms)
      .def_readonly("dram_bytes", &ModelPrediction::dram_bytes)
      .def_readonly("weights_on_chip", &ModelPrediction::weights_on_chip)
      .def_readonly("layers", &ModelPrediction::layers)
      .def_readonly("skipped_nodes", &ModelPrediction::skipped_nodes)
      .def_readonly("top_layers", &ModelPrediction::top_layers);

  py::class_<Prediction>(m, "Prediction", "The per-layer roofline prediction.")
      .def_readonly("available", &Prediction::available)
      .def_property_readonly("missing", [](const Prediction& p) { return MissingTexts(p.missing); })
      .def_property_readonly("caveats", [](const Prediction& p) { return Texts(p.caveats); })
      .def_readonly("peak_tops", &Prediction::peak_tops)
      .def_readonly("latency_ms", &Prediction::latency_ms)
      .def_readonly("fps", &Prediction::fps)
      .def_property_readonly("latency_low_ms",
                             [](const Prediction& p) { return Banded(p.latency_low_ms); })
      .def_property_readonly("latency_high_ms",
                             [](const Prediction& p) { return Banded(p.latency_high_ms); })
      .def_property_readonly("fps_low", [](const Prediction& p) { return Banded(p.fps_low); })
      .def_property_readonly("fps_high", [](const Prediction& p) { return Banded(p.fps_high); })
      .def_readonly("band", &Prediction::band)
      .def_readonly("utilization", &Prediction::utilization)
      .def_property_readonly("bound", [](const Prediction& p) { return BoundName(p.bound); })
      .def_readonly("load", &Prediction::load)
      .def_readonly("fits", &Prediction::fits)
      .def_readonly("bandwidth_gbs", &Prediction::bandwidth_gbs)
      .def_readonly("power_w", &Prediction::power_w)
      .def_readonly("peaks_from_higher_mode", &Prediction::peaks_from_higher_mode)
      .def_readonly("energy_mj", &Prediction::energy_mj)
      .def_readonly("fps_per_watt", &Prediction::fps_per_watt)
      .def_readonly("tops_per_watt", &Prediction::tops_per_watt)
      .def_readonly("achieved_tops_per_watt", &Prediction::achieved_tops_per_watt)
      .def_readonly("models", &Prediction::models);

  py::class_<FitResult> fit(m, "FitResult");
  fit.def_readonly("chip_id", &FitResult::chip_id)
      .def_readonly("chip_name", &FitResult::chip_name)
      .def_property_readonly("precision",
                             [](const FitResult& r) { return PrecisionName(r.precision); })
      .def_property_readonly(
          "precision_source",
          [](const FitResult& r) { return PrecisionSourceName(r.precision_source); })
      .def_readonly("utilization", &FitResult::utilization)
      .def_property_readonly("convention",
                             [](const FitResult& r) { return ArticleConventionName(r.convention); })
      .def_readonly("chip_tops", &FitResult::chip_tops)
      .def_readonly("required_tops", &FitResult::required_tops)
      .def_readonly("effective_tops", &FitResult::effective_tops)
      .def_readonly("is_sufficient", &FitResult::is_sufficient)
      .def_readonly("margin", &FitResult::margin)
      .def_property_readonly("missing", [](const FitResult& r) { return MissingTexts(r.missing); })
      .def_readonly("predicted", &FitResult::predicted)
      .def_readonly("fits", &FitResult::fits)
      .def_property_readonly("verdict_basis",
                             [](const FitResult& r) { return VerdictBasisName(r.verdict_basis); });
  AddRender(fit);

  py::class_<RankRow>(m, "RankRow", "One chip of the ranking with its fit.")
      .def_property_readonly(
          "chip", [](const RankRow& r) -> const Chip& { return *r.chip; },
          py::return_value_policy::reference_internal)
      .def_readonly("fit", &RankRow::fit);
  py::class_<RankExclusion>(m, "RankExclusion", "A chip left out of the ranking, and why.")
      .def_readonly("chip_id", &RankExclusion::chip_id)
      .def_readonly("reason", &RankExclusion::reason);
  py::class_<PyRank, std::shared_ptr<PyRank>> rank(m, "RankResult");
  rank.def_property_readonly("precision",
                             [](const PyRank& r) { return PrecisionName(r.result.precision); })
      .def_property_readonly(
          "precision_source",
          [](const PyRank& r) { return PrecisionSourceName(r.result.precision_source); })
      .def_property_readonly("precision_note",
                             [](const PyRank& r) { return r.result.precision_note; })
      .def_property_readonly(
          "rows", [](const PyRank& r) -> const std::vector<RankRow>& { return r.result.rows; },
          py::return_value_policy::reference_internal)
      .def_property_readonly("excluded", [](const PyRank& r) { return r.result.excluded; });
  AddRender(rank, [](const PyRank& r) -> const RankResult& { return r.result; });
}

void BindWhatifTypes(py::module_& m) {
  py::class_<ScenarioResult>(m, "ScenarioResult", "One what-if scenario on the chip.")
      .def_property_readonly("scenario", [](const ScenarioResult& r) { return r.scenario.name; })
      .def_property_readonly(
          "kind", [](const ScenarioResult& r) { return ScenarioKindName(r.scenario.kind); })
      .def_property_readonly("precision",
                             [](const ScenarioResult& r) { return PrecisionName(r.precision); })
      .def_readonly("effect", &ScenarioResult::effect)
      .def_readonly("method", &ScenarioResult::method)
      .def_readonly("macs", &ScenarioResult::macs)
      .def_readonly("nonzero_params", &ScenarioResult::nonzero_params)
      .def_readonly("weight_bytes", &ScenarioResult::weight_bytes)
      .def_readonly("required_tops", &ScenarioResult::required_tops)
      .def_readonly("peak_tops", &ScenarioResult::peak_tops)
      .def_readonly("roofline_peak_tops", &ScenarioResult::roofline_peak_tops)
      .def_readonly("latency_ms", &ScenarioResult::latency_ms)
      .def_readonly("fps", &ScenarioResult::fps)
      .def_readonly("latency_low_ms", &ScenarioResult::latency_low_ms)
      .def_readonly("latency_high_ms", &ScenarioResult::latency_high_ms)
      .def_readonly("fps_low", &ScenarioResult::fps_low)
      .def_readonly("fps_high", &ScenarioResult::fps_high)
      .def_readonly("band", &ScenarioResult::band)
      .def_readonly("bandwidth_gbs", &ScenarioResult::bandwidth_gbs)
      .def_property_readonly("bound",
                             [](const ScenarioResult& r) -> std::optional<std::string_view> {
                               if (!r.bound) return std::nullopt;
                               return BoundName(*r.bound);
                             })
      .def_readonly("fits", &ScenarioResult::fits)
      .def_property_readonly(
          "verdict_basis",
          [](const ScenarioResult& r) { return VerdictBasisName(r.verdict_basis); })
      .def_property_readonly("missing",
                             [](const ScenarioResult& r) { return MissingTexts(r.missing); })
      .def_readonly("notes", &ScenarioResult::notes);

  py::class_<WhatifResult> wi(m, "WhatifResult");
  wi.def_readonly("model", &WhatifResult::model)
      .def_readonly("chip_id", &WhatifResult::chip_id)
      .def_readonly("chip_name", &WhatifResult::chip_name)
      .def_readonly("fps", &WhatifResult::fps)
      .def_property_readonly("precision",
                             [](const WhatifResult& r) { return PrecisionName(r.precision); })
      .def_property_readonly(
          "precision_source",
          [](const WhatifResult& r) { return PrecisionSourceName(r.precision_source); })
      .def_readonly("quant", &WhatifResult::quant)
      .def_readonly("batch_symbol", &WhatifResult::batch_symbol)
      .def_readonly("notes", &WhatifResult::notes)
      .def_readonly("rows", &WhatifResult::rows);
  AddRender(wi);

  py::class_<CompareRow>(m, "CompareRow", "One model of a comparison, fitted to the chip.")
      .def_readonly("label", &CompareRow::label)
      .def_property_readonly("precision",
                             [](const CompareRow& r) { return PrecisionName(r.precision); })
      .def_property_readonly(
          "precision_source",
          [](const CompareRow& r) { return PrecisionSourceName(r.precision_source); })
      .def_readonly("params", &CompareRow::params)
      .def_readonly("macs", &CompareRow::macs)
      .def_readonly("flops", &CompareRow::flops)
      .def_readonly("weight_bytes", &CompareRow::weight_bytes)
      .def_readonly("nodes_without_cost", &CompareRow::nodes_without_cost)
      .def_readonly("required_tops", &CompareRow::required_tops)
      .def_readonly("fit", &CompareRow::fit)
      .def_readonly("notes", &CompareRow::notes);

  py::class_<CompareResult> cmp(m, "CompareResult");
  cmp.def_readonly("chip_id", &CompareResult::chip_id)
      .def_readonly("chip_name", &CompareResult::chip_name)
      .def_readonly("fps", &CompareResult::fps)
      .def_readonly("rows", &CompareResult::rows)
      .def_readonly("notes", &CompareResult::notes)
      .def_readonly("best", &CompareResult::best);
  AddRender(cmp);

  py::class_<ChipReport>(m, "ChipReport", "One chip of a report: its fit and its roofline.")
      .def_readonly("vendor", &ChipReport::vendor)
      .def_property_readonly("kind", [](const ChipReport& c) { return ChipKindName(c.kind); })
      .def_readonly("fit", &ChipReport::fit)
      .def_readonly("roof_tops", &ChipReport::roof_tops)
      .def_readonly("bandwidth_gbs", &ChipReport::bandwidth_gbs)
      .def_readonly("ridge_intensity", &ChipReport::ridge_intensity);

  py::class_<PyReport, std::shared_ptr<PyReport>>(m, "Report", py::dynamic_attr())
      .def_property_readonly("label", [](const PyReport& r) { return r.report.label; })
      .def_property_readonly("fps", [](const PyReport& r) { return r.report.fps; })
      .def_property_readonly("precision",
                             [](const PyReport& r) { return PrecisionName(r.report.precision); })
      .def_property_readonly("chip_choice",
                             [](const PyReport& r) {
                               return r.report.chip_choice == ChipChoice::kGiven ? "given"
                                                                                 : "ranked";
                             })
      .def_property_readonly(
          "requirement",
          [](const PyReport& r) -> const Requirement& { return r.report.requirement; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "chips",
          [](const PyReport& r) -> const std::vector<ChipReport>& { return r.report.chips; },
          py::return_value_policy::reference_internal)
      .def_property_readonly("whatif", [](const PyReport& r) { return r.report.whatif; })
      .def("_render", [](const PyReport& r, bool html) {
        py::gil_scoped_release release;
        return RenderReport(r.report, html);
      });
}

using OptDouble = std::optional<double>;
using OptString = std::optional<std::string>;

}  // namespace

void BindResults(py::module_& m) {
  BindFitTypes(m);
  BindWhatifTypes(m);

  m.def(
      "require",
      [](const py::list& models, double fps, const Options& o) {
        const Loaded loaded = LoadWorkload(models, o, fps);
        const Workload& w = loaded.workload;
        py::gil_scoped_release release;
        return At(Stage::kAnalysis, [&] { return Require(w.Loads()); });
      },
      py::arg("models"), py::arg("fps"), py::arg("options"));

  m.def(
      "fit",
      [](const py::list& models, const std::string& chip_id, const OptString& runtime, double fps,
         const OptString& precision, double utilization, OptDouble power, bool throughput, int top,
         const Options& o, const Strings& chip_files) {
        const std::optional<Precision> asked = AskedPrecision(precision);
        const Catalog catalog = LoadCatalog(chip_files);
        const Chip& chip = At(Stage::kChip, [&]() -> const Chip& { return catalog.Get(chip_id); });
        // A runtime without solved figures for this chip is an option the chip does not take.
        const Family& family = At(Stage::kOption, [&]() -> const Family& {
          return catalog.FamilyFor(chip, runtime.value_or(""));
        });
        const Loaded loaded = LoadWorkload(models, o, fps);
        const Workload& w = loaded.workload;
        py::gil_scoped_release release;
        return At(Stage::kAnalysis, [&] {
          FitOptions fo;
          fo.utilization = utilization;
          fo.power_w = power;
          fo.throughput = throughput;
          fo.top_layers = top;
          fo.precision = w.Precision(asked);
          return Fit(w.Loads(), chip, family, fo);
        });
      },
      py::arg("models"), py::arg("chip"), py::arg("runtime"), py::arg("fps"), py::arg("precision"),
      py::arg("utilization"), py::arg("power"), py::arg("throughput"), py::arg("top"),
      py::arg("options"), py::arg("chip_files"));

  m.def(
      "rank",
      [](const py::list& models, double fps, const OptString& precision, double utilization,
         OptDouble max_watts, bool throughput, const Options& o, const Strings& chip_files) {
        const std::optional<Precision> asked = AskedPrecision(precision);
        if (max_watts && !(*max_watts > 0)) {
          throw StageError{Stage::kOption, "max_watts must be positive"};
        }
        auto r = std::make_shared<PyRank>();
        r->catalog = std::make_shared<const Catalog>(LoadCatalog(chip_files));
        const Loaded loaded = LoadWorkload(models, o, fps);
        const Workload& w = loaded.workload;
        py::gil_scoped_release release;
        r->result = At(Stage::kAnalysis, [&] {
          RankOptions ro;
          ro.fit.utilization = utilization;
          ro.fit.throughput = throughput;
          ro.fit.top_layers = 0;
          ro.max_watts = max_watts;
          ro.fit.precision = w.Precision(asked);
          return Rank(w.Loads(), *r->catalog, ro);
        });
        return r;
      },
      py::arg("models"), py::arg("fps"), py::arg("precision"), py::arg("utilization"),
      py::arg("max_watts"), py::arg("throughput"), py::arg("options"), py::arg("chip_files"));

  m.def(
      "whatif",
      [](py::handle model, const std::string& label, const std::string& chip_id, double fps,
         const OptString& precision, double utilization, const Strings& scenarios, const Options& o,
         const Strings& chip_files) {
        WhatifOptions wo;
        wo.fps = fps;
        wo.precision = AskedPrecision(precision);
        wo.utilization = utilization;
        wo.scenarios = scenarios;
        At(Stage::kOption, [&] {
          for (const auto& s : scenarios) FindScenario(s);
        });
        const ProfileOptions given = o.Parse();
        const Catalog catalog = LoadCatalog(chip_files);
        const Chip& chip = At(Stage::kChip, [&]() -> const Chip& { return catalog.Get(chip_id); });
        Source s = ToSource(model, label, true);
        wo.profile = Merge(s.options, given);
        py::gil_scoped_release release;
        return At(Stage::kAnalysis, [&] {
          WhatifResult r = WhatIf(*s.model, chip, catalog.FamilyOf(chip), wo);
          r.model = s.label;
          return r;
        });
      },
      py::arg("model"), py::arg("label"), py::arg("chip"), py::arg("fps"), py::arg("precision"),
      py::arg("utilization"), py::arg("scenarios"), py::arg("options"), py::arg("chip_files"));

  m.def(
      "compare",
      [](const py::list& models, const std::string& chip_id, double fps, const OptString& precision,
         double utilization, const Options& o, const Strings& chip_files) {
        CompareOptions co;
        co.fps = fps;
        co.precision = AskedPrecision(precision);
        co.utilization = utilization;
        const Catalog catalog = LoadCatalog(chip_files);
        const Chip& chip = At(Stage::kChip, [&]() -> const Chip& { return catalog.Get(chip_id); });
        const Loaded loaded = LoadWorkload(models, o, fps);
        const Workload& w = loaded.workload;
        py::gil_scoped_release release;
        return At(Stage::kAnalysis, [&] {
          std::vector<CompareInput> inputs;
          for (const auto& wm : w.models()) inputs.push_back(CompareInput{wm->label, &wm->profile});
          return Compare(inputs, chip, catalog.FamilyOf(chip), co);
        });
      },
      py::arg("models"), py::arg("chip"), py::arg("fps"), py::arg("precision"),
      py::arg("utilization"), py::arg("options"), py::arg("chip_files"));

  m.def(
      "report",
      [](py::handle model, const std::string& label, const Strings& chips, double fps,
         const OptString& precision, double utilization, size_t top, bool whatif, const Options& o,
         const Strings& chip_files) {
        ReportOptions ro;
        ro.precision = AskedPrecision(precision);
        ro.chips = chips;
        ro.fps = fps;
        ro.utilization = utilization;
        ro.top = top;
        const Catalog catalog = LoadCatalog(chip_files);
        for (const auto& c : chips) {
          At(Stage::kChip, [&] { catalog.Get(c); });
        }
        py::list models;
        models.append(py::make_tuple(model, label, fps));
        const Loaded loaded = LoadWorkload(models, o, fps);
        const Workload& w = loaded.workload;
        const WorkloadModel& wm = *w.models()[0];
        ro.label = wm.label;
        ro.profile = loaded.options;
        if (whatif) ro.model = &wm.model;
        auto r = std::make_shared<PyReport>();
        py::gil_scoped_release release;
        r->report = At(Stage::kAnalysis, [&] { return BuildReport(wm.profile, catalog, ro); });
        return r;
      },
      py::arg("model"), py::arg("label"), py::arg("chips"), py::arg("fps"), py::arg("precision"),
      py::arg("utilization"), py::arg("top"), py::arg("whatif"), py::arg("options"),
      py::arg("chip_files"));

  py::class_<Options>(m, "ProfileOptions", "--input, --dim and --value strings, as the CLI's.")
      .def(py::init([](Strings inputs, Strings dims, Strings values) {
             return Options{std::move(inputs), std::move(dims), std::move(values)};
           }),
           py::arg("inputs"), py::arg("dims"), py::arg("values"));
}

}  // namespace tops::python
