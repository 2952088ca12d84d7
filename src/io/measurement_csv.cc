// A user's measurements as CSV (tops/measurement.h): RFC 4180 fields (quotes around a field
// that holds commas, "" for a quote inside one), a header row naming the columns, '#' comment
// lines and blank lines skipped. One row per record; every error names FILE:LINE and the column.
#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "core/text.h"
#include "io/measurement_text.h"
#include "tops/error.h"

namespace tops::io {
namespace {

struct Record {
  size_t line = 0;  // 1-based, where the record starts
  std::vector<std::string> cells;
};

// Reads the record that starts at lines[i] (a quoted field may span lines) and moves i past it.
Record ReadRecord(const TextLines& t, size_t& i) {
  Record r;
  r.line = i + 1;
  std::string cell;
  bool quoted = false;
  bool closed = false;  // after the closing quote of a quoted field
  auto end_cell = [&] {
    r.cells.emplace_back(TrimSpace(cell));
    cell.clear();
    closed = false;
  };
  while (true) {
    const std::string_view l = t.lines[i];
    for (size_t k = 0; k < l.size(); ++k) {
      const char c = l[k];
      if (quoted) {
        if (c != '"') {
          cell.push_back(c);
        } else if (k + 1 < l.size() && l[k + 1] == '"') {
          cell.push_back('"');
          ++k;
        } else {
          quoted = false;
          closed = true;
        }
      } else if (c == ',') {
        end_cell();
      } else if (closed) {
        if (c == ' ' || c == '\t') continue;
        throw Error(t.At(i + 1, "field " + std::to_string(r.cells.size() + 1) +
                                    ": text after the closing quote (a quote inside a quoted "
                                    "field is written \"\")"));
      } else if (c == '"' && TrimSpace(cell).empty()) {
        cell.clear();
        quoted = true;
      } else {
        cell.push_back(c);
      }
    }
    ++i;
    if (!quoted) break;
    if (i >= t.lines.size()) {
      throw Error(t.At(r.line, "a quoted field opened on this line never closes"));
    }
    cell.push_back('\n');
  }
  end_cell();
  return r;
}

bool Skipped(std::string_view line) {
  return TrimSpace(line).empty() || StartsWith(TrimSpace(line), "#");
}

enum Column {
  kModel,
  kLatency,
  kFps,
  kPrecision,
  kChip,
  kRuntime,
  kBatch,
  kInput,
  kCores,
  kPower,
  kId
};
constexpr std::array<std::string_view, 11> kColumnNames = {
    "model", "latency_ms", "fps",   "precision", "chip", "runtime",
    "batch", "input",      "cores", "power_w",   "id"};

std::string KnownColumns() {
  std::string s;
  for (std::string_view n : kColumnNames) s += (s.empty() ? "" : ", ") + std::string(n);
  return s;
}

class CsvRow {
 public:
  CsvRow(const TextLines& t, const Record& r, const std::array<int, 11>& index)
      : t_(t), r_(r), index_(index) {}

  // The cell of a column ("" when the header has no such column).
  std::string_view Cell(Column c) const {
    return index_[c] < 0 ? std::string_view() : std::string_view(r_.cells[index_[c]]);
  }
  std::string Where(Column c) const {
    return t_.At(r_.line, "column '" + std::string(kColumnNames[c]) + "': ");
  }
  double Number(Column c) const {
    const auto v = ParseDecimal(Cell(c));
    if (!v) throw Error(Where(c) + "'" + std::string(Cell(c)) + "' is not a number");
    return *v;
  }
  int64_t Integer(Column c, int64_t max) const {
    const auto v = ParseInteger(Cell(c));
    if (!v || *v < 1 || *v > max) {
      throw Error(Where(c) + "'" + std::string(Cell(c)) + "' must be a whole number from 1 to " +
                  std::to_string(max));
    }
    return *v;
  }

 private:
  const TextLines& t_;
  const Record& r_;
  const std::array<int, 11>& index_;
};

Measurement ReadRow(const TextLines& t, const Record& r, const std::array<int, 11>& index,
                    const UserMeasurementOptions& options) {
  const CsvRow row(t, r, index);
  for (size_t k = 0; k < r.cells.size(); ++k) {
    if (r.cells[k].find('\n') != std::string::npos) {
      throw Error(
          t.At(r.line, "field " + std::to_string(k + 1) + " spans lines (a quote left open?)"));
    }
  }
  Measurement m;
  m.origin = t.file;
  m.source = t.file + ":" + std::to_string(r.line);
  m.id = row.Cell(kId).empty() ? m.source : std::string(row.Cell(kId));
  if (row.Cell(kModel).empty()) throw Error(row.Where(kModel) + "empty (a model file's path)");
  m.fixture = std::string(row.Cell(kModel));
  m.model = ModelStem(m.fixture);
  const bool has_latency = !row.Cell(kLatency).empty();
  const bool has_fps = !row.Cell(kFps).empty();
  if (has_latency && has_fps) {
    throw Error(t.At(r.line, "both latency_ms and fps are given; a row holds one of them"));
  }
  if (has_latency) {
    m.metric = MeasurementMetric::kLatencyMs;
    m.value = CheckLatencyMs(row.Number(kLatency), row.Where(kLatency), "latency");
  } else if (has_fps) {
    m.metric = MeasurementMetric::kFps;
    m.value = CheckFps(row.Number(kFps), row.Where(kFps), "rate");
  } else {
    throw Error(t.At(r.line, "no latency_ms or fps: a row needs one of them"));
  }
  const std::string precision(row.Cell(kPrecision));
  if (!precision.empty()) {
    const std::string lower = AsciiLower(precision);
    if (lower == "w8a16" || lower == "int16") {
      m.precision = Precision::kInt8;
      m.activations_16bit = true;
    } else if (auto p = ParsePrecision(precision)) {
      m.precision = *p;
    } else {
      throw Error(row.Where(kPrecision) + "unknown precision '" + precision +
                  "' (int8, fp16, int4, fp32, bf16, w8a16)");
    }
    m.precision_published = precision;
  }
  m.chip = std::string(row.Cell(kChip));
  m.runtime = std::string(row.Cell(kRuntime));
  if (!row.Cell(kInput).empty()) m.input = ParseDims(row.Cell(kInput), row.Where(kInput));
  if (!row.Cell(kBatch).empty()) {
    m.batch = row.Integer(kBatch, kMaxBatch);
    if (!m.input.empty() && m.input[0] != m.batch) {
      throw Error(row.Where(kBatch) + std::to_string(m.batch) + " disagrees with the input's " +
                  "first dim " + std::to_string(m.input[0]));
    }
  } else if (!m.input.empty()) {
    m.batch = m.input[0];
  }
  if (!row.Cell(kCores).empty()) m.cores = row.Integer(kCores, kMaxCores);
  if (!row.Cell(kPower).empty()) {
    const double w = row.Number(kPower);
    if (!(w > 0) || w > kMaxPowerW) {
      throw Error(row.Where(kPower) + "'" + std::string(row.Cell(kPower)) +
                  "' must be above 0 and at most " + std::to_string(int64_t(kMaxPowerW)) + " W");
    }
    m.power_mode_w = w;
  }
  ApplyUserOptions(m, !precision.empty(), false, options);
  return m;
}

}  // namespace

std::vector<Measurement> ReadMeasurementCsv(const TextLines& t, size_t header_line,
                                            const UserMeasurementOptions& options) {
  size_t i = header_line - 1;
  const Record header = ReadRecord(t, i);
  std::array<int, 11> index;
  index.fill(-1);
  for (size_t k = 0; k < header.cells.size(); ++k) {
    const std::string name = AsciiLower(header.cells[k]);
    const auto it = std::find(kColumnNames.begin(), kColumnNames.end(), name);
    if (it == kColumnNames.end()) {
      throw Error(t.At(header.line, "unknown column '" + header.cells[k] +
                                        "' (the columns: " + KnownColumns() + ")"));
    }
    int& slot = index[static_cast<size_t>(it - kColumnNames.begin())];
    if (slot >= 0) throw Error(t.At(header.line, "column '" + name + "' appears twice"));
    slot = static_cast<int>(k);
  }
  if (index[kLatency] < 0 && index[kFps] < 0) {
    throw Error(t.At(header.line, "the header names no 'latency_ms' or 'fps' column"));
  }
  std::vector<Measurement> rows;
  std::map<std::string, size_t> ids;
  while (i < t.lines.size()) {
    if (Skipped(t.lines[i])) {
      ++i;
      continue;
    }
    const Record r = ReadRecord(t, i);
    if (r.cells.size() != header.cells.size()) {
      throw Error(t.At(r.line, std::to_string(r.cells.size()) + " fields, the header (line " +
                                   std::to_string(header.line) + ") has " +
                                   std::to_string(header.cells.size()) +
                                   " (a value holding a comma needs quotes: \"a,b\")"));
    }
    Measurement m = ReadRow(t, r, index, options);
    const auto [it, fresh] = ids.emplace(m.id, r.line);
    if (!fresh) {
      throw Error(
          t.At(r.line, "id '" + m.id + "' already used on line " + std::to_string(it->second)));
    }
    rows.push_back(std::move(m));
  }
  if (rows.empty()) throw Error(t.File("a header but no rows"));
  return rows;
}

}  // namespace tops::io
