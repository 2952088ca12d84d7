// What-if and compare writers: JSON lists every scenario with its schema fields, tables stay
// within 100 columns and carry the best-value marks the analysis chose, CSV has a record per
// scenario or model.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tops/chip.h"
#include "tops/output.h"
#include "tops/read.h"

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
  const Model m = ReadModel(kModels + "resnet18.onnx");
  const WhatifResult r = WhatIf(m, chip, catalog.FamilyOf(chip), {});
  std::ostringstream os;
  Write(os, r, Format::kJson);
  const auto j = nlohmann::json::parse(os.str());
  EXPECT_EQ(kSchemaVersion, j["schema_version"]);
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
  // Rows with a roofline carry the likely range around it; rows without (no int4 peak) do not.
  const auto row = [&](const std::string& name) {
    for (const auto& s : j["scenarios"]) {
      if (s["name"] == name) return s;
    }
    throw std::runtime_error("no scenario " + name);
  };
  for (const char* name : {"baseline", "fp16", "batch-8"}) {
    const auto s = row(name);
    ASSERT_TRUE(s["latency_low_ms"].is_number()) << name;
    EXPECT_LT(s["latency_low_ms"].get<double>(), s["latency_ms"].get<double>()) << name;
    EXPECT_GT(s["latency_high_ms"].get<double>(), s["latency_ms"].get<double>()) << name;
    EXPECT_LT(s["fps_low"].get<double>(), s["fps"].get<double>()) << name;
    EXPECT_GT(s["fps_high"].get<double>(), s["fps"].get<double>()) << name;
    EXPECT_GT(s["range_rows"].get<int>(), 0) << name;
    EXPECT_EQ(0u, s["range_scope"].get<std::string>().find("group rockchip_rknpu/"));
  }
  EXPECT_TRUE(row("int4")["latency_low_ms"].is_null());

  std::ostringstream table;
  Write(table, r, Format::kTable);
  ExpectWithin100Columns(table.str());
  EXPECT_NE(table.str().find("unstructured-50"), std::string::npos);
  EXPECT_NE(table.str().find("Likely (int8, fp16): latency "), std::string::npos) << table.str();
  std::ostringstream csv;
  Write(csv, r, Format::kCsv);
  // A header and one record per scenario.
  const std::string records = csv.str();
  EXPECT_EQ(AllScenarios().size() + 1,
            static_cast<size_t>(std::count(records.begin(), records.end(), '\n')));
}

TEST(WhatifWriters, CompareMarksBestCellsInEveryFormat) {
  const Catalog catalog = Catalog::Builtin();
  const Chip& chip = catalog.Get("rk3588");
  const Model a = ReadModel(kModels + "resnet18.onnx");
  const Model b = ReadModel(kModels + "mobilenet_v2.onnx");
  const Profile pa = ProfileModel(a), pb = ProfileModel(b);
  const CompareResult r = Compare({{"resnet18.onnx", &pa}, {"mobilenet_v2.onnx", &pb}}, chip,
                                  catalog.FamilyOf(chip), {});
  std::ostringstream table, md, json;
  Write(table, r, Format::kTable);
  Write(md, r, Format::kMarkdown);
  Write(json, r, Format::kJson);
  ExpectWithin100Columns(table.str());
  EXPECT_NE(table.str().find('*'), std::string::npos);
  EXPECT_NE(md.str().find("| mobilenet_v2.onnx |"), std::string::npos);
  EXPECT_NE(md.str().find("**"), std::string::npos);
  const auto j = nlohmann::json::parse(json.str());
  ASSERT_EQ(2u, j["models"].size());
  EXPECT_EQ(r.rows[r.best.at("macs")].label, j["best"]["macs"]);
  std::ostringstream csv;
  Write(csv, r, Format::kCsv);
  // best_in names the columns where a row is best, as the JSON's best_in does.
  const std::string text = csv.str();
  const size_t row = text.find("," + r.rows[r.best.at("macs")].label + ",");
  ASSERT_NE(std::string::npos, row) << text;
  const std::string record = text.substr(row, text.find('\n', row) - row);
  EXPECT_NE(std::string::npos, record.find(" macs ")) << record;
}

// The README's "What if" example is this test's output: a change in the analysis or the catalog
// that moves a number fails here until the README is regenerated.
TEST(WhatifWriters, ReadmeCompareExampleIsCurrent) {
  std::ifstream in(std::string(TOPS_TEST_DIR) + "/../README.md");
  std::stringstream readme;
  readme << in.rdbuf();
  const std::string text = readme.str();
  const std::string command =
      "$ tops compare tests/models/resnet50.onnx "
      "tests/models/mobilenet_v2.onnx tests/models/efficientnet_b0.onnx "
      "--chip rk3588 --fps 30\n";
  const size_t start = text.find(command);
  ASSERT_NE(start, std::string::npos) << "README has no compare example";
  const size_t body = start + command.size();
  const std::string shown = text.substr(body, text.find("```", body) - body);

  const Catalog catalog = Catalog::Builtin();
  const Chip& chip = catalog.Get("rk3588");
  std::vector<Model> models;
  std::vector<Profile> profiles;
  const std::vector<std::string> names = {"resnet50", "mobilenet_v2", "efficientnet_b0"};
  models.reserve(names.size());
  profiles.reserve(names.size());
  std::vector<CompareInput> inputs;
  for (const auto& name : names) {
    models.push_back(ReadModel(kModels + name + ".onnx"));
    profiles.push_back(ProfileModel(models.back()));
  }
  for (size_t i = 0; i < names.size(); ++i) {
    inputs.push_back({"tests/models/" + names[i] + ".onnx", &profiles[i]});
  }
  std::ostringstream os;
  Write(os, Compare(inputs, chip, catalog.FamilyOf(chip), {}), Format::kTable);
  EXPECT_EQ(os.str(), shown);
}

}  // namespace
}  // namespace tops
