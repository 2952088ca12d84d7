// Measured latencies and throughputs of models on chips: the published rows the calibration is
// solved from (data/measurements/*.yaml, schema in data/measurements/README.md) and a user's own
// measurements (`tops calibrate`: a CSV, or the printed output of TensorRT's trtexec or
// TensorFlow Lite's benchmark_model). Every reader returns the same rows; every error names the
// file, the row (or line) and the field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tops/chip.h"

namespace tops {

enum class MeasurementMetric { kLatencyMs, kFps };
enum class MeasurementMode {
  kSingleStream,  // one inference at a time: fps = 1000 / latency
  kStreaming,     // frames streamed back to back through a pipelined chip (Hailo "FPS")
  kOffline,       // MLPerf offline: large batches, all units, throughput only
};
std::string_view MeasurementMetricName(MeasurementMetric m);  // "latency_ms", "fps"
std::string_view MeasurementModeName(MeasurementMode m);      // "single_stream", ...

// The deployed graph's layers as the publisher's profiler counts them (Qualcomm AI Hub's
// layer_counts), and how many ran off the NPU. An input of the prediction like the batch: the
// runtime's graph, not the fixture's, sets the per-layer overheads (docs/hardware.md).
struct DeployedLayers {
  int64_t total = 0;
  int64_t gpu = 0;  // layers run on the GPU and the CPU instead of the NPU
  int64_t cpu = 0;
};

struct Measurement {
  std::string id;       // unique within its file(s); user rows get "<file>:<line>"
  std::string chip;     // catalog chip id; empty in a user file until --chip gives it
  std::string runtime;  // as published ("TFLite 2.17.0 (QAIRT ...)", "TensorRT 8.6", ...)
  std::string model;    // the model as the publisher names it
  // The model file that stands for it: a fixture name (tests/models/<fixture>.onnx) for the
  // published rows, a path as written for a user's rows (relative to the measurement file).
  // Empty: no model file (the row cannot be predicted; the reason is in `fixture_note`).
  std::string fixture;
  std::string fixture_note;
  std::string kind;            // cnn | transformer | detector (published rows); may be empty
  std::vector<int64_t> input;  // N, C, H, W of one inference as measured; empty: the model's own
  Precision precision = Precision::kInt8;
  std::string precision_published;  // the publisher's word ("w8a8", "float", "--int8")
  // int8 weights with int16 activations (Qualcomm "w8a16"): precision is int8 for the peak, and
  // activations move at 16 bits.
  bool activations_16bit = false;
  int64_t batch = 1;                     // images per inference
  std::optional<int64_t> cores;          // NPU cores used where stated
  std::optional<DeployedLayers> layers;  // where published
  std::string units;                     // npu | gpu | gpu+dla | dla | cpu
  std::optional<double> power_mode_w;
  MeasurementMetric metric = MeasurementMetric::kLatencyMs;
  MeasurementMode mode = MeasurementMode::kSingleStream;
  double value = 0;    // in the metric's unit, as published
  std::string source;  // "repo/path@commit:line", a URL, or "<file>:<line>" for a user file
  std::string origin;  // the file it was read from

  // Milliseconds per image: latency / batch, or 1000 / fps.
  double MsPerImage() const;
};

// Reads data/measurements: every *.yaml under `path` (or one file). Throws tops::Error naming the
// file, row id and field of the first problem.
std::vector<Measurement> LoadMeasurements(const std::string& path);

// A user's own measurements, the format told by content (not extension):
//  - CSV with a header naming at least model and latency_ms (or fps); optional columns
//    precision, chip, runtime, batch, input (e.g. 1x3x224x224), cores, power_w, id. `model` is
//    a model file's path relative to the CSV's directory: kept as written in `fixture`, its stem
//    in `model`. Lines starting with '#' are comments;
//  - the printed output of TensorRT's trtexec, one row per run (a run starts at
//    "&&&& RUNNING TensorRT.trtexec"): model from --onnx / "Model:" (a --loadEngine, --deploy or
//    --uff run names a file tops cannot read: `fixture` stays empty and `fixture_note` says so),
//    precision from --int8 / --fp16 / --best (best: int8) or the "Precision:" line, latency the
//    GPU Compute Time mean (TensorRT 7's "GPU Compute" block too), batch and input from
//    --shapes, the "Input inference shape" line, --optShapes or --batch;
//  - the printed output of TensorFlow Lite's benchmark_model, one row per run (a run starts at
//    "STARTING!"): model from "Graph: [...]" or --graph, latency the "Inference (avg)" of
//    "Inference timings in us" (else the timed runs' avg=), in ms; the delegate (NNAPI, GPU,
//    Hexagon, an external library) in `runtime`.
// A log's runs that the tool itself reports as failed (or that skipped inference) give no row.
// `id` and `source` are "FILE:LINE" (the line of the figure; `source` adds which statistic), as
// FILE was given. Options fill what the file does not say: `chip` the rows that name none,
// `precision` the rows (and logs) that do not say, `model` a log's model path (it wins over the
// log's). A row whose precision neither the file nor the options give keeps kInt8 with
// precision_published == kPrecisionNotInLog: the caller takes it from the model file (a
// quantised graph fixes it). Throws tops::Error (exit code 2 in the CLI) naming the file, line
// and problem for anything it cannot read (binary data, a line over 1 MiB, a file over 64 MiB,
// a missing or negative figure, a log without timing).
inline constexpr std::string_view kPrecisionNotInLog = "unknown (not in the log)";
struct UserMeasurementOptions {
  std::string chip;
  std::optional<Precision> precision;  // for rows (and logs) that do not say
  std::string model;                   // a log's model path (absent from the log, or elsewhere)
};
std::vector<Measurement> ReadUserMeasurements(const std::string& path,
                                              const UserMeasurementOptions& options = {});

}  // namespace tops
