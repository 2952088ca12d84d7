// Report: everything `tops report` shows, computed once by the library so that the HTML and
// Markdown writers only lay it out. Invariants: every number in a Report comes from the Profile
// or from Fit on the catalog's chips; per-node arrays are indexed like Profile::nodes; a value
// the analysis could not compute is absent (nullopt), never zero.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "tops/chip.h"
#include "tops/fit.h"
#include "tops/profile.h"
#include "tops/whatif.h"

namespace tops {

struct ReportOptions {
  std::string label;               // model as the user named it (a relative path)
  std::vector<std::string> chips;  // ids or aliases; empty: the best `ranked_chips` of Rank
  size_t ranked_chips = 3;
  double fps = kDefaultFps;
  std::optional<Precision> precision;  // ChoosePrecision: the graph's, else this, else int8
  double utilization = kArticleUtilization;
  size_t top = 12;  // layers shown one by one in the bar chart; the rest are grouped
  // The model file, for the what-if rows (they transform the graph, not only the profile).
  // Null: no what-if section.
  const Model* model = nullptr;
  ProfileOptions profile;  // the user's --input / --dim, applied again when a what-if re-profiles
};

// One layer on one chip's roofline: x = ops per DRAM byte, y = ops per second achieved.
struct RooflinePoint {
  size_t node = 0;  // index into Profile::nodes
  double ops = 0;
  double dram_bytes = 0;
  // ops / DRAM bytes; nullopt when the layer moves no DRAM bytes (fused into its producer, or
  // its tensors stay on chip), which puts it beyond any memory roof.
  std::optional<double> intensity;
  double attained_tops = 0;  // ops / predicted time / 10^12
  Bound bound = Bound::kCompute;
};

// How the report's chips were chosen.
enum class ChipChoice {
  kGiven,   // named by the caller
  kRanked,  // the best of the catalog (Rank)
};

struct ChipReport {
  std::string vendor;
  ChipKind kind = ChipKind::kNpu;
  FitResult fit;         // article check and roofline prediction; predicted.models[0].top_layers is
                         // every timed layer, slowest first
  double roof_tops = 0;  // dense peak the prediction used (0: none)
  std::optional<double> bandwidth_gbs;    // memory roof (nullopt: unknown or no external memory)
  std::optional<double> ridge_intensity;  // ops per byte where the two roofs meet
  std::vector<RooflinePoint> points;      // every timed layer, in node order
  // The points by bound, and those without DRAM traffic (no intensity).
  int compute_bound = 0;
  int memory_bound = 0;
  int without_dram = 0;
  std::vector<std::optional<double>> node_time_ms;  // per node; nullopt: not timed
  std::vector<std::optional<Bound>> node_bound;     // per node; nullopt: not timed
};

// One bar of the per-layer chart: a single node, or every node outside the top N together.
struct LayerBar {
  std::optional<size_t> node;  // nullopt: the grouped rest
  int64_t count = 1;           // nodes in the bar
  int64_t macs = 0;
  std::optional<double> time_ms;  // on the first chip; nullopt without a chip prediction
};

struct Report {
  std::string label;
  Profile profile;
  double fps = kDefaultFps;
  Precision precision = Precision::kInt8;
  PrecisionSource precision_source = PrecisionSource::kOption;
  double utilization = kArticleUtilization;
  ChipChoice chip_choice = ChipChoice::kGiven;
  Requirement requirement;
  std::vector<ChipReport> chips;
  std::vector<LayerBar> bars;          // top N by MACs, heaviest first, then the rest if any
  std::optional<WhatifResult> whatif;  // on the first chip, when a model was given
};

// Fits the profile to the chosen chips (or ranks the catalog and keeps the best) and gathers
// what the report shows. Throws tops::Error for an unknown chip or bad options.
Report BuildReport(const Profile& profile, const Catalog& catalog, const ReportOptions& options);

}  // namespace tops
