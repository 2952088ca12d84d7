// Wording and number formats shared by the HTML and Markdown reports, so both say the same
// thing the same way.
#pragma once

#include <optional>
#include <string>

#include "tops/report_data.h"

namespace tops::report_text {

std::string Ms(double ms);                       // "12.3 ms", "0.045 ms"
std::string Tops(double tops);                   // "3.62", "0.0121"
std::string Fps(double fps);                     // "812", "27.4"
std::string Percent(double part, double whole);  // "12.4%"; "-" when whole is 0
std::string OptOr(const std::optional<double>& v, std::string (*format)(double),
                  const char* missing = "n/a");

std::string NodeName(const Report& r, size_t node);  // "(unnamed)" for empty names
std::string OpName(const NodeProfile& n);            // "Conv", "com.microsoft::Gelu"
std::string OutputShapes(const NodeProfile& n);

// "fits", "does not fit" (article or roofline, as FitResult says).
std::string ArticleVerdict(const FitResult& f);
std::string PredictedVerdict(const FitResult& f);

// One sentence naming the chips and how they were chosen.
std::string ChipChoice(const Report& r);

// One line per caveat and missing figure of a fit.
std::vector<std::string> FitNotes(const FitResult& f);

}  // namespace tops::report_text
