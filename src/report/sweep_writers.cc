// Writers for --sweep: totals per binding. They serialise the profiles' totals only.
#include <nlohmann/json.hpp>

#include "report/build_info_json.h"
#include "report/json_text.h"
#include "tops/report.h"

namespace tops {
namespace {

using nlohmann::json;

struct Column {
  const char* title;
  int64_t (*get)(const Totals&);
  bool bytes;
};

const Column kColumns[] = {
    {"params", [](const Totals& t) { return t.params; }, false},
    {"MACs", [](const Totals& t) { return t.macs; }, false},
    {"FLOPs", [](const Totals& t) { return t.flops; }, false},
    {"weights", [](const Totals& t) { return t.weight_bytes; }, true},
    {"activations", [](const Totals& t) { return t.activation_bytes; }, true},
    {"peak act.", [](const Totals& t) { return t.peak_activation_bytes; }, true},
    {"no cost", [](const Totals& t) { return t.nodes_without_cost; }, false},
};

std::string Cell(const Column& c, const Totals& t) {
  const int64_t v = c.get(t);
  return c.bytes ? HumanBytes(static_cast<double>(v)) : WithCommas(v);
}

void WriteTable(std::ostream& os, const Sweep& s, bool markdown) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head{s.dim};
  for (const Column& c : kColumns) head.push_back(c.title);
  for (const SweepPoint& p : s.points) {
    std::vector<std::string> row{std::to_string(p.value)};
    for (const Column& c : kColumns) row.push_back(Cell(c, p.profile.totals));
    rows.push_back(std::move(row));
  }
  std::vector<size_t> width(head.size());
  for (size_t i = 0; i < head.size(); ++i) {
    width[i] = head[i].size();
    for (const auto& r : rows) width[i] = std::max(width[i], r[i].size());
  }
  auto line = [&](const std::vector<std::string>& r) {
    for (size_t i = 0; i < r.size(); ++i) {
      const std::string pad(width[i] - r[i].size(), ' ');
      if (markdown)
        os << "| " << (i ? pad + r[i] : r[i] + pad) << " ";
      else
        os << (i ? "  " : "") << (i ? pad + r[i] : r[i] + pad);
    }
    os << (markdown ? "|\n" : "\n");
  };
  line(head);
  if (markdown) {
    for (size_t i = 0; i < head.size(); ++i) {
      os << "|" << (i ? std::string(width[i] + 1, '-') + ":" : std::string(width[i] + 2, '-'));
    }
    os << "|\n";
  } else {
    size_t total = 0;
    for (size_t w : width) total += w + 2;
    os << std::string(total - 2, '-') << "\n";
  }
  for (const auto& r : rows) line(r);
}

void WriteCsv(std::ostream& os, const Sweep& s) {
  os << CsvField(s.dim) << ",params,macs,flops,weight_bytes,activation_bytes,peak_activation_bytes,"
     << "nodes_without_cost\n";
  for (const SweepPoint& p : s.points) {
    const Totals& t = p.profile.totals;
    os << p.value << "," << t.params << "," << t.macs << "," << t.flops << "," << t.weight_bytes
       << "," << t.activation_bytes << "," << t.peak_activation_bytes << "," << t.nodes_without_cost
       << "\n";
  }
}

void WriteJson(std::ostream& os, const Sweep& s) {
  json j;
  j["schema_version"] = kProfileSchemaVersion;
  j["tops"] = BuildInfoJson<json>();
  j["sweep"] = s.dim;
  j["points"] = json::array();
  for (const SweepPoint& p : s.points) {
    const Totals& t = p.profile.totals;
    json bindings = json::object();
    for (const auto& [k, v] : p.profile.bindings) bindings[k] = v;
    j["points"].push_back({{"value", p.value},
                           {"bindings", bindings},
                           {"totals",
                            {{"params", t.params},
                             {"macs", t.macs},
                             {"other_ops", t.other_ops},
                             {"flops", t.flops},
                             {"weight_bytes", t.weight_bytes},
                             {"activation_bytes", t.activation_bytes},
                             {"peak_activation_bytes", t.peak_activation_bytes},
                             {"nodes_without_cost", t.nodes_without_cost}}}});
  }
  os << JsonText(j) << "\n";
}

}  // namespace

void WriteSweep(std::ostream& os, const Sweep& sweep, Format format) {
  switch (format) {
    case Format::kTable:
      return WriteTable(os, sweep, false);
    case Format::kMarkdown:
      return WriteTable(os, sweep, true);
    case Format::kCsv:
      return WriteCsv(os, sweep);
    case Format::kJson:
      return WriteJson(os, sweep);
  }
}

}  // namespace tops
