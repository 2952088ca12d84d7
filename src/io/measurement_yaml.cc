// data/measurements/*.yaml: the published rows (schema in data/measurements/README.md).
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "tops/error.h"
#include "tops/measurement.h"

namespace tops {

std::string_view MeasurementMetricName(MeasurementMetric m) {
  return m == MeasurementMetric::kFps ? "fps" : "latency_ms";
}

std::string_view MeasurementModeName(MeasurementMode m) {
  switch (m) {
    case MeasurementMode::kSingleStream:
      return "single_stream";
    case MeasurementMode::kStreaming:
      return "streaming";
    case MeasurementMode::kOffline:
      return "offline";
  }
  return "?";
}

double Measurement::MsPerImage() const {
  if (metric == MeasurementMetric::kFps) return 1000.0 / value;
  return value / static_cast<double>(std::max<int64_t>(1, batch));
}

namespace {

// A scalar field as text; throws naming the row and field.
std::string Text(const YAML::Node& row, const char* key, const std::string& where,
                 bool required = true) {
  const YAML::Node n = row[key];
  if (!n || n.IsNull()) {
    if (required) throw Error(where + ": field '" + key + "' missing");
    return "";
  }
  if (!n.IsScalar()) throw Error(where + ": field '" + key + "' must be a single value");
  return n.as<std::string>();
}

std::optional<double> Number(const YAML::Node& row, const char* key, const std::string& where) {
  const YAML::Node n = row[key];
  if (!n || n.IsNull()) return std::nullopt;
  double v = 0;
  try {
    v = n.as<double>();
  } catch (const YAML::Exception&) {
    throw Error(where + ": field '" + key + "' must be a number, got '" +
                (n.IsScalar() ? n.as<std::string>() : std::string("a list or map")) + "'");
  }
  if (!std::isfinite(v) || v <= 0) {
    throw Error(where + ": field '" + key + "' must be a positive number");
  }
  return v;
}

std::string SourceText(const YAML::Node& s) {
  if (!s || !s.IsMap()) return "";
  if (s["url"]) return s["url"].as<std::string>();
  std::string out = s["repo"] ? s["repo"].as<std::string>() : "";
  if (s["path"]) out += "/" + s["path"].as<std::string>();
  if (s["commit"]) out += "@" + s["commit"].as<std::string>().substr(0, 12);
  if (s["line"]) out += ":" + s["line"].as<std::string>();
  return out;
}

Measurement ReadRow(const YAML::Node& r, const std::string& where, const std::string& file) {
  Measurement m;
  m.id = Text(r, "id", where);
  m.chip = Text(r, "chip", where);
  m.runtime = Text(r, "runtime", where);
  m.model = Text(r, "model", where);
  m.fixture = Text(r, "fixture", where, false);
  m.fixture_note = Text(r, "fixture_note", where, false);
  m.kind = Text(r, "kind", where, false);
  const YAML::Node input = r["input"];
  if (input && input.IsSequence()) {
    for (const auto& d : input) {
      const int64_t v = d.as<int64_t>();
      if (v <= 0) throw Error(where + ": field 'input' holds a non-positive dimension");
      m.input.push_back(v);
    }
  }
  m.precision_published = Text(r, "precision_published", where, false);
  const std::string precision = Text(r, "precision", where);
  if (precision == "w8a16" || precision == "int16") {
    m.precision = Precision::kInt8;
    m.activations_16bit = true;
  } else if (auto p = ParsePrecision(precision)) {
    m.precision = *p;
  } else {
    throw Error(where + ": field 'precision': unknown precision '" + precision + "'");
  }
  if (auto b = Number(r, "batch", where)) m.batch = static_cast<int64_t>(*b);
  if (auto c = Number(r, "cores", where)) m.cores = static_cast<int64_t>(*c);
  m.units = Text(r, "units", where, false);
  if (const YAML::Node l = r["layers"]; l && !l.IsNull()) {
    if (!l.IsMap()) throw Error(where + ": field 'layers' must be a map {total: N, cpu: N, ...}");
    auto count = [&](const char* key, bool required) -> int64_t {
      const YAML::Node n = l[key];
      if (!n || n.IsNull()) {
        if (required) throw Error(where + ": field 'layers' has no 'total'");
        return 0;
      }
      double v = -1;
      try {
        v = n.as<double>();
      } catch (const YAML::Exception&) {
      }
      if (!(v >= 0) || v > 1e6 || v != std::floor(v)) {
        throw Error(where + ": field 'layers." + key +
                    "' must be a whole number from 0 to 1000000");
      }
      return static_cast<int64_t>(v);
    };
    DeployedLayers d;
    d.total = count("total", true);
    d.gpu = count("gpu", false);
    d.cpu = count("cpu", false);
    count("npu", false);
    if (d.total == 0 || d.gpu + d.cpu > d.total) {
      throw Error(where +
                  ": field 'layers': total must be positive and hold the gpu and cpu layers");
    }
    m.layers = d;
  }
  m.power_mode_w = Number(r, "power_mode_w", where);
  const std::string metric = Text(r, "metric", where);
  if (metric == "fps") {
    m.metric = MeasurementMetric::kFps;
  } else if (metric == "latency_ms") {
    m.metric = MeasurementMetric::kLatencyMs;
  } else {
    throw Error(where + ": field 'metric': expected latency_ms or fps, got '" + metric + "'");
  }
  const std::string mode = Text(r, "mode", where);
  if (mode == "single_stream") {
    m.mode = MeasurementMode::kSingleStream;
  } else if (mode == "streaming") {
    m.mode = MeasurementMode::kStreaming;
  } else if (mode == "offline") {
    m.mode = MeasurementMode::kOffline;
  } else {
    throw Error(where + ": field 'mode': expected single_stream, streaming or offline, got '" +
                mode + "'");
  }
  const auto value = Number(r, "value", where);
  if (!value) throw Error(where + ": field 'value' missing");
  m.value = *value;
  m.source = SourceText(r["source"]);
  m.origin = file;
  return m;
}

}  // namespace

std::vector<Measurement> LoadMeasurements(const std::string& path) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const auto& e : fs::directory_iterator(path, ec)) {
      if (e.path().extension() == ".yaml") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
  } else if (fs::exists(path, ec)) {
    files.push_back(path);
  } else {
    throw Error(path +
                ": no such file or directory (published measurements: a .yaml file or a "
                "directory of them, e.g. data/measurements in the source tree)");
  }
  std::vector<Measurement> out;
  for (const auto& file : files) {
    YAML::Node doc;
    try {
      doc = YAML::LoadFile(file);
    } catch (const YAML::Exception& e) {
      throw Error(file + ": not valid YAML: " + e.msg);
    }
    const YAML::Node rows = doc["rows"];
    if (!rows || !rows.IsSequence()) throw Error(file + ": expected a list 'rows'");
    for (size_t i = 0; i < rows.size(); ++i) {
      const YAML::Node r = rows[i];
      std::string where = file + ": row " + std::to_string(i + 1);
      if (r["id"] && r["id"].IsScalar()) where += " (" + r["id"].as<std::string>() + ")";
      try {
        out.push_back(ReadRow(r, where, file));
      } catch (const YAML::Exception& e) {
        throw Error(where + ": " + e.msg);
      }
    }
  }
  return out;
}

}  // namespace tops
