// `tops llm --format html`: one self-contained page with the decoder's facts, the phases of each
// estimate (the same rows as the Markdown and CSV, html_table.h) and a tokens/s-vs-context chart
// (one line per weight format, the leave-one-out band shaded). Serialises LlmEstimate only.
#include <algorithm>
#include <cmath>

#include "report/html_table.h"
#include "report/layouts.h"
#include "report/svg.h"

namespace tops::report {
namespace {

std::string Escape(std::string_view s) { return Html(s); }

constexpr const char* kStyle = R"css(
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:980px;color:#1d2733}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;margin:8px 0}td,th{padding:3px 10px;border-bottom:1px solid #e3e7ec}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#5a6673;font-size:12px}
svg text{font:11px system-ui,sans-serif;fill:#314c59}
.axis{stroke:#333}.grid{stroke:#e3e7ec}
.s0{stroke:#2f6db5}.s1{stroke:#c2502f}.s2{stroke:#3d8c40}.s3{stroke:#8a4fb0}
.f0{fill:#2f6db5}.f1{fill:#c2502f}.f2{fill:#3d8c40}.f3{fill:#8a4fb0}
.line{fill:none;stroke-width:2}.band{opacity:.12}
)css";

struct Fact {
  const char* key;
  std::string value;
};
const Column<Fact> kFactColumns[] = {
    {{.key = "fact", .formats = kHtml}, [](const Fact& f) { return Cell::Text(f.key); }},
    {{.key = "value", .formats = kHtml}, [](const Fact& f) { return Cell::Text(f.value); }},
};

// Tokens/s against context on a log2 axis; one series per estimate.
std::string CurveChart(const std::vector<LlmEstimate>& es) {
  double lo_x = 1e18, hi_x = 0, hi_y = 0;
  for (const auto& e : es) {
    for (const auto& p : e.curve) {
      lo_x = std::min(lo_x, std::max<double>(1, p.context));
      hi_x = std::max(hi_x, static_cast<double>(p.context));
      hi_y = std::max(hi_y, p.tokens_per_s.high);
    }
  }
  if (hi_x <= 0 || hi_y <= 0) return "";
  const int w = 860, h = 320, left = 60, right = 20, top = 20, bottom = 40;
  svg::LogScale x(lo_x, std::max(hi_x, lo_x * 10), left, w - right);
  svg::LinearScale y(0, hi_y * 1.05, h - bottom, top);
  svg::Canvas c(w, h, "tokens-per-s-vs-context", "Decode tokens/s against context");
  for (double t : y.Ticks(5)) {
    c.Line(left, y(t), w - right, y(t), "grid");
    c.Text(left - 6, y(t) + 4, svg::Num(t), "", "end");
  }
  for (double d : x.Decades()) c.Text(x(d), h - bottom + 16, svg::TickLabel(d), "", "middle");
  c.Line(left, h - bottom, w - right, h - bottom, "axis");
  c.Text((left + w - right) / 2.0, h - 6, "context (tokens, log scale)", "", "middle");
  c.VerticalText(14, (top + h - bottom) / 2.0, "tokens/s per sequence", "");
  for (size_t i = 0; i < es.size(); ++i) {
    const std::string s = std::to_string(i % 4);
    std::vector<std::pair<double, double>> line;
    for (const auto& p : es[i].curve) {
      const double px = x(std::max<double>(1, p.context));
      c.Rect(px - 2, y(p.tokens_per_s.high), 4, y(p.tokens_per_s.low) - y(p.tokens_per_s.high),
             "band f" + s,
             Int(p.context, Style::Plain()) + ": " + Number(p.tokens_per_s.low, Style::Fixed(1)) +
                 "-" + Number(p.tokens_per_s.high, Style::Fixed(1)) + " tok/s");
      c.Circle(px, y(p.tokens_per_s.value), 3, "mark f" + s, "");
      line.push_back({px, y(p.tokens_per_s.value)});
    }
    c.Polyline(line, "line s" + s);
    c.Text(w - right - 4, top + 14 * (i + 1), es[i].quant.Name() + " on " + es[i].chip_id, "f" + s,
           "end");
  }
  return c.Finish();
}

}  // namespace

void WriteLlmHtml(std::ostream& os, const LlmEstimates& r) {
  const std::vector<LlmEstimate>& es = r.estimates;
  std::string out =
      "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>tops llm: " +
      Escape(r.path) + "</title><style>" + kStyle + "</style></head><body><h1>" + Escape(r.path) +
      "</h1>\n";
  if (!es.empty()) {
    const DecoderFacts& f = es.front().facts;
    const std::vector<Fact> facts = {{"Format", f.format},
                                     {"Attention layers", Int(f.attention_layers, Style::Plain())},
                                     {"Parameters", Int(f.params, Style::Commas())},
                                     {"Active per token", Int(f.active_params, Style::Commas())}};
    AppendHtmlTable(out, Rows<Fact>(kFactColumns, facts, {.formats = kHtml, .header = false}), {});
    out += "<h2>Phases</h2>\n";
    std::vector<EstimateRow> rows;
    for (const LlmEstimate& e : es) rows.push_back({&e});
    AppendHtmlTable(out, Rows<EstimateRow>(EstimateColumns(), std::move(rows), {.formats = kHtml}),
                    {});
    out += "<h2>Tokens/s against context</h2>\n" + CurveChart(es);
    out += "<p class=\"note\">Prompt " + Int(es.front().options.prompt, Style::Plain()) +
           " tokens, " + Int(es.front().options.generate, Style::Plain()) +
           " generated. Ranges: the calibration family's leave-one-out band, 5th to 95th "
           "percentile (docs/llm.md).</p>\n";
    for (const auto& e : es) {
      for (const auto& c : e.caveats) out += "<p class=\"note\">" + Escape(c) + "</p>\n";
    }
  }
  out += "</body></html>\n";
  os << out;
}

}  // namespace tops::report
