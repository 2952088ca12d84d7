// What-if and compare writers: JSON lists every scenario with its schema fields, tables stay
// within 100 columns and carry the best-value marks the analysis chose, formats are refused
// where they do not apply.
#include "report/whatif_writers.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "tops/chip.h"
#include "tops/error.h"
#include "tops/onnx_reader.h"

namespace tops {
namespace {

const std::string kModels = std::string(TOPS_TEST_DIR) + "/models/";

void ExpectWithin100Columns(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) EXPECT_LE(line.size(), 100u) << line;
}

TEST(WhatifWriters, JsonListsEveryScenarioOnACatalogChip) {
  const Catalog catalog = Catalog::Builtin();
  const Chip& chip = catalog.Get("rk3588");
  const Model m = ReadOnnxFile(kModels + "resnet18.onnx");
  const WhatifResult r = WhatIf(m, chip, catalog.FamilyOf(chip), {});
  std::ostringstream os;
  WriteWhatif(os, r, Format::kJson);
  const auto j = nlohmann::json::parse(os.str());
  EXPECT_EQ(kWhatifSchemaVersion, j["schema_version"]);
  ASSERT_EQ(AllScenarios().size(), j["scenarios"].size());
  for (const auto& row : j["scenarios"]) {
    for (const char* k :
         {"name", "kind", "precision", "effect", "macs_per_frame", "weight_bytes", "required_tops",
          "latency_ms", "fps", "bandwidth_gbs", "fits", "missing", "notes"}) {
      EXPECT_TRUE(row.contains(k)) << k;
    }
  }
  EXPECT_EQ("option", j["precision_source"]);
  EXPECT_FALSE(j["quantization"]["quantized"].get<bool>());

  std::ostringstream table;
  WriteWhatif(table, r, Format::kTable);
  ExpectWithin100Columns(table.str());
  EXPECT_NE(table.str().find("unstructured-50"), std::string::npos);
  EXPECT_THROW(WriteWhatif(table, r, Format::kCsv), Error);
}

TEST(WhatifWriters, CompareMarksBestCellsInEveryFormat) {
  const Catalog catalog = Catalog::Builtin();
  const Chip& chip = catalog.Get("rk3588");
  const Model a = ReadOnnxFile(kModels + "resnet18.onnx");
  const Model b = ReadOnnxFile(kModels + "mobilenet_v2.onnx");
  const Profile pa = ProfileModel(a), pb = ProfileModel(b);
  const CompareResult r = Compare({{"resnet18.onnx", &a, &pa}, {"mobilenet_v2.onnx", &b, &pb}},
                                  chip, catalog.FamilyOf(chip), {});
  std::ostringstream table, md, json;
  WriteCompare(table, r, Format::kTable);
  WriteCompare(md, r, Format::kMarkdown);
  WriteCompare(json, r, Format::kJson);
  ExpectWithin100Columns(table.str());
  EXPECT_NE(table.str().find('*'), std::string::npos);
  EXPECT_NE(md.str().find("| mobilenet_v2.onnx |"), std::string::npos);
  EXPECT_NE(md.str().find("**"), std::string::npos);
  const auto j = nlohmann::json::parse(json.str());
  ASSERT_EQ(2u, j["models"].size());
  EXPECT_EQ(r.rows[r.best.at("macs")].label, j["best"]["macs"]);
  EXPECT_THROW(WriteCompare(table, r, Format::kCsv), Error);
}

}  // namespace
}  // namespace tops
