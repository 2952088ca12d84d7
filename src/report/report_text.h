// What the HTML and Markdown reports share, so that both say the same thing the same way: the
// wording, and the tables both show (model facts, the chips' verdicts, the what-if rows) as
// columns of the table model. Each report renders them its own way (html_table.h, sink.h).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "report/table.h"
#include "tops/report_data.h"

namespace tops::report {

std::string NodeName(const Report& r, size_t node);  // "(unnamed #3)" for empty names
std::string OpName(const NodeProfile& n);            // "Conv", "com.microsoft::Gelu"

// "12.4%" of `part` in `whole`; "-" when whole is 0.
std::string Share(double part, double whole);

// One sentence naming the chips and how they were chosen.
std::string ChipChoiceText(const Report& r);

// One line per caveat and missing figure of a fit.
std::vector<std::string> FitNotes(const FitResult& f);

// The model's facts: file, producer, nodes, inputs, totals, the TOPS each precision needs. The
// HTML page capitalises its keys and lists the opsets; Markdown leaves out an empty producer.
struct Fact {
  std::string key;
  std::string value;
};
std::vector<Fact> Facts(const Report& r, bool html);
std::span<const Column<Fact>> FactColumns();

// One row per chip: the article's check and the roofline's verdict.
std::span<const Column<const ChipReport*>> VerdictColumns();

// One row per what-if scenario on the report's first chip.
std::span<const Column<const ScenarioResult*>> WhatifColumns();

}  // namespace tops::report
