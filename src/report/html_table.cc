// The table model as an HTML table (see html_table.h).
#include "report/html_table.h"

#include <charconv>

namespace tops::report {

void AppendHtmlTable(std::string& out, const Table& t, const HtmlTableOptions& o) {
  std::vector<size_t> cols;
  for (size_t c = 0; c < t.width(); ++c) {
    if (t.column(c).formats & kHtml) cols.push_back(c);
  }
  out += "<table";
  if (!o.id.empty()) out += " id=\"" + std::string(o.id) + "\"";
  if (!o.css_class.empty()) out += " class=\"" + std::string(o.css_class) + "\"";
  out += ">\n";
  if (t.layout.header) {
    out += "<thead><tr>";
    for (size_t c : cols) {
      out += t.column(c).right ? "<th class=\"n\">" : "<th>";
      AppendHtml(out, t.column(c).title);
      out += "</th>";
    }
    out += "</tr></thead>\n<tbody>\n";
  }
  std::string text;
  for (size_t r = 0; r < t.size(); ++r) {
    out += "<tr";
    if (!o.row_id.empty()) {
      out += " id=\"";
      out += o.row_id;
      AppendInt(out, static_cast<int64_t>(r), Style::Plain());
      out += '"';
    }
    out += '>';
    for (size_t c : cols) {
      const ColumnSpec& col = t.column(c);
      const Cell cell = t.Get(r, c);
      text.clear();
      AppendHuman(text, cell, col);
      if (col.row_header) {
        out += "<th>";
        AppendHtml(out, text);
        out += "</th>";
        continue;
      }
      std::string cls = col.right ? "n" : "";
      const Mark m = cell.mark();
      if (m == Mark::kGood || m == Mark::kBad || m == Mark::kAlert) {
        cls += std::string(cls.empty() ? "" : " ") + (m == Mark::kGood ? "ok" : "bad");
      }
      out += "<td";
      if (!cls.empty()) out += " class=\"" + cls + "\"";
      if (o.sortable && col.right) {
        switch (cell.type()) {
          case Cell::Type::kAbsent:
            out += " data-v=\"-1\"";
            break;
          case Cell::Type::kInt:
          case Cell::Type::kReal:
            out += " data-v=\"";
            AppendNumber(out,
                         cell.type() == Cell::Type::kInt ? static_cast<double>(cell.int_value())
                                                         : cell.real(),
                         Style::General(6));
            out += '"';
            break;
          default:
            break;
        }
      }
      out += '>';
      AppendHtml(out, text);
      out += "</td>";
    }
    out += "</tr>\n";
  }
  out += t.layout.header ? "</tbody></table>\n" : "</table>\n";
}

}  // namespace tops::report
