// parse_full: the baseline of the page and RSS comparison in bench/compare.sh. It parses the whole
// file into onnx::ModelProto (what a loader that keeps the weights does: every payload byte is
// read and copied) and prints the node and initializer counts, so the work cannot be skipped.
//   parse_full MODEL.onnx
#include <onnx/onnx_pb.h>

#include <cstdio>
#include <fstream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s MODEL.onnx\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  onnx::ModelProto model;
  if (!in || !model.ParseFromIstream(&in)) {
    std::fprintf(stderr, "parse_full: %s: cannot parse\n", argv[1]);
    return 2;
  }
  std::printf("%s: %d nodes, %d initializers\n", argv[1], model.graph().node_size(),
              model.graph().initializer_size());
  return 0;
}
