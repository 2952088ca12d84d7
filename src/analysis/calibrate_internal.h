// Internal to the calibration solver: a measurement row made ready for fitting.
#pragma once

#include <string>
#include <vector>

#include "analysis/roofline.h"
#include "tops/calibrate.h"

namespace tops::analysis {

struct PreparedRow {
  size_t row = 0;          // index into the measurements (and CalibrationResult::rows)
  std::string group;       // "<family>/<runtime>" (or "<chip>/<runtime>")
  std::string chip_class;  // "npu" or "gpu": the prior's pool
  std::string family_id, chip_id, runtime, model_key;
  const Family* base_family = nullptr;  // the catalog's figures for the chip
  InferenceWork work;  // per-layer work; layers without DRAM traffic merged per class
  int fixture_layers =
      0;  // the fixture's layer count (work.layers: the deployed graph's if published)
  double peak_ops = 0, peak_tops = 0, bandwidth = 0, batch = 1;
  bool throughput = false;
  bool contexts = false;  // the family splits networks into contexts (weights on chip only)
  double measured_s = 0;  // per image
  double catalog_s = 0;   // predicted with the catalog's figures
  double article_s = 0;   // the article's rule
  std::vector<double> catalog_params;
  Precision precision = Precision::kInt8;
  // Indices of the chip's peak-share, overhead-scale and precision-share parameters (after the
  // family's figures); -1: none.
  int chip_slot = -1, overhead_slot = -1, precision_slot = -1;
};

// Profiles each row's model (once per model and input size) and decomposes it; rows that cannot
// be used get their reason in (*rows)[i].skipped. `rows` is filled with one entry per
// measurement.
std::vector<PreparedRow> PrepareRows(const std::vector<Measurement>& measurements,
                                     const Catalog& catalog, const CalibrationOptions& options,
                                     std::vector<CalibratedRow>* rows);

// Seconds per image under log figures `u`; with `grad`, d log(t) / d u.
double RowSeconds(const PreparedRow& p, const std::vector<double>& u, double* grad);

// The runtime a family's vendor ships (the default prediction), or "" when not known.
std::string VendorRuntime(const std::string& family_id);

}  // namespace tops::analysis
