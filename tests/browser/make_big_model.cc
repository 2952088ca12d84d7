// Writes a synthetic ONNX model of N nodes (default 6,000) for the report size and render-time
// check: a chain of Conv 3x3 + Relu blocks on a 1x64x56x56 input, weights as dims only (the
// reader never needs their values). The first node carries an HTML payload as its name, so the
// browser test also shows that the report escapes names taken from the file.
//
// Usage: make_big_model OUT.onnx [NODES]
#include <onnx/onnx_pb.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace {

void AddInt(onnx::NodeProto* node, const std::string& name, std::initializer_list<int64_t> v) {
  onnx::AttributeProto* a = node->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}

void SetShape(onnx::ValueInfoProto* vi, const std::string& name) {
  vi->set_name(name);
  onnx::TypeProto::Tensor* t = vi->mutable_type()->mutable_tensor_type();
  t->set_elem_type(onnx::TensorProto::FLOAT);
  for (int64_t d : {1, 64, 56, 56}) t->mutable_shape()->add_dim()->set_dim_value(d);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUT.onnx [NODES]\n", argv[0]);
    return 2;
  }
  const int nodes = argc > 2 ? std::atoi(argv[2]) : 6000;
  if (nodes < 2 || nodes % 2 != 0) {
    std::fprintf(stderr, "NODES must be an even number >= 2\n");
    return 2;
  }
  onnx::ModelProto model;
  model.set_ir_version(7);
  model.set_producer_name("make_big_model");
  model.add_opset_import()->set_version(13);
  onnx::GraphProto* g = model.mutable_graph();
  g->set_name("big");
  SetShape(g->add_input(), "x");
  std::string prev = "x";
  for (int b = 0; b < nodes / 2; ++b) {
    const std::string blk = "/blocks." + std::to_string(b);
    onnx::TensorProto* w = g->add_initializer();
    w->set_name(blk + ".weight");
    w->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : {64, 64, 3, 3}) w->add_dims(d);

    onnx::NodeProto* conv = g->add_node();
    conv->set_op_type("Conv");
    conv->set_name(b == 0 ? "<img src=x onerror=\"document.title='pwned'\">&amp;"
                          : blk + "/conv/Conv");
    conv->add_input(prev);
    conv->add_input(blk + ".weight");
    conv->add_output(blk + "/conv");
    AddInt(conv, "kernel_shape", {3, 3});
    AddInt(conv, "pads", {1, 1, 1, 1});

    onnx::NodeProto* relu = g->add_node();
    relu->set_op_type("Relu");
    relu->set_name(blk + "/relu/Relu");
    relu->add_input(blk + "/conv");
    prev = blk + "/relu";
    relu->add_output(prev);
  }
  SetShape(g->add_output(), prev);
  std::ofstream out(argv[1], std::ios::binary);
  if (!out || !model.SerializeToOstream(&out)) {
    std::fprintf(stderr, "cannot write %s\n", argv[1]);
    return 1;
  }
  return 0;
}
