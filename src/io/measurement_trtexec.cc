// The printed output of TensorRT's trtexec (tops/measurement.h): one row per run. A run starts
// at "&&&& RUNNING TensorRT.trtexec [TensorRT vNNNN] # <command line>"; what it measured is read
// from the command line and the lines trtexec prints ("[date] [I] Model: ...", "Precision:
// FP32+INT8", "Input inference shape: input=8x3x224x224", "TensorRT version: 8.6.0") and the
// latency is the mean of "GPU Compute Time: min = ..., mean = X ms" (TensorRT 8 and later) or of
// the "GPU Compute" block's "mean: X ms" line (TensorRT 7).
#include <cctype>

#include "io/measurement_text.h"
#include "tops/error.h"

namespace tops::io {
namespace {

// The text after trtexec's prefixes: "[08/20/2023-11:13:10] [I] Model: x" -> "Model: x" (also
// "[I] [TRT] ..." and a wrapper's "[INFO] ...").
std::string_view Content(std::string_view line) {
  line = TrimSpace(line);
  while (!line.empty() && line.front() == '[') {
    const size_t close = line.find(']');
    if (close == std::string_view::npos) break;
    line = TrimSpace(line.substr(close + 1));
  }
  return line;
}

// "key: value" -> value, when the content starts with key and then optional spaces and ':'.
std::optional<std::string_view> Field(std::string_view content, std::string_view key) {
  if (!StartsWith(content, key)) return std::nullopt;
  std::string_view rest = content.substr(key.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.empty() || rest.front() != ':') return std::nullopt;
  return TrimSpace(rest.substr(1));
}

std::string_view Unquote(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    return s.substr(1, s.size() - 2);
  }
  return s;
}

struct Run {
  size_t start = 0;                    // index of its first line
  std::vector<std::string_view> args;  // the command line, split at spaces
  std::string version_tag;             // "v8600" from "[TensorRT v8600]"
  bool failed = false;
  bool has_content = false;  // any line trtexec prints
  std::string_view model_line, format_line, engine_line, prototxt_line, input_file_line;
  std::string_view precision_line, shape_line, batch_line, version_line;
  size_t shape_line_no = 0;
  std::optional<double> mean;
  size_t mean_line = 0;
  bool old_format = false;
};

// The value of --name=value on the command line (the last one given).
std::optional<std::string_view> Arg(const Run& r, std::string_view name) {
  std::optional<std::string_view> v;
  for (std::string_view a : r.args) {
    if (StartsWith(a, name) && a.size() > name.size() && a[name.size()] == '=') {
      v = Unquote(a.substr(name.size() + 1));
    }
  }
  return v;
}

bool Flag(const Run& r, std::string_view name) {
  for (std::string_view a : r.args) {
    if (a == name) return true;
  }
  return false;
}

// The mean of "min = a ms, max = b ms, mean = X ms, ..." in ms.
double SummaryMean(const TextLines& t, size_t line, std::string_view content,
                   std::string_view key) {
  const size_t at = content.find(key);
  if (at == std::string_view::npos) {
    throw Error(t.At(line, "'GPU Compute Time' has no '" + std::string(TrimSpace(key)) +
                               "' (the log is cut short?)"));
  }
  std::string_view rest = content.substr(at + key.size());
  const size_t end = rest.find_first_of(",(");
  std::string_view value = TrimSpace(rest.substr(0, end));
  if (!value.ends_with("ms")) {
    throw Error(t.At(line, "GPU Compute Time mean '" + std::string(value) + "' is not in ms"));
  }
  value = TrimSpace(value.substr(0, value.size() - 2));
  const auto v = ParseDecimal(value);
  if (!v) {
    throw Error(t.At(line, "GPU Compute Time mean '" + std::string(value) + "' is not a number"));
  }
  return CheckLatencyMs(*v, t.At(line, ""), "GPU Compute Time mean");
}

void ReadLine(const TextLines& t, size_t i, Run& r) {
  const std::string_view raw = t.lines[i];
  const size_t hash = raw.find(" # ");
  if (raw.find("&&&& ") != std::string_view::npos) {
    if (raw.find("&&&& FAILED") != std::string_view::npos) r.failed = true;
    const size_t v = raw.find("[TensorRT v");
    if (v != std::string_view::npos && r.version_tag.empty()) {
      const size_t close = raw.find(']', v);
      if (close != std::string_view::npos) r.version_tag = raw.substr(v + 10, close - v - 10);
    }
    if (hash != std::string_view::npos && r.args.empty()) {
      std::string_view cmd = raw.substr(hash + 3);
      size_t k = 0;
      while (k < cmd.size()) {
        while (k < cmd.size() && cmd[k] == ' ') ++k;
        size_t e = cmd.find(' ', k);
        if (e == std::string_view::npos) e = cmd.size();
        if (e > k) r.args.push_back(cmd.substr(k, e - k));
        k = e;
      }
    }
    return;
  }
  const std::string_view c = Content(raw);
  if (c.empty()) return;
  auto keep = [&](std::string_view key, std::string_view& slot) {
    if (const auto v = Field(c, key); v && slot.empty()) slot = *v;
  };
  keep("Model", r.model_line);
  keep("Format", r.format_line);
  keep("Load engine", r.engine_line);
  keep("Prototxt", r.prototxt_line);
  keep("Input filename", r.input_file_line);
  keep("Precision", r.precision_line);
  keep("Batch", r.batch_line);
  keep("TensorRT version", r.version_line);
  for (std::string_view key : {"Input inference shapes", "Input inference shape"}) {
    if (const auto v = Field(c, key); v && r.shape_line.empty()) {
      r.shape_line = *v;
      r.shape_line_no = i + 1;
    }
  }
  if (StartsWith(c, "=== ") || StartsWith(c, "Starting inference")) r.has_content = true;
  const bool summary = StartsWith(c, "GPU Compute Time: min");
  const bool old_block = c == "GPU Compute";
  if (!summary && !old_block) return;
  r.has_content = true;
  if (r.mean) {
    throw Error(t.At(i + 1, "a second GPU Compute Time summary in one run (the first is on line " +
                                std::to_string(r.mean_line) +
                                "): runs start at '&&&& RUNNING TensorRT.trtexec'"));
  }
  if (summary) {
    r.mean = SummaryMean(t, i + 1, c, "mean =");
    r.mean_line = i + 1;
    return;
  }
  // TensorRT 7: "GPU Compute" then "min: a ms", "max: b ms", "mean: X ms", ... one per line.
  for (size_t k = i + 1; k < t.lines.size() && k <= i + 6; ++k) {
    const std::string_view m = Content(t.lines[k]);
    if (StartsWith(m, "mean:")) {
      r.mean = SummaryMean(t, k + 1, m, "mean:");
      r.mean_line = k + 1;
      r.old_format = true;
      return;
    }
  }
  throw Error(t.At(i + 1, "'GPU Compute' block without a 'mean:' line (the log is cut short?)"));
}

// "input:8x3x224x224,mask:8x128" -> the first input's dims ("name:dims"; the name may hold
// ':'); `sep` is ':' for command-line specs, '=' for trtexec's "Input inference shape" line.
std::vector<int64_t> FirstShape(std::string_view spec, char sep, const std::string& where) {
  std::string_view first = spec.substr(0, spec.find(','));
  const size_t at = first.rfind(sep);
  if (at == std::string_view::npos) {
    throw Error(where + "shape spec '" + std::string(spec) + "' is not name" + sep + "dims");
  }
  return ParseDims(first.substr(at + 1), where);
}

std::string Runtime(const Run& r) {
  if (!r.version_line.empty()) return "TensorRT " + std::string(r.version_line);
  // "v8600" -> 8.6.0, "v8401" -> 8.4.1, "v101601" -> 10.16.1.
  if (r.version_tag.size() > 1 && r.version_tag[0] == 'v') {
    if (const auto v = ParseInteger(std::string_view(r.version_tag).substr(1)); v && *v > 0) {
      const int64_t n = *v;
      if (n >= 100000) {
        return "TensorRT " + std::to_string(n / 10000) + "." + std::to_string(n / 100 % 100) + "." +
               std::to_string(n % 100);
      }
      return "TensorRT " + std::to_string(n / 1000) + "." + std::to_string(n / 100 % 10) + "." +
             std::to_string(n % 100);
    }
  }
  return "TensorRT";
}

Measurement ReadRun(const TextLines& t, const Run& r, const UserMeasurementOptions& options) {
  Measurement m;
  const std::string cmd = t.At(r.start + 1, "");  // where the command line is
  m.origin = t.file;
  m.id = t.file + ":" + std::to_string(r.mean_line);
  m.source =
      m.id + (r.old_format ? " (trtexec GPU Compute mean)" : " (trtexec GPU Compute Time mean)");
  m.value = *r.mean;
  m.runtime = Runtime(r);
  m.units = Arg(r, "--useDLACore") ? (Flag(r, "--allowGPUFallback") ? "gpu+dla" : "dla") : "gpu";

  // The model: an ONNX file tops can read, else the engine / Caffe / UFF file trtexec ran.
  const bool onnx_format = r.format_line == "ONNX";
  std::string_view onnx, other;
  if (!r.model_line.empty() && (onnx_format || ModelPathTopsReads(r.model_line))) {
    onnx = r.model_line;
  } else if (const auto a = Arg(r, "--onnx")) {
    onnx = *a;
  } else if (ModelPathTopsReads(r.input_file_line)) {
    onnx = r.input_file_line;
  }
  const bool engine = Arg(r, "--loadEngine") || !r.engine_line.empty();
  for (auto v : {Arg(r, "--loadEngine"), std::optional<std::string_view>(r.engine_line),
                 Arg(r, "--deploy"), std::optional<std::string_view>(r.prototxt_line),
                 Arg(r, "--uff"), std::optional<std::string_view>(r.model_line)}) {
    if (onnx.empty() && other.empty() && v && !v->empty()) other = *v;
  }
  if (!onnx.empty()) {
    m.fixture = std::string(onnx);
    m.model = ModelStem(onnx);
  } else if (!other.empty()) {
    m.model = ModelStem(other);
    m.fixture_note = "trtexec ran '" + std::string(other) +
                     "', a file tops cannot read: give the ONNX model it was built from";
  } else if (options.model.empty()) {
    throw Error(t.At(r.start + 1,
                     "the trtexec run names no model (no --onnx, --loadEngine or "
                     "'Model:' line): give the model's path"));
  }

  // Precision: the command line's flags, else the build options' "Precision:" line (not for
  // an engine loaded from a file: trtexec prints its default build options then).
  std::string flags;
  std::optional<Precision> p;
  static constexpr std::pair<std::string_view, Precision> kFlags[] = {{"--fp16", Precision::kFp16},
                                                                      {"--bf16", Precision::kBf16},
                                                                      {"--int4", Precision::kInt4},
                                                                      {"--int8", Precision::kInt8},
                                                                      {"--best", Precision::kInt8}};
  for (const auto& [flag, prec] : kFlags) {
    if (Flag(r, flag)) {
      flags += (flags.empty() ? "" : " ") + std::string(flag);
      if (!p || PrecisionBits(prec) <= PrecisionBits(*p)) p = prec;
    }
  }
  if (p) {
    m.precision_published = flags;
    if (engine) m.precision_published += " (given with --loadEngine: not the engine's own)";
  } else if (!engine && !r.precision_line.empty() &&
             r.precision_line.find("Strongly") == std::string_view::npos &&
             r.precision_line.find("FP8") == std::string_view::npos) {
    // FP8 has no Precision of its own and a strongly typed network takes the model's types:
    // neither says a precision here.
    const std::string_view pl = r.precision_line;
    if (pl.find("INT4") != std::string_view::npos) {
      p = Precision::kInt4;
    } else if (pl.find("INT8") != std::string_view::npos) {
      p = Precision::kInt8;
    } else if (pl.find("FP16") != std::string_view::npos) {
      p = Precision::kFp16;
    } else if (pl.find("BF16") != std::string_view::npos) {
      p = Precision::kBf16;
    } else if (pl.find("FP32") != std::string_view::npos) {
      p = Precision::kFp32;
    }
    if (p) m.precision_published = "Precision: " + std::string(pl);
  }
  if (p) m.precision = *p;

  // Batch and input: --shapes, else the shape trtexec ran ("Input inference shape"), else
  // --optShapes (what it runs without --shapes), else implicit batch (--batch, "Batch: N").
  if (const auto s = Arg(r, "--shapes")) {
    m.input = FirstShape(*s, ':', cmd + "--shapes: ");
  } else if (!r.shape_line.empty() && r.shape_line != "model") {
    m.input = FirstShape(r.shape_line, '=', t.At(r.shape_line_no, ""));
  } else if (const auto o = Arg(r, "--optShapes")) {
    m.input = FirstShape(*o, ':', cmd + "--optShapes: ");
  }
  if (!m.input.empty()) {
    m.batch = m.input[0];
  } else {
    std::optional<std::string_view> b = Arg(r, "--batch");
    if (!b && !r.batch_line.empty() && r.batch_line != "Explicit") b = r.batch_line;
    if (b) {
      const auto n = ParseInteger(*b);
      if (!n || *n < 1 || *n > kMaxBatch) {
        throw Error(cmd + "batch '" + std::string(*b) + "' must be a whole number from 1 to " +
                    std::to_string(kMaxBatch));
      }
      m.batch = *n;
    }
  }
  ApplyUserOptions(m, p.has_value(), true, options);
  return m;
}

}  // namespace

std::vector<Measurement> ReadTrtexecLog(const TextLines& t, const UserMeasurementOptions& options) {
  std::vector<Run> runs(1);
  for (size_t i = 0; i < t.lines.size(); ++i) {
    if (t.lines[i].find("&&&& RUNNING TensorRT.trtexec") != std::string_view::npos) {
      if (runs.back().has_content || !runs.back().args.empty()) runs.emplace_back();
      runs.back().start = i;
    }
    ReadLine(t, i, runs.back());
  }
  std::vector<Measurement> rows;
  size_t skipped = 0;
  for (const Run& r : runs) {
    if (r.mean) {
      rows.push_back(ReadRun(t, r, options));
    } else if (r.failed || Flag(r, "--skipInference")) {
      ++skipped;  // trtexec says so itself: no measurement
    } else if (r.has_content || !r.args.empty()) {
      throw Error(t.At(r.start + 1,
                       "this trtexec run has no 'GPU Compute Time' summary: the log "
                       "is cut short, or the run printed no timing"));
    }
  }
  if (rows.empty()) {
    throw Error(t.File(skipped ? "no timing: every trtexec run in the log failed or skipped "
                                 "inference ('&&&& FAILED', --skipInference)"
                               : "no timing: no 'GPU Compute Time' summary in the trtexec log"));
  }
  return rows;
}

}  // namespace tops::io
