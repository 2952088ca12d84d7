// Writers for a Profile: terminal table (torchinfo-like), JSON (schema_version 1), CSV and
// Markdown. Writers only serialise what the analysis computed; they never compute.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tops/profile.h"

namespace tops {

enum class Format { kTable, kJson, kCsv, kMarkdown };

// "table", "json", "csv", "md"/"markdown"; throws tops::Error otherwise.
Format ParseFormat(const std::string& name);

inline constexpr int kProfileSchemaVersion = 1;

struct ProfileView {
  // Rows to print (indices into Profile::nodes); all nodes when empty and !limited.
  std::vector<size_t> rows;
  bool limited = false;  // --top N was given: rows are the N heaviest
  std::vector<OpGroup> groups;
  bool grouped = false;  // --group-by op
  bool color = false;
};

void WriteProfile(std::ostream& os, const Profile& p, const ProfileView& view, Format format);

// --sweep: one row of totals per binding (table, CSV, Markdown), or JSON with one entry per
// binding (src/report/sweep_writers.cc).
void WriteSweep(std::ostream& os, const Sweep& sweep, Format format);

// Number formatting shared by all writers: 1,814,073,344 and 1.81 G.
std::string WithCommas(int64_t v);
std::string HumanCount(double v);  // 1.81 G, 512 K, 64
std::string HumanBytes(double v);  // 44.6 MiB
std::string ShapeText(const Shape& s);

// "a, b, c" from {"a", "b", "c"} with sep ", ".
std::string Join(const std::vector<std::string>& parts, const std::string& sep);

// CSV (RFC 4180) and Markdown building blocks shared by every writer, so that a field is quoted
// and a cell escaped the same way whichever command prints it.
//
// One CSV field: quoted when it holds a comma, a quote or a line break, quotes doubled.
std::string CsvField(const std::string& s);
// A CSV record: every field through CsvField, comma-separated, ending in "\n" (not RFC 4180's
// CRLF: the files are read by scripts and spreadsheets on every platform, which accept both).
std::string CsvRow(const std::vector<std::string>& fields);
// A plain number for CSV: shortest exact form, no thousands separators ("1814073344", "0.1088");
// an empty field when unknown.
std::string CsvNumber(double v);
std::string CsvNumber(const std::optional<double>& v);
std::string CsvBool(bool v);  // "true" / "false", as in the JSON
// Text from a model file or the chip catalog inside a Markdown table cell: nothing in it can end
// the cell, break the row, inject HTML or start emphasis, code or a link.
std::string MarkdownCell(const std::string& s);
// "| a | b |\n" from cells that are already Markdown (escaped text, numbers, **bold**).
std::string MarkdownRow(const std::vector<std::string>& cells);
// The same from plain text: every cell through MarkdownCell.
std::string MarkdownTextRow(const std::vector<std::string>& cells);
// The separator row under a header: 'l' left-aligned, 'r' right-aligned cell, one per column.
std::string MarkdownRule(const std::string& align);

}  // namespace tops
