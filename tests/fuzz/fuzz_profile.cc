// libFuzzer target: arbitrary bytes through the reader, shape inference, costs and every
// writer (tests/fuzz/pipeline.h). A tops::Error is a correct answer; anything else is a
// finding. Run with `make fuzz` (docs/robustness.md).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tops::fuzz::RunPipeline(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
