// A user's own measurements (tops/measurement.h, ReadUserMeasurements): reading the file, the
// checks that it is text, telling the format by content, and the helpers the three readers
// share (measurement_csv.cc, measurement_trtexec.cc, measurement_benchmark_model.cc).
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/text.h"
#include "io/measurement_text.h"
#include "tops/error.h"

namespace tops::io {

std::string TextLines::At(size_t line, std::string_view what) const {
  return file + ":" + std::to_string(line) + ": " + std::string(what);
}

std::string TextLines::File(std::string_view what) const { return file + ": " + std::string(what); }

namespace {

// Length of the UTF-8 sequence starting at s[i], or 0 when it is not valid there.
size_t Utf8Length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n = 0;
  unsigned min = 0;
  unsigned cp = 0;
  if ((c & 0xE0) == 0xC0) {
    n = 2, min = 0x80, cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, min = 0x800, cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, min = 0x10000, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

std::string Hex(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", c);
  return buf;
}

bool Contains(std::string_view s, std::string_view what) {
  return s.find(what) != std::string_view::npos;
}

// A line that is the header of a measurement CSV: one of its cells is "model".
bool IsCsvHeader(std::string_view line) {
  std::string cell;
  bool quoted = false;
  auto is_model = [&] { return AsciiLower(TrimSpace(cell)) == "model"; };
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      if (is_model()) return true;
      cell.clear();
    } else {
      cell.push_back(c);
    }
  }
  return Contains(line, ",") && is_model();
}

bool LooksLikeTrtexec(std::string_view line) {
  return Contains(line, "TensorRT.trtexec") || Contains(line, "GPU Compute Time: min") ||
         Contains(line, "=== Model Options ===") || Contains(line, "=== Performance summary ===");
}

bool LooksLikeBenchmarkModel(std::string_view line) {
  return Contains(line, "Inference timings in us") || Contains(line, "Graph: [") ||
         Contains(line, "Running benchmark for at least") ||
         (Contains(line, "benchmark_model") && Contains(line, "--graph"));
}

}  // namespace

TextLines SplitMeasurementText(std::string_view text, const std::string& file) {
  TextLines out;
  out.file = file;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // BOM
  size_t line = 1;
  size_t start = 0;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      std::string_view l = text.substr(start, i - start);
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      out.lines.push_back(l);
      if (++line > kMaxMeasurementLines) {
        throw Error(out.File("more than " + std::to_string(kMaxMeasurementLines) +
                             " lines: not a measurement file"));
      }
      start = ++i;
      continue;
    }
    if (i - start >= kMaxMeasurementLineBytes) {
      throw Error(out.At(line, "line longer than " + std::to_string(kMaxMeasurementLineBytes) +
                                   " bytes: not a measurement file (a CSV or the printed output "
                                   "of trtexec or benchmark_model)"));
    }
    if (c < 0x20 && c != '\t' && c != '\r' && c != '\f' && c != '\v' && c != 0x1B) {
      throw Error(out.At(line, "byte " + Hex(c) + " at offset " + std::to_string(i) +
                                   ": binary data, not a text file"));
    }
    const size_t n = Utf8Length(text, i);
    if (n == 0) {
      throw Error(out.At(line, "byte " + Hex(c) + " at offset " + std::to_string(i) +
                                   " is not UTF-8 text (binary data, or a log saved in a legacy "
                                   "code page: save it as UTF-8)"));
    }
    i += n;
  }
  if (start < text.size()) {
    std::string_view l = text.substr(start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    out.lines.push_back(l);
  }
  return out;
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::optional<double> ParseDecimal(std::string_view s) {
  s = TrimSpace(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<int64_t> ParseInteger(std::string_view s) {
  s = TrimSpace(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::vector<int64_t> ParseDims(std::string_view s, const std::string& where) {
  s = TrimSpace(s);
  std::vector<int64_t> dims;
  size_t start = 0;
  while (true) {
    size_t x = s.find_first_of("xX", start);
    std::string_view d = s.substr(start, x == std::string_view::npos ? s.npos : x - start);
    const auto v = ParseInteger(d);
    if (!v || *v < 1 || *v > kMaxDim) {
      throw Error(where + "shape '" + std::string(s) + "': each dim must be an integer from 1 to " +
                  std::to_string(kMaxDim) + " (e.g. 1x3x224x224)");
    }
    dims.push_back(*v);
    if (dims.size() > kMaxRank) {
      throw Error(where + "shape '" + std::string(s) + "' has more than " +
                  std::to_string(kMaxRank) + " dims");
    }
    if (x == std::string_view::npos) break;
    start = x + 1;
  }
  return dims;
}

namespace {

double CheckRange(double v, double max, const std::string& where, std::string_view what,
                  std::string_view unit) {
  if (!(v > 0) || v > max) {
    std::ostringstream os;
    os.precision(10);
    os << where << what << " " << v << " " << unit << " is out of range: it must be above 0 and "
       << "at most " << max << " " << unit;
    throw Error(os.str());
  }
  return v;
}

}  // namespace

double CheckLatencyMs(double v, const std::string& where, std::string_view what) {
  return CheckRange(v, kMaxLatencyMs, where, what, "ms");
}

double CheckFps(double v, const std::string& where, std::string_view what) {
  return CheckRange(v, kMaxFps, where, what, "fps");
}

std::string ModelStem(std::string_view path) {
  const size_t slash = path.find_last_of("/\\");
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const size_t dot = name.rfind('.');
  if (dot != std::string_view::npos && dot > 0) name = name.substr(0, dot);
  return std::string(name);
}

bool ModelPathTopsReads(std::string_view path) {
  const std::string lower = AsciiLower(path);
  for (std::string_view ext : {".onnx", ".tflite", ".json"}) {
    if (lower.size() > ext.size() && lower.substr(lower.size() - ext.size()) == ext) return true;
  }
  return false;
}

void ApplyUserOptions(Measurement& m, bool precision_stated, bool model_from_options,
                      const UserMeasurementOptions& options) {
  if (m.chip.empty()) m.chip = options.chip;
  if (!precision_stated) {
    if (options.precision) {
      m.precision = *options.precision;
      m.precision_published =
          std::string(PrecisionName(*options.precision)) + " (given; not in the log)";
    } else {
      m.precision = Precision::kInt8;
      m.precision_published = std::string(kPrecisionNotInLog);
    }
  }
  if (model_from_options && !options.model.empty()) {
    m.fixture = options.model;
    m.fixture_note.clear();
    m.model = ModelStem(options.model);
  }
}

std::vector<Measurement> ParseUserMeasurements(std::string_view bytes, const std::string& file,
                                               const UserMeasurementOptions& options) {
  if (bytes.empty()) throw Error(file + ": empty file");
  const TextLines text = SplitMeasurementText(bytes, file);
  size_t first = 0;
  while (first < text.lines.size() &&
         (TrimSpace(text.lines[first]).empty() || StartsWith(text.lines[first], "#"))) {
    ++first;
  }
  if (first == text.lines.size()) throw Error(file + ": no measurements (only blank lines)");
  if (IsCsvHeader(text.lines[first])) return ReadMeasurementCsv(text, first + 1, options);
  for (std::string_view l : text.lines) {
    if (LooksLikeTrtexec(l)) return ReadTrtexecLog(text, options);
  }
  for (std::string_view l : text.lines) {
    if (LooksLikeBenchmarkModel(l)) return ReadBenchmarkModelLog(text, options);
  }
  const std::string_view l = TrimSpace(text.lines[first]);
  const std::string shown(l.substr(0, 80));
  if (Contains(l, ",")) {
    throw Error(text.At(first + 1,
                        "a CSV needs a header row naming its columns (model, and "
                        "latency_ms or fps); the first row '" +
                            shown + "' names no 'model' column"));
  }
  throw Error(text.File(
      "not a measurement file: no CSV header (model, latency_ms or fps), no trtexec output "
      "('&&&& RUNNING TensorRT.trtexec', 'GPU Compute Time') and no benchmark_model output "
      "('Graph: [...]', 'Inference timings in us'); line " +
      std::to_string(first + 1) + " is '" + shown + "'"));
}

}  // namespace tops::io

namespace tops {

std::vector<Measurement> ReadUserMeasurements(const std::string& path,
                                              const UserMeasurementOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    throw Error(path +
                ": no such file (a measurement file: a CSV, or the printed output of "
                "trtexec or benchmark_model)");
  }
  if (fs::is_directory(st)) throw Error(path + ": is a directory, not a measurement file");
  if (!fs::is_regular_file(st)) throw Error(path + ": not a regular file");
  const uintmax_t size = fs::file_size(path, ec);
  if (ec) throw Error(path + ": cannot read: " + ec.message());
  if (size > io::kMaxMeasurementFileBytes) {
    throw Error(path + ": " + std::to_string(size) + " bytes; a measurement file is at most " +
                std::to_string(io::kMaxMeasurementFileBytes >> 20) + " MiB");
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Error(path + ": cannot open");
  std::string bytes(static_cast<size_t>(size), '\0');
  f.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<size_t>(f.gcount()));
  return io::ParseUserMeasurements(bytes, path, options);
}

}  // namespace tops
