// The public writers (tops/output.h): each result through its layout and the format's sink.
#include "tops/output.h"

#include "report/layouts.h"
#include "report/report_writers.h"
#include "tops/error.h"

namespace tops {

Format ParseFormat(const std::string& name) {
  if (name == "table") return Format::kTable;
  if (name == "json") return Format::kJson;
  if (name == "csv") return Format::kCsv;
  if (name == "md" || name == "markdown") return Format::kMarkdown;
  throw Error("unknown format '" + name + "' (choose table, json, csv or md)");
}

namespace {
template <typename... Result>
void Emit(std::ostream& os, Format format, bool color, const Result&... r) {
  report::Render(os, format, color, [&](report::Sink& s) { report::Lay(s, r...); });
}
}  // namespace

void Write(std::ostream& os, const Profile& p, const ProfileView& view, Format format) {
  Emit(os, format, view.color, p, view);
}
void Write(std::ostream& os, const Sweep& r, Format f) { Emit(os, f, false, r); }
void Write(std::ostream& os, const Requirement& r, Format f) { Emit(os, f, false, r); }
void Write(std::ostream& os, const FitResult& r, Format f) { Emit(os, f, false, r); }
void Write(std::ostream& os, const RankResult& r, Format f) { Emit(os, f, false, r); }
void Write(std::ostream& os, const Catalog& r, Format f) { Emit(os, f, false, r); }
void Write(std::ostream& os, const ChipSheet& r, Format f) { Emit(os, f, false, r); }
void Write(std::ostream& os, const WhatifResult& r, Format f) { Emit(os, f, false, r); }
void Write(std::ostream& os, const CompareResult& r, Format f) { Emit(os, f, false, r); }
void Write(std::ostream& os, const LayerMacs& r, Format f) { Emit(os, f, false, r); }
void Write(std::ostream& os, const std::vector<OpInfo>& r, Format f) { Emit(os, f, false, r); }
void Write(std::ostream& os, const LlmModelSummary& r, Format f) { Emit(os, f, false, r); }
void Write(std::ostream& os, const LlmEstimates& r, Format f) { Emit(os, f, false, r); }
void Write(std::ostream& os, const LlmRank& r, Format f) { Emit(os, f, false, r); }
void Write(std::ostream& os, const LlmCalibrationResult& r, Format f) { Emit(os, f, false, r); }
void Write(std::ostream& os, const CalibrationResult& r, Format f) { Emit(os, f, false, r); }
void WriteHtml(std::ostream& os, const LlmEstimates& r) { report::WriteLlmHtml(os, r); }
void WriteNetronAttachment(std::ostream& os, const Overlay& o) {
  Emit(os, Format::kJson, false, o);
}

ReportFormat ParseReportFormat(const std::string& name) {
  if (name == "html") return ReportFormat::kHtml;
  if (name == "md" || name == "markdown") return ReportFormat::kMarkdown;
  throw Error("unknown report format '" + name + "' (choose html or md)");
}

std::optional<ReportFormat> ReportFormatFromPath(const std::string& path) {
  auto ends = [&](std::string_view ext) {
    if (path.size() < ext.size()) return false;
    for (size_t i = 0; i < ext.size(); ++i) {
      const char c = path[path.size() - ext.size() + i];
      if (std::tolower(static_cast<unsigned char>(c)) != ext[i]) return false;
    }
    return true;
  };
  if (ends(".html") || ends(".htm")) return ReportFormat::kHtml;
  if (ends(".md") || ends(".markdown")) return ReportFormat::kMarkdown;
  return std::nullopt;
}

void Write(std::ostream& os, const Report& r, ReportFormat format) {
  switch (format) {
    case ReportFormat::kHtml:
      return report::WriteHtmlReport(os, r);
    case ReportFormat::kMarkdown:
      return report::WriteMarkdownReport(os, r);
  }
}

}  // namespace tops
