// The chip catalog: what a chip can do, as published by its vendor, with the provenance of every
// figure. Invariants: a figure is either unknown (no value) or carries a status (published,
// derived, unverified) and a source; a derived figure also says how it was derived. Peaks are
// kept per precision, dense and sparse apart, and say which units they cover. Efficiency figures
// live in calibration families shared by similar chips (never per chip, never per measurement).
// The built-in catalog is data/chips/*.yaml embedded at build time; user files with the same
// schema add chips or replace chips of the same id.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tops {

enum class Precision { kInt4, kInt8, kFp16, kBf16, kFp32 };

std::string_view PrecisionName(Precision p);  // "int8"
// Accepts "int8", "INT8", "fp16", "float16", ...; nullopt when unknown.
std::optional<Precision> ParsePrecision(std::string_view text);
int PrecisionBits(Precision p);
const std::vector<Precision>& AllPrecisions();

enum class FigureStatus { kPublished, kDerived, kUnverified };
std::string_view FigureStatusName(FigureStatus s);

// One number from a datasheet, a derivation or a measurement, with where it came from.
struct Figure {
  std::optional<double> value;  // nullopt: unknown
  FigureStatus status = FigureStatus::kPublished;
  std::string source;
  std::string how;   // derivation (required when status is derived)
  std::string note;  // anything a reader should know (conditions, caveats)

  bool known() const { return value.has_value(); }
  double operator*() const { return *value; }
};

// A list of numbers with one provenance (power modes).
struct ListFigure {
  std::vector<double> values;  // empty: unknown
  FigureStatus status = FigureStatus::kPublished;
  std::string source;
  std::string how;
  std::string note;

  bool known() const { return !values.empty(); }
};

// Peak throughput at one precision, in TOPS (integer) or TFLOPS (float): 10^12 ops/s.
struct Peak {
  Figure dense;
  Figure sparse;         // only where the vendor quotes a sparse figure
  std::string sparsity;  // pattern of the sparse figure, e.g. "2:4"
  std::string covers;    // units the figure covers, e.g. "GPU + 2x DLA"
  // Dense peak of the units one inference can use, where that is less than `dense` (the GPU
  // alone of a GPU + DLA module, one core of a multi-core NPU).
  Figure single_inference;
};

enum class ChipKind { kNpu, kGpu, kSoc, kCpu, kAccelerator };
std::string_view ChipKindName(ChipKind k);

// Class of work a layer does; efficiency differs by class on most accelerators. Attention is a
// matrix product of two activations (no weight operand); softmax and normalisation are the
// reductions transformers add; data movement copies or reorders elements (transpose, concat,
// slice, gather, resize) without arithmetic.
enum class OpClass {
  kConv,
  kDepthwise,
  kGemm,
  kAttention,
  kSoftmax,
  kNorm,
  kElementwise,
  kDataMovement,
};
inline constexpr int kOpClassCount = 8;
std::string_view OpClassName(OpClass c);
const std::vector<OpClass>& AllOpClasses();

// The spread of measured / predicted latency over the rows a family was solved from, taken
// from leave-one-out predictions: a prediction's likely range is [low, high] x its latency.
struct PredictionBand {
  double low = 0;     // 0: no band (figures not solved from measurements)
  double high = 0;    // measured / predicted latency, upper quantile
  int64_t rows = 0;   // rows behind the band
  std::string scope;  // "family hailo_dataflow/hailort" or "class npu" when borrowed
  bool known() const { return low > 0 && high > 0; }
};

// Calibrated behaviour shared by a family of chips (same compiler and compute-unit design).
struct Family {
  std::string id;
  std::string description;
  // Fraction of dense peak a layer of this class reaches. A file may give only conv, depthwise,
  // gemm and elementwise: attention then takes gemm's figure, softmax, norm and data movement
  // elementwise's (EfficiencyOf).
  std::map<OpClass, Figure> efficiency;
  Figure layer_overhead_us;      // fixed time per layer at batch 1 (launch, pipeline fill)
  Figure inference_overhead_us;  // fixed time per inference (runtime call, input/output copy)
  // Chips that hold a network's weights on chip and split a larger one into contexts loaded in
  // turn (Hailo): time per context switch, and the weight capacity per TOPS of peak that sets
  // how many contexts a network needs when the chip's on-chip memory is not published.
  Figure context_switch_us;
  Figure context_capacity_mb_per_tops;
  // Layers one context holds per TOPS of peak: a context is also limited by the layers the
  // compiler can place on the chip at once, not only by their weights.
  Figure context_layers_per_tops;
  std::string runtime;  // runtime the figures were solved on ("" for hand-set figures)
  PredictionBand band;
  // Solved share of each chip's quoted peak that the family's figures assume (chips of one family
  // differ in clocks and in how much of an "AI engine" total is the NPU); 1 for chips absent.
  // Keys "<chip>" (every precision) and "<chip>/<precision>" (that precision, on top of the
  // chip's share): a chip's fp16 rate need not be the fraction of its int8 rate the quoted
  // peaks imply.
  std::map<std::string, double> peak_share;
  // Solved scale of each chip's per-layer and per-inference overheads (a phone's NPU and an IoT
  // board's of one family differ in clocks and host CPU); 1 for chips absent.
  std::map<std::string, double> overhead_share;
  // Elementwise layers run inside the producing layer (no DRAM round trip, no overhead).
  bool fuses_elementwise = true;
  // Weights stay in on-chip memory between inferences when the whole model's weights fit.
  bool weights_resident = false;
  // Dataflow chips (Hailo): the compiler lays a network's layers out across the chip and
  // streams frames through them, so a frame costs the longer of its compute and the per-frame
  // floor (inference_overhead_us), not their sum; a network whose weights or layers exceed one
  // context is split into contexts run in turn, each switch (context_switch_us) and each
  // context's pipeline fill (layer_overhead_us per layer) spread over the batch.
  bool splits_into_contexts = false;
  // ONNX op types the family's NPU runtime does not run, from the vendor's documentation
  // (cpu_ops_source): such a node runs on the chip's CPU at its rate (Chip::cpu; unknown: a
  // conservative default, said in a caveat), its activations crossing to the CPU and back over
  // the chip's memory bandwidth (the host link of a USB / PCIe accelerator). With
  // cpu_ops_cut_graph the compiler cuts the graph at the first such op: it and every later node
  // run on the CPU. Facts about the runtime, not solved figures: a calibration entry takes them
  // from its family.
  std::vector<std::string> cpu_ops;
  std::string cpu_ops_source;
  std::string cpu_ops_note;
  bool cpu_ops_cut_graph = false;
  // The chip's share of the quoted peak at `precision` (peak_share's "<chip>" times
  // "<chip>/<precision>"), and its overhead scale.
  double PeakShareOf(const std::string& chip, Precision precision) const;
  double OverheadShareOf(const std::string& chip) const;
  std::string basis;   // the measurements the figures were fitted to
  std::string origin;  // file it was read from
};
// The family's figure for a class, with the fallbacks the Family comment states.
const Figure& EfficiencyOf(const Family& family, OpClass c);

// A CPU core design (Cortex-A76, ...): FP32 FLOPs one core completes per cycle at its SIMD
// peak (an FMA counts 2), from the core's published pipeline widths.
struct CpuCore {
  std::string id;  // as chips name it in `cpu.cores`: "Cortex-A76"
  Figure fp32_flop_per_cycle;
  std::string origin;
};

// One cluster of identical cores in a chip's CPU: "4x Cortex-A76 @ 2.4 GHz".
struct CpuCluster {
  int count = 0;
  std::string core;  // a CpuCore id
  double ghz = 0;
};

// The CPU of an SoC, which runs the ops its NPU does not (Family::cpu_ops). `gops` is the rate
// such ops get: unless the file gives one, derived at load from the clusters (cores x GHz x the
// core's FP32 FLOP/cycle) times the measured GEMM efficiency of an Arm Cortex-A core (family
// kCpuEfficiencyFamily's gemm figure: HPL on the Raspberry Pi 5). Empty for an accelerator on a
// host link: its CPU is the user's host.
struct ChipCpu {
  // As the vendor lists them: "4x Cortex-A76 @ 2.4 GHz + 4x Cortex-A55 @ 1.8 GHz".
  std::string cores;
  std::vector<CpuCluster> clusters;  // parsed from `cores`
  std::string source;                // where `cores` comes from
  Figure gops;                       // 10^9 ops/s for fallen-back ops
  std::string note;
  bool known() const { return gops.known(); }
};
// The family whose measured gemm efficiency turns a CPU's FP32 peak into its rate.
inline constexpr const char* kCpuEfficiencyFamily = "arm_cortex_a_cpu";

struct Chip {
  std::string id;
  std::vector<std::string> aliases;
  std::string name;
  std::string vendor;
  ChipKind kind = ChipKind::kNpu;
  std::string family;  // id of a Family
  std::map<Precision, Peak> peaks;

  Figure cores;  // compute units the peak is spread over
  // Whether one inference can use every unit the peak covers (false on chips whose NPU cores
  // or DLAs run separate inferences; then each peak says its `single_inference` figure).
  std::optional<bool> one_inference_uses_all;

  Figure memory_bandwidth_gbs;  // external memory, GB/s (10^9 B/s)
  Figure on_chip_memory_mb;     // SRAM/cache usable for tensors, MB (10^6 B)
  Figure memory_gb;             // external memory size, GB
  bool external_memory = true;  // false: all tensors live on chip (no DRAM)
  ListFigure power_modes_w;     // selectable power budgets, ascending
  // Peak at each power mode as a share of the quoted peaks (same order as power_modes_w; 1 at
  // the mode the peaks are quoted at). Empty: unknown, and the peaks are taken to be quoted at
  // the highest mode.
  ListFigure mode_peak_share;
  // The power mode the peaks are quoted at, when it is not the highest listed one (one of
  // power_modes_w). Modes below it without per-mode shares are flagged as optimistic; modes at
  // or above it use the quoted peaks (at least that fast).
  Figure peaks_quoted_at_w;
  // The same for the single-inference peaks (e.g. the GPU of a GPU + DLA module, whose clocks
  // and active units change differently from the DLAs'). Empty: they follow mode_peak_share.
  ListFigure mode_single_share;

  ChipCpu cpu;  // the CPU that runs the ops the NPU does not

  std::string source;  // default source of the chip's figures
  std::string notes;
  std::string origin;  // file it was read from

  // Dense peak at a precision, or nullptr when unknown.
  const Figure* DensePeak(Precision p) const;
};

// A runtime that runs language models on a chip (RKLLM, llama.cpp, Genie, ...): the chips it
// runs on, where the matrix products run, the weight formats it loads (with their source) and
// the prefill chunk it processes the prompt in.
struct LlmRuntime {
  std::string id;
  std::string name;
  std::string vendor;
  std::string unit;                  // "npu", "gpu" or "cpu"
  std::vector<std::string> chips;    // catalog chip ids
  std::vector<std::string> formats;  // weight formats: fp16, bf16, w8a8, w8a16, w4a16, w4a16_g128
  Figure prefill_chunk;              // tokens per prefill pass; unknown: the whole prompt
  // Fixed-shape graphs: every pass reads and attends over the KV cache of the whole context the
  // model was built for (`kv_cache: static`), not only the tokens cached so far.
  bool static_kv = false;
  std::string source;
  std::string notes;
  std::string origin;
};

// Calibrated LLM behaviour of one chip family under one runtime: the output of
// `tops llm-calibrate` over data/measurements/llm (never typed by hand).
struct LlmFamily {
  std::string id;  // "<chip family>/<runtime>"
  std::string chip_family;
  std::string runtime;
  Figure decode_bandwidth_efficiency;  // share of memory bandwidth a decode step reaches
  Figure prefill_efficiency;           // share of the compute peak a prefill chunk reaches
  Figure layer_overhead_us;            // fixed time per layer per forward
  Figure token_overhead_ms;            // fixed time per forward (sampling, runtime)
  // Per chip id: the share of the family's bandwidth efficiency that chip's steps reach (solved
  // with the family, a factor 2 either way at one sigma of its prior); a chip without rows: 1.
  std::map<std::string, double> chip_bandwidth_share;
  // Likely range of a prediction, as for the CNN families: measured / predicted decode tokens/s
  // and time to first token (ms) between the 5th and 95th percentiles of the left-out
  // predictions of the family's rows (of every family's rows when it has few, said in `scope`).
  PredictionBand decode_band;
  PredictionBand ttft_band;
  int rows = 0;
  std::string basis;
  std::string origin;
};

class Catalog {
 public:
  // The catalog embedded in the library (data/chips/*.yaml).
  static Catalog Builtin();

  // Adds chips and families from YAML text; a chip or family whose id already exists replaces
  // it. Throws tops::Error naming `label`, the chip and the field for malformed or
  // contradictory entries. Cross-entry checks (names, families) run over the whole catalog.
  void LoadText(const std::string& text, const std::string& label);
  void LoadFile(const std::string& path);

  const std::vector<Chip>& chips() const { return chips_; }
  const std::map<std::string, Family>& families() const { return families_; }
  const std::map<std::string, CpuCore>& cpu_cores() const { return cpu_cores_; }

  // By id or alias (case-insensitive); nullptr when absent.
  const Chip* Find(std::string_view id_or_alias) const;
  // Like Find, but throws tops::Error listing close ids when absent.
  const Chip& Get(std::string_view id_or_alias) const;
  // The figures a prediction for `chip` uses: those solved for this chip (a user's
  // `tops calibrate`), else for its family, on `runtime` (empty: the default one, the vendor's
  // runtime), else the family's own. Throws naming the runtimes that have figures when
  // `runtime` has none.
  const Family& FamilyFor(const Chip& chip, std::string_view runtime) const;
  const Family& FamilyOf(const Chip& chip) const;  // FamilyFor(chip, "")
  // Runtimes with solved figures for the chip, in name order.
  std::vector<std::string> RuntimesOf(const Chip& chip) const;

  const std::map<std::string, LlmRuntime>& llm_runtimes() const { return llm_runtimes_; }
  const std::map<std::string, LlmFamily>& llm_families() const { return llm_families_; }
  // Runtimes that list the chip, in id order.
  std::vector<const LlmRuntime*> LlmRuntimesFor(const Chip& chip) const;
  const LlmFamily* FindLlmFamily(const std::string& chip_family, const std::string& runtime) const;

 private:
  void Parse(const std::string& text, const std::string& label);
  void Validate() const;
  // Gives each calibration entry its family's CPU fallback facts (cpu_ops and the rest).
  void InheritCpuFallback();
  // Derives each chip's CPU rate from its clusters where the file gives none.
  void DeriveCpuRates();

  std::vector<Chip> chips_;
  std::map<std::string, Family> families_;
  std::map<std::string, CpuCore> cpu_cores_;
  // Solved figures: "family:<id>@<runtime>" or "chip:<id>@<runtime>"; and the default runtime
  // of each "family:<id>" / "chip:<id>".
  std::map<std::string, Family> calibrations_;
  std::map<std::string, std::string> default_runtime_;
  std::map<std::string, LlmRuntime> llm_runtimes_;
  std::map<std::string, LlmFamily> llm_families_;
};

// Embedded YAML files: (file name, contents). Defined in the generated embed source.
const std::vector<std::pair<std::string, std::string>>& EmbeddedChipFiles();

}  // namespace tops
