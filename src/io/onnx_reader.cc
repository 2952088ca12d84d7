// ONNX reader: walks the protobuf wire format (io::WireReader over protobuf's bounded
// CodedInputStream) of a file read in pread windows, or of bytes in memory. Field numbers come
// from the generated ONNX headers. Weight payloads are stepped over, never read: only dims,
// dtype and the values of small tensors are kept. ONNX's numbering of data types and attribute
// kinds is mapped to tops's own enums in onnx_codes.cc and nowhere else.
#include "io/onnx_reader.h"

#include <onnx/onnx_pb.h>

#include <climits>
#include <cmath>
#include <cstring>

#include "io/file_source.h"
#include "io/protobuf_wire.h"
#include "tops/error.h"

namespace tops::io {
namespace {

using WFL = io::WireReader::WFL;

constexpr int kMaxNesting = 64;  // messages inside messages (subgraphs in attributes add 3 each)

// Integer attributes whose value is a TensorProto.DataType code in the ONNX operator spec
// (Cast.to; dtype of EyeLike, RandomNormal/Uniform(Like), Multinomial, Bernoulli;
// output_dtype of QuantizeLinear / DequantizeLinear). The IR holds tops's DType there.
bool NamesDataType(const std::string& attribute) {
  return attribute == "to" || attribute == "dtype" || attribute == "output_dtype";
}

class OnnxReader : public io::WireReader {
 public:
  OnnxReader(const ByteSource& source, std::string label)
      : io::WireReader(source, std::move(label), kMaxNesting) {}

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
    bool saw_i = false, saw_f = false;
    ForEachField([&](int field, int wt) {
      switch (field) {
        case onnx::AttributeProto::kNameFieldNumber:
          a.name = std::string(Bytes(wt, "AttributeProto.name"));
          return;
        case onnx::AttributeProto::kTypeFieldNumber:
          a.type = AttrTypeFromOnnx(VarintField(wt, "AttributeProto.type"));
          return;
        case onnx::AttributeProto::kFFieldNumber:
          Expect(wt, WFL::WIRETYPE_FIXED32, "AttributeProto.f");
          a.f = ReadFloat("AttributeProto.f");
          saw_f = true;
          return;
        case onnx::AttributeProto::kIFieldNumber:
          a.i = static_cast<int64_t>(VarintField(wt, "AttributeProto.i"));
          saw_i = true;
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
      else if (saw_f)
        a.type = AttrType::kFloat;
      else if (saw_i)
        a.type = AttrType::kInt;
    }
    if (a.type == AttrType::kInt && NamesDataType(a.name)) {
      a.i = static_cast<int64_t>(DTypeFromOnnx(a.i));
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
    std::string raw;  // read only when small enough to keep (kMaxKeptValues elements)
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
          t.dtype = DTypeFromOnnx(static_cast<int64_t>(VarintField(wt, "TensorProto.data_type")));
          return;
        case onnx::TensorProto::kNameFieldNumber:
          t.name = std::string(Bytes(wt, "TensorProto.name"));
          return;
        case onnx::TensorProto::kRawDataFieldNumber:
          // A payload larger than any tensor whose values are kept is stepped over unread.
          BytesUpTo(wt, "TensorProto.raw_data", kMaxKeptValues * 8, &raw);
          has_raw = true;
          return;
        case onnx::TensorProto::kDataLocationFieldNumber:
          t.external = VarintField(wt, "TensorProto.data_location") == 1;
          return;
        case onnx::TensorProto::kInt64DataFieldNumber:
        case onnx::TensorProto::kInt32DataFieldNumber:
        case onnx::TensorProto::kUint64DataFieldNumber:
          typed_ints = true;
          Repeated(
              wt, WFL::WIRETYPE_VARINT, "TensorProto.int_data",
              [&] {
                const int64_t v = ReadInt64("TensorProto.int_data");
                if (static_cast<int64_t>(ints.size()) < cap) ints.push_back(v);
              },
              kMaxKeptValues * 10);
          return;
        case onnx::TensorProto::kFloatDataFieldNumber:
          typed_floats = true;
          Repeated(
              wt, WFL::WIRETYPE_FIXED32, "TensorProto.float_data",
              [&] {
                const double v = ReadFloat("TensorProto.float_data");
                if (static_cast<int64_t>(floats.size()) < cap) floats.push_back(v);
              },
              kMaxKeptValues * 4);
          return;
        case onnx::TensorProto::kDoubleDataFieldNumber:
          typed_floats = true;
          Repeated(
              wt, WFL::WIRETYPE_FIXED64, "TensorProto.double_data",
              [&] {
                const double v = ReadDouble("TensorProto.double_data");
                if (static_cast<int64_t>(floats.size()) < cap) floats.push_back(v);
              },
              kMaxKeptValues * 8);
          return;
        case onnx::TensorProto::kStringDataFieldNumber: {
          std::string unused;
          BytesUpTo(wt, "TensorProto.string_data", 0, &unused);
          t.has_payload = true;
          return;
        }
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
        // float16/bfloat16 travel in int32_data as bit patterns.
        t.has_values = t.dtype == DType::kFloat16 || t.dtype == DType::kBFloat16;
        if (t.has_values) {
          for (int64_t bits : t.ints) t.floats.push_back(HalfBits(t.dtype, bits));
        }
        t.ints.clear();
      }
    } else if (typed_floats && static_cast<int64_t>(floats.size()) == t.elems) {
      t.has_values = true;
      t.floats = std::move(floats);
    }
  }

  // A float16 or bfloat16 bit pattern as a double.
  static double HalfBits(DType t, int64_t bits) {
    const uint32_t b = static_cast<uint32_t>(bits) & 0xffff;
    if (t == DType::kBFloat16) {
      const uint32_t f32 = b << 16;
      float f;
      std::memcpy(&f, &f32, 4);
      return f;
    }
    const int exp = static_cast<int>((b >> 10) & 0x1f);
    const double mant = static_cast<double>(b & 0x3ff);
    double v;
    if (exp == 0)
      v = std::ldexp(mant, -24);  // subnormal
    else if (exp == 31)
      v = mant == 0 ? INFINITY : NAN;
    else
      v = std::ldexp(1024 + mant, exp - 25);
    return (b & 0x8000) ? -v : v;
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
        case DType::kFloat16:
        case DType::kBFloat16:
          t.floats.push_back(HalfBits(t.dtype, load(uint16_t{}, i)));
          break;
        default:
          return;  // 4-bit, float8, complex, string: values not needed by shape inference
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
              v.dtype = DTypeFromOnnx(static_cast<int64_t>(VarintField(w, "elem_type")));
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
};

}  // namespace

bool LooksLikeOnnx(std::string_view head) {
  if (head.empty()) return false;
  const uint8_t b = static_cast<uint8_t>(head[0]);
  const int field = b >> 3, wt = b & 7;
  // ModelProto fields are 1..25; ir_version (varint) or a length-delimited field comes first.
  return field >= 1 && field <= 25 && (wt == 0 || wt == 2);
}

Model ReadOnnx(const ByteSource& source, const std::string& label) {
  if (source.size() > static_cast<uint64_t>(INT_MAX)) {
    throw Error(label + ": file is " + std::to_string(source.size()) +
                " bytes; a protobuf ModelProto cannot exceed 2 GiB (large models keep weights "
                "in external data files)");
  }
  OnnxReader reader(source, label);
  return reader.ReadModel();
}

Model ReadOnnxBytes(std::string_view bytes, const std::string& label) {
  return ReadOnnx(MemorySource(bytes), label);
}

}  // namespace tops::io
