// What `tops chips` and `tops chips show ID` print: the catalog, one row per chip, and one chip
// with every figure's status and source (CSV: one row per figure, each power mode a row of its
// own so that every value is one number).
#include "analysis/cpu_fallback.h"
#include "report/layouts.h"

namespace tops::report {
namespace {

std::string G(double v) { return Number(v, Style::General()); }

// "137.5*" for derived, "45?" for unverified, "-" for unknown: the table's legend explains it.
Cell Marked(const Figure& f) {
  if (!f.known()) return Cell::Absent();
  std::string s = G(*f);
  if (f.status == FigureStatus::kDerived) s += "*";
  if (f.status == FigureStatus::kUnverified) s += "?";
  return Cell::Own(std::move(s));
}

const Peak* PeakAt(const Chip& c, Precision p) {
  auto it = c.peaks.find(p);
  return it == c.peaks.end() ? nullptr : &it->second;
}

template <Precision P, bool kSparse>
Cell PeakMarked(const Chip* const& c) {
  const Peak* peak = PeakAt(*c, P);
  return peak ? Marked(kSparse ? peak->sparse : peak->dense) : Cell::Absent();
}

// Every precision's dense and sparse peak as a plain number (statuses are in `chips show`).
template <Precision P, bool kSparse>
Cell PeakValue(const Chip* const& c) {
  const Peak* peak = PeakAt(*c, P);
  return peak ? Cell::Real((kSparse ? peak->sparse : peak->dense).value) : Cell::Absent();
}

using ChipColumn = Column<const Chip*>;

const ChipColumn kChipColumns[] = {
    {{.key = "id", .title = "id", .formats = kHuman | kCsv, .width = 28},
     [](const Chip* const& c) { return Cell::Text(c->id); }},
    {{.key = "name", .formats = kCsv}, [](const Chip* const& c) { return Cell::Text(c->name); }},
    {{.key = "vendor",
      .title = "vendor",
      .formats = kHuman | kCsv,
      .width = 12,
      .clip = Clip::kCut},
     [](const Chip* const& c) { return Cell::Text(c->vendor); }},
    {{.key = "kind", .title = "kind", .formats = kHuman | kCsv, .width = 11},
     [](const Chip* const& c) { return Cell::Text(ChipKindName(c->kind)); }},
    {{.key = "family", .formats = kCsv},
     [](const Chip* const& c) { return Cell::Text(c->family); }},
    {{.key = "int8", .title = "int8", .formats = kHuman, .width = 9, .right = true},
     PeakMarked<Precision::kInt8, false>},
    {{.key = "int8_sparse", .title = "int8 sp", .formats = kHuman, .width = 9, .right = true},
     PeakMarked<Precision::kInt8, true>},
    {{.key = "fp16", .title = "fp16", .formats = kHuman, .width = 8, .right = true},
     PeakMarked<Precision::kFp16, false>},
    {{.key = "fp32", .title = "fp32", .formats = kHuman, .width = 8, .right = true},
     PeakMarked<Precision::kFp32, false>},
    // In AllPrecisions() order.
    {{.key = "int4_dense", .unit = Unit::kTops, .formats = kCsv},
     PeakValue<Precision::kInt4, false>},
    {{.key = "int4_sparse", .unit = Unit::kTops, .formats = kCsv},
     PeakValue<Precision::kInt4, true>},
    {{.key = "int8_dense", .unit = Unit::kTops, .formats = kCsv},
     PeakValue<Precision::kInt8, false>},
    {{.key = "int8_sparse", .unit = Unit::kTops, .formats = kCsv},
     PeakValue<Precision::kInt8, true>},
    {{.key = "fp16_dense", .unit = Unit::kTops, .formats = kCsv},
     PeakValue<Precision::kFp16, false>},
    {{.key = "fp16_sparse", .unit = Unit::kTops, .formats = kCsv},
     PeakValue<Precision::kFp16, true>},
    {{.key = "bf16_dense", .unit = Unit::kTops, .formats = kCsv},
     PeakValue<Precision::kBf16, false>},
    {{.key = "bf16_sparse", .unit = Unit::kTops, .formats = kCsv},
     PeakValue<Precision::kBf16, true>},
    {{.key = "fp32_dense", .unit = Unit::kTops, .formats = kCsv},
     PeakValue<Precision::kFp32, false>},
    {{.key = "fp32_sparse", .unit = Unit::kTops, .formats = kCsv},
     PeakValue<Precision::kFp32, true>},
    {{.key = "bandwidth", .title = "BW GB/s", .formats = kHuman, .width = 8, .right = true},
     [](const Chip* const& c) { return Marked(c->memory_bandwidth_gbs); }},
    {{.key = "bandwidth_gbs", .unit = Unit::kNumber, .formats = kCsv},
     [](const Chip* const& c) { return Cell::Real(c->memory_bandwidth_gbs.value); }},
    {{.key = "on_chip_memory_mb", .unit = Unit::kNumber, .formats = kCsv},
     [](const Chip* const& c) { return Cell::Real(c->on_chip_memory_mb.value); }},
    {{.key = "power_modes_w",
      .title = "power W",
      .unit = Unit::kList,
      .formats = kHuman | kCsv,
      .width = 11,
      .right = true,
      .join = "/",
      .csv_join = "/"},
     [](const Chip* const& c) { return Cell::Reals(c->power_modes_w.values); }},
    {{.key = "aliases",
      .title = "aliases",
      .unit = Unit::kList,
      .formats = kHuman | kCsv,
      .width = 0,
      .gap = 2,
      .absent = "",
      .csv_join = " "},
     [](const Chip* const& c) { return Cell::List(c->aliases); }},
};

std::string CatalogLegend(const Catalog& catalog) {
  return Int(static_cast<int64_t>(catalog.chips().size()), Style::Plain()) +
         " chips. Peaks in TOPS (int) / TFLOPS (float), dense unless 'sp' (sparse).\n"
         "* derived by arithmetic, ? unverified, - unknown. `tops chips show ID` for sources.\n";
}

// ---- one chip --------------------------------------------------------------------------------

std::string PeakUnit(Precision p) {
  return (p == Precision::kInt4 || p == Precision::kInt8) ? "TOPS" : "TFLOPS";
}

struct NamedFigure {
  std::string label;
  const Figure* figure;
  std::string unit;
};

// Every single-valued figure of a chip and its family, in the order `chips show` prints them.
std::vector<NamedFigure> ChipFigures(const Chip& c, const Family& family) {
  std::vector<NamedFigure> out;
  for (const auto& [prec, peak] : c.peaks) {
    const std::string p(PrecisionName(prec));
    out.push_back({p + " dense", &peak.dense, PeakUnit(prec)});
    if (peak.sparse.known())
      out.push_back({p + " sparse " + peak.sparsity, &peak.sparse, PeakUnit(prec)});
    if (peak.single_inference.known()) {
      out.push_back({p + " one inference", &peak.single_inference, PeakUnit(prec)});
    }
  }
  out.push_back({"cores", &c.cores, ""});
  out.push_back({"bandwidth", &c.memory_bandwidth_gbs, "GB/s"});
  out.push_back({"on-chip memory", &c.on_chip_memory_mb, "MB"});
  out.push_back({"memory size", &c.memory_gb, "GB"});
  if (c.peaks_quoted_at_w.known()) out.push_back({"peaks quoted at", &c.peaks_quoted_at_w, "W"});
  for (const auto& [cls, f] : family.efficiency) {
    out.push_back({std::string(OpClassName(cls)) + " efficiency", &f, ""});
  }
  out.push_back({"layer overhead", &family.layer_overhead_us, "us"});
  return out;
}

// One row of a chip's figures: a figure, a list of them in one cell (Markdown), or one value of
// a list (CSV).
struct FigureRow {
  const Chip* chip;
  std::string label;
  std::string text;             // the value as people read it ("6 TOPS", "unknown")
  std::optional<double> value;  // for scripts
  std::string unit;
  bool known;
  FigureStatus status;
  const std::string* source;
  const std::string* how;
  const std::string* note;
};

template <typename F>
FigureRow Row(const Chip& c, std::string label, std::string text, std::optional<double> value,
              std::string unit, const F& f) {
  return {&c,        std::move(label), std::move(text), value,  std::move(unit),
          f.known(), f.status,         &f.source,       &f.how, &f.note};
}

const Column<FigureRow> kFigureColumns[] = {
    {{.key = "chip", .formats = kCsv}, [](const FigureRow& r) { return Cell::Text(r.chip->id); }},
    {{.key = "figure", .title = "figure"}, [](const FigureRow& r) { return Cell::Text(r.label); }},
    {{.key = "value", .title = "value", .formats = kMarkdown, .right = true},
     [](const FigureRow& r) { return Cell::Text(r.text); }},
    {{.key = "value", .unit = Unit::kNumber, .formats = kCsv},
     [](const FigureRow& r) { return Cell::Real(r.value); }},
    {{.key = "unit", .formats = kCsv}, [](const FigureRow& r) { return Cell::Text(r.unit); }},
    {{.key = "status", .title = "status", .absent = ""},
     [](const FigureRow& r) {
       return r.known ? Cell::Text(FigureStatusName(r.status)) : Cell::Absent();
     }},
    {{.key = "source", .title = "source", .absent = ""},
     [](const FigureRow& r) { return r.known ? Cell::Text(*r.source) : Cell::Absent(); }},
    {{.key = "how", .formats = kCsv}, [](const FigureRow& r) { return Cell::Text(*r.how); }},
    {{.key = "note", .formats = kCsv}, [](const FigureRow& r) { return Cell::Text(*r.note); }},
    {{.key = "how_note", .title = "how / note", .formats = kMarkdown},
     [](const FigureRow& r) {
       std::vector<std::string> extra;
       if (!r.how->empty()) extra.push_back("how: " + *r.how);
       if (!r.note->empty()) extra.push_back("note: " + *r.note);
       return Cell::Own(Join(extra, "; "));
     }},
};

// Power modes or per-mode shares: "5/10/15"; "-" when unknown.
std::string Modes(const ListFigure& f) {
  if (!f.known()) return "-";
  std::string s;
  for (double v : f.values) s += (s.empty() ? "" : "/") + G(v);
  return s;
}

std::vector<FigureRow> MarkdownFigures(const Chip& c, const Family& family) {
  std::vector<FigureRow> rows;
  for (const NamedFigure& n : ChipFigures(c, family)) {
    const Figure& f = *n.figure;
    rows.push_back(Row(c, n.label,
                       f.known() ? G(*f) + (n.unit.empty() ? "" : " " + n.unit) : "unknown",
                       f.value, n.unit, f));
  }
  const ListFigure& modes = c.power_modes_w;
  rows.push_back(
      Row(c, "power modes", modes.known() ? Modes(modes) + " W" : "unknown", {}, "W", modes));
  if (c.mode_peak_share.known()) {
    rows.push_back(
        Row(c, "peak share per mode", Modes(c.mode_peak_share), {}, "", c.mode_peak_share));
  }
  if (c.mode_single_share.known()) {
    rows.push_back(Row(c, "single-inference share per mode", Modes(c.mode_single_share), {}, "",
                       c.mode_single_share));
  }
  return rows;
}

std::vector<FigureRow> CsvFigures(const Chip& c, const Family& family) {
  std::vector<FigureRow> rows;
  for (const NamedFigure& n : ChipFigures(c, family)) {
    rows.push_back(Row(c, n.label, "", n.figure->value, n.unit, *n.figure));
  }
  const ListFigure& modes = c.power_modes_w;
  for (double w : modes.values) rows.push_back(Row(c, "power mode", "", w, "W", modes));
  for (const auto& [label, share] :
       {std::pair{"peak share at", &c.mode_peak_share},
        std::pair{"single-inference share at", &c.mode_single_share}}) {
    for (size_t i = 0; i < share->values.size(); ++i) {
      rows.push_back(Row(c, std::string(label) + " " + G(modes.values.at(i)) + " W", "",
                         share->values[i], "", *share));
    }
  }
  return rows;
}

void FigureFields(Sink& s, std::string_view key, const Figure& f) {
  s.Open(key);
  s.Field("value", Cell::Real(f.value));
  if (f.known()) {
    s.Field("status", Cell::Text(FigureStatusName(f.status)));
    s.Field("source", Cell::Text(f.source));
    if (!f.how.empty()) s.Field("how", Cell::Text(f.how));
  }
  if (!f.note.empty()) s.Field("note", Cell::Text(f.note));
  s.Close();
}

void ListFields(Sink& s, std::string_view key, const ListFigure& f) {
  s.Open(key);
  s.Field("values", f.known() ? Cell::Reals(f.values) : Cell::Absent());
  if (f.known()) {
    s.Field("status", Cell::Text(FigureStatusName(f.status)));
    s.Field("source", Cell::Text(f.source));
    if (!f.how.empty()) s.Field("how", Cell::Text(f.how));
  }
  if (!f.note.empty()) s.Field("note", Cell::Text(f.note));
  s.Close();
}

void ChipFields(Sink& s, const Chip& c, const Family& family) {
  s.Field("schema_version", Cell::Int(kSchemaVersion));
  BuildIdentity(s);
  s.Field("id", Cell::Text(c.id));
  s.Field("aliases", Cell::List(c.aliases));
  s.Field("name", Cell::Text(c.name));
  s.Field("vendor", Cell::Text(c.vendor));
  s.Field("kind", Cell::Text(ChipKindName(c.kind)));
  s.Open("peaks");
  for (const auto& [prec, peak] : c.peaks) {
    s.Open(PrecisionName(prec));
    s.Field("covers", Cell::Text(peak.covers));
    FigureFields(s, "dense", peak.dense);
    if (peak.sparse.known()) {
      FigureFields(s, "sparse", peak.sparse);
      s.Field("sparsity", Cell::Text(peak.sparsity));
    }
    if (peak.single_inference.known()) FigureFields(s, "single_inference", peak.single_inference);
    s.Close();
  }
  s.Close();
  FigureFields(s, "cores", c.cores);
  s.Field("one_inference_uses_all", Cell::Bool(c.one_inference_uses_all));
  s.Open("memory");
  s.Field("external", Cell::Bool(c.external_memory));
  FigureFields(s, "bandwidth_gbs", c.memory_bandwidth_gbs);
  FigureFields(s, "on_chip_mb", c.on_chip_memory_mb);
  FigureFields(s, "size_gb", c.memory_gb);
  s.Close();
  ListFields(s, "power_modes_w", c.power_modes_w);
  FigureFields(s, "peaks_quoted_at_w", c.peaks_quoted_at_w);
  ListFields(s, "mode_peak_share", c.mode_peak_share);
  ListFields(s, "mode_single_share", c.mode_single_share);
  s.Open("cpu");
  s.Field("cores", c.cpu.cores.empty() ? Cell::Absent() : Cell::Text(c.cpu.cores));
  s.Field("source", c.cpu.source.empty() ? Cell::Absent() : Cell::Text(c.cpu.source));
  FigureFields(s, "gops", c.cpu.gops);
  s.Close();
  s.Open("family");
  s.Field("id", Cell::Text(family.id));
  s.Field("description", Cell::Text(family.description));
  s.Field("basis", Cell::Text(family.basis));
  s.Open("efficiency");
  for (const auto& [cls, f] : family.efficiency) FigureFields(s, OpClassName(cls), f);
  s.Close();
  FigureFields(s, "layer_overhead_us", family.layer_overhead_us);
  FigureFields(s, "inference_overhead_us", family.inference_overhead_us);
  FigureFields(s, "context_switch_us", family.context_switch_us);
  FigureFields(s, "context_capacity_mb_per_tops", family.context_capacity_mb_per_tops);
  FigureFields(s, "context_layers_per_tops", family.context_layers_per_tops);
  s.Field("peak_share", Cell::Real(family.PeakShareOf(c.id, Precision::kInt8)));
  s.Field("overhead_share", Cell::Real(family.OverheadShareOf(c.id)));
  s.Field("runtime", family.runtime.empty() ? Cell::Absent() : Cell::Text(family.runtime));
  s.Field("band_low", family.band.known() ? Cell::Real(family.band.low) : Cell::Absent());
  s.Field("band_high", family.band.known() ? Cell::Real(family.band.high) : Cell::Absent());
  s.Field("fuses_elementwise", Cell::Bool(family.fuses_elementwise));
  s.Field("weights_resident", Cell::Bool(family.weights_resident));
  s.Field("cpu_ops", Cell::List(family.cpu_ops));
  s.Field("cpu_ops_source",
          family.cpu_ops_source.empty() ? Cell::Absent() : Cell::Text(family.cpu_ops_source));
  s.Field("cpu_ops_cut_graph", Cell::Bool(family.cpu_ops_cut_graph));
  s.Close();
  s.Field("notes", Cell::Text(c.notes));
  s.Field("origin", Cell::Text(c.origin));
}

std::string YesNoUnknown(const std::optional<bool>& v) {
  return v ? (*v ? "yes" : "no") : "unknown";
}

// The terminal's sheet: sections of "label  value unit [status] source" lines.
std::string ChipSheetText(const Chip& c, const Family& family,
                          const std::vector<std::string>& runtimes) {
  std::string o;
  auto label = [&o](std::string_view l) {
    o += "  ";
    AppendPadded(o, l, 22, false);
    o += ' ';
  };
  // "how: ..." and "note: ..." under a figure.
  auto more = [&](const char* what, const std::string& text) {
    if (text.empty()) return;
    label("");
    o += std::string("  ") + what + ": " + text + "\n";
  };
  auto line = [&](const std::string& l, const Figure& f, const std::string& unit) {
    label(l);
    if (!f.known()) {
      o += "unknown" + (f.note.empty() ? "" : " (" + f.note + ")") + "\n";
      return;
    }
    o += G(*f) + unit + " [" + std::string(FigureStatusName(f.status)) + "] " + f.source + "\n";
    more("how", f.how);
    more("note", f.note);
  };
  const std::string aliases = Join(c.aliases, ", ");
  o += c.name + " (" + c.id + ")\n  vendor " + c.vendor + ", kind " +
       std::string(ChipKindName(c.kind)) + ", aliases: " + (aliases.empty() ? "-" : aliases) +
       "\n  from " + c.origin + "\n\nPeaks:\n";
  for (const auto& [prec, peak] : c.peaks) {
    const std::string p(PrecisionName(prec));
    o += "  " + p + " covers: " + (peak.covers.empty() ? "-" : peak.covers) + "\n";
    const std::string unit = " " + PeakUnit(prec);
    line(p + " dense", peak.dense, unit);
    if (peak.sparse.known()) line(p + " sparse " + peak.sparsity, peak.sparse, unit);
    if (peak.single_inference.known()) line(p + " one inference", peak.single_inference, unit);
  }
  o += "\nUnits and memory:\n";
  line("cores", c.cores, "");
  label("one inference uses all");
  o += YesNoUnknown(c.one_inference_uses_all) + "\n";
  if (!c.external_memory) {
    label("external memory");
    o += "none (all on chip)\n";
  }
  line("bandwidth", c.memory_bandwidth_gbs, " GB/s");
  line("on-chip memory", c.on_chip_memory_mb, " MB");
  line("memory size", c.memory_gb, " GB");
  label("power modes");
  if (c.power_modes_w.known()) {
    o += Modes(c.power_modes_w) + " W [" + std::string(FigureStatusName(c.power_modes_w.status)) +
         "] " + c.power_modes_w.source + "\n";
  } else {
    o += "unknown\n";
  }
  more("note", c.power_modes_w.note);
  if (c.peaks_quoted_at_w.known()) line("peaks quoted at", c.peaks_quoted_at_w, " W");
  for (const auto& [l, share] : {std::pair{"peak share per mode", &c.mode_peak_share},
                                 std::pair{"one-inference share", &c.mode_single_share}}) {
    if (!share->known()) continue;
    label(l);
    o += Modes(*share) + " [" + std::string(FigureStatusName(share->status)) + "] " +
         share->source + "\n";
    more("how", share->how);
  }
  o += "\nCalibration family " + family.id + ": " + family.description +
       "\n  basis: " + family.basis + "\n";
  for (const auto& [cls, f] : family.efficiency) {
    line(std::string(OpClassName(cls)) + " efficiency", f, "");
  }
  line("layer overhead", family.layer_overhead_us, " us");
  line("inference overhead", family.inference_overhead_us, " us");
  line("context switch", family.context_switch_us, " us");
  line("context capacity", family.context_capacity_mb_per_tops, " MB per TOPS");
  line("context layers", family.context_layers_per_tops, " per TOPS");
  if (!family.peak_share.empty() || !family.overhead_share.empty()) {
    std::string shares;
    for (const auto& [key, v] : family.peak_share) {
      if (key == c.id || key.rfind(c.id + "/", 0) == 0) {
        shares += " peak " + key.substr(c.id.size()) + " x" + Number(v, Style::Fixed(3)) + ";";
      }
    }
    if (family.overhead_share.count(c.id)) {
      shares += " overheads x" + Number(family.OverheadShareOf(c.id), Style::Fixed(3));
    }
    if (!shares.empty()) o += "  this chip (solved):" + shares + "\n";
  }
  if (!family.runtime.empty()) {
    o += "  solved on runtime " + family.runtime + "; likely range " +
         Number(family.band.low, Style::Fixed(2)) + "-" +
         Number(family.band.high, Style::Fixed(2)) + " x a prediction (" + family.band.scope +
         ")\n";
  }
  if (!runtimes.empty()) {
    o += "  runtimes with solved figures (tops fit --runtime): " + Join(runtimes, ", ") + "\n";
  }
  label("ops on the CPU");
  if (family.cpu_ops.empty()) {
    o += "none listed (no vendor list in the catalog)\n";
  } else {
    o += std::to_string(family.cpu_ops.size()) + " ONNX op type(s): " + Join(family.cpu_ops, ", ") +
         "\n";
    more("source", family.cpu_ops_source);
    if (family.cpu_ops_cut_graph) more("rule", "the graph is cut at the first: later ops too");
    more("note", family.cpu_ops_note);
  }
  label("CPU");
  if (c.cpu.cores.empty()) {
    o += c.kind == ChipKind::kAccelerator
             ? "the user's host (an accelerator on a host link), not in the catalog\n"
             : "not in the catalog yet\n";
  } else {
    o += c.cpu.cores + "\n";
    more("source", c.cpu.source);
  }
  if (c.cpu.gops.known()) {
    line("CPU rate", c.cpu.gops, " GOPS");
  } else if (!family.cpu_ops.empty()) {
    label("CPU rate");
    o += "unknown: predictions assume " + G(analysis::kDefaultCpuGops) +
         " GOPS (a conservative default, not published)\n";
  }
  if (!c.notes.empty()) o += "\nNotes: " + c.notes + "\n";
  return o;
}

std::string ChipSheetMarkdown(const Chip& c, const Family& family) {
  return "## " + MarkdownCell(c.name) + " (" + MarkdownCell(c.id) + ")\n\n- vendor " +
         MarkdownCell(c.vendor) + ", kind " + std::string(ChipKindName(c.kind)) +
         ", aliases: " + (c.aliases.empty() ? "-" : MarkdownCell(Join(c.aliases, ", "))) +
         "\n- one inference uses all units: " + YesNoUnknown(c.one_inference_uses_all) +
         "\n- external memory: " + (c.external_memory ? "yes" : "none (all on chip)") +
         "\n- calibration family " + MarkdownCell(family.id) + ": " +
         MarkdownCell(family.description) + " (basis: " + MarkdownCell(family.basis) +
         ")\n- from " + MarkdownCell(c.origin) + "\n\n";
}

}  // namespace

void Lay(Sink& s, const Catalog& catalog) {
  s.Field("schema_version", Cell::Int(kSchemaVersion));
  BuildIdentity(s);
  s.OpenList("chips");
  for (const Chip& c : catalog.chips()) {
    s.Open("");
    s.Field("id", Cell::Text(c.id));
    s.Field("aliases", Cell::List(c.aliases));
    s.Field("name", Cell::Text(c.name));
    s.Field("vendor", Cell::Text(c.vendor));
    s.Field("kind", Cell::Text(ChipKindName(c.kind)));
    s.Field("family", Cell::Text(c.family));
    s.Open("peaks");
    for (const auto& [prec, peak] : c.peaks) {
      s.Open(PrecisionName(prec));
      s.Field("dense", Cell::Real(peak.dense.value));
      s.Field("sparse", Cell::Real(peak.sparse.value));
      s.Close();
    }
    s.Close();
    s.Field("bandwidth_gbs", Cell::Real(c.memory_bandwidth_gbs.value));
    s.Field("power_modes_w", Cell::Reals(c.power_modes_w.values));
    s.Close();
  }
  s.Close();
  s.Say("", "## Chip catalog\n\n");
  std::vector<const Chip*> rows;
  for (const Chip& c : catalog.chips()) rows.push_back(&c);
  s.Rows<const Chip*>(kChipColumns, std::move(rows), {.formats = kHuman | kCsv});
  if (s.Reads()) {
    const std::string legend = CatalogLegend(catalog);
    s.Say("\n" + legend, "\n" + MarkdownCell(legend) + "\n");
  }
}

void Lay(Sink& s, const ChipSheet& sheet) {
  const Chip& c = sheet.chip;
  ChipFields(s, c, sheet.family);
  if (s.Reads()) {
    s.Say(ChipSheetText(c, sheet.family, sheet.runtimes), ChipSheetMarkdown(c, sheet.family));
  }
  s.Rows<FigureRow>(kFigureColumns, MarkdownFigures(c, sheet.family), {.formats = kMarkdown});
  s.Rows<FigureRow>(kFigureColumns, CsvFigures(c, sheet.family), {.formats = kCsv});
  if (!c.notes.empty()) s.Say("", "\nNotes: " + MarkdownCell(c.notes) + "\n");
}

}  // namespace tops::report
