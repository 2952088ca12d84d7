// The calibration solver (tops/calibrate.h): its output is the catalog's file, the catalog then
// predicts what the solver fitted, and a user's calibration on half of a chip's rows predicts
// the other half better than the catalog does.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

#include "tops/calibrate.h"
#include "tops/error.h"
#include "tops/measurement.h"

namespace tops {
namespace {

const std::string kRoot = std::string(TOPS_TEST_DIR) + "/..";

CalibrationOptions Options() {
  CalibrationOptions o;
  o.models_dir = kRoot + "/tests/models";
  o.cross_validate = false;
  return o;
}

double MedianAbsLog2(const CalibrationResult& r, bool catalog) {
  std::vector<double> v;
  for (const auto& row : r.rows) {
    const double pred = catalog ? row.catalog_ms : row.loo_ms;
    if (row.skipped.empty() && pred > 0) v.push_back(std::fabs(std::log2(pred / row.measured_ms)));
  }
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// One solve serves every check: the published rows take seconds.
TEST(CalibrationSolver, CatalogIsTheSolverOutputAndPredictsWhatItFitted) {
  const std::vector<Measurement> rows = LoadMeasurements(kRoot + "/data/measurements");
  const CalibrationResult r = Calibrate(rows, Catalog::Builtin(), Options());

  std::ifstream f(kRoot + "/data/chips/calibration.yaml");
  ASSERT_TRUE(f) << "data/chips/calibration.yaml missing";
  std::stringstream s;
  s << f.rdbuf();
  EXPECT_EQ(s.str(), CalibrationYaml(r))
      << "regenerate: build/tops calibrate data/measurements -o data/chips/calibration.yaml";

  // The built-in catalog holds those figures, so `tops fit` (catalog_ms) predicts each row as
  // the solver's fit does; rounding to six digits is all that separates them. (A row that
  // publishes its deployed graph's layer count is fitted with it, while `tops fit` counts the
  // model file's layers: those rows differ by design.)
  int64_t compared = 0;
  for (const auto& row : r.rows) {
    if (!row.skipped.empty() || row.row.layers) continue;
    ++compared;
    EXPECT_NEAR(row.catalog_ms / row.fitted_ms, 1.0, 1e-4) << row.row.id;
    EXPECT_GT(row.band_high_ms, row.band_low_ms) << row.row.id;
  }
  EXPECT_GE(compared, 230);

  // Every group with rows has its figures; families without rows take their class's.
  bool hailo = false, typical = false;
  for (const auto& g : r.groups) {
    hailo = hailo || (g.family == "hailo_dataflow" && g.runtime == "hailort" && g.is_default);
    typical = typical || g.runtime == "typical";
    EXPECT_TRUE(g.figures.band.known()) << g.id;
  }
  EXPECT_TRUE(hailo);
  EXPECT_TRUE(typical);
  // A row's skip reason names its cause.
  for (const auto& row : r.rows) {
    if (row.row.fixture.empty()) EXPECT_NE(row.skipped.find("no model file"), std::string::npos);
  }
}

// A chip the catalog has no rows of: its family's figures are solved without the chip (its
// other chips' rows), then `tops calibrate` on half of the chip's rows (alternate rows), and the
// other half predicted with the family's figures and with the user's: the user's are closer.
// (The shipped catalog has seen every published row, so it cannot stand for an unseen chip.)
TEST(CalibrationSolver, HalfOfAChipsRowsImproveTheOtherHalf) {
  const std::string chip = "qcs6490";
  std::vector<Measurement> family_rows, fit_half, test_half;
  int n = 0;
  const Catalog builtin = Catalog::Builtin();
  for (const Measurement& m : LoadMeasurements(kRoot + "/data/measurements")) {
    if (m.fixture.empty() || !builtin.Find(m.chip)) continue;
    if (m.chip != chip) {
      if (builtin.Get(m.chip).family == builtin.Get(chip).family) family_rows.push_back(m);
      continue;
    }
    (n++ % 2 ? test_half : fit_half).push_back(m);
  }
  ASSERT_GE(fit_half.size(), 5u);
  ASSERT_GE(family_rows.size(), 100u);
  Catalog without = builtin;
  without.LoadText(CalibrationYaml(Calibrate(family_rows, builtin, Options())), "without.yaml");

  CalibrationOptions o = Options();
  o.chip = chip;
  const CalibrationResult mine = Calibrate(fit_half, without, o);
  ASSERT_EQ(1u, mine.groups.size());
  EXPECT_EQ(chip, mine.groups[0].chip);

  Catalog with_mine = without;
  with_mine.LoadText(CalibrationYaml(mine), "my-chip.yaml");
  const double before = MedianAbsLog2(Calibrate(test_half, without, o), true);
  const double after = MedianAbsLog2(Calibrate(test_half, with_mine, o), true);
  std::cout << "median abs(log2) of the other half: family figures " << before << ", user figures "
            << after << "\n";
  EXPECT_LT(after, before);
}

TEST(CalibrationSolver, RuntimeIds) {
  EXPECT_EQ("hailort", RuntimeId("HailoRT, Hailo Dataflow Compiler v3.33.0"));
  EXPECT_EQ("edgetpu", RuntimeId("TensorFlow Lite + Edge TPU runtime (libedgetpu)"));
  EXPECT_EQ("qnn", RuntimeId("QNN 2.41 context binary"));
  EXPECT_EQ("tflite", RuntimeId("TFLite 2.17.0 (QAIRT 2.41.0)"));
  EXPECT_EQ("rknn", RuntimeId("RKNN-Toolkit2 / RKNN runtime"));
  EXPECT_EQ("tensorrt", RuntimeId("TensorRT 8.6"));
  EXPECT_EQ("onnxruntime", RuntimeId("ONNX Runtime 1.20 (QNN EP)"));
  EXPECT_EQ("mycustom", RuntimeId("MyCustom 1.0"));
}

TEST(CalibrationSolver, NoUsableRowNamesTheReasons) {
  Measurement m;
  m.id = "x";
  m.chip = "no_such_chip";
  m.fixture = "resnet50";
  m.value = 1;
  try {
    Calibrate({m}, Catalog::Builtin(), Options());
    FAIL() << "expected tops::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown chip 'no_such_chip'"), std::string::npos)
        << e.what();
  }
}

TEST(CalibrationSolver, UnknownRuntimeNamesTheRuntimesWithFigures) {
  const Catalog c = Catalog::Builtin();
  const Chip& chip = c.Get("hailo_8");
  EXPECT_EQ("hailort", c.FamilyOf(chip).runtime);
  try {
    c.FamilyFor(chip, "tensorrt");
    FAIL() << "expected tops::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("runtimes with figures: hailort"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace tops
