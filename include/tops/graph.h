// The in-memory model: what the reader produces and shape inference consumes.
// Invariants: a Graph never holds weight payloads, only dims and dtype of every tensor; small
// integer/float tensors (shape targets, axes, scales: at most kMaxKeptValues elements) keep
// their values because shape inference needs them. A Dim is a known size, a named symbol
// ("batch", "seq") or unknown.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tops {

// Element types. tops numbers them itself: each reader maps its format's codes (ONNX
// TensorProto.DataType, TFLite TensorType, ...) to these, so nothing above src/io depends on a
// file format's numbering. Attributes that name a type (Cast's `to`, `dtype`, `output_dtype`)
// hold these values too: readers translate them.
enum class DType : uint8_t {
  kUndefined,
  kBool,
  kInt4,
  kUint4,
  kInt8,
  kUint8,
  kInt16,
  kUint16,
  kInt32,
  kUint32,
  kInt64,
  kUint64,
  kFloat8E4M3FN,
  kFloat8E4M3FNUZ,
  kFloat8E5M2,
  kFloat8E5M2FNUZ,
  kFloat16,
  kBFloat16,
  kFloat,
  kDouble,
  kComplex64,
  kComplex128,
  kString,
};

// Bits per element; 0 for undefined, string and unknown codes.
int DTypeBits(DType t);
std::string_view DTypeName(DType t);
bool IsIntegerDType(DType t);
bool IsFloatDType(DType t);

// Bytes for `elems` elements of type t, rounded up (4-bit types pack two per byte).
int64_t DTypeBytes(DType t, int64_t elems);

struct Dim {
  int64_t value = -1;  // >= 0 when known
  std::string symbol;  // non-empty for a named symbolic dim

  static Dim Known(int64_t v) { return Dim{v, {}}; }
  static Dim Symbol(std::string s) { return Dim{-1, std::move(s)}; }
  static Dim Unknown() { return Dim{}; }
  bool known() const { return value >= 0; }
  bool symbolic() const { return value < 0 && !symbol.empty(); }
  bool operator==(const Dim& o) const { return value == o.value && symbol == o.symbol; }
  std::string ToString() const;  // "224", "batch" or "?"
};

struct Shape {
  bool rank_known = false;
  std::vector<Dim> dims;

  static Shape Unknown() { return Shape{}; }
  static Shape Of(std::vector<Dim> d) { return Shape{true, std::move(d)}; }
  static Shape Known(const std::vector<int64_t>& d);
  size_t rank() const { return dims.size(); }
  bool fully_known() const;
  // Product of dims when fully known; throws tops::Error on int64 overflow.
  std::optional<int64_t> elems() const;
  // The same, but nullopt instead of an error when the product overflows: for analyses that run
  // after the profile, which has already reported the overflow as a diagnostic.
  std::optional<int64_t> elems_if_representable() const;
  std::string ToString() const;  // "1x3x224x224", "?x3" or "unknown"
  bool operator==(const Shape& o) const { return rank_known == o.rank_known && dims == o.dims; }
};

// Quantisation parameters a file stores beside a tensor (TFLite: scale and zero point per tensor
// or per channel). Only their count and axis are kept, never the values.
struct QuantParams {
  int64_t scales = 0;       // 1: per tensor; > 1: one per slice along `axis` (per channel)
  int64_t zero_points = 0;  // as many as scales, or 0 when absent
  int64_t axis = 0;         // the quantised dimension of a per-channel tensor
  bool per_axis() const { return scales > 1; }
};

// A tensor as stored in the file: initializer, Constant value or attribute tensor.
struct TensorData {
  std::string name;
  DType dtype = DType::kUndefined;
  std::vector<int64_t> dims;
  int64_t elems = 0;         // product of dims (checked)
  bool external = false;     // data_location == EXTERNAL (the data file is never opened)
  bool has_payload = false;  // raw_data or typed data present in the file
  // Values of small tensors (<= kMaxKeptValues elements), integers exactly, floats as double.
  bool has_values = false;
  std::vector<int64_t> ints;
  std::vector<double> floats;
  std::optional<QuantParams> quant;  // quantisation parameters stored with the tensor
  // Sparse storage (TFLite sparsity parameters): dims stay the dense shape; the bytes the file
  // holds (non-zero values plus index metadata) are stored_bytes.
  bool sparse = false;
  std::optional<int64_t> stored_bytes;
};

inline constexpr int64_t kMaxKeptValues = 1024;

struct Graph;

// Kind of value an attribute holds (one of the fields of Attribute below).
enum class AttrType : uint8_t {
  kUndefined,
  kFloat,
  kInt,
  kString,
  kTensor,
  kGraph,
  kSparseTensor,
  kTypeProto,
  kFloats,
  kInts,
  kStrings,
  kTensors,
  kGraphs,
  kSparseTensors,
  kTypeProtos,
};

struct Attribute {
  std::string name;
  AttrType type = AttrType::kUndefined;
  int64_t i = 0;
  double f = 0;
  std::string s;
  std::vector<int64_t> ints;
  std::vector<double> floats;
  std::vector<std::string> strings;
  std::shared_ptr<TensorData> t;
  std::vector<std::shared_ptr<Graph>> graphs;  // g (one) or graphs (many)
};

struct Node {
  std::string name;
  std::string op_type;
  std::string domain;                // "" is the default ONNX domain ("ai.onnx" is folded into "")
  std::vector<std::string> inputs;   // "" marks an omitted optional input
  std::vector<std::string> outputs;  // "" marks an omitted optional output
  std::vector<Attribute> attributes;

  const Attribute* attr(std::string_view name) const;
  int64_t attr_int(std::string_view name, int64_t fallback) const;
  double attr_float(std::string_view name, double fallback) const;
  std::string attr_string(std::string_view name, std::string fallback) const;
  std::optional<std::vector<int64_t>> attr_ints(std::string_view name) const;
  // An attribute naming an element type (Cast's `to`, `dtype`, `output_dtype`): readers store
  // tops's own DType value there.
  DType attr_dtype(std::string_view name, DType fallback) const;
  // "name (op)" or "#index (op)" when unnamed, for messages.
  std::string Label() const;
};

struct ValueInfo {
  std::string name;
  bool has_tensor_type = false;
  DType dtype = DType::kUndefined;
  Shape shape;
  std::optional<QuantParams> quant;  // quantisation parameters stored with the tensor
};

struct Graph {
  std::string name;
  std::vector<Node> nodes;
  std::vector<TensorData> initializers;
  std::vector<ValueInfo> inputs;  // may include initializers (IR < 4 style)
  std::vector<ValueInfo> outputs;
  std::vector<ValueInfo> value_info;
};

struct OpsetImport {
  std::string domain;
  int64_t version = 0;
};

struct Model {
  std::string format;  // reader that produced it: "onnx", "tflite", ...
  std::string path;
  uint64_t file_bytes = 0;
  int64_t ir_version = 0;
  std::string producer_name;
  std::string producer_version;
  std::string domain;
  int64_t model_version = 0;
  std::vector<OpsetImport> opsets;
  Graph graph;
  // Longest sequence the model was trained for, where the file says (a Hugging Face config's
  // max_position_embeddings); 0 when unknown.
  int64_t max_positions = 0;
  // What the reader has to say about the file as a whole (a model compiled for an accelerator,
  // entry points it did not read); the profile lists them among its diagnostics.
  std::vector<std::string> notes;

  // Opset version for a domain ("" = default ONNX domain), or 0 when not imported.
  int64_t opset(std::string_view domain) const;
};

}  // namespace tops
