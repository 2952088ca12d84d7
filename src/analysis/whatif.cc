// What-if scenarios (seed article, section 4): each a Profile transform (whatif_transforms.cc)
// fed to the same Fit as `tops fit`; and `compare` of several models on one chip. docs/whatif.md
// explains each scenario and its caveats.
#include "tops/whatif.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "analysis/whatif_transforms.h"
#include "core/text.h"
#include "fmt/format.h"
#include "tops/error.h"

namespace tops {

std::string_view ScenarioKindName(ScenarioKind k) {
  switch (k) {
    case ScenarioKind::kBaseline:
      return "baseline";
    case ScenarioKind::kPrecision:
      return "precision";
    case ScenarioKind::kUnstructured:
      return "unstructured_pruning";
    case ScenarioKind::kStructured:
      return "structured_pruning";
    case ScenarioKind::kBatch:
      return "batch";
  }
  return "?";
}

const std::vector<Scenario>& AllScenarios() {
  static const std::vector<Scenario> kAll = [] {
    std::vector<Scenario> v;
    v.push_back({"baseline", ScenarioKind::kBaseline, std::nullopt, 0, 1});
    for (Precision p : {Precision::kFp32, Precision::kFp16, Precision::kInt8, Precision::kInt4}) {
      v.push_back({std::string(PrecisionName(p)), ScenarioKind::kPrecision, p, 0, 1});
    }
    for (int pct : {30, 50, 70}) {
      v.push_back({fmt::format("unstructured-{}", pct), ScenarioKind::kUnstructured, std::nullopt,
                   pct / 100.0, 1});
    }
    for (int pct : {30, 50, 70}) {
      v.push_back({fmt::format("structured-{}", pct), ScenarioKind::kStructured, std::nullopt,
                   pct / 100.0, 1});
    }
    for (int b : {1, 2, 4, 8}) {
      v.push_back({fmt::format("batch-{}", b), ScenarioKind::kBatch, std::nullopt, 0, b});
    }
    return v;
  }();
  return kAll;
}

const Scenario& FindScenario(std::string_view name) {
  const std::string lower = AsciiLower(name);
  std::string list;
  for (const Scenario& s : AllScenarios()) {
    if (s.name == lower) return s;
    list += (list.empty() ? "" : ", ") + s.name;
  }
  throw Error("unknown scenario '" + std::string(name) + "' (one of: " + list + ")");
}

// ---- What-if ------------------------------------------------------------------------------

namespace {

// "2:4" -> {2, 4}: N values kept in every group of M; nullopt when unparsable.
std::optional<std::pair<int, int>> ParsePattern(const std::string& pattern) {
  int n = 0, m = 0;
  char colon = 0;
  if (std::sscanf(pattern.c_str(), "%d%c%d", &n, &colon, &m) != 3 || colon != ':' || n <= 0 ||
      m <= n || m > 1024) {
    return std::nullopt;
  }
  return std::make_pair(n, m);
}

template <typename T>
void AppendUnique(std::vector<T>& to, const std::vector<T>& from) {
  for (const auto& s : from) {
    if (std::find(to.begin(), to.end(), s) == to.end()) to.push_back(s);
  }
}

void AppendUnique(std::vector<std::string>& to, const std::vector<Caveat>& from) {
  for (const Caveat& c : from) AppendUnique(to, {c.text});
}

std::string TextOf(const std::string& s) { return s; }
std::string TextOf(const MissingFigure& m) { return m.text; }

// Moves the lines of `field` present in every row to `to` (once, after `prefix`).
template <typename Row, typename Line>
void HoistShared(std::vector<Row>& rows, std::vector<Line> Row::*field, const std::string& prefix,
                 std::vector<std::string>& to) {
  const std::vector<Line> first = rows[0].*field;
  for (const Line& line : first) {
    const bool shared = std::all_of(rows.begin(), rows.end(), [&](const Row& row) {
      const auto& lines = row.*field;
      return std::find(lines.begin(), lines.end(), line) != lines.end();
    });
    if (!shared) continue;
    AppendUnique(to, {prefix + TextOf(line)});
    for (Row& row : rows) {
      auto& lines = row.*field;
      lines.erase(std::find(lines.begin(), lines.end(), line));
    }
  }
}

struct Variant {
  Profile profile;
  int batch = 1;
  double nonzero_params = 0;
  std::string effect;
  std::string method;
  std::vector<std::string> notes;
  std::vector<MissingFigure> missing;
};

Variant Unstructured(const Model& model, const Profile& base, const Chip& chip, Precision p,
                     double ratio) {
  Variant v;
  const int bits = PrecisionBits(p);
  const std::string prec(PrecisionName(p));
  const int pct = static_cast<int>(std::lround(ratio * 100));
  auto it = chip.peaks.find(p);
  const Peak* peak = it == chip.peaks.end() ? nullptr : &it->second;
  std::optional<double> density;
  double index_bits = 0;
  double speedup = 1;
  if (peak && peak->sparse.known() && peak->dense.known() && *peak->dense > 0) {
    if (auto nm = ParsePattern(peak->sparsity)) {
      density = static_cast<double>(nm->first) / nm->second;
      index_bits = std::ceil(std::log2(static_cast<double>(nm->second)));
    } else {
      v.notes.push_back("sparse peak without a readable N:M pattern: not used");
    }
    speedup = *peak->sparse / *peak->dense;
  }
  double mac_factor = 1, storage = 1;
  if (density && speedup > 1 && ratio >= 1 - *density - 1e-9) {
    // The chip skips the zeros of an N:M pattern: executed MACs fall by the sparse/dense peak
    // ratio. NVIDIA's 2:4 format stores the kept values plus a 2-bit index per value
    // (log2(M) bits; NVIDIA A100 whitepaper, "Fine-grained structured sparsity").
    mac_factor = 1 / speedup;
    storage = *density * (bits + index_bits) / bits;
    v.effect = fmt::format(
        "MACs x{:.2g} in weight layers: the chip runs {} sparsity at {:g}x ({} sparse {:g} vs "
        "dense {:g} TOPS) if the pruning follows that pattern",
        mac_factor, peak->sparsity, speedup, prec, *peak->sparse, *peak->dense);
    if (ratio > 1 - *density + 1e-9) {
      v.effect += fmt::format("; sparsity beyond {:g}% is not exploited", (1 - *density) * 100);
    }
  } else {
    // Unstructured zeros save storage only: a bitmap (1 bit per weight) plus the kept values.
    storage = ((1 - ratio) * bits + 1) / bits;
    if (density) {
      v.effect = fmt::format(
          "compute unchanged: {}% unstructured sparsity cannot take the chip's {} pattern "
          "(needs {:g}%); weight bytes x{:.2f} if stored compressed",
          pct, peak->sparsity, (1 - *density) * 100, storage);
    } else {
      v.effect = fmt::format(
          "compute unchanged: the catalog lists no {} sparse peak for this chip; weight bytes "
          "x{:.2f} if the runtime stores them compressed",
          prec, storage);
    }
  }
  int64_t eligible = 0;
  v.profile = Sparsify(model, base, mac_factor, storage, &eligible);
  v.nonzero_params =
      static_cast<double>(base.totals.params) - ratio * static_cast<double>(eligible);
  return v;
}

}  // namespace

WhatifResult WhatIf(const Model& model, const Chip& chip, const Family& family,
                    const WhatifOptions& options) {
  if (!(options.fps > 0) || !std::isfinite(options.fps)) {
    throw Error("frame rate must be a positive number");
  }
  std::vector<Scenario> chosen;
  if (options.scenarios.empty()) {
    chosen = AllScenarios();
  } else {
    for (const auto& name : options.scenarios) chosen.push_back(FindScenario(name));
  }

  WhatifResult r;
  r.model = model.path;
  r.chip_id = chip.id;
  r.chip_name = chip.name;
  r.fps = options.fps;

  BatchBinding batch = BindBatch(model, options.profile);
  const ProfileOptions& po = batch.options;
  r.batch_symbol = batch.symbol;
  if (!batch.note.empty()) r.notes.push_back(batch.note);
  const Profile base = ProfileModel(model, po);
  r.quant = base.quant;
  const PrecisionChoice choice =
      ChoosePrecision({ModelLoad{model.path, &base, options.fps}}, options.precision);
  r.precision = choice.precision;
  r.precision_source = choice.source;
  if (base.totals.nodes_without_cost > 0) {
    r.notes.push_back(fmt::format("{} node(s) have no cost (see `tops profile`); not counted",
                                  base.totals.nodes_without_cost));
    // The usual cause is a symbolic dim left unbound (a sequence length): say which, and how.
    for (const Diagnostic& d : base.diagnostics) {
      if (d.kind == DiagnosticKind::kUnboundDim) r.notes.push_back(d.message);
    }
  }
  int file_batch = 1;
  if (!r.batch_symbol && !base.model.inputs.empty()) {
    const Shape& s = base.model.inputs[0].shape;
    if (s.rank_known && s.rank() >= 1 && s.dims[0].known() && s.dims[0].value > 0) {
      file_batch = static_cast<int>(std::min<int64_t>(s.dims[0].value, 1 << 20));
    }
  } else if (r.batch_symbol) {
    file_batch = static_cast<int>(std::min<int64_t>(po.dims.at(*r.batch_symbol), 1 << 20));
  }

  for (const Scenario& s : chosen) {
    Variant v;
    Precision p = r.precision;
    switch (s.kind) {
      case ScenarioKind::kBaseline:
        v.profile = base;
        v.effect = r.precision_source == PrecisionSource::kGraph
                       ? fmt::format("the model as exported, at {} (taken from the graph)",
                                     PrecisionName(p))
                       : fmt::format("the model as exported, deployed at {}", PrecisionName(p));
        break;
      case ScenarioKind::kPrecision:
        p = *s.precision;
        v.profile = base;
        v.effect = fmt::format("weights and arithmetic at {} ({} bits per weight)",
                               PrecisionName(p), PrecisionBits(p));
        if (r.quant.quantized && r.quant.precision && p != *r.quant.precision) {
          v.notes.push_back(fmt::format(
              "the graph is quantised to {}; this row assumes the model is re-exported at {}",
              PrecisionName(*r.quant.precision), PrecisionName(p)));
        }
        break;
      case ScenarioKind::kUnstructured:
        v = Unstructured(model, base, chip, p, s.ratio);
        break;
      case ScenarioKind::kStructured:
        v.profile = PruneChannels(model, base, s.ratio, &v.notes);
        v.effect = fmt::format("{:g}% of the output channels of each prunable layer removed",
                               s.ratio * 100);
        break;
      case ScenarioKind::kBatch:
        v.batch = s.batch;
        if (r.batch_symbol) {
          ProfileOptions bo = po;
          bo.dims[*r.batch_symbol] = s.batch;
          v.profile = ProfileModel(model, bo);
          v.method = fmt::format("re-profiled with {}={}", *r.batch_symbol, s.batch);
        } else if (s.batch % file_batch == 0) {
          v.profile = ScaleBatch(model, base, s.batch / file_batch);
          v.method = fmt::format("scaled x{} (batch dim fixed at {} in the file)",
                                 s.batch / file_batch, file_batch);
        } else {
          v.profile = base;
          v.missing.push_back(
              {"batch", fmt::format("batch {} is not a multiple of the file's fixed batch {}",
                                    s.batch, file_batch)});
          v.batch = file_batch;
          v.method = "not evaluated";
        }
        v.effect = fmt::format("{} frames per inference; weights read once per batch", s.batch);
        break;
    }
    if (s.kind != ScenarioKind::kUnstructured) {
      v.nonzero_params = static_cast<double>(v.profile.totals.params);
    }

    ScenarioResult row;
    row.scenario = s;
    row.precision = p;
    row.effect = v.effect;
    row.method = v.method;
    // A batch-N inference carries N frames; a file whose batch is fixed at B carries B.
    const int frames = s.kind == ScenarioKind::kBatch ? v.batch : file_batch;
    const double inferences_per_second = options.fps / frames;
    row.macs = static_cast<double>(v.profile.totals.macs) / frames;
    row.nonzero_params = v.nonzero_params;
    row.weight_bytes = static_cast<double>(v.profile.totals.params) * PrecisionBits(p) / 8.0;
    row.required_tops = RequiredTops(row.macs, options.fps, ArticlePrecisionFactor(p));
    if (const Figure* peak = chip.DensePeak(p)) row.peak_tops = **peak;

    FitOptions fo;
    fo.precision = UsePrecision(p);  // the result says where the precision came from
    fo.utilization = options.utilization;
    fo.top_layers = 0;
    const std::vector<ModelLoad> loads = {ModelLoad{model.path, &v.profile, inferences_per_second}};
    const FitResult fit = Fit(loads, chip, family, fo);
    const Prediction& pred = fit.predicted;
    if (pred.available) {
      row.latency_ms = pred.latency_ms;
      row.fps = pred.fps * frames;
      row.bandwidth_gbs = pred.bandwidth_gbs;
      row.bound = pred.bound;
      row.roofline_peak_tops = pred.peak_tops;
      if (pred.band.known()) {
        row.band = pred.band;
        row.latency_low_ms = pred.latency_low_ms;
        row.latency_high_ms = pred.latency_high_ms;
        row.fps_low = pred.fps_low * frames;
        row.fps_high = pred.fps_high * frames;
      }
    }
    row.fits = fit.fits && v.missing.empty();
    row.verdict_basis = fit.verdict_basis;
    row.missing = v.missing;
    AppendUnique(row.missing, fit.missing);
    // The article's "fp16 dense peak (article convention used ...)" already names the gap.
    for (const auto& m : pred.missing) {
      const bool said = std::any_of(row.missing.begin(), row.missing.end(),
                                    [&](const MissingFigure& x) { return x.figure == m.figure; });
      if (!said) row.missing.push_back(m);
    }
    row.notes = v.notes;
    // The roofline's caveats concern the chip's figures, not the scenario: said once.
    AppendUnique(r.notes, pred.caveats);
    r.rows.push_back(std::move(row));
  }
  // A figure every row lacks (the chip's power modes) is said once.
  if (r.rows.size() > 1) HoistShared(r.rows, &ScenarioResult::missing, "catalog lacks: ", r.notes);
  return r;
}

// ---- Compare --------------------------------------------------------------------------------

CompareResult Compare(const std::vector<CompareInput>& inputs, const Chip& chip,
                      const Family& family, const CompareOptions& options) {
  if (inputs.empty()) throw Error("no model given");
  CompareResult r;
  r.chip_id = chip.id;
  r.chip_name = chip.name;
  r.fps = options.fps;
  for (const CompareInput& in : inputs) {
    if (!in.profile) throw Error(in.label + ": no profile");
    CompareRow row;
    row.label = in.label;
    const PrecisionChoice choice =
        ChoosePrecision({ModelLoad{in.label, in.profile, options.fps}}, options.precision);
    row.precision = choice.precision;
    row.precision_source = choice.source;
    const Totals& t = in.profile->totals;
    row.params = t.params;
    row.macs = t.macs;
    row.flops = t.flops;
    row.nodes_without_cost = t.nodes_without_cost;
    row.weight_bytes = static_cast<double>(t.params) * PrecisionBits(row.precision) / 8.0;
    row.required_tops = RequiredTops(static_cast<double>(t.macs), options.fps,
                                     ArticlePrecisionFactor(row.precision));
    FitOptions fo;
    fo.precision = UsePrecision(row.precision);  // the row says where it came from
    fo.utilization = options.utilization;
    fo.top_layers = 0;
    row.fit = Fit({ModelLoad{in.label, in.profile, options.fps}}, chip, family, fo);
    for (const auto& m : row.fit.missing) AppendUnique(row.notes, {"catalog lacks: " + m.text});
    for (const auto& m : row.fit.predicted.missing) {
      AppendUnique(row.notes, {"catalog lacks: " + m.text});
    }
    AppendUnique(row.notes, row.fit.predicted.caveats);
    if (row.nodes_without_cost > 0) {
      row.notes.push_back(
          fmt::format("{} node(s) without a cost are not counted", row.nodes_without_cost));
    }
    r.rows.push_back(std::move(row));
  }
  // Notes of the chip (missing figures, unverified calibration) repeat in every row: keep one.
  if (r.rows.size() > 1) HoistShared(r.rows, &CompareRow::notes, "", r.notes);

  // Best per column: the lowest cost, the highest frame rate; the first row wins a tie.
  auto mark = [&](const std::string& column, auto value, bool higher_is_better) {
    std::optional<double> best_value;
    for (size_t i = 0; i < r.rows.size(); ++i) {
      const std::optional<double> v = value(r.rows[i]);
      if (!v) continue;
      if (!best_value || (higher_is_better ? *v > *best_value : *v < *best_value)) {
        best_value = v;
        r.best[column] = i;
      }
    }
  };
  using Row = const CompareRow&;
  mark(
      "params", [](Row x) { return std::optional<double>(static_cast<double>(x.params)); }, false);
  mark(
      "macs", [](Row x) { return std::optional<double>(static_cast<double>(x.macs)); }, false);
  mark(
      "weight_bytes", [](Row x) { return std::optional<double>(x.weight_bytes); }, false);
  mark(
      "required_tops", [](Row x) { return std::optional<double>(x.required_tops); }, false);
  mark(
      "latency_ms",
      [](Row x) {
        return x.fit.predicted.available ? std::optional<double>(x.fit.predicted.latency_ms)
                                         : std::nullopt;
      },
      false);
  mark(
      "fps",
      [](Row x) {
        return x.fit.predicted.available ? std::optional<double>(x.fit.predicted.fps)
                                         : std::nullopt;
      },
      true);
  return r;
}

}  // namespace tops
