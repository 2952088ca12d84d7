// Writing results: every result of the library as a terminal table, JSON, CSV or Markdown, and
// the report as a self-contained HTML page or Markdown. Each result is laid out once as rows with
// typed columns (src/report/table.h) and every format renders those rows, written to the stream
// as they are produced. Writers never compute: each figure comes from the result.
//
// JSON outputs carry "schema_version": kSchemaVersion; their keys and order only grow.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tops/calibrate.h"
#include "tops/chip.h"
#include "tops/fit.h"
#include "tops/formulas.h"
#include "tops/llm.h"
#include "tops/ops.h"
#include "tops/profile.h"
#include "tops/report_data.h"
#include "tops/whatif.h"

namespace tops {

enum class Format { kTable, kJson, kCsv, kMarkdown };

// "table", "json", "csv", "md"/"markdown"; throws tops::Error otherwise.
Format ParseFormat(const std::string& name);

inline constexpr int kSchemaVersion = 1;

// What `tops profile` shows of a profile.
struct ProfileView {
  // Rows to print (indices into Profile::nodes); all nodes when empty and !limited.
  std::vector<size_t> rows;
  bool limited = false;  // --top N was given: rows are the N heaviest
  std::vector<OpGroup> groups;
  bool grouped = false;  // --group-by op
  bool color = false;    // ANSI colours in the terminal table
};

// One chip with its calibration family (`tops chips show`).
struct ChipSheet {
  const Chip& chip;
  const Family& family;
  std::vector<std::string> runtimes = {};  // runtimes with solved figures (Catalog::RuntimesOf)
};

void Write(std::ostream& os, const Profile& profile, const ProfileView& view, Format format);
void Write(std::ostream& os, const Sweep& sweep, Format format);
void Write(std::ostream& os, const Requirement& requirement, Format format);
void Write(std::ostream& os, const FitResult& fit, Format format);
void Write(std::ostream& os, const RankResult& rank, Format format);
void Write(std::ostream& os, const Catalog& catalog, Format format);
void Write(std::ostream& os, const ChipSheet& chip, Format format);
void Write(std::ostream& os, const WhatifResult& whatif, Format format);
void Write(std::ostream& os, const CompareResult& compare, Format format);
void Write(std::ostream& os, const LayerMacs& layer, Format format);
void Write(std::ostream& os, const std::vector<OpInfo>& ops, Format format);

// Language models (tops/llm.h): the decoder alone, its estimates on a chip, the chips ranked for
// a tokens/s target, and the calibration's rows (measured, predicted, left out).
void Write(std::ostream& os, const LlmModelSummary& summary, Format format);
void Write(std::ostream& os, const LlmEstimates& estimates, Format format);
void Write(std::ostream& os, const LlmRank& rank, Format format);
void Write(std::ostream& os, const LlmCalibrationResult& calibration, Format format);
void Write(std::ostream& os, const CalibrationResult& calibration, Format format);
// `tops llm --format html`: a self-contained page with a tokens/s-vs-context chart.
void WriteHtml(std::ostream& os, const LlmEstimates& estimates);

// `tops report`: one HTML page with SVG charts, or the same content as Markdown.
enum class ReportFormat { kHtml, kMarkdown };
// "html" or "md"/"markdown"; throws tops::Error otherwise.
ReportFormat ParseReportFormat(const std::string& name);
// From the output file's extension (.html/.htm, .md/.markdown); nullopt when it says nothing.
std::optional<ReportFormat> ReportFormatFromPath(const std::string& path);
void Write(std::ostream& os, const Report& report, ReportFormat format);

}  // namespace tops
