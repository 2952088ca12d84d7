// The table model as an HTML table, for the report: right-aligned columns get class "n", a good
// or bad verdict class "ok" or "bad", and in a sortable table every numeric cell carries its value
// in data-v (-1 when unknown) for the page's script to sort by.
#pragma once

#include <string>
#include <string_view>

#include "report/table.h"

namespace tops::report {

struct HtmlTableOptions {
  std::string_view id = {};
  std::string_view css_class = {};
  bool sortable = false;
  std::string_view row_id = {};  // rows get id="<row_id><row index>"
};

void AppendHtmlTable(std::string& out, const Table& t, const HtmlTableOptions& options);

}  // namespace tops::report
