// The HTML report: one self-contained page (inline CSS, inline SVG, a few lines of inline JS; no
// network, fonts or external scripts), so it can be mailed or attached as a single file.
#include <algorithm>
#include <cmath>
#include <map>

#include "report/html_table.h"
#include "report/report_text.h"
#include "report/report_writers.h"
#include "report/svg.h"

namespace tops::report {
namespace {

std::string Escape(std::string_view s) { return Html(s); }
std::string Si(double v) { return Number(v, Style::Si()); }
std::string Ms(double v) { return Number(v, Style::Millis()); }
std::string Rounded(double v) { return Number(v, Style::Rounded()); }
std::string G(double v) { return Number(v, Style::General()); }
std::string G3(double v) { return Number(v, Style::General(3)); }
std::string Commas(int64_t v) { return Int(v, Style::Commas()); }

constexpr int kChartWidth = 1100;
// Above this many nodes the layer table starts folded (see LayerTable).
constexpr size_t kOpenTableRows = 1000;

// Colours are picked to stay apart for the common colour-vision deficiencies (blue / orange).
constexpr const char* kStyle = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d232b;margin:0;background:#fff}
main{max-width:1140px;margin:0 auto;padding:24px 20px 60px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:34px 0 8px;border-bottom:1px solid #d8dde3;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
.lead{color:#4a5560;margin:0 0 14px}
table{border-collapse:collapse;margin:6px 0}
th,td{padding:3px 9px;border-bottom:1px solid #e6e9ed;text-align:left;vertical-align:top}
th{background:#f3f5f7;font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.facts th{background:none;font-weight:500;color:#4a5560}
table.sortable th{cursor:pointer;user-select:none;position:sticky;top:0}
table.sortable th[data-dir=asc]::after{content:" \25B2"}table.sortable th[data-dir=desc]::after{content:" \25BC"}
#layers{font-size:12.5px}#layers td:nth-child(2){max-width:280px;overflow-wrap:anywhere}
summary{cursor:pointer;color:#2563eb;margin:4px 0}
.ok{color:#1a7f37;font-weight:600}.bad{color:#c2410c;font-weight:600}
ul.notes{color:#4a5560;margin:4px 0;padding-left:20px}
svg.chart{display:block;margin:8px 0;max-width:100%;height:auto;font-size:12px}
svg text{fill:#1d232b}svg .axis{stroke:#8a949e;stroke-width:1}svg .grid{stroke:#e6e9ed;stroke-width:1}
svg .sub{fill:#4a5560}svg .title{font-weight:600}
svg .b-compute{fill:#2563eb}svg .b-memory{fill:#ea7a0c}svg .b-overhead{fill:#7b8794}svg .b-cpu{fill:#c026d3}
svg .bar-macs{fill:#5b6b7d}svg .rest{fill-opacity:.45}
svg .req{fill:#c2410c}svg .eff{fill:#2563eb}svg .fps{fill:#0f766e}svg .fpsw{fill:#7c3aed}
svg .target{stroke:#c2410c;stroke-width:1.5;stroke-dasharray:4 3}svg .range{fill:#134e4a}svg .range-end{stroke:#134e4a;stroke-width:1.5}
svg .roof{fill:none;stroke:#1d232b;stroke-width:2}svg .ridge-line{stroke:#1d232b;stroke-dasharray:3 3}
svg circle.layer{fill-opacity:.75;stroke:#fff;stroke-width:.6}svg circle.ridge{fill:#fff;stroke:#1d232b;stroke-width:2}
svg .band{fill:#f3f5f7}
#tip{position:absolute;background:#1d232b;color:#fff;padding:3px 7px;border-radius:3px;font-size:12px;pointer-events:none}
footer{margin-top:36px;color:#4a5560;font-size:12.5px}
)css";

// Sorting the layer table, tooltips for roofline points, and a status line that automated
// checks read back with `chromium --dump-dom` (marks drawn per chart, script errors, the time to
// the load event) because a headless browser offers no other channel for it.
constexpr const char* kScript = R"js(
(function(){
var errors=[];
window.addEventListener('error',function(e){errors.push(String(e.message))});
function key(td){var v=td.getAttribute('data-v');return v===null?td.textContent.toLowerCase():parseFloat(v)}
document.querySelectorAll('table.sortable').forEach(function(t){
var ths=t.tHead.rows[0].cells;
Array.prototype.forEach.call(ths,function(th,col){th.addEventListener('click',function(){
var asc=th.getAttribute('data-dir')!=='asc';
Array.prototype.forEach.call(ths,function(h){h.removeAttribute('data-dir')});
th.setAttribute('data-dir',asc?'asc':'desc');
var tb=t.tBodies[0],rows=Array.prototype.slice.call(tb.rows);
rows.sort(function(a,b){var x=key(a.cells[col]),y=key(b.cells[col]);
if(x===y)return 0;if(typeof x!==typeof y)return typeof x==='number'?-1:1;return (x<y?-1:1)*(asc?1:-1)});
var f=document.createDocumentFragment();rows.forEach(function(r){f.appendChild(r)});tb.appendChild(f)})})});
var tip=document.getElementById('tip');
document.addEventListener('mouseover',function(e){var i=e.target.getAttribute&&e.target.getAttribute('data-i');
if(i===null||i===undefined){tip.hidden=true;return}
var r=document.getElementById('n'+i);if(!r)return;
tip.textContent=r.cells[1].textContent+' ('+r.cells[2].textContent+')';
tip.style.left=(e.pageX+12)+'px';tip.style.top=(e.pageY+12)+'px';tip.hidden=false});
window.addEventListener('load',function(){
void document.body.offsetHeight;
var s=[];
document.querySelectorAll('svg[data-chart]').forEach(function(g){s.push('chart '+g.getAttribute('data-chart')+' '+g.querySelectorAll('.mark').length)});
var t=document.getElementById('layers');
s.push('rows '+(t?t.tBodies[0].rows.length:0));
s.push('errors '+errors.length);errors.forEach(function(m){s.push('error '+m)});
s.push('load_ms '+Math.round(performance.now()));
document.getElementById('tops-status').textContent=s.join('\n')});
})();
)js";

std::string BoundClass(Bound b) { return "b-" + std::string(BoundName(b)); }

void Summary(std::ostream& os, const Report& r) {
  os << "<h2 id=\"summary\">Model</h2>\n";
  std::string table;
  AppendHtmlTable(table,
                  Rows<Fact>(FactColumns(), Facts(r, true), {.formats = kHtml, .header = false}),
                  {.css_class = "facts"});
  os << table;
}

void Verdicts(std::ostream& os, const Report& r) {
  os << "<h2 id=\"fit\">Chips at " << Escape(Rounded(r.fps)) << " FPS, "
     << PrecisionName(r.precision) << "</h2>\n<p class=\"lead\">" << Escape(ChipChoiceText(r))
     << " Article check: required TOPS = 2 &middot; MACs &middot; FPS / 10<sup>12</sup> against "
        "peak &middot; "
     << Escape(G(r.utilization))
     << " utilisation. Prediction: per-layer roofline with the chip family's calibrated "
        "efficiency and overhead.</p>\n";
  if (r.chips.empty()) return;
  std::vector<const ChipReport*> rows;
  for (const ChipReport& c : r.chips) rows.push_back(&c);
  std::string table;
  AppendHtmlTable(table, Rows<const ChipReport*>(VerdictColumns(), rows, {.formats = kHtml}), {});
  os << table;
  for (const ChipReport& c : r.chips) {
    const auto notes = FitNotes(c.fit);
    if (notes.empty()) continue;
    os << "<p><b>" << Escape(c.fit.chip_name) << "</b>:</p><ul class=\"notes\">\n";
    for (const auto& n : notes) os << "<li>" << Escape(n) << "</li>\n";
    os << "</ul>\n";
  }
}

void LayerChart(std::ostream& os, const Report& r) {
  if (r.bars.empty()) return;
  const bool timed = !r.chips.empty() && r.chips[0].fit.predicted.available;
  const double row_h = 22, top = 46, label_w = 270;
  const int height = static_cast<int>(top + row_h * static_cast<double>(r.bars.size()) + 16);
  const double panel_w = timed ? 370 : 760;
  const double x_macs = label_w + 10, x_time = x_macs + panel_w + 60;
  double max_macs = 0, max_time = 0;
  for (const LayerBar& b : r.bars) {
    max_macs = std::max(max_macs, static_cast<double>(b.macs));
    if (b.time_ms) max_time = std::max(max_time, *b.time_ms);
  }
  const double total_macs = static_cast<double>(r.profile.totals.macs);
  const double total_time = timed ? r.chips[0].fit.predicted.latency_ms : 0;
  os << "<h2 id=\"where\">Where the work and the time go</h2>\n<p class=\"lead\">The "
     << (r.bars.size() - (r.bars.back().node ? 0 : 1))
     << " layers with the most MACs, then every other layer as one bar.";
  if (timed) {
    os << " Predicted time on " << Escape(r.chips[0].fit.chip_name)
       << ", coloured by what bounds the layer.";
  }
  os << "</p>\n";
  svg::Canvas c(kChartWidth, height, "layers", "MACs and predicted time per layer");
  c.Text(x_macs, 18, "MACs (share of " + Si(total_macs) + ")", "title");
  if (timed) c.Text(x_time, 18, "Predicted time (share of " + Ms(total_time) + ")", "title");
  const svg::LinearScale xs_macs(0, max_macs > 0 ? max_macs : 1, x_macs, x_macs + panel_w - 70);
  const svg::LinearScale xs_time(0, max_time > 0 ? max_time : 1, x_time, x_time + panel_w - 70);
  c.Line(x_macs, top - 6, x_macs, height - 10, "axis");
  if (timed) c.Line(x_time, top - 6, x_time, height - 10, "axis");
  for (size_t i = 0; i < r.bars.size(); ++i) {
    const LayerBar& b = r.bars[i];
    const double y = top + row_h * static_cast<double>(i);
    const std::string name = b.node ? NodeName(r, *b.node) : "other " + Commas(b.count) + " layers";
    const std::string op = b.node ? " " + OpName(r.profile.nodes[*b.node]) : "";
    c.Text(label_w, y + 14, Shorten(name, 34, Clip::kTail) + op, b.node ? "" : "sub", "end");
    const double macs = static_cast<double>(b.macs);
    const std::string rest = b.node ? "" : " rest";
    c.Rect(x_macs, y + 3, xs_macs(macs) - x_macs, row_h - 6, "mark bar-macs" + rest,
           name + ": " + Si(macs) + " MACs (" + Share(macs, total_macs) + ")");
    c.Text(xs_macs(macs) + 5, y + 15, Share(macs, total_macs), "sub");
    if (!timed) continue;
    const double t = b.time_ms.value_or(0);
    std::string cls = "mark " + rest;
    std::string tip = name + ": " + (b.time_ms ? Ms(t) : std::string("not timed"));
    if (b.node && r.chips[0].node_bound[*b.node]) {
      const Bound bound = *r.chips[0].node_bound[*b.node];
      cls += " " + BoundClass(bound);
      tip += ", " + std::string(BoundName(bound)) + "-bound";
    } else {
      cls += " b-overhead";
    }
    c.Rect(x_time, y + 3, xs_time(t) - x_time, row_h - 6, cls, tip);
    c.Text(xs_time(t) + 5, y + 15, b.time_ms ? Ms(t) : "-", "sub");
  }
  os << c.Finish();
}

// Horizontal position of a layer without DRAM traffic inside the right-hand band: spread by
// node index so that hundreds of such layers do not sit on one pixel.
double BandX(size_t node, double left, double width) {
  return left + 8 + static_cast<double>((node * 37) % 97) / 97.0 * (width - 16);
}

void Roofline(std::ostream& os, const ChipReport& chip, size_t index) {
  const FitResult& f = chip.fit;
  os << "<h3>" << Escape(f.chip_name) << "</h3>\n";
  if (!f.predicted.available || chip.roof_tops <= 0) {
    os << "<p class=\"lead\">No roofline: the catalog lacks the figures for a prediction.</p>\n";
    return;
  }
  const double left = 74, right_band = 90, top = 24, bottom = 56;
  const int height = 430;
  const double plot_r = kChartWidth - 20 - right_band;
  double x_lo = INFINITY, x_hi = 0, y_lo = INFINITY, y_hi = chip.roof_tops;
  for (const RooflinePoint& p : chip.points) {
    if (p.intensity) {
      x_lo = std::min(x_lo, *p.intensity);
      x_hi = std::max(x_hi, *p.intensity);
    }
    y_lo = std::min(y_lo, p.attained_tops);
    y_hi = std::max(y_hi, p.attained_tops);
  }
  if (chip.ridge_intensity) {
    x_lo = std::min(x_lo, *chip.ridge_intensity);
    x_hi = std::max(x_hi, *chip.ridge_intensity);
  }
  if (!std::isfinite(x_lo)) x_lo = 1, x_hi = 1000;
  if (!std::isfinite(y_lo)) y_lo = chip.roof_tops / 100;
  const svg::LogScale xs(x_lo, x_hi * 1.5, left, plot_r);
  const svg::LogScale ys(y_lo, y_hi * 1.5, height - bottom, top);

  os << "<p class=\"lead\">Peak " << Rounded(chip.roof_tops) << " TOPS ("
     << PrecisionName(f.precision) << ", dense, what one inference can use)";
  if (chip.bandwidth_gbs) {
    os << ", memory " << Escape(G(*chip.bandwidth_gbs)) << " GB/s; ridge at "
       << Escape(G3(*chip.ridge_intensity))
       << " ops per byte: layers left of it cannot reach the peak however well they are "
          "compiled";
  } else {
    os << "; no memory roof (" << (Escape(ChipKindName(chip.kind)) + " ")
       << "with tensors on chip or bandwidth unknown)";
  }
  os << ". " << chip.points.size() << " layers";
  if (chip.without_dram) {
    os << ", " << chip.without_dram << " of them without DRAM traffic (right-hand band)";
  }
  os << ".</p>\n";

  svg::Canvas c(kChartWidth, height, "roofline-" + std::to_string(index),
                "Roofline of " + f.chip_name);
  for (double d : xs.Decades()) {
    c.Line(xs(d), top, xs(d), height - bottom, "grid");
    c.Text(xs(d), height - bottom + 16, svg::TickLabel(d), "sub", "middle");
  }
  for (double d : ys.Decades()) {
    c.Line(left, ys(d), plot_r, ys(d), "grid");
    c.Text(left - 6, ys(d) + 4, svg::TickLabel(d), "sub", "end");
  }
  c.Line(left, height - bottom, plot_r, height - bottom, "axis");
  c.Line(left, top, left, height - bottom, "axis");
  c.Rect(plot_r + 6, top, right_band - 6, height - bottom - top, "band", "");
  c.Text(plot_r + right_band / 2 + 3, top + 14, "no DRAM", "sub", "middle");
  c.Text(plot_r + right_band / 2 + 3, top + 28, "traffic", "sub", "middle");
  c.Text((left + plot_r) / 2, height - 14, "arithmetic intensity (ops per DRAM byte, log scale)",
         "", "middle");
  c.VerticalText(18, (top + height - bottom) / 2, "attained TOPS (log scale)", "");
  // Roofs: attainable = min(peak, intensity x bandwidth).
  std::vector<std::pair<double, double>> roof;
  if (chip.bandwidth_gbs && chip.ridge_intensity) {
    const double bw_tops = *chip.bandwidth_gbs * 1e9 / 1e12;  // TOPS per (op/byte)
    const double x0 = std::max(xs.lo(), ys.lo() / bw_tops);
    roof.emplace_back(xs(x0), ys(x0 * bw_tops));
    roof.emplace_back(xs(*chip.ridge_intensity), ys(chip.roof_tops));
  } else {
    roof.emplace_back(left, ys(chip.roof_tops));
  }
  roof.emplace_back(plot_r, ys(chip.roof_tops));
  c.Polyline(roof, "roof");
  c.Text(plot_r - 4, ys(chip.roof_tops) - 6, "peak " + Rounded(chip.roof_tops) + " TOPS", "sub",
         "end");
  if (chip.ridge_intensity) {
    const double rx = xs(*chip.ridge_intensity), ry = ys(chip.roof_tops);
    c.Line(rx, ry, rx, height - bottom, "ridge-line");
    c.Circle(rx, ry, 5, "ridge", "");
    c.Text(rx + 8, ry + 18, "ridge " + G3(*chip.ridge_intensity) + " ops/B", "sub");
  }
  for (const RooflinePoint& p : chip.points) {
    const double x = p.intensity ? xs(*p.intensity) : BandX(p.node, plot_r + 6, right_band - 6);
    c.Circle(x, ys(p.attained_tops), 3.5, "mark layer " + BoundClass(p.bound),
             "data-i=\"" + std::to_string(p.node) + "\"");
  }
  // Legend.
  c.Circle(left + 14, top + 10, 4, "layer b-compute", "");
  c.Text(left + 22, top + 14, "compute-bound layer", "");
  c.Circle(left + 164, top + 10, 4, "layer b-memory", "");
  c.Text(left + 172, top + 14, "memory-bound layer", "");
  if (std::any_of(chip.points.begin(), chip.points.end(),
                  [](const RooflinePoint& p) { return p.bound == Bound::kCpu; })) {
    c.Circle(left + 314, top + 10, 4, "layer b-cpu", "");
    c.Text(left + 322, top + 14, "on the host CPU", "");
  }
  os << c.Finish();
}

void ChipComparison(std::ostream& os, const Report& r) {
  if (r.chips.size() < 1) return;
  os << "<h2 id=\"compare\">Chip comparison</h2>\n<p class=\"lead\">Left: TOPS the model needs at "
     << Escape(Rounded(r.fps))
     << " FPS (article convention) against what the chip delivers at the article's utilisation. "
        "Middle: predicted frame rate, the dashed line is the target and the whisker the likely "
        "range (the family's leave-one-out band). Right: predicted frames "
        "per second per watt at the chip's highest power mode.</p>\n";
  const double row_h = 46, top = 40, label_w = 250, gap = 36;
  const double panel_w = (kChartWidth - label_w - 20 - 2 * gap) / 3;
  const int height = static_cast<int>(top + row_h * static_cast<double>(r.chips.size()) + 20);
  double max_tops = 0, max_fps = r.fps, max_fpsw = 0;
  for (const ChipReport& ch : r.chips) {
    max_tops = std::max({max_tops, ch.fit.required_tops, ch.fit.effective_tops.value_or(0)});
    if (ch.fit.predicted.available) {
      max_fps = std::max({max_fps, ch.fit.predicted.fps, ch.fit.predicted.fps_high});
    }
    max_fpsw = std::max(max_fpsw, ch.fit.predicted.fps_per_watt.value_or(0));
  }
  const double x1 = label_w + 10, x2 = x1 + panel_w + gap, x3 = x2 + panel_w + gap;
  const double bar_w = panel_w - 60;
  const svg::LinearScale s_tops(0, max_tops > 0 ? max_tops : 1, x1, x1 + bar_w);
  const svg::LinearScale s_fps(0, max_fps, x2, x2 + bar_w);
  const svg::LinearScale s_fpsw(0, max_fpsw > 0 ? max_fpsw : 1, x3, x3 + bar_w);
  svg::Canvas c(kChartWidth, height, "chips", "Chip comparison");
  c.Text(x1, 16, "TOPS", "title");
  c.Rect(x1 + 50, 7, 10, 10, "req", "");
  c.Text(x1 + 64, 16, "required", "sub");
  c.Rect(x1 + 130, 7, 10, 10, "eff", "");
  c.Text(x1 + 144, 16, "effective", "sub");
  c.Text(x2, 16, "Predicted FPS", "title");
  c.Text(x3, 16, "FPS per watt", "title");
  for (double x : {x1, x2, x3}) c.Line(x, top - 6, x, height - 14, "axis");
  const double tx = s_fps(r.fps);
  c.Line(tx, top - 10, tx, height - 14, "target");
  c.Text(tx, top - 14, Rounded(r.fps) + " FPS", "sub", "middle");
  for (size_t i = 0; i < r.chips.size(); ++i) {
    const FitResult& f = r.chips[i].fit;
    const double y = top + row_h * static_cast<double>(i);
    c.Text(label_w, y + 22, Shorten(f.chip_name, 38, Clip::kHead), "", "end");
    const std::string name = f.chip_name + ": ";
    c.Rect(x1, y + 4, s_tops(f.required_tops) - x1, 15, "mark req",
           name + Rounded(f.required_tops) + " TOPS required");
    c.Text(s_tops(f.required_tops) + 4, y + 16, Rounded(f.required_tops), "sub");
    if (f.effective_tops) {
      c.Rect(x1, y + 21, s_tops(*f.effective_tops) - x1, 15, "mark eff",
             name + Rounded(*f.effective_tops) + " TOPS effective");
      c.Text(s_tops(*f.effective_tops) + 4, y + 33, Rounded(*f.effective_tops), "sub");
    }
    const Prediction& p = f.predicted;
    if (p.available) {
      c.Rect(x2, y + 10, s_fps(p.fps) - x2, 20, "mark fps", name + Rounded(p.fps) + " FPS");
      if (p.band.known()) {
        // The likely range as a whisker across the bar; its label moves past the whisker.
        const double lo = s_fps(p.fps_low), hi = s_fps(p.fps_high);
        c.Rect(lo, y + 19, hi - lo, 2, "range",
               name + "likely " + Rounded(p.fps_low) + "-" + Rounded(p.fps_high) + " FPS (" +
                   std::to_string(p.band.rows) + " left-out rows)");
        c.Line(lo, y + 14, lo, y + 26, "range-end");
        c.Line(hi, y + 14, hi, y + 26, "range-end");
        c.Text(std::max(s_fps(p.fps), hi) + 4, y + 24, Rounded(p.fps), "sub");
      } else {
        c.Text(s_fps(p.fps) + 4, y + 24, Rounded(p.fps), "sub");
      }
    } else {
      c.Text(x2 + 4, y + 24, "no prediction", "sub");
    }
    if (p.fps_per_watt) {
      c.Rect(x3, y + 10, s_fpsw(*p.fps_per_watt) - x3, 20, "mark fpsw",
             name + Rounded(*p.fps_per_watt) + " FPS/W at " + G(p.power_w.value_or(0)) + " W");
      c.Text(s_fpsw(*p.fps_per_watt) + 4, y + 24, Rounded(*p.fps_per_watt), "sub");
    } else {
      c.Text(x3 + 4, y + 24, "power unknown", "sub");
    }
  }
  os << c.Finish();
}

void Whatif(std::ostream& os, const Report& r) {
  if (!r.whatif || r.whatif->rows.empty()) return;
  const WhatifResult& w = *r.whatif;
  os << "<h2 id=\"whatif\">What if</h2>\n<p class=\"lead\">The same model on "
     << Escape(w.chip_name) << " at " << Escape(Rounded(w.fps))
     << " FPS after quantising, pruning or batching (each row is re-derivable with "
        "<code>tops whatif</code>).</p>\n";
  std::vector<const ScenarioResult*> rows;
  for (const ScenarioResult& s : w.rows) rows.push_back(&s);
  std::string table;
  AppendHtmlTable(table, Rows<const ScenarioResult*>(WhatifColumns(), rows, {.formats = kHtml}),
                  {});
  os << table;
}

// Every node, in graph order, with its time and bound on the first chip when it was timed.
struct LayerRow {
  const Report* r;
  size_t i;
  const NodeProfile& n() const { return r->profile.nodes[i]; }
};

Cell Cost(const NodeProfile& n, const std::optional<int64_t>& v) {
  return n.has_formula ? Cell::Int(v) : Cell::Absent("n/a");
}

const Column<LayerRow> kLayerColumns[] = {
    {{.key = "index", .title = "#", .formats = kHtml, .right = true},
     [](const LayerRow& l) { return Cell::Own(Int(static_cast<int64_t>(l.i), Style::Plain())); }},
    {{.key = "name", .title = "Node", .formats = kHtml},
     [](const LayerRow& l) { return Cell::Own(NodeName(*l.r, l.i)); }},
    {{.key = "op", .title = "Op", .formats = kHtml},
     [](const LayerRow& l) { return Cell::Own(OpName(l.n())); }},
    {{.key = "output_shapes", .title = "Output shape", .unit = Unit::kShape, .formats = kHtml},
     [](const LayerRow& l) { return Cell::Shape(l.n().outputs); }},
    {{.key = "params",
      .title = "Params",
      .unit = Unit::kCount,
      .formats = kHtml,
      .style = Style::Si(),
      .right = true,
      .zero = "-"},
     [](const LayerRow& l) { return Cell::Int(l.n().params); }},
    {{.key = "macs",
      .title = "MACs",
      .unit = Unit::kCount,
      .formats = kHtml,
      .style = Style::Si(),
      .right = true},
     [](const LayerRow& l) { return Cost(l.n(), l.n().macs); }},
    {{.key = "flops",
      .title = "FLOPs",
      .unit = Unit::kCount,
      .formats = kHtml,
      .style = Style::Si(),
      .right = true},
     [](const LayerRow& l) { return Cost(l.n(), l.n().flops()); }},
    {{.key = "bytes_read", .title = "Read", .unit = Unit::kBytes, .formats = kHtml, .right = true},
     [](const LayerRow& l) { return Cell::Int(l.n().bytes_read); }},
    {{.key = "bytes_written",
      .title = "Written",
      .unit = Unit::kBytes,
      .formats = kHtml,
      .right = true},
     [](const LayerRow& l) { return Cell::Int(l.n().bytes_written); }},
    // On the first chip, when it has a prediction.
    {{.key = "time_ms",
      .title = "Time",
      .unit = Unit::kMs,
      .formats = kHtml,
      .style = Style::Millis(),
      .right = true},
     [](const LayerRow& l) { return Cell::Real(l.r->chips[0].node_time_ms[l.i]); }},
    {{.key = "bound", .title = "Bound", .formats = kHtml},
     [](const LayerRow& l) {
       const auto& b = l.r->chips[0].node_bound[l.i];
       return b ? Cell::Text(BoundName(*b)) : Cell::Absent();
     }},
};

void LayerTable(std::ostream& os, const Report& r) {
  const Profile& p = r.profile;
  const ChipReport* first = r.chips.empty() ? nullptr : &r.chips[0];
  const bool timed = first && first->fit.predicted.available;
  os << "<h2 id=\"table\">Every layer</h2>\n<p class=\"lead\">" << p.nodes.size()
     << " nodes in graph order; click a column to sort.";
  if (timed) os << " Time and bound on " << Escape(first->fit.chip_name) << ".";
  // Laying out a table of thousands of rows is most of a browser's time on a large model; a
  // closed <details> is parsed but not laid out until the reader opens it.
  const bool open = p.nodes.size() <= kOpenTableRows;
  os << "</p>\n<details" << (open ? " open" : "") << "><summary>"
     << Int(static_cast<int64_t>(p.nodes.size()), Style::Commas()) << " layers</summary>\n";
  std::vector<LayerRow> rows;
  for (size_t i = 0; i < p.nodes.size(); ++i) rows.push_back({&r, i});
  const std::span<const Column<LayerRow>> columns(kLayerColumns,
                                                  std::size(kLayerColumns) - (timed ? 0 : 2));
  std::string table;
  AppendHtmlTable(table, Rows<LayerRow>(columns, std::move(rows), {.formats = kHtml}),
                  {.id = "layers", .css_class = "sortable", .sortable = true, .row_id = "n"});
  os << table << "</details>\n";
}

void Conventions(std::ostream& os, const Report& r) {
  const Profile& p = r.profile;
  os << "<h2 id=\"conventions\">Conventions and coverage</h2>\n<ul>\n";
  for (const auto& c : CountingConventions()) os << "<li>" << Escape(c) << "</li>\n";
  os << "</ul>\n";
  const Coverage coverage = p.coverage;
  os << "<p>Coverage: " << Int(coverage.costed, Style::Commas()) << " of "
     << Int(coverage.nodes, Style::Commas()) << " nodes have a cost formula.";
  if (!p.unsupported.empty()) {
    os << " Not counted:";
    for (const auto& u : p.unsupported) os << " " << Escape(u.op) << " &times;" << u.count;
  }
  os << "</p>\n";
  if (!p.diagnostics.empty()) {
    const size_t show = std::min<size_t>(p.diagnostics.size(), 50);
    os << "<p>Diagnostics (" << p.diagnostics.size() << "):</p><ul class=\"notes\">\n";
    for (size_t i = 0; i < show; ++i) {
      const auto& d = p.diagnostics[i];
      os << "<li>" << Escape((d.node.empty() ? "" : d.node + ": ") + d.message) << "</li>\n";
    }
    if (show < p.diagnostics.size()) {
      os << "<li>" << p.diagnostics.size() - show
         << " more: <code>tops profile --format json</code> lists all</li>\n";
    }
    os << "</ul>\n";
  }
}

}  // namespace

void WriteHtmlReport(std::ostream& os, const Report& r) {
  os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"generator\" content=\"tops 0.1.0\">\n<title>tops report: "
     << Escape(r.label) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n<main>\n";
  os << "<h1>" << Escape(r.label) << "</h1>\n<p class=\"lead\">"
     << Si(static_cast<double>(r.profile.totals.macs)) << " MACs, "
     << Si(static_cast<double>(r.profile.totals.params)) << " parameters; target "
     << Escape(Rounded(r.fps)) << " FPS at " << PrecisionName(r.precision) << ".</p>\n";
  Summary(os, r);
  Verdicts(os, r);
  LayerChart(os, r);
  if (!r.chips.empty()) {
    os << "<h2 id=\"roofline\">Roofline</h2>\n<p class=\"lead\">Each point is a layer: how many "
          "operations it does per byte it moves to or from DRAM (x) and the throughput it "
          "attains in the prediction (y). The roof is the most any layer can attain: the sloped "
          "part is memory bandwidth, the flat part the compute peak.</p>\n";
    for (size_t i = 0; i < r.chips.size(); ++i) Roofline(os, r.chips[i], i);
    ChipComparison(os, r);
  }
  Whatif(os, r);
  LayerTable(os, r);
  Conventions(os, r);
  os << "<footer>Generated by tops 0.1.0 from the model file alone; every figure is re-derivable "
        "with <code>tops profile</code> and <code>tops fit</code>.</footer>\n</main>\n"
        "<div id=\"tip\" hidden></div>\n<output id=\"tops-status\" hidden></output>\n<script>"
     << kScript << "</script>\n</body>\n</html>\n";
}

}  // namespace tops::report
