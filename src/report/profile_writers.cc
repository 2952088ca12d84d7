// Profile writers: table, JSON, CSV, Markdown. They only serialise the Profile and the view
// (rows, groups) the analysis prepared.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "report/build_info_json.h"
#include "report/json_text.h"
#include "tops/report.h"

namespace tops {
namespace {

using nlohmann::json;

json DimJson(const Dim& d) {
  if (d.known()) return d.value;
  if (d.symbolic()) return d.symbol;
  return nullptr;
}

json ShapeJson(const Shape& s) {
  if (!s.rank_known) return nullptr;
  json a = json::array();
  for (const Dim& d : s.dims) a.push_back(DimJson(d));
  return a;
}

json OptJson(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }

std::vector<size_t> Rows(const Profile& p, const ProfileView& v) {
  if (v.limited || !v.rows.empty()) return v.rows;
  std::vector<size_t> all(p.nodes.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  return all;
}

std::string OpName(const NodeProfile& n) {
  return n.domain.empty() ? n.op : n.domain + "::" + n.op;
}

std::string OutputsText(const NodeProfile& n) {
  std::string s;
  for (size_t i = 0; i < n.outputs.size(); ++i) {
    if (i) s += " ";
    s += ShapeText(n.outputs[i].shape);
  }
  return s;
}

std::string Percent(std::optional<int64_t> part, int64_t total) {
  if (!part || total <= 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * static_cast<double>(*part) / total);
  return buf;
}

std::string OptCount(const std::optional<int64_t>& v) { return v ? WithCommas(*v) : "?"; }

// Shortens long node names from the left, keeping the informative tail.
std::string Fit(const std::string& s, size_t width) {
  if (s.size() <= width) return s;
  return "..." + s.substr(s.size() - (width - 3));
}

// ANSI styles for the terminal table, applied only when the view asks for colour (a terminal,
// without --no-color and without NO_COLOR).
constexpr const char* kBold = "\033[1m";
constexpr const char* kRed = "\033[31m";
constexpr const char* kYellow = "\033[1;33m";

std::string Paint(const ProfileView& v, const char* style, const std::string& text) {
  if (!v.color || style[0] == '\0') return text;
  return style + text + "\033[0m";
}

std::string Pad(const std::string& s, size_t width, bool right) {
  if (s.size() >= width) return s;
  return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

// Word-wraps text to `width` columns, first line after `lead`, the rest after `indent`.
std::string Wrap(const std::string& text, size_t width, const std::string& lead,
                 const std::string& indent) {
  std::string out, line = lead;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(pos, end - pos);
    if (line.size() + word.size() + 1 > width && line.size() > indent.size()) {
      out += line + "\n";
      line = indent;
    }
    if (line.size() > indent.size() && line != lead) line += ' ';
    line += word;
    pos = end + 1;
  }
  return out + line + "\n";
}

int64_t UnsupportedNodes(const Profile& p) {
  int64_t n = 0;
  for (const auto& u : p.unsupported) n += u.count;
  return n;
}

std::string CoverageText(const Profile& p) {
  const int64_t total = static_cast<int64_t>(p.nodes.size());
  const int64_t un = UnsupportedNodes(p);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%lld of %lld nodes (%.1f%%) have a cost formula",
                static_cast<long long>(total - un), static_cast<long long>(total),
                total ? 100.0 * static_cast<double>(total - un) / total : 100.0);
  return buf;
}

void WriteTable(std::ostream& os, const Profile& p, const ProfileView& v) {
  const auto& t = p.totals;
  os << "Model: " << p.model.path << "  (" << p.model.producer << ", " << p.model.node_count
     << " nodes";
  for (const auto& o : p.model.opsets) {
    os << ", opset " << (o.domain.empty() ? "" : o.domain + ":") << o.version;
  }
  os << ")\n";
  for (const auto& in : p.model.inputs) {
    os << "Input: " << in.name << " " << ShapeText(in.shape) << " " << DTypeName(in.dtype) << "\n";
  }
  for (const auto& [k, val] : p.bindings) os << "Bound: " << k << " = " << val << "\n";
  os << "\n";
  if (v.grouped) {
    const size_t w_op = 26;
    os << Pad("Op type", w_op, false) << Pad("Nodes", 7, true) << Pad("Params", 15, true)
       << Pad("MACs", 19, true) << Pad("FLOPs", 21, true) << Pad("% MACs", 9, true) << "\n";
    os << std::string(w_op + 7 + 15 + 19 + 21 + 9, '=') << "\n";
    for (const OpGroup& g : v.groups) {
      os << Pad(Fit(g.op, w_op - 1), w_op, false) << Pad(std::to_string(g.count), 7, true)
         << Pad(WithCommas(g.params), 15, true) << Pad(WithCommas(g.macs), 19, true)
         << Pad(WithCommas(g.flops), 21, true) << Pad(Percent(g.macs, t.macs), 9, true) << "\n";
    }
  } else {
    // 100 columns in all. Per-node counts are human units (the totals below stay exact), so
    // that a 10^12-MAC layer still fits its column.
    const size_t w_name = 30, w_op = 16, w_shape = 20, w_num = 9, w_pct = 7;
    os << Paint(v, kBold,
                Pad("Node", w_name, false) + Pad("Op", w_op, false) +
                    Pad("Output shape", w_shape, false) + Pad("Params", w_num, true) +
                    Pad("MACs", w_num, true) + Pad("FLOPs", w_num, true) +
                    Pad("% MACs", w_pct, true))
       << "\n";
    os << std::string(w_name + w_op + w_shape + 3 * w_num + w_pct, '=') << "\n";
    auto human = [&](const NodeProfile& n, const std::optional<int64_t>& x) {
      if (!n.has_formula) return Paint(v, kRed, Pad("n/a", w_num, true));
      return Pad(x ? HumanCount(static_cast<double>(*x)) : "?", w_num, true);
    };
    for (size_t i : Rows(p, v)) {
      const NodeProfile& n = p.nodes[i];
      const std::string name = n.name.empty() ? "(unnamed)" : n.name;
      // A layer with a tenth of the model's MACs is where optimisation pays; make it stand out.
      const bool heavy = n.macs && t.macs > 0 && *n.macs * 10 >= t.macs;
      os << Pad(Fit(name, w_name - 1), w_name, false) << Pad(Fit(OpName(n), w_op - 1), w_op, false)
         << Pad(Fit(OutputsText(n), w_shape - 1), w_shape, false)
         << Pad(n.params ? HumanCount(static_cast<double>(n.params)) : "-", w_num, true)
         << human(n, n.macs) << human(n, n.flops())
         << Paint(v, heavy ? kYellow : "", Pad(Percent(n.macs, t.macs), w_pct, true)) << "\n";
    }
    if (v.limited) {
      os << "(" << v.rows.size() << " heaviest of " << p.nodes.size() << " nodes shown)\n";
    }
  }
  os << std::string(100, '=') << "\n";
  auto line = [&](const char* label, const std::string& exact, const std::string& human) {
    os << Pad(label, 24, false) << Pad(exact, 20, true) << "   " << human << "\n";
  };
  line("Parameters:", WithCommas(t.params), "(" + HumanCount(static_cast<double>(t.params)) + ")");
  line("MACs:", WithCommas(t.macs), "(" + HumanCount(static_cast<double>(t.macs)) + "MACs)");
  line("FLOPs:", WithCommas(t.flops), "(" + HumanCount(static_cast<double>(t.flops)) + "FLOPs)");
  line("  of which non-MAC ops:", WithCommas(t.other_ops), "");
  line("Weight bytes:", WithCommas(t.weight_bytes),
       "(" + HumanBytes(static_cast<double>(t.weight_bytes)) + ")");
  line("Activation bytes:", WithCommas(t.activation_bytes),
       "(" + HumanBytes(static_cast<double>(t.activation_bytes)) + ", all tensors)");
  line("Peak live activations:", WithCommas(t.peak_activation_bytes),
       "(" + HumanBytes(static_cast<double>(t.peak_activation_bytes)) + ")");
  os << std::string(100, '=') << "\n";
  os << "Convention:\n";
  for (const auto& c : CountingConventions()) os << Wrap(c, 100, "  - ", "    ");
  os << "Coverage: " << CoverageText(p) << "\n";
  if (!p.unsupported.empty()) {
    os << "Ops without a cost formula (not counted):";
    for (const auto& u : p.unsupported) os << " " << u.op << " x" << u.count;
    os << "\n";
  }
  if (t.nodes_without_cost > 0) {
    os << "Warning: " << t.nodes_without_cost
       << " node(s) have a formula but unknown shapes; their MACs are missing from the totals\n";
  }
  if (!p.diagnostics.empty()) {
    os << "Diagnostics (" << p.diagnostics.size() << "):\n";
    const size_t show = std::min<size_t>(p.diagnostics.size(), 20);
    for (size_t i = 0; i < show; ++i) {
      const auto& d = p.diagnostics[i];
      os << "  - " << (d.node.empty() ? "" : d.node + ": ") << d.message << "\n";
    }
    if (show < p.diagnostics.size()) {
      os << "  ... " << p.diagnostics.size() - show << " more (use --format json for all)\n";
    }
  }
}

json ProfileJson(const Profile& p, const ProfileView& v) {
  json j;
  j["schema_version"] = kProfileSchemaVersion;
  j["tops"] = BuildInfoJson<json>();
  json opsets = json::object();
  for (const auto& o : p.model.opsets) opsets[o.domain.empty() ? "ai.onnx" : o.domain] = o.version;
  json io_in = json::array(), io_out = json::array();
  for (const auto& i : p.model.inputs) {
    io_in.push_back(
        {{"name", i.name}, {"dtype", DTypeName(i.dtype)}, {"shape", ShapeJson(i.shape)}});
  }
  for (const auto& o : p.model.outputs) {
    io_out.push_back(
        {{"name", o.name}, {"dtype", DTypeName(o.dtype)}, {"shape", ShapeJson(o.shape)}});
  }
  j["model"] = {{"path", p.model.path},
                {"producer", p.model.producer},
                {"ir_version", p.model.ir_version},
                {"opsets", opsets},
                {"node_count", p.model.node_count},
                {"file_bytes", p.model.file_bytes},
                {"inputs", io_in},
                {"outputs", io_out}};
  j["bindings"] = p.bindings;
  j["conventions"] = CountingConventions();
  const auto& t = p.totals;
  j["totals"] = {{"params", t.params},
                 {"macs", t.macs},
                 {"flops", t.flops},
                 {"other_ops", t.other_ops},
                 {"weight_bytes", t.weight_bytes},
                 {"activation_bytes", t.activation_bytes},
                 {"peak_activation_bytes", t.peak_activation_bytes},
                 {"nodes_without_cost", t.nodes_without_cost}};
  json nodes = json::array();
  for (size_t i : Rows(p, v)) {
    const NodeProfile& n = p.nodes[i];
    json outs = json::array();
    for (const auto& o : n.outputs) {
      outs.push_back(
          {{"name", o.name}, {"dtype", DTypeName(o.dtype)}, {"shape", ShapeJson(o.shape)}});
    }
    json node = {{"name", n.name},
                 {"op", n.op},
                 {"outputs", outs},
                 {"params", n.params},
                 {"macs", OptJson(n.macs)},
                 {"flops", OptJson(n.flops())},
                 {"bytes_read", OptJson(n.bytes_read)},
                 {"bytes_written", OptJson(n.bytes_written)},
                 {"has_formula", n.has_formula}};
    if (!n.domain.empty()) node["domain"] = n.domain;
    nodes.push_back(std::move(node));
  }
  j["nodes"] = std::move(nodes);
  if (v.grouped) {
    json groups = json::array();
    for (const OpGroup& g : v.groups) {
      groups.push_back({{"op", g.op},
                        {"count", g.count},
                        {"params", g.params},
                        {"macs", g.macs},
                        {"flops", g.flops},
                        {"nodes_without_cost", g.nodes_without_cost}});
    }
    j["groups"] = std::move(groups);
  }
  json un = json::array();
  for (const auto& u : p.unsupported) un.push_back({{"op", u.op}, {"count", u.count}});
  j["unsupported"] = std::move(un);
  json diags = json::array();
  for (const auto& d : p.diagnostics) diags.push_back({{"node", d.node}, {"message", d.message}});
  j["diagnostics"] = std::move(diags);
  return j;
}

std::string OptPlain(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : ""; }

void WriteCsv(std::ostream& os, const Profile& p, const ProfileView& v) {
  if (v.grouped) {
    os << "op,count,params,macs,flops,nodes_without_cost\n";
    for (const OpGroup& g : v.groups) {
      os << CsvField(g.op) << ',' << g.count << ',' << g.params << ',' << g.macs << ',' << g.flops
         << ',' << g.nodes_without_cost << '\n';
    }
    return;
  }
  os << "name,op,output_shapes,params,macs,flops,bytes_read,bytes_written\n";
  for (size_t i : Rows(p, v)) {
    const NodeProfile& n = p.nodes[i];
    os << CsvField(n.name) << ',' << CsvField(OpName(n)) << ',' << CsvField(OutputsText(n)) << ','
       << n.params << ',' << OptPlain(n.macs) << ',' << OptPlain(n.flops()) << ','
       << OptPlain(n.bytes_read) << ',' << OptPlain(n.bytes_written) << '\n';
  }
}

void WriteMarkdown(std::ostream& os, const Profile& p, const ProfileView& v) {
  const auto& t = p.totals;
  os << "## Profile of `" << p.model.path << "`\n\n";
  os << "| total | exact | |\n|---|---:|---|\n";
  os << "| parameters | " << WithCommas(t.params) << " | "
     << HumanCount(static_cast<double>(t.params)) << " |\n";
  os << "| MACs | " << WithCommas(t.macs) << " | " << HumanCount(static_cast<double>(t.macs))
     << " |\n";
  os << "| FLOPs | " << WithCommas(t.flops) << " | " << HumanCount(static_cast<double>(t.flops))
     << " |\n";
  os << "| weight bytes | " << WithCommas(t.weight_bytes) << " | "
     << HumanBytes(static_cast<double>(t.weight_bytes)) << " |\n";
  os << "| activation bytes | " << WithCommas(t.activation_bytes) << " | "
     << HumanBytes(static_cast<double>(t.activation_bytes)) << " |\n";
  os << "| peak live activations | " << WithCommas(t.peak_activation_bytes) << " | "
     << HumanBytes(static_cast<double>(t.peak_activation_bytes)) << " |\n\n";
  if (v.grouped) {
    os << "| op | nodes | params | MACs | FLOPs | % MACs |\n|---|---:|---:|---:|---:|---:|\n";
    for (const OpGroup& g : v.groups) {
      os << "| " << MarkdownCell(g.op) << " | " << g.count << " | " << WithCommas(g.params) << " | "
         << WithCommas(g.macs) << " | " << WithCommas(g.flops) << " | " << Percent(g.macs, t.macs)
         << " |\n";
    }
  } else {
    os << "| node | op | output shape | params | MACs | % MACs |\n|---|---|---|---:|---:|---:|\n";
    for (size_t i : Rows(p, v)) {
      const NodeProfile& n = p.nodes[i];
      os << "| " << MarkdownCell(n.name) << " | " << MarkdownCell(OpName(n)) << " | "
         << MarkdownCell(OutputsText(n)) << " | " << WithCommas(n.params) << " | "
         << (n.has_formula ? OptCount(n.macs) : "n/a") << " | " << Percent(n.macs, t.macs)
         << " |\n";
    }
  }
  os << "\nConvention:\n\n";
  for (const auto& c : CountingConventions()) os << "- " << c << "\n";
  os << "\nCoverage: " << CoverageText(p) << ".";
  if (!p.unsupported.empty()) {
    os << " Ops without a cost formula:";
    for (const auto& u : p.unsupported) os << " `" << u.op << "` x" << u.count;
  }
  os << "\n";
}

}  // namespace

void WriteProfile(std::ostream& os, const Profile& p, const ProfileView& view, Format format) {
  switch (format) {
    case Format::kTable:
      return WriteTable(os, p, view);
    case Format::kJson:
      // Names come from the file and need not be UTF-8: replace bad bytes rather than throw.
      os << JsonText(ProfileJson(p, view)) << "\n";
      return;
    case Format::kCsv:
      return WriteCsv(os, p, view);
    case Format::kMarkdown:
      return WriteMarkdown(os, p, view);
  }
}

}  // namespace tops
