// Building small ONNX models by hand with libonnx's protobuf classes, for tests that check tops
// against arithmetic worked out in the test: serialised and read back through ReadModelBytes
// exactly as a file would be.
#pragma once

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

#include "tops/error.h"
#include "tops/profile.h"
#include "tops/read.h"

namespace tops::test {

using onnx::GraphProto;
using onnx::NodeProto;
using onnx::TensorProto;

inline void Initializer(GraphProto* g, const std::string& name, int dtype,
                        std::vector<int64_t> dims, std::vector<int64_t> ints = {}) {
  TensorProto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(dtype);
  int64_t n = 1;
  for (int64_t d : dims) {
    t->add_dims(d);
    n *= d;
  }
  if (!ints.empty()) {
    for (int64_t v : ints) {
      if (dtype == TensorProto::INT64)
        t->add_int64_data(v);
      else
        t->add_int32_data(static_cast<int32_t>(v));
    }
  } else {
    const int bytes = dtype == TensorProto::FLOAT ? 4 : 1;
    t->set_raw_data(std::string(static_cast<size_t>(n * bytes), '\0'));
  }
}

inline void Value(onnx::ValueInfoProto* v, const std::string& name, int dtype,
                  std::vector<int64_t> dims) {
  v->set_name(name);
  auto* tt = v->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(dtype);
  auto* shape = tt->mutable_shape();
  for (int64_t d : dims) shape->add_dim()->set_dim_value(d);
}

inline NodeProto* AddNode(GraphProto* g, const std::string& op, std::vector<std::string> ins,
                          std::vector<std::string> outs, const std::string& name = "") {
  NodeProto* n = g->add_node();
  n->set_op_type(op);
  n->set_name(name.empty() ? outs[0] + "_node" : name);
  for (auto& i : ins) n->add_input(i);
  for (auto& o : outs) n->add_output(o);
  return n;
}

inline void IntsAttr(NodeProto* n, const std::string& name, std::vector<int64_t> v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}

inline void IntAttr(NodeProto* n, const std::string& name, int64_t v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}

inline void StringAttr(NodeProto* n, const std::string& name, const std::string& v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(v);
}

inline GraphProto* GraphAttr(NodeProto* n, const std::string& name) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::GRAPH);
  a->mutable_g()->set_name(name);
  return a->mutable_g();
}

inline Model Read(onnx::ModelProto& m, int64_t opset = 17) {
  m.set_ir_version(8);
  auto* op = m.add_opset_import();
  op->set_domain("");
  op->set_version(opset);
  std::string bytes;
  EXPECT_TRUE(m.SerializeToString(&bytes));
  return ReadModelBytes(bytes, "handmade");
}

inline const NodeProfile& NodeNamed(const Profile& p, const std::string& name) {
  for (const NodeProfile& n : p.nodes) {
    if (n.name == name) return n;
  }
  throw Error("no node " + name);
}

inline bool HasDiagnostic(const Profile& p, const std::string& part) {
  for (const Diagnostic& d : p.diagnostics) {
    if (d.message.find(part) != std::string::npos) return true;
  }
  return false;
}

inline void FloatAttr(NodeProto* n, const std::string& name, float v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}

// A one-element tensor attribute (ConstantOfShape's value).
inline void Int64TensorAttr(NodeProto* n, const std::string& name, int64_t v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::TENSOR);
  a->mutable_t()->set_data_type(TensorProto::INT64);
  a->mutable_t()->add_dims(1);
  a->mutable_t()->add_int64_data(v);
}

// Float initializer with the given values.
inline void FloatInitializer(GraphProto* g, const std::string& name, std::vector<int64_t> dims,
                             std::vector<float> values) {
  TensorProto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(TensorProto::FLOAT);
  for (int64_t d : dims) t->add_dims(d);
  for (float v : values) t->add_float_data(v);
}

}  // namespace tops::test
