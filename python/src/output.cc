// Results to strings through the library's writers (output.h).
#include "output.h"

#include <sstream>

namespace tops::python {
namespace {

template <typename Writer>
std::string Capture(Writer&& write) {
  std::ostringstream os;
  write(os);
  return std::move(os).str();
}

}  // namespace

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
std::string Render(const Chip& chip, const Family& family, const std::vector<std::string>& runtimes,
                   Format format) {
  return Capture([&](std::ostream& os) { Write(os, ChipSheet{chip, family, runtimes}, format); });
}
std::string Render(const LlmModelSummary& summary, Format format) {
  return Capture([&](std::ostream& os) { Write(os, summary, format); });
}
std::string Render(const LlmEstimates& estimates, Format format) {
  return Capture([&](std::ostream& os) { Write(os, estimates, format); });
}
std::string Render(const LlmRank& rank, Format format) {
  return Capture([&](std::ostream& os) { Write(os, rank, format); });
}
std::string RenderHtml(const LlmEstimates& estimates) {
  return Capture([&](std::ostream& os) { WriteHtml(os, estimates); });
}
std::string RenderReport(const Report& report, bool html) {
  return Capture([&](std::ostream& os) {
    Write(os, report, html ? ReportFormat::kHtml : ReportFormat::kMarkdown);
  });
}

}  // namespace tops::python
