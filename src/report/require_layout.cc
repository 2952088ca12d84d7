// What `tops require` prints: the TOPS each precision needs at the requested rates (the seed
// article's rule) and the memory bandwidth, as rows with typed columns; CSV has one row per
// precision.
#include "report/layouts.h"

namespace tops::report {
namespace {

std::string G(double v) { return Number(v, Style::General()); }

const Column<const ModelDemand*> kDemandColumns[] = {
    {{.key = "label"}, [](const ModelDemand* const& m) { return Cell::Text(m->label); }},
    {{.key = "fps", .unit = Unit::kNumber}, [](auto& m) { return Cell::Real(m->fps); }},
    {{.key = "macs", .unit = Unit::kCount}, [](auto& m) { return Cell::Real(m->macs); }},
    {{.key = "other_ops", .unit = Unit::kCount}, [](auto& m) { return Cell::Real(m->other_ops); }},
    {{.key = "ops_per_frame", .unit = Unit::kCount},
     [](auto& m) { return Cell::Real(m->ops_per_frame); }},
    {{.key = "weight_elems", .unit = Unit::kCount},
     [](auto& m) { return Cell::Real(m->weight_elems); }},
    {{.key = "activation_elems", .unit = Unit::kCount},
     [](auto& m) { return Cell::Real(m->activation_elems); }},
};

// Bandwidths: GB/s for people and in JSON, bytes per second in CSV (as the analysis gives them).
const Column<const PrecisionRequirement*> kRequireColumns[] = {
    {{.key = "precision", .title = "precision", .width = 9},
     [](auto& p) { return Cell::Text(PrecisionName(p->precision)); }},
    {{.key = "article_factor", .title = "factor", .unit = Unit::kNumber, .width = 7, .right = true},
     [](auto& p) { return Cell::Real(p->article_factor); }},
    {{.key = "int8_equivalent_tops",
      .title = "article TOPS",
      .unit = Unit::kTops,
      .width = 16,
      .right = true},
     [](auto& p) { return Cell::Real(p->int8_equivalent_tops); }},
    {{.key = "own_tops", .title = "own-peak T*PS", .unit = Unit::kTops, .width = 14, .right = true},
     [](auto& p) { return Cell::Real(p->own_tops); }},
    {{.key = "weight_gbs",
      .title = "weights GB/s",
      .unit = Unit::kNumber,
      .formats = kHuman | kJson,
      .style = Style::Fixed(3),
      .width = 14,
      .right = true},
     [](auto& p) { return Cell::Real(p->weight_bytes_per_second / 1e9); }},
    {{.key = "all_dram_gbs",
      .title = "all-DRAM GB/s",
      .unit = Unit::kNumber,
      .formats = kHuman | kJson,
      .style = Style::Fixed(3),
      .width = 16,
      .right = true},
     [](auto& p) { return Cell::Real(p->all_dram_bytes_per_second / 1e9); }},
    {{.key = "weight_bytes_per_second", .unit = Unit::kNumber, .formats = kCsv},
     [](auto& p) { return Cell::Real(p->weight_bytes_per_second); }},
    {{.key = "all_dram_bytes_per_second", .unit = Unit::kNumber, .formats = kCsv},
     [](auto& p) { return Cell::Real(p->all_dram_bytes_per_second); }},
};

constexpr const char* kRequireLegend =
    "article TOPS: the seed article's INT8-equivalent convention (FP16 x2, FP32 x4).\n"
    "own-peak T*PS: the same work against that precision's own peak (TOPS or TFLOPS).\n"
    "weights GB/s: weights read once per inference; all-DRAM GB/s adds every activation\n"
    "written and read once (nothing kept on chip). `tops fit` uses the chip's on-chip "
    "memory.\n";

std::string DemandLine(const ModelDemand& m, const std::string& label) {
  return label + ": " + Number(m.macs, Style::Si()) + " MACs/frame -> " +
         Number(m.ops_per_frame, Style::Si()) + " OPs/frame (2 x MACs) at " + G(m.fps) + " fps";
}

}  // namespace

void Lay(Sink& s, const Requirement& r) {
  s.Field("schema_version", Cell::Int(kSchemaVersion));
  BuildIdentity(s);
  std::vector<const ModelDemand*> models;
  for (const ModelDemand& m : r.models) models.push_back(&m);
  s.Rows<const ModelDemand*>(kDemandColumns, models, {.key = "models", .formats = kJson});
  if (s.Reads()) {
    Prose p;
    for (const ModelDemand& m : r.models) {
      p.terminal += DemandLine(m, m.label) + "\n";
      p.markdown += "- " + DemandLine(m, MarkdownCell(m.label)) + "\n";
    }
    const std::string total =
        "Total: " + Number(r.ops_per_second / 1e12, Style::General(4)) + " TOPS of work per second";
    p.terminal += total + "\n\n";
    p.markdown = "## Requirement\n\n" + p.markdown + "\n" + total + ".\n\n";
    s.Say(p);
  }
  s.Field("ops_per_second", Cell::Real(r.ops_per_second));
  std::vector<const PrecisionRequirement*> rows;
  for (const PrecisionRequirement& p : r.precisions) rows.push_back(&p);
  s.Rows<const PrecisionRequirement*>(kRequireColumns, rows, {.key = "precisions"});
  s.Say(std::string("\n") + kRequireLegend, std::string("\n") + kRequireLegend);
}

}  // namespace tops::report
