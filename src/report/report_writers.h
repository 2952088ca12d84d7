// Writers for a Report (tops report): one self-contained HTML page with SVG charts, and the same
// content as Markdown for pull requests. They lay out what BuildReport computed; they never
// compute a figure of their own (scales and pixel positions are layout, not analysis).
#pragma once

#include <ostream>
#include <string>

#include "tops/report_data.h"

namespace tops {

enum class ReportFormat { kHtml, kMarkdown };

// "html" or "md"/"markdown"; throws tops::Error otherwise.
ReportFormat ParseReportFormat(const std::string& name);
// From the output file's extension (.html/.htm, .md/.markdown); nullopt when it says nothing.
std::optional<ReportFormat> ReportFormatFromPath(const std::string& path);

void WriteHtmlReport(std::ostream& os, const Report& r);
void WriteMarkdownReport(std::ostream& os, const Report& r);

}  // namespace tops
