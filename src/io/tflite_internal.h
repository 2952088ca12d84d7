// Shared by the TFLite reader's files: turning an operator's options into node attributes.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/flatbuffer.h"
#include "tops/graph.h"

namespace tops::io {

struct OptionsContext {
  fb::View& view;
  std::string_view bytes;
  fb::Table op;          // the Operator table
  const fb::Path& path;  // its path, for errors
  // Builds (or returns) the subgraph an option names, refusing cycles.
  std::function<std::shared_ptr<Graph>(uint32_t index, const fb::Path& from)> subgraph;
};

// builtin_options / builtin_options_2 as attributes named after the schema's fields (every field
// of the table, the schema default where the file leaves one out); subgraph indices become graph
// attributes without the "_index" suffix (then_subgraph, body_subgraph, ...); the FlexBuffer
// options of the custom operators tops costs become int / float / string attributes.
void ReadOperatorOptions(const OptionsContext& ctx, Node& node);

// One Tensor table as read (tflite_tensors.cc).
struct TensorInfo {
  fb::Table table;
  std::string file_name;
  int8_t type = 0;
  DType dtype = DType::kUndefined;
  std::vector<int64_t> shape;
  std::optional<std::vector<int64_t>> signature;
  bool has_rank = false;
  uint32_t buffer = 0;
  bool is_variable = false;
  std::optional<QuantParams> quant;
  std::optional<fb::Table> sparsity;
};

// Reads tensors and the few buffers tops needs (tflite_tensors.cc).
class TensorReader {
 public:
  TensorReader(fb::View& v, std::string_view bytes, fb::Vector buffers)
      : v_(v), bytes_(bytes), buffers_(buffers) {}

  // An [int] field (operator and subgraph tensor lists, shapes), charged to the work budget.
  std::vector<int32_t> Ints32(const fb::Table& t, int slot, const fb::Path& p);
  // Tensor `i` of `tensors`: every field checked (type known, dims >= -1, rank <= 32, buffer
  // index in range, quantisation counts consistent).
  TensorInfo Read(const fb::Vector& tensors, uint32_t i, const fb::Path& p);
  // A constant tensor as an initializer: values read for small integer tensors, stored bytes
  // for sparse ones; other payloads untouched.
  TensorData Constant(const TensorInfo& t, const std::string& name, const fb::Path& p);
  // The file's shape of a tensor; with `symbols` (inputs of the model) dims of -1 become named
  // symbols ("batch" on axis 0, "<name>:<axis>" elsewhere), elsewhere they are unknown.
  static ValueInfo ValueInfoOf(const TensorInfo& t, const std::string& name, bool symbols);

 private:
  std::string_view BufferBytes(uint32_t index);
  int64_t SparseBytes(const TensorInfo& t, const fb::Path& p);

  fb::View& v_;
  std::string_view bytes_;
  fb::Vector buffers_;
};

}  // namespace tops::io
