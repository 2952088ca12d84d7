// --format csv and md on every command: each is accepted, the CSV reads back as RFC 4180 with the
// header's column count on every row and no text where a number is unknown, and every Markdown
// table row has its header's cell count. Then the shared quoting helpers on hostile text.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "../malformed/run_cli.h"
#include "report/sink.h"
#include "report/table.h"

namespace tops {
namespace {

using Records = std::vector<std::vector<std::string>>;

// An RFC 4180 reader, independent of the writers': a quoted field may hold commas, doubled
// quotes and line breaks. Returns nullopt for a quote that opens mid-field or never closes.
std::optional<Records> ParseCsv(const std::string& text) {
  Records records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, was_quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"') {
      if (!field.empty() || was_quoted) return std::nullopt;
      quoted = was_quoted = true;
    } else if (c == ',' || c == '\n') {
      record.push_back(field);
      field.clear();
      was_quoted = false;
      if (c == '\n') {
        records.push_back(record);
        record.clear();
      }
    } else if (c != '\r' || i + 1 >= text.size() || text[i + 1] != '\n') {
      if (was_quoted) return std::nullopt;
      field += c;
    }
  }
  if (quoted) return std::nullopt;
  if (!field.empty() || !record.empty()) {
    record.push_back(field);
    records.push_back(record);
  }
  return records;
}

// Cells of a Markdown table row: the pipes that are not escaped by an odd run of backslashes.
size_t MarkdownCells(const std::string& line) {
  size_t pipes = 0, backslashes = 0;
  for (char c : line) {
    if (c == '|' && backslashes % 2 == 0) ++pipes;
    backslashes = c == '\\' ? backslashes + 1 : 0;
  }
  return pipes - 1;
}

struct Command {
  std::string name;
  std::vector<std::string> args;
};

std::vector<Command> Commands() {
  const std::string m = std::string(TOPS_TEST_DIR) + "/models/";
  return {
      {"profile", {"profile", m + "resnet18.onnx"}},
      {"profile --group-by op", {"profile", m + "mobilenet_v2.onnx", "--group-by", "op"}},
      {"require", {"require", m + "resnet18.onnx", m + "mobilenet_v2.onnx@10"}},
      {"fit", {"fit", m + "resnet18.onnx", m + "mobilenet_v2.onnx@10", "--chip", "rk3588"}},
      // A chip without an INT8 peak: no prediction, so the fit has no per-model figures.
      {"fit without a peak", {"fit", m + "resnet18.onnx", "--chip", "ambarella_cv22"}},
      {"rank", {"rank", m + "resnet18.onnx", "--max-watts", "10"}},
      {"chips", {"chips"}},
      {"chips show", {"chips", "show", "rk3588"}},
      {"whatif", {"whatif", m + "resnet18.onnx", "--chip", "jetson_orin_nano_8gb"}},
      {"compare", {"compare", m + "resnet18.onnx", m + "mobilenet_v2.onnx", "--chip", "hailo_8"}},
  };
}

testing::CliResult RunFormat(const Command& c, const char* format) {
  std::vector<std::string> args = c.args;
  args.insert(args.end(), {"--format", format});
  return testing::RunCli(args);
}

TEST(Formats, EveryCommandWritesCsvWithOneColumnCount) {
  for (const Command& c : Commands()) {
    SCOPED_TRACE(c.name);
    const testing::CliResult r = RunFormat(c, "csv");
    ASSERT_EQ(0, r.exit_code) << r.err;
    const std::optional<Records> records = ParseCsv(r.out);
    ASSERT_TRUE(records) << "not RFC 4180:\n" << r.out;
    ASSERT_GE(records->size(), 2u) << "a header and at least one record";
    const size_t columns = (*records)[0].size();
    EXPECT_GE(columns, 2u);
    for (size_t i = 1; i < records->size(); ++i) {
      EXPECT_EQ(columns, (*records)[i].size()) << "record " << i;
      // Unknown figures are empty fields, not the table's markers.
      for (const std::string& field : (*records)[i]) {
        EXPECT_TRUE(field != "-" && field != "?" && field != "n/a") << "record " << i;
      }
    }
  }
}

TEST(Formats, EveryCommandWritesMarkdownTables) {
  for (const Command& c : Commands()) {
    SCOPED_TRACE(c.name);
    const testing::CliResult r = RunFormat(c, "md");
    ASSERT_EQ(0, r.exit_code) << r.err;
    std::istringstream lines(r.out);
    std::string line;
    size_t tables = 0, header_cells = 0;
    bool in_table = false;
    while (std::getline(lines, line)) {
      const bool row = !line.empty() && line.front() == '|' && line.back() == '|';
      if (row && !in_table) {
        ++tables;
        header_cells = MarkdownCells(line);
      } else if (row) {
        EXPECT_EQ(header_cells, MarkdownCells(line)) << line;
      }
      in_table = row;
    }
    EXPECT_GE(tables, 1u) << r.out;
  }
}

using Fields = std::vector<std::string>;

template <size_t I>
report::Cell FieldAt(const Fields& r) {
  return report::Cell::Text(r[I]);
}

const report::Column<Fields> kTextColumns[] = {
    {{.key = "c0", .title = "c0"}, FieldAt<0>}, {{.key = "c1", .title = "c1"}, FieldAt<1>},
    {{.key = "c2", .title = "c2"}, FieldAt<2>}, {{.key = "c3", .title = "c3"}, FieldAt<3>},
    {{.key = "c4", .title = "c4"}, FieldAt<4>}, {{.key = "c5", .title = "c5"}, FieldAt<5>},
};

// One row of six text cells through a renderer.
std::string RenderRow(Format format, const Fields& fields) {
  std::ostringstream os;
  report::Render(os, format, false,
                 [&](report::Sink& s) { s.Rows<Fields>(kTextColumns, {fields}, {}); });
  return os.str();
}

TEST(Formats, CsvFieldsHoldCommasQuotesAndLineBreaks) {
  const Fields fields = {"plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", ""};
  const std::optional<Records> records = ParseCsv(RenderRow(Format::kCsv, fields));
  ASSERT_TRUE(records);
  ASSERT_EQ(2u, records->size());
  EXPECT_EQ(fields, (*records)[1]);
  EXPECT_EQ("plain", report::CsvField("plain"));
}

TEST(Formats, CsvNumbersArePlainAndUnknownIsEmpty) {
  EXPECT_EQ("1814073344", report::CsvNumber(1814073344.0));
  EXPECT_EQ("3.6", report::CsvNumber(6 * 0.6));
  EXPECT_EQ("0.10884440064", report::CsvNumber(0.10884440064));
  EXPECT_EQ("", report::CsvNumber(std::optional<double>()));
  EXPECT_EQ("2.5", report::CsvNumber(std::optional<double>(2.5)));
}

TEST(Formats, MarkdownCellCannotBreakOrInjectIntoATable) {
  const std::string table =
      RenderRow(Format::kMarkdown, {"a|b", "<img src=x>", "two\nlines", "end\\", "*x*", "`y`"});
  std::istringstream lines(table);
  std::string header, rule, row, extra;
  ASSERT_TRUE(std::getline(lines, header) && std::getline(lines, rule) && std::getline(lines, row));
  EXPECT_FALSE(std::getline(lines, extra)) << table;
  EXPECT_EQ(6u, MarkdownCells(row));
  EXPECT_EQ(std::string::npos, row.find('<'));
  EXPECT_EQ("|---|---|---|---|---|---|", rule);
  EXPECT_EQ("| c0 | c1 | c2 | c3 | c4 | c5 |", header);
}

}  // namespace
}  // namespace tops
