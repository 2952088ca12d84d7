// Language models on a chip: memory, time to first token and tokens per second of a decoder,
// from its Hugging Face config.json or a decoder ONNX export with a KV cache (both read by
// tops::ReadModel, tops/read.h: a config becomes a decoder graph).
//
// The decoder graph (any reader) is profiled at the phases a runtime executes:
//  - prefill of P prompt tokens (in chunks where the runtime has a chunk size): every weight
//    read once per chunk, compute-bound on most chips;
//  - decode of one token at context N: every weight the token uses (MoE: the experts it is routed
//    to) plus the KV cache of N tokens read from memory: bandwidth-bound, a function of N.
// Times come from a roofline with figures calibrated per chip family and runtime from published
// measurements (data/measurements/llm, solved by LlmCalibrate): a decode bandwidth efficiency,
// a prefill compute efficiency, a fixed time per layer and per step. Each prediction carries the
// range the family's leave-one-out residuals give. Nothing here prints.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tops/chip.h"
#include "tops/graph.h"
#include "tops/profile.h"

namespace tops {

// ---- Quantisation ---------------------------------------------------------------------------

enum class WeightFormat { kFile, kFp32, kFp16, kBf16, kW8A8, kW8A16, kW4A16 };

struct QuantScheme {
  WeightFormat format = WeightFormat::kFp16;
  // Weights per scale for w8/w4 formats; 0 = one scale per output channel.
  int64_t group_size = 0;
  // Zero points stored beside the scales (asymmetric, as ONNX Runtime's MatMulNBits and
  // RKLLM's w4a16 store them); their bits count in the weight bytes.
  bool zero_points = true;
  int kv_bits = 16;  // KV cache element: 16 (fp16), 8 or 4 (one fp16 scale per head per token)

  int WeightBits() const;      // bits of one stored weight, before scales
  int ActivationBits() const;  // precision the matrix products run at
  // Storage bits per weight of a [k, n] matrix including its scales and zero points.
  double BitsPerWeight(int64_t k) const;
  double KvBitsPerElement(int64_t head_dim) const;
  std::string Name() const;  // "w4a16_g128", "fp16", "w8a8"
};
// "fp16", "bf16", "fp32", "w8a8", "w8a16", "w4a16", "w4a16_g128" (group 128), "int4"
// (= w4a16); throws tops::Error listing the accepted names.
QuantScheme ParseQuantScheme(const std::string& text);
int ParseKvBits(const std::string& text);  // "fp16", "int8", "int4"

// ---- What the decoder graph holds -----------------------------------------------------------

struct DecoderLayerKv {
  int64_t elems_per_token = 0;  // key + value elements one token adds to this layer's cache
  int64_t head_dim = 0;
  int64_t window = 0;  // sliding window (0: global)
};

struct DecoderFacts {
  std::string format;  // "hf-config (qwen2)" or "onnx"
  int64_t attention_layers = 0;
  int64_t params = 0;            // learned elements (4-bit blocks count as their weights)
  int64_t active_params = 0;     // elements one decoded token reads (MoE: routed experts)
  int64_t embedding_params = 0;  // token embedding table (one row read per token)
  bool lm_head_tied = false;
  int64_t matrix_params = 0;  // elements of 2-D+ projection weights (what quantisation covers)
  int64_t vocab = 0;
  int64_t hidden = 0;
  // Longest context the model supports (config max_position_embeddings, or the rows of an
  // export's rotary cos/sin table); 0 when the file does not say.
  int64_t max_positions = 0;
  std::vector<DecoderLayerKv> kv;          // one per attention layer
  DType weight_dtype = DType::kUndefined;  // dominant float dtype of the file's weights
  int64_t file_weight_bytes = 0;           // bytes of the initializers as stored
  bool file_is_quantized = false;          // MatMulNBits / integer weights in the file
  // Symbolic dims the phases bind (names differ between exporters).
  std::string batch_dim, seq_dim, past_dim, total_dim;
  std::vector<std::string> unsupported_ops;  // ops without a cost formula, by name
};

// Throws tops::Error when the model is not a decoder with a KV cache (no past_key_values-style
// input with a symbolic past length), naming what is missing.
DecoderFacts InspectDecoder(const Model& model);

// Cost of one forward over `seq` new tokens after `past` cached ones, for `batch` sequences.
struct ForwardCost {
  int64_t macs = 0;
  int64_t other_ops = 0;
  int64_t flops() const { return 2 * macs + other_ops; }
  int64_t peak_activation_bytes = 0;
  int64_t uncosted_nodes = 0;            // nodes whose cost is unknown (not in the sums)
  std::vector<std::string> unsupported;  // op types without a cost formula
  // Per node (graph order): FLOPs, and the sliding window of attention nodes (0: none), so a
  // phase can move the past length without profiling again (attention grows linearly in it).
  std::vector<int64_t> node_flops;
  std::vector<int64_t> node_window;
};
ForwardCost ProfileForward(const Model& model, const DecoderFacts& facts, int64_t batch,
                           int64_t seq, int64_t past);

// Bytes of the weights and of the KV cache under a quantisation scheme.
double WeightBytes(const DecoderFacts& facts, const QuantScheme& q);
double ActiveWeightBytes(const DecoderFacts& facts, const QuantScheme& q);  // per decoded token
double KvBytes(const DecoderFacts& facts, const QuantScheme& q, int64_t context);  // one sequence

// The decoder alone, before any chip (`tops llm MODEL`): its weight bytes and KV cache bytes per
// token under one quantisation scheme, and the cost of one token decoded after `prompt` cached
// ones.
struct LlmModelSummary {
  std::string path;  // Model::path
  DecoderFacts facts;
  QuantScheme quant;
  double weight_bytes = 0;
  double kv_bytes_per_token = 0;
  int64_t prompt = 0;
  ForwardCost decode_at_prompt;
};
LlmModelSummary SummarizeDecoder(const Model& model, const DecoderFacts& facts,
                                 const QuantScheme& quant, int64_t prompt);

// ---- Estimate on a chip ---------------------------------------------------------------------

struct LlmOptions {
  QuantScheme quant;
  int64_t prompt = 512;
  int64_t generate = 128;
  std::optional<int64_t> context;  // KV capacity for the memory check (default prompt + generate)
  int64_t batch = 1;               // concurrent sequences decoded together
  std::optional<int64_t> prefill_chunk;  // default: the runtime's
  std::string runtime;                   // LLM runtime id; default: the chip's first
  std::vector<int64_t> curve;            // contexts of the tokens/s curve (default: doubling)
  // Memory the board has for the model, in GB (1e9 bytes), instead of the catalog's size: an
  // SoC's catalog figure is often the most it supports, not what a given board carries.
  std::optional<double> memory_gb;
};

struct Range {
  double value = 0, low = 0, high = 0;  // low/high from the family's leave-one-out residuals
};

enum class LlmBound { kBandwidth, kCompute, kOverhead };
std::string_view LlmBoundName(LlmBound b);

struct DecodePoint {
  int64_t context = 0;
  Range tokens_per_s;  // per sequence
  double step_ms = 0;
  double bytes_per_step = 0;   // weights + KV of every sequence
  double flops_per_token = 0;  // 2 * MACs + other ops, one token
  LlmBound bound = LlmBound::kBandwidth;
};

struct LlmMemory {
  double weight_bytes = 0;
  double kv_bytes = 0;          // at the context, every sequence
  double activation_bytes = 0;  // working set of a prefill chunk
  double total_bytes = 0;
  std::optional<double> capacity_bytes;  // chip's memory; nullopt when the catalog lacks it
  std::string capacity_source;
  bool fits = false;
  std::optional<int64_t> max_context;     // largest context whose KV cache still fits
  bool context_limited_by_model = false;  // memory allows more than the model supports
};

struct LlmEstimate {
  std::string chip_id, chip_name, runtime;
  QuantScheme quant;
  LlmOptions options;
  DecoderFacts facts;
  LlmFamily calibration;              // figures used (a generic stand-in when fallback)
  bool calibration_fallback = false;  // no family for this chip and runtime
  double peak_tops = 0;               // compute peak the prefill uses (at the activation precision)
  double bandwidth_gbs = 0;           // memory bandwidth the decode uses
  int64_t prefill_chunk = 0;
  int64_t prefill_chunks = 0;
  double prefill_flops = 0;
  std::vector<std::pair<double, double>> prefill_phases;  // (FLOPs, bytes) of each chunk
  Range ttft_ms;  // prefill of the prompt (the forward that yields the first token)
  double prefill_tokens_per_s = 0;
  LlmBound prefill_bound = LlmBound::kCompute;
  Range decode_tokens_per_s;  // mean over the generated tokens, per sequence
  double decode_ms_total = 0;
  Range end_to_end_ms;            // prompt + generate
  double batch_tokens_per_s = 0;  // all sequences together
  std::vector<DecodePoint> curve;
  LlmMemory memory;
  bool format_supported = true;  // the runtime lists this weight format
  std::vector<std::string> caveats;
  std::vector<std::string> missing;  // figures the estimate needs and the catalog lacks
  bool available = false;            // false: a needed figure is missing (see `missing`)
};

LlmEstimate EstimateLlm(const Model& model, const DecoderFacts& facts, const Chip& chip,
                        const Catalog& catalog, const LlmOptions& options);

// One model's estimates on a chip, one per quantisation scheme compared (`tops llm --chip`).
struct LlmEstimates {
  std::string path;  // Model::path
  std::vector<LlmEstimate> estimates;
};

struct LlmRankRow {
  const Chip* chip = nullptr;
  LlmEstimate estimate;
  bool fast_enough = false;  // decode at the context meets the target
  bool meets = false;        // ... and the context fits the chip's memory (known)
};
struct LlmRank {
  std::string path;  // Model::path
  double target_tokens_per_s = 0;
  int64_t context = 0;
  std::vector<LlmRankRow> rows;  // meeting chips first, then by decode tokens/s
  std::vector<std::pair<std::string, std::string>> excluded;  // chip id, reason
};
LlmRank RankLlm(const Model& model, const DecoderFacts& facts, const Catalog& catalog,
                const LlmOptions& options, double target_tokens_per_s);
// The sequence `tops rank --tokens-per-s` ranks with: `context` tokens, of which `prompt` are the
// prompt (0: half the context; at most context - 1) and the rest generated (the quantisation is
// the caller's to set). Throws tops::Error when the context is below 2.
LlmOptions LlmRankOptions(int64_t context, int64_t prompt);

// ---- Calibration ----------------------------------------------------------------------------

enum class LlmMetric { kDecodeTokensPerS, kTtftMs, kPrefillTokensPerS };
std::string_view LlmMetricName(LlmMetric m);

// One published measurement (data/measurements/llm/*.yaml).
struct LlmMeasurement {
  std::string id;
  std::string chip;     // catalog id
  std::string runtime;  // LLM runtime id
  std::string model;    // config path relative to the repository root
  std::string quant;
  int64_t prompt = 0;
  int64_t generate = 0;
  int64_t chunk = 0;    // prefill chunk of the measured export; 0: the runtime's
  int64_t context = 0;  // context the measured export was built for; 0: prompt + generate
  int kv_bits = 16;     // KV cache element of the measured export
  LlmMetric metric = LlmMetric::kDecodeTokensPerS;
  double value = 0;
  std::string source;  // repo + path + commit, or URL
  std::string quote;   // the cell as published
  std::string origin;  // file it was read from
};
// Reads every *.yaml under `dir` (or one file); throws tops::Error naming file and row.
std::vector<LlmMeasurement> LoadLlmMeasurements(const std::string& path);

struct LlmFitRow {
  LlmMeasurement row;  // a copy: the result outlives the rows it was solved from
  double predicted = 0;
  double in_sample_ratio = 0;  // predicted / measured with every row fitted
  double loo_ratio = 0;        // predicted / measured with this row left out
  double loo_predicted = 0;    // the prediction with this row left out
  // The range printed with the left-out prediction (its family's band from the other rows'
  // left-out ratios) and whether the measurement fell inside.
  double band_low = 0, band_high = 0;
  bool in_band = false;
};
struct LlmFamilyFit {
  std::string id;  // "<chip family>/<runtime>"
  std::string chip_family, runtime;
  LlmFamily figures;
  std::vector<LlmFitRow> rows;
};
// The bar docs/llm.md sets for the left-out predictions: decode tokens/s within a factor 1.5 of
// the measurement, time to first token (and prefill tokens/s) within a factor 2.
inline constexpr double kLlmDecodeLooFactor = 1.5;
inline constexpr double kLlmTtftLooFactor = 2.0;
// How many left-out predictions meet that bar, over every family.
struct LlmLooSummary {
  int64_t rows = 0;
  int64_t decode_rows = 0, decode_within = 0;
  int64_t ttft_rows = 0, ttft_within = 0;  // time to first token and prefill rows
  double decode_percent = 0;               // 100 * decode_within / decode_rows (0 without rows)
  double ttft_percent = 0;
  int64_t in_band = 0;         // measurements inside their left-out prediction's band
  double in_band_percent = 0;  // 100 * in_band / rows
};
struct LlmCalibrationResult {
  std::vector<LlmFamilyFit> families;
  std::vector<std::string> skipped;  // rows that could not be used, with the reason
  LlmLooSummary loo;
};
// Solves each (chip family, runtime) by the CNN calibration's robust least squares on
// log(predicted / measured) with weak priors on the four figures, then repeats with each row left
// out; the bands are the 5th to 95th percentiles of the left-out ratios (tops/calibrate.h).
// `root` resolves model paths.
LlmCalibrationResult CalibrateLlm(const std::vector<LlmMeasurement>& rows, const Catalog& catalog,
                                  const std::string& root);
// The catalog YAML (llm_families) a result becomes: data/chips/llm_calibration.yaml.
std::string LlmCalibrationYaml(const LlmCalibrationResult& result);

}  // namespace tops
