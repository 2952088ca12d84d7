// The text and sparse-embedding builtins of the schema's first version: CONCAT_EMBEDDINGS,
// SKIP_GRAM and EMBEDDING_LOOKUP_SPARSE (docs/tflite.md, "Costs").
//
// EMBEDDING_LOOKUP_SPARSE (ids [n], indices [n, r], dense_shape [r], weights [n], params [rows,
// e1..em]), as the runtime's kernel computes it: the sparse tensor (ids at indices, within
// dense_shape) is summed row by row, each id's embedding row scaled by its weight, into an output
// [dense_shape[0..r-2], e1..em]; MEAN divides each filled row by its total weight, SQRTN by the
// square root of its sum of squared weights. The leading output dims are the values of
// dense_shape: known when it is a constant, else run-time sizes "<node>:dense<i>".
//
// SKIP_GRAM (a string [1] -> the n-grams of its words, strings [count]): how many n-grams come
// out depends on how many words the text holds, a run-time size "<node>:ngrams".
//
// CONCAT_EMBEDDINGS has no kernel in the TFLite runtime; tops reads it as its options describe it:
// `num_channels` channels, channel c looking up `num_columns_per_channel[c]` ids per example in
// a table of width `embedding_dim_per_channel[c]`, the rows concatenated. Inputs: the channels'
// ids [batch..., columns] first, then their tables [vocabulary, width]; output [batch..., sum
// over channels of columns * width].
#include <algorithm>
#include <optional>

#include "core/checked.h"
#include "ops/tflite_common.h"

namespace tops::tfl {
namespace {

enum Combiner : int64_t { kSum = 0, kMean = 1, kSqrtn = 2 };

// The reader's bound on a tensor's rank (a hostile dense_shape length cannot make more dims).
constexpr int64_t kMaxLookupRank = 32;

// Width of one embedding: the product of params' dims after the first.
std::optional<int64_t> EmbeddingWidth(const Shape* params) {
  if (!params || !params->rank_known || params->rank() < 2) return std::nullopt;
  int64_t e = 1;
  for (size_t i = 1; i < params->rank(); ++i) {
    if (!params->dims[i].known()) return std::nullopt;
    e = CheckedMul(e, params->dims[i].value, "embedding size");
  }
  return e;
}

void LookupSparseShape(OpContext& ctx) {
  const Shape* indices = ctx.input_shape(1);
  const Shape* dense = ctx.input_shape(2);
  const Shape* params = ctx.input_shape(4);
  if (!params || !params->rank_known || params->rank() < 2) {
    return ctx.Diag("EMBEDDING_LOOKUP_SPARSE needs params of rank 2 or more");
  }
  // The sparse tensor's rank r: dense_shape's length, or the indices' second dim.
  Dim r = Dim::Unknown();
  if (dense && dense->rank() == 1) r = dense->dims[0];
  if (!r.known() && indices && indices->rank() == 2) r = indices->dims[1];
  if (!r.known() || r.value < 1) {
    return ctx.Diag(
        "EMBEDDING_LOOKUP_SPARSE: the rank of its sparse lookup is not known (dense_shape's "
        "length); its output shape is the file's");
  }
  if (indices && indices->rank() == 2 && indices->dims[1].known() &&
      indices->dims[1].value != r.value) {
    return ctx.Diag("EMBEDDING_LOOKUP_SPARSE: dense_shape's length " + std::to_string(r.value) +
                    " differs from the indices' rank " + std::to_string(indices->dims[1].value));
  }
  if (r.value > kMaxLookupRank) {
    return ctx.Diag("EMBEDDING_LOOKUP_SPARSE: a sparse lookup of rank " + std::to_string(r.value) +
                    " (more than " + std::to_string(kMaxLookupRank) + ")");
  }
  const auto values = ctx.input_ints(2);
  if (values && static_cast<int64_t>(values->size()) != r.value) {
    return ctx.Diag("EMBEDDING_LOOKUP_SPARSE: dense_shape holds " + std::to_string(values->size()) +
                    " values for a lookup of rank " + std::to_string(r.value));
  }
  std::vector<Dim> out;
  for (int64_t i = 0; i + 1 < r.value; ++i) {
    if (values) {
      const int64_t v = (*values)[static_cast<size_t>(i)];
      if (v < 0) return ctx.Diag("EMBEDDING_LOOKUP_SPARSE: negative dense_shape value");
      out.push_back(Dim::Known(v));
    } else {
      out.push_back(ctx.DataDependentDim("dense" + std::to_string(i)));
    }
  }
  out.insert(out.end(), params->dims.begin() + 1, params->dims.end());
  ctx.SetOutput(0, DType::kFloat, Shape::Of(std::move(out)));
}

// Per id: its embedding row times its weight added into the output row (e MACs), and the
// weight added to the row's total and, squared, to its sum of squares (3 ops). MEAN and SQRTN
// then divide every filled output row (one divide per element, SQRTN one square root more per
// row). Filled rows: at most one per id and at most the output's rows; the count is the
// smaller of the two when the output's rows are known, else one per id (an upper bound).
Cost LookupSparseCost(const OpContext& ctx) {
  auto n = InputElems(ctx, 0);
  auto e = EmbeddingWidth(ctx.input_shape(4));
  if (!n || !e) return Cost::Unknown();
  const int64_t macs = CheckedMul(*n, *e, "MACs");
  int64_t other = CheckedMul(*n, 3, "op count");
  const int64_t combiner = ctx.node().attr_int("combiner", kSum);
  if (combiner == kMean || combiner == kSqrtn) {
    int64_t rows = *n;
    if (auto out = OutputElems(ctx); out && *e > 0) rows = std::min(rows, *out / *e);
    other = CheckedAdd(other, CheckedMul(rows, *e, "op count"), "op count");
    if (combiner == kSqrtn) other = CheckedAdd(other, rows, "op count");
  }
  return Cost{macs, other};
}

void SkipGramShape(OpContext& ctx) {
  const Node& n = ctx.node();
  if (n.attr_int("ngram_size", 0) < 1) {
    ctx.Diag("SKIP_GRAM with an ngram_size below 1 writes no n-grams");
    return ctx.SetOutput(0, DType::kString, Shape::Known({0}));
  }
  ctx.SetOutput(0, DType::kString, Shape::Of({ctx.DataDependentDim("ngrams")}));
}

void ConcatEmbeddingsShape(OpContext& ctx) {
  const Node& n = ctx.node();
  const int64_t channels = n.attr_int("num_channels", 0);
  if (channels < 1) {
    return ctx.Diag(
        "CONCAT_EMBEDDINGS without num_channels in its options; its output shape "
        "is the file's");
  }
  const auto columns = n.attr_ints("num_columns_per_channel");
  const auto widths = n.attr_ints("embedding_dim_per_channel");
  const size_t c_count = static_cast<size_t>(channels);
  const Shape* first = ctx.input_shape(0);
  if (!first || !first->rank_known || first->rank() == 0) return;
  int64_t total = 0;
  for (size_t c = 0; c < c_count; ++c) {
    // An option wins; without it, the ids' last dim and the table's second.
    std::optional<int64_t> cols, width;
    if (columns && columns->size() == c_count) cols = (*columns)[c];
    if (widths && widths->size() == c_count) width = (*widths)[c];
    const Shape* ids = ctx.input_shape(c);
    const Shape* table = ctx.input_shape(c_count + c);
    if (!cols && ids && ids->rank() > 0 && ids->dims.back().known()) cols = ids->dims.back().value;
    if (!width && table && table->rank() == 2 && table->dims[1].known()) {
      width = table->dims[1].value;
    }
    if (!cols || !width) {
      return ctx.Diag("CONCAT_EMBEDDINGS: channel " + std::to_string(c) +
                      "'s columns or embedding width is not known");
    }
    if (*cols < 0 || *width < 0) {
      return ctx.Diag("CONCAT_EMBEDDINGS: negative columns or embedding width");
    }
    total = CheckedAdd(total, CheckedMul(*cols, *width, "size"), "size");
  }
  std::vector<Dim> out(first->dims.begin(), first->dims.end() - 1);
  out.push_back(Dim::Known(total));
  ctx.SetOutput(0, DType::kFloat, Shape::Of(std::move(out)));
}

}  // namespace

void RegisterEmbeddingFamily(Registry& r) {
  const char* kFamily = "tflite_embedding";
  Add(r, "EMBEDDING_LOOKUP_SPARSE", kFamily,
      "MACs = ids * emb_width; other = 3 * ids (+ filled rows * emb_width for MEAN / SQRTN, + "
      "rows for SQRTN); leading dims <node>:dense<i> unless dense_shape is constant",
      LookupSparseShape, LookupSparseCost, ParamInputs({0, 1, 2}));
  Add(r, "SKIP_GRAM", kFamily,
      "no arithmetic (splits text, joins words: bytes only); output count <node>:ngrams",
      SkipGramShape, ZeroCost);
  Add(r, "CONCAT_EMBEDDINGS", kFamily,
      "no arithmetic (row gathers, concatenated: bytes only); no runtime kernel",
      ConcatEmbeddingsShape, ZeroCost);
}

}  // namespace tops::tfl
