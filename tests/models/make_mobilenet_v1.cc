// Writes tests/models/mobilenet_v1.onnx: MobileNet v1 1.0 at 224x224 (Howard et al. 2017,
// "MobileNets", Table 1), in the form the other fixtures have (PyTorch-style export, opset 13,
// BatchNorm folded into each Conv as a bias, ReLU6 as Clip(0, 6), weightless: initializers over
// 64 elements keep their name, dims and type but carry no data). 1000 classes.
//
// Torchvision has no MobileNet v1, so this fixture is generated; the test ReferenceModels.
// MobileNetV1FixtureIsGenerated regenerates it and compares the bytes with the committed file.
//
// Usage: make_mobilenet_v1 OUT.onnx
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

class Writer {
 public:
  Writer() {
    model_.set_ir_version(7);
    model_.set_producer_name("tops make_mobilenet_v1");
    model_.set_producer_version("1");
    auto* opset = model_.add_opset_import();
    opset->set_domain("");
    opset->set_version(13);
    graph_ = model_.mutable_graph();
    graph_->set_name("mobilenet_v1");
    Value(graph_->add_input(), "input", {1, 3, 224, 224});
    // ReLU6 bounds, shared by every Clip (as the exporter does).
    Scalar("relu6_min", 0.0f);
    Scalar("relu6_max", 6.0f);
  }

  // Conv (BN folded: weight + bias) followed by ReLU6; returns the activation's name.
  std::string ConvRelu6(const std::string& name, const std::string& x, int64_t cin, int64_t cout,
                        int64_t kernel, int64_t stride, int64_t group) {
    const std::string w = name + ".weight", b = name + ".bias";
    Weight(w, {cout, cin / group, kernel, kernel});
    Weight(b, {cout});
    const int64_t pad = kernel / 2;
    auto* n = Node("Conv", name + "/Conv", {x, w, b}, {name + "/Conv_output_0"});
    Ints(n, "dilations", {1, 1});
    Int(n, "group", group);
    Ints(n, "kernel_shape", {kernel, kernel});
    Ints(n, "pads", {pad, pad, pad, pad});
    Ints(n, "strides", {stride, stride});
    Node("Clip", name + "/Clip", {name + "/Conv_output_0", "relu6_min", "relu6_max"},
         {name + "/Clip_output_0"});
    return name + "/Clip_output_0";
  }

  void Head(const std::string& x, int64_t channels, int64_t classes) {
    Node("GlobalAveragePool", "/GlobalAveragePool", {x}, {"/GlobalAveragePool_output_0"});
    Int(Node("Flatten", "/Flatten", {"/GlobalAveragePool_output_0"}, {"/Flatten_output_0"}), "axis",
        1);
    Weight("fc.weight", {classes, channels});
    Weight("fc.bias", {classes});
    auto* g = Node("Gemm", "/fc/Gemm", {"/Flatten_output_0", "fc.weight", "fc.bias"}, {"output"});
    Int(g, "transB", 1);
    Value(graph_->add_output(), "output", {1, classes});
  }

  bool Save(const std::string& path) const {
    std::string bytes;
    if (!model_.SerializeToString(&bytes)) return false;
    std::ofstream f(path, std::ios::binary);
    f << bytes;
    return static_cast<bool>(f);
  }

 private:
  static void Value(onnx::ValueInfoProto* v, const std::string& name,
                    const std::vector<int64_t>& dims) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims) t->mutable_shape()->add_dim()->set_dim_value(d);
  }
  void Weight(const std::string& name, const std::vector<int64_t>& dims) {
    auto* t = graph_->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    int64_t elems = 1;
    for (int64_t d : dims) {
      t->add_dims(d);
      elems *= d;
    }
    // Small tensors keep (zero) values, larger ones are weightless like the shared fixtures.
    if (elems <= 64) t->set_raw_data(std::string(static_cast<size_t>(elems) * 4, '\0'));
  }
  void Scalar(const std::string& name, float value) {
    auto* t = graph_->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    t->add_float_data(value);
  }
  onnx::NodeProto* Node(const std::string& op, const std::string& name,
                        const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs) {
    auto* n = graph_->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (const auto& i : inputs) n->add_input(i);
    for (const auto& o : outputs) n->add_output(o);
    return n;
  }
  static void Int(onnx::NodeProto* n, const std::string& name, int64_t v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  static void Ints(onnx::NodeProto* n, const std::string& name, const std::vector<int64_t>& v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t x : v) a->add_ints(x);
  }

  onnx::ModelProto model_;
  onnx::GraphProto* graph_ = nullptr;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_mobilenet_v1 OUT.onnx\n";
    return 2;
  }
  Writer w;
  // Table 1 of the paper: a full 3x3 conv, then 13 depthwise-separable blocks
  // (depthwise 3x3 + pointwise 1x1), global average pool and the classifier.
  std::string x = w.ConvRelu6("/conv1", "input", 3, 32, 3, 2, 1);
  struct Block {
    int64_t cin, cout, stride;
  };
  const Block blocks[] = {{32, 64, 1},    {64, 128, 2},  {128, 128, 1}, {128, 256, 2},
                          {256, 256, 1},  {256, 512, 2}, {512, 512, 1}, {512, 512, 1},
                          {512, 512, 1},  {512, 512, 1}, {512, 512, 1}, {512, 1024, 2},
                          {1024, 1024, 1}};
  int i = 1;
  for (const Block& b : blocks) {
    const std::string id = "/block" + std::to_string(i++);
    x = w.ConvRelu6(id + "/dw", x, b.cin, b.cin, 3, b.stride, b.cin);
    x = w.ConvRelu6(id + "/pw", x, b.cin, b.cout, 1, 1, 1);
  }
  w.Head(x, 1024, 1000);
  if (!w.Save(argv[1])) {
    std::cerr << "make_mobilenet_v1: cannot write " << argv[1] << "\n";
    return 1;
  }
  return 0;
}
