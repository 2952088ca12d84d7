// tops._tops: errors, models and profiles, the article's formulas (bindings.h).
#include <pybind11/stl.h>

#include <cmath>
#include <utility>

#include "bindings.h"
#include "output.h"
#include "tops/error.h"
#include "tops/fit.h"
#include "tops/formulas.h"
#include "tops/read.h"
#include "tops/version.h"
#include "tops/workload.h"

namespace tops::python {

ProfileOptions ParseProfileOptions(const std::vector<std::string>& inputs,
                                   const std::vector<std::string>& dims,
                                   const std::vector<std::string>& values) {
  return At(Stage::kOption, [&] {
    ProfileOptions po;
    for (const auto& s : inputs) {
      auto [name, shape] = ParseInputShapeOption(s);
      po.input_shapes.insert_or_assign(name, std::move(shape));
    }
    for (const auto& s : dims) {
      auto [name, value] = ParseDimOption(s);
      po.dims.insert_or_assign(name, value);
    }
    for (const auto& s : values) {
      auto [name, v] = ParseValueOption(s);
      po.input_values.insert_or_assign(name, std::move(v));
    }
    return po;
  });
}

ProfileOptions Merge(ProfileOptions options, const ProfileOptions& extra) {
  for (const auto& [k, v] : extra.input_shapes) options.input_shapes.insert_or_assign(k, v);
  for (const auto& [k, v] : extra.dims) options.dims.insert_or_assign(k, v);
  for (const auto& [k, v] : extra.input_values) options.input_values.insert_or_assign(k, v);
  return options;
}

Source ToSource(py::handle obj, const std::string& label, bool read_path) {
  Source s;
  if (py::isinstance<PyProfile>(obj)) {
    const auto& p = obj.cast<const PyProfile&>();
    s.label = label.empty() ? p.label : label;
    s.model = p.model;
    s.options = p.options;
    return s;
  }
  if (py::isinstance<py::str>(obj)) {
    s.path = obj.cast<std::string>();
    s.label = label.empty() ? s.path : label;
    if (read_path) {
      py::gil_scoped_release release;
      s.model = At(Stage::kModel, [&] { return std::make_shared<const Model>(ReadModel(s.path)); });
    }
    return s;
  }
  if (PyObject_CheckBuffer(obj.ptr())) {
    // The buffer stays valid while `view` holds it; the reader copies what it keeps.
    py::buffer_info view = py::reinterpret_borrow<py::buffer>(obj).request();
    const std::string_view bytes(static_cast<const char*>(view.ptr),
                                 static_cast<size_t>(view.size * view.itemsize));
    s.label = label.empty() ? "<memory>" : label;
    py::gil_scoped_release release;
    s.model = At(Stage::kModel,
                 [&] { return std::make_shared<const Model>(ReadModelBytes(bytes, s.label)); });
    return s;
  }
  throw py::type_error(
      "a model is a path (str or os.PathLike), bytes of a model file, or a "
      "tops.Profile; got " +
      std::string(py::str(obj.get_type().attr("__name__"))));
}

std::optional<Precision> AskedPrecision(const std::optional<std::string>& name) {
  if (!name) return std::nullopt;
  return At(Stage::kOption, [&] { return PrecisionNamed(*name); });
}

Catalog LoadCatalog(const std::vector<std::string>& files) {
  Catalog catalog = Catalog::Builtin();
  At(Stage::kCatalog, [&] {
    for (const auto& f : files) catalog.LoadFile(f);
  });
  return catalog;
}

namespace {

py::object DimObject(const Dim& d) {
  if (d.known()) return py::int_(d.value);
  if (d.symbolic()) return py::str(d.symbol);
  return py::none();
}

py::object ShapeObject(const Shape& s) {
  if (!s.rank_known) return py::none();
  py::tuple t(s.dims.size());
  for (size_t i = 0; i < s.dims.size(); ++i) t[i] = DimObject(s.dims[i]);
  return t;
}

Format FormatNamed(const std::string& name) {
  return At(Stage::kOption, [&] { return ParseFormat(name); });
}

std::shared_ptr<PyProfile> Load(py::handle source, const std::string& label,
                                const std::vector<std::string>& inputs,
                                const std::vector<std::string>& dims,
                                const std::vector<std::string>& values) {
  const ProfileOptions given = ParseProfileOptions(inputs, dims, values);
  Source s = ToSource(source, label, true);
  auto p = std::make_shared<PyProfile>();
  p->model = s.model;
  p->label = s.label;
  p->options = Merge(s.options, given);
  py::gil_scoped_release release;
  p->profile = At(Stage::kAnalysis, [&] { return ProfileModel(*p->model, p->options); });
  return p;
}

ProfileView View(const Profile& profile, std::optional<size_t> top, const std::string& group_by) {
  ProfileView view;
  if (top) {
    view.rows = HeaviestNodes(profile, *top);
    view.limited = true;
  }
  if (!group_by.empty()) {
    if (group_by != "op") {
      throw StageError{Stage::kOption, "group_by accepts only 'op', got '" + group_by + "'"};
    }
    view.groups = GroupByOp(profile);
    view.grouped = true;
  }
  return view;
}

struct PySweep {
  std::shared_ptr<const Model> model;
  std::string label;
  ProfileOptions options;
  Sweep sweep;
};

void BindProfile(py::module_& m) {
  py::class_<OutputInfo>(m, "TensorInfo", "A graph input or a node output: name, dtype, shape.")
      .def_readonly("name", &OutputInfo::name)
      .def_property_readonly("dtype",
                             [](const OutputInfo& o) { return std::string(DTypeName(o.dtype)); })
      .def_property_readonly("shape", [](const OutputInfo& o) { return ShapeObject(o.shape); })
      .def("__repr__", [](const OutputInfo& o) {
        return "TensorInfo(name=" + std::string(py::repr(py::str(o.name))) + ", dtype='" +
               std::string(DTypeName(o.dtype)) +
               "', shape=" + std::string(py::repr(ShapeObject(o.shape))) + ")";
      });

  py::class_<NodeProfile>(m, "Layer", "One node of the graph with its cost (None: unknown).")
      .def_property_readonly("index", [](const NodeProfile& n) { return n.id.index; })
      .def_property_readonly("graph", [](const NodeProfile& n) { return n.id.path; })
      .def_readonly("name", &NodeProfile::name)
      .def_readonly("op", &NodeProfile::op)
      .def_readonly("domain", &NodeProfile::domain)
      .def_readonly("outputs", &NodeProfile::outputs)
      .def_readonly("params", &NodeProfile::params)
      .def_readonly("macs", &NodeProfile::macs)
      .def_readonly("other_ops", &NodeProfile::other_ops)
      .def_property_readonly("flops", &NodeProfile::flops)
      .def_readonly("bytes_read", &NodeProfile::bytes_read)
      .def_readonly("bytes_written", &NodeProfile::bytes_written)
      .def_readonly("has_formula", &NodeProfile::has_formula)
      .def_property_readonly("group",
                             [](const NodeProfile& n) -> std::optional<int64_t> {
                               if (!n.conv) return std::nullopt;
                               return n.conv->group;
                             })
      .def_property_readonly("depthwise",
                             [](const NodeProfile& n) { return n.conv && n.conv->depthwise(); });

  py::class_<Totals>(m, "Totals", "Sums over the nodes whose cost is known.")
      .def_readonly("params", &Totals::params)
      .def_readonly("macs", &Totals::macs)
      .def_readonly("other_ops", &Totals::other_ops)
      .def_readonly("flops", &Totals::flops)
      .def_readonly("weight_bytes", &Totals::weight_bytes)
      .def_readonly("activation_bytes", &Totals::activation_bytes)
      .def_readonly("peak_activation_bytes", &Totals::peak_activation_bytes)
      .def_readonly("nodes_without_cost", &Totals::nodes_without_cost);

  py::class_<UnsupportedOp>(m, "UnsupportedOp",
                            "An op type without a cost formula, with its count.")
      .def_readonly("op", &UnsupportedOp::op)
      .def_readonly("count", &UnsupportedOp::count)
      .def("__repr__", [](const UnsupportedOp& u) {
        return "UnsupportedOp(op='" + u.op + "', count=" + std::to_string(u.count) + ")";
      });

  py::class_<Diagnostic>(m, "Diagnostic", "Something the profile could not do, and why.")
      .def_readonly("node", &Diagnostic::node)
      .def_readonly("message", &Diagnostic::message)
      .def_property_readonly("kind",
                             [](const Diagnostic& d) {
                               switch (d.kind) {
                                 case DiagnosticKind::kUnboundDim:
                                   return "unbound_dim";
                                 case DiagnosticKind::kShapeLost:
                                   return "shape_lost";
                                 case DiagnosticKind::kDataDependentDim:
                                   return "data_dependent_dim";
                                 case DiagnosticKind::kOther:
                                   break;
                               }
                               return "other";
                             })
      .def_readonly("subject", &Diagnostic::subject)
      .def_readonly("nodes", &Diagnostic::nodes)
      .def_readonly("resolve", &Diagnostic::resolve)
      .def("__repr__", [](const Diagnostic& d) {
        return "Diagnostic(" + std::string(py::repr(py::str(d.node))) + ", " +
               std::string(py::repr(py::str(d.message))) + ")";
      });

  py::class_<QuantInfo>(m, "QuantInfo", "The precision the graph fixes, if any, and why.")
      .def_readonly("quantized", &QuantInfo::quantized)
      .def_property_readonly("precision",
                             [](const QuantInfo& q) -> std::optional<std::string> {
                               if (!q.precision) return std::nullopt;
                               return std::string(PrecisionName(*q.precision));
                             })
      .def_readonly("evidence", &QuantInfo::evidence);

  py::class_<OpGroup>(m, "OpGroup", "One op type's count and sums (group_by='op').")
      .def_readonly("op", &OpGroup::op)
      .def_readonly("count", &OpGroup::count)
      .def_readonly("params", &OpGroup::params)
      .def_readonly("macs", &OpGroup::macs)
      .def_readonly("flops", &OpGroup::flops)
      .def_readonly("nodes_without_cost", &OpGroup::nodes_without_cost);

  py::class_<TensorData>(m, "Initializer", "A weight tensor as stored in the file (no payload).")
      .def_readonly("name", &TensorData::name)
      .def_property_readonly("dtype",
                             [](const TensorData& t) { return std::string(DTypeName(t.dtype)); })
      .def_property_readonly("shape",
                             [](const TensorData& t) {
                               py::tuple s(t.dims.size());
                               for (size_t i = 0; i < t.dims.size(); ++i) s[i] = t.dims[i];
                               return s;
                             })
      .def_readonly("elems", &TensorData::elems);

  py::class_<Node>(m, "Node", "A node of the main graph as read: op type, inputs, outputs.")
      .def_readonly("name", &Node::name)
      .def_readonly("op", &Node::op_type)
      .def_readonly("domain", &Node::domain)
      .def_readonly("inputs", &Node::inputs)
      .def_readonly("outputs", &Node::outputs);

  py::class_<PyProfile, std::shared_ptr<PyProfile>>(m, "Profile", py::dynamic_attr())
      .def_readonly("label", &PyProfile::label)
      .def_property_readonly("path", [](const PyProfile& p) { return p.profile.model.path; })
      .def_property_readonly("format", [](const PyProfile& p) { return p.profile.model.format; })
      .def_property_readonly("producer",
                             [](const PyProfile& p) { return p.profile.model.producer; })
      .def_property_readonly("opsets",
                             [](const PyProfile& p) {
                               py::dict d;
                               for (const auto& o : p.profile.model.opsets) {
                                 d[py::str(o.domain)] = o.version;
                               }
                               return d;
                             })
      .def_property_readonly("node_count",
                             [](const PyProfile& p) { return p.profile.model.node_count; })
      .def_property_readonly("file_bytes",
                             [](const PyProfile& p) { return p.profile.model.file_bytes; })
      .def_property_readonly("inputs", [](const PyProfile& p) { return p.profile.model.inputs; })
      .def_property_readonly("outputs", [](const PyProfile& p) { return p.profile.model.outputs; })
      .def_property_readonly("bindings", [](const PyProfile& p) { return p.profile.bindings; })
      .def_property_readonly(
          "totals", [](const PyProfile& p) -> const Totals& { return p.profile.totals; },
          py::return_value_policy::reference_internal)
      .def_property_readonly("macs", [](const PyProfile& p) { return p.profile.totals.macs; })
      .def_property_readonly("params", [](const PyProfile& p) { return p.profile.totals.params; })
      .def_property_readonly("flops", [](const PyProfile& p) { return p.profile.totals.flops; })
      .def_property_readonly("_layers", [](const PyProfile& p) { return p.profile.nodes; })
      .def_property_readonly("unsupported",
                             [](const PyProfile& p) { return p.profile.unsupported; })
      .def_property_readonly("diagnostics",
                             [](const PyProfile& p) { return p.profile.diagnostics; })
      .def_property_readonly("quant", [](const PyProfile& p) { return p.profile.quant; })
      .def_property_readonly("conventions", [](const PyProfile&) { return CountingConventions(); })
      .def_property_readonly("initializers",
                             [](const PyProfile& p) { return p.model->graph.initializers; })
      .def_property_readonly("nodes", [](const PyProfile& p) { return p.model->graph.nodes; })
      .def(
          "heaviest",
          [](const PyProfile& p, size_t n) {
            std::vector<NodeProfile> rows;
            for (size_t i : HeaviestNodes(p.profile, n)) rows.push_back(p.profile.nodes[i]);
            return rows;
          },
          py::arg("n"))
      .def("group_by_op", [](const PyProfile& p) { return GroupByOp(p.profile); })
      .def(
          "_render",
          [](const PyProfile& p, const std::string& format, std::optional<size_t> top,
             const std::string& group_by) {
            const Format f = FormatNamed(format);
            const ProfileView view = View(p.profile, top, group_by);
            py::gil_scoped_release release;
            return Render(p.profile, view, f);
          },
          py::arg("format"), py::arg("top") = std::nullopt, py::arg("group_by") = "");

  py::class_<PySweep, std::shared_ptr<PySweep>>(m, "Sweep")
      .def_property_readonly("dim", [](const PySweep& s) { return s.sweep.dim; })
      .def_readonly("label", &PySweep::label)
      .def_property_readonly("points",
                             [](const PySweep& s) {
                               py::list points;
                               for (const SweepPoint& pt : s.sweep.points) {
                                 auto p = std::make_shared<PyProfile>();
                                 p->model = s.model;
                                 p->label = s.label;
                                 p->options = s.options;
                                 p->options.dims.insert_or_assign(s.sweep.dim, pt.value);
                                 p->profile = pt.profile;
                                 points.append(py::make_tuple(pt.value, p));
                               }
                               return points;
                             })
      .def("_render", [](const PySweep& s, const std::string& format) {
        const Format f = FormatNamed(format);
        py::gil_scoped_release release;
        return Render(s.sweep, f);
      });

  m.def("load", &Load, py::arg("source"), py::arg("label") = "",
        py::arg("inputs") = std::vector<std::string>{},
        py::arg("dims") = std::vector<std::string>{},
        py::arg("values") = std::vector<std::string>{});

  m.def(
      "sweep",
      [](py::handle source, const std::string& label, const std::vector<std::string>& inputs,
         const std::vector<std::string>& dims, const std::vector<std::string>& values,
         const std::string& spec) {
        const ProfileOptions given = ParseProfileOptions(inputs, dims, values);
        const auto [dim, points] = At(Stage::kOption, [&] { return ParseSweepOption(spec); });
        Source src = ToSource(source, label, true);
        auto s = std::make_shared<PySweep>();
        s->model = src.model;
        s->label = src.label;
        s->options = Merge(src.options, given);
        py::gil_scoped_release release;
        s->sweep =
            At(Stage::kAnalysis, [&] { return ProfileSweep(*s->model, s->options, dim, points); });
        return s;
      },
      py::arg("source"), py::arg("label"), py::arg("inputs"), py::arg("dims"), py::arg("values"),
      py::arg("spec"));
}

void BindArticle(py::module_& m) {
  py::class_<ArticleCheck>(m, "ArticleCheck", "The seed article's check_hardware answer.")
      .def_readonly("required_tops", &ArticleCheck::required_tops)
      .def_readonly("effective_tops", &ArticleCheck::effective_tops)
      .def_readonly("is_sufficient", &ArticleCheck::is_sufficient)
      .def_readonly("margin", &ArticleCheck::margin);
  m.def(
      "article_precision_factor",
      [](const std::string& precision) {
        return ArticlePrecisionFactor(*AskedPrecision(precision));
      },
      py::arg("precision"));
  m.def(
      "required_tops",
      [](double macs, double fps, double factor) {
        if (!(fps > 0) || !std::isfinite(fps)) {
          throw StageError{Stage::kOption, "the frame rate must be a positive number"};
        }
        return RequiredTops(macs, fps, factor);
      },
      py::arg("macs"), py::arg("fps"), py::arg("factor") = 1.0);
  m.def("check_hardware", &CheckHardware, py::arg("required_tops"), py::arg("chip_tops"),
        py::arg("utilization") = kArticleUtilization);
  m.attr("ARTICLE_UTILIZATION") = kArticleUtilization;
  m.attr("DEFAULT_FPS") = kDefaultFps;

  // Sizes that are not positive, or products past int64, are option errors.
  m.def(
      "conv2d_macs",
      [](int64_t cin, int64_t cout, int64_t kh, int64_t kw, int64_t oh, int64_t ow, int64_t groups,
         int64_t batch) {
        return At(Stage::kOption,
                  [&] { return Conv2dMacs(cin, cout, kh, kw, oh, ow, groups, batch); });
      },
      py::arg("cin"), py::arg("cout"), py::arg("kernel_h"), py::arg("kernel_w"), py::arg("out_h"),
      py::arg("out_w"), py::arg("groups") = 1, py::arg("batch") = 1);
  m.def(
      "depthwise_macs",
      [](int64_t c, int64_t kh, int64_t kw, int64_t oh, int64_t ow, int64_t batch) {
        return At(Stage::kOption, [&] { return DepthwiseMacs(c, kh, kw, oh, ow, batch); });
      },
      py::arg("channels"), py::arg("kernel_h"), py::arg("kernel_w"), py::arg("out_h"),
      py::arg("out_w"), py::arg("batch") = 1);
  m.def(
      "linear_macs",
      [](int64_t in, int64_t out, int64_t batch) {
        return At(Stage::kOption, [&] { return LinearMacs(in, out, batch); });
      },
      py::arg("in_features"), py::arg("out_features"), py::arg("batch") = 1);
  m.def(
      "matmul_macs",
      [](int64_t mm, int64_t k, int64_t n, int64_t batch) {
        return At(Stage::kOption, [&] { return MatMulMacs(mm, k, n, batch); });
      },
      py::arg("m"), py::arg("k"), py::arg("n"), py::arg("batch") = 1);
}

}  // namespace

PYBIND11_MODULE(_tops, m) {
  m.doc() = "tops' C++ library (libtops) for the Python package `tops`; use `import tops`.";

  // The exception classes live in tops/_errors.py so that they can derive from Python's own.
  const py::module_ errors = py::module_::import("tops._errors");
  // Held for the life of the process (never released: the translator may run until exit).
  static PyObject* base = nullptr;
  static PyObject* classes[5] = {};
  base = py::object(errors.attr("Error")).release().ptr();
  classes[static_cast<int>(Stage::kModel)] = py::object(errors.attr("ModelError")).release().ptr();
  classes[static_cast<int>(Stage::kOption)] =
      py::object(errors.attr("OptionError")).release().ptr();
  classes[static_cast<int>(Stage::kCatalog)] =
      py::object(errors.attr("CatalogError")).release().ptr();
  classes[static_cast<int>(Stage::kChip)] = py::object(errors.attr("ChipError")).release().ptr();
  classes[static_cast<int>(Stage::kAnalysis)] =
      py::object(errors.attr("AnalysisError")).release().ptr();
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const StageError& e) {
      PyErr_SetString(classes[static_cast<int>(e.stage)], e.message.c_str());
    } catch (const Error& e) {
      PyErr_SetString(base, e.what());
    }
  });

  const BuildInfo& info = GetBuildInfo();
  m.attr("__version__") = info.version;
  m.def("build_info", [] {
    const BuildInfo& b = GetBuildInfo();
    py::dict d;
    d["version"] = b.version;
    d["catalog"] = b.catalog;
    d["catalog_files"] = b.catalog_files;
    d["revision"] = b.revision;
    return d;
  });
  m.def("counting_conventions", [] { return CountingConventions(); });

  BindProfile(m);
  BindArticle(m);
  BindResults(m);
  BindHardware(m);
  BindLlm(m);
}

}  // namespace tops::python
