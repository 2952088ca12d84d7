// The Netron attachment (format: include/tops/netron.h) as rows: one metadata row and one metric
// row per entry, laid out for the JSON sink only. Serialises the Overlay; the shares and times
// come from src/analysis/overlay.cc.
#include <cmath>

#include "report/layouts.h"
#include "tops/netron.h"
#include "tops/version.h"

namespace tops::report {
namespace {

// An entry's value (an exact count, a rounded figure or a text) and the type Netron is told;
// metadata and text metrics have none.
struct Entry {
  const char* kind;
  std::string_view target;
  const char* name;
  enum class Type : uint8_t { kInt, kReal, kText } type = Type::kText;
  int64_t count = 0;
  double real = 0;
  std::string text;
  const char* netron_type = nullptr;
};

Cell Value(const Entry& e) {
  switch (e.type) {
    case Entry::Type::kInt:
      return Cell::Int(e.count);
    case Entry::Type::kReal:
      return Cell::Real(e.real);
    case Entry::Type::kText:
      return Cell::Text(e.text);
  }
  return Cell::Absent();
}

const Column<Entry> kMetadataColumns[] = {
    {{.key = "kind"}, [](const Entry& e) { return Cell::Text(e.kind); }},
    {{.key = "target"}, [](const Entry& e) { return Cell::Text(e.target); }},
    {{.key = "name"}, [](const Entry& e) { return Cell::Text(e.name); }},
    {{.key = "value"}, Value},
};

// Like metadata, with the value's type.
const Column<Entry> kMetricColumns[] = {
    {{.key = "kind"}, [](const Entry& e) { return Cell::Text(e.kind); }},
    {{.key = "target"}, [](const Entry& e) { return Cell::Text(e.target); }},
    {{.key = "name"}, [](const Entry& e) { return Cell::Text(e.name); }},
    {{.key = "value"}, Value},
    {{.key = "type", .json_omit_absent = true},
     [](const Entry& e) { return e.netron_type ? Cell::Text(e.netron_type) : Cell::Absent(); }},
};

Entry Text(const char* kind, std::string_view target, const char* name, std::string text) {
  return {kind, target, name, Entry::Type::kText, 0, 0, std::move(text)};
}

// Netron shows numbers as JavaScript prints them: round to what a reader can use.
Entry Figure(std::string_view target, const char* name, double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return {"node", target,   name, Entry::Type::kReal, 0, std::round(v * scale) / scale,
          {},     "float64"};
}

// A count Netron can show exactly (JavaScript numbers are exact up to 2^53), else its digits as
// text; "unknown" when not known.
Entry Count(const char* kind, std::string_view target, const char* name,
            const std::optional<int64_t>& v) {
  constexpr int64_t kExact = int64_t{1} << 53;
  if (v && *v <= kExact) return {kind, target, name, Entry::Type::kInt, *v, 0, {}, "int64"};
  return {kind,    target, name, Entry::Type::kText, 0, 0, v ? std::to_string(*v) : "unknown",
          "string"};
}

std::vector<Entry> Metadata(const Overlay& o) {
  const Profile& p = *o.profile;
  const BuildInfo& b = GetBuildInfo();
  std::vector<Entry> rows;
  rows.push_back(Text("model", "", "tops",
                      "tops " + b.version + ", catalog " + b.catalog + ", revision " + b.revision));
  rows.push_back(Text("model", "", "counting", Join(CountingConventions(), "\n")));
  if (o.chip) {
    std::string text = o.chip->name + " (" + o.chip->id + "), " +
                       std::string(PrecisionName(o.chip->precision)) + ": ";
    if (o.chip->predicted) {
      text +=
          "time and time_percent per node from the per-layer roofline (approximate: calibrated "
          "per chip family, see docs/hardware.md)";
    } else {
      text += "no roofline prediction, the catalog lacks " + Join(Texts(o.chip->missing), ", ");
    }
    rows.push_back(Text("model", "", "chip", std::move(text)));
  }
  if (o.unnamed_nodes > 0 || o.shared_name_nodes > 0) {
    rows.push_back(Text("model", "", "not shown",
                        std::to_string(o.unnamed_nodes) + " node(s) without a name, " +
                            std::to_string(o.shared_name_nodes) +
                            " node(s) sharing a name: Netron addresses nodes by name only"));
  }
  for (size_t i = 0; i < p.nodes.size(); ++i) {
    if (!o.shown[i] || o.same_name[i] <= 1) continue;
    rows.push_back(Text("node", p.nodes[i].name, "note",
                        std::to_string(o.same_name[i]) +
                            " nodes of the graph have this name; Netron shows one set of metrics "
                            "for all of them: the first node's"));
  }
  return rows;
}

std::vector<Entry> Metrics(const Overlay& o) {
  const Profile& p = *o.profile;
  const Totals& t = p.totals;
  std::vector<Entry> rows = {
      Count("model", "", "macs", t.macs),
      Count("model", "", "flops", t.flops),
      Count("model", "", "params", t.params),
      Count("model", "", "weight_bytes", t.weight_bytes),
      Count("model", "", "activation_bytes", t.activation_bytes),
      Count("model", "", "peak_activation_bytes", t.peak_activation_bytes),
  };
  if (o.chip && o.chip->predicted) {
    Entry e = Figure("", "latency_ms", o.chip->latency_ms, 4);
    e.kind = "model";
    rows.push_back(std::move(e));
  }
  rows.reserve(rows.size() + 8 * p.nodes.size());
  for (size_t i = 0; i < p.nodes.size(); ++i) {
    if (!o.shown[i]) continue;
    const NodeProfile& n = p.nodes[i];
    rows.push_back(Count("node", n.name, "macs", n.macs));
    rows.push_back(Count("node", n.name, "flops", n.flops()));
    rows.push_back(Count("node", n.name, "params", n.params));
    rows.push_back(Count("node", n.name, "bytes_read", n.bytes_read));
    rows.push_back(Count("node", n.name, "bytes_written", n.bytes_written));
    if (o.macs_share[i]) rows.push_back(Figure(n.name, "macs_percent", 100 * *o.macs_share[i], 2));
    if (o.times.empty() || !o.times[i].time_ms) continue;
    const NodeTime& nt = o.times[i];
    rows.push_back(Figure(n.name, "time_ms", *nt.time_ms, 4));
    if (nt.time_share) rows.push_back(Figure(n.name, "time_percent", 100 * *nt.time_share, 2));
    if (nt.bound) rows.push_back(Text("node", n.name, "bound", std::string(BoundName(*nt.bound))));
  }
  return rows;
}

}  // namespace

void Lay(Sink& s, const Overlay& o) {
  s.Field("signature", Cell::Text("netron:attachment"));
  BuildIdentity(s);
  s.Rows<Entry>(kMetadataColumns, Metadata(o), {.key = "metadata", .formats = kJson});
  s.Rows<Entry>(kMetricColumns, Metrics(o), {.key = "metrics", .formats = kJson});
}

}  // namespace tops::report
