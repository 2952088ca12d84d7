// libFuzzer target for the TFLite reader: arbitrary bytes through io::ReadTfliteBytes, then the
// same profile, writers and analyses as fuzz_profile (tests/fuzz/pipeline.h). A tops::Error is
// a correct answer; anything else is a finding. Seeds: tests/fuzz/corpus_tflite (the fixtures
// and the malformed table's files); `make fuzz` runs it (docs/robustness.md).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "io/tflite_reader.h"
#include "pipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tops::fuzz::RunPipeline(std::string_view(reinterpret_cast<const char*>(data), size),
                          tops::io::ReadTfliteBytes);
  return 0;
}
