// Serialises the LLM results. Every format renders the same rows: the estimate's phases, the
// tokens/s curve and the memory check; the table and Markdown add the conventions.
#include "report/llm_writers.h"

#include <cmath>

#include "fmt/format.h"
#include "report/json_text.h"

namespace tops {
namespace {

using Json = nlohmann::ordered_json;

const char* kConvention =
    "FLOPs per token = 2 x MACs + other ops of one forward (attention over every cached key, no "
    "causal discount); bytes per step = weights one token reads at the weight format + KV cache "
    "of every sequence; times are calibrated estimates with a leave-one-out range";

std::string Ms(double ms) {
  return ms >= 1000 ? fmt::format("{:.2f} s", ms / 1000) : fmt::format("{:.1f} ms", ms);
}
std::string Rate(double v) {
  return v >= 100 ? fmt::format("{:.0f}", v) : fmt::format("{:.1f}", v);
}
std::string GB(double b) { return fmt::format("{:.2f} GB", b / 1e9); }

Json RangeJson(const Range& r) {
  return Json{{"value", r.value}, {"low", r.low}, {"high", r.high}};
}

Json FactsJson(const DecoderFacts& f) {
  Json kv = Json::array();
  for (const auto& l : f.kv) {
    kv.push_back({{"elements_per_token", l.elems_per_token},
                  {"head_dim", l.head_dim},
                  {"window", l.window}});
  }
  return Json{{"format", f.format},
              {"attention_layers", f.attention_layers},
              {"params", f.params},
              {"active_params", f.active_params},
              {"embedding_params", f.embedding_params},
              {"lm_head_tied", f.lm_head_tied},
              {"matrix_params", f.matrix_params},
              {"vocab", f.vocab},
              {"hidden", f.hidden},
              {"max_positions", f.max_positions ? Json(f.max_positions) : Json(nullptr)},
              {"file_weight_bytes", f.file_weight_bytes},
              {"file_is_quantized", f.file_is_quantized},
              {"kv_cache", kv}};
}

Json EstimateJson(const LlmEstimate& e) {
  Json curve = Json::array();
  for (const auto& p : e.curve) {
    curve.push_back({{"context", p.context},
                     {"tokens_per_s", RangeJson(p.tokens_per_s)},
                     {"step_ms", p.step_ms},
                     {"bytes_per_step", p.bytes_per_step},
                     {"flops_per_token", p.flops_per_token},
                     {"bound", std::string(LlmBoundName(p.bound))}});
  }
  const LlmMemory& m = e.memory;
  Json mem{{"weight_bytes", m.weight_bytes},
           {"kv_bytes", m.kv_bytes},
           {"activation_bytes", m.activation_bytes},
           {"total_bytes", m.total_bytes},
           {"capacity_bytes", m.capacity_bytes ? Json(*m.capacity_bytes) : Json(nullptr)},
           {"fits", m.capacity_bytes ? Json(m.fits) : Json(nullptr)},
           {"max_context", m.max_context ? Json(*m.max_context) : Json(nullptr)},
           {"max_context_is_model_limit", m.context_limited_by_model}};
  const LlmFamily& c = e.calibration;
  return Json{{"chip", e.chip_id},
              {"chip_name", e.chip_name},
              {"runtime", e.runtime},
              {"quant", e.quant.Name()},
              {"kv_bits", e.quant.kv_bits},
              {"format_supported", e.format_supported},
              {"prompt", e.options.prompt},
              {"generate", e.options.generate},
              {"batch", e.options.batch},
              {"prefill_chunk", e.prefill_chunk},
              {"peak_tops", e.peak_tops},
              {"bandwidth_gbs", e.bandwidth_gbs},
              {"calibration",
               {{"id", c.id},
                {"fallback", e.calibration_fallback},
                {"decode_bandwidth_efficiency", c.decode_bandwidth_efficiency.value.value_or(0)},
                {"prefill_efficiency", c.prefill_efficiency.value.value_or(0)},
                {"layer_overhead_us", c.layer_overhead_us.value.value_or(0)},
                {"token_overhead_ms", c.token_overhead_ms.value.value_or(0)},
                {"rows", c.rows}}},
              {"prefill_flops", e.prefill_flops},
              {"ttft_ms", RangeJson(e.ttft_ms)},
              {"prefill_tokens_per_s", e.prefill_tokens_per_s},
              {"prefill_bound", std::string(LlmBoundName(e.prefill_bound))},
              {"decode_tokens_per_s", RangeJson(e.decode_tokens_per_s)},
              {"batch_tokens_per_s", e.batch_tokens_per_s},
              {"end_to_end_ms", RangeJson(e.end_to_end_ms)},
              {"curve", curve},
              {"memory", mem},
              {"available", e.available},
              {"missing", e.missing},
              {"caveats", e.caveats}};
}

void TableEstimate(std::ostream& os, const LlmEstimate& e) {
  const LlmFamily& c = e.calibration;
  os << fmt::format("Chip: {} ({}), runtime {}, weights {}, KV {}\n", e.chip_name, e.chip_id,
                    e.runtime, e.quant.Name(),
                    e.quant.kv_bits >= 16 ? "fp16" : fmt::format("int{}", e.quant.kv_bits));
  os << fmt::format(
      "Calibration: {}{} (decode {:.0f}% of {:.1f} GB/s, prefill {:.0f}% of {:.2f} TOPS, "
      "{:.0f} us/layer, {:.2f} ms/step)\n",
      c.id, e.calibration_fallback ? " [generic, uncalibrated]" : "",
      100 * c.decode_bandwidth_efficiency.value.value_or(0), e.bandwidth_gbs,
      100 * c.prefill_efficiency.value.value_or(0), e.peak_tops,
      c.layer_overhead_us.value.value_or(0), c.token_overhead_ms.value.value_or(0));
  os << fmt::format("  {:<50}{:>14}   {}\n", "Phase", "Estimate", "Range (leave-one-out)");
  os << fmt::format(
      "  {:<50}{:>14}   {} - {}\n",
      fmt::format("Time to first token ({} prompt tokens, {} chunk{})", e.options.prompt,
                  e.prefill_chunks, e.prefill_chunks == 1 ? "" : "s"),
      Ms(e.ttft_ms.value), Ms(e.ttft_ms.low), Ms(e.ttft_ms.high));
  os << fmt::format("  {:<50}{:>14}\n", "Prefill", Rate(e.prefill_tokens_per_s) + " tok/s");
  if (e.options.generate > 0) {
    os << fmt::format("  {:<50}{:>14}   {} - {}\n",
                      fmt::format("Decode (mean over {} tokens)", e.options.generate),
                      Rate(e.decode_tokens_per_s.value) + " tok/s", Rate(e.decode_tokens_per_s.low),
                      Rate(e.decode_tokens_per_s.high));
  }
  if (e.options.batch > 1) {
    os << fmt::format("  {:<50}{:>14}\n", fmt::format("All {} sequences", e.options.batch),
                      Rate(e.batch_tokens_per_s) + " tok/s");
  }
  os << fmt::format("  {:<50}{:>14}   {} - {}\n", "End to end", Ms(e.end_to_end_ms.value),
                    Ms(e.end_to_end_ms.low), Ms(e.end_to_end_ms.high));
  os << "Tokens/s vs context:\n";
  os << fmt::format("  {:>9} {:>10} {:>10} {:>12} {:>14}  {}\n", "context", "tok/s", "step",
                    "bytes/step", "FLOPs/token", "bound");
  for (const auto& p : e.curve) {
    os << fmt::format("  {:>9} {:>10} {:>10} {:>12} {:>14}  {}\n", p.context,
                      Rate(p.tokens_per_s.value), Ms(p.step_ms), HumanBytes(p.bytes_per_step),
                      HumanCount(p.flops_per_token), LlmBoundName(p.bound));
  }
  const LlmMemory& m = e.memory;
  os << fmt::format("Memory: weights {} + KV cache {} + activations {} = {}", GB(m.weight_bytes),
                    GB(m.kv_bytes), GB(m.activation_bytes), GB(m.total_bytes));
  if (m.capacity_bytes) {
    os << fmt::format(" of {} ({}): {}", GB(*m.capacity_bytes), m.capacity_source,
                      m.fits ? "fits" : "DOES NOT FIT");
    if (m.max_context) {
      os << fmt::format(
          "; largest context {}{}", WithCommas(*m.max_context),
          m.context_limited_by_model ? " (the model's maximum; memory allows more)" : "");
    }
  } else {
    os << " (chip memory size unknown)";
  }
  os << "\n";
  for (const auto& s : e.missing) os << "Missing: " << s << "\n";
  for (const auto& s : e.caveats) os << "Note: " << s << "\n";
}

std::vector<std::string> CsvHeader() {
  return {"chip",         "runtime",     "quant",          "kv_bits",         "prompt",
          "generate",     "batch",       "ttft_ms",        "ttft_ms_low",     "ttft_ms_high",
          "prefill_tps",  "decode_tps",  "decode_tps_low", "decode_tps_high", "end_to_end_ms",
          "weight_bytes", "kv_bytes",    "total_bytes",    "capacity_bytes",  "fits",
          "max_context",  "calibration", "fallback"};
}

std::vector<std::string> CsvCells(const LlmEstimate& e) {
  const LlmMemory& m = e.memory;
  return {e.chip_id,
          e.runtime,
          e.quant.Name(),
          std::to_string(e.quant.kv_bits),
          std::to_string(e.options.prompt),
          std::to_string(e.options.generate),
          std::to_string(e.options.batch),
          CsvNumber(e.ttft_ms.value),
          CsvNumber(e.ttft_ms.low),
          CsvNumber(e.ttft_ms.high),
          CsvNumber(e.prefill_tokens_per_s),
          CsvNumber(e.decode_tokens_per_s.value),
          CsvNumber(e.decode_tokens_per_s.low),
          CsvNumber(e.decode_tokens_per_s.high),
          CsvNumber(e.end_to_end_ms.value),
          CsvNumber(m.weight_bytes),
          CsvNumber(m.kv_bytes),
          CsvNumber(m.total_bytes),
          CsvNumber(m.capacity_bytes),
          m.capacity_bytes ? CsvBool(m.fits) : "",
          m.max_context ? std::to_string(*m.max_context) : "",
          e.calibration.id,
          CsvBool(e.calibration_fallback)};
}

std::string FactsLine(const DecoderFacts& f) {
  std::string s = fmt::format("Parameters: {} ({})", WithCommas(f.params), HumanCount(f.params));
  if (f.active_params != f.params) {
    s += fmt::format(", active per token {} ({})", WithCommas(f.active_params),
                     HumanCount(f.active_params));
  }
  if (f.embedding_params > 0) {
    s += fmt::format("; embedding {}{}", WithCommas(f.embedding_params),
                     f.lm_head_tied ? " (tied: the LM head reads it too)" : "");
  }
  return s;
}

}  // namespace

void WriteLlmModel(std::ostream& os, const LlmModelView& v, Format format) {
  const DecoderFacts& f = v.facts;
  if (format == Format::kJson) {
    Json j{{"schema_version", kLlmSchemaVersion},
           {"model", v.path},
           {"decoder", FactsJson(f)},
           {"quant", v.quant.Name()},
           {"weight_bytes", v.weight_bytes},
           {"kv_bytes_per_token", v.kv_bytes_per_token},
           {"decode_macs_per_token", v.decode_at_prompt.macs},
           {"decode_flops_per_token", v.decode_at_prompt.flops()},
           {"at_context", v.prompt},
           {"convention", kConvention}};
    os << JsonText(j) << "\n";
    return;
  }
  if (format == Format::kCsv) {
    os << CsvRow({"model", "params", "active_params", "attention_layers", "weight_bytes",
                  "kv_bytes_per_token", "decode_flops_per_token", "at_context"});
    os << CsvRow({v.path, std::to_string(f.params), std::to_string(f.active_params),
                  std::to_string(f.attention_layers), CsvNumber(v.weight_bytes),
                  CsvNumber(v.kv_bytes_per_token), std::to_string(v.decode_at_prompt.flops()),
                  std::to_string(v.prompt)});
    return;
  }
  const bool md = format == Format::kMarkdown;
  os << (md ? "**" : "") << "Model: " << v.path << (md ? "**" : "") << "  (" << f.format << ", "
     << f.attention_layers << " attention layers)\n\n";
  os << FactsLine(f) << "\n";
  os << fmt::format("Weights at {}: {}\n", v.quant.Name(), GB(v.weight_bytes));
  os << fmt::format("KV cache: {} per token at {}\n", HumanBytes(v.kv_bytes_per_token),
                    v.quant.kv_bits >= 16 ? "fp16" : fmt::format("int{}", v.quant.kv_bits));
  os << fmt::format("Decode FLOPs per token at context {}: {} ({} MACs)\n", v.prompt,
                    WithCommas(v.decode_at_prompt.flops()), WithCommas(v.decode_at_prompt.macs));
  os << "Convention: " << kConvention << "\n";
  if (!md) os << "Give --chip ID for time to first token, tokens/s and the memory check.\n";
}

void WriteLlmEstimates(std::ostream& os, const std::string& path,
                       const std::vector<LlmEstimate>& es, Format format) {
  if (es.empty()) return;
  switch (format) {
    case Format::kJson: {
      Json arr = Json::array();
      for (const auto& e : es) arr.push_back(EstimateJson(e));
      Json j{{"schema_version", kLlmSchemaVersion},
             {"model", path},
             {"decoder", FactsJson(es.front().facts)},
             {"convention", kConvention},
             {"estimates", arr}};
      os << JsonText(j) << "\n";
      return;
    }
    case Format::kCsv:
      os << CsvRow(CsvHeader());
      for (const auto& e : es) os << CsvRow(CsvCells(e));
      return;
    case Format::kMarkdown: {
      os << "**Model:** " << MarkdownCell(path) << " — "
         << MarkdownCell(FactsLine(es.front().facts)) << "\n\n";
      os << MarkdownRow(
          {"chip", "runtime", "weights", "TTFT", "decode tok/s", "range", "memory", "fits"});
      os << MarkdownRule("lllrrrrl");
      for (const auto& e : es) {
        os << MarkdownRow(
            {MarkdownCell(e.chip_id), MarkdownCell(e.runtime), MarkdownCell(e.quant.Name()),
             Ms(e.ttft_ms.value), Rate(e.decode_tokens_per_s.value),
             Rate(e.decode_tokens_per_s.low) + " - " + Rate(e.decode_tokens_per_s.high),
             GB(e.memory.total_bytes),
             e.memory.capacity_bytes ? (e.memory.fits ? "yes" : "**no**") : "unknown"});
      }
      os << "\n" << kConvention << "\n";
      return;
    }
    case Format::kTable:
      os << "Model: " << path << "  (" << es.front().facts.format << ", "
         << es.front().facts.attention_layers << " attention layers)\n";
      os << FactsLine(es.front().facts) << "\n";
      for (const auto& e : es) {
        os << "\n";
        TableEstimate(os, e);
      }
      os << "\nConvention: " << kConvention << "\n";
      return;
  }
}

void WriteLlmCalibration(std::ostream& os, const LlmCalibrationResult& r, Format format) {
  const bool md = format == Format::kMarkdown;
  if (format == Format::kJson || format == Format::kCsv) {
    os << CsvRow({"family", "row", "chip", "model", "quant", "metric", "measured", "predicted",
                  "in_sample_ratio", "loo_ratio"});
    for (const auto& f : r.families) {
      for (const auto& row : f.rows) {
        os << CsvRow({f.id, row.row->id, row.row->chip, row.row->model, row.row->quant,
                      std::string(LlmMetricName(row.row->metric)), CsvNumber(row.row->value),
                      CsvNumber(row.predicted), CsvNumber(row.in_sample_ratio),
                      CsvNumber(row.loo_ratio)});
      }
    }
    return;
  }
  int n = 0, dec = 0, dec_ok = 0, ttft = 0, ttft_ok = 0;
  for (const auto& f : r.families) {
    const LlmFamily& x = f.figures;
    os << (md ? "\n**" : "\n") << f.id << (md ? "**" : "")
       << fmt::format(
              ": decode {:.3f} of bandwidth, prefill {:.3f} of peak, {:.1f} us/layer, "
              "{:.2f} ms/step ({} rows)\n\n",
              *x.decode_bandwidth_efficiency, *x.prefill_efficiency, *x.layer_overhead_us,
              *x.token_overhead_ms, x.rows);
    if (md) {
      os << MarkdownRow({"row", "chip", "model", "quant", "metric", "measured", "predicted",
                         "left out", "ratio"});
      os << MarkdownRule("lllllrrrr");
    }
    for (const auto& row : f.rows) {
      const auto* m = row.row;
      const bool is_dec = m->metric == LlmMetric::kDecodeTokensPerS;
      const double loo = row.loo_ratio;
      const double fac = std::max(loo, 1 / loo);
      ++n;
      if (is_dec) {
        ++dec;
        dec_ok += fac <= 1.5;
      } else {
        ++ttft;
        ttft_ok += fac <= 2;
      }
      std::vector<std::string> cells = {m->id,
                                        m->chip,
                                        m->model.substr(m->model.rfind('/') + 1),
                                        m->quant,
                                        std::string(LlmMetricName(m->metric)),
                                        fmt::format("{:.4g}", m->value),
                                        fmt::format("{:.4g}", row.predicted),
                                        fmt::format("{:.4g}", m->value * row.loo_ratio),
                                        fmt::format("{:.2f}", row.loo_ratio)};
      if (md) {
        os << MarkdownTextRow(cells);
      } else {
        os << fmt::format("  {:<28} {:<8} {:<22} {:<11} {:<20} {:>9} {:>9} {:>9} {:>6}\n", cells[0],
                          cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7],
                          cells[8]);
      }
    }
  }
  os << fmt::format(
      "\nLeave-one-out over {} rows: decode tokens/s within a factor 1.5 for {} of {} ({:.0f}%), "
      "time to first token within a factor 2 for {} of {} ({:.0f}%)\n",
      n, dec_ok, dec, dec ? 100.0 * dec_ok / dec : 0, ttft_ok, ttft,
      ttft ? 100.0 * ttft_ok / ttft : 0);
}

void WriteLlmRank(std::ostream& os, const std::string& path, const LlmRank& r, Format format) {
  if (format == Format::kJson) {
    Json rows = Json::array();
    for (const auto& row : r.rows) {
      Json e = EstimateJson(row.estimate);
      e["meets"] = row.meets;
      e["fast_enough"] = row.fast_enough;
      rows.push_back(e);
    }
    Json ex = Json::array();
    for (const auto& [id, why] : r.excluded) ex.push_back({{"chip", id}, {"reason", why}});
    os << JsonText(Json{{"schema_version", kLlmSchemaVersion},
                        {"model", path},
                        {"target_tokens_per_s", r.target_tokens_per_s},
                        {"context", r.context},
                        {"rows", rows},
                        {"excluded", ex}})
       << "\n";
    return;
  }
  if (format == Format::kCsv) {
    auto header = CsvHeader();
    header.insert(header.begin(), "meets");
    os << CsvRow(header);
    for (const auto& row : r.rows) {
      auto cells = CsvCells(row.estimate);
      cells.insert(cells.begin(), CsvBool(row.meets));
      os << CsvRow(cells);
    }
    return;
  }
  const bool md = format == Format::kMarkdown;
  os << fmt::format("{} at {} tok/s with a {}-token context\n\n", path, r.target_tokens_per_s,
                    r.context);
  if (md) {
    os << MarkdownRow({"", "chip", "runtime", "tok/s at context", "range", "memory", "fits"});
    os << MarkdownRule("lllrrrl");
  } else {
    os << fmt::format("  {:<28} {:<10} {:>10} {:>15} {:>10}  {}\n", "chip", "runtime", "tok/s",
                      "range", "memory", "verdict");
  }
  for (const auto& row : r.rows) {
    const LlmEstimate& e = row.estimate;
    const DecodePoint& p = e.curve.back();
    std::string verdict = "meets";
    if (!row.meets) {
      verdict = !row.fast_enough ? "too slow" : "";
      if (!e.memory.capacity_bytes) {
        verdict += verdict.empty() ? "memory size unknown" : ", memory size unknown";
      } else if (!e.memory.fits) {
        verdict += verdict.empty() ? "does not fit" : ", does not fit";
      }
    }
    const std::string range = Rate(p.tokens_per_s.low) + "-" + Rate(p.tokens_per_s.high);
    const std::string id = e.chip_id + (e.calibration_fallback ? "*" : "");
    if (md) {
      os << MarkdownRow({row.meets ? "✓" : "", MarkdownCell(id), MarkdownCell(e.runtime),
                         Rate(p.tokens_per_s.value), range, GB(e.memory.total_bytes), verdict});
    } else {
      os << fmt::format("  {:<28} {:<10} {:>10} {:>15} {:>10}  {}\n", id, e.runtime,
                        Rate(p.tokens_per_s.value), range, GB(e.memory.total_bytes), verdict);
    }
  }
  os << "\n* no calibrated LLM family for the chip and runtime: generic figures, range a factor "
        "2\n";
  for (const auto& [id, why] : r.excluded) os << "Excluded " << id << ": " << why << "\n";
}

}  // namespace tops
