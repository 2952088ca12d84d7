// What `tops profile` prints of a Profile (per node, per op type with --group-by op, or per
// binding with --sweep), as rows with typed columns. The profile's JSON schema has its keys in
// alphabetical order (it began as a sorted document), so its members are laid out in that order.
#include "report/layouts.h"

namespace tops::report {
namespace {

std::string OpName(const NodeProfile& n) {
  return n.domain.empty() ? n.op : n.domain + "::" + n.op;
}

// ---- nodes -----------------------------------------------------------------------------------

struct NodeRow {
  const NodeProfile* n;
  const Totals* totals;
};

// MACs or FLOPs of a node: "n/a" (alert) for an op without a cost formula, "?" when unknown.
Cell Cost(const NodeProfile& n, const std::optional<int64_t>& v, bool alert) {
  if (!n.has_formula) return Cell::Absent("n/a").Emphasis(alert ? Mark::kAlert : Mark::kNone);
  return Cell::Int(v, "?");
}

// Per-node counts are human units in the terminal (the totals below stay exact), so that a
// 10^12-MAC layer still fits its column; 100 columns in all.
const Column<NodeRow> kNodeColumns[] = {
    {{.key = "name", .title = "node", .formats = kMarkdown | kCsv | kJson},
     [](const NodeRow& r) { return Cell::Text(r.n->name); }},
    {{.key = "name",
      .title = "Node",
      .formats = kTerminal,
      .width = 30,
      .clip = Clip::kTail,
      .clip_width = 29},
     [](const NodeRow& r) {
       return r.n->name.empty() ? Cell::Text("(unnamed)") : Cell::Text(r.n->name);
     }},
    {{.key = "op",
      .title = "Op",
      .formats = kHuman | kCsv,
      .width = 16,
      .clip = Clip::kTail,
      .clip_width = 15,
      .md_title = "op"},
     [](const NodeRow& r) { return Cell::Own(OpName(*r.n)); }},
    {{.key = "output_shapes",
      .title = "Output shape",
      .unit = Unit::kShape,
      .formats = kHuman | kCsv,
      .width = 20,
      .clip = Clip::kTail,
      .clip_width = 19,
      .md_title = "output shape"},
     [](const NodeRow& r) { return Cell::Shape(r.n->outputs); }},
    {{.key = "params",
      .title = "params",
      .unit = Unit::kCount,
      .formats = kMarkdown | kCsv | kJson,
      .right = true},
     [](const NodeRow& r) { return Cell::Int(r.n->params); }},
    {{.key = "params",
      .title = "Params",
      .unit = Unit::kCount,
      .formats = kTerminal,
      .style = Style::Si(),
      .width = 9,
      .right = true},
     [](const NodeRow& r) { return r.n->params ? Cell::Int(r.n->params) : Cell::Absent(); }},
    {{.key = "macs",
      .title = "MACs",
      .unit = Unit::kCount,
      .formats = kMarkdown | kCsv | kJson,
      .right = true},
     [](const NodeRow& r) { return Cost(*r.n, r.n->macs, false); }},
    {{.key = "macs",
      .title = "MACs",
      .unit = Unit::kCount,
      .formats = kTerminal,
      .style = Style::Si(),
      .width = 9,
      .right = true},
     [](const NodeRow& r) { return Cost(*r.n, r.n->macs, true); }},
    {{.key = "flops", .title = "FLOPs", .unit = Unit::kCount, .formats = kCsv | kJson},
     [](const NodeRow& r) { return Cell::Int(r.n->flops()); }},
    {{.key = "flops",
      .title = "FLOPs",
      .unit = Unit::kCount,
      .formats = kTerminal,
      .style = Style::Si(),
      .width = 9,
      .right = true},
     [](const NodeRow& r) { return Cost(*r.n, r.n->flops(), true); }},
    // A layer with a tenth of the model's MACs is where optimisation pays: it stands out.
    {{.key = "macs_percent",
      .title = "% MACs",
      .unit = Unit::kNumber,
      .formats = kHuman,
      .style = Style::Fixed(2, "%"),
      .width = 7,
      .right = true},
     [](const NodeRow& r) {
       const bool heavy = r.n->macs && r.totals->macs > 0 && *r.n->macs * 10 >= r.totals->macs;
       return Cell::Real(MacsPercent(r.n->macs, *r.totals))
           .Emphasis(heavy ? Mark::kHot : Mark::kNone);
     }},
    {{.key = "bytes_read", .title = "read", .unit = Unit::kBytes, .formats = kCsv | kJson},
     [](const NodeRow& r) { return Cell::Int(r.n->bytes_read); }},
    {{.key = "bytes_written", .title = "written", .unit = Unit::kBytes, .formats = kCsv | kJson},
     [](const NodeRow& r) { return Cell::Int(r.n->bytes_written); }},
    {{.key = "domain", .title = "domain", .formats = kJson, .json_omit_absent = true},
     [](const NodeRow& r) {
       return r.n->domain.empty() ? Cell::Absent() : Cell::Text(r.n->domain);
     }},
    {{.key = "has_formula", .title = "formula", .unit = Unit::kBool, .formats = kJson},
     [](const NodeRow& r) { return Cell::Bool(r.n->has_formula); }},
    {{.key = "op", .title = "op", .formats = kJson},
     [](const NodeRow& r) { return Cell::Text(r.n->op); }},
    {{.key = "outputs", .title = "outputs", .unit = Unit::kShape, .formats = kJson},
     [](const NodeRow& r) { return Cell::Shape(r.n->outputs); }},
};

// ---- op types (--group-by op) ----------------------------------------------------------------

struct GroupRow {
  const OpGroup* g;
  const Totals* totals;
};

const Column<GroupRow> kGroupColumns[] = {
    {{.key = "op",
      .title = "Op type",
      .width = 26,
      .clip = Clip::kTail,
      .clip_width = 25,
      .md_title = "op"},
     [](const GroupRow& r) { return Cell::Text(r.g->op); }},
    {{.key = "count",
      .title = "Nodes",
      .unit = Unit::kCount,
      .style = Style::Plain(),
      .width = 7,
      .right = true,
      .md_title = "nodes"},
     [](const GroupRow& r) { return Cell::Int(r.g->count); }},
    {{.key = "params",
      .title = "Params",
      .unit = Unit::kCount,
      .width = 15,
      .right = true,
      .md_title = "params"},
     [](const GroupRow& r) { return Cell::Int(r.g->params); }},
    {{.key = "macs", .title = "MACs", .unit = Unit::kCount, .width = 19, .right = true},
     [](const GroupRow& r) { return Cell::Int(r.g->macs); }},
    {{.key = "flops", .title = "FLOPs", .unit = Unit::kCount, .width = 21, .right = true},
     [](const GroupRow& r) { return Cell::Int(r.g->flops); }},
    {{.key = "macs_percent",
      .title = "% MACs",
      .unit = Unit::kNumber,
      .formats = kHuman,
      .style = Style::Fixed(2, "%"),
      .width = 9,
      .right = true},
     [](const GroupRow& r) { return Cell::Real(MacsPercent(r.g->macs, *r.totals)); }},
    {{.key = "nodes_without_cost",
      .title = "no cost",
      .unit = Unit::kCount,
      .formats = kCsv | kJson},
     [](const GroupRow& r) { return Cell::Int(r.g->nodes_without_cost); }},
};

// ---- totals ----------------------------------------------------------------------------------

struct TotalRow {
  const char* label;
  int64_t exact;
  std::string human;
};

// "Parameters:   11,684,712   (11.7 M)" in the terminal; "| parameters | 11,684,712 | 11.7 M |".
const Column<TotalRow> kTotalColumns[] = {
    {{.key = "total", .title = "total", .formats = kHuman, .width = 24},
     [](const TotalRow& r) { return Cell::Text(r.label); }},
    {{.key = "exact",
      .title = "exact",
      .unit = Unit::kCount,
      .formats = kHuman,
      .width = 20,
      .right = true},
     [](const TotalRow& r) { return Cell::Int(r.exact); }},
    {{.key = "human", .title = "", .formats = kHuman, .width = 0, .gap = 3},
     [](const TotalRow& r) { return Cell::Text(r.human); }},
};

std::vector<TotalRow> TerminalTotals(const Totals& t) {
  auto si = [](int64_t v, const char* unit) { return "(" + Int(v, Style::Si(unit)) + ")"; };
  auto bytes = [](int64_t v, const char* more) {
    return "(" + Int(v, Style::Binary()) + more + ")";
  };
  return {{"Parameters:", t.params, si(t.params, "")},
          {"MACs:", t.macs, si(t.macs, "MACs")},
          {"FLOPs:", t.flops, si(t.flops, "FLOPs")},
          {"  of which non-MAC ops:", t.other_ops, ""},
          {"Weight bytes:", t.weight_bytes, bytes(t.weight_bytes, "")},
          {"Activation bytes:", t.activation_bytes, bytes(t.activation_bytes, ", all tensors")},
          {"Peak live activations:", t.peak_activation_bytes, bytes(t.peak_activation_bytes, "")}};
}

std::vector<TotalRow> MarkdownTotals(const Totals& t) {
  return {{"parameters", t.params, Int(t.params, Style::Si())},
          {"MACs", t.macs, Int(t.macs, Style::Si())},
          {"FLOPs", t.flops, Int(t.flops, Style::Si())},
          {"weight bytes", t.weight_bytes, Int(t.weight_bytes, Style::Binary())},
          {"activation bytes", t.activation_bytes, Int(t.activation_bytes, Style::Binary())},
          {"peak live activations", t.peak_activation_bytes,
           Int(t.peak_activation_bytes, Style::Binary())}};
}

// The JSON totals object (profile and sweep points).
void TotalsFields(Sink& s, const Totals& t) {
  s.Open("totals");
  s.Field("activation_bytes", Cell::Int(t.activation_bytes));
  s.Field("flops", Cell::Int(t.flops));
  s.Field("macs", Cell::Int(t.macs));
  s.Field("nodes_without_cost", Cell::Int(t.nodes_without_cost));
  s.Field("other_ops", Cell::Int(t.other_ops));
  s.Field("params", Cell::Int(t.params));
  s.Field("peak_activation_bytes", Cell::Int(t.peak_activation_bytes));
  s.Field("weight_bytes", Cell::Int(t.weight_bytes));
  s.Close();
}

void BindingFields(Sink& s, const std::map<std::string, int64_t>& bindings) {
  s.Open("bindings");
  for (const auto& [k, v] : bindings) s.Field(k, Cell::Int(v));
  s.Close();
}

// ---- the rest of the JSON document -------------------------------------------------------------

struct DiagnosticRow {
  const Diagnostic* d;
};
const Column<DiagnosticRow> kDiagnosticColumns[] = {
    {{.key = "node", .title = "node"},
     [](const DiagnosticRow& r) { return Cell::Text(r.d->node); }},
    {{.key = "message", .title = "message"},
     [](const DiagnosticRow& r) { return Cell::Text(r.d->message); }},
};

struct UnsupportedRow {
  const UnsupportedOp* u;
};
const Column<UnsupportedRow> kUnsupportedColumns[] = {
    {{.key = "op", .title = "op"}, [](const UnsupportedRow& r) { return Cell::Text(r.u->op); }},
    {{.key = "count", .title = "nodes", .unit = Unit::kCount},
     [](const UnsupportedRow& r) { return Cell::Int(r.u->count); }},
};

void ModelFields(Sink& s, const ModelSummary& m) {
  s.Open("model");
  s.Field("file_bytes", Cell::Int(static_cast<int64_t>(m.file_bytes)));
  s.Field("inputs", Cell::Shape(m.inputs));
  s.Field("ir_version", Cell::Int(m.ir_version));
  s.Field("node_count", Cell::Int(m.node_count));
  std::map<std::string, int64_t> opsets;
  for (const auto& o : m.opsets) opsets[o.domain.empty() ? "ai.onnx" : o.domain] = o.version;
  s.Open("opsets");
  for (const auto& [domain, version] : opsets) s.Field(domain, Cell::Int(version));
  s.Close();
  s.Field("outputs", Cell::Shape(m.outputs));
  s.Field("path", Cell::Text(m.path));
  s.Field("producer", Cell::Text(m.producer));
  s.Close();
}

// ---- sentences -------------------------------------------------------------------------------

std::string TerminalHeading(const Profile& p) {
  std::string s = "Model: " + p.model.path + "  (" + p.model.producer + ", " +
                  Int(p.model.node_count, Style::Plain()) + " nodes";
  for (const auto& o : p.model.opsets) {
    s += ", opset " + (o.domain.empty() ? "" : o.domain + ":") + Int(o.version, Style::Plain());
  }
  s += ")\n";
  for (const auto& in : p.model.inputs) {
    s += "Input: " + in.name + " " + ShapeText(in.shape) + " " + std::string(DTypeName(in.dtype)) +
         "\n";
  }
  for (const auto& [k, v] : p.bindings) s += "Bound: " + k + " = " + Int(v, Style::Plain()) + "\n";
  return s + "\n";
}

std::string CoverageText(const Coverage& c) {
  return Int(c.costed, Style::Plain()) + " of " + Int(c.nodes, Style::Plain()) + " nodes (" +
         Number(c.percent, Style::Fixed(1, "%")) + ") have a cost formula";
}

Prose Closing(const Profile& p) {
  Prose out;
  std::string& t = out.terminal;
  t += "Convention:\n";
  for (const auto& c : CountingConventions()) AppendWrapped(t, "  - ", c);
  const std::string coverage = CoverageText(p.coverage);
  t += "Coverage: " + coverage + "\n";
  if (!p.unsupported.empty()) {
    t += "Ops without a cost formula (not counted):";
    for (const auto& u : p.unsupported) t += " " + u.op + " x" + Int(u.count, Style::Plain());
    t += "\n";
  }
  if (p.totals.nodes_without_cost > 0) {
    t += "Warning: " + Int(p.totals.nodes_without_cost, Style::Plain()) +
         " node(s) have a formula but unknown shapes; their MACs are missing from the totals\n";
  }
  if (!p.diagnostics.empty()) {
    t += "Diagnostics (" + Int(static_cast<int64_t>(p.diagnostics.size()), Style::Plain()) + "):\n";
    const size_t show = std::min<size_t>(p.diagnostics.size(), 20);
    for (size_t i = 0; i < show; ++i) {
      const auto& d = p.diagnostics[i];
      t += "  - " + (d.node.empty() ? "" : d.node + ": ") + d.message + "\n";
    }
    if (show < p.diagnostics.size()) {
      t += "  ... " + Int(static_cast<int64_t>(p.diagnostics.size() - show), Style::Plain()) +
           " more (use --format json for all)\n";
    }
  }
  std::string& m = out.markdown;
  m += "\nConvention:\n\n";
  for (const auto& c : CountingConventions()) m += "- " + c + "\n";
  m += "\nCoverage: " + coverage + ".";
  if (!p.unsupported.empty()) {
    m += " Ops without a cost formula:";
    for (const auto& u : p.unsupported) m += " `" + u.op + "` x" + Int(u.count, Style::Plain());
  }
  m += "\n";
  return out;
}

// ---- sweep -----------------------------------------------------------------------------------

const Column<const SweepPoint*> kSweepColumns[] = {
    {{.key = "params", .title = "params", .unit = Unit::kCount, .right = true},
     [](const SweepPoint* const& p) { return Cell::Int(p->profile.totals.params); }},
    {{.key = "macs", .title = "MACs", .unit = Unit::kCount, .right = true},
     [](const SweepPoint* const& p) { return Cell::Int(p->profile.totals.macs); }},
    {{.key = "flops", .title = "FLOPs", .unit = Unit::kCount, .right = true},
     [](const SweepPoint* const& p) { return Cell::Int(p->profile.totals.flops); }},
    {{.key = "weight_bytes", .title = "weights", .unit = Unit::kBytes, .right = true},
     [](const SweepPoint* const& p) { return Cell::Int(p->profile.totals.weight_bytes); }},
    {{.key = "activation_bytes", .title = "activations", .unit = Unit::kBytes, .right = true},
     [](const SweepPoint* const& p) { return Cell::Int(p->profile.totals.activation_bytes); }},
    {{.key = "peak_activation_bytes", .title = "peak act.", .unit = Unit::kBytes, .right = true},
     [](const SweepPoint* const& p) { return Cell::Int(p->profile.totals.peak_activation_bytes); }},
    {{.key = "nodes_without_cost", .title = "no cost", .unit = Unit::kCount, .right = true},
     [](const SweepPoint* const& p) { return Cell::Int(p->profile.totals.nodes_without_cost); }},
};

}  // namespace

void Lay(Sink& s, const Profile& p, const ProfileView& v) {
  const Totals& t = p.totals;
  BindingFields(s, p.bindings);
  s.Field("conventions", Cell::List(CountingConventions()));
  {
    std::vector<DiagnosticRow> rows;
    for (const auto& d : p.diagnostics) rows.push_back({&d});
    s.Rows<DiagnosticRow>(kDiagnosticColumns, std::move(rows),
                          {.key = "diagnostics", .formats = kJson, .json_sorted = true});
  }
  if (s.Reads()) s.Say(TerminalHeading(p), "## Profile of `" + p.model.path + "`\n\n");
  s.Rows<TotalRow>(kTotalColumns, MarkdownTotals(t), {.formats = kMarkdown});
  s.Say("", "\n");
  if (v.grouped) {
    std::vector<GroupRow> rows;
    for (const OpGroup& g : v.groups) rows.push_back({&g, &t});
    s.Rows<GroupRow>(kGroupColumns, std::move(rows),
                     {.key = "groups", .json_sorted = true, .gap = 0, .rule = '='});
  }
  ModelFields(s, p.model);
  {
    std::vector<NodeRow> rows;
    if (v.limited || !v.rows.empty()) {
      rows.reserve(v.rows.size());
      for (size_t i : v.rows) rows.push_back({&p.nodes[i], &t});
    } else {
      rows.reserve(p.nodes.size());
      for (const NodeProfile& n : p.nodes) rows.push_back({&n, &t});
    }
    s.Rows<NodeRow>(kNodeColumns, std::move(rows),
                    {.key = "nodes",
                     .formats = v.grouped ? kJson : kAll,
                     .json_sorted = true,
                     .gap = 0,
                     .rule = '='});
  }
  s.Field("schema_version", Cell::Int(kSchemaVersion));
  BuildIdentity(s, /*sorted=*/true);
  TotalsFields(s, t);
  {
    std::vector<UnsupportedRow> rows;
    for (const auto& u : p.unsupported) rows.push_back({&u});
    s.Rows<UnsupportedRow>(kUnsupportedColumns, std::move(rows),
                           {.key = "unsupported", .formats = kJson, .json_sorted = true});
  }
  if (!s.Reads()) return;
  std::string shown;
  if (v.limited && !v.grouped) {
    shown = "(" + Int(static_cast<int64_t>(v.rows.size()), Style::Plain()) + " heaviest of " +
            Int(static_cast<int64_t>(p.nodes.size()), Style::Plain()) + " nodes shown)\n";
  }
  const std::string rule(100, '=');
  s.Say(shown + rule + "\n", "");
  s.Rows<TotalRow>(kTotalColumns, TerminalTotals(t),
                   {.formats = kTerminal, .gap = 0, .header = false});
  s.Say(rule + "\n", "");
  s.Say(Closing(p));
}

void Lay(Sink& s, const Sweep& sweep) {
  // The first column is the swept dim, named by the user.
  std::vector<Column<const SweepPoint*>> columns = {
      {{.key = sweep.dim, .title = sweep.dim, .unit = Unit::kCount, .style = Style::Plain()},
       [](const SweepPoint* const& p) { return Cell::Int(p->value); }}};
  columns.insert(columns.end(), std::begin(kSweepColumns), std::end(kSweepColumns));
  std::vector<const SweepPoint*> rows;
  for (const SweepPoint& p : sweep.points) rows.push_back(&p);
  s.Rows<const SweepPoint*>(columns, std::move(rows),
                            {.formats = kHuman | kCsv, .gap = 2, .rule = '-', .md_padded = true});
  s.OpenList("points");
  for (const SweepPoint& p : sweep.points) {
    s.Open("");
    BindingFields(s, p.profile.bindings);
    TotalsFields(s, p.profile.totals);
    s.Field("value", Cell::Int(p.value));
    s.Close();
  }
  s.Close();
  s.Field("schema_version", Cell::Int(kSchemaVersion));
  s.Field("sweep", Cell::Text(sweep.dim));
  BuildIdentity(s, /*sorted=*/true);
}

}  // namespace tops::report
