// The printed output of TensorFlow Lite's benchmark_model (tops/measurement.h): one row per run.
// A run starts at "STARTING!" (or at the command line just before it); lines are matched
// wherever they sit in the line, so a prefix ("INFO: ", logcat's "I tflite  : ", indentation)
// does not matter. The latency is "Inference (avg)" of "Inference timings in us: ...", else the
// avg= of the timed runs' "count=... avg=X" line (the one after the second "Running benchmark for
// at least" header; the first is the warm-up), in microseconds.
#include <cctype>

#include "io/measurement_text.h"
#include "tops/error.h"

namespace tops::io {
namespace {

bool Has(std::string_view s, std::string_view what) {
  return s.find(what) != std::string_view::npos;
}

// The value in brackets after `key` ("Use gpu : [1]", "Graph: [a.tflite]"), when the line holds
// key, optional spaces, ':', optional spaces and '['. The value runs to the line's last ']'.
std::optional<std::string_view> Bracket(std::string_view line, std::string_view key) {
  const size_t at = line.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  if (at > 0 && std::isalnum(static_cast<unsigned char>(line[at - 1]))) return std::nullopt;
  std::string_view rest = line.substr(at + key.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.empty() || rest.front() != ':') return std::nullopt;
  rest = TrimSpace(rest.substr(1));
  const size_t close = rest.rfind(']');
  if (rest.empty() || rest.front() != '[' || close == std::string_view::npos) return std::nullopt;
  return rest.substr(1, close - 1);
}

bool On(std::string_view line, std::initializer_list<std::string_view> keys) {
  for (std::string_view k : keys) {
    if (const auto v = Bracket(line, k); v && (*v == "1" || *v == "true")) return true;
  }
  return false;
}

// The number after `key` up to the next ',' or space, in us.
std::optional<double> NumberAfter(std::string_view line, std::string_view key) {
  const size_t at = line.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = TrimSpace(line.substr(at + key.size()));
  return ParseDecimal(rest.substr(0, rest.find_first_of(", ")));
}

struct Run {
  size_t start = 0;
  bool begun = false;
  std::string_view graph, cmd_graph, loaded, version, accelerator, external, shapes;
  bool nnapi = false, gpu = false, hexagon = false, xnnpack = false, coreml = false;
  bool failed = false;
  int headers = 0;  // "Running benchmark for at least ..." lines seen
  std::optional<double> timing_us, avg_us;
  size_t timing_line = 0, avg_line = 0;
};

void ReadLine(const TextLines& t, size_t i, Run& r) {
  const std::string_view l = t.lines[i];
  if (const auto g = Bracket(l, "Graph"); g && r.graph.empty()) r.graph = TrimSpace(*g);
  if (const size_t at = l.find("--graph="); at != std::string_view::npos && r.cmd_graph.empty()) {
    std::string_view v = l.substr(at + 8);
    v = v.substr(0, v.find_first_of(" \t'\","));
    r.cmd_graph = v;
  }
  if (const size_t at = l.find("Loaded model "); at != std::string_view::npos && r.loaded.empty()) {
    r.loaded = TrimSpace(l.substr(at + 13));
  }
  for (std::string_view key : {"Tensorflow Version", "TensorFlow Version"}) {
    const size_t at = l.find(key);
    if (at == std::string_view::npos || !r.version.empty()) continue;
    std::string_view rest = TrimSpace(l.substr(at + key.size()));
    if (!rest.empty() && rest.front() == ':') r.version = TrimSpace(rest.substr(1));
  }
  r.nnapi |= On(l, {"Use NNAPI", "Use nnapi", "Use legacy nnapi"});
  r.gpu |= On(l, {"Use gpu", "Use GPU"});
  r.hexagon |= On(l, {"Use Hexagon", "Use hexagon"});
  r.xnnpack |= On(l, {"Use xnnpack", "Use XNNPACK"});
  r.coreml |= On(l, {"Use coreml", "Use CoreML"});
  if (const auto a = Bracket(l, "NNAPI accelerator name"); a && !a->empty()) r.accelerator = *a;
  if (const auto e = Bracket(l, "External delegate path"); e && !e->empty()) r.external = *e;
  if (const auto s = Bracket(l, "Input shapes"); s && !s->empty()) r.shapes = *s;
  if (Has(l, "Benchmarking failed")) r.failed = true;
  if (Has(l, "Running benchmark for at least")) ++r.headers;
  if (Has(l, "Inference timings in us:")) {
    if (r.timing_us) {
      throw Error(t.At(i + 1,
                       "a second 'Inference timings in us' line in one run (the first is "
                       "on line " +
                           std::to_string(r.timing_line) + "): runs start at 'STARTING!'"));
    }
    const auto v = NumberAfter(l, "Inference (avg):");
    if (!v) {
      throw Error(t.At(i + 1,
                       "'Inference timings in us' without a number after 'Inference "
                       "(avg):' (the log is cut short?)"));
    }
    r.timing_us = *v;
    r.timing_line = i + 1;
  } else if (r.headers >= 2 && !r.timing_us && Has(l, "count=") && Has(l, "avg=") &&
             !Has(l, "Timings (microseconds)")) {
    const auto v = NumberAfter(l, "avg=");
    if (!v) throw Error(t.At(i + 1, "'avg=' without a number (the log is cut short?)"));
    r.avg_us = *v;
    r.avg_line = i + 1;
  }
}

std::string Runtime(const Run& r) {
  std::string s = "TFLite benchmark_model";
  if (!r.version.empty()) s += " " + std::string(r.version);
  std::vector<std::string> d;
  if (r.nnapi) {
    d.push_back(r.accelerator.empty() ? "NNAPI delegate"
                                      : "NNAPI delegate (" + std::string(r.accelerator) + ")");
  }
  if (r.gpu) d.push_back("GPU delegate");
  if (r.hexagon) d.push_back("Hexagon delegate");
  if (!r.external.empty()) d.push_back("external delegate " + std::string(r.external));
  if (r.coreml) d.push_back("Core ML delegate");
  if (r.xnnpack) d.push_back("XNNPACK delegate");
  if (d.empty()) return s + ", CPU";
  s += ", ";
  for (size_t k = 0; k < d.size(); ++k) s += (k ? " + " : "") + d[k];
  return s;
}

Measurement ReadRun(const TextLines& t, const Run& r, const UserMeasurementOptions& options) {
  Measurement m;
  const bool inference = r.timing_us.has_value();
  const size_t line = inference ? r.timing_line : r.avg_line;
  m.origin = t.file;
  m.id = t.file + ":" + std::to_string(line);
  m.source = m.id + (inference ? " (benchmark_model Inference (avg), us)"
                               : " (benchmark_model avg= of the timed runs, us)");
  m.value = CheckLatencyMs((inference ? *r.timing_us : *r.avg_us) / 1000.0, t.At(line, ""),
                           "average inference time");
  m.runtime = Runtime(r);
  const bool other = r.nnapi || r.hexagon || !r.external.empty() || r.coreml;
  m.units = other ? "" : (r.gpu ? "gpu" : "cpu");
  std::string_view model = r.graph;
  if (model.empty()) model = r.cmd_graph;
  if (model.empty()) model = r.loaded;
  if (!model.empty()) {
    m.fixture = std::string(model);
    m.model = ModelStem(model);
  } else if (options.model.empty()) {
    throw Error(t.At(r.start + 1,
                     "the benchmark_model run names no model (no 'Graph: [...]' "
                     "line or --graph): give the model's path"));
  }
  if (!r.shapes.empty()) {
    // "1,224,224,3" (inputs separated by ':'): the first input's dims.
    std::string dims(r.shapes.substr(0, r.shapes.find(':')));
    for (char& c : dims) c = c == ',' ? 'x' : c;
    m.input = ParseDims(dims, t.At(r.start + 1, "Input shapes: "));
    m.batch = m.input[0];
  }
  ApplyUserOptions(m, false, true, options);
  return m;
}

}  // namespace

std::vector<Measurement> ReadBenchmarkModelLog(const TextLines& t,
                                               const UserMeasurementOptions& options) {
  std::vector<Run> runs(1);
  bool prev_command = false;
  for (size_t i = 0; i < t.lines.size(); ++i) {
    const std::string_view l = TrimSpace(t.lines[i]);
    if (l.empty()) continue;
    const bool command = Has(l, "--graph=");
    const bool starting = l.ends_with("STARTING!");
    if ((command || (starting && !prev_command)) && runs.back().begun) runs.emplace_back();
    if ((command || starting) && !runs.back().begun) {
      runs.back().start = i;
      runs.back().begun = true;
    }
    ReadLine(t, i, runs.back());
    if ((runs.back().timing_us || runs.back().headers) && !runs.back().begun) {
      runs.back().start = i;
      runs.back().begun = true;
    }
    prev_command = command;
  }
  std::vector<Measurement> rows;
  size_t failed = 0;
  for (const Run& r : runs) {
    if (r.timing_us || r.avg_us) {
      rows.push_back(ReadRun(t, r, options));
    } else if (r.failed) {
      ++failed;  // benchmark_model says so itself: no measurement
    } else if (r.begun) {
      throw Error(t.At(r.start + 1,
                       "this benchmark_model run has no timing ('Inference timings "
                       "in us', or the timed runs' avg=): the log is cut short"));
    }
  }
  if (rows.empty()) {
    throw Error(t.File(failed ? "no timing: every benchmark_model run in the log failed "
                                "('Benchmarking failed')"
                              : "no timing: no 'Inference timings in us' line in the "
                                "benchmark_model log"));
  }
  return rows;
}

}  // namespace tops::io
