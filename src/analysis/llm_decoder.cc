// What a decoder graph holds (parameters, KV cache layout, the dims a phase binds) and what its
// weights and cache cost in bytes under a quantisation scheme. Works on any reader's graph: the
// facts come from graph inputs, initializers and the attention ops, never from the file format.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include "core/checked.h"
#include "core/text.h"
#include "tops/error.h"
#include "tops/llm.h"

namespace tops {
namespace {

bool IsAttentionOp(const Node& n) {
  return n.domain == "com.microsoft" &&
         (n.op_type == "GroupQueryAttention" || n.op_type == "MultiHeadAttention" ||
          n.op_type == "Attention");
}

// Inputs of the op that are tables the runtime computes (rotary cos/sin caches), not weights.
bool IsTableOperand(const Node& n, size_t i) {
  if (n.domain != "com.microsoft") return false;
  if (n.op_type == "GroupQueryAttention") return i == 7 || i == 8;
  if (n.op_type == "RotaryEmbedding") return i == 2 || i == 3;
  return false;
}

bool IsPastName(const std::string& name) {
  const std::string l = AsciiLower(name);
  return l.find("past") != std::string::npos || l.find("cache") != std::string::npos;
}

std::string SymbolOf(const Dim& d) { return d.symbolic() ? d.symbol : std::string(); }

}  // namespace

DecoderFacts InspectDecoder(const Model& model) {
  const Graph& g = model.graph;
  DecoderFacts f;
  f.format =
      model.producer_name == "hf-config" ? "hf-config (" + model.producer_version + ")" : "onnx";
  f.max_positions = model.max_positions;
  std::set<std::string> init_names;
  for (const auto& t : g.initializers) init_names.insert(t.name);

  // Batch and sequence from the token input; past from the cache inputs.
  for (const ValueInfo& vi : g.inputs) {
    if (init_names.count(vi.name) || !vi.shape.rank_known) continue;
    const auto& d = vi.shape.dims;
    if ((vi.name == "input_ids" || vi.name == "inputs_embeds") && d.size() >= 2) {
      f.batch_dim = SymbolOf(d[0]);
      f.seq_dim = SymbolOf(d[1]);
    }
  }
  std::map<std::string, const Node*> consumer_attention;  // past input -> attention node
  for (const Node& n : g.nodes) {
    if (!IsAttentionOp(n)) continue;
    ++f.attention_layers;
    for (const auto& in : n.inputs) consumer_attention.emplace(in, &n);
  }
  int64_t past_inputs = 0;
  for (const ValueInfo& vi : g.inputs) {
    if (init_names.count(vi.name) || !IsPastName(vi.name) || !vi.shape.rank_known) continue;
    const auto& d = vi.shape.dims;
    if (d.size() != 4 || !d[2].symbolic() || !d[1].known() || !d[3].known()) continue;
    if (f.past_dim.empty()) f.past_dim = d[2].symbol;
    if (d[2].symbol != f.past_dim) continue;
    if (f.batch_dim.empty()) f.batch_dim = SymbolOf(d[0]);
    ++past_inputs;
    DecoderLayerKv kv;
    kv.elems_per_token = CheckedMul(d[1].value, d[3].value, "KV cache size");
    kv.head_dim = d[3].value;
    auto it = consumer_attention.find(vi.name);
    if (it != consumer_attention.end()) {
      kv.window = std::max<int64_t>(0, it->second->attr_int("local_window_size", 0));
    }
    f.kv.push_back(kv);
  }
  if (f.past_dim.empty()) {
    throw Error(model.path +
                ": not a decoder with a KV cache: no graph input named like past_key_values.* "
                "with shape [batch, heads, past_length, head_size] and a symbolic past length "
                "(export with use_cache / --with-past)");
  }
  if (f.attention_layers == 0) f.attention_layers = (past_inputs + 1) / 2;
  // A total length dim: any other symbol next to past (attention_mask, rotary tables).
  for (const ValueInfo& vi : g.inputs) {
    if (!vi.shape.rank_known) continue;
    for (const Dim& d : vi.shape.dims) {
      if (d.symbolic() && d.symbol != f.batch_dim && d.symbol != f.seq_dim &&
          d.symbol != f.past_dim && f.total_dim.empty() &&
          (vi.name == "attention_mask" || vi.name == "cos_cache")) {
        f.total_dim = d.symbol;
      }
    }
  }

  // Parameters: learned initializers, by what their consumers do with them.
  std::map<std::string, std::vector<std::pair<const Node*, size_t>>> uses;
  for (const Node& n : g.nodes) {
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      if (!n.inputs[i].empty()) uses[n.inputs[i]].push_back({&n, i});
    }
  }
  std::map<DType, int64_t> by_dtype;
  std::set<std::string> seen;
  for (const TensorData& t : g.initializers) {
    if (!seen.insert(t.name).second) continue;
    if (DTypeBits(t.dtype) > 0) {
      f.file_weight_bytes =
          CheckedAdd(f.file_weight_bytes, DTypeBytes(t.dtype, t.elems), "weight bytes");
    }
    const auto& u = uses[t.name];
    bool table = !u.empty() && std::all_of(u.begin(), u.end(), [](const auto& p) {
      return IsTableOperand(*p.first, p.second);
    });
    if (table && !t.dims.empty() && f.max_positions == 0) f.max_positions = t.dims[0];
    int64_t elems = 0;
    bool matrix = t.dims.size() >= 2;
    bool embedding = false, head = false, moe = false;
    const Node* moe_node = nullptr;
    for (const auto& [n, i] : u) {
      if (n->op_type == "MatMulNBits" && i == 1) {
        elems = CheckedMul(n->attr_int("K", 0), n->attr_int("N", 0), "parameter count");
        f.file_is_quantized = true;
      }
      if (n->op_type == "Gather" && i == 0) embedding = true;
      if ((n->op_type == "MatMul" || n->op_type == "FusedMatMul" || n->op_type == "Gemm") &&
          i == 1) {
        head = true;
      }
      if (n->op_type == "MoE" && (i == 2 || i == 4 || i == 6)) {
        moe = true;
        moe_node = n;
      }
      if (n->op_type == "DequantizeLinear" && i == 0 && IsIntegerDType(t.dtype)) {
        elems = t.elems;
        f.file_is_quantized = true;
      }
    }
    if (elems == 0 && !table && IsFloatDType(t.dtype) && t.elems > 1) {
      // Scales and zero points of MatMulNBits / DequantizeLinear are quantisation metadata.
      bool meta = std::any_of(u.begin(), u.end(), [](const auto& p) {
        return (p.first->op_type == "MatMulNBits" && p.second >= 2) ||
               (p.first->op_type == "DequantizeLinear" && p.second >= 1);
      });
      if (!meta) elems = t.elems;
    }
    if (elems == 0) continue;
    f.params = CheckedAdd(f.params, elems, "parameter count");
    if (matrix || elems != t.elems) f.matrix_params += elems;
    by_dtype[t.dtype] += elems;
    int64_t active = elems;
    if (moe && moe_node) {
      const int64_t k = moe_node->attr_int("k", 1);
      const int64_t experts = t.dims.empty() ? 1 : t.dims[0];
      if (experts > 0 && k < experts) active = elems / experts * k;
    }
    f.active_params += active;
    if (embedding) {
      f.embedding_params = elems;
      if (head) f.lm_head_tied = true;
      if (t.dims.size() == 2) {
        f.vocab = t.dims[0];
        f.hidden = t.dims[1];
      }
    }
  }
  int64_t best = -1;
  for (const auto& [dt, n] : by_dtype) {
    if (IsFloatDType(dt) && n > best) {
      best = n;
      f.weight_dtype = dt;
    }
  }
  if (f.file_is_quantized && f.weight_dtype == DType::kUndefined) f.weight_dtype = DType::kFloat16;
  return f;
}

ForwardCost ProfileForward(const Model& model, const DecoderFacts& facts, int64_t batch,
                           int64_t seq, int64_t past) {
  ProfileOptions opt;
  if (!facts.batch_dim.empty()) opt.dims[facts.batch_dim] = batch;
  if (!facts.seq_dim.empty()) opt.dims[facts.seq_dim] = seq;
  opt.dims[facts.past_dim] = past;
  if (!facts.total_dim.empty()) opt.dims[facts.total_dim] = CheckedAdd(past, seq, "context");
  Profile p = ProfileModel(model, opt);
  ForwardCost c;
  c.macs = p.totals.macs;
  c.other_ops = p.totals.other_ops;
  c.peak_activation_bytes = p.totals.peak_activation_bytes;
  c.uncosted_nodes = p.totals.nodes_without_cost;
  for (const auto& u : p.unsupported) c.unsupported.push_back(u.op);
  // Windows by node name (the profile lists nodes in topological order).
  std::map<std::string, int64_t> windows;
  for (const Node& n : model.graph.nodes) {
    if (IsAttentionOp(n) && !n.name.empty()) {
      windows[n.name] = std::max<int64_t>(0, n.attr_int("local_window_size", 0));
    }
  }
  c.node_flops.reserve(p.nodes.size());
  c.node_window.reserve(p.nodes.size());
  for (const NodeProfile& n : p.nodes) {
    c.node_flops.push_back(n.flops().value_or(0));
    auto it = windows.find(n.name);
    c.node_window.push_back(it == windows.end() ? 0 : it->second);
  }
  return c;
}

// ---- Quantisation -----------------------------------------------------------------------------

int QuantScheme::WeightBits() const {
  switch (format) {
    case WeightFormat::kFp32:
      return 32;
    case WeightFormat::kW8A8:
    case WeightFormat::kW8A16:
      return 8;
    case WeightFormat::kW4A16:
      return 4;
    default:
      return 16;
  }
}

int QuantScheme::ActivationBits() const {
  switch (format) {
    case WeightFormat::kFp32:
      return 32;
    case WeightFormat::kW8A8:
      return 8;
    default:
      return 16;
  }
}

double QuantScheme::BitsPerWeight(int64_t k) const {
  const int bits = WeightBits();
  if (format != WeightFormat::kW8A8 && format != WeightFormat::kW8A16 &&
      format != WeightFormat::kW4A16) {
    return bits;
  }
  // One fp16 scale (and a zero point of the weight's width) per group, or per output channel.
  const double per_scale = 16.0 + (zero_points ? bits : 0);
  const double group = group_size > 0 ? static_cast<double>(group_size)
                                      : static_cast<double>(std::max<int64_t>(k, 1));
  return bits + per_scale / group;
}

double QuantScheme::KvBitsPerElement(int64_t head_dim) const {
  if (kv_bits >= 16) return 16;
  return kv_bits + 16.0 / static_cast<double>(std::max<int64_t>(head_dim, 1));
}

std::string QuantScheme::Name() const {
  std::string n;
  switch (format) {
    case WeightFormat::kFile:
      n = "file";
      break;
    case WeightFormat::kFp32:
      n = "fp32";
      break;
    case WeightFormat::kFp16:
      n = "fp16";
      break;
    case WeightFormat::kBf16:
      n = "bf16";
      break;
    case WeightFormat::kW8A8:
      n = "w8a8";
      break;
    case WeightFormat::kW8A16:
      n = "w8a16";
      break;
    case WeightFormat::kW4A16:
      n = "w4a16";
      break;
  }
  if (group_size > 0) n += "_g" + std::to_string(group_size);
  return n;
}

QuantScheme ParseQuantScheme(const std::string& text) {
  const std::string t = AsciiLower(text);
  QuantScheme q;
  size_t g = t.find("_g");
  if (g == std::string::npos) g = t.find(":g");
  std::string base = t.substr(0, g);
  if (g != std::string::npos) {
    const std::string num = t.substr(g + 2);
    int64_t v = 0;
    bool ok = !num.empty() && num.size() <= 6 &&
              std::all_of(num.begin(), num.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (ok) v = std::stoll(num);
    if (!ok || v < 8 || v > 65536) {
      throw Error("quantisation '" + text + "': group size must be a whole number in [8, 65536]");
    }
    q.group_size = v;
  }
  static const std::vector<std::pair<std::string, WeightFormat>> kNames = {
      {"file", WeightFormat::kFile},   {"fp32", WeightFormat::kFp32},
      {"fp16", WeightFormat::kFp16},   {"bf16", WeightFormat::kBf16},
      {"w8a8", WeightFormat::kW8A8},   {"int8", WeightFormat::kW8A8},
      {"w8a16", WeightFormat::kW8A16}, {"w4a16", WeightFormat::kW4A16},
      {"int4", WeightFormat::kW4A16}};
  auto it =
      std::find_if(kNames.begin(), kNames.end(), [&](const auto& p) { return p.first == base; });
  if (it == kNames.end()) {
    throw Error("unknown quantisation '" + text +
                "' (expected fp16, bf16, fp32, w8a8, w8a16, w4a16, w4a16_g<N> or file)");
  }
  q.format = it->second;
  if (q.group_size > 0 && q.WeightBits() >= 16) {
    throw Error("quantisation '" + text + "': a group size applies to w8 and w4 formats only");
  }
  q.zero_points = q.format == WeightFormat::kW4A16;
  return q;
}

int ParseKvBits(const std::string& text) {
  const std::string t = AsciiLower(text);
  if (t == "fp16" || t == "f16" || t == "16") return 16;
  if (t == "int8" || t == "q8" || t == "8") return 8;
  if (t == "int4" || t == "q4" || t == "4") return 4;
  throw Error("unknown KV cache precision '" + text + "' (expected fp16, int8 or int4)");
}

namespace {

double BytesAt(const DecoderFacts& f, const QuantScheme& q, double matrix, double other) {
  if (q.format == WeightFormat::kFile) {
    // As stored: scale the file's bytes by the share of parameters counted.
    const double share = f.params > 0 ? (matrix + other) / static_cast<double>(f.params) : 0;
    return static_cast<double>(f.file_weight_bytes) * share;
  }
  const double small_bits = q.format == WeightFormat::kFp32 ? 32 : 16;  // norms, biases
  return matrix * q.BitsPerWeight(f.hidden) / 8.0 + other * small_bits / 8.0;
}

}  // namespace

double WeightBytes(const DecoderFacts& f, const QuantScheme& q) {
  return BytesAt(f, q, static_cast<double>(f.matrix_params),
                 static_cast<double>(f.params - f.matrix_params));
}

double ActiveWeightBytes(const DecoderFacts& f, const QuantScheme& q) {
  // A token reads one row of the embedding table; a tied table is read whole by the LM head.
  double matrix =
      static_cast<double>(f.matrix_params) - static_cast<double>(f.params - f.active_params);
  if (!f.lm_head_tied && f.embedding_params > 0) {
    matrix -= static_cast<double>(f.embedding_params) - static_cast<double>(f.hidden);
  }
  return BytesAt(f, q, std::max(0.0, matrix), static_cast<double>(f.params - f.matrix_params));
}

double KvBytes(const DecoderFacts& f, const QuantScheme& q, int64_t context) {
  double bytes = 0;
  for (const DecoderLayerKv& kv : f.kv) {
    const int64_t tokens = kv.window > 0 ? std::min(context, kv.window) : context;
    bytes += static_cast<double>(kv.elems_per_token) * static_cast<double>(tokens) *
             q.KvBitsPerElement(kv.head_dim) / 8.0;
  }
  return bytes;
}

LlmModelSummary SummarizeDecoder(const Model& model, const DecoderFacts& facts,
                                 const QuantScheme& quant, int64_t prompt) {
  LlmModelSummary s;
  s.path = model.path;
  s.facts = facts;
  s.quant = quant;
  s.weight_bytes = WeightBytes(facts, quant);
  s.kv_bytes_per_token = KvBytes(facts, quant, 1);
  s.prompt = prompt;
  s.decode_at_prompt = ProfileForward(model, facts, 1, 1, prompt);
  return s;
}

}  // namespace tops
