// What `tops llm`, `tops rank --tokens-per-s` and `tops llm-calibrate` print of the language-model
// results, as rows with typed columns: the estimate's phases, the tokens/s curve and the memory
// check; the terminal and Markdown add the conventions. Nothing is computed here: every figure
// comes from LlmEstimate, LlmRank or the calibration result.
#include "report/layouts.h"

namespace tops::report {
namespace {

constexpr const char* kConvention =
    "FLOPs per token = 2 x MACs + other ops of one forward (attention over every cached key, no "
    "causal discount); bytes per step = weights one token reads at the weight format + KV cache "
    "of every sequence; times are calibrated estimates with a leave-one-out range";

std::string Ms(double ms) { return Number(ms, Style::Duration()); }
std::string Rate(double v) { return Number(v, Style::Rate()); }
std::string GB(double bytes) { return Number(bytes / 1e9, Style::Fixed(2, " GB")); }
std::string Commas(int64_t v) { return Int(v, Style::Commas()); }
std::string KvName(const QuantScheme& q) {
  return q.kv_bits >= 16 ? "fp16" : "int" + Int(q.kv_bits, Style::Plain());
}

// ---- JSON members ----------------------------------------------------------------------------

const Column<Range> kRangeColumns[] = {
    {{.key = "value", .unit = Unit::kNumber}, [](const Range& r) { return Cell::Real(r.value); }},
    {{.key = "low", .unit = Unit::kNumber}, [](const Range& r) { return Cell::Real(r.low); }},
    {{.key = "high", .unit = Unit::kNumber}, [](const Range& r) { return Cell::Real(r.high); }},
};

// {"value", "low", "high"}
Cell RangeCell(const Range& r) {
  return Cell::Nested(std::make_shared<Rows<Range>>(kRangeColumns, std::vector<Range>{r},
                                                    Layout{.formats = kJson, .json_object = true}));
}

void RangeField(Sink& s, std::string_view key, const Range& r) { s.Field(key, RangeCell(r)); }

const Column<const DecoderLayerKv*> kKvColumns[] = {
    {{.key = "elements_per_token", .unit = Unit::kCount},
     [](auto& l) { return Cell::Int(l->elems_per_token); }},
    {{.key = "head_dim", .unit = Unit::kCount}, [](auto& l) { return Cell::Int(l->head_dim); }},
    {{.key = "window", .unit = Unit::kCount}, [](auto& l) { return Cell::Int(l->window); }},
};

void FactsFields(Sink& s, const DecoderFacts& f) {
  s.Open("decoder");
  s.Field("format", Cell::Text(f.format));
  s.Field("attention_layers", Cell::Int(f.attention_layers));
  s.Field("params", Cell::Int(f.params));
  s.Field("active_params", Cell::Int(f.active_params));
  s.Field("embedding_params", Cell::Int(f.embedding_params));
  s.Field("lm_head_tied", Cell::Bool(f.lm_head_tied));
  s.Field("matrix_params", Cell::Int(f.matrix_params));
  s.Field("vocab", Cell::Int(f.vocab));
  s.Field("hidden", Cell::Int(f.hidden));
  s.Field("max_positions", f.max_positions ? Cell::Int(f.max_positions) : Cell::Absent());
  s.Field("file_weight_bytes", Cell::Int(f.file_weight_bytes));
  s.Field("file_is_quantized", Cell::Bool(f.file_is_quantized));
  std::vector<const DecoderLayerKv*> kv;
  for (const DecoderLayerKv& l : f.kv) kv.push_back(&l);
  s.Rows<const DecoderLayerKv*>(kKvColumns, std::move(kv), {.key = "kv_cache", .formats = kJson});
  s.Close();
}

// The tokens/s curve: a table for people, an array of points in JSON.
const Column<const DecodePoint*> kCurveColumns[] = {
    {{.key = "context",
      .title = "context",
      .unit = Unit::kCount,
      .style = Style::Plain(),
      .width = 9,
      .right = true},
     [](auto& p) { return Cell::Int(p->context); }},
    {{.key = "tokens_per_s", .formats = kJson}, [](auto& p) { return RangeCell(p->tokens_per_s); }},
    {{.key = "tok/s",
      .title = "tok/s",
      .unit = Unit::kNumber,
      .formats = kTerminal,
      .style = Style::Rate(),
      .width = 10,
      .right = true},
     [](auto& p) { return Cell::Real(p->tokens_per_s.value); }},
    {{.key = "step_ms",
      .title = "step",
      .unit = Unit::kMs,
      .style = Style::Duration(),
      .width = 10,
      .right = true},
     [](auto& p) { return Cell::Real(p->step_ms); }},
    {{.key = "bytes_per_step",
      .title = "bytes/step",
      .unit = Unit::kBytes,
      .width = 12,
      .right = true},
     [](auto& p) { return Cell::Real(p->bytes_per_step); }},
    {{.key = "flops_per_token",
      .title = "FLOPs/token",
      .unit = Unit::kCount,
      .style = Style::Si(),
      .width = 14,
      .right = true},
     [](auto& p) { return Cell::Real(p->flops_per_token); }},
    {{.key = "bound", .title = "bound", .width = 0, .gap = 2},
     [](auto& p) { return Cell::Text(LlmBoundName(p->bound)); }},
};

std::shared_ptr<const Table> Curve(const LlmEstimate& e, Formats formats) {
  std::vector<const DecodePoint*> rows;
  for (const DecodePoint& p : e.curve) rows.push_back(&p);
  return std::make_shared<Rows<const DecodePoint*>>(
      kCurveColumns, std::move(rows), Layout{.key = "curve", .formats = formats, .indent = "  "});
}

void MemoryFields(Sink& s, const LlmMemory& m) {
  s.Open("memory");
  s.Field("weight_bytes", Cell::Real(m.weight_bytes));
  s.Field("kv_bytes", Cell::Real(m.kv_bytes));
  s.Field("activation_bytes", Cell::Real(m.activation_bytes));
  s.Field("total_bytes", Cell::Real(m.total_bytes));
  s.Field("capacity_bytes", Cell::Real(m.capacity_bytes));
  s.Field("capacity_source", m.capacity_bytes ? Cell::Text(m.capacity_source) : Cell::Absent());
  s.Field("fits", m.capacity_bytes ? Cell::Bool(m.fits) : Cell::Absent());
  s.Field("max_context", Cell::Int(m.max_context));
  s.Field("max_context_is_model_limit", Cell::Bool(m.context_limited_by_model));
  s.Close();
}

// The members of one estimate (an element of "estimates", or of a rank's "rows").
void EstimateFields(Sink& s, const LlmEstimate& e) {
  const LlmFamily& c = e.calibration;
  s.Field("chip", Cell::Text(e.chip_id));
  s.Field("chip_name", Cell::Text(e.chip_name));
  s.Field("runtime", Cell::Text(e.runtime));
  s.Field("quant", Cell::Own(e.quant.Name()));
  s.Field("kv_bits", Cell::Int(e.quant.kv_bits));
  s.Field("format_supported", Cell::Bool(e.format_supported));
  s.Field("prompt", Cell::Int(e.options.prompt));
  s.Field("generate", Cell::Int(e.options.generate));
  s.Field("batch", Cell::Int(e.options.batch));
  s.Field("prefill_chunk", Cell::Int(e.prefill_chunk));
  s.Field("peak_tops", Cell::Real(e.peak_tops));
  s.Field("bandwidth_gbs", Cell::Real(e.bandwidth_gbs));
  s.Open("calibration");
  s.Field("id", Cell::Text(c.id));
  s.Field("fallback", Cell::Bool(e.calibration_fallback));
  s.Field("decode_bandwidth_efficiency",
          Cell::Real(c.decode_bandwidth_efficiency.value.value_or(0)));
  s.Field("prefill_efficiency", Cell::Real(c.prefill_efficiency.value.value_or(0)));
  s.Field("layer_overhead_us", Cell::Real(c.layer_overhead_us.value.value_or(0)));
  s.Field("token_overhead_ms", Cell::Real(c.token_overhead_ms.value.value_or(0)));
  s.Field("rows", Cell::Int(c.rows));
  s.Close();
  s.Field("prefill_flops", Cell::Real(e.prefill_flops));
  RangeField(s, "ttft_ms", e.ttft_ms);
  s.Field("prefill_tokens_per_s", Cell::Real(e.prefill_tokens_per_s));
  s.Field("prefill_bound", Cell::Text(LlmBoundName(e.prefill_bound)));
  RangeField(s, "decode_tokens_per_s", e.decode_tokens_per_s);
  s.Field("batch_tokens_per_s", Cell::Real(e.batch_tokens_per_s));
  RangeField(s, "end_to_end_ms", e.end_to_end_ms);
  s.Table(*Curve(e, kJson));
  MemoryFields(s, e.memory);
  s.Field("available", Cell::Bool(e.available));
  s.Field("missing", Cell::List(e.missing));
  s.Field("caveats", Cell::List(e.caveats));
}

// ---- one row per estimate: CSV, Markdown --------------------------------------------------------

using EstimateColumn = Column<EstimateRow>;

const EstimateColumn kEstimateColumns[] = {
    {{.key = "chip", .title = "chip", .formats = kAll | kHtml},
     [](const EstimateRow& r) { return Cell::Text(r.e->chip_id); }},
    {{.key = "runtime", .title = "runtime", .formats = kAll | kHtml},
     [](const EstimateRow& r) { return Cell::Text(r.e->runtime); }},
    {{.key = "quant", .title = "weights", .formats = kAll | kHtml},
     [](const EstimateRow& r) { return Cell::Own(r.e->quant.Name()); }},
    {{.key = "kv_bits", .unit = Unit::kCount, .formats = kCsv},
     [](const EstimateRow& r) { return Cell::Int(r.e->quant.kv_bits); }},
    {{.key = "prompt", .unit = Unit::kCount, .formats = kCsv},
     [](const EstimateRow& r) { return Cell::Int(r.e->options.prompt); }},
    {{.key = "generate", .unit = Unit::kCount, .formats = kCsv},
     [](const EstimateRow& r) { return Cell::Int(r.e->options.generate); }},
    {{.key = "batch", .unit = Unit::kCount, .formats = kCsv},
     [](const EstimateRow& r) { return Cell::Int(r.e->options.batch); }},
    {{.key = "ttft_ms",
      .title = "TTFT",
      .unit = Unit::kMs,
      .formats = kAll | kHtml,
      .style = Style::Duration(),
      .right = true},
     [](const EstimateRow& r) { return Cell::Real(r.e->ttft_ms.value); }},
    {{.key = "ttft_ms_low", .unit = Unit::kMs, .formats = kCsv},
     [](const EstimateRow& r) { return Cell::Real(r.e->ttft_ms.low); }},
    {{.key = "ttft_ms_high", .unit = Unit::kMs, .formats = kCsv},
     [](const EstimateRow& r) { return Cell::Real(r.e->ttft_ms.high); }},
    {{.key = "prefill_tps", .unit = Unit::kNumber, .formats = kCsv},
     [](const EstimateRow& r) { return Cell::Real(r.e->prefill_tokens_per_s); }},
    {{.key = "decode_tps",
      .title = "decode tok/s",
      .unit = Unit::kNumber,
      .formats = kAll | kHtml,
      .style = Style::Rate(),
      .right = true},
     [](const EstimateRow& r) { return Cell::Real(r.e->decode_tokens_per_s.value); }},
    {{.key = "decode_tps_low", .unit = Unit::kNumber, .formats = kCsv},
     [](const EstimateRow& r) { return Cell::Real(r.e->decode_tokens_per_s.low); }},
    {{.key = "decode_tps_high", .unit = Unit::kNumber, .formats = kCsv},
     [](const EstimateRow& r) { return Cell::Real(r.e->decode_tokens_per_s.high); }},
    {{.key = "range", .title = "range", .formats = kMarkdown | kHtml, .right = true},
     [](const EstimateRow& r) {
       return Cell::Own(Rate(r.e->decode_tokens_per_s.low) + " - " +
                        Rate(r.e->decode_tokens_per_s.high));
     }},
    {{.key = "end_to_end_ms",
      .title = "end to end",
      .unit = Unit::kMs,
      .formats = kCsv | kHtml,
      .style = Style::Duration(),
      .right = true},
     [](const EstimateRow& r) { return Cell::Real(r.e->end_to_end_ms.value); }},
    {{.key = "weight_bytes", .unit = Unit::kBytes, .formats = kCsv},
     [](const EstimateRow& r) { return Cell::Real(r.e->memory.weight_bytes); }},
    {{.key = "kv_bytes", .unit = Unit::kBytes, .formats = kCsv},
     [](const EstimateRow& r) { return Cell::Real(r.e->memory.kv_bytes); }},
    {{.key = "total_bytes",
      .title = "memory",
      .unit = Unit::kBytes,
      .formats = kCsv,
      .right = true},
     [](const EstimateRow& r) { return Cell::Real(r.e->memory.total_bytes); }},
    {{.key = "memory", .title = "memory", .formats = kMarkdown | kHtml, .right = true},
     [](const EstimateRow& r) { return Cell::Own(GB(r.e->memory.total_bytes)); }},
    {{.key = "capacity_bytes", .unit = Unit::kBytes, .formats = kCsv},
     [](const EstimateRow& r) { return Cell::Real(r.e->memory.capacity_bytes); }},
    // A chip the model does not fit is the row to notice: bold in Markdown, red in HTML.
    {{.key = "fits",
      .title = "fits",
      .unit = Unit::kBool,
      .formats = kAll | kHtml,
      .absent = "unknown"},
     [](const EstimateRow& r) {
       const LlmMemory& m = r.e->memory;
       if (!m.capacity_bytes) return Cell::Absent();
       return Cell::Bool(m.fits).Emphasis(m.fits ? Mark::kNone : Mark::kAlert);
     }},
    {{.key = "max_context", .unit = Unit::kCount, .formats = kCsv},
     [](const EstimateRow& r) { return Cell::Int(r.e->memory.max_context); }},
    {{.key = "calibration", .formats = kCsv},
     [](const EstimateRow& r) { return Cell::Text(r.e->calibration.id); }},
    {{.key = "fallback", .unit = Unit::kBool, .formats = kCsv},
     [](const EstimateRow& r) { return Cell::Bool(r.e->calibration_fallback); }},
};

// ---- terminal: one estimate --------------------------------------------------------------------

// A phase: its estimate, and the leave-one-out range where it has one.
struct Phase {
  std::string label;
  std::string estimate;
  std::string range;  // empty: none
};

const Column<Phase> kPhaseColumns[] = {
    {{.title = "Phase", .width = 50}, [](const Phase& p) { return Cell::Text(p.label); }},
    {{.title = "Estimate", .width = 14, .right = true, .gap = 0},
     [](const Phase& p) { return Cell::Text(p.estimate); }},
    {{.title = "Range (leave-one-out)", .width = 0, .gap = 3},
     [](const Phase& p) { return Cell::Text(p.range); }},
};

std::string RangeText(const Range& r, std::string (*text)(double)) {
  return text(r.low) + " - " + text(r.high);
}

std::vector<Phase> Phases(const LlmEstimate& e) {
  std::vector<Phase> rows;
  rows.push_back({"Time to first token (" + Int(e.options.prompt, Style::Plain()) +
                      " prompt tokens, " + Int(e.prefill_chunks, Style::Plain()) + " chunk" +
                      (e.prefill_chunks == 1 ? "" : "s") + ")",
                  Ms(e.ttft_ms.value), RangeText(e.ttft_ms, Ms)});
  rows.push_back({"Prefill", Rate(e.prefill_tokens_per_s) + " tok/s", ""});
  if (e.options.generate > 0) {
    rows.push_back({"Decode (mean over " + Int(e.options.generate, Style::Plain()) + " tokens)",
                    Rate(e.decode_tokens_per_s.value) + " tok/s",
                    RangeText(e.decode_tokens_per_s, Rate)});
  }
  if (e.options.batch > 1) {
    rows.push_back({"All " + Int(e.options.batch, Style::Plain()) + " sequences",
                    Rate(e.batch_tokens_per_s) + " tok/s", ""});
  }
  rows.push_back({"End to end", Ms(e.end_to_end_ms.value), RangeText(e.end_to_end_ms, Ms)});
  return rows;
}

std::string MemoryLine(const LlmMemory& m) {
  std::string s = "Memory: weights " + GB(m.weight_bytes) + " + KV cache " + GB(m.kv_bytes) +
                  " + activations " + GB(m.activation_bytes) + " = " + GB(m.total_bytes);
  if (!m.capacity_bytes) return s + " (chip memory size unknown)\n";
  s += " of " + GB(*m.capacity_bytes) + " (" + m.capacity_source +
       "): " + (m.fits ? "fits" : "DOES NOT FIT");
  if (m.max_context) {
    s += "; largest context " + Commas(*m.max_context) +
         (m.context_limited_by_model ? " (the model's maximum; memory allows more)" : "");
  }
  return s + "\n";
}

void TerminalEstimate(Sink& s, const LlmEstimate& e) {
  const LlmFamily& c = e.calibration;
  std::string head = "\nChip: " + e.chip_name + " (" + e.chip_id + "), runtime " + e.runtime +
                     ", weights " + e.quant.Name() + ", KV " + KvName(e.quant) + "\n";
  head += "Calibration: " + c.id + (e.calibration_fallback ? " [generic, uncalibrated]" : "") +
          " (decode " + Number(c.decode_bandwidth_efficiency.value.value_or(0), Style::Percent(0)) +
          " of " + Number(e.bandwidth_gbs, Style::Fixed(1)) + " GB/s, prefill " +
          Number(c.prefill_efficiency.value.value_or(0), Style::Percent(0)) + " of " +
          Number(e.peak_tops, Style::Fixed(2)) + " TOPS, " +
          Number(c.layer_overhead_us.value.value_or(0), Style::Fixed(0)) + " us/layer, " +
          Number(c.token_overhead_ms.value.value_or(0), Style::Fixed(2)) + " ms/step)\n";
  s.Say(head, "");
  s.Rows<Phase>(kPhaseColumns, Phases(e),
                {.formats = kTerminal, .indent = "  ", .gap = 0, .trim = true});
  s.Say("Tokens/s vs context:\n", "");
  s.Table(*Curve(e, kTerminal));
  std::string tail = MemoryLine(e.memory);
  for (const auto& m : e.missing) tail += "Missing: " + m + "\n";
  for (const auto& n : e.caveats) tail += "Note: " + n + "\n";
  s.Say(tail, "");
}

std::string FactsLine(const DecoderFacts& f) {
  std::string s = "Parameters: " + Commas(f.params) + " (" + Int(f.params, Style::Si()) + ")";
  if (f.active_params != f.params) {
    s += ", active per token " + Commas(f.active_params) + " (" +
         Int(f.active_params, Style::Si()) + ")";
  }
  if (f.embedding_params > 0) {
    s += "; embedding " + Commas(f.embedding_params) +
         (f.lm_head_tied ? " (tied: the LM head reads it too)" : "");
  }
  return s;
}

// "  (hf-config (qwen2), 28 attention layers)" after the model's path.
std::string ModelDetail(const DecoderFacts& f) {
  return "  (" + f.format + ", " + Int(f.attention_layers, Style::Plain()) + " attention layers)";
}

// ---- rank --------------------------------------------------------------------------------------

// The chip's decode rate at the ranked context, and the verdict in words.
const DecodePoint& AtContext(const EstimateRow& r) { return r.e->curve.back(); }

std::string Verdict(const LlmRankRow& r) {
  if (r.meets) return "meets";
  std::string v = r.fast_enough ? "" : "too slow";
  const LlmMemory& m = r.estimate.memory;
  const char* memory = !m.capacity_bytes ? "memory size unknown" : !m.fits ? "does not fit" : "";
  if (*memory) v += (v.empty() ? "" : ", ") + std::string(memory);
  return v;
}

const EstimateColumn kRankHuman[] = {
    {{.title = "", .formats = kMarkdown},
     [](const EstimateRow& r) { return Cell::Text(r.rank->meets ? "\u2713" : ""); }},
    // '*': no calibrated family for the chip and runtime (the legend says so).
    {{.title = "chip", .width = 28},
     [](const EstimateRow& r) {
       return Cell::Own(r.e->chip_id + (r.e->calibration_fallback ? "*" : ""));
     }},
    {{.title = "runtime", .width = 10},
     [](const EstimateRow& r) { return Cell::Text(r.e->runtime); }},
    {{.title = "tok/s",
      .unit = Unit::kNumber,
      .style = Style::Rate(),
      .width = 10,
      .right = true,
      .md_title = "tok/s at context"},
     [](const EstimateRow& r) { return Cell::Real(AtContext(r).tokens_per_s.value); }},
    {{.title = "range", .width = 15, .right = true},
     [](const EstimateRow& r) {
       const Range& t = AtContext(r).tokens_per_s;
       return Cell::Own(Rate(t.low) + "-" + Rate(t.high));
     }},
    {{.title = "memory", .width = 10, .right = true},
     [](const EstimateRow& r) { return Cell::Own(GB(r.e->memory.total_bytes)); }},
    {{.title = "verdict", .width = 0, .gap = 2, .md_title = "fits"},
     [](const EstimateRow& r) { return Cell::Own(Verdict(*r.rank)); }},
};

// CSV: whether the chip meets the target, then the estimate's columns.
const std::vector<EstimateColumn>& RankCsvColumns() {
  static const std::vector<EstimateColumn> columns = [] {
    std::vector<EstimateColumn> c = {
        {{.key = "meets", .unit = Unit::kBool},
         [](const EstimateRow& r) { return Cell::Bool(r.rank->meets); }}};
    c.insert(c.end(), std::begin(kEstimateColumns), std::end(kEstimateColumns));
    return c;
  }();
  return columns;
}

}  // namespace

std::span<const Column<EstimateRow>> EstimateColumns() { return kEstimateColumns; }
std::string LlmFactsLine(const DecoderFacts& f) { return FactsLine(f); }

void Lay(Sink& s, const LlmModelSummary& v) {
  const DecoderFacts& f = v.facts;
  s.Field("schema_version", Cell::Int(kSchemaVersion));
  BuildIdentity(s);
  s.Field("model", Cell::Text(v.path));
  FactsFields(s, f);
  s.Field("quant", Cell::Own(v.quant.Name()));
  s.Field("weight_bytes", Cell::Real(v.weight_bytes));
  s.Field("kv_bytes_per_token", Cell::Real(v.kv_bytes_per_token));
  s.Field("decode_macs_per_token", Cell::Int(v.decode_at_prompt.macs));
  s.Field("decode_flops_per_token", Cell::Int(v.decode_at_prompt.flops()));
  s.Field("at_context", Cell::Int(v.prompt));
  s.Field("convention", Cell::Text(kConvention));
  static const Column<const LlmModelSummary*> kColumns[] = {
      {{.key = "model"}, [](auto& m) { return Cell::Text(m->path); }},
      {{.key = "params", .unit = Unit::kCount}, [](auto& m) { return Cell::Int(m->facts.params); }},
      {{.key = "active_params", .unit = Unit::kCount},
       [](auto& m) { return Cell::Int(m->facts.active_params); }},
      {{.key = "attention_layers", .unit = Unit::kCount},
       [](auto& m) { return Cell::Int(m->facts.attention_layers); }},
      {{.key = "weight_bytes", .unit = Unit::kBytes},
       [](auto& m) { return Cell::Real(m->weight_bytes); }},
      {{.key = "kv_bytes_per_token", .unit = Unit::kBytes},
       [](auto& m) { return Cell::Real(m->kv_bytes_per_token); }},
      {{.key = "decode_flops_per_token", .unit = Unit::kCount},
       [](auto& m) { return Cell::Int(m->decode_at_prompt.flops()); }},
      {{.key = "at_context", .unit = Unit::kCount}, [](auto& m) { return Cell::Int(m->prompt); }},
  };
  s.Rows<const LlmModelSummary*>(kColumns, {&v}, {.formats = kCsv});
  if (!s.Reads()) return;
  const std::string facts =
      FactsLine(f) + "\nWeights at " + v.quant.Name() + ": " + GB(v.weight_bytes) +
      "\nKV cache: " + Number(v.kv_bytes_per_token, Style::Binary()) + " per token at " +
      KvName(v.quant) + "\nDecode FLOPs per token at context " + Int(v.prompt, Style::Plain()) +
      ": " + Commas(v.decode_at_prompt.flops()) + " (" + Commas(v.decode_at_prompt.macs) +
      " MACs)\nConvention: " + kConvention + "\n";
  const std::string detail = ModelDetail(f);
  s.Say("Model: " + v.path + detail + "\n\n" + facts +
            "Give --chip ID for time to first token, tokens/s and the memory check.\n",
        "**Model: " + v.path + "**" + detail + "\n\n" + facts);
}

void Lay(Sink& s, const LlmEstimates& r) {
  if (r.estimates.empty()) return;
  const DecoderFacts& f = r.estimates.front().facts;
  s.Field("schema_version", Cell::Int(kSchemaVersion));
  BuildIdentity(s);
  s.Field("model", Cell::Text(r.path));
  FactsFields(s, f);
  s.Field("convention", Cell::Text(kConvention));
  s.OpenList("estimates");
  for (const LlmEstimate& e : r.estimates) {
    s.Open("");
    EstimateFields(s, e);
    s.Close();
  }
  s.Close();
  std::vector<EstimateRow> rows;
  for (const LlmEstimate& e : r.estimates) rows.push_back({&e});
  if (s.Reads()) {
    s.Say("Model: " + r.path + ModelDetail(f) + "\n" + FactsLine(f) + "\n",
          "**Model:** " + MarkdownCell(r.path) + " \u2014 " + MarkdownCell(FactsLine(f)) + "\n\n");
    for (const LlmEstimate& e : r.estimates) TerminalEstimate(s, e);
  }
  s.Rows<EstimateRow>(kEstimateColumns, std::move(rows), {.formats = kMarkdown | kCsv});
  s.Say(std::string("\nConvention: ") + kConvention + "\n", std::string("\n") + kConvention + "\n");
}

void Lay(Sink& s, const LlmRank& r) {
  s.Field("schema_version", Cell::Int(kSchemaVersion));
  BuildIdentity(s);
  s.Field("model", Cell::Text(r.path));
  s.Field("target_tokens_per_s", Cell::Real(r.target_tokens_per_s));
  s.Field("context", Cell::Int(r.context));
  s.OpenList("rows");
  for (const LlmRankRow& row : r.rows) {
    s.Open("");
    EstimateFields(s, row.estimate);
    s.Field("meets", Cell::Bool(row.meets));
    s.Field("fast_enough", Cell::Bool(row.fast_enough));
    s.Close();
  }
  s.Close();
  s.OpenList("excluded");
  for (const auto& [id, why] : r.excluded) {
    s.Open("");
    s.Field("chip", Cell::Text(id));
    s.Field("reason", Cell::Text(why));
    s.Close();
  }
  s.Close();
  std::vector<EstimateRow> rows;
  for (const LlmRankRow& row : r.rows) rows.push_back({&row.estimate, &row});
  s.SayBoth(r.path + " at " + Number(r.target_tokens_per_s, Style::Shortest()) + " tok/s with a " +
            Int(r.context, Style::Plain()) + "-token context\n\n");
  s.Rows<EstimateRow>(kRankHuman, rows, {.formats = kHuman, .indent = "  "});
  s.Rows<EstimateRow>(RankCsvColumns(), std::move(rows), {.formats = kCsv});
  if (!s.Reads()) return;
  std::string tail =
      "\n* no calibrated LLM family for the chip and runtime: generic figures, range a factor 2\n";
  for (const auto& [id, why] : r.excluded) tail += "Excluded " + id + ": " + why + "\n";
  s.SayBoth(tail);
}

}  // namespace tops::report
