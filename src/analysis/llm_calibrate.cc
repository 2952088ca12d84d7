// Calibration of the LLM time model from published measurements, by the solver the CNN rows use
// (analysis/calibrate.cc): per (chip family, runtime), the four figures minimise the pseudo-Huber
// loss of ln(predicted / measured) plus Gaussian priors on their transformed values u
// (efficiencies through a logistic, overheads through a log), by iteratively reweighted
// Levenberg-Marquardt (analysis/least_squares.h). The priors keep a family with few rows near
// generic values instead of fitting noise; leave-one-out repeats the solve without each row and
// predicts it, and the band printed with every prediction is the 5th to 95th percentile of the
// other rows' left-out measured / predicted ratios, as for the CNN families.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "analysis/least_squares.h"
#include "fmt/format.h"
#include "tops/calibrate.h"
#include "tops/error.h"
#include "tops/llm.h"
#include "tops/read.h"

namespace tops {
namespace {

constexpr int kParams = 4;
using Vec = std::vector<double>;

// Priors on u: logistic(u) for the two efficiencies, exp(u) for the overheads (us, ms).
const Vec kPriorMean = {0.405, -1.099, 2.996, 0.0};  // 0.6, 0.25, 20 us, 1 ms
const Vec kPriorSigma = {1.0, 1.5, 2.5, 2.5};
// Each chip's share of its DRAM bandwidth that the runtime's steps reach, relative to the family's
// figure (ln share, prior 0): a factor 2 either way at one sigma. Shares are solved only for chips
// with rows; a chip without rows takes 1.
constexpr double kChipShareSigma = 0.6931;
// The CNN solver's robust loss scale on log ratios (analysis/calibrate.cc).
constexpr double kHuberDelta = 0.4;
// A band needs this many other rows of its family and metric (as for the CNN groups); a thinner
// family takes the rows of that metric of every family, widened to at least a factor 2.
constexpr size_t kMinBandRows = 8;
constexpr double kThinBand = 2.0;

double Logistic(double u) { return 1.0 / (1.0 + std::exp(-u)); }

struct Figures {
  double e_bw, e_pf, layer_us, token_ms;
  Vec chip_share;  // per chip of the family (Features::chip), 1 = the family's figure
};
Figures FromU(const Vec& u) {
  Figures x{Logistic(u[0]), Logistic(u[1]), std::exp(u[2]), std::exp(u[3]), {}};
  for (size_t k = kParams; k < u.size(); ++k) x.chip_share.push_back(std::exp(u[k]));
  return x;
}

// What a row needs from the model and chip, computed once.
struct Features {
  const LlmMeasurement* row = nullptr;
  std::vector<std::pair<double, double>> prefill;  // (flops, bytes) per chunk
  double dec_flops = 0, dec_bytes = 0;
  double layers = 0, bw = 0, peak = 0;
  size_t chip = 0;  // index of the row's chip among the family's chips
};

double Predict(const Features& f, const Figures& x) {
  const double overhead = f.layers * x.layer_us * 1e-6 + x.token_ms * 1e-3;
  auto step = [&](double flops, double bytes) {
    const double share = f.chip < x.chip_share.size() ? x.chip_share[f.chip] : 1.0;
    const double mem = f.bw > 0 ? bytes / (f.bw * std::min(1.0, x.e_bw * share)) : 0;
    const double comp = f.peak > 0 ? flops / (f.peak * x.e_pf) : 0;
    return std::max(mem, comp) + overhead;
  };
  switch (f.row->metric) {
    case LlmMetric::kDecodeTokensPerS:
      return 1.0 / step(f.dec_flops, f.dec_bytes);
    case LlmMetric::kTtftMs:
    case LlmMetric::kPrefillTokensPerS: {
      double t = 0;
      for (const auto& [flops, bytes] : f.prefill) t += step(flops, bytes);
      if (f.row->metric == LlmMetric::kTtftMs) return t * 1e3;
      return static_cast<double>(f.row->prompt) / t;
    }
  }
  return 0;
}

// Robust fit: three passes of Levenberg-Marquardt, each with the pseudo-Huber weights of the
// previous solution's residuals; the Jacobian by forward differences (four parameters).
Vec Solve(const std::vector<const Features*>& rows, size_t chips) {
  std::vector<double> weight(rows.size(), 1.0);
  const size_t n = kParams + chips;
  const Vec lo(n, -30.0), hi(n, 30.0);
  Vec u = kPriorMean;
  u.resize(n, 0.0);
  for (int pass = 0; pass < 3; ++pass) {
    const analysis::ResidualFn f = analysis::NumericJacobian([&](const Vec& v, Vec& r) {
      const Figures x = FromU(v);
      r.assign(rows.size() + n, 0);
      for (size_t i = 0; i < rows.size(); ++i) {
        r[i] = std::sqrt(weight[i]) * std::log(Predict(*rows[i], x) / rows[i]->row->value);
      }
      for (int k = 0; k < kParams; ++k) {
        r[rows.size() + k] = (v[k] - kPriorMean[k]) / kPriorSigma[k];
      }
      for (size_t k = kParams; k < n; ++k) r[rows.size() + k] = v[k] / kChipShareSigma;
    });
    u = analysis::LevenbergMarquardt(f, u, lo, hi, 200);
    const Figures x = FromU(u);
    for (size_t i = 0; i < rows.size(); ++i) {
      weight[i] = analysis::PseudoHuberWeight(std::log(Predict(*rows[i], x) / rows[i]->row->value),
                                              kHuberDelta);
    }
  }
  return u;
}

// The band of measured / predicted ratios from the ln ratios `logs`: the 5th and 95th
// percentiles, always containing 1; `thin` widens it to at least a factor kThinBand each way.
PredictionBand BandOf(const std::vector<double>& logs, bool thin, std::string scope) {
  PredictionBand b;
  b.low = std::min(1.0, std::exp(analysis::Quantile(logs, kCalibrationBandQuantile)));
  b.high = std::max(1.0, std::exp(analysis::Quantile(logs, 1 - kCalibrationBandQuantile)));
  if (thin || logs.empty()) {
    b.low = std::min(b.low, 1 / kThinBand);
    b.high = std::max(b.high, kThinBand);
  }
  b.rows = static_cast<int64_t>(logs.size());
  b.scope = std::move(scope);
  return b;
}

bool IsDecode(const LlmMeasurement& m) { return m.metric == LlmMetric::kDecodeTokensPerS; }

LlmMetric ParseMetric(const std::string& s, const std::string& where) {
  if (s == "decode_tokens_per_s") return LlmMetric::kDecodeTokensPerS;
  if (s == "ttft_ms") return LlmMetric::kTtftMs;
  if (s == "prefill_tokens_per_s") return LlmMetric::kPrefillTokensPerS;
  throw Error(where + ": unknown metric '" + s +
              "' (expected decode_tokens_per_s, ttft_ms or prefill_tokens_per_s)");
}

}  // namespace

std::string_view LlmMetricName(LlmMetric m) {
  switch (m) {
    case LlmMetric::kDecodeTokensPerS:
      return "decode_tokens_per_s";
    case LlmMetric::kTtftMs:
      return "ttft_ms";
    case LlmMetric::kPrefillTokensPerS:
      return "prefill_tokens_per_s";
  }
  return "?";
}

std::vector<LlmMeasurement> LoadLlmMeasurements(const std::string& path) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  if (fs::is_directory(path)) {
    for (const auto& e : fs::directory_iterator(path)) {
      if (e.path().extension() == ".yaml") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
  } else if (fs::exists(path)) {
    files.push_back(path);
  } else {
    throw Error(path +
                ": no such file or directory (measurement rows: a .yaml file or a "
                "directory of them, e.g. data/measurements/llm in the source tree)");
  }
  std::vector<LlmMeasurement> out;
  for (const auto& file : files) {
    YAML::Node doc;
    try {
      doc = YAML::LoadFile(file);
    } catch (const YAML::Exception& e) {
      throw Error(file + ": not valid YAML: " + e.msg);
    }
    const YAML::Node rows = doc["rows"];
    if (!rows || !rows.IsSequence()) throw Error(file + ": expected a list 'rows'");
    const YAML::Node defaults = doc["defaults"];
    // A field of the row, else of the file's defaults (copies: assigning a yaml-cpp node would
    // write into the document).
    auto get = [&](const YAML::Node& row, const char* key, const std::string& where) {
      if (row[key] && row[key].IsScalar()) return YAML::Node(row[key]);
      if (defaults && defaults[key] && defaults[key].IsScalar()) return YAML::Node(defaults[key]);
      throw Error(where + ": field '" + key + "' missing");
    };
    for (size_t i = 0; i < rows.size(); ++i) {
      const YAML::Node r = rows[i];
      const std::string where = file + ": row " + std::to_string(i + 1);
      try {
        LlmMeasurement m;
        m.id = get(r, "id", where).as<std::string>();
        m.chip = get(r, "chip", where).as<std::string>();
        m.runtime = get(r, "runtime", where).as<std::string>();
        m.model = get(r, "model", where).as<std::string>();
        m.quant = get(r, "quant", where).as<std::string>();
        m.prompt = get(r, "prompt", where).as<int64_t>();
        m.generate = get(r, "generate", where).as<int64_t>();
        if (r["chunk"] || (defaults && defaults["chunk"])) {
          m.chunk = get(r, "chunk", where).as<int64_t>();
        }
        if (r["context"] || (defaults && defaults["context"])) {
          m.context = get(r, "context", where).as<int64_t>();
        }
        if (r["kv"] || (defaults && defaults["kv"])) {
          m.kv_bits = ParseKvBits(get(r, "kv", where).as<std::string>());
        }
        m.metric = ParseMetric(get(r, "metric", where).as<std::string>(), where);
        m.value = get(r, "value", where).as<double>();
        m.source = get(r, "source", where).as<std::string>();
        m.quote = get(r, "quote", where).as<std::string>();
        m.origin = file;
        if (!(m.value > 0) || m.prompt < 0 || m.generate < 0) {
          throw Error(where + ": value must be positive, prompt and generate non-negative");
        }
        out.push_back(std::move(m));
      } catch (const YAML::Exception& e) {
        throw Error(where + ": " + e.msg);
      }
    }
  }
  return out;
}

LlmCalibrationResult CalibrateLlm(const std::vector<LlmMeasurement>& rows, const Catalog& catalog,
                                  const std::string& root) {
  LlmCalibrationResult result;
  std::map<std::string, std::pair<Model, DecoderFacts>> models;
  std::map<std::string, std::vector<Features>> groups;
  for (const LlmMeasurement& m : rows) {
    const Chip* chip = catalog.Find(m.chip);
    if (!chip) {
      result.skipped.push_back(m.id + ": unknown chip '" + m.chip + "'");
      continue;
    }
    auto it = models.find(m.model);
    if (it == models.end()) {
      Model model = ReadModel(root + "/" + m.model);
      DecoderFacts facts = InspectDecoder(model);
      it = models.emplace(m.model, std::make_pair(std::move(model), std::move(facts))).first;
    }
    const auto& [model, facts] = it->second;
    LlmOptions o;
    o.quant = ParseQuantScheme(m.quant);
    o.prompt = std::max<int64_t>(m.prompt, 1);
    o.generate = std::max<int64_t>(m.generate, 1);
    o.runtime = m.runtime;
    o.quant.kv_bits = m.kv_bits;
    if (m.chunk > 0) o.prefill_chunk = m.chunk;
    if (m.context > 0) o.context = m.context;
    // The estimate's own phases give the features: same chunks, same bytes, same FLOPs.
    LlmEstimate e = EstimateLlm(model, facts, *chip, catalog, o);
    if (e.bandwidth_gbs <= 0) {
      result.skipped.push_back(m.id + ": chip has no memory bandwidth in the catalog");
      continue;
    }
    Features f;
    f.row = &m;
    f.layers = static_cast<double>(facts.attention_layers);
    f.bw = e.bandwidth_gbs * 1e9;
    f.peak = e.peak_tops * 1e12;
    f.prefill = e.prefill_phases;
    // The mean decode step: the middle one (the step time is affine in the context), or, for a
    // runtime with a static KV cache, any step (each reads the whole context).
    const auto rt = catalog.llm_runtimes().find(m.runtime);
    const bool static_kv = rt != catalog.llm_runtimes().end() && rt->second.static_kv;
    const int64_t mid = static_kv ? o.context.value_or(o.prompt + o.generate) - 1
                                  : m.prompt + std::max<int64_t>(m.generate - 1, 0) / 2;
    LlmOptions od = o;
    od.curve = {mid};
    LlmEstimate d = EstimateLlm(model, facts, *chip, catalog, od);
    f.dec_flops = d.curve.front().flops_per_token;
    f.dec_bytes = d.curve.front().bytes_per_step;
    groups[chip->family + "/" + m.runtime].push_back(std::move(f));
  }
  // Solve every family, then each row again without it.
  for (auto& [id, feats] : groups) {
    LlmFamilyFit fit;
    fit.id = id;
    fit.chip_family = id.substr(0, id.find('/'));
    fit.runtime = id.substr(id.find('/') + 1);
    // The family's chips, in id order; each row's index into them.
    std::vector<std::string> chips;
    for (const auto& f : feats) chips.push_back(f.row->chip);
    std::sort(chips.begin(), chips.end());
    chips.erase(std::unique(chips.begin(), chips.end()), chips.end());
    for (auto& f : feats) {
      f.chip = static_cast<size_t>(std::lower_bound(chips.begin(), chips.end(), f.row->chip) -
                                   chips.begin());
    }
    std::vector<const Features*> all;
    for (const auto& f : feats) all.push_back(&f);
    const Figures x = FromU(Solve(all, chips.size()));
    for (size_t i = 0; i < feats.size(); ++i) {
      std::vector<const Features*> rest;
      for (size_t j = 0; j < feats.size(); ++j) {
        if (j != i) rest.push_back(&feats[j]);
      }
      const Figures xi = FromU(Solve(rest, chips.size()));
      LlmFitRow row;
      row.row = *feats[i].row;
      row.predicted = Predict(feats[i], x);
      row.in_sample_ratio = row.predicted / feats[i].row->value;
      row.loo_predicted = Predict(feats[i], xi);
      row.loo_ratio = row.loo_predicted / feats[i].row->value;
      fit.rows.push_back(row);
    }
    LlmFamily& f = fit.figures;
    f.id = id;
    f.chip_family = fit.chip_family;
    f.runtime = fit.runtime;
    const std::string how = fmt::format(
        "robust least squares on ln(predicted/measured) over {} rows with priors, the CNN "
        "calibration's solver (tops llm-calibrate)",
        feats.size());
    for (auto [fig, v] :
         {std::pair{&f.decode_bandwidth_efficiency, x.e_bw},
          std::pair{&f.prefill_efficiency, x.e_pf}, std::pair{&f.layer_overhead_us, x.layer_us},
          std::pair{&f.token_overhead_ms, x.token_ms}}) {
      fig->value = v;
      fig->status = FigureStatus::kDerived;
      fig->how = how;
      fig->source = "data/measurements/llm";
    }
    for (size_t c = 0; c < chips.size(); ++c) f.chip_bandwidth_share[chips[c]] = x.chip_share[c];
    f.rows = static_cast<int>(feats.size());
    f.basis = how;
    result.families.push_back(std::move(fit));
  }

  // Bands: ln(measured / predicted) of the left-out predictions, per family and metric (decode
  // apart from time to first token and prefill); a family with too few rows of a metric takes
  // every family's rows of it.
  auto log_ratio = [](const LlmFitRow& r) { return -std::log(r.loo_ratio); };
  auto pool = [&](bool decode, const LlmFitRow* skip, const LlmFamilyFit* only) {
    std::vector<double> logs;
    for (const LlmFamilyFit& fam : result.families) {
      if (only && &fam != only) continue;
      for (const LlmFitRow& r : fam.rows) {
        if (&r != skip && IsDecode(r.row) == decode) logs.push_back(log_ratio(r));
      }
    }
    return logs;
  };
  auto band = [&](const LlmFamilyFit& fam, bool decode, const LlmFitRow* skip) {
    std::vector<double> own = pool(decode, skip, &fam);
    const std::string metric = decode ? "decode" : "time to first token";
    if (own.size() >= kMinBandRows) {
      return BandOf(own, false, fmt::format("family {}, {} rows", fam.id, metric));
    }
    return BandOf(pool(decode, skip, nullptr), true,
                  fmt::format("{} rows of every family ({} has {}), at least a factor {}", metric,
                              fam.id, own.size() + (skip != nullptr), kThinBand));
  };
  LlmLooSummary& loo = result.loo;
  for (LlmFamilyFit& fam : result.families) {
    fam.figures.decode_band = band(fam, true, nullptr);
    fam.figures.ttft_band = band(fam, false, nullptr);
    for (LlmFitRow& r : fam.rows) {
      const bool decode = IsDecode(r.row);
      const PredictionBand b = band(fam, decode, &r);
      r.band_low = r.loo_predicted * b.low;
      r.band_high = r.loo_predicted * b.high;
      r.in_band = r.row.value >= r.band_low && r.row.value <= r.band_high;
      const double factor = std::max(r.loo_ratio, 1 / r.loo_ratio);
      ++loo.rows;
      loo.in_band += r.in_band;
      if (decode) {
        ++loo.decode_rows;
        loo.decode_within += factor <= kLlmDecodeLooFactor;
      } else {
        ++loo.ttft_rows;
        loo.ttft_within += factor <= kLlmTtftLooFactor;
      }
    }
  }
  auto percent = [](int64_t k, int64_t n) {
    return n ? 100.0 * static_cast<double>(k) / static_cast<double>(n) : 0;
  };
  loo.decode_percent = percent(loo.decode_within, loo.decode_rows);
  loo.ttft_percent = percent(loo.ttft_within, loo.ttft_rows);
  loo.in_band_percent = percent(loo.in_band, loo.rows);
  return result;
}

std::string LlmCalibrationYaml(const LlmCalibrationResult& r) {
  std::string out =
      "# Generated by `tops llm-calibrate data/measurements/llm > data/chips/llm_calibration.yaml`"
      "\n# from the published rows in data/measurements/llm; do not edit by hand (a test re-solves"
      "\n# and compares). Figures: docs/llm.md.\nschema_version: 1\nllm_families:\n";
  for (const auto& fam : r.families) {
    const LlmFamily& f = fam.figures;
    auto fig = [&](const char* key, const Figure& v, int digits) {
      return fmt::format(
          "    {}: {{value: {:.{}g}, status: derived, how: \"{}\", source: \"{}\"}}\n", key, *v,
          digits, v.how, v.source);
    };
    out += fmt::format("  - id: {}\n    chip_family: {}\n    runtime: {}\n", f.id, f.chip_family,
                       f.runtime);
    out += fig("decode_bandwidth_efficiency", f.decode_bandwidth_efficiency, 4);
    out += fig("prefill_efficiency", f.prefill_efficiency, 4);
    out += fig("layer_overhead_us", f.layer_overhead_us, 4);
    out += fig("token_overhead_ms", f.token_overhead_ms, 4);
    std::string shares;
    for (const auto& [chip, v] : f.chip_bandwidth_share) {
      shares += fmt::format("{}{}: {:.4g}", shares.empty() ? "" : ", ", chip, v);
    }
    out += fmt::format("    chip_bandwidth_share: {{{}}}\n", shares);
    for (auto [key, b] :
         {std::pair{"decode_band", &f.decode_band}, std::pair{"ttft_band", &f.ttft_band}}) {
      out += fmt::format("    {}: {{low: {:.4g}, high: {:.4g}, rows: {}, scope: \"{}\"}}\n", key,
                         b->low, b->high, b->rows, b->scope);
    }
    out += fmt::format("    rows: {}\n    basis: \"{}\"\n    source: \"data/measurements/llm\"\n",
                       f.rows, f.basis);
  }
  return out;
}

}  // namespace tops
