// The one number formatter (see number.h).
#include "report/number.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <nlohmann/json.hpp>

namespace tops::report {
namespace {

// printf into `out`: the notations below are printf's, kept byte for byte.
template <typename... Args>
void Printf(std::string& out, const char* format, Args... args) {
  char buf[64];
  const int n = std::snprintf(buf, sizeof buf, format, args...);
  if (n > 0) out.append(buf, std::min<size_t>(static_cast<size_t>(n), sizeof buf - 1));
}

// SI or binary prefixes with about three significant digits; the unit follows a space.
void Scaled(std::string& out, double v, const char* const* units, int count, double base) {
  int u = 0;
  double x = std::fabs(v);
  while (x >= base && u + 1 < count) {
    x /= base;
    ++u;
  }
  if (v < 0) x = -x;
  // printf's "%.Nf %s" (the unit and its space only when there is a unit), cut at 63 bytes as
  // Printf cuts; std::to_chars writes the same digits as printf without parsing a format.
  const int digits = u == 0 || x >= 100 ? 0 : x >= 10 ? 1 : 2;
  char buf[512];
  char* end = std::to_chars(buf, buf + 400, x, std::chars_format::fixed, digits).ptr;
  if (units[u][0]) {
    *end++ = ' ';
    for (const char* c = units[u]; *c; ++c) *end++ = *c;
  }
  out.append(buf, std::min<size_t>(static_cast<size_t>(end - buf), 63));
}

// printf's %.Nf, %.Ng and %.Ne (which fmt's "{:.Nf}", "{:.Ng}" and "{:.Ne}" equal), by
// std::to_chars: the same text without parsing a format.
void Fixed(std::string& out, double v, int digits) {
  char buf[512];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, digits).ptr);
}
void General(std::string& out, double v, int digits) {
  char buf[512];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, digits).ptr);
}
void Scientific(std::string& out, double v, int digits) {
  char buf[512];
  out.append(buf,
             std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific, digits).ptr);
}

void Commas(std::string& out, int64_t v) {
  const bool neg = v < 0;
  const uint64_t mag = neg ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, mag).ptr;
  const int n = static_cast<int>(end - digits);
  if (neg) out += '-';
  for (int i = 0; i < n; ++i) {
    if (i && (n - i) % 3 == 0) out += ',';
    out += digits[i];
  }
}

}  // namespace

void AppendNumber(std::string& out, double v, Style s) {
  static const char* const kSi[] = {"", "K", "M", "G", "T", "P"};
  static const char* const kBinary[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  switch (s.notation) {
    case Style::kPlain:
    case Style::kCommas:
      // Integers only; a double here prints whole.
      Fixed(out, v, 0);
      break;
    case Style::kSi:
      Scaled(out, v, kSi, 6, 1000.0);
      break;
    case Style::kBinary:
      Scaled(out, v, kBinary, 5, 1024.0);
      break;
    case Style::kFixed:
      Fixed(out, v, s.digits);
      break;
    case Style::kGeneral:
      General(out, v, s.digits);
      break;
    case Style::kAdaptive:
      if (v == 0) {
        out += '0';
      } else if (std::abs(v) >= 100) {
        Fixed(out, v, 0);
      } else if (std::abs(v) >= 10) {
        Fixed(out, v, 1);
      } else if (std::abs(v) >= 0.01) {
        General(out, v, 3);
      } else {
        Scientific(out, v, 2);
      }
      break;
    case Style::kRounded:
      if (v >= 100) {
        Fixed(out, v, 0);
      } else {
        General(out, v, s.digits);
      }
      break;
    case Style::kMs:
      if (v >= 100) {
        Fixed(out, v, 0);
      } else {
        General(out, v, v >= 1 ? 3 : 2);
      }
      break;
    case Style::kPercent:
      Fixed(out, 100 * v, s.digits);
      break;
    case Style::kCoord: {
      const size_t at = out.size();
      Printf(out, "%.1f", std::isfinite(v) ? v : 0.0);
      if (out.size() - at > 2 && out.compare(out.size() - 2, 2, ".0") == 0) {
        out.resize(out.size() - 2);
      }
      if (out.compare(at, std::string::npos, "-0") == 0) out.replace(at, 2, "0");
      break;
    }
    case Style::kShortest:
      fmt::format_to(std::back_inserter(out), "{}", v);
      break;
    case Style::kDuration:
      if (v >= 1000) {
        Fixed(out, v / 1000, 2);
        out += " s";
      } else {
        Fixed(out, v, 1);
        out += " ms";
      }
      break;
    case Style::kRate:
      Fixed(out, v, v >= 100 ? 0 : 1);
      break;
  }
  out += s.suffix;
}

void AppendInt(std::string& out, int64_t v, Style s) {
  switch (s.notation) {
    case Style::kPlain: {
      char buf[24];
      out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
      out += s.suffix;
      return;
    }
    case Style::kCommas:
      Commas(out, v);
      out += s.suffix;
      return;
    default:
      AppendNumber(out, static_cast<double>(v), s);
  }
}

std::string Number(double v, Style s) {
  std::string out;
  AppendNumber(out, v, s);
  return out;
}

std::string Int(int64_t v, Style s) {
  std::string out;
  AppendInt(out, v, s);
  return out;
}

std::string CsvNumber(double v) { return Number(v, Style::General(15)); }

std::string CsvNumber(const std::optional<double>& v) { return v ? CsvNumber(*v) : std::string(); }

void AppendJsonNumber(std::string& out, double v) {
  // nlohmann's own text for a double (shortest round trip, ".0" on whole numbers), so that the
  // JSON outputs keep the form they have always had.
  out += nlohmann::json(v).dump();
}

}  // namespace tops::report
