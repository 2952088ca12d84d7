// Table and JSON writers for require, fit, rank and the chip catalog.
#include "report/fit_writers.h"

#include <nlohmann/json.hpp>

#include "fmt/format.h"
#include "tops/error.h"

namespace tops {
namespace {

using Json = nlohmann::ordered_json;

void RequireTableOrJson(Format format, const char* what) {
  if (format != Format::kTable && format != Format::kJson) {
    throw Error(std::string(what) + " output is available as table or json");
  }
}

Json Opt(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

// "137.5*" for derived, "45?" for unverified, "-" for unknown: the table's legend explains it.
std::string Cell(const Figure& f) {
  if (!f.known()) return "-";
  std::string s = fmt::format("{:g}", *f);
  if (f.status == FigureStatus::kDerived) s += "*";
  if (f.status == FigureStatus::kUnverified) s += "?";
  return s;
}

std::string Num(double v) {
  if (v == 0) return "0";
  if (std::abs(v) >= 100) return fmt::format("{:.0f}", v);
  if (std::abs(v) >= 10) return fmt::format("{:.1f}", v);
  if (std::abs(v) >= 0.01) return fmt::format("{:.3g}", v);
  return fmt::format("{:.2e}", v);
}

std::string OptNum(const std::optional<double>& v) { return v ? Num(*v) : "-"; }

std::string Modes(const ListFigure& f) {
  if (!f.known()) return "-";
  std::string s;
  for (double v : f.values) s += (s.empty() ? "" : "/") + fmt::format("{:g}", v);
  return s;
}

Json FigureJson(const Figure& f) {
  if (!f.known()) {
    Json j = {{"value", nullptr}};
    if (!f.note.empty()) j["note"] = f.note;
    return j;
  }
  Json j = {{"value", *f}, {"status", FigureStatusName(f.status)}, {"source", f.source}};
  if (!f.how.empty()) j["how"] = f.how;
  if (!f.note.empty()) j["note"] = f.note;
  return j;
}

Json ListJson(const ListFigure& f) {
  if (!f.known()) {
    Json j = {{"values", nullptr}};
    if (!f.note.empty()) j["note"] = f.note;
    return j;
  }
  Json j = {{"values", f.values}, {"status", FigureStatusName(f.status)}, {"source", f.source}};
  if (!f.how.empty()) j["how"] = f.how;
  if (!f.note.empty()) j["note"] = f.note;
  return j;
}

Json LayerJson(const LayerEstimate& l) {
  return Json{{"model", l.model},
              {"node", l.node},
              {"op", l.op},
              {"class", OpClassName(l.op_class)},
              {"ops", l.ops},
              {"dram_bytes", l.dram_bytes},
              {"compute_ms", l.compute_ms},
              {"memory_ms", l.memory_ms},
              {"overhead_ms", l.overhead_ms},
              {"time_ms", l.time_ms},
              {"bound", BoundName(l.bound)}};
}

Json FitJson(const FitResult& r) {
  const Prediction& p = r.predicted;
  Json pred;
  pred["available"] = p.available;
  pred["latency_ms"] = p.available ? Json(p.latency_ms) : Json(nullptr);
  pred["fps"] = p.available ? Json(p.fps) : Json(nullptr);
  pred["utilization"] = p.available ? Json(p.utilization) : Json(nullptr);
  pred["bound"] = p.available ? Json(BoundName(p.bound)) : Json(nullptr);
  pred["load"] = p.available ? Json(p.load) : Json(nullptr);
  pred["fits"] = p.available ? Json(p.fits) : Json(nullptr);
  pred["peak_tops"] = p.available ? Json(p.peak_tops) : Json(nullptr);
  pred["bandwidth_gbs"] = p.available ? Json(p.bandwidth_gbs) : Json(nullptr);
  pred["power_w"] = Opt(p.power_w);
  pred["energy_mj"] = Opt(p.energy_mj);
  pred["fps_per_watt"] = Opt(p.fps_per_watt);
  pred["tops_per_watt"] = Opt(p.tops_per_watt);
  pred["achieved_tops_per_watt"] = Opt(p.achieved_tops_per_watt);
  pred["missing"] = p.missing;
  pred["caveats"] = p.caveats;
  Json models = Json::array();
  for (const ModelPrediction& m : p.models) {
    Json layers = Json::array();
    for (const LayerEstimate& l : m.top_layers) layers.push_back(LayerJson(l));
    models.push_back(Json{{"label", m.label},
                          {"fps_requested", m.fps_requested},
                          {"latency_ms", m.latency_ms},
                          {"fps", m.fps},
                          {"load", m.load},
                          {"compute_ms", m.compute_ms},
                          {"memory_ms", m.memory_ms},
                          {"overhead_ms", m.overhead_ms},
                          {"dram_bytes", m.dram_bytes},
                          {"weights_on_chip", m.weights_on_chip},
                          {"layers", m.layers},
                          {"skipped_nodes", m.skipped_nodes},
                          {"top_layers", layers}});
  }
  pred["models"] = models;

  Json j;
  j["chip"] = {{"id", r.chip_id}, {"name", r.chip_name}};
  j["precision"] = PrecisionName(r.precision);
  j["utilization"] = r.utilization;
  j["convention"] = r.convention;
  j["chip_tops"] = Opt(r.chip_tops);
  j["required_tops"] = r.required_tops;
  j["effective_tops"] = Opt(r.effective_tops);
  j["is_sufficient"] = r.is_sufficient ? Json(*r.is_sufficient) : Json(nullptr);
  j["margin"] = Opt(r.margin);
  j["missing"] = r.missing;
  j["predicted"] = pred;
  j["fits"] = r.fits;
  j["verdict_basis"] = r.verdict_basis;
  return j;
}

void FitTable(std::ostream& os, const FitResult& r) {
  const Prediction& p = r.predicted;
  const std::string prec(PrecisionName(r.precision));
  os << fmt::format("Chip      {} ({})\n", r.chip_name, r.chip_id);
  std::string workload;
  for (const ModelPrediction& m : p.models) {
    workload +=
        (workload.empty() ? "" : " + ") + fmt::format("{} @ {:g} fps", m.label, m.fps_requested);
  }
  if (!workload.empty()) os << fmt::format("Workload  {}, {}\n", workload, prec);
  os << "\n";
  const char* convention = r.convention == "own_peak" ? "against the dense "
                           : r.convention == "int8_equivalent"
                               ? "INT8-equivalent, against the INT8 "
                               : "no usable ";
  os << fmt::format("Article rule (check_hardware, utilisation {:.2f}, {}peak):\n", r.utilization,
                    convention + (r.convention == "own_peak" ? prec + " " : std::string()));
  os << fmt::format("  required_tops   {:.4f}\n", r.required_tops);
  if (r.effective_tops) {
    os << fmt::format("  effective_tops  {:.4f}   (peak {:g} x {:.2f})\n", *r.effective_tops,
                      *r.chip_tops, r.utilization);
    os << fmt::format("  is_sufficient   {}\n", *r.is_sufficient ? "yes" : "no");
    os << fmt::format("  margin          {:.4f}\n", *r.margin);
  } else {
    os << "  effective_tops  -   (no peak)\n";
  }
  os << "\nRoofline prediction";
  if (!p.available) {
    os << ": not available\n";
  } else {
    os << fmt::format(" (peak used {:g} TOPS):\n", p.peak_tops);
    os << fmt::format("  latency {:.3f} ms   fps {:.1f}   utilisation {:.1f}%   bound {}\n",
                      p.latency_ms, p.fps, 100 * p.utilization, BoundName(p.bound));
    os << fmt::format("  load {:.1f}% of the chip at the requested rates: {}\n", 100 * p.load,
                      p.fits ? "fits" : "does NOT fit");
    os << fmt::format("  DRAM traffic {:.2f} GB/s at the requested rates\n", p.bandwidth_gbs);
  }
  if (p.power_w) {
    os << fmt::format("  power mode {:g} W", *p.power_w);
    if (p.energy_mj) {
      os << fmt::format(": {:.2f} mJ/inference, {:.1f} FPS/W, achieved {:.3g} TOPS/W", *p.energy_mj,
                        *p.fps_per_watt, *p.achieved_tops_per_watt);
    }
    if (p.tops_per_watt) os << fmt::format(" (datasheet {:.3g} TOPS/W)", *p.tops_per_watt);
    os << "\n";
  }
  for (const ModelPrediction& m : p.models) {
    if (m.top_layers.empty()) continue;
    os << fmt::format("\nDominant layers of {} ({} layers, {:.3f} ms, weights {}):\n", m.label,
                      m.layers, m.latency_ms, m.weights_on_chip ? "on chip" : "from DRAM");
    os << fmt::format("  {:<40} {:<10} {:<11} {:>9} {:>9} {:>9} {:>8}\n", "node", "op", "class",
                      "time ms", "compute", "memory", "bound");
    for (const LayerEstimate& l : m.top_layers) {
      std::string name = l.node.size() > 40 ? l.node.substr(0, 37) + "..." : l.node;
      os << fmt::format("  {:<40} {:<10} {:<11} {:>9.4f} {:>9.4f} {:>9.4f} {:>8}\n", name, l.op,
                        OpClassName(l.op_class), l.time_ms, l.compute_ms, l.memory_ms,
                        BoundName(l.bound));
    }
  }
  std::vector<std::string> missing = r.missing;
  missing.insert(missing.end(), p.missing.begin(), p.missing.end());
  if (!missing.empty()) {
    os << "\nMissing figures:\n";
    for (const auto& m : missing) os << "  - " << m << "\n";
  }
  if (!p.caveats.empty()) {
    os << "\nCaveats:\n";
    for (const auto& c : p.caveats) os << "  - " << c << "\n";
  }
  os << fmt::format("\nVerdict: {} ({})\n", r.fits ? "fits" : "does not fit", r.verdict_basis);
}

}  // namespace

void WriteRequire(std::ostream& os, const Requirement& r, Format format) {
  RequireTableOrJson(format, "require");
  if (format == Format::kJson) {
    Json models = Json::array();
    for (const ModelDemand& m : r.models) {
      models.push_back(Json{{"label", m.label},
                            {"fps", m.fps},
                            {"macs", m.macs},
                            {"other_ops", m.other_ops},
                            {"ops_per_frame", m.ops_per_frame},
                            {"weight_elems", m.weight_elems},
                            {"activation_elems", m.activation_elems}});
    }
    Json precisions = Json::array();
    for (const PrecisionRequirement& p : r.precisions) {
      precisions.push_back(Json{{"precision", PrecisionName(p.precision)},
                                {"article_factor", p.article_factor},
                                {"int8_equivalent_tops", p.int8_equivalent_tops},
                                {"own_tops", p.own_tops},
                                {"weight_gbs", p.weight_bytes_per_second / 1e9},
                                {"all_dram_gbs", p.all_dram_bytes_per_second / 1e9}});
    }
    Json j = {{"schema_version", kFitSchemaVersion},
              {"models", models},
              {"ops_per_second", r.ops_per_second},
              {"precisions", precisions}};
    os << j.dump(2) << "\n";
    return;
  }
  for (const ModelDemand& m : r.models) {
    os << fmt::format("{}: {} MACs/frame -> {} OPs/frame (2 x MACs) at {:g} fps\n", m.label,
                      HumanCount(m.macs), HumanCount(m.ops_per_frame), m.fps);
  }
  os << fmt::format("Total: {:.4g} TOPS of work per second\n\n", r.ops_per_second / 1e12);
  os << fmt::format("{:<9} {:>7} {:>16} {:>14} {:>14} {:>16}\n", "precision", "factor",
                    "article TOPS", "own-peak T*PS", "weights GB/s", "all-DRAM GB/s");
  for (const PrecisionRequirement& p : r.precisions) {
    os << fmt::format("{:<9} {:>7g} {:>16.4f} {:>14.4f} {:>14.3f} {:>16.3f}\n",
                      PrecisionName(p.precision), p.article_factor, p.int8_equivalent_tops,
                      p.own_tops, p.weight_bytes_per_second / 1e9,
                      p.all_dram_bytes_per_second / 1e9);
  }
  os << "\narticle TOPS: the seed article's INT8-equivalent convention (FP16 x2, FP32 x4).\n"
        "own-peak T*PS: the same work against that precision's own peak (TOPS or TFLOPS).\n"
        "weights GB/s: weights read once per inference; all-DRAM GB/s adds every activation\n"
        "written and read once (nothing kept on chip). `tops fit` uses the chip's on-chip "
        "memory.\n";
}

void WriteFit(std::ostream& os, const FitResult& r, Format format) {
  RequireTableOrJson(format, "fit");
  if (format == Format::kJson) {
    Json j = {{"schema_version", kFitSchemaVersion}};
    j.update(FitJson(r));
    os << j.dump(2) << "\n";
    return;
  }
  FitTable(os, r);
}

void WriteRank(std::ostream& os, const RankResult& r, Format format) {
  RequireTableOrJson(format, "rank");
  if (format == Format::kJson) {
    Json rows = Json::array();
    for (const RankRow& row : r.rows) rows.push_back(FitJson(row.fit));
    Json excluded = Json::array();
    for (const RankExclusion& e : r.excluded) {
      excluded.push_back(Json{{"chip", e.chip_id}, {"reason", e.reason}});
    }
    Json j = {{"schema_version", kFitSchemaVersion},
              {"precision", PrecisionName(r.precision)},
              {"rows", rows},
              {"excluded", excluded}};
    os << j.dump(2) << "\n";
    return;
  }
  os << fmt::format("{:>3} {:<28} {:>9} {:>9} {:>10} {:>5} {:>9} {:>10} {:>9} {:>8} {:>7} {:>5}\n",
                    "#", "chip", "peak", "required", "effective", "suff", "margin", "pred fps",
                    "lat ms", "bound", "power", "fits");
  int i = 0;
  for (const RankRow& row : r.rows) {
    const FitResult& f = row.fit;
    const Prediction& p = f.predicted;
    os << fmt::format(
        "{:>3} {:<28} {:>9} {:>9} {:>10} {:>5} {:>9} {:>10} {:>9} {:>8} {:>7} {:>5}\n", ++i,
        f.chip_id.size() > 28 ? f.chip_id.substr(0, 28) : f.chip_id, OptNum(f.chip_tops),
        Num(f.required_tops), OptNum(f.effective_tops),
        f.is_sufficient ? (*f.is_sufficient ? "yes" : "no") : "-", OptNum(f.margin),
        p.available ? Num(p.fps) : "-", p.available ? Num(p.latency_ms) : "-",
        p.available ? std::string(BoundName(p.bound)) : "-",
        p.power_w ? fmt::format("{:g} W", *p.power_w) : "-",
        p.available ? (p.fits ? "yes" : "no") : "-");
  }
  for (const RankExclusion& e : r.excluded) {
    os << fmt::format("    excluded {}: {}\n", e.chip_id, e.reason);
  }
  os << fmt::format(
      "\npeak/required/effective/margin: the article's check_hardware ({} dense peak, or the\n"
      "INT8 peak in its INT8-equivalent convention); pred fps/lat/bound: roofline; fits: the\n"
      "roofline says the requested frame rates are met. '-' = a figure the catalog lacks.\n",
      PrecisionName(r.precision));
}

void WriteChips(std::ostream& os, const Catalog& catalog, Format format) {
  RequireTableOrJson(format, "chips");
  if (format == Format::kJson) {
    Json chips = Json::array();
    for (const Chip& c : catalog.chips()) {
      Json peaks = Json::object();
      for (const auto& [prec, peak] : c.peaks) {
        peaks[std::string(PrecisionName(prec))] = {{"dense", Opt(peak.dense.value)},
                                                   {"sparse", Opt(peak.sparse.value)}};
      }
      chips.push_back(Json{{"id", c.id},
                           {"aliases", c.aliases},
                           {"name", c.name},
                           {"vendor", c.vendor},
                           {"kind", ChipKindName(c.kind)},
                           {"family", c.family},
                           {"peaks", peaks},
                           {"bandwidth_gbs", Opt(c.memory_bandwidth_gbs.value)},
                           {"power_modes_w", c.power_modes_w.values}});
    }
    Json j = {{"schema_version", kFitSchemaVersion}, {"chips", chips}};
    os << j.dump(2) << "\n";
    return;
  }
  os << fmt::format("{:<28} {:<12} {:<11} {:>9} {:>9} {:>8} {:>8} {:>8} {:>11}  {}\n", "id",
                    "vendor", "kind", "int8", "int8 sp", "fp16", "fp32", "BW GB/s", "power W",
                    "aliases");
  auto peak = [](const Chip& c, Precision p, bool sparse) {
    auto it = c.peaks.find(p);
    if (it == c.peaks.end()) return std::string("-");
    return Cell(sparse ? it->second.sparse : it->second.dense);
  };
  for (const Chip& c : catalog.chips()) {
    std::string aliases;
    for (const auto& a : c.aliases) aliases += (aliases.empty() ? "" : ", ") + a;
    os << fmt::format("{:<28} {:<12} {:<11} {:>9} {:>9} {:>8} {:>8} {:>8} {:>11}  {}\n", c.id,
                      c.vendor.size() > 12 ? c.vendor.substr(0, 12) : c.vendor,
                      ChipKindName(c.kind), peak(c, Precision::kInt8, false),
                      peak(c, Precision::kInt8, true), peak(c, Precision::kFp16, false),
                      peak(c, Precision::kFp32, false), Cell(c.memory_bandwidth_gbs),
                      Modes(c.power_modes_w), aliases);
  }
  os << fmt::format(
      "\n{} chips. Peaks in TOPS (int) / TFLOPS (float), dense unless 'sp' (sparse).\n"
      "* derived by arithmetic, ? unverified, - unknown. `tops chips show ID` for sources.\n",
      catalog.chips().size());
}

void WriteChip(std::ostream& os, const Chip& c, const Family& family, Format format) {
  RequireTableOrJson(format, "chips show");
  if (format == Format::kJson) {
    Json peaks = Json::object();
    for (const auto& [prec, peak] : c.peaks) {
      Json p = {{"covers", peak.covers}, {"dense", FigureJson(peak.dense)}};
      if (peak.sparse.known()) {
        p["sparse"] = FigureJson(peak.sparse);
        p["sparsity"] = peak.sparsity;
      }
      if (peak.single_inference.known()) p["single_inference"] = FigureJson(peak.single_inference);
      peaks[std::string(PrecisionName(prec))] = p;
    }
    Json eff = Json::object();
    for (const auto& [cls, f] : family.efficiency)
      eff[std::string(OpClassName(cls))] = FigureJson(f);
    Json j = {{"schema_version", kFitSchemaVersion},
              {"id", c.id},
              {"aliases", c.aliases},
              {"name", c.name},
              {"vendor", c.vendor},
              {"kind", ChipKindName(c.kind)},
              {"peaks", peaks},
              {"cores", FigureJson(c.cores)},
              {"one_inference_uses_all",
               c.one_inference_uses_all ? Json(*c.one_inference_uses_all) : Json(nullptr)},
              {"memory",
               {{"external", c.external_memory},
                {"bandwidth_gbs", FigureJson(c.memory_bandwidth_gbs)},
                {"on_chip_mb", FigureJson(c.on_chip_memory_mb)},
                {"size_gb", FigureJson(c.memory_gb)}}},
              {"power_modes_w", ListJson(c.power_modes_w)},
              {"family",
               {{"id", family.id},
                {"description", family.description},
                {"basis", family.basis},
                {"efficiency", eff},
                {"layer_overhead_us", FigureJson(family.layer_overhead_us)},
                {"fuses_elementwise", family.fuses_elementwise},
                {"weights_resident", family.weights_resident}}},
              {"notes", c.notes},
              {"origin", c.origin}};
    os << j.dump(2) << "\n";
    return;
  }
  auto line = [&os](const std::string& label, const Figure& f, const std::string& unit) {
    if (!f.known()) {
      os << fmt::format("  {:<22} unknown{}\n", label, f.note.empty() ? "" : " (" + f.note + ")");
      return;
    }
    os << fmt::format("  {:<22} {:g}{} [{}] {}\n", label, *f, unit, FigureStatusName(f.status),
                      f.source);
    if (!f.how.empty()) os << fmt::format("  {:<22}   how: {}\n", "", f.how);
    if (!f.note.empty()) os << fmt::format("  {:<22}   note: {}\n", "", f.note);
  };
  std::string aliases;
  for (const auto& a : c.aliases) aliases += (aliases.empty() ? "" : ", ") + a;
  os << fmt::format("{} ({})\n  vendor {}, kind {}, aliases: {}\n  from {}\n\nPeaks:\n", c.name,
                    c.id, c.vendor, ChipKindName(c.kind), aliases.empty() ? "-" : aliases,
                    c.origin);
  for (const auto& [prec, peak] : c.peaks) {
    const std::string p(PrecisionName(prec));
    os << fmt::format("  {} covers: {}\n", p, peak.covers.empty() ? "-" : peak.covers);
    const std::string unit =
        (prec == Precision::kInt4 || prec == Precision::kInt8) ? " TOPS" : " TFLOPS";
    line(p + " dense", peak.dense, unit);
    if (peak.sparse.known()) line(p + " sparse " + peak.sparsity, peak.sparse, unit);
    if (peak.single_inference.known()) line(p + " one inference", peak.single_inference, unit);
  }
  os << "\nUnits and memory:\n";
  line("cores", c.cores, "");
  os << fmt::format(
      "  {:<22} {}\n", "one inference uses all",
      c.one_inference_uses_all ? (*c.one_inference_uses_all ? "yes" : "no") : "unknown");
  if (!c.external_memory) os << fmt::format("  {:<22} none (all on chip)\n", "external memory");
  line("bandwidth", c.memory_bandwidth_gbs, " GB/s");
  line("on-chip memory", c.on_chip_memory_mb, " MB");
  line("memory size", c.memory_gb, " GB");
  if (c.power_modes_w.known()) {
    os << fmt::format("  {:<22} {} W [{}] {}\n", "power modes", Modes(c.power_modes_w),
                      FigureStatusName(c.power_modes_w.status), c.power_modes_w.source);
  } else {
    os << fmt::format("  {:<22} unknown\n", "power modes");
  }
  if (!c.power_modes_w.note.empty()) {
    os << fmt::format("  {:<22}   note: {}\n", "", c.power_modes_w.note);
  }
  os << fmt::format("\nCalibration family {}: {}\n  basis: {}\n", family.id, family.description,
                    family.basis);
  for (const auto& [cls, f] : family.efficiency) {
    line(std::string(OpClassName(cls)) + " efficiency", f, "");
  }
  line("layer overhead", family.layer_overhead_us, " us");
  if (!c.notes.empty()) os << "\nNotes: " << c.notes << "\n";
}

}  // namespace tops
