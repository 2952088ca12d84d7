// Results to strings through the library's writers (output.h).
#include "output.h"

#include <sstream>

#ifndef TOPS_PYTHON_OUTPUT_H
#include "report/fit_writers.h"
#include "report/report_writers.h"
#include "report/whatif_writers.h"
#endif

namespace tops::python {
namespace {

template <typename Writer>
std::string Capture(Writer&& write) {
  std::ostringstream os;
  write(os);
  return std::move(os).str();
}

}  // namespace

#ifdef TOPS_PYTHON_OUTPUT_H

// tops/output.h: one Write per result.
std::string Render(const Profile& profile, const ProfileView& view, Format format) {
  return Capture([&](std::ostream& os) { Write(os, profile, view, format); });
}
std::string Render(const Sweep& sweep, Format format) {
  return Capture([&](std::ostream& os) { Write(os, sweep, format); });
}
std::string Render(const Requirement& requirement, Format format) {
  return Capture([&](std::ostream& os) { Write(os, requirement, format); });
}
std::string Render(const FitResult& fit, Format format) {
  return Capture([&](std::ostream& os) { Write(os, fit, format); });
}
std::string Render(const RankResult& rank, Format format) {
  return Capture([&](std::ostream& os) { Write(os, rank, format); });
}
std::string Render(const WhatifResult& whatif, Format format) {
  return Capture([&](std::ostream& os) { Write(os, whatif, format); });
}
std::string Render(const CompareResult& compare, Format format) {
  return Capture([&](std::ostream& os) { Write(os, compare, format); });
}
std::string Render(const Catalog& catalog, Format format) {
  return Capture([&](std::ostream& os) { Write(os, catalog, format); });
}
std::string Render(const Chip& chip, const Family& family, Format format) {
  return Capture([&](std::ostream& os) { Write(os, ChipSheet{chip, family}, format); });
}
std::string RenderReport(const Report& report, bool html) {
  return Capture([&](std::ostream& os) {
    Write(os, report, html ? ReportFormat::kHtml : ReportFormat::kMarkdown);
  });
}

#else

// The per-result writers of src/report.
std::string Render(const Profile& profile, const ProfileView& view, Format format) {
  return Capture([&](std::ostream& os) { WriteProfile(os, profile, view, format); });
}
std::string Render(const Sweep& sweep, Format format) {
  return Capture([&](std::ostream& os) { WriteSweep(os, sweep, format); });
}
std::string Render(const Requirement& requirement, Format format) {
  return Capture([&](std::ostream& os) { WriteRequire(os, requirement, format); });
}
std::string Render(const FitResult& fit, Format format) {
  return Capture([&](std::ostream& os) { WriteFit(os, fit, format); });
}
std::string Render(const RankResult& rank, Format format) {
  return Capture([&](std::ostream& os) { WriteRank(os, rank, format); });
}
std::string Render(const WhatifResult& whatif, Format format) {
  return Capture([&](std::ostream& os) { WriteWhatif(os, whatif, format); });
}
std::string Render(const CompareResult& compare, Format format) {
  return Capture([&](std::ostream& os) { WriteCompare(os, compare, format); });
}
std::string Render(const Catalog& catalog, Format format) {
  return Capture([&](std::ostream& os) { WriteChips(os, catalog, format); });
}
std::string Render(const Chip& chip, const Family& family, Format format) {
  return Capture([&](std::ostream& os) { WriteChip(os, chip, family, format); });
}
std::string RenderReport(const Report& report, bool html) {
  return Capture([&](std::ostream& os) {
    if (html) {
      WriteHtmlReport(os, report);
    } else {
      WriteMarkdownReport(os, report);
    }
  });
}

#endif

}  // namespace tops::python
