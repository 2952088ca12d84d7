// Wording and tables shared by the HTML and Markdown reports (see report_text.h).
#include "report/report_text.h"

namespace tops::report {

std::string NodeName(const Report& r, size_t node) {
  const std::string& n = r.profile.nodes[node].name;
  return n.empty() ? "(unnamed #" + Int(static_cast<int64_t>(node), Style::Plain()) + ")" : n;
}

std::string OpName(const NodeProfile& n) {
  return n.domain.empty() ? n.op : n.domain + "::" + n.op;
}

std::string Share(double part, double whole) {
  if (!(whole > 0)) return "-";
  return Number(100.0 * part / whole, Style::Fixed(1, "%"));
}

std::string ChipChoiceText(const Report& r) {
  if (r.chips.empty()) {
    return r.chip_choice == ChipChoice::kGiven
               ? "No chip given."
               : "No chip of the catalog has the figures for a prediction.";
  }
  std::string names;
  for (size_t i = 0; i < r.chips.size(); ++i) {
    if (i) names += i + 1 == r.chips.size() ? " and " : ", ";
    names += r.chips[i].fit.chip_name;
  }
  if (r.chip_choice == ChipChoice::kGiven) return "Chips: " + names + " (as asked).";
  return "Chips: " + names +
         ", the best of the catalog by predicted frame rate (--chip picks others).";
}

std::vector<std::string> FitNotes(const FitResult& f) {
  std::vector<std::string> out;
  for (const auto& m : f.missing) out.push_back("missing: " + m.text);
  for (const auto& m : f.predicted.missing) out.push_back("prediction lacks: " + m.text);
  for (const auto& c : f.predicted.caveats) out.push_back(c.text);
  return out;
}

std::vector<Fact> Facts(const Report& r, bool html) {
  const Profile& p = r.profile;
  const Totals& t = p.totals;
  auto key = [html](std::string k) {
    if (html && !k.empty())
      k[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(k[0])));
    return k;
  };
  auto exact = [](int64_t v) { return Int(v, Style::Commas()) + " (" + Int(v, Style::Si()) + ")"; };
  std::vector<Fact> facts;
  facts.push_back({key("file"), r.label});
  if (html || !p.model.producer.empty()) {
    facts.push_back({key("producer"), p.model.producer.empty() ? "-" : p.model.producer});
  }
  if (html) {
    std::string opsets;
    for (const auto& o : p.model.opsets) {
      opsets += (opsets.empty() ? "" : ", ") +
                (o.domain.empty() ? std::string("ai.onnx") : o.domain) + " " +
                Int(o.version, Style::Plain());
    }
    facts.push_back({key("opsets"), opsets.empty() ? "-" : opsets});
  }
  facts.push_back({key("nodes"), Int(p.model.node_count, Style::Commas())});
  for (const auto& in : p.model.inputs) {
    facts.push_back(
        {key("input ") + in.name, ShapeText(in.shape) + " " + std::string(DTypeName(in.dtype))});
  }
  for (const auto& [k, v] : p.bindings) {
    facts.push_back({key("bound dim ") + k, Int(v, Style::Plain())});
  }
  facts.push_back({key("parameters"), exact(t.params)});
  facts.push_back({"MACs", exact(t.macs)});
  facts.push_back({"FLOPs", exact(t.flops)});
  facts.push_back({key("weights"), Int(t.weight_bytes, Style::Binary()) + " as stored"});
  facts.push_back({key("activations"), Int(t.activation_bytes, Style::Binary()) +
                                           " written, peak live " +
                                           Int(t.peak_activation_bytes, Style::Binary())});
  for (const auto& pr : r.requirement.precisions) {
    facts.push_back({key("required at ") + Number(r.fps, Style::Rounded()) + " FPS, " +
                         std::string(PrecisionName(pr.precision)),
                     Number(pr.own_tops, Style::Rounded()) + " TOPS (" +
                         Number(pr.int8_equivalent_tops, Style::Rounded()) + " INT8-equivalent)"});
  }
  return facts;
}

namespace {

const Column<Fact> kFactColumns[] = {
    {{.key = "fact", .title = "model", .formats = kMarkdown | kHtml, .row_header = true},
     [](const Fact& f) { return Cell::Text(f.key); }},
    {{.key = "value", .title = "", .formats = kMarkdown | kHtml},
     [](const Fact& f) { return Cell::Text(f.value); }},
};

using ChipColumn = Column<const ChipReport*>;
const FitResult& F(const ChipReport* c) { return c->fit; }
const Prediction& P(const ChipReport* c) { return c->fit.predicted; }
constexpr Style kTops = Style::Rounded();

// "250-426": the likely range of a frame rate, as `fit` and `compare` print it.
Cell LikelyRange(double low, double high) {
  return Cell::Own(Number(low, Style::Adaptive()) + "-" + Number(high, Style::Adaptive()));
}

// The prediction's verdict: coloured in HTML, bold in Markdown.
Cell Predicted(const ChipReport* c, bool html) {
  if (!P(c).available) return Cell::Text("n/a");
  Cell v = Cell::Text(P(c).fits ? "fits" : "does not fit");
  return std::move(v.Emphasis(html ? (P(c).fits ? Mark::kGood : Mark::kBad) : Mark::kBest));
}

const ChipColumn kVerdictColumns[] = {
    {{.key = "chip", .title = "Chip", .formats = kMarkdown | kHtml, .md_title = "chip"},
     [](const ChipReport* const& c) { return Cell::Text(F(c).chip_name); }},
    {{.key = "peak_tops",
      .title = "Peak TOPS",
      .unit = Unit::kTops,
      .formats = kMarkdown | kHtml,
      .style = kTops,
      .right = true,
      .absent = "n/a",
      .md_title = "peak TOPS"},
     [](const ChipReport* const& c) { return Cell::Real(F(c).chip_tops); }},
    {{.key = "required_tops",
      .title = "Required",
      .unit = Unit::kTops,
      .formats = kMarkdown | kHtml,
      .style = kTops,
      .right = true,
      .md_title = "required"},
     [](const ChipReport* const& c) { return Cell::Real(F(c).required_tops); }},
    {{.key = "effective_tops",
      .title = "Effective",
      .unit = Unit::kTops,
      .formats = kMarkdown | kHtml,
      .style = kTops,
      .right = true,
      .absent = "n/a",
      .md_title = "effective"},
     [](const ChipReport* const& c) { return Cell::Real(F(c).effective_tops); }},
    {{.key = "article", .title = "Article", .formats = kMarkdown | kHtml, .md_title = "article"},
     [](const ChipReport* const& c) {
       const auto& s = F(c).is_sufficient;
       Cell v = Cell::Text(!s ? "n/a" : *s ? "sufficient" : "insufficient");
       return std::move(v.Emphasis(s.value_or(false) ? Mark::kGood : Mark::kBad));
     }},
    {{.key = "latency_ms",
      .title = "Latency",
      .unit = Unit::kMs,
      .formats = kMarkdown | kHtml,
      .style = Style::Millis(),
      .right = true,
      .md_title = "latency"},
     [](const ChipReport* const& c) {
       return P(c).available ? Cell::Real(P(c).latency_ms) : Cell::Absent();
     }},
    {{.key = "fps",
      .title = "FPS",
      .unit = Unit::kNumber,
      .formats = kMarkdown | kHtml,
      .style = kTops,
      .right = true},
     [](const ChipReport* const& c) {
       return P(c).available ? Cell::Real(P(c).fps) : Cell::Absent();
     }},
    {{.key = "likely_fps",
      .title = "Likely FPS",
      .formats = kMarkdown | kHtml,
      .right = true,
      .md_title = "likely FPS"},
     [](const ChipReport* const& c) {
       return P(c).available && P(c).band.known() ? LikelyRange(P(c).fps_low, P(c).fps_high)
                                                  : Cell::Absent();
     }},
    {{.key = "bound", .title = "Bound", .formats = kMarkdown | kHtml, .md_title = "bound"},
     [](const ChipReport* const& c) {
       return P(c).available ? Cell::Text(BoundName(P(c).bound)) : Cell::Absent();
     }},
    {{.key = "prediction", .title = "Prediction", .formats = kHtml},
     [](const ChipReport* const& c) { return Predicted(c, true); }},
    {{.key = "prediction", .title = "prediction", .formats = kMarkdown},
     [](const ChipReport* const& c) { return Predicted(c, false); }},
    {{.key = "fps_per_watt",
      .title = "FPS/W",
      .unit = Unit::kNumber,
      .formats = kMarkdown | kHtml,
      .style = kTops,
      .right = true,
      .absent = "n/a"},
     [](const ChipReport* const& c) { return Cell::Real(P(c).fps_per_watt); }},
};

using ScenarioColumn = Column<const ScenarioResult*>;
const ScenarioColumn kWhatifColumns[] = {
    {{.key = "scenario", .title = "Scenario", .formats = kMarkdown | kHtml, .md_title = "scenario"},
     [](const ScenarioResult* const& s) { return Cell::Text(s->scenario.name); }},
    {{.key = "precision",
      .title = "Precision",
      .formats = kMarkdown | kHtml,
      .md_title = "precision"},
     [](const ScenarioResult* const& s) { return Cell::Text(PrecisionName(s->precision)); }},
    {{.key = "macs",
      .title = "MACs",
      .unit = Unit::kCount,
      .formats = kMarkdown | kHtml,
      .style = Style::Si(),
      .right = true},
     [](const ScenarioResult* const& s) { return Cell::Real(s->macs); }},
    {{.key = "weight_bytes",
      .title = "Weights",
      .unit = Unit::kBytes,
      .formats = kMarkdown | kHtml,
      .right = true,
      .md_title = "weights"},
     [](const ScenarioResult* const& s) { return Cell::Real(s->weight_bytes); }},
    {{.key = "required_tops",
      .title = "Required TOPS",
      .unit = Unit::kTops,
      .formats = kMarkdown | kHtml,
      .style = kTops,
      .right = true,
      .md_title = "required TOPS"},
     [](const ScenarioResult* const& s) { return Cell::Real(s->required_tops); }},
    {{.key = "latency_ms",
      .title = "Latency",
      .unit = Unit::kMs,
      .formats = kMarkdown | kHtml,
      .style = Style::Millis(),
      .right = true,
      .md_title = "latency"},
     [](const ScenarioResult* const& s) { return Cell::Real(s->latency_ms); }},
    {{.key = "fps",
      .title = "FPS",
      .unit = Unit::kNumber,
      .formats = kMarkdown | kHtml,
      .style = kTops,
      .right = true},
     [](const ScenarioResult* const& s) { return Cell::Real(s->fps); }},
    {{.key = "likely_fps",
      .title = "Likely FPS",
      .formats = kMarkdown | kHtml,
      .right = true,
      .md_title = "likely FPS"},
     [](const ScenarioResult* const& s) {
       return s->fps_low && s->fps_high ? LikelyRange(*s->fps_low, *s->fps_high) : Cell::Absent();
     }},
    {{.key = "bound", .title = "Bound", .formats = kHtml},
     [](const ScenarioResult* const& s) {
       return s->bound ? Cell::Text(BoundName(*s->bound)) : Cell::Absent();
     }},
    {{.key = "verdict", .title = "Verdict", .formats = kMarkdown | kHtml, .md_title = "verdict"},
     [](const ScenarioResult* const& s) {
       Cell v = Cell::Text(s->fits ? "fits" : "does not fit");
       return std::move(v.Emphasis(s->fits ? Mark::kGood : Mark::kBad));
     }},
    {{.key = "effect", .title = "Effect", .formats = kMarkdown | kHtml, .md_title = "effect"},
     [](const ScenarioResult* const& s) { return Cell::Text(s->effect); }},
};

}  // namespace

std::span<const Column<Fact>> FactColumns() { return kFactColumns; }
std::span<const Column<const ChipReport*>> VerdictColumns() { return kVerdictColumns; }
std::span<const Column<const ScenarioResult*>> WhatifColumns() { return kWhatifColumns; }

}  // namespace tops::report
