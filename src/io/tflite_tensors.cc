// The Tensor table, quantisation and sparsity parameters, and the few buffers read: small
// integer constants (their values) and sparse tensors (their stored size).
#include <cstring>

#include "core/checked.h"
#include "io/tflite_internal.h"
#include "io/tflite_schema.h"

namespace tops::io {
namespace {

namespace ts = tflite;
constexpr uint32_t kMaxRank = 32;

}  // namespace

using fb::Path;

std::vector<int32_t> TensorReader::Ints32(const fb::Table& t, int slot, const Path& p) {
  std::vector<int32_t> out;
  auto vec = v_.VectorField(t, slot, 4, p);
  if (!vec) return out;
  v_.Charge(vec->len, p, vec->pos);
  out.reserve(vec->len);
  for (uint32_t i = 0; i < vec->len; ++i) out.push_back(v_.Element<int32_t>(*vec, i, p));
  return out;
}

TensorInfo TensorReader::Read(const fb::Vector& tensors, uint32_t i, const Path& p) {
  TensorInfo t;
  t.table = v_.TableElement(tensors, i, p);
  if (auto n = v_.String(t.table, ts::tensor::kName, p("name"))) {
    v_.Charge(n->size(), p, t.table.pos);
    t.file_name = std::string(*n);
  }
  t.type = v_.Scalar<int8_t>(t.table, ts::tensor::kType, 0, p("type"));
  t.dtype = ts::TensorTypeToDType(t.type);
  if (ts::TensorTypeName(t.type).empty()) {
    v_.Fail(p("type"), "unknown tensor type " + std::to_string(t.type), t.table.pos);
  }
  for (int32_t d : Ints32(t.table, ts::tensor::kShape, p("shape"))) t.shape.push_back(d);
  if (t.shape.size() > kMaxRank) {
    v_.Fail(p("shape"),
            "rank " + std::to_string(t.shape.size()) + " exceeds " + std::to_string(kMaxRank),
            t.table.pos);
  }
  if (v_.Field(t.table, ts::tensor::kShapeSignature, 4, p("shape_signature"))) {
    std::vector<int64_t> sig;
    for (int32_t d : Ints32(t.table, ts::tensor::kShapeSignature, p("shape_signature"))) {
      sig.push_back(d);
    }
    if (!sig.empty() || t.shape.empty()) t.signature = std::move(sig);
  }
  for (const std::vector<int64_t>* dims : {&t.shape, t.signature ? &*t.signature : nullptr}) {
    if (!dims) continue;
    for (int64_t d : *dims) {
      if (d < -1) v_.Fail(p("shape"), "negative dim " + std::to_string(d), t.table.pos);
    }
  }
  if (t.signature && t.signature->size() != t.shape.size()) {
    v_.Fail(p("shape_signature"),
            "rank " + std::to_string(t.signature->size()) + " differs from the shape's " +
                std::to_string(t.shape.size()),
            t.table.pos);
  }
  t.has_rank = v_.Scalar<uint8_t>(t.table, ts::tensor::kHasRank, 0, p("has_rank")) != 0;
  t.buffer = v_.Scalar<uint32_t>(t.table, ts::tensor::kBuffer, 0, p("buffer"));
  if (t.buffer != 0 && t.buffer >= buffers_.len) {
    v_.Fail(p("buffer"),
            "buffer index " + std::to_string(t.buffer) + " out of range (" +
                std::to_string(buffers_.len) + " buffers)",
            t.table.pos);
  }
  t.is_variable = v_.Scalar<uint8_t>(t.table, ts::tensor::kIsVariable, 0, p("is_variable")) != 0;
  if (auto q = v_.SubTable(t.table, ts::tensor::kQuantization, p("quantization"))) {
    const Path qp = p("quantization");
    QuantParams qpar;
    if (auto s = v_.VectorField(*q, ts::quant::kScale, 4, qp("scale"))) qpar.scales = s->len;
    if (auto z = v_.VectorField(*q, ts::quant::kZeroPoint, 8, qp("zero_point"))) {
      qpar.zero_points = z->len;
    }
    qpar.axis =
        v_.Scalar<int32_t>(*q, ts::quant::kQuantizedDimension, 0, qp("quantized_dimension"));
    const uint8_t details = v_.Scalar<uint8_t>(*q, ts::quant::kDetailsType, 0, qp("details_type"));
    if (qpar.scales > 0 || details != 0) {
      if (qpar.scales > 1 && (qpar.axis < 0 || static_cast<size_t>(qpar.axis) >= t.shape.size())) {
        v_.Fail(qp("quantized_dimension"),
                "axis " + std::to_string(qpar.axis) + " is not a dim of the tensor", q->pos);
      }
      if (qpar.zero_points != 0 && qpar.zero_points != qpar.scales) {
        v_.Fail(qp,
                std::to_string(qpar.scales) + " scales but " + std::to_string(qpar.zero_points) +
                    " zero points",
                q->pos);
      }
      t.quant = qpar;
    }
  }
  t.sparsity = v_.SubTable(t.table, ts::tensor::kSparsity, p("sparsity"));
  return t;
}

// The bytes a buffer holds: its data vector, or the region after the FlatBuffer that its
// offset/size point to. Only called for tensors whose values or stored size are needed.
std::string_view TensorReader::BufferBytes(uint32_t index) {
  const Path bp = Path{nullptr, "buffers", index};
  const fb::Table b = v_.TableElement(buffers_, index, bp);
  if (auto data = v_.VectorField(b, ts::buffer::kData, 1, bp("data")); data && data->len > 0) {
    return bytes_.substr(data->pos, data->len);
  }
  const uint64_t off = v_.Scalar<uint64_t>(b, ts::buffer::kOffset, 0, bp("offset"));
  const uint64_t size = v_.Scalar<uint64_t>(b, ts::buffer::kSize, 0, bp("size"));
  if (off > 1) {
    if (off > bytes_.size() || size > bytes_.size() - off) {
      v_.Fail(bp,
              "offset " + std::to_string(off) + " + size " + std::to_string(size) +
                  " lies outside the file",
              b.pos);
    }
    return bytes_.substr(off, size);
  }
  return {};
}

TensorData TensorReader::Constant(const TensorInfo& t, const std::string& name, const Path& p) {
  TensorData d;
  d.name = name;
  d.dtype = t.dtype;
  d.dims = t.shape;
  d.quant = t.quant;
  for (int64_t dim : d.dims) {
    if (dim < 0)
      v_.Fail(p("shape"), "constant tensor '" + name + "' has an unknown dim", t.table.pos);
  }
  d.elems = 1;
  for (int64_t dim : d.dims) d.elems = CheckedMul(d.elems, dim, "tensor elements");
  d.has_payload = t.buffer != 0;
  const bool int_values = d.dtype == DType::kInt32 || d.dtype == DType::kInt64;
  if (t.sparsity) {
    d.sparse = true;
    d.stored_bytes = SparseBytes(t, p);
  } else if (int_values && d.has_payload && d.elems <= kMaxKeptValues) {
    const std::string_view raw = BufferBytes(t.buffer);
    const uint64_t width = d.dtype == DType::kInt32 ? 4 : 8;
    if (raw.empty()) {
      d.has_payload = false;
    } else if (raw.size() != width * static_cast<uint64_t>(d.elems)) {
      v_.Fail(p,
              "buffer " + std::to_string(t.buffer) + " holds " + std::to_string(raw.size()) +
                  " bytes; tensor '" + name + "' of " + std::to_string(d.elems) + " " +
                  std::string(ts::TensorTypeName(t.type)) + " needs " +
                  std::to_string(width * static_cast<uint64_t>(d.elems)),
              t.table.pos);
    } else {
      d.has_values = true;
      d.ints.reserve(static_cast<size_t>(d.elems));
      for (int64_t i = 0; i < d.elems; ++i) {
        if (width == 4) {
          int32_t x;
          std::memcpy(&x, raw.data() + 4 * i, 4);
          d.ints.push_back(x);
        } else {
          int64_t x;
          std::memcpy(&x, raw.data() + 8 * i, 8);
          d.ints.push_back(x);
        }
      }
    }
  }
  return d;
}

// Stored size of a sparse tensor: its values buffer plus the index arrays of its sparse
// dimensions (TFLite's TACO-style format: segments and indices per SPARSE_CSR dimension).
int64_t TensorReader::SparseBytes(const TensorInfo& t, const Path& p) {
  const Path sp = p("sparsity");
  int64_t bytes = t.buffer != 0 ? static_cast<int64_t>(BufferBytes(t.buffer).size()) : 0;
  auto dims = v_.VectorField(*t.sparsity, ts::sparsity::kDimMetadata, 4, sp("dim_metadata"));
  if (!dims) return bytes;
  v_.Charge(dims->len, sp, dims->pos);
  for (uint32_t i = 0; i < dims->len; ++i) {
    const Path dp = sp.At("dim_metadata", i);
    const fb::Table dm = v_.TableElement(*dims, i, dp);
    for (auto [type_slot, value_slot] :
         {std::pair{ts::dim_metadata::kSegmentsType, ts::dim_metadata::kSegments},
          std::pair{ts::dim_metadata::kIndicesType, ts::dim_metadata::kIndices}}) {
      const uint8_t type = v_.Scalar<uint8_t>(dm, type_slot, 0, dp);
      if (type == 0) continue;
      if (type > 3) v_.Fail(dp, "unknown index vector type " + std::to_string(type), dm.pos);
      const uint32_t width = type == 1 ? 4 : type == 2 ? 2 : 1;  // Int32, Uint16, Uint8Vector
      auto iv = v_.SubTable(dm, value_slot, dp);
      if (!iv) continue;
      if (auto vals = v_.VectorField(*iv, 0, width, dp)) {
        bytes = CheckedAdd(bytes, static_cast<int64_t>(vals->len) * width, "sparse bytes");
      }
    }
  }
  return bytes;
}

ValueInfo TensorReader::ValueInfoOf(const TensorInfo& t, const std::string& name, bool symbols) {
  ValueInfo vi;
  vi.name = name;
  vi.dtype = t.dtype;
  vi.has_tensor_type = t.dtype != DType::kUndefined;
  vi.quant = t.quant;
  const std::vector<int64_t>& dims = t.signature ? *t.signature : t.shape;
  if (dims.empty() && !t.has_rank && !symbols) return vi;  // scalar or unknown rank: unsaid
  std::vector<Dim> out;
  for (size_t a = 0; a < dims.size(); ++a) {
    if (dims[a] >= 0) {
      out.push_back(Dim::Known(dims[a]));
    } else if (symbols) {
      out.push_back(Dim::Symbol(a == 0 ? "batch" : name + ":" + std::to_string(a)));
    } else {
      out.push_back(Dim::Unknown());
    }
  }
  vi.shape = Shape::Of(std::move(out));
  return vi;
}

}  // namespace tops::io
