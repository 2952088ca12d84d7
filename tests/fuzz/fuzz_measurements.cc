// libFuzzer target for a user's own measurements (tops/measurement.h, ReadUserMeasurements: a
// CSV, trtexec's or benchmark_model's printed output): arbitrary bytes through the format
// detection and the three readers, once without options and once with chip, precision and model
// given. A tops::Error is a correct answer; anything else (crash, sanitizer report, hang) is a
// finding, and so is a row that breaks what the readers promise (a positive figure within the
// limits, a batch of at least 1, an id, a finite time per image).
// Run with `make fuzz` (docs/robustness.md); seeds: tests/calibrate/logs/ (real logs) and
// tests/fuzz/corpus_measurements/ (the malformed table of
// tests/calibrate/user_measurements_malformed_test.cc, written with TOPS_WRITE_CORPUS).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "io/measurement_text.h"
#include "tops/error.h"
#include "tops/measurement.h"

namespace {

void Check(const tops::Measurement& m) {
  const double max =
      m.metric == tops::MeasurementMetric::kFps ? tops::io::kMaxFps : tops::io::kMaxLatencyMs;
  const double per_image = m.MsPerImage();
  if (!(m.value > 0) || m.value > max || m.batch < 1 || m.batch > tops::io::kMaxBatch ||
      m.id.empty() || m.source.empty() || !std::isfinite(per_image) || !(per_image > 0) ||
      (m.fixture.empty() && m.model.empty())) {
    std::abort();
  }
  for (int64_t d : m.input) {
    if (d < 1 || d > tops::io::kMaxDim) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  tops::UserMeasurementOptions given;
  given.chip = "rk3588";
  given.precision = tops::Precision::kFp16;
  given.model = "models/m.onnx";
  for (const tops::UserMeasurementOptions& o : {tops::UserMeasurementOptions{}, given}) {
    try {
      for (const tops::Measurement& m : tops::io::ParseUserMeasurements(text, "fuzz.txt", o)) {
        Check(m);
        if (!o.chip.empty() && m.chip.empty()) std::abort();
      }
    } catch (const tops::Error&) {
    }
  }
  return 0;
}
