// Calibration of the LLM time model from published measurements: per (chip family, runtime),
// the four figures minimise sum(ln(predicted / measured)^2) + sum(((u - u0) / sigma)^2) over
// their transformed values u (efficiencies through a logistic, overheads through a log), by
// Levenberg-Marquardt. The priors keep a family with few rows near generic values instead of
// fitting noise; leave-one-out repeats the solve without each row and predicts it.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <map>

#include "fmt/format.h"
#include "tops/error.h"
#include "tops/llm.h"
#include "tops/read.h"

namespace tops {
namespace {

constexpr int kParams = 4;
using Vec = std::array<double, kParams>;

// Priors on u: logistic(u) for the two efficiencies, exp(u) for the overheads (us, ms).
constexpr Vec kPriorMean = {0.405, -1.099, 2.996, 0.0};  // 0.6, 0.25, 20 us, 1 ms
constexpr Vec kPriorSigma = {1.0, 1.5, 2.5, 2.5};
constexpr double kThinSpread = 0.693;  // ln 2

double Logistic(double u) { return 1.0 / (1.0 + std::exp(-u)); }

struct Figures {
  double e_bw, e_pf, layer_us, token_ms;
};
Figures FromU(const Vec& u) {
  return {Logistic(u[0]), Logistic(u[1]), std::exp(u[2]), std::exp(u[3])};
}

// What a row needs from the model and chip, computed once.
struct Features {
  const LlmMeasurement* row = nullptr;
  std::vector<std::pair<double, double>> prefill;  // (flops, bytes) per chunk
  double dec_flops = 0, dec_bytes = 0;
  double layers = 0, bw = 0, peak = 0;
};

double Predict(const Features& f, const Figures& x) {
  const double overhead = f.layers * x.layer_us * 1e-6 + x.token_ms * 1e-3;
  auto step = [&](double flops, double bytes) {
    const double mem = f.bw > 0 ? bytes / (f.bw * x.e_bw) : 0;
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

double Cost(const std::vector<const Features*>& rows, const Vec& u, std::vector<double>* res) {
  const Figures x = FromU(u);
  double c = 0;
  if (res) res->clear();
  for (const Features* f : rows) {
    const double r = std::log(Predict(*f, x) / f->row->value);
    c += r * r;
    if (res) res->push_back(r);
  }
  for (int k = 0; k < kParams; ++k) {
    const double r = (u[k] - kPriorMean[k]) / kPriorSigma[k];
    c += r * r;
    if (res) res->push_back(r);
  }
  return c;
}

// Levenberg-Marquardt with a forward-difference Jacobian (4 parameters, tens of rows).
Vec Solve(const std::vector<const Features*>& rows) {
  Vec u = kPriorMean;
  double lambda = 1e-2;
  std::vector<double> r0, r1;
  double cost = Cost(rows, u, &r0);
  for (int iter = 0; iter < 200; ++iter) {
    const size_t m = r0.size();
    std::vector<Vec> jac(m);
    for (int k = 0; k < kParams; ++k) {
      Vec v = u;
      v[k] += 1e-6;
      Cost(rows, v, &r1);
      for (size_t i = 0; i < m; ++i) jac[i][k] = (r1[i] - r0[i]) / 1e-6;
    }
    std::array<Vec, kParams> a{};
    Vec g{};
    for (size_t i = 0; i < m; ++i) {
      for (int p = 0; p < kParams; ++p) {
        g[p] += jac[i][p] * r0[i];
        for (int q = 0; q < kParams; ++q) a[p][q] += jac[i][p] * jac[i][q];
      }
    }
    bool improved = false;
    for (int tries = 0; tries < 20 && !improved; ++tries) {
      // Solve (A + lambda diag(A)) d = -g by Gaussian elimination.
      std::array<std::array<double, kParams + 1>, kParams> s{};
      for (int p = 0; p < kParams; ++p) {
        for (int q = 0; q < kParams; ++q) s[p][q] = a[p][q];
        s[p][p] += lambda * (a[p][p] + 1e-12);
        s[p][kParams] = -g[p];
      }
      for (int p = 0; p < kParams; ++p) {
        int piv = p;
        for (int q = p + 1; q < kParams; ++q) {
          if (std::fabs(s[q][p]) > std::fabs(s[piv][p])) piv = q;
        }
        std::swap(s[p], s[piv]);
        if (std::fabs(s[p][p]) < 1e-300) continue;
        for (int q = p + 1; q < kParams; ++q) {
          const double f = s[q][p] / s[p][p];
          for (int c = p; c <= kParams; ++c) s[q][c] -= f * s[p][c];
        }
      }
      Vec d{};
      for (int p = kParams - 1; p >= 0; --p) {
        double v = s[p][kParams];
        for (int q = p + 1; q < kParams; ++q) v -= s[p][q] * d[q];
        d[p] = std::fabs(s[p][p]) < 1e-300 ? 0 : v / s[p][p];
      }
      Vec next = u;
      for (int p = 0; p < kParams; ++p) next[p] += std::clamp(d[p], -3.0, 3.0);
      const double c = Cost(rows, next, nullptr);
      if (std::isfinite(c) && c < cost) {
        const double gain = cost - c;
        u = next;
        cost = c;
        Cost(rows, u, &r0);
        lambda = std::max(lambda / 3, 1e-9);
        improved = true;
        if (gain < 1e-12) return u;
      } else {
        lambda *= 4;
      }
    }
    if (!improved) break;
  }
  return u;
}

LlmMetric ParseMetric(const std::string& s, const std::string& where) {
  if (s == "decode_tokens_per_s") return LlmMetric::kDecodeTokensPerS;
  if (s == "ttft_ms") return LlmMetric::kTtftMs;
  if (s == "prefill_tokens_per_s") return LlmMetric::kPrefillTokensPerS;
  throw Error(where + ": unknown metric '" + s +
              "' (expected decode_tokens_per_s, ttft_ms or prefill_tokens_per_s)");
}

double Percentile90(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = static_cast<size_t>(std::ceil(0.9 * static_cast<double>(v.size()))) - 1;
  return v[std::min(i, v.size() - 1)];
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
    if (m.chunk > 0) o.prefill_chunk = m.chunk;
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
    const int64_t mid = m.prompt + std::max<int64_t>(m.generate - 1, 0) / 2;
    LlmOptions od = o;
    od.curve = {mid};
    LlmEstimate d = EstimateLlm(model, facts, *chip, catalog, od);
    f.dec_flops = d.curve.front().flops_per_token;
    f.dec_bytes = d.curve.front().bytes_per_step;
    groups[chip->family + "/" + m.runtime].push_back(std::move(f));
  }
  for (auto& [id, feats] : groups) {
    LlmFamilyFit fit;
    fit.id = id;
    fit.chip_family = id.substr(0, id.find('/'));
    fit.runtime = id.substr(id.find('/') + 1);
    std::vector<const Features*> all;
    for (const auto& f : feats) all.push_back(&f);
    const Figures x = FromU(Solve(all));
    std::vector<double> dec_loo, ttft_loo;
    for (size_t i = 0; i < feats.size(); ++i) {
      std::vector<const Features*> rest;
      for (size_t j = 0; j < feats.size(); ++j) {
        if (j != i) rest.push_back(&feats[j]);
      }
      const Figures xi = FromU(Solve(rest));
      LlmFitRow row;
      row.row = *feats[i].row;
      row.predicted = Predict(feats[i], x);
      row.in_sample_ratio = row.predicted / feats[i].row->value;
      row.loo_predicted = Predict(feats[i], xi);
      row.loo_ratio = row.loo_predicted / feats[i].row->value;
      const bool decode = row.row.metric == LlmMetric::kDecodeTokensPerS;
      (decode ? dec_loo : ttft_loo).push_back(std::fabs(std::log(row.loo_ratio)));
      const double factor = std::max(row.loo_ratio, 1 / row.loo_ratio);
      LlmLooSummary& loo = result.loo;
      ++loo.rows;
      if (decode) {
        ++loo.decode_rows;
        loo.decode_within += factor <= kLlmDecodeLooFactor;
      } else {
        ++loo.ttft_rows;
        loo.ttft_within += factor <= kLlmTtftLooFactor;
      }
      fit.rows.push_back(row);
    }
    LlmFamily& f = fit.figures;
    f.id = id;
    f.chip_family = fit.chip_family;
    f.runtime = fit.runtime;
    const std::string how = fmt::format(
        "least squares on ln(predicted/measured) over {} rows with priors (tops llm-calibrate)",
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
    // Under five left-out rows say little about the spread: then at least a factor 2.
    auto spread = [](const std::vector<double>& v) {
      return v.size() < 5 ? std::max(Percentile90(v), kThinSpread) : Percentile90(v);
    };
    f.decode_log_spread = spread(dec_loo);
    f.ttft_log_spread = spread(ttft_loo);
    f.rows = static_cast<int>(feats.size());
    f.basis = how;
    result.families.push_back(std::move(fit));
  }
  LlmLooSummary& loo = result.loo;
  auto percent = [](int64_t k, int64_t n) {
    return n ? 100.0 * static_cast<double>(k) / static_cast<double>(n) : 0;
  };
  loo.decode_percent = percent(loo.decode_within, loo.decode_rows);
  loo.ttft_percent = percent(loo.ttft_within, loo.ttft_rows);
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
    out += fmt::format("    decode_log_spread: {:.4f}\n    ttft_log_spread: {:.4f}\n",
                       f.decode_log_spread, f.ttft_log_spread);
    out += fmt::format("    rows: {}\n    basis: \"{}\"\n    source: \"data/measurements/llm\"\n",
                       f.rows, f.basis);
  }
  return out;
}

}  // namespace tops
