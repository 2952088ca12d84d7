// Internal to the readers of a user's own measurements (tops/measurement.h,
// ReadUserMeasurements): the text checks every format shares, and one reader per format
// (measurement_user.cc: CSV; measurement_trtexec.cc; measurement_benchmark_model.cc). Every
// error is a tops::Error "FILE:LINE: problem" (or "FILE: problem" for the whole file).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tops/measurement.h"

namespace tops::io {

// Limits that keep a hostile file cheap: the whole file, one line, the lines (16 bytes of index
// each), and the figures a row may hold (a latency of 1,000 s, a rate of 10^7 frames per second,
// a batch of 2^20, a dim of 10^6).
inline constexpr uint64_t kMaxMeasurementFileBytes = uint64_t{64} << 20;
inline constexpr size_t kMaxMeasurementLineBytes = size_t{1} << 20;
inline constexpr size_t kMaxMeasurementLines = 1000000;
inline constexpr double kMaxLatencyMs = 1e6;
inline constexpr double kMaxFps = 1e7;
inline constexpr int64_t kMaxBatch = int64_t{1} << 20;
inline constexpr int64_t kMaxDim = 1000000;
inline constexpr size_t kMaxRank = 8;
inline constexpr int64_t kMaxCores = 1024;
inline constexpr double kMaxPowerW = 1e5;

// The file's lines (without their '\n' or "\r\n"), line i numbered i + 1.
struct TextLines {
  std::string file;  // as given to ReadUserMeasurements; every message starts with it
  std::vector<std::string_view> lines;

  // "FILE:LINE: what" (line is 1-based).
  std::string At(size_t line, std::string_view what) const;
  // "FILE: what".
  std::string File(std::string_view what) const;
};

// Checks the bytes are text (no NUL or other control bytes than tab, CR, LF, FF, VT and ESC;
// valid UTF-8; no line above kMaxMeasurementLineBytes, at most kMaxMeasurementLines) and splits
// them. Throws naming the line.
TextLines SplitMeasurementText(std::string_view text, const std::string& file);

std::string_view TrimSpace(std::string_view s);
bool StartsWith(std::string_view s, std::string_view prefix);
// The whole of `s` (spaces around it allowed) as a finite decimal ("2.5", "1.05037e+06").
std::optional<double> ParseDecimal(std::string_view s);
// The whole of `s` as a base-10 integer.
std::optional<int64_t> ParseInteger(std::string_view s);
// "8x3x224x224" (also "8X3X224X224"): every dim in [1, kMaxDim], at most kMaxRank dims.
// Throws `where` + a message when it is not.
std::vector<int64_t> ParseDims(std::string_view s, const std::string& where);
// A latency in ms, a rate in fps: finite, positive, within the limits above; throws
// `where`: "<what> '<text>' ..." otherwise.
double CheckLatencyMs(double v, const std::string& where, std::string_view what);
double CheckFps(double v, const std::string& where, std::string_view what);

// The model's name from its path: the file name without its last extension
// ("a/b/resnet50.onnx" -> "resnet50"; '/' and '\' both separate directories).
std::string ModelStem(std::string_view path);
// Whether tops reads a model file by this name (.onnx, .tflite, .json): only such a path
// becomes a row's `fixture`.
bool ModelPathTopsReads(std::string_view path);

// Fills what the file did not say from the options: the chip, the precision (else int8 with
// kPrecisionNotInLog), and the fixture and model name when options.model is set and
// `model_from_options` (logs; a CSV names its own models).
void ApplyUserOptions(Measurement& m, bool precision_stated, bool model_from_options,
                      const UserMeasurementOptions& options);

// The readers. Each returns at least one row or throws.
std::vector<Measurement> ReadMeasurementCsv(const TextLines& text, size_t header_line,
                                            const UserMeasurementOptions& options);
std::vector<Measurement> ReadTrtexecLog(const TextLines& text,
                                        const UserMeasurementOptions& options);
std::vector<Measurement> ReadBenchmarkModelLog(const TextLines& text,
                                               const UserMeasurementOptions& options);

// What ReadUserMeasurements does after reading the file: detects the format by content and
// reads it (the fuzz target and the malformed-input table call it with bytes).
std::vector<Measurement> ParseUserMeasurements(std::string_view bytes, const std::string& file,
                                               const UserMeasurementOptions& options);

}  // namespace tops::io
