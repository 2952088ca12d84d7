// The published measurements in data/measurements (schema in data/measurements/README.md): every
// file and row is well formed, names a catalog chip and an existing fixture, and the counts the
// calibration work relies on (rows per publisher, chip family, precision and model kind) do not
// fall without someone lowering a floor here on purpose.
#include <gtest/gtest.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "tops/chip.h"
#include "tops/error.h"
#include "tops/measurement.h"

namespace tops {
namespace {

namespace fs = std::filesystem;

const fs::path kTests = TOPS_TEST_DIR;
const fs::path kMeasurements = kTests.parent_path() / "data" / "measurements";

struct Row {
  std::string file, id, chip, family, publisher, precision, kind, metric, mode, calibration;
  bool has_fixture = false;
};

// Every problem found, as "file: row id: field: message", so one run lists them all.
struct Loaded {
  std::vector<Row> rows;
  std::vector<std::string> errors;
  std::set<std::string> publishers;
};

const std::set<std::string> kTopKeys = {"schema_version",    "publisher", "title", "source",
                                        "metric_definition", "notes",     "rows"};
const std::set<std::string> kRowKeys = {
    "id",          "chip",         "device", "power_mode_w", "runtime",   "model",
    "fixture",     "fixture_note", "kind",   "input",        "precision", "precision_published",
    "batch",       "cores",        "units",  "metric",       "mode",      "value",
    "calibration", "source",       "notes",  "layers"};
const std::set<std::string> kRequired = {
    "id",        "chip",  "power_mode_w", "runtime", "model",  "fixture", "kind",  "input",
    "precision", "batch", "cores",        "units",   "metric", "mode",    "value", "source"};
const std::set<std::string> kPrecisions = {"int4", "int8", "int16", "w8a16",
                                           "fp16", "bf16", "fp32"};
const std::set<std::string> kKinds = {"cnn", "transformer", "detector"};
const std::set<std::string> kUnits = {"npu", "gpu", "gpu+dla", "dla", "cpu"};
const std::set<std::string> kMetrics = {"latency_ms", "fps"};
const std::set<std::string> kModes = {"single_stream", "streaming", "offline"};
const std::set<std::string> kSourceKeys = {"repo", "path", "commit", "url", "line", "key", "quote"};

bool PositiveNumber(const YAML::Node& n) {
  if (!n || !n.IsScalar()) return false;
  try {
    double v = n.as<double>();
    return std::isfinite(v) && v > 0;
  } catch (const YAML::Exception&) {
    return false;
  }
}

bool PositiveInt(const YAML::Node& n) {
  if (!PositiveNumber(n)) return false;
  double v = n.as<double>();
  return std::floor(v) == v;
}

std::string Text(const YAML::Node& n) {
  return n && n.IsScalar() ? n.as<std::string>() : std::string();
}

void CheckRow(const YAML::Node& r, const std::string& file, const Catalog& catalog, Loaded& out,
              std::set<std::string>& ids, const std::string& publisher) {
  Row row;
  row.file = file;
  row.publisher = publisher;
  row.id = Text(r["id"]);
  auto fail = [&](const std::string& field, const std::string& msg) {
    out.errors.push_back(file + ": row '" + row.id + "': " + field + ": " + msg);
  };
  if (!r.IsMap()) {
    out.errors.push_back(file + ": a row is not a map");
    return;
  }
  for (const auto& kv : r) {
    const std::string key = kv.first.as<std::string>();
    if (!kRowKeys.count(key)) fail(key, "unknown key");
  }
  for (const auto& key : kRequired) {
    if (!r[key]) fail(key, "missing");
  }
  if (row.id.empty()) fail("id", "empty");
  if (!ids.insert(row.id).second) fail("id", "used by another row");

  row.chip = Text(r["chip"]);
  const Chip* chip = catalog.Find(row.chip);
  if (!chip || chip->id != row.chip) {
    fail("chip", "'" + row.chip + "' is not a chip id of the catalog (data/chips)");
  } else {
    row.family = chip->family;
  }
  if (r["power_mode_w"] && !r["power_mode_w"].IsNull() && !PositiveNumber(r["power_mode_w"])) {
    fail("power_mode_w", "null or a positive number of watts");
  }
  if (Text(r["runtime"]).empty()) fail("runtime", "empty");
  if (Text(r["model"]).empty()) fail("model", "empty");

  const YAML::Node fixture = r["fixture"];
  if (fixture && !fixture.IsNull()) {
    const std::string name = Text(fixture);
    row.has_fixture = true;
    if (!fs::exists(kTests / "models" / (name + ".onnx"))) {
      fail("fixture", "tests/models/" + name + ".onnx does not exist");
    }
  } else if (Text(r["fixture_note"]).empty()) {
    fail("fixture_note", "a row without a fixture must say why");
  }

  row.kind = Text(r["kind"]);
  if (!kKinds.count(row.kind)) fail("kind", "'" + row.kind + "' (cnn, transformer, detector)");
  const YAML::Node input = r["input"];
  if (!input || !input.IsSequence() || input.size() != 4) {
    fail("input", "expected [N, C, H, W]");
  } else {
    for (const auto& d : input) {
      if (!PositiveInt(d)) fail("input", "dims must be positive integers");
    }
  }
  row.precision = Text(r["precision"]);
  if (!kPrecisions.count(row.precision)) fail("precision", "unknown '" + row.precision + "'");
  row.mode = Text(r["mode"]);
  if (!kModes.count(row.mode)) fail("mode", "unknown '" + row.mode + "'");
  const YAML::Node batch = r["batch"];
  if (batch && batch.IsNull()) {
    if (row.mode != "offline") fail("batch", "only an offline row may leave the batch open");
  } else if (!PositiveInt(batch)) {
    fail("batch", "a positive integer");
  }
  if (r["cores"] && !r["cores"].IsNull() && !PositiveInt(r["cores"])) {
    fail("cores", "null or a positive integer");
  }
  if (!kUnits.count(Text(r["units"]))) fail("units", "unknown '" + Text(r["units"]) + "'");
  if (const YAML::Node l = r["layers"]) {
    // The publisher's layer_counts: a total that holds the layers run on each unit.
    int64_t parts = 0;
    bool ok = l.IsMap() && l["total"] && PositiveInt(l["total"]);
    for (const char* unit : {"npu", "gpu", "cpu"}) {
      if (ok && l[unit]) parts += l[unit].as<int64_t>();
    }
    if (!ok || parts != l["total"].as<int64_t>()) {
      fail("layers", "a map whose npu + gpu + cpu layers add up to its total");
    }
  }
  row.metric = Text(r["metric"]);
  if (!kMetrics.count(row.metric)) fail("metric", "unknown '" + row.metric + "'");
  if (row.metric == "latency_ms" && row.mode == "offline") {
    fail("metric", "an offline run publishes a throughput");
  }
  if (!PositiveNumber(r["value"])) fail("value", "a positive finite number");
  row.calibration = Text(r["calibration"]);
  if (r["calibration"] && row.calibration != "calibration.md" && row.calibration != "extra") {
    fail("calibration", "'calibration.md' or 'extra'");
  }

  const YAML::Node src = r["source"];
  if (!src || !src.IsMap()) {
    fail("source", "missing");
  } else {
    for (const auto& kv : src) {
      if (!kSourceKeys.count(kv.first.as<std::string>())) {
        fail("source." + kv.first.as<std::string>(), "unknown key");
      }
    }
    if (Text(src["quote"]).empty()) fail("source.quote", "quote the line or table cell");
    if (src["repo"]) {
      static const std::regex kCommit("^[0-9a-f]{40}$");
      if (!std::regex_match(Text(src["commit"]), kCommit)) fail("source.commit", "40 hex digits");
      if (Text(src["path"]).empty()) fail("source.path", "missing");
      if (!PositiveInt(src["line"])) fail("source.line", "the line number in the file");
    } else if (Text(src["url"]).rfind("https://", 0) != 0) {
      fail("source", "a repo (with path, commit, line) or an https url");
    }
  }
  out.rows.push_back(row);
}

const Loaded& Measurements() {
  static const Loaded kLoaded = [] {
    Loaded out;
    const Catalog catalog = Catalog::Builtin();
    std::set<std::string> ids;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(kMeasurements)) {
      if (e.path().extension() == ".yaml") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
      const std::string file = path.filename().string();
      YAML::Node root;
      try {
        root = YAML::LoadFile(path.string());
      } catch (const YAML::Exception& e) {
        out.errors.push_back(file + ": not valid YAML: " + e.what());
        continue;
      }
      for (const auto& kv : root) {
        if (!kTopKeys.count(kv.first.as<std::string>())) {
          out.errors.push_back(file + ": unknown key " + kv.first.as<std::string>());
        }
      }
      if (Text(root["schema_version"]) != "1") out.errors.push_back(file + ": schema_version 1");
      const std::string publisher = Text(root["publisher"]);
      if (publisher + ".yaml" != file) {
        out.errors.push_back(file + ": publisher '" + publisher + "' must be the file's name");
      }
      for (const char* key : {"title", "source", "metric_definition"}) {
        if (Text(root[key]).empty()) out.errors.push_back(file + ": " + key + " missing");
      }
      if (!root["rows"] || !root["rows"].IsSequence() || root["rows"].size() == 0) {
        out.errors.push_back(file + ": no rows");
        continue;
      }
      out.publishers.insert(publisher);
      for (const auto& r : root["rows"]) CheckRow(r, file, catalog, out, ids, publisher);
    }
    return out;
  }();
  return kLoaded;
}

TEST(Measurements, EveryRowIsWellFormedAndNamesACatalogChipAndAFixture) {
  const Loaded& m = Measurements();
  for (const auto& e : m.errors) ADD_FAILURE() << e;
  EXPECT_TRUE(m.errors.empty()) << m.errors.size() << " problems";
}

template <typename Key>
std::map<std::string, int> CountBy(Key key) {
  std::map<std::string, int> n;
  for (const Row& r : Measurements().rows) ++n[key(r)];
  return n;
}

// Floors at the counts when the files were written: lowering one is a decision, not an accident.
TEST(Measurements, RowsPerPublisherDoNotFall) {
  const std::map<std::string, int> floors = {
      {"qualcomm_ai_hub", 330}, {"rockchip_rknn_model_zoo", 137}, {"hailo_model_zoo", 237},
      {"mlperf_inference", 10}, {"nvidia_jetson_benchmarks", 5},  {"google_coral", 11}};
  const auto n = CountBy([](const Row& r) { return r.publisher; });
  int total = 0;
  for (const auto& [p, c] : n) total += c;
  EXPECT_GE(total, 730);
  EXPECT_GE(n.size(), 5u);
  for (const auto& [p, floor] : floors) EXPECT_GE(n.count(p) ? n.at(p) : 0, floor) << p;
}

TEST(Measurements, RowsPerChipFamilyDoNotFall) {
  const std::map<std::string, int> floors = {{"qualcomm_hexagon", 330}, {"rockchip_rknpu", 80},
                                             {"rockchip_rknpu1", 57},   {"hailo_dataflow", 237},
                                             {"nvidia_tensorrt", 15},   {"google_edgetpu", 11}};
  const auto n = CountBy([](const Row& r) { return r.family; });
  EXPECT_GE(n.size(), 6u);
  for (const auto& [f, floor] : floors) EXPECT_GE(n.count(f) ? n.at(f) : 0, floor) << f;
}

TEST(Measurements, PrecisionsAndModelKindsDoNotFall) {
  const auto prec = CountBy([](const Row& r) { return r.precision; });
  EXPECT_GE(prec.at("int8"), 543);
  EXPECT_GE(prec.at("fp16"), 179);
  const auto kind = CountBy([](const Row& r) { return r.kind; });
  EXPECT_GE(kind.at("transformer"), 116);
  EXPECT_GE(kind.at("detector"), 250);
  EXPECT_GE(kind.at("transformer") + kind.at("detector"), 30);
  // Rows a fixture stands for: the ones a predictor can be checked on today.
  int with_fixture = 0;
  for (const Row& r : Measurements().rows) with_fixture += r.has_fixture;
  EXPECT_GE(with_fixture, 730);  // every row since the zoo detectors and the rest were written
}

// bench/calibration.py predicts 12 rows of the original calibration table and 26 further rows
// from the same sources; each is in the data, marked, so a solver can reproduce today's fit.
TEST(Measurements, HoldEveryRowTheCalibrationUsesToday) {
  const auto n = CountBy([](const Row& r) { return r.calibration; });
  EXPECT_EQ(12, n.count("calibration.md") ? n.at("calibration.md") : 0);
  EXPECT_EQ(26, n.count("extra") ? n.at("extra") : 0);
}

// The `layers` field: a malformed one is an error naming the file, the row and the field.
TEST(Measurements, MalformedLayersAreAClearError) {
  const fs::path dir = fs::temp_directory_path() / ("tops_layers_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string row =
      "schema_version: 1\npublisher: p\ntitle: t\nsource: s\nmetric_definition: m\nrows:\n"
      "  - {id: r1, chip: rk3588, runtime: x, model: m, fixture: resnet18, kind: cnn, "
      "input: [1, 3, 224, 224], precision: int8, batch: 1, units: npu, metric: latency_ms, "
      "mode: single_stream, value: 1.5, layers: ";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"7", "field 'layers' must be a map"},
      {"{npu: 3}", "field 'layers' has no 'total'"},
      {"{total: -2}", "field 'layers.total' must be a whole number"},
      {"{total: 2.5}", "field 'layers.total' must be a whole number"},
      {"{total: 1e300}", "field 'layers.total' must be a whole number"},
      {"{total: 10, cpu: 8, gpu: 3}", "must be positive and hold the gpu and cpu layers"},
      {"{total: 0}", "must be positive"},
  };
  for (const auto& [value, fragment] : cases) {
    const fs::path file = dir / "m.yaml";
    std::ofstream(file) << row << value << "}\n";
    try {
      LoadMeasurements(file.string());
      ADD_FAILURE() << value << ": no error";
    } catch (const Error& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find("m.yaml"), std::string::npos) << m;
      EXPECT_NE(m.find("r1"), std::string::npos) << m;
      EXPECT_NE(m.find(fragment), std::string::npos) << value << ": " << m;
    }
  }
  std::ofstream(dir / "m.yaml") << row << "{total: 10, npu: 7, cpu: 3}}\n";
  const std::vector<Measurement> ok = LoadMeasurements((dir / "m.yaml").string());
  ASSERT_EQ(ok.size(), 1u);
  ASSERT_TRUE(ok[0].layers);
  EXPECT_EQ(ok[0].layers->total, 10);
  EXPECT_EQ(ok[0].layers->cpu, 3);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tops
