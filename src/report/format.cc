// Number and shape formatting shared by every writer.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>

#include "report/svg.h"
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
  if (u == 0)
    std::snprintf(buf, sizeof buf, "%.0f%s%s", x, space && units[0][0] ? " " : "", units[0]);
  else
    std::snprintf(buf, sizeof buf,
                  x >= 100  ? "%.0f%s%s"
                  : x >= 10 ? "%.1f%s%s"
                            : "%.2f%s%s",
                  x, space ? " " : "", units[u]);
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

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : std::string()) + parts[i];
  return out;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string CsvRow(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += CsvField(fields[i]);
  }
  return out + "\n";
}

// 15 significant digits: every digit a double holds exactly, so arithmetic noise such as
// 6 x 0.6 = 3.5999999999999996 prints as 3.6, and counts below 10^15 print whole, without ".0"
// or an exponent.
std::string CsvNumber(double v) { return fmt::format("{:.15g}", v); }

std::string CsvNumber(const std::optional<double>& v) { return v ? CsvNumber(*v) : std::string(); }

std::string CsvBool(bool v) { return v ? "true" : "false"; }

// Pipes would end the cell and line breaks the row; <, > and & would let a node name inject
// HTML, which GitHub renders in Markdown; '*', '`' and '[' would start emphasis, code or a link
// (underscores inside words do not), and a backslash would escape what follows it.
std::string MarkdownCell(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '|':
        out += "\\|";
        break;
      case '<':
      case '>':
      case '&':
        out += svg::HtmlEntity(c);
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      case '*':
      case '`':
      case '[':
      case '\\':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string MarkdownRow(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const auto& c : cells) out += " " + c + " |";
  return out + "\n";
}

std::string MarkdownTextRow(const std::vector<std::string>& cells) {
  std::vector<std::string> escaped;
  for (const auto& c : cells) escaped.push_back(MarkdownCell(c));
  return MarkdownRow(escaped);
}

std::string MarkdownRule(const std::string& align) {
  std::string out = "|";
  for (char a : align) out += a == 'r' ? "---:|" : "---|";
  return out + "\n";
}

}  // namespace tops
