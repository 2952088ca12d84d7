// libFuzzer target for user chip files (`--chips FILE.yaml`): arbitrary bytes loaded over the
// built-in catalog, then every chip the text defines is shown in every format and fitted, at
// each of its power modes and in throughput mode, with ResNet-18's profile. A tops::Error is a
// correct answer; anything else (crash, sanitizer report, hang) is a finding.
// Run with `make fuzz` (docs/robustness.md); seeds: data/chips/ and tests/hw/data/.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>

#include "tops/chip.h"
#include "tops/error.h"
#include "tops/fit.h"
#include "tops/output.h"
#include "tops/profile.h"
#include "tops/read.h"

namespace {

const tops::Profile& ResNet18() {
  static const tops::Profile p =
      tops::ProfileModel(tops::ReadModel(TOPS_SOURCE_DIR "/tests/models/resnet18.onnx"));
  return p;
}

void Exercise(const tops::Catalog& catalog, const tops::Chip& chip) {
  std::ostringstream os;
  const tops::Family& family = catalog.FamilyOf(chip);
  for (tops::Format f :
       {tops::Format::kTable, tops::Format::kJson, tops::Format::kCsv, tops::Format::kMarkdown}) {
    tops::Write(os, tops::ChipSheet{chip, family}, f);
  }
  std::vector<std::optional<double>> modes = {std::nullopt};
  for (double w : chip.power_modes_w.values) modes.push_back(w);
  for (tops::Precision p : {tops::Precision::kInt8, tops::Precision::kFp16}) {
    for (const auto& mode : modes) {
      for (bool throughput : {false, true}) {
        tops::FitOptions o;
        o.precision = tops::UsePrecision(p);
        o.power_w = mode;
        o.throughput = throughput;
        try {
          tops::FitResult r = tops::Fit({{"m", &ResNet18(), 30}}, chip, family, o);
          tops::Write(os, r, tops::Format::kJson);
          tops::Write(os, r, tops::Format::kTable);
        } catch (const tops::Error&) {
        }
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const tops::Catalog builtin = tops::Catalog::Builtin();
  tops::Catalog catalog = builtin;
  try {
    catalog.LoadText(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
  } catch (const tops::Error&) {
    return 0;
  }
  // The chips the text added or replaced.
  for (const tops::Chip& c : catalog.chips()) {
    if (c.origin == "fuzz.yaml") Exercise(catalog, c);
  }
  return 0;
}
