// ONNX reader: walks the protobuf wire format of a memory-mapped file with protobuf's bounded
// CodedInputStream. Field numbers come from the generated ONNX headers. Weight payloads are
// skipped, never copied: only dims, dtype and the values of small tensors are kept.
#include "tops/onnx_reader.h"

#include <fcntl.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>
#include <onnx/onnx_pb.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstring>

#include "core/checked.h"
#include "tops/error.h"

namespace tops {
namespace {

using google::protobuf::io::CodedInputStream;
using WFL = google::protobuf::internal::WireFormatLite;

constexpr int kMaxNesting = 64;  // messages inside messages (subgraphs in attributes add 3 each)

class WireReader {
 public:
  WireReader(const uint8_t* data, int size, std::string label)
      : base_(data), size_(size), in_(data, size), label_(std::move(label)) {
    in_.SetTotalBytesLimit(INT_MAX);
    in_.SetRecursionLimit(INT_MAX);
  }

  Model ReadModel() {
    Model m;
    bool saw_graph = false;
    ForEachField([&](int field, int wt) {
      switch (field) {
        case onnx::ModelProto::kIrVersionFieldNumber:
          m.ir_version = static_cast<int64_t>(VarintField(wt, "ModelProto.ir_version"));
          return;
        case onnx::ModelProto::kProducerNameFieldNumber:
          m.producer_name = std::string(Bytes(wt, "ModelProto.producer_name"));
          return;
        case onnx::ModelProto::kProducerVersionFieldNumber:
          m.producer_version = std::string(Bytes(wt, "ModelProto.producer_version"));
          return;
        case onnx::ModelProto::kDomainFieldNumber:
          m.domain = std::string(Bytes(wt, "ModelProto.domain"));
          return;
        case onnx::ModelProto::kModelVersionFieldNumber:
          m.model_version = static_cast<int64_t>(VarintField(wt, "ModelProto.model_version"));
          return;
        case onnx::ModelProto::kGraphFieldNumber:
          if (saw_graph) Fail("ModelProto has more than one graph");
          saw_graph = true;
          Message(wt, "ModelProto.graph", [&] { ReadGraph(m.graph); });
          return;
        case onnx::ModelProto::kOpsetImportFieldNumber: {
          OpsetImport o;
          Message(wt, "ModelProto.opset_import", [&] {
            ForEachField([&](int f, int w) {
              if (f == onnx::OperatorSetIdProto::kDomainFieldNumber) {
                o.domain = std::string(Bytes(w, "OperatorSetIdProto.domain"));
              } else if (f == onnx::OperatorSetIdProto::kVersionFieldNumber) {
                o.version = static_cast<int64_t>(VarintField(w, "OperatorSetIdProto.version"));
              } else {
                SkipField(w);
              }
            });
          });
          if (o.domain == "ai.onnx") o.domain.clear();
          m.opsets.push_back(std::move(o));
          return;
        }
        default:
          SkipField(wt);
      }
    });
    if (!saw_graph) {
      if (m.ir_version == 0 && m.opsets.empty()) {
        Fail("not an ONNX model: no ModelProto fields (ir_version, opset_import, graph) found");
      }
      Fail("ONNX model has no graph");
    }
    return m;
  }

 private:
  [[noreturn]] void Fail(const std::string& what) {
    throw Error(label_ + ": " + what + " (at byte " + std::to_string(in_.CurrentPosition()) +
                " of " + std::to_string(size_) + ")");
  }

  bool AtEnd() { return in_.BytesUntilLimit() == 0 || in_.CurrentPosition() >= size_; }

  // Calls fn(field_number, wire_type) for every field until the current limit.
  template <typename Fn>
  void ForEachField(Fn&& fn) {
    while (!AtEnd()) {
      const int pos = in_.CurrentPosition();
      uint32_t tag = in_.ReadTag();
      if (tag == 0) {
        throw Error(label_ +
                    ": invalid field tag (truncated or malformed varint, or field 0) at byte " +
                    std::to_string(pos) + " of " + std::to_string(size_));
      }
      const int field = static_cast<int>(WFL::GetTagFieldNumber(tag));
      const int wt = static_cast<int>(WFL::GetTagWireType(tag));
      if (field == 0) {
        // protobuf reserves field number 0; no encoder writes it, so the bytes are corrupt.
        throw Error(label_ + ": invalid field number 0 at byte " + std::to_string(pos) + " of " +
                    std::to_string(size_));
      }
      fn(field, wt);
    }
  }

  void SkipField(int wt) {
    switch (wt) {
      case WFL::WIRETYPE_VARINT: {
        uint64_t v;
        if (!in_.ReadVarint64(&v)) Fail("truncated or overflowing varint");
        return;
      }
      case WFL::WIRETYPE_FIXED64:
        if (!in_.Skip(8)) Fail("truncated 64-bit field");
        return;
      case WFL::WIRETYPE_FIXED32:
        if (!in_.Skip(4)) Fail("truncated 32-bit field");
        return;
      case WFL::WIRETYPE_LENGTH_DELIMITED: {
        const uint32_t len = Length("field");
        if (!in_.Skip(static_cast<int>(len))) Fail("truncated field");
        return;
      }
      default:
        Fail("unsupported wire type " + std::to_string(wt) + " (groups are not used by ONNX)");
    }
  }

  void Expect(int wt, int want, const char* what) {
    if (wt != want) {
      Fail(std::string("wrong wire type ") + std::to_string(wt) + " for " + what + " (expected " +
           std::to_string(want) + ")");
    }
  }

  uint32_t Length(const char* what) {
    // Read as 64 bits: ReadVarint32 would silently drop the high bits of a 2^40 length.
    uint64_t len64;
    if (!in_.ReadVarint64(&len64) || len64 > static_cast<uint64_t>(INT_MAX)) {
      Fail(std::string("truncated or overflowing length of ") + what);
    }
    const uint32_t len = static_cast<uint32_t>(len64);
    const int left =
        in_.BytesUntilLimit() >= 0 ? in_.BytesUntilLimit() : size_ - in_.CurrentPosition();
    if (len > static_cast<uint32_t>(left)) {
      Fail(std::string("length ") + std::to_string(len) + " of " + what + " runs past the end (" +
           std::to_string(left) + " bytes left)");
    }
    return len;
  }

  uint64_t VarintField(int wt, const char* what) {
    Expect(wt, WFL::WIRETYPE_VARINT, what);
    uint64_t v;
    if (!in_.ReadVarint64(&v)) Fail(std::string("truncated or overflowing varint in ") + what);
    return v;
  }

  std::string_view Bytes(int wt, const char* what) {
    Expect(wt, WFL::WIRETYPE_LENGTH_DELIMITED, what);
    const uint32_t len = Length(what);
    const int pos = in_.CurrentPosition();
    in_.Skip(static_cast<int>(len));
    return std::string_view(reinterpret_cast<const char*>(base_ + pos), len);
  }

  template <typename Fn>
  void Message(int wt, const char* what, Fn&& fn) {
    Expect(wt, WFL::WIRETYPE_LENGTH_DELIMITED, what);
    if (++depth_ > kMaxNesting) {
      Fail(std::string("messages nested deeper than ") + std::to_string(kMaxNesting) + " at " +
           what);
    }
    const uint32_t len = Length(what);
    auto limit = in_.PushLimit(static_cast<int>(len));
    fn();
    if (in_.BytesUntilLimit() != 0) Fail(std::string("malformed ") + what);
    in_.PopLimit(limit);
    --depth_;
  }

  // Repeated scalar field, packed (length-delimited) or not.
  template <typename Fn>
  void Repeated(int wt, int scalar_wt, const char* what, Fn&& read_one) {
    if (wt == WFL::WIRETYPE_LENGTH_DELIMITED) {
      const uint32_t len = Length(what);
      auto limit = in_.PushLimit(static_cast<int>(len));
      while (in_.BytesUntilLimit() > 0) read_one();
      in_.PopLimit(limit);
    } else {
      Expect(wt, scalar_wt, what);
      read_one();
    }
  }

  int64_t ReadInt64(const char* what) {
    uint64_t v;
    if (!in_.ReadVarint64(&v)) Fail(std::string("truncated or overflowing varint in ") + what);
    return static_cast<int64_t>(v);
  }
  double ReadFloat(const char* what) {
    uint32_t bits;
    if (!in_.ReadLittleEndian32(&bits)) Fail(std::string("truncated float in ") + what);
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  double ReadDouble(const char* what) {
    uint64_t bits;
    if (!in_.ReadLittleEndian64(&bits)) Fail(std::string("truncated double in ") + what);
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }

  void ReadGraph(Graph& g) {
    ForEachField([&](int field, int wt) {
      switch (field) {
        case onnx::GraphProto::kNodeFieldNumber:
          g.nodes.emplace_back();
          Message(wt, "GraphProto.node", [&] { ReadNode(g.nodes.back()); });
          return;
        case onnx::GraphProto::kNameFieldNumber:
          g.name = std::string(Bytes(wt, "GraphProto.name"));
          return;
        case onnx::GraphProto::kInitializerFieldNumber:
          g.initializers.emplace_back();
          Message(wt, "GraphProto.initializer", [&] { ReadTensor(g.initializers.back()); });
          return;
        case onnx::GraphProto::kSparseInitializerFieldNumber: {
          // SparseTensorProto: the dense shape is `dims`, values/indices are payload.
          TensorData t;
          Message(wt, "GraphProto.sparse_initializer", [&] {
            ForEachField([&](int f, int w) {
              if (f == onnx::SparseTensorProto::kValuesFieldNumber) {
                Message(w, "SparseTensorProto.values", [&] {
                  TensorData values;
                  ReadTensor(values);
                  t.name = values.name;
                  t.dtype = values.dtype;
                });
              } else if (f == onnx::SparseTensorProto::kDimsFieldNumber) {
                Repeated(w, WFL::WIRETYPE_VARINT, "SparseTensorProto.dims",
                         [&] { t.dims.push_back(ReadInt64("SparseTensorProto.dims")); });
              } else {
                SkipField(w);
              }
            });
          });
          t.elems = CheckDims(t.dims, t.name);
          g.initializers.push_back(std::move(t));
          return;
        }
        case onnx::GraphProto::kInputFieldNumber:
          g.inputs.emplace_back();
          Message(wt, "GraphProto.input", [&] { ReadValueInfo(g.inputs.back()); });
          return;
        case onnx::GraphProto::kOutputFieldNumber:
          g.outputs.emplace_back();
          Message(wt, "GraphProto.output", [&] { ReadValueInfo(g.outputs.back()); });
          return;
        case onnx::GraphProto::kValueInfoFieldNumber:
          g.value_info.emplace_back();
          Message(wt, "GraphProto.value_info", [&] { ReadValueInfo(g.value_info.back()); });
          return;
        default:
          SkipField(wt);
      }
    });
  }

  void ReadNode(Node& n) {
    ForEachField([&](int field, int wt) {
      switch (field) {
        case onnx::NodeProto::kInputFieldNumber:
          n.inputs.emplace_back(Bytes(wt, "NodeProto.input"));
          return;
        case onnx::NodeProto::kOutputFieldNumber:
          n.outputs.emplace_back(Bytes(wt, "NodeProto.output"));
          return;
        case onnx::NodeProto::kNameFieldNumber:
          n.name = std::string(Bytes(wt, "NodeProto.name"));
          return;
        case onnx::NodeProto::kOpTypeFieldNumber:
          n.op_type = std::string(Bytes(wt, "NodeProto.op_type"));
          return;
        case onnx::NodeProto::kDomainFieldNumber:
          n.domain = std::string(Bytes(wt, "NodeProto.domain"));
          if (n.domain == "ai.onnx") n.domain.clear();
          return;
        case onnx::NodeProto::kAttributeFieldNumber:
          n.attributes.emplace_back();
          Message(wt, "NodeProto.attribute", [&] { ReadAttribute(n.attributes.back()); });
          return;
        default:
          SkipField(wt);
      }
    });
    if (n.op_type.empty()) Fail("node '" + n.name + "' has no op_type");
  }

  void ReadAttribute(Attribute& a) {
    ForEachField([&](int field, int wt) {
      switch (field) {
        case onnx::AttributeProto::kNameFieldNumber:
          a.name = std::string(Bytes(wt, "AttributeProto.name"));
          return;
        case onnx::AttributeProto::kTypeFieldNumber:
          a.type = static_cast<AttrType>(VarintField(wt, "AttributeProto.type"));
          return;
        case onnx::AttributeProto::kFFieldNumber:
          Expect(wt, WFL::WIRETYPE_FIXED32, "AttributeProto.f");
          a.f = ReadFloat("AttributeProto.f");
          return;
        case onnx::AttributeProto::kIFieldNumber:
          a.i = static_cast<int64_t>(VarintField(wt, "AttributeProto.i"));
          return;
        case onnx::AttributeProto::kSFieldNumber:
          a.s = std::string(Bytes(wt, "AttributeProto.s"));
          return;
        case onnx::AttributeProto::kTFieldNumber:
          a.t = std::make_shared<TensorData>();
          Message(wt, "AttributeProto.t", [&] { ReadTensor(*a.t); });
          return;
        case onnx::AttributeProto::kGFieldNumber:
        case onnx::AttributeProto::kGraphsFieldNumber:
          a.graphs.push_back(std::make_shared<Graph>());
          Message(wt, "AttributeProto.g", [&] { ReadGraph(*a.graphs.back()); });
          return;
        case onnx::AttributeProto::kFloatsFieldNumber:
          Repeated(wt, WFL::WIRETYPE_FIXED32, "AttributeProto.floats",
                   [&] { a.floats.push_back(ReadFloat("AttributeProto.floats")); });
          return;
        case onnx::AttributeProto::kIntsFieldNumber:
          Repeated(wt, WFL::WIRETYPE_VARINT, "AttributeProto.ints",
                   [&] { a.ints.push_back(ReadInt64("AttributeProto.ints")); });
          return;
        case onnx::AttributeProto::kStringsFieldNumber:
          a.strings.emplace_back(Bytes(wt, "AttributeProto.strings"));
          return;
        default:
          SkipField(wt);
      }
    });
    if (a.type == AttrType::kUndefined) {
      // IR version 1 files omit `type`; infer it from which field is set.
      if (a.t)
        a.type = AttrType::kTensor;
      else if (!a.graphs.empty())
        a.type = AttrType::kGraph;
      else if (!a.ints.empty())
        a.type = AttrType::kInts;
      else if (!a.floats.empty())
        a.type = AttrType::kFloats;
      else if (!a.strings.empty())
        a.type = AttrType::kStrings;
      else if (!a.s.empty())
        a.type = AttrType::kString;
    }
  }

  int64_t CheckDims(const std::vector<int64_t>& dims, const std::string& name) {
    int64_t elems = 1;
    for (int64_t d : dims) {
      if (d < 0) Fail("tensor '" + name + "' has negative dim " + std::to_string(d));
      int64_t r;
      if (__builtin_mul_overflow(elems, d, &r)) {
        Fail("tensor '" + name + "' element count overflows 64-bit integer");
      }
      elems = r;
    }
    return elems;
  }

  void ReadTensor(TensorData& t) {
    std::string_view raw;
    bool has_raw = false;
    std::vector<int64_t> ints;
    std::vector<double> floats;
    bool typed_ints = false, typed_floats = false;
    const int64_t cap = kMaxKeptValues;
    ForEachField([&](int field, int wt) {
      switch (field) {
        case onnx::TensorProto::kDimsFieldNumber:
          Repeated(wt, WFL::WIRETYPE_VARINT, "TensorProto.dims",
                   [&] { t.dims.push_back(ReadInt64("TensorProto.dims")); });
          return;
        case onnx::TensorProto::kDataTypeFieldNumber:
          t.dtype =
              static_cast<DType>(static_cast<int32_t>(VarintField(wt, "TensorProto.data_type")));
          return;
        case onnx::TensorProto::kNameFieldNumber:
          t.name = std::string(Bytes(wt, "TensorProto.name"));
          return;
        case onnx::TensorProto::kRawDataFieldNumber:
          raw = Bytes(wt, "TensorProto.raw_data");  // a view: never copied
          has_raw = true;
          return;
        case onnx::TensorProto::kDataLocationFieldNumber:
          t.external = VarintField(wt, "TensorProto.data_location") == 1;
          return;
        case onnx::TensorProto::kInt64DataFieldNumber:
        case onnx::TensorProto::kInt32DataFieldNumber:
        case onnx::TensorProto::kUint64DataFieldNumber:
          typed_ints = true;
          Repeated(wt, WFL::WIRETYPE_VARINT, "TensorProto.int_data", [&] {
            const int64_t v = ReadInt64("TensorProto.int_data");
            if (static_cast<int64_t>(ints.size()) < cap) ints.push_back(v);
          });
          return;
        case onnx::TensorProto::kFloatDataFieldNumber:
          typed_floats = true;
          Repeated(wt, WFL::WIRETYPE_FIXED32, "TensorProto.float_data", [&] {
            const double v = ReadFloat("TensorProto.float_data");
            if (static_cast<int64_t>(floats.size()) < cap) floats.push_back(v);
          });
          return;
        case onnx::TensorProto::kDoubleDataFieldNumber:
          typed_floats = true;
          Repeated(wt, WFL::WIRETYPE_FIXED64, "TensorProto.double_data", [&] {
            const double v = ReadDouble("TensorProto.double_data");
            if (static_cast<int64_t>(floats.size()) < cap) floats.push_back(v);
          });
          return;
        case onnx::TensorProto::kStringDataFieldNumber:
          Bytes(wt, "TensorProto.string_data");
          t.has_payload = true;
          return;
        case onnx::TensorProto::kExternalDataFieldNumber:
          t.external = true;
          SkipField(wt);
          return;
        default:
          SkipField(wt);
      }
    });
    t.elems = CheckDims(t.dims, t.name);
    t.has_payload = t.has_payload || has_raw || typed_ints || typed_floats;
    if (t.elems > cap) return;
    if (has_raw) {
      DecodeRaw(t, raw);
    } else if (typed_ints && static_cast<int64_t>(ints.size()) == t.elems) {
      t.has_values = true;
      t.ints = std::move(ints);
      if (IsFloatDType(t.dtype)) {
        // float16/bfloat16 travel in int32_data as bit patterns; values are not needed then.
        t.has_values = false;
        t.ints.clear();
      }
    } else if (typed_floats && static_cast<int64_t>(floats.size()) == t.elems) {
      t.has_values = true;
      t.floats = std::move(floats);
    }
  }

  static void DecodeRaw(TensorData& t, std::string_view raw) {
    const int bits = DTypeBits(t.dtype);
    if (bits < 8 || t.dtype == DType::kString) return;
    const size_t width = static_cast<size_t>(bits / 8);
    if (raw.size() != width * static_cast<size_t>(t.elems)) return;  // inconsistent: keep none
    const char* p = raw.data();
    auto load = [&](auto sample, size_t i) {
      decltype(sample) v;
      std::memcpy(&v, p + i * sizeof(v), sizeof(v));
      return v;
    };
    for (size_t i = 0; i < static_cast<size_t>(t.elems); ++i) {
      switch (t.dtype) {
        case DType::kInt64:
          t.ints.push_back(load(int64_t{}, i));
          break;
        case DType::kUint64:
          t.ints.push_back(static_cast<int64_t>(load(uint64_t{}, i)));
          break;
        case DType::kInt32:
          t.ints.push_back(load(int32_t{}, i));
          break;
        case DType::kUint32:
          t.ints.push_back(load(uint32_t{}, i));
          break;
        case DType::kInt16:
          t.ints.push_back(load(int16_t{}, i));
          break;
        case DType::kUint16:
          t.ints.push_back(load(uint16_t{}, i));
          break;
        case DType::kInt8:
          t.ints.push_back(load(int8_t{}, i));
          break;
        case DType::kUint8:
        case DType::kBool:
          t.ints.push_back(load(uint8_t{}, i));
          break;
        case DType::kFloat:
          t.floats.push_back(load(float{}, i));
          break;
        case DType::kDouble:
          t.floats.push_back(load(double{}, i));
          break;
        default:
          return;  // float16 & co: values not needed by shape inference
      }
    }
    t.has_values = true;
  }

  void ReadValueInfo(ValueInfo& v) {
    ForEachField([&](int field, int wt) {
      if (field == onnx::ValueInfoProto::kNameFieldNumber) {
        v.name = std::string(Bytes(wt, "ValueInfoProto.name"));
      } else if (field == onnx::ValueInfoProto::kTypeFieldNumber) {
        Message(wt, "ValueInfoProto.type", [&] { ReadType(v); });
      } else {
        SkipField(wt);
      }
    });
  }

  void ReadType(ValueInfo& v) {
    ForEachField([&](int field, int wt) {
      if (field == onnx::TypeProto::kTensorTypeFieldNumber ||
          field == onnx::TypeProto::kSparseTensorTypeFieldNumber) {
        v.has_tensor_type = true;
        Message(wt, "TypeProto.tensor_type", [&] {
          ForEachField([&](int f, int w) {
            if (f == onnx::TypeProto_Tensor::kElemTypeFieldNumber) {
              v.dtype = static_cast<DType>(static_cast<int32_t>(VarintField(w, "elem_type")));
            } else if (f == onnx::TypeProto_Tensor::kShapeFieldNumber) {
              v.shape.rank_known = true;
              Message(w, "TypeProto.Tensor.shape", [&] { ReadShape(v); });
            } else {
              SkipField(w);
            }
          });
        });
      } else {
        SkipField(wt);
      }
    });
  }

  void ReadShape(ValueInfo& v) {
    ForEachField([&](int field, int wt) {
      if (field != onnx::TensorShapeProto::kDimFieldNumber) return SkipField(wt);
      Dim d;
      Message(wt, "TensorShapeProto.dim", [&] {
        ForEachField([&](int f, int w) {
          if (f == onnx::TensorShapeProto_Dimension::kDimValueFieldNumber) {
            const int64_t value = static_cast<int64_t>(VarintField(w, "dim_value"));
            if (value < 0) {
              Fail("value '" + v.name + "' has negative dim " + std::to_string(value));
            }
            d.value = value;
          } else if (f == onnx::TensorShapeProto_Dimension::kDimParamFieldNumber) {
            d.symbol = std::string(Bytes(w, "dim_param"));
          } else {
            SkipField(w);
          }
        });
      });
      if (d.known()) d.symbol.clear();
      v.shape.dims.push_back(std::move(d));
    });
  }

  const uint8_t* base_;
  int size_;
  CodedInputStream in_;
  std::string label_;
  int depth_ = 0;
};

// Read-only mapping of a whole file; unmapped on destruction.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw Error(path + ": cannot open: " + std::strerror(errno));
    struct stat st;
    if (::fstat(fd_, &st) != 0) throw Error(path + ": cannot stat: " + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) throw Error(path + ": is a directory, not an ONNX file");
    if (!S_ISREG(st.st_mode)) throw Error(path + ": not a regular file");
    size_ = static_cast<uint64_t>(st.st_size);
    if (size_ == 0) return;
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (p == MAP_FAILED) throw Error(path + ": cannot map: " + std::strerror(errno));
    data_ = static_cast<const char*>(p);
  }
  ~MappedFile() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
    if (fd_ >= 0) ::close(fd_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view bytes() const { return {data_ ? data_ : "", size_}; }

 private:
  int fd_ = -1;
  const char* data_ = nullptr;
  uint64_t size_ = 0;
};

std::string HexByte(uint8_t b) {
  const char* digits = "0123456789abcdef";
  return {digits[b >> 4], digits[b & 15]};
}

}  // namespace

bool LooksLikeOnnx(std::string_view head) {
  if (head.empty()) return false;
  const uint8_t b = static_cast<uint8_t>(head[0]);
  const int field = b >> 3, wt = b & 7;
  // ModelProto fields are 1..25; ir_version (varint) or a length-delimited field comes first.
  return field >= 1 && field <= 25 && (wt == 0 || wt == 2);
}

Model ReadOnnxBytes(std::string_view bytes, const std::string& label) {
  if (bytes.empty()) throw Error(label + ": empty file, not an ONNX model");
  if (bytes.size() > static_cast<size_t>(INT_MAX)) {
    throw Error(label + ": file is " + std::to_string(bytes.size()) +
                " bytes; a protobuf ModelProto cannot exceed 2 GiB (large models keep weights "
                "in external data files)");
  }
  if (!LooksLikeOnnx(bytes)) {
    throw Error(label + ": not an ONNX model (first byte 0x" +
                HexByte(static_cast<uint8_t>(bytes[0])) + " is not a ModelProto field tag)");
  }
  WireReader reader(reinterpret_cast<const uint8_t*>(bytes.data()), static_cast<int>(bytes.size()),
                    label);
  Model m = reader.ReadModel();
  m.path = label;
  m.file_bytes = bytes.size();
  return m;
}

Model ReadOnnxFile(const std::string& path) {
  MappedFile file(path);
  return ReadOnnxBytes(file.bytes(), path);
}

}  // namespace tops
