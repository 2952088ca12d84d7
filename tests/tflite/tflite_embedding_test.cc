// The text and sparse-embedding builtins (EMBEDDING_LOOKUP_SPARSE, SKIP_GRAM, CONCAT_EMBEDDINGS)
// in a model written here with the FlatBuffer writer of tflite_bytes.h. Operator codes and
// option slots are the TFLite schema's; shapes and costs are worked out by hand in the comments,
// and the shapes stored in the file are those hand shapes (-1 in shape_signature where the size
// is known only at run time).
#include <gtest/gtest.h>

#include <cstdint>
#include <map>

#include "io/tflite_reader.h"
#include "io/tflite_schema.h"
#include "tflite_bytes.h"
#include "tops/profile.h"

namespace tops {
namespace {

using namespace testing::fbw;  // NOLINT: the writer's small vocabulary

constexpr int64_t kConcatEmbeddings = 29, kSkipGram = 30, kEmbeddingLookupSparse = 33, kRelu = 19,
                  kLshProjection = 15, kStablehloCustomCall = 173;
// BuiltinOptions members (1-based, declaration order).
constexpr int64_t kConcatEmbeddingsOptions = 3, kLshProjectionOptions = 4, kSkipGramOptions = 18,
                  kEmbeddingLookupSparseOptions = 20;
// TensorType codes.
constexpr int64_t kF32 = 0, kI32 = 2, kStr = 5;

struct ModelBuilder {
  std::vector<TablePtr> tensors, ops, opcodes, buffers{T()};
  std::map<int64_t, int64_t> code_index;
  std::vector<int64_t> inputs, outputs;

  int64_t Tensor(const std::string& n, std::vector<int64_t> shape, int64_t type = kF32,
                 std::vector<int64_t> signature = {}, int64_t buffer = 0) {
    auto t = T();
    t->Set(0, Ints(std::move(shape))).Set(1, I8(type)).Set(2, U32(buffer)).Set(3, Str(n));
    if (!signature.empty()) t->Set(7, Ints(std::move(signature)));
    tensors.push_back(t);
    return static_cast<int64_t>(tensors.size() - 1);
  }
  int64_t Input(const std::string& n, std::vector<int64_t> shape, int64_t type) {
    inputs.push_back(Tensor(n, std::move(shape), type));
    return inputs.back();
  }
  int64_t Ints32(const std::string& n, const std::vector<int32_t>& v) {
    auto b = T();
    b->Set(0, Bytes(std::string(reinterpret_cast<const char*>(v.data()), 4 * v.size())));
    buffers.push_back(b);
    return Tensor(n, {static_cast<int64_t>(v.size())}, kI32, {},
                  static_cast<int64_t>(buffers.size() - 1));
  }
  void Op(int64_t code, std::vector<int64_t> in, int64_t out, int64_t options_type = 0,
          TablePtr options = nullptr) {
    if (!code_index.count(code)) {
      auto c = T();
      c->Set(0, I8(std::min<int64_t>(code, 127))).Set(3, I32(code));
      opcodes.push_back(c);
      code_index[code] = static_cast<int64_t>(opcodes.size() - 1);
    }
    auto o = T();
    o->Set(0, U32(code_index[code])).Set(1, Ints(std::move(in))).Set(2, Ints({out}));
    if (options) o->Set(3, U8(options_type)).Set(4, Sub(options));
    ops.push_back(o);
    outputs.push_back(out);
  }
  std::string Finish() {
    auto s = T();
    s->Set(0, Subs(tensors)).Set(1, Ints(inputs)).Set(2, Ints(outputs)).Set(3, Subs(ops));
    s->Set(4, Str("main"));
    auto model = T();
    model->Set(0, U32(3)).Set(1, Subs(opcodes)).Set(2, Subs({s}));
    model->Set(3, Str("embeddings")).Set(4, Subs(buffers));
    return Writer().Finish(*model);
  }
};

TablePtr Combiner(int64_t c) {
  auto o = T();
  o->Set(0, I8(c));  // SUM 0, MEAN 1, SQRTN 2
  return o;
}

std::string ModelBytes() {
  ModelBuilder m;
  // Five weighted ids of a sparse [3, 7] lookup into a [10, 4, 2] table (width e = 8).
  const int64_t ids = m.Input("ids", {5}, kI32);
  const int64_t indices = m.Input("indices", {5, 2}, kI32);
  const int64_t weights = m.Input("weights", {5}, kF32);
  const int64_t params = m.Input("params", {10, 4, 2}, kF32);
  const int64_t dense_in = m.Input("dense_in", {2}, kI32);

  // MEAN, dense_shape constant [3, 7] -> [3, 4, 2]. MACs 5 * 8 = 40; other 3 * 5 = 15 weight
  // sums + min(5 ids, 3 rows) * 8 = 24 divides: 39.
  const int64_t dense = m.Ints32("dense", {3, 7});
  m.Op(kEmbeddingLookupSparse, {ids, indices, dense, weights, params},
       m.Tensor("els_mean", {3, 4, 2}), kEmbeddingLookupSparseOptions, Combiner(1));

  // SUM over a rank-3 lookup, dense_shape [2, 3, 6] -> [2, 3, 4, 2]. MACs 40; other 15.
  const int64_t indices3 = m.Input("indices3", {5, 3}, kI32);
  const int64_t dense3 = m.Ints32("dense3", {2, 3, 6});
  m.Op(kEmbeddingLookupSparse, {ids, indices3, dense3, weights, params},
       m.Tensor("els_sum", {2, 3, 4, 2}), kEmbeddingLookupSparseOptions, Combiner(0));

  // SQRTN with dense_shape an input: [els_sqrtn:dense0, 4, 2]. MACs 40; other 15 + 5 * 8 divides
  // (one filled row per id, an upper bound) + 5 square roots = 60. Bound to 2 rows: 15 + 2 * 8 +
  // 2 = 33. The RELU after it waits on the run-time size: 2 * 8 = 16 ops once bound.
  const int64_t sq = m.Tensor("els_sqrtn", {1, 4, 2}, kF32, {-1, 4, 2});
  m.Op(kEmbeddingLookupSparse, {ids, indices, dense_in, weights, params}, sq,
       kEmbeddingLookupSparseOptions, Combiner(2));
  m.Op(kRelu, {sq}, m.Tensor("relu", {1, 4, 2}, kF32, {-1, 4, 2}));

  // SKIP_GRAM 2-grams skipping up to 1 word: the count is the text's, [grams:ngrams]; no
  // arithmetic.
  const int64_t text = m.Input("text", {1}, kStr);
  auto sg = T();
  sg->Set(0, I32(2)).Set(1, I32(1)).Set(2, U8(0));
  const int64_t grams = m.Tensor("grams", {1}, kStr, {-1});
  m.Op(kSkipGram, {text}, grams, kSkipGramOptions, sg);
  // The n-grams hashed by LSH_PROJECTION (SPARSE) as a text model does: [4] int32, one hash
  // per (function, bit, n-gram): 4 * 8 * ngrams, 160 with 5 n-grams bound.
  const int64_t hash = m.Input("hash", {4, 8}, kF32);
  auto lsh = T();
  lsh->Set(0, I8(1));
  m.Op(kLshProjection, {hash, grams}, m.Tensor("lsh", {4}, kI32), kLshProjectionOptions, lsh);

  // CONCAT_EMBEDDINGS, 2 channels: ids [2, 3] into width 4 and [2, 1] into width 6 -> [2, 3 * 4
  // + 1 * 6] = [2, 18]; no arithmetic. Once with the options' columns and widths, once with
  // num_channels alone (read from the ids and tables).
  const int64_t ids0 = m.Input("ids0", {2, 3}, kI32);
  const int64_t ids1 = m.Input("ids1", {2, 1}, kI32);
  const int64_t table0 = m.Input("table0", {100, 4}, kF32);
  const int64_t table1 = m.Input("table1", {50, 6}, kF32);
  auto ce = T();
  ce->Set(0, I32(2)).Set(1, Ints({3, 1})).Set(2, Ints({4, 6}));
  m.Op(kConcatEmbeddings, {ids0, ids1, table0, table1}, m.Tensor("concat_emb", {2, 18}),
       kConcatEmbeddingsOptions, ce);
  auto ce2 = T();
  ce2->Set(0, I32(2));
  m.Op(kConcatEmbeddings, {ids0, ids1, table0, table1}, m.Tensor("concat_emb2", {2, 18}),
       kConcatEmbeddingsOptions, ce2);

  // STABLEHLO_CUSTOM_CALL: opaque, listed as unsupported.
  m.Op(kStablehloCustomCall, {params}, m.Tensor("custom_call", {10, 4, 2}));
  return m.Finish();
}

const NodeProfile& Profiled(const Profile& p, const std::string& name) {
  for (const NodeProfile& n : p.nodes) {
    if (n.name == name) return n;
  }
  throw std::runtime_error("no node " + name);
}

std::string Diags(const Profile& p) {
  std::string s;
  for (const Diagnostic& d : p.diagnostics) s += d.message + "\n";
  return s;
}

TEST(TfliteEmbedding, CodesAreTheSchemas) {
  EXPECT_EQ(io::tflite::BuiltinName(kConcatEmbeddings), "CONCAT_EMBEDDINGS");
  EXPECT_EQ(io::tflite::BuiltinName(kSkipGram), "SKIP_GRAM");
  EXPECT_EQ(io::tflite::BuiltinName(kEmbeddingLookupSparse), "EMBEDDING_LOOKUP_SPARSE");
  EXPECT_EQ(io::tflite::BuiltinName(kRelu), "RELU");
  EXPECT_EQ(io::tflite::BuiltinName(kLshProjection), "LSH_PROJECTION");
  EXPECT_EQ(io::tflite::BuiltinName(kStablehloCustomCall), "STABLEHLO_CUSTOM_CALL");
}

TEST(TfliteEmbedding, OptionsAreRead) {
  const Model m = io::ReadTfliteBytes(ModelBytes(), "embeddings.tflite");
  std::map<std::string, const tops::Node*> by_output;
  for (const tops::Node& n : m.graph.nodes) by_output[n.outputs[0]] = &n;
  EXPECT_EQ(by_output.at("els_mean")->attr_int("combiner", -1), 1);
  EXPECT_EQ(by_output.at("els_sqrtn")->attr_int("combiner", -1), 2);
  EXPECT_EQ(by_output.at("grams")->attr_int("ngram_size", -1), 2);
  EXPECT_EQ(by_output.at("grams")->attr_int("max_skip_size", -1), 1);
  EXPECT_EQ(by_output.at("concat_emb")->attr_int("num_channels", -1), 2);
  EXPECT_EQ(by_output.at("concat_emb")->attr_ints("embedding_dim_per_channel"),
            (std::vector<int64_t>{4, 6}));
}

TEST(TfliteEmbedding, ShapesAndCostsByHand) {
  const Model model = io::ReadTfliteBytes(ModelBytes(), "embeddings.tflite");
  ProfileOptions o;
  o.dims["els_sqrtn:dense0"] = 2;
  o.dims["grams:ngrams"] = 5;
  const Profile p = ProfileModel(model, o);
  const std::string diags = Diags(p);
  EXPECT_EQ(diags.find("differs from the file"), std::string::npos) << diags;
  // Only the opaque call is left without a formula.
  ASSERT_EQ(p.unsupported.size(), 1u) << diags;
  EXPECT_EQ(p.unsupported[0].op, "tflite::STABLEHLO_CUSTOM_CALL");
  EXPECT_EQ(p.unsupported[0].count, 1);
  EXPECT_EQ(p.totals.nodes_without_cost, 0) << diags;  // unsupported ops are apart

  struct Want {
    Shape shape;
    int64_t macs, other;
  };
  const std::map<std::string, Want> want = {
      {"els_mean", {Shape::Known({3, 4, 2}), 40, 39}},
      {"els_sum", {Shape::Known({2, 3, 4, 2}), 40, 15}},
      {"els_sqrtn", {Shape::Known({2, 4, 2}), 40, 33}},
      {"relu", {Shape::Known({2, 4, 2}), 0, 16}},
      {"concat_emb", {Shape::Known({2, 18}), 0, 0}},
      {"concat_emb2", {Shape::Known({2, 18}), 0, 0}},
      {"grams", {Shape::Known({5}), 0, 0}},
      {"lsh", {Shape::Known({4}), 0, 160}},
  };
  int64_t macs = 0, other = 0;
  for (const auto& [name, w] : want) {
    SCOPED_TRACE(name);
    const NodeProfile& n = Profiled(p, name);
    EXPECT_EQ(n.outputs[0].shape, w.shape);
    ASSERT_TRUE(n.macs.has_value() && n.other_ops.has_value());
    EXPECT_EQ(*n.macs, w.macs);
    EXPECT_EQ(*n.other_ops, w.other);
    macs += w.macs;
    other += w.other;
  }
  EXPECT_EQ(p.totals.macs, macs);
  EXPECT_EQ(p.totals.other_ops, other);
  EXPECT_EQ(macs, 120);
  EXPECT_EQ(other, 263);
}

TEST(TfliteEmbedding, RunTimeSizesAreNamedNotZero) {
  const Profile p = ProfileModel(io::ReadTfliteBytes(ModelBytes(), "embeddings.tflite"));
  const std::string diags = Diags(p);
  // dense_shape is an input: the output rows are a run-time size, named, and the RELU that
  // depends on it is left out rather than counted as 0.
  EXPECT_NE(diags.find("'els_sqrtn:dense0' is a size known only at run time"), std::string::npos)
      << diags;
  EXPECT_NE(diags.find("--dim els_sqrtn:dense0=N"), std::string::npos) << diags;
  const NodeProfile& sq = Profiled(p, "els_sqrtn");
  EXPECT_EQ(sq.outputs[0].shape.dims[0].symbol, "els_sqrtn:dense0");
  EXPECT_EQ(*sq.other_ops, 60);  // one filled row per id: 15 + 40 + 5
  EXPECT_FALSE(Profiled(p, "relu").other_ops.has_value());
  // The n-gram count is the text's: named, and the LSH_PROJECTION that hashes them waits on it.
  EXPECT_NE(diags.find("'grams:ngrams' is a size known only at run time"), std::string::npos)
      << diags;
  const NodeProfile& grams = Profiled(p, "grams");
  ASSERT_EQ(grams.outputs[0].shape.rank(), 1u);
  EXPECT_EQ(grams.outputs[0].shape.dims[0].symbol, "grams:ngrams");
  EXPECT_EQ(*grams.other_ops, 0);
  EXPECT_FALSE(Profiled(p, "lsh").other_ops.has_value());
  EXPECT_EQ(p.totals.nodes_without_cost, 2) << diags;  // the RELU and the LSH_PROJECTION
}

// Options and constants a hostile or careless writer may leave: the problem is named and the
// file's stored shape stands.
TEST(TfliteEmbedding, BrokenOptionsAreNamed) {
  ModelBuilder m;
  const int64_t ids = m.Input("ids", {5}, kI32);
  const int64_t indices = m.Input("indices", {5, 2}, kI32);
  const int64_t weights = m.Input("weights", {5}, kF32);
  const int64_t params = m.Input("params", {10, 4, 2}, kF32);
  const int64_t negative = m.Ints32("negative", {-3, 7});
  m.Op(kEmbeddingLookupSparse, {ids, indices, negative, weights, params},
       m.Tensor("els_negative", {3, 4, 2}), kEmbeddingLookupSparseOptions, Combiner(0));
  const int64_t long_dense = m.Ints32("long_dense", {3, 7, 2});
  m.Op(kEmbeddingLookupSparse, {ids, indices, long_dense, weights, params},
       m.Tensor("els_rank", {3, 4, 2}), kEmbeddingLookupSparseOptions, Combiner(0));
  const int64_t ids0 = m.Input("ids0", {2, 3}, kI32);
  const int64_t table0 = m.Input("table0", {100, 4}, kF32);
  m.Op(kConcatEmbeddings, {ids0, table0}, m.Tensor("concat_emb", {2, 12}), kConcatEmbeddingsOptions,
       T());
  const Profile p = ProfileModel(io::ReadTfliteBytes(m.Finish(), "broken.tflite"));
  const std::string diags = Diags(p);
  EXPECT_NE(diags.find("negative dense_shape value"), std::string::npos) << diags;
  EXPECT_NE(diags.find("dense_shape's length 3 differs from the indices' rank 2"),
            std::string::npos)
      << diags;
  EXPECT_NE(diags.find("CONCAT_EMBEDDINGS without num_channels"), std::string::npos) << diags;
  EXPECT_EQ(Profiled(p, "els_negative").outputs[0].shape, Shape::Known({3, 4, 2}));
  EXPECT_EQ(Profiled(p, "concat_emb").outputs[0].shape, Shape::Known({2, 12}));
}

}  // namespace
}  // namespace tops
