// Writers for what-if and compare results: terminal table, JSON (schema_version
// kWhatifSchemaVersion), CSV and Markdown. They serialise what the analysis computed (including
// which row is best in each column); they never compute.
#pragma once

#include <ostream>

#include "tops/report.h"
#include "tops/whatif.h"

namespace tops {

inline constexpr int kWhatifSchemaVersion = 1;

void WriteWhatif(std::ostream& os, const WhatifResult& r, Format format);
void WriteCompare(std::ostream& os, const CompareResult& r, Format format);

}  // namespace tops
