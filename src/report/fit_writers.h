// Writers for require / fit / rank results and for the chip catalog: a terminal table, JSON
// (schema_version kFitSchemaVersion), CSV (one row per precision, model, chip or figure) and
// Markdown. They serialise what the analysis computed; they never compute.
#pragma once

#include <ostream>

#include "tops/chip.h"
#include "tops/fit.h"
#include "tops/report.h"

namespace tops {

inline constexpr int kFitSchemaVersion = 1;

void WriteRequire(std::ostream& os, const Requirement& r, Format format);
void WriteFit(std::ostream& os, const FitResult& r, Format format);
void WriteRank(std::ostream& os, const RankResult& r, Format format);
void WriteChips(std::ostream& os, const Catalog& catalog, Format format);
void WriteChip(std::ostream& os, const Chip& chip, const Family& family, Format format);

}  // namespace tops
