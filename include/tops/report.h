// Writers for a Profile: terminal table (torchinfo-like), JSON (schema_version 1), CSV and
// Markdown. Writers only serialise what the analysis computed; they never compute.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tops/profile.h"

namespace tops {

enum class Format { kTable, kJson, kCsv, kMarkdown };

// "table", "json", "csv", "md"/"markdown"; throws tops::Error otherwise.
Format ParseFormat(const std::string& name);

inline constexpr int kProfileSchemaVersion = 1;

struct ProfileView {
  // Rows to print (indices into Profile::nodes); all nodes when empty and !limited.
  std::vector<size_t> rows;
  bool limited = false;      // --top N was given: rows are the N heaviest
  std::vector<OpGroup> groups;
  bool grouped = false;      // --group-by op
  bool color = false;
};

void WriteProfile(std::ostream& os, const Profile& p, const ProfileView& view, Format format);

// --sweep: one row of totals per binding (table, CSV, Markdown), or JSON with one entry per
// binding (src/report/sweep_writers.cc).
void WriteSweep(std::ostream& os, const Sweep& sweep, Format format);

// Number formatting shared by all writers: 1,814,073,344 and 1.81 G.
std::string WithCommas(int64_t v);
std::string HumanCount(double v);   // 1.81 G, 512 K, 64
std::string HumanBytes(double v);   // 44.6 MiB
std::string ShapeText(const Shape& s);

}  // namespace tops
