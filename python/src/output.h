// The Python package's only contact with the writers: every result rendered to a string in one
// of the CLI's formats, so that `to_json()` / `to_dict()` give the CLI's JSON schema and `str()`
// the CLI's table. Writers compute nothing; neither does this file.
#pragma once

#include <string>

#include "tops/chip.h"
#include "tops/fit.h"
#include "tops/llm.h"
#include "tops/output.h"  // the table model's writers: Format, ProfileView, Write
#include "tops/profile.h"
#include "tops/report_data.h"
#include "tops/whatif.h"

namespace tops::python {

std::string Render(const Profile& profile, const ProfileView& view, Format format);
std::string Render(const Sweep& sweep, Format format);
std::string Render(const Requirement& requirement, Format format);
std::string Render(const FitResult& fit, Format format);
std::string Render(const RankResult& rank, Format format);
std::string Render(const WhatifResult& whatif, Format format);
std::string Render(const CompareResult& compare, Format format);
std::string Render(const Catalog& catalog, Format format);
std::string Render(const Chip& chip, const Family& family, const std::vector<std::string>& runtimes,
                   Format format);
std::string Render(const LlmModelSummary& summary, Format format);
std::string Render(const LlmEstimates& estimates, Format format);
std::string Render(const LlmRank& rank, Format format);
// `tops llm --format html`: the page with the tokens/s-vs-context chart.
std::string RenderHtml(const LlmEstimates& estimates);
// The report as one self-contained HTML page, or as Markdown.
std::string RenderReport(const Report& report, bool html);

}  // namespace tops::python
