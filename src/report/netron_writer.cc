// Netron attachment writer (format: include/tops/netron.h). Serialises the Overlay; the shares
// and times come from src/analysis/overlay.cc.
#include <cmath>
#include <string>

#include "report/build_info_json.h"
#include "report/json_text.h"
#include "tops/netron.h"
#include "tops/report.h"

namespace tops {
namespace {

using Json = nlohmann::ordered_json;

// Netron shows numbers as JavaScript prints them: round to what a reader can use.
double Rounded(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

Json Entry(const char* kind, const std::string& target, const std::string& name, Json value,
           const char* type) {
  Json e = Json::object();
  e["kind"] = kind;
  e["target"] = target;
  e["name"] = name;
  e["value"] = std::move(value);
  if (type != nullptr) e["type"] = type;
  return e;
}

// A count Netron can show exactly (JavaScript numbers are exact up to 2^53), or "unknown".
Json Count(const std::optional<int64_t>& v) {
  if (!v) return "unknown";
  if (*v > (int64_t{1} << 53)) return std::to_string(*v);
  return *v;
}
const char* CountType(const std::optional<int64_t>& v) {
  return v && *v <= (int64_t{1} << 53) ? "int64" : "string";
}

void AddCount(Json& metrics, const char* kind, const std::string& target, const char* name,
              const std::optional<int64_t>& v) {
  metrics.push_back(Entry(kind, target, name, Count(v), CountType(v)));
}

}  // namespace

void WriteNetronAttachment(std::ostream& os, const Overlay& o) {
  const Profile& p = *o.profile;
  Json j = Json::object();
  j["signature"] = "netron:attachment";
  j["tops"] = BuildInfoJson<Json>();

  Json metadata = Json::array();
  const BuildInfo& b = GetBuildInfo();
  metadata.push_back(
      Entry("model", "", "tops",
            "tops " + b.version + ", catalog " + b.catalog + ", revision " + b.revision, nullptr));
  metadata.push_back(Entry("model", "", "counting", Join(CountingConventions(), "\n"), nullptr));
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
    metadata.push_back(Entry("model", "", "chip", text, nullptr));
  }
  if (o.unnamed_nodes > 0 || o.shared_name_nodes > 0) {
    metadata.push_back(Entry("model", "", "not shown",
                             std::to_string(o.unnamed_nodes) + " node(s) without a name, " +
                                 std::to_string(o.shared_name_nodes) +
                                 " node(s) sharing a name: Netron addresses nodes by name only",
                             nullptr));
  }
  j["metadata"] = std::move(metadata);

  Json metrics = Json::array();
  const Totals& t = p.totals;
  AddCount(metrics, "model", "", "macs", t.macs);
  AddCount(metrics, "model", "", "flops", t.flops);
  AddCount(metrics, "model", "", "params", t.params);
  AddCount(metrics, "model", "", "weight_bytes", t.weight_bytes);
  AddCount(metrics, "model", "", "activation_bytes", t.activation_bytes);
  AddCount(metrics, "model", "", "peak_activation_bytes", t.peak_activation_bytes);
  if (o.chip && o.chip->predicted) {
    metrics.push_back(Entry("model", "", "latency_ms", Rounded(o.chip->latency_ms, 4), "float64"));
  }
  for (size_t i = 0; i < p.nodes.size(); ++i) {
    const NodeProfile& n = p.nodes[i];
    if (!o.shown[i]) continue;
    if (o.same_name[i] > 1) {
      j["metadata"].push_back(Entry("node", n.name, "note",
                                    std::to_string(o.same_name[i]) +
                                        " nodes of the graph have this name; Netron shows one set "
                                        "of metrics for all of them: the first node's",
                                    nullptr));
    }
    AddCount(metrics, "node", n.name, "macs", n.macs);
    AddCount(metrics, "node", n.name, "flops", n.flops());
    AddCount(metrics, "node", n.name, "params", n.params);
    AddCount(metrics, "node", n.name, "bytes_read", n.bytes_read);
    AddCount(metrics, "node", n.name, "bytes_written", n.bytes_written);
    if (o.macs_share[i]) {
      metrics.push_back(
          Entry("node", n.name, "macs_percent", Rounded(100 * *o.macs_share[i], 2), "float64"));
    }
    if (!o.times.empty() && o.times[i].time_ms) {
      const NodeTime& nt = o.times[i];
      metrics.push_back(Entry("node", n.name, "time_ms", Rounded(*nt.time_ms, 4), "float64"));
      if (nt.time_share) {
        metrics.push_back(
            Entry("node", n.name, "time_percent", Rounded(100 * *nt.time_share, 2), "float64"));
      }
      if (nt.bound) {
        metrics.push_back(
            Entry("node", n.name, "bound", std::string(BoundName(*nt.bound)), nullptr));
      }
    }
  }
  j["metrics"] = std::move(metrics);
  os << JsonText(j) << "\n";
}

}  // namespace tops
