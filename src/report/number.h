// The one number formatter of every writer: how a count, a byte size, a time or a ratio reads in
// a terminal table, Markdown, HTML or SVG (a Style), and the exact forms CSV and JSON use. Every
// figure a writer prints goes through here, so one value reads the same wherever it appears.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tops::report {

struct Style {
  enum Notation : uint8_t {
    kPlain,     // an integer as it is: 49
    kCommas,    // thousands separated: 1,814,073,344
    kSi,        // SI prefixes, about 3 significant digits: 1.81 G, 512 K, 64
    kBinary,    // binary prefixes: 44.6 MiB
    kFixed,     // `digits` after the point: 0.1088
    kGeneral,   // printf %g with `digits` significant digits (6: "137.5", "3e+06")
    kAdaptive,  // 0; >= 100 whole; >= 10 one decimal; >= 0.01 three digits; else d.dde-N
    kRounded,   // >= 100 whole, else `digits` significant digits: 812, 27.4, 0.0121
    kMs,        // a time: >= 100 whole, >= 1 three digits, else two: "12.3 ms", "0.045 ms"
    kPercent,   // a ratio times 100 with `digits` decimals: 0.453 -> "45.3%"
    kCoord,     // SVG coordinates: one decimal at most, no trailing ".0", never "-0"
    kShortest,  // the shortest text that reads back as the same double: 15, 15.5, 1e+20
    kDuration,  // milliseconds as people read a wait: "457.6 ms", from 1 s "1.23 s"
    kRate,      // a rate: >= 100 whole, else one decimal: 2253, 19.2
  };
  Notation notation = kGeneral;
  int8_t digits = 6;
  const char* suffix = "";  // unit after the number (" ms", " W")

  static constexpr Style Plain() { return {kPlain, 0, ""}; }
  static constexpr Style Commas() { return {kCommas, 0, ""}; }
  static constexpr Style Si(const char* suffix = "") { return {kSi, 0, suffix}; }
  static constexpr Style Binary() { return {kBinary, 0, ""}; }
  static constexpr Style Fixed(int digits, const char* suffix = "") {
    return {kFixed, static_cast<int8_t>(digits), suffix};
  }
  static constexpr Style General(int digits = 6, const char* suffix = "") {
    return {kGeneral, static_cast<int8_t>(digits), suffix};
  }
  static constexpr Style Adaptive() { return {kAdaptive, 0, ""}; }
  static constexpr Style Rounded(int digits = 3, const char* suffix = "") {
    return {kRounded, static_cast<int8_t>(digits), suffix};
  }
  static constexpr Style Millis() { return {kMs, 0, " ms"}; }
  static constexpr Style Percent(int digits) {
    return {kPercent, static_cast<int8_t>(digits), "%"};
  }
  static constexpr Style Coord() { return {kCoord, 1, ""}; }
  static constexpr Style Shortest(const char* suffix = "") { return {kShortest, 0, suffix}; }
  static constexpr Style Duration() { return {kDuration, 0, ""}; }
  static constexpr Style Rate(const char* suffix = "") { return {kRate, 0, suffix}; }
};

// Appends `v` in style `s` (faster in loops: no temporary string).
void AppendNumber(std::string& out, double v, Style s);
void AppendInt(std::string& out, int64_t v, Style s);

std::string Number(double v, Style s);
std::string Int(int64_t v, Style s);

// Exact forms for scripts. CSV: 15 significant digits, every digit a double holds exactly, so
// 6 x 0.6 = 3.5999999999999996 prints as 3.6 and counts below 10^15 print whole; empty when
// unknown. JSON: the shortest text that reads back as the same double ("0.6", "30.0"),
// "null" for NaN and infinities.
std::string CsvNumber(double v);
std::string CsvNumber(const std::optional<double>& v);
void AppendJsonNumber(std::string& out, double v);

}  // namespace tops::report
