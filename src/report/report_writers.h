// The report (tops report): one self-contained HTML page with SVG charts, and the same content
// as Markdown for pull requests. Documents around the tables they share (report_text.h); they lay
// out what BuildReport computed and never compute a figure of their own (scales and pixel
// positions are layout, not analysis).
#pragma once

#include <ostream>

#include "tops/report_data.h"

namespace tops::report {

void WriteHtmlReport(std::ostream& os, const Report& r);
void WriteMarkdownReport(std::ostream& os, const Report& r);

}  // namespace tops::report
