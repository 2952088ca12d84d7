"""A small TensorFlow Lite model writer on the low-level FlatBuffers Builder (Debian's
python3-flatbuffers), independent of tops's C++ reader: the field slots, operator codes and
options tables below were written from the TFLite schema's documented field order
(tensorflow/compiler/mlir/lite/schema/schema.fbs). Fields equal to their schema default are
left out, as every FlatBuffers writer does, so readers must apply the defaults.

A model is built as Python objects (Model, Subgraph) and serialised by Model.to_bytes(). Each
operator is given its output shapes explicitly by the caller (hand arithmetic in
make_tflite.py), which is what the file stores and what tops's inference is checked against.
"""

import struct

import flatbuffers
from flatbuffers import flexbuffers

# BuiltinOperator codes used by the fixtures.
BUILTIN = {
    "ADD": 0, "AVERAGE_POOL_2D": 1, "CONCATENATION": 2, "CONV_2D": 3, "DEPTHWISE_CONV_2D": 4,
    "DEPTH_TO_SPACE": 5, "DEQUANTIZE": 6, "EMBEDDING_LOOKUP": 7, "FLOOR": 8,
    "FULLY_CONNECTED": 9, "L2_NORMALIZATION": 11, "L2_POOL_2D": 12,
    "LOCAL_RESPONSE_NORMALIZATION": 13, "LOGISTIC": 14, "LSTM": 16, "MAX_POOL_2D": 17,
    "MUL": 18, "RELU": 19, "RELU6": 21, "RESHAPE": 22, "RESIZE_BILINEAR": 23, "RNN": 24,
    "SOFTMAX": 25, "SPACE_TO_DEPTH": 26, "SVDF": 27, "TANH": 28, "CALL": 31, "CUSTOM": 32,
    "PAD": 34, "UNIDIRECTIONAL_SEQUENCE_RNN": 35, "GATHER": 36, "BATCH_TO_SPACE_ND": 37,
    "SPACE_TO_BATCH_ND": 38, "TRANSPOSE": 39, "MEAN": 40, "SUB": 41, "DIV": 42, "SQUEEZE": 43,
    "UNIDIRECTIONAL_SEQUENCE_LSTM": 44, "STRIDED_SLICE": 45, "EXP": 47, "TOPK_V2": 48,
    "SPLIT": 49, "LOG_SOFTMAX": 50, "CAST": 53, "PRELU": 54, "MAXIMUM": 55, "ARG_MAX": 56,
    "MINIMUM": 57, "LESS": 58, "NEG": 59, "PADV2": 60, "GREATER": 61, "SELECT": 64,
    "SLICE": 65, "SIN": 66, "TRANSPOSE_CONV": 67, "TILE": 69, "EXPAND_DIMS": 70, "EQUAL": 71,
    "LOG": 73, "SUM": 74, "SQRT": 75, "RSQRT": 76, "SHAPE": 77, "POW": 78, "ARG_MIN": 79,
    "REDUCE_PROD": 81, "REDUCE_MAX": 82, "PACK": 83, "ONE_HOT": 85, "UNPACK": 88,
    "REDUCE_MIN": 89, "FLOOR_DIV": 90, "SQUARE": 92, "ZEROS_LIKE": 93, "FILL": 94,
    "FLOOR_MOD": 95, "RANGE": 96, "RESIZE_NEAREST_NEIGHBOR": 97, "LEAKY_RELU": 98,
    "SQUARED_DIFFERENCE": 99, "MIRROR_PAD": 100, "ABS": 101, "SPLIT_V": 102, "CEIL": 104,
    "REVERSE_V2": 105, "ADD_N": 106, "GATHER_ND": 107, "COS": 108, "ELU": 111,
    "QUANTIZE": 114, "ROUND": 116, "HARD_SWISH": 117, "IF": 118, "WHILE": 119,
    "NON_MAX_SUPPRESSION_V4": 120, "SELECT_V2": 123, "DENSIFY": 124, "BATCH_MATMUL": 126,
    "CUMSUM": 128, "CALL_ONCE": 129, "BROADCAST_TO": 130, "CONV_3D": 132, "GELU": 150,
}

TENSOR_TYPE = {"float32": 0, "float16": 1, "int32": 2, "uint8": 3, "int64": 4, "bool": 6,
               "int16": 7, "int8": 9}
ELEM_BYTES = {"float32": 4, "float16": 2, "int32": 4, "uint8": 1, "int64": 8, "bool": 1,
              "int16": 2, "int8": 1}
PACK = {"float32": "f", "float16": "e", "int32": "i", "uint8": "B", "int64": "q", "bool": "?",
        "int16": "h", "int8": "b"}

# Options tables: union member index (1-based) and the fields in slot order as
# (name, kind, default); kind is i32, i8 (enums, bools), f32 or "i32*" (vector).
PADDING = {"SAME": 0, "VALID": 1}
ACTIVATION = {"NONE": 0, "RELU": 1, "RELU_N1_TO_1": 2, "RELU6": 3, "TANH": 4}
OPTIONS = {
    "Conv2DOptions": (1, [("padding", "i8", 0), ("stride_w", "i32", 0), ("stride_h", "i32", 0),
                          ("fused_activation_function", "i8", 0), ("dilation_w_factor", "i32", 1),
                          ("dilation_h_factor", "i32", 1)]),
    "DepthwiseConv2DOptions": (2, [("padding", "i8", 0), ("stride_w", "i32", 0),
                                   ("stride_h", "i32", 0), ("depth_multiplier", "i32", 0),
                                   ("fused_activation_function", "i8", 0),
                                   ("dilation_w_factor", "i32", 1),
                                   ("dilation_h_factor", "i32", 1)]),
    "Pool2DOptions": (5, [("padding", "i8", 0), ("stride_w", "i32", 0), ("stride_h", "i32", 0),
                          ("filter_width", "i32", 0), ("filter_height", "i32", 0),
                          ("fused_activation_function", "i8", 0)]),
    "SVDFOptions": (6, [("rank", "i32", 0), ("fused_activation_function", "i8", 0)]),
    "RNNOptions": (7, [("fused_activation_function", "i8", 0)]),
    "FullyConnectedOptions": (8, [("fused_activation_function", "i8", 0),
                                  ("weights_format", "i8", 0), ("keep_num_dims", "i8", 0)]),
    "SoftmaxOptions": (9, [("beta", "f32", 0.0)]),
    "ConcatenationOptions": (10, [("axis", "i32", 0), ("fused_activation_function", "i8", 0)]),
    "AddOptions": (11, [("fused_activation_function", "i8", 0)]),
    "L2NormOptions": (12, [("fused_activation_function", "i8", 0)]),
    "LocalResponseNormalizationOptions": (13, [("radius", "i32", 0), ("bias", "f32", 0.0),
                                               ("alpha", "f32", 0.0), ("beta", "f32", 0.0)]),
    "LSTMOptions": (14, [("fused_activation_function", "i8", 0), ("cell_clip", "f32", 0.0),
                         ("proj_clip", "f32", 0.0), ("kernel_type", "i8", 0)]),
    "ResizeBilinearOptions": (15, [("new_height", "skip", 0), ("new_width", "skip", 0),
                                   ("align_corners", "i8", 0), ("half_pixel_centers", "i8", 0)]),
    "CallOptions": (16, [("subgraph", "i32", 0)]),
    "ReshapeOptions": (17, [("new_shape", "i32*", None)]),
    "SpaceToDepthOptions": (19, [("block_size", "i32", 0)]),
    "MulOptions": (21, [("fused_activation_function", "i8", 0)]),
    "PadOptions": (22, []),
    "GatherOptions": (23, [("axis", "i32", 0), ("batch_dims", "i32", 0)]),
    "TransposeOptions": (26, []),
    "ReducerOptions": (27, [("keep_dims", "i8", 0)]),
    "SubOptions": (28, [("fused_activation_function", "i8", 0)]),
    "DivOptions": (29, [("fused_activation_function", "i8", 0)]),
    "SqueezeOptions": (30, [("squeeze_dims", "i32*", None)]),
    "SequenceRNNOptions": (31, [("time_major", "i8", 0), ("fused_activation_function", "i8", 0)]),
    "StridedSliceOptions": (32, [("begin_mask", "i32", 0), ("end_mask", "i32", 0),
                                 ("ellipsis_mask", "i32", 0), ("new_axis_mask", "i32", 0),
                                 ("shrink_axis_mask", "i32", 0)]),
    "TopKV2Options": (34, []),
    "SplitOptions": (35, [("num_splits", "i32", 0)]),
    "CastOptions": (37, [("in_data_type", "i8", 0), ("out_data_type", "i8", 0)]),
    "DequantizeOptions": (38, []),
    "ArgMaxOptions": (40, [("output_type", "i8", 0)]),
    "TransposeConvOptions": (49, [("padding", "i8", 0), ("stride_w", "i32", 0),
                                  ("stride_h", "i32", 0)]),
    "ShapeOptions": (55, [("out_type", "i8", 0)]),
    "PackOptions": (59, [("values_count", "i32", 0), ("axis", "i32", 0)]),
    "OneHotOptions": (61, [("axis", "i32", 0)]),
    "UnpackOptions": (64, [("num", "i32", 0), ("axis", "i32", 0)]),
    "UnidirectionalSequenceLSTMOptions": (71, [("fused_activation_function", "i8", 0),
                                               ("cell_clip", "f32", 0.0),
                                               ("proj_clip", "f32", 0.0),
                                               ("time_major", "i8", 0)]),
    "ResizeNearestNeighborOptions": (74, [("align_corners", "i8", 0),
                                          ("half_pixel_centers", "i8", 0)]),
    "LeakyReluOptions": (75, [("alpha", "f32", 0.0)]),
    "MirrorPadOptions": (77, [("mode", "i8", 0)]),
    "SplitVOptions": (79, [("num_splits", "i32", 0)]),
    "IfOptions": (92, [("then_subgraph_index", "i32", 0), ("else_subgraph_index", "i32", 0)]),
    "WhileOptions": (93, [("cond_subgraph_index", "i32", 0), ("body_subgraph_index", "i32", 0)]),
    "DepthToSpaceOptions": (94, [("block_size", "i32", 0)]),
    "BatchMatMulOptions": (101, [("adj_x", "i8", 0), ("adj_y", "i8", 0)]),
    "CumsumOptions": (102, [("exclusive", "i8", 0), ("reverse", "i8", 0)]),
    "CallOnceOptions": (103, [("init_subgraph_index", "i32", 0)]),
    "Conv3DOptions": (106, [("padding", "i8", 0), ("stride_d", "i32", 0), ("stride_w", "i32", 0),
                            ("stride_h", "i32", 0), ("fused_activation_function", "i8", 0),
                            ("dilation_d_factor", "i32", 1), ("dilation_w_factor", "i32", 1),
                            ("dilation_h_factor", "i32", 1)]),
    "GeluOptions": (116, [("approximate", "i8", 0)]),
}


class Tensor:
    def __init__(self, name, shape, dtype, buffer=0, quant=None, signature=None, sparsity=None,
                 is_variable=False):
        self.name, self.shape, self.dtype, self.buffer = name, list(shape), dtype, buffer
        self.quant, self.signature, self.sparsity = quant, signature, sparsity
        self.is_variable = is_variable


class Operator:
    def __init__(self, opcode, inputs, outputs, options=None, custom_options=None):
        self.opcode, self.inputs, self.outputs = opcode, inputs, outputs
        self.options, self.custom_options = options, custom_options


class Subgraph:
    def __init__(self, model, name):
        self.model, self.name = model, name
        self.tensors, self.inputs, self.outputs, self.operators = [], [], [], []

    def tensor(self, name, shape, dtype="float32", **kw):
        self.tensors.append(Tensor(name, shape, dtype, **kw))
        return len(self.tensors) - 1

    def input(self, name, shape, dtype="float32", **kw):
        t = self.tensor(name, shape, dtype, **kw)
        self.inputs.append(t)
        return t

    def const(self, name, shape, dtype="float32", values=None, quant=None, sparsity=None,
              data=None):
        """A constant tensor. `values` (a flat list) are always stored; otherwise the payload is
        stored only by a full-weight model, weightless ones keep an empty buffer for tensors of
        more than 64 elements."""
        n = 1
        for d in shape:
            n *= d
        if data is None:
            if values is not None:
                data = struct.pack("<%d%s" % (len(values), PACK[dtype]), *values)
            elif self.model.full_weights or n <= 64:
                data = bytes(n * ELEM_BYTES[dtype])
        buf = self.model.buffer(data)
        return self.tensor(name, shape, dtype, buffer=buf, quant=quant, sparsity=sparsity)

    def op(self, name, inputs, outputs, options=None, custom_options=None, custom=None):
        """Adds an operator; `outputs` are tensor indices or (name, shape, dtype[, quant])."""
        outs = []
        for o in outputs:
            if isinstance(o, int):
                outs.append(o)
            else:
                quant = o[3] if len(o) > 3 else None
                outs.append(self.tensor(o[0], o[1], o[2], quant=quant))
        code = self.model.opcode(name, custom)
        self.operators.append(Operator(code, list(inputs), outs, options, custom_options))
        return outs[0] if len(outs) == 1 else outs

    def shape_of(self, t):
        return self.tensors[t].shape

    def dtype_of(self, t):
        return self.tensors[t].dtype


class Model:
    def __init__(self, description="tops make_tflite", full_weights=False,
                 deprecated_codes_only=False):
        self.description, self.full_weights = description, full_weights
        self.deprecated_codes_only = deprecated_codes_only
        self.buffers = [None]  # buffer 0: the empty sentinel
        self.opcodes, self.subgraphs, self.signatures = [], [], []
        self.large_buffers = False  # payloads after the FlatBuffer (offset / size)

    def subgraph(self, name):
        self.subgraphs.append(Subgraph(self, name))
        return self.subgraphs[-1]

    def buffer(self, data):
        self.buffers.append(data)
        return len(self.buffers) - 1

    def opcode(self, name, custom=None):
        key = (name, custom)
        if key not in self.opcodes:
            self.opcodes.append(key)
        return self.opcodes.index(key)

    def signature(self, key, subgraph, inputs, outputs):
        self.signatures.append((key, subgraph, inputs, outputs))

    # ---- serialisation ----

    def to_bytes(self):
        b = flatbuffers.Builder(1 << 16)
        tail = bytearray()  # payloads stored after the FlatBuffer when large_buffers
        tail_refs = []
        buffers = []
        for i, data in enumerate(self.buffers):
            if self.large_buffers and data:
                tail_refs.append((i, len(tail), len(data)))
                tail += data
                tail += bytes((-len(tail)) % 16)
                buffers.append(None)
                continue
            d = _bytes(b, data, 16) if data else None
            b.StartObject(3)
            if d is not None:
                b.PrependUOffsetTRelativeSlot(0, d, 0)
            buffers.append(b.EndObject())
        sig_offs = [self._signature(b, s) for s in self.signatures]
        sub_offs = [self._subgraph(b, sg) for sg in self.subgraphs]
        code_offs = [self._opcode(b, name, custom) for name, custom in self.opcodes]
        desc = b.CreateString(self.description)
        # Large-buffer tables hold a marker where the offset goes, patched once the FlatBuffer's
        # size is known.
        for i, start, size in tail_refs:
            b.StartObject(3)
            b.PrependUint64Slot(1, _MARKER + i, 0)  # patched below
            b.PrependUint64Slot(2, size, 0)
            buffers[i] = b.EndObject()
        bufs = _offsets(b, buffers)
        codes = _offsets(b, code_offs)
        subs = _offsets(b, sub_offs)
        sigs = _offsets(b, sig_offs) if sig_offs else None
        b.StartObject(8)
        b.PrependUint32Slot(0, 3, 0)
        b.PrependUOffsetTRelativeSlot(1, codes, 0)
        b.PrependUOffsetTRelativeSlot(2, subs, 0)
        b.PrependUOffsetTRelativeSlot(3, desc, 0)
        b.PrependUOffsetTRelativeSlot(4, bufs, 0)
        if sigs is not None:
            b.PrependUOffsetTRelativeSlot(7, sigs, 0)
        root = b.EndObject()
        b.Finish(root, file_identifier=b"TFL3")
        out = bytearray(b.Output())
        if tail_refs:
            base = len(out) + ((-len(out)) % 16)
            out += bytes(base - len(out))
            for i, start, size in tail_refs:
                at = out.find(struct.pack("<Q", _MARKER + i))
                out[at:at + 8] = struct.pack("<Q", base + start)
            out += tail
        return bytes(out)

    def _opcode(self, b, name, custom):
        code = BUILTIN["CUSTOM"] if custom else BUILTIN[name]
        cc = b.CreateString(custom) if custom else None
        b.StartObject(4)
        b.PrependInt8Slot(0, min(code, 127), 0)
        if cc is not None:
            b.PrependUOffsetTRelativeSlot(1, cc, 0)
        if not self.deprecated_codes_only:
            b.PrependInt32Slot(3, code, 0)
        return b.EndObject()

    def _signature(self, b, sig):
        key, subgraph, inputs, outputs = sig
        maps = []
        for group in (inputs, outputs):
            offs = []
            for alias, tensor in group:
                n = b.CreateString(alias)
                b.StartObject(2)
                b.PrependUOffsetTRelativeSlot(0, n, 0)
                b.PrependUint32Slot(1, tensor, 0)
                offs.append(b.EndObject())
            maps.append(_offsets(b, offs))
        k = b.CreateString(key)
        b.StartObject(5)
        b.PrependUOffsetTRelativeSlot(0, maps[0], 0)
        b.PrependUOffsetTRelativeSlot(1, maps[1], 0)
        b.PrependUOffsetTRelativeSlot(2, k, 0)
        b.PrependUint32Slot(4, subgraph, 0)
        return b.EndObject()

    def _subgraph(self, b, sg):
        tensors = _offsets(b, [self._tensor(b, t) for t in sg.tensors])
        ops = _offsets(b, [self._operator(b, sg, op) for op in sg.operators])
        ins = _ints(b, sg.inputs)
        outs = _ints(b, sg.outputs)
        name = b.CreateString(sg.name)
        b.StartObject(5)
        b.PrependUOffsetTRelativeSlot(0, tensors, 0)
        b.PrependUOffsetTRelativeSlot(1, ins, 0)
        b.PrependUOffsetTRelativeSlot(2, outs, 0)
        b.PrependUOffsetTRelativeSlot(3, ops, 0)
        b.PrependUOffsetTRelativeSlot(4, name, 0)
        return b.EndObject()

    def _tensor(self, b, t):
        shape = _ints(b, t.shape)
        name = b.CreateString(t.name)
        quant = self._quant(b, t.quant) if t.quant else None
        sparsity = self._sparsity(b, t.sparsity) if t.sparsity else None
        sig = _ints(b, t.signature) if t.signature is not None else None
        b.StartObject(9)
        b.PrependUOffsetTRelativeSlot(0, shape, 0)
        b.PrependInt8Slot(1, TENSOR_TYPE[t.dtype], 0)
        b.PrependUint32Slot(2, t.buffer, 0)
        b.PrependUOffsetTRelativeSlot(3, name, 0)
        if quant is not None:
            b.PrependUOffsetTRelativeSlot(4, quant, 0)
        b.PrependBoolSlot(5, t.is_variable, False)
        if sparsity is not None:
            b.PrependUOffsetTRelativeSlot(6, sparsity, 0)
        if sig is not None:
            b.PrependUOffsetTRelativeSlot(7, sig, 0)
        return b.EndObject()

    def _quant(self, b, q):
        """q: dict(scale=[...], zero_point=[...], axis=int)."""
        scale = _vector(b, q["scale"], "f", 4)
        zp = _vector(b, q["zero_point"], "q", 8)
        b.StartObject(7)
        b.PrependUOffsetTRelativeSlot(2, scale, 0)
        b.PrependUOffsetTRelativeSlot(3, zp, 0)
        b.PrependInt32Slot(6, q.get("axis", 0), 0)
        return b.EndObject()

    def _sparsity(self, b, s):
        """s: dict(traversal_order, block_map, dims=[("dense", n) | ("csr", segments, indices)])."""
        metas = []
        for d in s["dims"]:
            if d[0] == "dense":
                b.StartObject(6)
                b.PrependInt32Slot(1, d[1], 0)
                metas.append(b.EndObject())
                continue
            vecs = []
            for values in (d[1], d[2]):
                v = _vector(b, values, "i", 4)  # Int32Vector
                b.StartObject(1)
                b.PrependUOffsetTRelativeSlot(0, v, 0)
                vecs.append(b.EndObject())
            b.StartObject(6)
            b.PrependInt8Slot(0, 1, 0)  # SPARSE_CSR
            b.PrependUint8Slot(2, 1, 0)
            b.PrependUOffsetTRelativeSlot(3, vecs[0], 0)
            b.PrependUint8Slot(4, 1, 0)
            b.PrependUOffsetTRelativeSlot(5, vecs[1], 0)
            metas.append(b.EndObject())
        order = _ints(b, s["traversal_order"])
        block = _ints(b, s["block_map"]) if s.get("block_map") else None
        dims = _offsets(b, metas)
        b.StartObject(3)
        b.PrependUOffsetTRelativeSlot(0, order, 0)
        if block is not None:
            b.PrependUOffsetTRelativeSlot(1, block, 0)
        b.PrependUOffsetTRelativeSlot(2, dims, 0)
        return b.EndObject()

    def _operator(self, b, sg, op):
        ins = _ints(b, op.inputs)
        outs = _ints(b, op.outputs)
        opts_type, opts = 0, None
        if op.options is not None:
            table, values = op.options
            opts_type, fields = OPTIONS[table]
            vectors = {}
            for name, kind, _ in fields:
                if kind == "i32*" and name in values:
                    vectors[name] = _ints(b, values[name])
            b.StartObject(len(fields))
            for slot, (name, kind, default) in enumerate(fields):
                if name not in values or kind == "skip":
                    continue
                v = values[name]
                if kind == "i8":
                    v = PADDING.get(v, ACTIVATION.get(v, v)) if isinstance(v, str) else int(v)
                    b.PrependInt8Slot(slot, v, default)
                elif kind == "i32":
                    b.PrependInt32Slot(slot, v, default)
                elif kind == "f32":
                    b.PrependFloat32Slot(slot, v, default)
                elif kind == "i32*":
                    b.PrependUOffsetTRelativeSlot(slot, vectors[name], 0)
            opts = b.EndObject()
        custom = None
        if op.custom_options is not None:
            custom = _bytes(b, op.custom_options, 4)
        b.StartObject(7)
        b.PrependUint32Slot(0, op.opcode, 0)
        b.PrependUOffsetTRelativeSlot(1, ins, 0)
        b.PrependUOffsetTRelativeSlot(2, outs, 0)
        if opts is not None:
            b.PrependUint8Slot(3, opts_type, 0)
            b.PrependUOffsetTRelativeSlot(4, opts, 0)
        if custom is not None:
            b.PrependUOffsetTRelativeSlot(5, custom, 0)
        return b.EndObject()


_MARKER = 0x5A5A5A5A00000000


def flex_map(d):
    """FlexBuffer map of the custom-operator options (ints, floats and bools)."""
    fb = flexbuffers.Builder()
    with fb.Map():
        for k in sorted(d):
            v = d[k]
            if isinstance(v, bool):
                fb.Bool(k, v)
            elif isinstance(v, int):
                fb.Int(k, v)
            else:
                fb.Float(k, v)
    return bytes(fb.Finish())


def _bytes(b, data, align):
    b.StartVector(1, len(data), align)
    b.head = b.head - len(data)
    b.Bytes[b.head:b.head + len(data)] = data
    return b.EndVector()


def _vector(b, values, fmt, width):
    b.StartVector(width, len(values), width)
    for v in reversed(values):
        b.Prep(width, 0)
        b.head = b.head - width
        struct.pack_into("<" + fmt, b.Bytes, b.head, v)
    return b.EndVector()


def _ints(b, values):
    return _vector(b, list(values), "i", 4)


def _offsets(b, offs):
    b.StartVector(4, len(offs), 4)
    for o in reversed(offs):
        b.PrependUOffsetTRelative(o)
    return b.EndVector()
