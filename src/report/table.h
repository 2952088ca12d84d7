// The table model: what a writer prints of a result is rows with typed columns, declared once,
// and every format renders those rows. A column says what its values are (unit), how people read
// them (style, alignment, width) and which formats show it; a cell holds one typed value, or
// none. The terminal table, Markdown, CSV and JSON renderers (sink.h) lay the same rows out.
//
// A new column is one entry in a result's column list; a new format is one Sink (sink.h).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "report/number.h"
#include "report/text.h"
#include "tops/output.h"
#include "tops/profile.h"

namespace tops::report {

// A set of formats.
using Formats = uint8_t;
constexpr Formats Only(Format f) { return static_cast<Formats>(1u << static_cast<unsigned>(f)); }
inline constexpr Formats kTerminal = Only(Format::kTable);
inline constexpr Formats kMarkdown = Only(Format::kMarkdown);
inline constexpr Formats kCsv = Only(Format::kCsv);
inline constexpr Formats kJson = Only(Format::kJson);
inline constexpr Formats kHuman = kTerminal | kMarkdown;
inline constexpr Formats kAll = kHuman | kCsv | kJson;
// The HTML pages' tables (a page is not a Format of the commands).
inline constexpr Formats kHtml = 1u << 7;
static_assert(static_cast<unsigned>(Format::kMarkdown) < 7, "a Format's bit must not be kHtml's");

// What a column's values are. The unit picks the style people read when the column names none.
enum class Unit : uint8_t {
  kText,
  kCount,   // an exact integer count (parameters, MACs, nodes): 1,814,073,344
  kBytes,   // 44.6 MiB
  kMs,      // milliseconds
  kTops,    // 10^12 operations per second
  kRatio,   // a fraction of 1, read as a percentage
  kNumber,  // any other quantity (frames per second, watts, GB/s): 137.5
  kBool,
  kShape,  // a node's output tensors: shapes as text, and in JSON name, dtype and shape each
  kList,   // several texts or numbers
};

// Emphasis a renderer may show: the terminal marks the best cell of a column with '*' and
// Markdown makes it bold; with colour on, the terminal paints a hot cell yellow and an alert red,
// which Markdown sets in bold too; HTML colours a good verdict, and a bad one or an alert;
// Markdown sets a summary row's label in italics.
enum class Mark : uint8_t { kNone, kBest, kHot, kAlert, kGood, kBad, kSummary };

class Table;

class Cell {
 public:
  enum class Type : uint8_t { kAbsent, kInt, kReal, kBool, kText, kShape, kList, kReals, kRows };

  // No value: CSV leaves the field empty, JSON writes null, people read `why` ("?", "n/a"),
  // or the column's absent text when null.
  static Cell Absent(const char* why = nullptr) {
    Cell c;
    c.why_ = why;
    return c;
  }
  static Cell Int(int64_t v) {
    return Make(Type::kInt, [&](Cell& c) { c.int_ = v; });
  }
  static Cell Int(const std::optional<int64_t>& v, const char* why = nullptr) {
    return v ? Int(*v) : Absent(why);
  }
  static Cell Real(double v) {
    return Make(Type::kReal, [&](Cell& c) { c.real_ = v; });
  }
  static Cell Real(const std::optional<double>& v) { return v ? Real(*v) : Absent(); }
  static Cell Bool(bool v) {
    return Make(Type::kBool, [&](Cell& c) { c.bool_ = v; });
  }
  static Cell Bool(const std::optional<bool>& v) { return v ? Bool(*v) : Absent(); }
  // Text that outlives the rendering (held in the result, or a literal); text made for the
  // cell goes through Own() (a temporary string here would not compile).
  static Cell Text(std::string_view v) {
    return Make(Type::kText, [&](Cell& c) { c.text_ = v; });
  }
  static Cell Text(const char* v) { return Text(std::string_view(v)); }
  static Cell Text(const std::string& v) { return Text(std::string_view(v)); }
  static Cell Text(std::string&&) = delete;
  static Cell Own(std::string v) {
    Cell c = Make(Type::kText, [](Cell&) {});
    c.owned_ = std::move(v);
    c.text_ = c.owned_;
    c.owns_ = true;
    return c;
  }
  static Cell Shape(const std::vector<OutputInfo>& outputs) {
    return Make(Type::kShape, [&](Cell& c) { c.shape_ = &outputs; });
  }
  // Several texts, or several numbers: JSON arrays; joined in the other formats (an empty list
  // reads as the column's absent text).
  static Cell List(std::vector<std::string> v) {
    Cell c = Make(Type::kList, [](Cell&) {});
    c.list_ = std::move(v);
    return c;
  }
  static Cell Reals(const std::vector<double>& v) {
    return Make(Type::kReals, [&](Cell& c) { c.reals_ = &v; });
  }

  // Rows inside a row (JSON only: an array of objects as the member's value, or one object
  // when the rows' layout says json_object).
  static Cell Nested(std::shared_ptr<const Table> rows) {
    Cell c = Make(Type::kRows, [](Cell&) {});
    c.rows_ = std::move(rows);
    return c;
  }

  Cell& Emphasis(Mark m) & {
    mark_ = m;
    return *this;
  }
  Cell&& Emphasis(Mark m) && {
    mark_ = m;
    return std::move(*this);
  }

  Cell(Cell&& o) noexcept { *this = std::move(o); }
  Cell& operator=(Cell&& o) noexcept;
  Cell(const Cell&) = delete;
  Cell& operator=(const Cell&) = delete;

  Type type() const { return type_; }
  Mark mark() const { return mark_; }
  const char* why() const { return why_; }
  int64_t int_value() const { return int_; }
  double real() const { return real_; }
  bool boolean() const { return bool_; }
  std::string_view text() const { return text_; }
  const std::vector<OutputInfo>& shape() const { return *shape_; }
  const std::vector<std::string>& list() const { return list_; }
  const std::vector<double>& reals() const { return *reals_; }
  const Table& rows() const { return *rows_; }

 private:
  Cell() = default;
  template <typename F>
  static Cell Make(Type t, F&& set) {
    Cell c;
    c.type_ = t;
    set(c);
    return c;
  }

  Type type_ = Type::kAbsent;
  Mark mark_ = Mark::kNone;
  bool bool_ = false;
  bool owns_ = false;  // text_ views owned_
  const char* why_ = nullptr;
  int64_t int_ = 0;
  double real_ = 0;
  std::string_view text_;
  std::string owned_;
  const std::vector<OutputInfo>* shape_ = nullptr;
  std::vector<std::string> list_;
  const std::vector<double>* reals_ = nullptr;
  std::shared_ptr<const Table> rows_;
};

inline constexpr int kAutoWidth = -1;

struct ColumnSpec {
  std::string_view key = {};    // CSV header and JSON key: "macs"
  std::string_view title = {};  // terminal and Markdown header: "MACs"
  Unit unit = Unit::kText;
  Formats formats = kAll;
  // How people read a number: the unit's style unless given.
  std::optional<Style> style = std::nullopt;
  // Terminal table: width in characters (kAutoWidth: the widest cell; 0: unpadded), alignment,
  // spaces before the column (-1: the table's gap), and how a longer text is shortened.
  int width = kAutoWidth;
  int min_width = 0;  // kAutoWidth: at least this wide ("op" keeps room for ONNX's op names)
  bool right = false;
  int gap = -1;
  Clip clip = Clip::kNone;
  int clip_width = 0;               // 0: the column's width
  const char* absent = "-";         // what people read for a missing value
  const char* zero = nullptr;       // what people read for 0, when not the number ("-")
  std::string_view md_title = {};   // Markdown header when it is not `title`
  std::string_view unit_line = {};  // terminal: a second header line ("ms" under "latency")
  const char* yes = "yes";          // kBool as people read it (CSV and JSON: true / false)
  const char* no = "no";
  const char* join = ", ";                      // lists as people read them (JSON has an array)
  const char* csv_join = "; ";                  // lists in CSV
  std::optional<bool> md_right = std::nullopt;  // Markdown alignment when not `right`
  bool json_omit_absent = false;                // JSON: no key instead of null
  bool markdown_raw = false;  // the text is Markdown already (our own docs), not escaped
  bool row_header = false;    // HTML: the row's header cell (<th>)

  Style human_style() const;
  std::string_view markdown_title() const { return md_title.empty() ? title : md_title; }
  bool markdown_right() const { return md_right.value_or(right); }
};

template <typename Row>
struct Column {
  ColumnSpec spec;
  Cell (*get)(const Row&);
};

// How a table is laid out; what it holds is its columns and rows.
struct Layout {
  std::string_view key = {};  // JSON: the key of the array of row objects
  Formats formats = kAll;
  bool json_sorted = false;  // JSON: row members in key order (the profile schema's)
  bool json_object = false;  // JSON: the one row as an object, not an array of rows
  // Terminal table.
  std::string_view indent = {};
  int gap = 1;       // spaces between columns
  char rule = '\0';  // a line of this character under the header; '\0': none
  bool header = true;
  bool trim = false;  // rows end at their last non-blank character
  // Markdown: pad cells to the column's widest (a table that also reads as plain text).
  bool md_padded = false;
  bool md_short_rule = false;  // "--:" instead of "---:" for right-aligned columns
};

// A table as a renderer sees it.
class Table {
 public:
 public:
  explicit Table(Layout layout) : layout(layout) {}
  virtual ~Table() = default;
  virtual size_t size() const = 0;
  virtual size_t width() const = 0;
  virtual const ColumnSpec& column(size_t c) const = 0;
  virtual Cell Get(size_t row, size_t c) const = 0;

  Layout layout;
};

// Rows of one type with their columns.
template <typename Row>
class Rows final : public Table {
 public:
  Rows(std::span<const Column<Row>> columns, std::vector<Row> rows, Layout layout)
      : Table(layout), columns_(columns), rows_(std::move(rows)) {}
  size_t size() const override { return rows_.size(); }
  size_t width() const override { return columns_.size(); }
  const ColumnSpec& column(size_t c) const override { return columns_[c].spec; }
  Cell Get(size_t row, size_t c) const override { return columns_[c].get(rows_[row]); }

 private:
  std::span<const Column<Row>> columns_;
  std::vector<Row> rows_;
};

// The text people read in a cell, before padding, escaping and marks.
void AppendHuman(std::string& out, const Cell& cell, const ColumnSpec& column);
std::string Human(const Cell& cell, const ColumnSpec& column);
// "[1, 64, 112, 112]", "?" for an unknown rank; several outputs separated by spaces.
void AppendShapes(std::string& out, const std::vector<OutputInfo>& outputs);
std::string ShapeText(const Shape& s);

}  // namespace tops::report
