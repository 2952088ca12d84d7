// Prefill, time to first token, decode tokens/s as a function of context, end-to-end time and
// memory fit of a decoder on a chip (formulas in docs/llm.md):
//   decode step at context n: max(bytes / (BW * e_bw), flops / (peak * e_pf)) + L * o_layer + o_tok
//     bytes = weights one token reads + KV cache of n tokens for every sequence
//   prefill chunk: max(flops / (peak * e_pf), weights / (BW * e_bw)) + L * o_layer + o_tok
// with e_bw, e_pf, o_layer, o_tok from the chip family's calibration under the runtime.
#include "tops/llm.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "fmt/format.h"
#include "tops/error.h"

namespace tops {
namespace {

constexpr double kFallbackBand = 2.0;  // a factor 2 either way without calibration

// FLOPs of a forward over `seq` new tokens at any past length, from profiles at past 0 and 1:
// attention nodes grow linearly in the keys they attend (capped by their window); every other
// node does not depend on the past.
// Profiles of one model by (new tokens, cached tokens): rank and the calibration estimate the
// same model on many chips, whose phases differ only in their chunk sizes.
using ProfileCache = std::map<std::pair<int64_t, int64_t>, ForwardCost>;

const ForwardCost& Profiled(ProfileCache& cache, const Model& m, const DecoderFacts& f, int64_t seq,
                            int64_t past) {
  auto it = cache.find({seq, past});
  if (it == cache.end())
    it = cache.emplace(std::make_pair(seq, past), ProfileForward(m, f, 1, seq, past)).first;
  return it->second;
}

class ForwardModel {
 public:
  ForwardModel(const Model& m, const DecoderFacts& f, int64_t seq, ProfileCache& cache)
      : model_(m), facts_(f), seq_(seq), cache_(cache), at0_(Profiled(cache, m, f, seq, 0)) {}

  double Flops(int64_t past) const {
    double total = 0;
    if (past == 0) {  // the profile at past 0 is the answer; the slope is not needed
      for (int64_t v : at0_.node_flops) total += static_cast<double>(v);
      return total;
    }
    const ForwardCost& at1 = At1();
    const size_t n = std::min(at0_.node_flops.size(), at1.node_flops.size());
    for (size_t i = 0; i < n; ++i) {
      const double f0 = static_cast<double>(at0_.node_flops[i]);
      const double d = static_cast<double>(at1.node_flops[i]) - f0;
      const int64_t w = i < at0_.node_window.size() ? at0_.node_window[i] : 0;
      total += f0 + d * static_cast<double>(Attended(past, w) - Attended(0, w));
    }
    return total;
  }
  const ForwardCost& base() const { return at0_; }

 private:
  // Profiled on first use: a single-chunk prefill never needs it.
  const ForwardCost& At1() const {
    if (!at1_) at1_ = &Profiled(cache_, model_, facts_, seq_, 1);
    return **at1_;
  }
  int64_t Attended(int64_t past, int64_t window) const {
    const int64_t t = past + seq_;
    return window > 0 ? std::min(t, window) : t;
  }
  const Model& model_;
  const DecoderFacts& facts_;
  int64_t seq_;
  ProfileCache& cache_;
  const ForwardCost& at0_;  // std::map nodes never move
  mutable std::optional<const ForwardCost*> at1_;
};

double PeakFor(const Chip& chip, const LlmRuntime* runtime, int act_bits,
               std::vector<std::string>& caveats) {
  auto pick = [&](Precision p) -> double {
    auto it = chip.peaks.find(p);
    if (it == chip.peaks.end()) return 0;
    const Peak& peak = it->second;
    // A GPU runtime runs on the GPU alone (not the DLAs the whole-module figure adds).
    if (runtime && runtime->unit == "gpu" && peak.single_inference.known()) {
      return *peak.single_inference;
    }
    return peak.dense.known() ? *peak.dense : 0;
  };
  if (act_bits <= 8) return pick(Precision::kInt8);
  double fp16 = pick(Precision::kFp16);
  if (fp16 == 0) fp16 = pick(Precision::kBf16);
  if (fp16 > 0) return fp16;
  const double int8 = pick(Precision::kInt8);
  if (int8 > 0) {
    caveats.push_back(fmt::format(
        "{}: no FP16 peak in the catalog; prefill uses the INT8 peak / 2 (approximate)", chip.id));
  }
  return int8 / 2;
}

LlmFamily Fallback(const Chip& chip, const std::string& runtime) {
  LlmFamily f;
  f.id = chip.family + "/" + runtime;
  f.chip_family = chip.family;
  f.runtime = runtime;
  f.decode_bandwidth_efficiency.value = 0.6;
  f.prefill_efficiency.value = 0.25;
  f.layer_overhead_us.value = 0;
  f.token_overhead_ms.value = 0;
  for (PredictionBand* b : {&f.decode_band, &f.ttft_band}) {
    b->low = 1 / kFallbackBand;
    b->high = kFallbackBand;
    b->scope = "no calibration: a factor 2 either way";
  }
  f.basis = "generic stand-in: no calibrated family for this chip and runtime";
  return f;
}

// A prediction and its likely range: the band holds measured / predicted of the same quantity.
Range Within(double v, const PredictionBand& b) { return Range{v, v * b.low, v * b.high}; }
// A time whose rate carries the band (measured / predicted time = predicted / measured rate).
PredictionBand TimeBand(const PredictionBand& rate) {
  PredictionBand b = rate;
  b.low = 1 / rate.high;
  b.high = 1 / rate.low;
  return b;
}

}  // namespace

std::string_view LlmBoundName(LlmBound b) {
  switch (b) {
    case LlmBound::kBandwidth:
      return "bandwidth";
    case LlmBound::kCompute:
      return "compute";
    case LlmBound::kOverhead:
      return "overhead";
  }
  return "?";
}

namespace {

LlmEstimate Estimate(const Model& model, const DecoderFacts& facts, const Chip& chip,
                     const Catalog& catalog, const LlmOptions& o, ProfileCache& cache) {
  if (o.prompt < 1 || o.prompt > (int64_t{1} << 24)) {
    throw Error("prompt length must be in [1, 16777216]");
  }
  if (o.generate < 0 || o.generate > (int64_t{1} << 24)) {
    throw Error("generated tokens must be in [0, 16777216]");
  }
  if (o.batch < 1 || o.batch > 4096) throw Error("batch must be in [1, 4096]");
  if (o.memory_gb && !(*o.memory_gb > 0 && *o.memory_gb <= 1e6)) {
    throw Error("memory must be in (0, 1000000] GB");
  }
  LlmEstimate e;
  e.chip_id = chip.id;
  e.chip_name = chip.name;
  e.quant = o.quant;
  e.options = o;
  e.facts = facts;
  const int64_t context = o.context.value_or(o.prompt + o.generate);
  if (context < o.prompt) throw Error("context must be at least the prompt length");
  if (facts.max_positions > 0 && context > facts.max_positions) {
    e.caveats.push_back(fmt::format("the context ({}) is longer than the model supports ({})",
                                    context, facts.max_positions));
  }

  // Runtime: the one asked for, else the first that lists the chip.
  const LlmRuntime* runtime = nullptr;
  if (!o.runtime.empty()) {
    auto it = catalog.llm_runtimes().find(o.runtime);
    if (it == catalog.llm_runtimes().end()) {
      std::string list;
      for (const auto& [id, r] : catalog.llm_runtimes()) list += (list.empty() ? "" : ", ") + id;
      throw Error("unknown LLM runtime '" + o.runtime + "' (known: " + list + ")");
    }
    runtime = &it->second;
    if (std::find(runtime->chips.begin(), runtime->chips.end(), chip.id) == runtime->chips.end()) {
      e.caveats.push_back(fmt::format("runtime {} does not list chip {}", runtime->id, chip.id));
    }
  } else if (auto rs = catalog.LlmRuntimesFor(chip); !rs.empty()) {
    runtime = rs.front();
  }
  e.runtime = runtime ? runtime->id : "generic";
  if (runtime && o.quant.format != WeightFormat::kFile) {
    const auto& fm = runtime->formats;
    const std::string name = o.quant.Name();
    std::string base = name.substr(0, name.find("_g"));
    e.format_supported = std::find(fm.begin(), fm.end(), name) != fm.end() ||
                         std::find(fm.begin(), fm.end(), base) != fm.end();
    if (!e.format_supported) {
      e.caveats.push_back(fmt::format("{} does not list weight format {} (it lists: {})",
                                      runtime->name, name, fmt::join(fm, ", ")));
    }
  }
  if (const LlmFamily* fam = catalog.FindLlmFamily(chip.family, e.runtime)) {
    e.calibration = *fam;
  } else {
    e.calibration = Fallback(chip, e.runtime);
    e.calibration_fallback = true;
    e.caveats.push_back(
        fmt::format("no calibrated LLM family for {} under {}: generic efficiencies (decode 60% of "
                    "bandwidth, prefill 25% of peak), range a factor 2",
                    chip.family, e.runtime));
  }
  // The chip's own share of the family's bandwidth efficiency, when the family solved one.
  if (auto it = e.calibration.chip_bandwidth_share.find(chip.id);
      it != e.calibration.chip_bandwidth_share.end()) {
    Figure& eff = e.calibration.decode_bandwidth_efficiency;
    eff.value = std::min(1.0, *eff.value * it->second);
    eff.how +=
        fmt::format("; x {:.3g}, {}'s own share (solved with the family)", it->second, chip.id);
  }
  const LlmFamily& cal = e.calibration;
  const double e_bw = *cal.decode_bandwidth_efficiency, e_pf = *cal.prefill_efficiency;
  const double overhead_s =
      static_cast<double>(facts.attention_layers) * *cal.layer_overhead_us * 1e-6 +
      *cal.token_overhead_ms * 1e-3;

  e.bandwidth_gbs = chip.memory_bandwidth_gbs.known() ? *chip.memory_bandwidth_gbs : 0;
  if (e.bandwidth_gbs <= 0) e.missing.push_back(chip.id + ": memory bandwidth");
  e.peak_tops = PeakFor(chip, runtime, o.quant.ActivationBits(), e.caveats);
  if (e.peak_tops <= 0) {
    e.caveats.push_back(chip.id +
                        ": no compute peak at this precision; prefill is timed from "
                        "its memory traffic only (optimistic)");
  }
  if (o.batch > 1 && facts.active_params < facts.params) {
    e.caveats.push_back(
        "batched decode of a mixture of experts reads more experts than one "
        "token does; the weights each step reads are a lower bound");
  }
  const double bw = e.bandwidth_gbs * 1e9, peak = e.peak_tops * 1e12;
  auto step = [&](double flops, double bytes, LlmBound* bound) {
    const double mem = bw > 0 ? bytes / (bw * e_bw) : 0;
    const double comp = peak > 0 ? flops / (peak * e_pf) : 0;
    if (bound) {
      *bound = comp > mem ? LlmBound::kCompute : LlmBound::kBandwidth;
      if (overhead_s > std::max(mem, comp)) *bound = LlmBound::kOverhead;
    }
    return std::max(mem, comp) + overhead_s;
  };

  // Prefill in chunks: every chunk reads all weights once.
  const int64_t chunk = std::clamp<int64_t>(
      o.prefill_chunk.value_or(runtime && runtime->prefill_chunk.known()
                                   ? static_cast<int64_t>(*runtime->prefill_chunk)
                                   : o.prompt),
      1, o.prompt);
  e.prefill_chunk = chunk;
  e.prefill_chunks = (o.prompt + chunk - 1) / chunk;
  const double all_weights = WeightBytes(facts, o.quant);
  ForwardModel full(model, facts, chunk, cache);
  for (const auto& op : full.base().unsupported) {
    e.caveats.push_back("op " + op + " has no cost formula: its FLOPs are not counted");
  }
  const int64_t last = o.prompt - (e.prefill_chunks - 1) * chunk;
  std::optional<ForwardModel> tail;
  if (last != chunk) tail.emplace(model, facts, last, cache);
  // A runtime of fixed-shape graphs (a static KV cache) attends over and reads the whole cache it
  // was built for, `context` positions, at every pass, and pads a short last chunk.
  const bool static_kv = runtime && runtime->static_kv;
  if (static_kv) {
    e.caveats.push_back(fmt::format(
        "{} runs fixed-shape graphs: every prefill chunk and decode step reads the KV cache of the "
        "whole context ({} tokens), however few are filled",
        runtime->name, context));
  }
  double ttft = 0;
  for (int64_t j = 0; j < e.prefill_chunks; ++j) {
    const bool is_tail = !static_kv && j == e.prefill_chunks - 1 && tail;
    const int64_t past = static_kv ? context - chunk : j * chunk;
    const double flops =
        static_cast<double>(o.batch) * (is_tail ? tail->Flops(past) : full.Flops(past));
    const double bytes = all_weights + o.batch * KvBytes(facts, o.quant, past);
    e.prefill_flops += flops;
    e.prefill_phases.push_back({flops, bytes});
    ttft += step(flops, bytes, j == 0 ? &e.prefill_bound : nullptr);
  }
  e.ttft_ms = Within(ttft * 1e3, cal.ttft_band);
  e.prefill_tokens_per_s = ttft > 0 ? static_cast<double>(o.prompt * o.batch) / ttft : 0;

  // Decode: one token at context n reads the active weights and n cached tokens per sequence.
  ForwardModel one(model, facts, 1, cache);
  const double active = ActiveWeightBytes(facts, o.quant);
  auto decode = [&](int64_t n, DecodePoint* p) {
    const double flops = static_cast<double>(o.batch) * one.Flops(n);
    const double bytes = active + o.batch * KvBytes(facts, o.quant, n + 1);
    LlmBound bound;
    const double t = step(flops, bytes, &bound);
    if (p) {
      p->context = n;
      p->step_ms = t * 1e3;
      p->bytes_per_step = bytes;
      p->flops_per_token = flops / static_cast<double>(o.batch);
      p->bound = bound;
      p->tokens_per_s = Within(1.0 / t, cal.decode_band);
    }
    return t;
  };
  // Mean over the generated tokens n = prompt .. prompt + generate - 1: the step time is affine
  // in n between sliding-window caps, so each piece sums exactly from its two ends.
  if (o.generate > 0 && static_kv) {
    const double total = static_cast<double>(o.generate) * decode(context - 1, nullptr);
    e.decode_ms_total = total * 1e3;
    e.decode_tokens_per_s = Within(static_cast<double>(o.generate) / total, cal.decode_band);
    e.batch_tokens_per_s = e.decode_tokens_per_s.value * static_cast<double>(o.batch);
  } else if (o.generate > 0) {
    const int64_t first = o.prompt, last_n = o.prompt + o.generate - 1;
    std::vector<int64_t> starts = {first};
    for (const auto& kv : facts.kv) {
      if (kv.window > first && kv.window <= last_n) starts.push_back(kv.window);
    }
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    double total = 0;
    for (size_t i = 0; i < starts.size(); ++i) {
      const int64_t a = starts[i], b = i + 1 < starts.size() ? starts[i + 1] - 1 : last_n;
      total += 0.5 * (decode(a, nullptr) + decode(b, nullptr)) * static_cast<double>(b - a + 1);
    }
    e.decode_ms_total = total * 1e3;
    e.decode_tokens_per_s = Within(static_cast<double>(o.generate) / total, cal.decode_band);
    e.batch_tokens_per_s = e.decode_tokens_per_s.value * static_cast<double>(o.batch);
  }
  // The first generated token comes from the prefill; the remaining ones are decode steps.
  const double gen_ms =
      o.generate > 1 ? e.decode_ms_total * static_cast<double>(o.generate - 1) / o.generate : 0;
  // End to end: the wider of the two time bands.
  const PredictionBand gen_band = TimeBand(cal.decode_band);
  PredictionBand e2e = cal.ttft_band;
  e2e.low = std::min(e2e.low, gen_band.low);
  e2e.high = std::max(e2e.high, gen_band.high);
  e.end_to_end_ms = Within(e.ttft_ms.value + gen_ms, e2e);
  // Tokens/s curve.
  std::vector<int64_t> curve = o.curve;
  if (curve.empty()) {  // doubling from 128 to at least 4096 tokens, and the context itself
    const int64_t top = std::max<int64_t>(context, 4096);
    for (int64_t n = 128; n < top; n *= 2) curve.push_back(n);
    curve.push_back(top);
    if (context < top) curve.push_back(context);
    std::sort(curve.begin(), curve.end());
    curve.erase(std::unique(curve.begin(), curve.end()), curve.end());
  }
  for (int64_t n : curve) {
    if (n < 0 || n > (int64_t{1} << 24)) throw Error("curve contexts must be in [0, 16777216]");
    DecodePoint p;
    decode(n, &p);
    e.curve.push_back(p);
  }

  // Memory: weights + KV cache at the context for every sequence + a prefill chunk's working set.
  LlmMemory& m = e.memory;
  m.weight_bytes = all_weights;
  m.kv_bytes = static_cast<double>(o.batch) * KvBytes(facts, o.quant, context);
  // The chunk's working set, less the logits of all but its last position: runtimes compute the
  // LM head for the last prompt token only (an export that outputs every position's logits does
  // not change what a deployment keeps).
  const double logits_rows = static_cast<double>(chunk - 1) * static_cast<double>(facts.vocab) *
                             std::max(1, DTypeBits(facts.weight_dtype) / 8);
  m.activation_bytes =
      std::max(0.0, static_cast<double>(full.base().peak_activation_bytes) - logits_rows) * o.batch;
  m.total_bytes = m.weight_bytes + m.kv_bytes + m.activation_bytes;
  if (o.memory_gb) {
    m.capacity_bytes = *o.memory_gb * 1e9;
    m.capacity_source = "the memory given";
    if (chip.memory_gb.known()) {
      const std::string what = chip.memory_gb.note.empty() ? "memory" : chip.memory_gb.note;
      m.capacity_source +=
          "; the catalog's " + fmt::format("{:g}", *chip.memory_gb) + " GB is the chip's " + what;
    }
  } else if (chip.memory_gb.known()) {
    m.capacity_bytes = *chip.memory_gb * 1e9;
    m.capacity_source = chip.memory_gb.note.empty() ? chip.memory_gb.source : chip.memory_gb.note;
  }
  if (m.capacity_bytes) {
    m.fits = m.total_bytes <= *m.capacity_bytes;
    const double room = *m.capacity_bytes - m.weight_bytes - m.activation_bytes;
    if (room > 0) {
      int64_t lo = 0, hi = int64_t{1} << 26;
      while (lo < hi) {
        const int64_t mid = lo + (hi - lo + 1) / 2;
        if (o.batch * KvBytes(facts, o.quant, mid) <= room) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      m.max_context = lo;
      if (facts.max_positions > 0 && lo > facts.max_positions) {
        m.max_context = facts.max_positions;
        m.context_limited_by_model = true;
      }
    } else {
      m.max_context = 0;
    }
  } else {
    e.missing.push_back(chip.id + ": memory size");
  }
  e.caveats.push_back("memory excludes the runtime's own buffers and the operating system");
  for (const std::string& note : model.notes) e.caveats.push_back(note);
  e.available = e.bandwidth_gbs > 0;
  return e;
}

}  // namespace

LlmEstimate EstimateLlm(const Model& model, const DecoderFacts& facts, const Chip& chip,
                        const Catalog& catalog, const LlmOptions& options) {
  ProfileCache cache;
  return Estimate(model, facts, chip, catalog, options, cache);
}

LlmRank RankLlm(const Model& model, const DecoderFacts& facts, const Catalog& catalog,
                const LlmOptions& options, double target) {
  ProfileCache cache;
  if (!(target > 0)) throw Error("target tokens/s must be positive");
  LlmRank r;
  r.path = model.path;
  r.target_tokens_per_s = target;
  r.context = options.context.value_or(options.prompt + options.generate);
  LlmOptions o = options;
  o.runtime.clear();  // each chip with its own runtime
  o.curve = {r.context};
  for (const Chip& chip : catalog.chips()) {
    if (!chip.memory_bandwidth_gbs.known()) {
      r.excluded.push_back({chip.id, "memory bandwidth unknown"});
      continue;
    }
    LlmRankRow row;
    row.chip = &chip;
    row.estimate = Estimate(model, facts, chip, catalog, o, cache);
    const DecodePoint& at = row.estimate.curve.back();
    row.fast_enough = at.tokens_per_s.value >= target;
    row.meets = row.fast_enough && row.estimate.memory.fits;
    r.rows.push_back(std::move(row));
  }
  std::stable_sort(r.rows.begin(), r.rows.end(), [](const LlmRankRow& a, const LlmRankRow& b) {
    if (a.meets != b.meets) return a.meets;
    return a.estimate.curve.back().tokens_per_s.value > b.estimate.curve.back().tokens_per_s.value;
  });
  return r;
}

LlmOptions LlmRankOptions(int64_t context, int64_t prompt) {
  if (context < 2) throw Error("--context must be at least 2");
  LlmOptions o;
  o.context = context;
  o.prompt = prompt > 0 ? std::min(prompt, context - 1) : context / 2;
  o.generate = context - o.prompt;
  return o;
}

}  // namespace tops
