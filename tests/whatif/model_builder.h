// Hand-made ONNX models for the what-if tests, built with the onnx protobuf API and read back
// through tops::ReadOnnxBytes exactly as a file would be.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tops/read.h"

namespace tops::test {

class ModelBuilder {
 public:
  ModelBuilder() {
    model_.set_ir_version(8);
    model_.set_producer_name("whatif_test");
    auto* opset = model_.add_opset_import();
    opset->set_domain("");
    opset->set_version(13);
    model_.mutable_graph()->set_name("g");
  }

  ModelBuilder& Input(const std::string& name, const std::vector<int64_t>& dims,
                      int elem_type = onnx::TensorProto::FLOAT) {
    Typed(model_.mutable_graph()->add_input(), name, dims, elem_type);
    return *this;
  }
  ModelBuilder& Output(const std::string& name, int elem_type = onnx::TensorProto::FLOAT) {
    auto* vi = model_.mutable_graph()->add_output();
    vi->set_name(name);
    vi->mutable_type()->mutable_tensor_type()->set_elem_type(elem_type);
    return *this;
  }
  // An initializer with a zero payload of the right size (float, float16 or 8-bit types).
  ModelBuilder& Weight(const std::string& name, const std::vector<int64_t>& dims,
                       int data_type = onnx::TensorProto::FLOAT) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(data_type);
    int64_t elems = 1;
    for (int64_t d : dims) {
      t->add_dims(d);
      elems *= d;
    }
    const int64_t width = data_type == onnx::TensorProto::FLOAT     ? 4
                          : data_type == onnx::TensorProto::FLOAT16 ? 2
                                                                    : 1;
    t->set_raw_data(std::string(static_cast<size_t>(elems * width), '\0'));
    return *this;
  }
  ModelBuilder& Node(const std::string& op, const std::vector<std::string>& inputs,
                     const std::vector<std::string>& outputs,
                     const std::vector<std::pair<std::string, std::vector<int64_t>>>& ints = {}) {
    auto* n = model_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(outputs.empty() ? op : outputs[0] + "_" + op);
    for (const auto& i : inputs) n->add_input(i);
    for (const auto& o : outputs) n->add_output(o);
    for (const auto& [name, values] : ints) {
      auto* a = n->add_attribute();
      a->set_name(name);
      if (name == "group" || name == "axis") {
        a->set_type(onnx::AttributeProto::INT);
        a->set_i(values.at(0));
      } else {
        a->set_type(onnx::AttributeProto::INTS);
        for (int64_t v : values) a->add_ints(v);
      }
    }
    return *this;
  }

  Model Build(const std::string& label) const { return ReadModelBytes(Bytes(), label); }
  std::string Bytes() const {
    std::string bytes;
    model_.SerializeToString(&bytes);
    return bytes;
  }

 private:
  static void Typed(onnx::ValueInfoProto* vi, const std::string& name,
                    const std::vector<int64_t>& dims, int elem_type) {
    vi->set_name(name);
    auto* tt = vi->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(elem_type);
    for (int64_t d : dims) tt->mutable_shape()->add_dim()->set_dim_value(d);
  }

  onnx::ModelProto model_;
};

// 3x3 convolution attributes with "same" padding.
inline std::vector<std::pair<std::string, std::vector<int64_t>>> Conv3x3(int64_t group = 1) {
  return {{"kernel_shape", {3, 3}}, {"pads", {1, 1, 1, 1}}, {"group", {group}}};
}

}  // namespace tops::test
