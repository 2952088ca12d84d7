// Writes a decoder ONNX the way ONNX Runtime GenAI exports one, every weight in an external data
// file that is created sparse (full length, no blocks on disk): bench/make_llm_onnx.cc
// (Llama-3.2-1B sizes) and tests/llm/llm_genai_onnx_test.cc (the tiny test decoder's sizes) use it.
//
// Ops: SimplifiedLayerNormalization, MatMul (fp16) or MatMulNBits (4-bit blocks with fp16 scales),
// RotaryEmbedding, GroupQueryAttention, Sigmoid/Mul (SiLU), Add; cos/sin caches as initializers,
// past_key_values.<i>.key/.value inputs and present.<i>.* outputs; an untied LM head.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "onnx/onnx_pb.h"

namespace tops::bench {

struct LlmOnnxSizes {
  int64_t vocab, hidden, layers, heads, kv_heads, head_dim, inter, max_pos;
};

struct LlmOnnxWriter {
  onnx::GraphProto* g;
  bool int4;
  int64_t block = 32;  // weights per MatMulNBits block
  int64_t offset = 0;
  const char* data_file = "model.onnx.data";

  void External(onnx::TensorProto* t, int64_t bytes) {
    t->set_data_location(onnx::TensorProto::EXTERNAL);
    auto add = [t](const char* k, const std::string& v) {
      auto* e = t->add_external_data();
      e->set_key(k);
      e->set_value(v);
    };
    add("location", data_file);
    add("offset", std::to_string(offset));
    add("length", std::to_string(bytes));
    offset += (bytes + 4095) / 4096 * 4096;
  }
  std::string Init(const std::string& name, std::vector<int64_t> dims, int dtype, int64_t bytes) {
    onnx::TensorProto* t = g->add_initializer();
    t->set_name(name);
    t->set_data_type(dtype);
    for (int64_t d : dims) t->add_dims(d);
    External(t, bytes);
    return name;
  }
  std::string Fp16(const std::string& name, std::vector<int64_t> dims) {
    int64_t n = 1;
    for (int64_t d : dims) n *= d;
    return Init(name, dims, onnx::TensorProto::FLOAT16, 2 * n);
  }
  onnx::NodeProto* Node(const std::string& op, const std::string& name, std::vector<std::string> in,
                        int outs, const char* domain = "") {
    onnx::NodeProto* n = g->add_node();
    n->set_op_type(op);
    n->set_name(name);
    n->set_domain(domain);
    for (auto& s : in) n->add_input(s);
    for (int i = 0; i < outs; ++i) n->add_output(name + "/out" + std::to_string(i));
    return n;
  }
  static void Int(onnx::NodeProto* n, const char* name, int64_t v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  std::string Linear(const std::string& x, const std::string& name, int64_t k, int64_t n) {
    if (!int4) return Node("MatMul", name, {x, Fp16(name + ".weight", {k, n})}, 1)->output(0);
    const int64_t blocks = (k + block - 1) / block;
    std::string b = Init(name + ".qweight", {n, blocks, block / 2}, onnx::TensorProto::UINT8,
                         n * blocks * block / 2);
    std::string s = Fp16(name + ".scales", {n * blocks});
    auto* node = Node("MatMulNBits", name, {x, b, s}, 1, "com.microsoft");
    Int(node, "K", k);
    Int(node, "N", n);
    Int(node, "bits", 4);
    Int(node, "block_size", block);
    return node->output(0);
  }
  std::string Norm(const std::string& x, const std::string& name, int64_t hidden) {
    auto* n = Node("SimplifiedLayerNormalization", name, {x, Fp16(name + ".weight", {hidden})}, 1);
    Int(n, "axis", -1);
    return n->output(0);
  }
  void Value(google::protobuf::RepeatedPtrField<onnx::ValueInfoProto>* list,
             const std::string& name, int dtype, const std::vector<std::string>& dims) {
    onnx::ValueInfoProto* v = list->Add();
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(dtype);
    for (const auto& d : dims) {
      auto* dim = t->mutable_shape()->add_dim();
      if (!d.empty() && d[0] >= '0' && d[0] <= '9') {
        dim->set_dim_value(std::stoll(d));
      } else {
        dim->set_dim_param(d);
      }
    }
  }
};

// Writes DIR/model.onnx and the sparse DIR/model.onnx.data; returns the data file's length, or -1
// when a file cannot be written.
inline int64_t WriteLlmOnnx(const std::string& dir, const LlmOnnxSizes& s, bool int4) {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.set_producer_name("tops make_llm_onnx");
  auto* op = m.add_opset_import();
  op->set_domain("");
  op->set_version(17);
  op = m.add_opset_import();
  op->set_domain("com.microsoft");
  op->set_version(1);
  LlmOnnxWriter w{m.mutable_graph(), int4};
  onnx::GraphProto* g = m.mutable_graph();
  const std::string kv = std::to_string(s.kv_heads), hd = std::to_string(s.head_dim);
  g->set_name("decoder");
  const int f16 = onnx::TensorProto::FLOAT16, i64 = onnx::TensorProto::INT64,
            i32 = onnx::TensorProto::INT32;
  w.Value(g->mutable_input(), "input_ids", i64, {"batch_size", "sequence_length"});
  w.Value(g->mutable_input(), "position_ids", i64, {"batch_size", "sequence_length"});
  w.Value(g->mutable_input(), "attention_mask", i64, {"batch_size", "total_sequence_length"});
  w.Value(g->mutable_input(), "seqlens_k", i32, {"batch_size"});
  w.Value(g->mutable_input(), "total_seq_len", i32, {});
  std::string cos = w.Fp16("cos_cache", {s.max_pos, s.head_dim / 2});
  std::string sin = w.Fp16("sin_cache", {s.max_pos, s.head_dim / 2});
  std::string embed = w.Fp16("model.embed_tokens.weight", {s.vocab, s.hidden});
  std::string x = w.Node("Gather", "embed", {embed, "input_ids"}, 1)->output(0);
  for (int64_t i = 0; i < s.layers; ++i) {
    const std::string l = "model.layers." + std::to_string(i);
    std::string n = w.Norm(x, l + ".input_layernorm", s.hidden);
    std::string q = w.Linear(n, l + ".attn.q_proj", s.hidden, s.heads * s.head_dim);
    std::string k = w.Linear(n, l + ".attn.k_proj", s.hidden, s.kv_heads * s.head_dim);
    std::string v = w.Linear(n, l + ".attn.v_proj", s.hidden, s.kv_heads * s.head_dim);
    auto* rq = w.Node("RotaryEmbedding", l + ".attn.q_rotary", {q, "position_ids", cos, sin}, 1,
                      "com.microsoft");
    w.Int(rq, "num_heads", s.heads);
    auto* rk = w.Node("RotaryEmbedding", l + ".attn.k_rotary", {k, "position_ids", cos, sin}, 1,
                      "com.microsoft");
    w.Int(rk, "num_heads", s.kv_heads);
    const std::string past = "past_key_values." + std::to_string(i);
    w.Value(g->mutable_input(), past + ".key", f16, {"batch_size", kv, "past_sequence_length", hd});
    w.Value(g->mutable_input(), past + ".value", f16,
            {"batch_size", kv, "past_sequence_length", hd});
    auto* gqa = w.Node("GroupQueryAttention", l + ".attn.gqa",
                       {rq->output(0), rk->output(0), v, past + ".key", past + ".value",
                        "seqlens_k", "total_seq_len"},
                       3, "com.microsoft");
    w.Int(gqa, "num_heads", s.heads);
    w.Int(gqa, "kv_num_heads", s.kv_heads);
    gqa->set_output(1, "present." + std::to_string(i) + ".key");
    gqa->set_output(2, "present." + std::to_string(i) + ".value");
    w.Value(g->mutable_output(), gqa->output(1), f16,
            {"batch_size", kv, "total_sequence_length", hd});
    w.Value(g->mutable_output(), gqa->output(2), f16,
            {"batch_size", kv, "total_sequence_length", hd});
    std::string o = w.Linear(gqa->output(0), l + ".attn.o_proj", s.heads * s.head_dim, s.hidden);
    x = w.Node("Add", l + ".residual_attn", {x, o}, 1)->output(0);
    n = w.Norm(x, l + ".post_attention_layernorm", s.hidden);
    std::string gate = w.Linear(n, l + ".mlp.gate_proj", s.hidden, s.inter);
    std::string up = w.Linear(n, l + ".mlp.up_proj", s.hidden, s.inter);
    std::string sig = w.Node("Sigmoid", l + ".mlp.sigmoid", {gate}, 1)->output(0);
    std::string a = w.Node("Mul", l + ".mlp.silu", {gate, sig}, 1)->output(0);
    std::string h = w.Node("Mul", l + ".mlp.mul", {a, up}, 1)->output(0);
    std::string d = w.Linear(h, l + ".mlp.down_proj", s.inter, s.hidden);
    x = w.Node("Add", l + ".residual_mlp", {x, d}, 1)->output(0);
  }
  x = w.Norm(x, "model.norm", s.hidden);
  std::string logits = w.Linear(x, "lm_head", s.hidden, s.vocab);
  w.Value(g->mutable_output(), logits, f16,
          {"batch_size", "sequence_length", std::to_string(s.vocab)});

  std::ofstream out(dir + "/model.onnx", std::ios::binary);
  if (!out || !m.SerializeToOstream(&out)) return -1;
  const std::string data = dir + "/model.onnx.data";
  int fd = open(data.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0644);
  if (fd < 0 || ftruncate(fd, w.offset) != 0 || close(fd) != 0) return -1;
  return w.offset;
}

}  // namespace tops::bench
