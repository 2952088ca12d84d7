// Number and shape formatting shared by every writer.
#include <cmath>
#include <cstdio>

#include "tops/error.h"
#include "tops/report.h"

namespace tops {

Format ParseFormat(const std::string& name) {
  if (name == "table") return Format::kTable;
  if (name == "json") return Format::kJson;
  if (name == "csv") return Format::kCsv;
  if (name == "md" || name == "markdown") return Format::kMarkdown;
  throw Error("unknown format '" + name + "' (choose table, json, csv or md)");
}

std::string WithCommas(int64_t v) {
  const bool neg = v < 0;
  const uint64_t mag = neg ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  const std::string digits = std::to_string(mag);
  std::string out;
  const int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    if (i && (n - i) % 3 == 0) out += ',';
    out += digits[static_cast<size_t>(i)];
  }
  return neg ? "-" + out : out;
}

namespace {
std::string Scaled(double v, const char* const* units, int count, double base, bool space) {
  int u = 0;
  double x = std::fabs(v);
  while (x >= base && u + 1 < count) {
    x /= base;
    ++u;
  }
  if (v < 0) x = -x;
  char buf[64];
  if (u == 0) std::snprintf(buf, sizeof buf, "%.0f%s%s", x, space && units[0][0] ? " " : "", units[0]);
  else std::snprintf(buf, sizeof buf, x >= 100 ? "%.0f%s%s" : x >= 10 ? "%.1f%s%s" : "%.2f%s%s", x,
                     space ? " " : "", units[u]);
  return buf;
}
}  // namespace

std::string HumanCount(double v) {
  static const char* const kUnits[] = {"", "K", "M", "G", "T", "P"};
  return Scaled(v, kUnits, 6, 1000.0, true);
}

std::string HumanBytes(double v) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  return Scaled(v, kUnits, 5, 1024.0, true);
}

std::string ShapeText(const Shape& s) {
  if (!s.rank_known) return "?";
  std::string out = "[";
  for (size_t i = 0; i < s.dims.size(); ++i) {
    if (i) out += ", ";
    out += s.dims[i].ToString();
  }
  return out + "]";
}

}  // namespace tops
