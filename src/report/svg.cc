// SVG chart primitives (see svg.h).
#include "report/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "report/number.h"
#include "report/text.h"

namespace tops::svg {

using report::Html;

std::string Num(double v) { return report::Number(v, report::Style::Coord()); }

std::string TickLabel(double v) {
  if (v >= 1000) {
    // Decade ticks read better as "10 K" than as "10.0 K".
    std::string s = report::Number(v, report::Style::Si());
    for (const char* zeros : {".00 ", ".0 "}) {
      const size_t at = s.find(zeros);
      if (at != std::string::npos) s.erase(at, std::string(zeros).size() - 1);
    }
    return s;
  }
  return report::Number(v, report::Style::General());
}

LinearScale::LinearScale(double lo, double hi, double px_lo, double px_hi)
    : lo_(lo), hi_(hi > lo ? hi : lo + 1), px_lo_(px_lo), px_hi_(px_hi) {}

double LinearScale::operator()(double v) const {
  return px_lo_ + (v - lo_) / (hi_ - lo_) * (px_hi_ - px_lo_);
}

std::vector<double> LinearScale::Ticks(int count) const {
  // Step of 1, 2 or 5 times a power of ten (the usual "nice numbers" for axes).
  const double raw = (hi_ - lo_) / std::max(1, count);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  for (double t = std::ceil(lo_ / step) * step; t <= hi_ + step * 1e-9; t += step) {
    ticks.push_back(std::fabs(t) < step * 1e-9 ? 0 : t);
  }
  return ticks;
}

LogScale::LogScale(double lo, double hi, double px_lo, double px_hi)
    : px_lo_(px_lo), px_hi_(px_hi) {
  if (!(lo > 0)) lo = 1e-3;
  if (!(hi > lo)) hi = lo * 10;
  lo_ = std::pow(10.0, std::floor(std::log10(lo)));
  hi_ = std::pow(10.0, std::ceil(std::log10(hi)));
  if (hi_ <= lo_) hi_ = lo_ * 10;
}

double LogScale::operator()(double v) const {
  const double c = std::clamp(v, lo_, hi_);
  return px_lo_ + (std::log10(c) - std::log10(lo_)) / (std::log10(hi_) - std::log10(lo_)) *
                      (px_hi_ - px_lo_);
}

std::vector<double> LogScale::Decades() const {
  std::vector<double> out;
  const int a = static_cast<int>(std::lround(std::log10(lo_)));
  const int b = static_cast<int>(std::lround(std::log10(hi_)));
  for (int e = a; e <= b; ++e) out.push_back(std::pow(10.0, e));
  return out;
}

Canvas::Canvas(int width, int height, std::string_view chart, std::string_view title) {
  out_ = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"" + Html(chart) +
         "\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
         "\" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) +
         "\" role=\"img\" aria-label=\"" + Html(title) + "\">\n";
}

void Canvas::Line(double x1, double y1, double x2, double y2, std::string_view cls) {
  out_ += "<line class=\"" + std::string(cls) + "\" x1=\"" + Num(x1) + "\" y1=\"" + Num(y1) +
          "\" x2=\"" + Num(x2) + "\" y2=\"" + Num(y2) + "\"/>\n";
}

void Canvas::Rect(double x, double y, double w, double h, std::string_view cls,
                  std::string_view tip, std::string_view extra) {
  out_ += "<rect class=\"" + std::string(cls) + "\" x=\"" + Num(x) + "\" y=\"" + Num(y) +
          "\" width=\"" + Num(std::max(0.0, w)) + "\" height=\"" + Num(std::max(0.0, h)) + "\"";
  if (!extra.empty()) out_ += " " + std::string(extra);
  if (tip.empty()) {
    out_ += "/>\n";
  } else {
    out_ += "><title>" + Html(tip) + "</title></rect>\n";
  }
}

void Canvas::Circle(double cx, double cy, double r, std::string_view cls, std::string_view extra) {
  out_ += "<circle class=\"" + std::string(cls) + "\" cx=\"" + Num(cx) + "\" cy=\"" + Num(cy) +
          "\" r=\"" + Num(r) + "\"";
  if (!extra.empty()) out_ += " " + std::string(extra);
  out_ += "/>\n";
}

void Canvas::Text(double x, double y, std::string_view text, std::string_view cls,
                  std::string_view anchor) {
  out_ += "<text class=\"" + std::string(cls) + "\" x=\"" + Num(x) + "\" y=\"" + Num(y) + "\"";
  if (anchor != "start") out_ += " text-anchor=\"" + std::string(anchor) + "\"";
  out_ += ">" + Html(text) + "</text>\n";
}

void Canvas::VerticalText(double x, double y, std::string_view text, std::string_view cls) {
  out_ += "<text class=\"" + std::string(cls) + "\" transform=\"translate(" + Num(x) + "," +
          Num(y) + ") rotate(-90)\" text-anchor=\"middle\">" + Html(text) + "</text>\n";
}

void Canvas::Polyline(const std::vector<std::pair<double, double>>& points, std::string_view cls) {
  out_ += "<polyline class=\"" + std::string(cls) + "\" points=\"";
  for (size_t i = 0; i < points.size(); ++i) {
    if (i) out_ += ' ';
    out_ += Num(points[i].first) + "," + Num(points[i].second);
  }
  out_ += "\"/>\n";
}

std::string Canvas::Finish() {
  out_ += "</svg>\n";
  return std::move(out_);
}

}  // namespace tops::svg
