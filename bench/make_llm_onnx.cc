// Writes a decoder ONNX the way ONNX Runtime GenAI exports one (Llama-3.2-1B sizes: 16 layers,
// hidden 2048, 32 query and 8 KV heads of 64, MLP 8192, vocab 128256), with every weight in an
// external data file that is created sparse: the file has its full size (3.0 GB at fp16, 1.2 GB
// with --int4) but no blocks on disk. `tops llm` must read the graph without ever opening it.
//
//   make_llm_onnx OUT_DIR [--int4]    -> OUT_DIR/model.onnx, OUT_DIR/model.onnx.data
//
// The graph: bench/llm_onnx_writer.h.
#include <cstdio>
#include <cstring>

#include "llm_onnx_writer.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: make_llm_onnx OUT_DIR [--int4]\n");
    return 2;
  }
  const std::string dir = argv[1];
  const bool int4 = argc > 2 && std::strcmp(argv[2], "--int4") == 0;
  const tops::bench::LlmOnnxSizes llama_3_2_1b{128256, 2048, 16, 32, 8, 64, 8192, 131072};
  const int64_t bytes = tops::bench::WriteLlmOnnx(dir, llama_3_2_1b, int4);
  if (bytes < 0) {
    std::fprintf(stderr, "make_llm_onnx: cannot write %s/model.onnx or its data file\n",
                 dir.c_str());
    return 1;
  }
  std::printf("%s/model.onnx; %s/model.onnx.data: %lld bytes (sparse)\n", dir.c_str(), dir.c_str(),
              static_cast<long long>(bytes));
  return 0;
}
