// make_full_size: writes the full-size version of a weightless fixture (zeros where the payloads
// were stripped), for the speed and memory comparison in bench/compare.sh.
//   make_full_size tests/models/resnet50.onnx build/full_size/resnet50.onnx
#include <cstdio>
#include <exception>
#include <filesystem>

#include "full_size.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s WEIGHTLESS.onnx FULL_SIZE.onnx\n", argv[0]);
    return 2;
  }
  try {
    const tops::bench::FillStats stats = tops::bench::MakeFullSizeFile(argv[1], argv[2]);
    const auto bytes = std::filesystem::file_size(argv[2]);
    std::printf("%s: %.1f MB (%lld tensors filled, %lld payload bytes)\n", argv[2], bytes / 1e6,
                static_cast<long long>(stats.tensors), static_cast<long long>(stats.bytes));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_full_size: %s\n", e.what());
    return 2;
  }
  return 0;
}
