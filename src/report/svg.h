// SVG chart primitives for the HTML report: scales (linear, log10) and a canvas that writes marks
// as compact SVG text. Every string that reaches the markup is escaped (report::Html): node names
// come from untrusted model files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tops::svg {

// Coordinate text: at most one decimal, no trailing ".0" (keeps 6,000-point charts small).
std::string Num(double v);

// Axis label for a value on a log axis: 0.01, 0.5, 20, 3 K, 1.5 M.
std::string TickLabel(double v);

class LinearScale {
 public:
  LinearScale(double lo, double hi, double px_lo, double px_hi);
  double operator()(double v) const;
  // Round tick values covering [lo, hi], about `count` of them.
  std::vector<double> Ticks(int count) const;
  double hi() const { return hi_; }

 private:
  double lo_, hi_, px_lo_, px_hi_;
};

class LogScale {
 public:
  // lo and hi are widened to whole decades.
  LogScale(double lo, double hi, double px_lo, double px_hi);
  double operator()(double v) const;  // values outside the range are clamped to it
  std::vector<double> Decades() const;
  double lo() const { return lo_; }
  double hi() const { return hi_; }

 private:
  double lo_, hi_, px_lo_, px_hi_;
};

class Canvas {
 public:
  // `chart` names the chart for scripts and tests (data-chart); `title` is its accessible name.
  Canvas(int width, int height, std::string_view chart, std::string_view title);

  void Line(double x1, double y1, double x2, double y2, std::string_view cls);
  // `tip` (may be empty) becomes a <title> tooltip; `extra` is raw attribute text.
  void Rect(double x, double y, double w, double h, std::string_view cls, std::string_view tip,
            std::string_view extra = {});
  void Circle(double cx, double cy, double r, std::string_view cls, std::string_view extra);
  // anchor: "start", "middle" or "end".
  void Text(double x, double y, std::string_view text, std::string_view cls,
            std::string_view anchor = "start");
  // Reads bottom to top, centred on (x, y): for y-axis titles.
  void VerticalText(double x, double y, std::string_view text, std::string_view cls);
  void Polyline(const std::vector<std::pair<double, double>>& points, std::string_view cls);

  // Closes the element and returns the markup.
  std::string Finish();

 private:
  std::string out_;
};

}  // namespace tops::svg
