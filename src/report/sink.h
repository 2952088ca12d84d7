// Renderers of the table model, one per output format. A result's layout function (one per
// result, in src/report/*_layout.cc) calls a Sink in document order; each sink keeps what its
// format shows and writes it at once:
//  - Table(): every format shows the tables and columns marked for it (table.h);
//  - Field() / Open() / OpenList() / Close(): the JSON document's other members;
//  - Say(): the sentences around the tables, as the terminal and Markdown word them.
// Render() is the one place that chooses a sink by format.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "report/out.h"
#include "report/table.h"
#include "tops/output.h"

namespace tops::report {

// Text around the tables: the terminal's and Markdown's wording (either may be empty). Text from
// a model file or the catalog in the Markdown wording goes through MarkdownCell.
struct Prose {
  std::string terminal;
  std::string markdown;
};

class Sink {
 public:
  virtual ~Sink() = default;

  virtual void Table(const report::Table& table) = 0;
  virtual void Field(std::string_view /*key*/, const Cell& /*value*/) {}
  // A JSON object or array member (key empty inside an array).
  virtual void Open(std::string_view /*key*/) {}
  virtual void OpenList(std::string_view /*key*/) {}
  virtual void Close() {}
  virtual void Say(const Prose& /*prose*/) {}

  // Whether Say() shows anything: layouts skip building sentences no one reads.
  virtual bool Reads() const { return false; }
  // After the last call: closes what the format opened (JSON's object).
  virtual void Finish() {}

  // Shorthands.
  void Say(std::string terminal, std::string markdown) {
    Say(Prose{std::move(terminal), std::move(markdown)});
  }
  void SayBoth(const std::string& text) { Say(Prose{text, text}); }
  template <typename Row>
  void Rows(std::span<const Column<Row>> columns, std::vector<Row> rows, Layout layout) {
    Table(report::Rows<Row>(columns, std::move(rows), layout));
  }
};

// The sink of `format`, writing to `out`; `color`: ANSI colours in the terminal table. The one
// place that chooses a renderer by format.
std::unique_ptr<Sink> MakeSink(Format format, Out& out, bool color = false);

// Lays out one result through the sink of `format`.
void Render(std::ostream& os, Format format, bool color, const std::function<void(Sink&)>& layout);

// The "tops" object every JSON output carries beside "schema_version": which build and which chip
// catalog produced the numbers (tops/version.h). Nothing in the other formats. `sorted`: its
// members in key order, in the documents whose keys are (profile, sweep).
void BuildIdentity(Sink& s, bool sorted = false);

// "\nTitle:\n  - a\n  - b\n" and "\nTitle:\n\n- a\n- b\n"; nothing for no items.
Prose Bullets(std::string_view title, const std::vector<std::string>& items);

}  // namespace tops::report
