// Solving a family's figures (efficiency per op class, per-layer and per-inference overheads,
// context switches) from measured latencies, and checking them on rows they were not solved
// from. The published rows (data/measurements) give data/chips/calibration.yaml; a user's own
// rows give figures for one chip (`tops calibrate MEASUREMENTS --chip ID -o my-chip.yaml`).
//
// Model: each row's latency per image is predicted by the same per-layer roofline `tops fit`
// uses (analysis/roofline.h). The solver minimises, over each (family, runtime) group, the sum
// of pseudo-Huber losses of log(predicted / measured) plus Gaussian priors on the log figures
// centred on the figures solved for the chip class (NPU or GPU) from every other group, so a
// group with few rows falls back to its class. Levenberg-Marquardt, analytic Jacobian.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tops/chip.h"
#include "tops/measurement.h"

namespace tops {

// The runtime id of a published runtime string: hailort, tflite, qnn, onnxruntime, tensorrt,
// rknn, edgetpu, tensorflow; else the first word, lower case.
std::string RuntimeId(std::string_view published);

struct CalibrationOptions {
  // Where a row's fixture resolves: <models_dir>/<fixture>.onnx (published rows); a user's rows
  // name model files relative to their measurement file.
  std::string models_dir;
  // A user's calibration: solve figures for this chip alone, with its catalog figures as the
  // prior (the result is scoped to the chip). Empty: every (family, runtime) of the rows.
  std::string chip;
  // Leave-one-model-out and leave-one-chip-out tables besides leave-one-out (slower).
  bool cross_validate = true;
};

struct CalibratedRow {
  Measurement row;
  std::string group;       // "<family>/<runtime>", or "<chip>/<runtime>" for a user's chip
  std::string skipped;     // why the row could not be used; empty when it was
  double measured_ms = 0;  // per image
  double catalog_ms = 0;   // predicted with the catalog's figures before this solve (0: none)
  double fitted_ms = 0;    // predicted with every row fitted
  double loo_ms = 0;       // predicted with figures solved without this row
  // ... and with the fixture's own layer count where the row publishes the deployed graph's
  // (what `tops fit` predicts for a model file; 0: the row publishes none)
  double loo_fixture_layers_ms = 0;
  double lomo_ms = 0;     // ... without every row of its model (0: not computed)
  double loco_ms = 0;     // ... without every row of its chip (0: not computed)
  double article_ms = 0;  // the seed article's rule: 2 x MACs / (dense peak x 0.6)
  // The range printed with the leave-one-out prediction: quantiles of the other rows'
  // leave-one-out ratios; whether the measurement fell inside.
  double band_low_ms = 0, band_high_ms = 0;
  bool in_band = false;
};

struct CalibratedGroup {
  std::string id;           // "<family>/<runtime>" or "<chip>/<runtime>"
  std::string family;       // catalog family id
  std::string chip;         // set for a user's chip
  std::string runtime;      // runtime id
  bool is_default = false;  // the family's default runtime (its vendor's, else most rows)
  Family figures;           // complete, ready for the catalog
  int64_t rows = 0;
  std::vector<std::string> chips;  // chips with rows in the group
};

// Share of predictions within a factor 1.5 of the measurement, median |log2(pred / meas)|,
// share inside the printed band.
struct CrossValidation {
  int64_t rows = 0;
  double within_1_5 = 0;  // percent
  double within_2 = 0;    // percent
  double median_abs_log2 = 0;
  double in_band = 0;  // percent (leave-one-out only)
};

struct CalibrationResult {
  std::vector<CalibratedGroup> groups;
  std::vector<CalibratedRow> rows;  // every row, used or skipped, in input order
  CrossValidation in_sample, catalog, loo, lomo, loco, article;
  // Leave-one-out with every row's layer count taken from its fixture, published counts ignored.
  CrossValidation loo_fixture_layers;
};

inline constexpr double kCalibrationBandQuantile = 0.05;  // band: 5th to 95th percentile

// Throws tops::Error when no row can be used, naming the first reasons.
CalibrationResult Calibrate(const std::vector<Measurement>& rows, const Catalog& catalog,
                            const CalibrationOptions& options);

// The catalog YAML (`calibrations:`) a result becomes; loads with --chips, and the published
// rows' result is data/chips/calibration.yaml.
std::string CalibrationYaml(const CalibrationResult& result);

}  // namespace tops
