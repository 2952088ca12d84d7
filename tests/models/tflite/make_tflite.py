#!/usr/bin/python3
"""Writes the TensorFlow Lite fixtures of tests/models/tflite/ (TensorFlow is not in Debian, so
they are generated). Every output shape stored in a file is computed here by hand arithmetic
(TFLite's SAME = ceil(in / stride), VALID = (in - dilated kernel) / stride + 1, ...);
run_reference.js executes the full-weight versions with the TFLite runtime and records the
shapes it produces in ref/*.json.

Usage:
  make_tflite.py OUT_DIR                  weightless fixtures (tensors over 64 elements keep an
                                          empty buffer), as committed
  make_tflite.py --full OUT_DIR           the same models with zero-filled weights, and a
                                          *.probe.tflite of each whose outputs are every tensor
                                          (their names in order in *.probe.names)
  make_tflite.py --bench OUT_DIR          bench_convnet.tflite (58 MB of weights) and
                                          bench_convnet_offsets.tflite (the weights after the
                                          FlatBuffer, buffer offset/size)
"""

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ beside the fixtures
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tflite_writer import Model, flex_map  # noqa: E402


def same(n, s):
    return -(-n // s)


def valid(n, k, s, d=1):
    return (n - (k - 1) * d - 1) // s + 1


def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


# ---- quantisation modes ----
# float: float32 everywhere. int8: int8 activations, int8 per-channel weights, int32 biases,
# QUANTIZE / DEQUANTIZE at the edges. uint8: the older asymmetric uint8 scheme (per-tensor,
# zero point 128), uint8 input. int16x8: int16 activations, int8 weights, int64 biases.
# dynamic: float activations, int8 weights for tensors of 1024+ elements (dynamic-range
# quantisation; hybrid kernels). float16: float16 weights expanded by DEQUANTIZE.

ACT_TYPE = {"float": "float32", "int8": "int8", "uint8": "uint8", "int16x8": "int16",
            "dynamic": "float32", "float16": "float32"}


def act_quant(mode):
    if mode in ("int8", "int16x8"):
        return {"scale": [0.05], "zero_point": [0]}
    if mode == "uint8":
        return {"scale": [0.05], "zero_point": [128]}
    return None


class Net:
    """NHWC layers with their output shapes computed here."""

    def __init__(self, sg, mode="float", batch_signature=False):
        self.sg, self.mode, self.batch_signature = sg, mode, batch_signature

    def act(self, name, shape):
        sig = None
        if self.batch_signature:
            sig = [-1] + list(shape[1:])
        return self.sg.tensor(name, shape, ACT_TYPE[self.mode], quant=act_quant(self.mode),
                              signature=sig)

    def weight(self, name, shape, channel_axis, bias=False):
        sg, mode = self.sg, self.mode
        c = shape[channel_axis] if channel_axis is not None else 1
        if mode == "float" or (mode == "dynamic" and (bias or numel(shape) < 1024)):
            return sg.const(name, shape, "float32")
        if mode == "float16":
            w = sg.const(name + "_fp16", shape, "float16")
            return sg.op("DEQUANTIZE", [w], [(name, shape, "float32")])
        if bias:
            dtype = "int64" if mode == "int16x8" else "int32"
            per = mode != "uint8"
            q = {"scale": [0.001] * (c if per else 1), "zero_point": [0] * (c if per else 1)}
            return sg.const(name, shape, dtype, quant=q)
        if mode == "uint8":
            return sg.const(name, shape, "uint8", quant={"scale": [0.02], "zero_point": [128]})
        per_channel = channel_axis is not None
        n = c if per_channel else 1
        q = {"scale": [0.02] * n, "zero_point": [0] * n, "axis": channel_axis if per_channel else 0}
        return sg.const(name, shape, "int8", quant=q)

    def conv(self, x, name, cout, k, stride, padding="SAME", act="RELU6", dilation=1):
        n, h, w, cin = self.sg.shape_of(x)
        wt = self.weight(name + "/weights", [cout, k, k, cin], 0)
        b = self.weight(name + "/bias", [cout], 0, bias=True)
        if padding == "SAME":
            oh, ow = same(h, stride), same(w, stride)
        else:
            oh, ow = valid(h, k, stride, dilation), valid(w, k, stride, dilation)
        y = self.act(name + "/" + act.capitalize() if act != "NONE" else name, [n, oh, ow, cout])
        return self.sg.op("CONV_2D", [x, wt, b], [y], options=("Conv2DOptions", {
            "padding": padding, "stride_w": stride, "stride_h": stride,
            "fused_activation_function": act, "dilation_w_factor": dilation,
            "dilation_h_factor": dilation}))

    def depthwise(self, x, name, k, stride, padding="SAME", act="RELU6", multiplier=1):
        n, h, w, cin = self.sg.shape_of(x)
        cout = cin * multiplier
        wt = self.weight(name + "/depthwise_weights", [1, k, k, cout], 3)
        b = self.weight(name + "/bias", [cout], 0, bias=True)
        if padding == "SAME":
            oh, ow = same(h, stride), same(w, stride)
        else:
            oh, ow = valid(h, k, stride), valid(w, k, stride)
        y = self.act(name + "/" + act.capitalize(), [n, oh, ow, cout])
        return self.sg.op("DEPTHWISE_CONV_2D", [x, wt, b], [y], options=(
            "DepthwiseConv2DOptions", {"padding": padding, "stride_w": stride,
                                       "stride_h": stride, "depth_multiplier": multiplier,
                                       "fused_activation_function": act}))

    def fully_connected(self, x, name, units, act="NONE"):
        shape = self.sg.shape_of(x)
        k = shape[-1]
        wt = self.weight(name + "/weights", [units, k], None if self.mode != "dynamic" else 0)
        b = self.weight(name + "/bias", [units], 0, bias=True)
        y = self.act(name + "/BiasAdd", [numel(shape) // k, units])
        return self.sg.op("FULLY_CONNECTED", [x, wt, b], [y], options=(
            "FullyConnectedOptions", {"fused_activation_function": act}))

    def mean_hw(self, x, name, keep_dims=False):
        n, h, w, c = self.sg.shape_of(x)
        axes = self.sg.const(name + "/reduction_indices", [2], "int32", values=[1, 2])
        y = self.act(name, [n, 1, 1, c] if keep_dims else [n, c])
        return self.sg.op("MEAN", [x, axes], [y],
                          options=("ReducerOptions", {"keep_dims": int(keep_dims)}))


MOBILENET_BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + \
    [(512, 1)] * 5 + [(1024, 2), (1024, 1)]


def mobilenet_v1(model, alpha, res, mode="float", dynamic_batch=False):
    """MobileNet v1 (Howard et al. 2017, Table 1) with BatchNorm folded into conv biases and
    ReLU6 fused, global average pool (MEAN) and a 1000-class FULLY_CONNECTED: the structure of
    tests/models/mobilenet_v1.onnx."""
    sg = model.subgraph("main")
    net = Net(sg, mode, dynamic_batch)
    in_type = "uint8" if mode == "uint8" else "float32"
    x = sg.input("input", [1, res, res, 3], in_type, quant=act_quant("uint8")
                 if mode == "uint8" else None,
                 signature=[-1, res, res, 3] if dynamic_batch else None)
    if mode in ("int8", "int16x8"):
        x = sg.op("QUANTIZE", [x], [net.act("input_quantized", [1, res, res, 3])])
    c = lambda n: int(n * alpha)  # noqa: E731
    x = net.conv(x, "MobilenetV1/Conv2d_0", c(32), 3, 2)
    for i, (cout, stride) in enumerate(MOBILENET_BLOCKS, start=1):
        x = net.depthwise(x, "MobilenetV1/Conv2d_%d_depthwise" % i, 3, stride)
        x = net.conv(x, "MobilenetV1/Conv2d_%d_pointwise" % i, c(cout), 1, 1)
    if dynamic_batch:
        # What Keras writes for a Reshape after a dynamic batch: the target is computed from
        # the tensor's run-time shape.
        x = net.mean_hw(x, "MobilenetV1/Logits/AvgPool", keep_dims=True)
        shape = sg.op("SHAPE", [x], [("MobilenetV1/Logits/Shape", [4], "int32")],
                      options=("ShapeOptions", {"out_type": 2}))
        b0 = sg.const("MobilenetV1/Logits/strided_slice/begin", [1], "int32", values=[0])
        b1 = sg.const("MobilenetV1/Logits/strided_slice/end", [1], "int32", values=[1])
        b2 = sg.const("MobilenetV1/Logits/strided_slice/strides", [1], "int32", values=[1])
        batch = sg.op("STRIDED_SLICE", [shape, b0, b1, b2],
                      [("MobilenetV1/Logits/strided_slice", [], "int32")],
                      options=("StridedSliceOptions", {"shrink_axis_mask": 1}))
        width = sg.const("MobilenetV1/Logits/Reshape/shape/1", [], "int32", values=[c(1024)])
        target = sg.op("PACK", [batch, width], [("MobilenetV1/Logits/Reshape/shape", [2],
                                                 "int32")],
                       options=("PackOptions", {"values_count": 2, "axis": 0}))
        y = net.act("MobilenetV1/Logits/Reshape", [1, c(1024)])
        x = sg.op("RESHAPE", [x, target], [y],
                  options=("ReshapeOptions", {"new_shape": [-1, c(1024)]}))
    else:
        x = net.mean_hw(x, "MobilenetV1/Logits/AvgPool")
    x = net.fully_connected(x, "MobilenetV1/Logits/fc", 1000)
    if mode in ("int8", "int16x8"):
        x = sg.op("DEQUANTIZE", [x], [("output", [1, 1000], "float32")])
    sg.outputs.append(x)
    sg.tensors[x].name = "output" if mode not in ("int8", "int16x8") else sg.tensors[x].name
    if dynamic_batch:
        sg.tensors[x].signature = [-1, 1000]
    model.signature("serving_default", 0, [("input", sg.inputs[0])], [("output", x)])
    return model


def ssd_tiny(model):
    """A small SSD: two strided convs, box and class heads over 24 x 24 x 3 anchors, sigmoid
    scores and TFLite_Detection_PostProcess (4 classes, 10 detections, fast NMS)."""
    sg = model.subgraph("main")
    net = Net(sg)
    x = sg.input("normalized_input_image_tensor", [1, 96, 96, 3])
    x = net.conv(x, "FeatureExtractor/conv0", 8, 3, 2)
    x = net.conv(x, "FeatureExtractor/conv1", 16, 3, 2)
    anchors = 24 * 24 * 3
    boxes = net.conv(x, "BoxPredictor/BoxEncodingPredictor", 12, 1, 1, act="NONE")
    boxes = sg.op("RESHAPE", [boxes, sg.const("BoxPredictor/box_shape", [3], "int32",
                                              values=[1, anchors, 4])],
                  [("raw_outputs/box_encodings", [1, anchors, 4], "float32")],
                  options=("ReshapeOptions", {"new_shape": [1, anchors, 4]}))
    scores = net.conv(x, "BoxPredictor/ClassPredictor", 15, 1, 1, act="NONE")
    scores = sg.op("RESHAPE", [scores, sg.const("BoxPredictor/class_shape", [3], "int32",
                                                values=[1, anchors, 5])],
                   [("BoxPredictor/ClassPredictor/Reshape", [1, anchors, 5], "float32")],
                   options=("ReshapeOptions", {"new_shape": [1, anchors, 5]}))
    scores = sg.op("LOGISTIC", [scores], [("raw_outputs/class_predictions", [1, anchors, 5],
                                           "float32")])
    priors = sg.const("anchors", [anchors, 4], "float32")
    options = flex_map({"max_detections": 10, "max_classes_per_detection": 1,
                        "detections_per_class": 100, "use_regular_nms": False,
                        "nms_score_threshold": 1e-8, "nms_iou_threshold": 0.6,
                        "num_classes": 4, "y_scale": 10.0, "x_scale": 10.0, "h_scale": 5.0,
                        "w_scale": 5.0})
    outs = sg.op("TFLite_Detection_PostProcess", [boxes, scores, priors],
                 [("TFLite_Detection_PostProcess", [1, 10, 4], "float32"),
                  ("TFLite_Detection_PostProcess:1", [1, 10], "float32"),
                  ("TFLite_Detection_PostProcess:2", [1, 10], "float32"),
                  ("TFLite_Detection_PostProcess:3", [1], "float32")],
                 custom="TFLite_Detection_PostProcess", custom_options=options)
    sg.outputs.extend(outs)
    return model


def control_flow(model):
    """IF, WHILE, CALL and CALL_ONCE over five subgraphs, with two signatures."""
    main = model.subgraph("main")
    then_g = model.subgraph("then_dense")
    else_g = model.subgraph("else_scale")
    cond_g = model.subgraph("while_cond")
    body_g = model.subgraph("while_body")
    init_g = model.subgraph("init")
    x = main.input("x", [1, 16])
    flag = main.input("flag", [], "bool")
    main.op("CALL_ONCE", [], [], options=("CallOnceOptions", {"init_subgraph_index": 5}))
    y = main.op("IF", [flag, x], [("if_out", [1, 16], "float32")],
                options=("IfOptions", {"then_subgraph_index": 1, "else_subgraph_index": 2}))
    i0 = main.const("i0", [], "int32", values=[0])
    i_end, z = main.op("WHILE", [i0, y], [("while_i", [], "int32"), ("while_y", [1, 16],
                                                                      "float32")],
                       options=("WhileOptions", {"cond_subgraph_index": 3,
                                                 "body_subgraph_index": 4}))
    main.outputs.append(z)
    # then: a dense layer; else: a scale.
    tx = then_g.input("then_x", [1, 16])
    w = then_g.const("then_w", [16, 16])
    bias = then_g.const("then_b", [16])
    then_g.outputs.append(then_g.op("FULLY_CONNECTED", [tx, w, bias],
                                    [("then_y", [1, 16], "float32")],
                                    options=("FullyConnectedOptions",
                                             {"fused_activation_function": "RELU"})))
    ex = else_g.input("else_x", [1, 16])
    two = else_g.const("else_two", [], "float32", values=[2.0])
    else_g.outputs.append(else_g.op("MUL", [ex, two], [("else_y", [1, 16], "float32")],
                                    options=("MulOptions", {})))
    # cond: i < 5; body: i + 1, y = FC(y).
    ci = cond_g.input("cond_i", [], "int32")
    cond_g.input("cond_y", [1, 16])
    five = cond_g.const("cond_five", [], "int32", values=[5])
    cond_g.outputs.append(cond_g.op("LESS", [ci, five], [("cond_less", [], "bool")]))
    bi = body_g.input("body_i", [], "int32")
    by = body_g.input("body_y", [1, 16])
    one = body_g.const("body_one", [], "int32", values=[1])
    ni = body_g.op("ADD", [bi, one], [("body_i_next", [], "int32")], options=("AddOptions", {}))
    bw = body_g.const("body_w", [16, 16])
    bb = body_g.const("body_b", [16])
    ny = body_g.op("FULLY_CONNECTED", [by, bw, bb], [("body_y_next", [1, 16], "float32")],
                   options=("FullyConnectedOptions", {"fused_activation_function": "RELU6"}))
    body_g.outputs.extend([ni, ny])
    del init_g  # an initialisation subgraph with nothing to do
    model.signature("serving_default", 0, [("x", x), ("flag", flag)], [("output", z)])
    model.signature("dense", 1, [("x", tx)], [("y", then_g.outputs[0])])
    return model


def edgetpu(model):
    """What edgetpu_compiler leaves: QUANTIZE, one edgetpu-custom-op holding every layer, and
    the float conversion on the CPU."""
    sg = model.subgraph("main")
    x = sg.input("input", [1, 224, 224, 3], "uint8", quant={"scale": [0.0078125],
                                                            "zero_point": [128]})
    y = sg.op("edgetpu-custom-op", [x], [("MobilenetV1/Predictions/Reshape_1", [1, 1001],
                                          "uint8", {"scale": [0.00390625],
                                                    "zero_point": [0]})],
              custom="edgetpu-custom-op", custom_options=bytes(range(64)))
    out = sg.op("DEQUANTIZE", [y], [("probabilities", [1, 1001], "float32")])
    sg.outputs.append(out)
    return model


def sparse_fc(model):
    """FULLY_CONNECTED with a block-sparse weight (1 x 4 blocks, half of them zero) and the
    same weight densified by DENSIFY: the sparsity parameters of the TFLite schema."""
    sg = model.subgraph("main")
    x = sg.input("x", [1, 64])
    rows, cols, block = 16, 64, 4
    # Row r keeps block columns r % 2, r % 2 + 2, ...: 8 of 16 blocks per row.
    segments, indices = [0], []
    for r in range(rows):
        kept = list(range(r % 2, cols // block, 2))
        indices += kept
        segments.append(len(indices))
    values = [0.5] * (len(indices) * block)
    sparsity = {"traversal_order": [0, 1, 2], "block_map": [1],
                "dims": [("dense", rows), ("csr", segments, indices), ("dense", block)]}
    w = sg.const("sparse_weights", [rows, cols], "float32", values=values, sparsity=sparsity)
    b = sg.const("bias", [rows])
    y = sg.op("FULLY_CONNECTED", [x, w, b], [("sparse_fc", [1, rows], "float32")],
              options=("FullyConnectedOptions", {}))
    w2 = sg.const("sparse_weights_2", [rows, cols], "float32", values=values, sparsity=sparsity)
    dense = sg.op("DENSIFY", [w2], [("densified_weights", [rows, cols], "float32")])
    y2 = sg.op("FULLY_CONNECTED", [x, dense, b], [("dense_fc", [1, rows], "float32")],
               options=("FullyConnectedOptions", {}))
    sg.outputs.extend([y, y2])
    return model


def zoo_vision(model):
    """Vision builtins in one graph, every output shape by hand."""
    sg = model.subgraph("main")
    net = Net(sg)
    x = sg.input("image", [1, 32, 32, 3])
    a = net.conv(x, "conv", 8, 3, 1, act="RELU")                                    # 32x32x8
    d = net.depthwise(a, "dw", 3, 2, padding="VALID", act="NONE", multiplier=2)     # 15x15x16
    dil = net.conv(a, "dilated", 4, 3, 1, padding="VALID", act="NONE", dilation=2)  # 28x28x4
    mp = sg.op("MAX_POOL_2D", [d], [("maxpool", [1, 7, 7, 16], "float32")],
               options=("Pool2DOptions", {"padding": "VALID", "stride_w": 2, "stride_h": 2,
                                          "filter_width": 2, "filter_height": 2}))
    ap = sg.op("AVERAGE_POOL_2D", [mp], [("avgpool", [1, 7, 7, 16], "float32")],
               options=("Pool2DOptions", {"padding": "SAME", "stride_w": 1, "stride_h": 1,
                                          "filter_width": 3, "filter_height": 3}))
    pads = sg.const("pads", [4, 2], "int32", values=[0, 0, 1, 1, 1, 1, 0, 0])
    pd = sg.op("PAD", [ap, pads], [("pad", [1, 9, 9, 16], "float32")])
    os_ = sg.const("tconv/output_shape", [4], "int32", values=[1, 18, 18, 8])
    tw = sg.const("tconv/weights", [8, 3, 3, 16])
    tc = sg.op("TRANSPOSE_CONV", [os_, tw, pd], [("tconv", [1, 18, 18, 8], "float32")],
               options=("TransposeConvOptions", {"padding": "SAME", "stride_w": 2,
                                                 "stride_h": 2}))
    size = sg.const("resize/size", [2], "int32", values=[9, 9])
    rb = sg.op("RESIZE_BILINEAR", [tc, size], [("resize_bilinear", [1, 9, 9, 8], "float32")],
               options=("ResizeBilinearOptions", {}))
    s2d = sg.op("SPACE_TO_DEPTH", [rb], [("space_to_depth", [1, 3, 3, 72], "float32")],
                options=("SpaceToDepthOptions", {"block_size": 3}))
    d2s = sg.op("DEPTH_TO_SPACE", [s2d], [("depth_to_space", [1, 9, 9, 8], "float32")],
                options=("DepthToSpaceOptions", {"block_size": 3}))
    hs = sg.op("HARD_SWISH", [d2s], [("hard_swish", [1, 9, 9, 8], "float32")])
    size2 = sg.const("resize_nn/size", [2], "int32", values=[18, 18])
    rn = sg.op("RESIZE_NEAREST_NEIGHBOR", [hs, size2], [("resize_nearest", [1, 18, 18, 8],
                                                          "float32")],
               options=("ResizeNearestNeighborOptions", {}))
    l2 = sg.op("L2_POOL_2D", [rn], [("l2pool", [1, 9, 9, 8], "float32")],
               options=("Pool2DOptions", {"padding": "VALID", "stride_w": 2, "stride_h": 2,
                                          "filter_width": 2, "filter_height": 2}))
    sig = sg.op("LOGISTIC", [l2], [("sigmoid", [1, 9, 9, 8], "float32")])
    scale = sg.const("scale", [8])
    mul = sg.op("MUL", [sig, scale], [("mul", [1, 9, 9, 8], "float32")],
                options=("MulOptions", {"fused_activation_function": "RELU6"}))
    cat = sg.op("CONCATENATION", [mul, l2], [("concat", [1, 9, 9, 16], "float32")],
                options=("ConcatenationOptions", {"axis": 3}))
    perm = sg.const("perm", [4], "int32", values=[0, 3, 1, 2])
    tr = sg.op("TRANSPOSE", [cat, perm], [("transpose", [1, 16, 9, 9], "float32")])
    begin = sg.const("ss/begin", [4], "int32", values=[0, 0, 1, 0])
    end = sg.const("ss/end", [4], "int32", values=[0, 8, 9, 9])
    strides = sg.const("ss/strides", [4], "int32", values=[1, 1, 2, 3])
    ss = sg.op("STRIDED_SLICE", [tr, begin, end, strides],
               [("strided_slice", [1, 8, 4, 3], "float32")],
               options=("StridedSliceOptions", {"begin_mask": 1, "end_mask": 1}))
    axis = sg.const("split/axis", [], "int32", values=[1])
    sp = sg.op("SPLIT", [axis, ss], [("split:0", [1, 4, 4, 3], "float32"),
                                     ("split:1", [1, 4, 4, 3], "float32")],
               options=("SplitOptions", {"num_splits": 2}))
    add = sg.op("ADD", [sp[0], sp[1]], [("add", [1, 4, 4, 3], "float32")],
                options=("AddOptions", {}))
    red = sg.const("sum/axes", [1], "int32", values=[3])
    sm = sg.op("SUM", [add, red], [("sum", [1, 4, 4], "float32")],
               options=("ReducerOptions", {"keep_dims": 0}))
    flat_shape = sg.const("flatten/shape", [2], "int32", values=[1, -1])
    fl = sg.op("RESHAPE", [sm, flat_shape], [("flatten", [1, 16], "float32")],
               options=("ReshapeOptions", {"new_shape": [1, -1]}))
    fc = net.fully_connected(fl, "fc", 10)
    sm2 = sg.op("SOFTMAX", [fc], [("softmax", [1, 10], "float32")],
                options=("SoftmaxOptions", {"beta": 1.0}))
    am_axis = sg.const("argmax/axis", [1], "int32", values=[1])
    am = sg.op("ARG_MAX", [sm2, am_axis], [("argmax", [1], "int64")],
               options=("ArgMaxOptions", {"output_type": 4}))
    mx = sg.const("reduce_max/axes", [2], "int32", values=[1, 2])
    rm = sg.op("REDUCE_MAX", [dil, mx], [("reduce_max", [1, 1, 1, 4], "float32")],
               options=("ReducerOptions", {"keep_dims": 1}))
    sq = sg.op("SQUEEZE", [rm], [("squeeze", [1, 4], "float32")],
               options=("SqueezeOptions", {"squeeze_dims": [1, 2]}))
    mult = sg.const("tile/multiples", [2], "int32", values=[2, 3])
    tl = sg.op("TILE", [sq, mult], [("tile", [2, 12], "float32")])
    gi = sg.const("gather/indices", [3], "int32", values=[0, 5, 11])
    ga = sg.op("GATHER", [tl, gi], [("gather", [2, 3], "float32")],
               options=("GatherOptions", {"axis": 1}))
    lr = sg.op("LEAKY_RELU", [ga], [("leaky_relu", [2, 3], "float32")],
               options=("LeakyReluOptions", {"alpha": 0.2}))
    sg.outputs.extend([sm2, am, lr])
    return model


def zoo_sequence(model):
    """Sequence builtins: embedding lookup, an LSTM, attention-style BATCH_MATMULs, GELU and
    codes above 127 (GELU 150, CUMSUM 128), which old readers of builtin_code alone miss."""
    sg = model.subgraph("main")
    ids = sg.input("token_ids", [1, 8], "int32")
    table = sg.const("embedding", [100, 16])
    ids_flat = sg.op("RESHAPE", [ids, sg.const("ids/shape", [1], "int32", values=[8])],
                     [("ids_flat", [8], "int32")], options=("ReshapeOptions", {"new_shape": [8]}))
    emb = sg.op("GATHER", [table, ids_flat], [("embedded", [8, 16], "float32")],
                options=("GatherOptions", {"axis": 0}))
    x = sg.op("EXPAND_DIMS", [emb, sg.const("expand/axis", [], "int32", values=[0])],
              [("embedded_batch", [1, 8, 16], "float32")])
    # UNIDIRECTIONAL_SEQUENCE_LSTM, batch-major [1, 8, 16] -> [1, 8, 12]: 24 inputs.
    cell = 12
    lstm_in = [x]
    for g in ("i", "f", "c", "o"):
        lstm_in.append(sg.const("lstm/input_to_%s" % g, [cell, 16]))
    for g in ("i", "f", "c", "o"):
        lstm_in.append(sg.const("lstm/recurrent_to_%s" % g, [cell, cell]))
    lstm_in += [-1, -1, -1]  # no peepholes
    for g in ("i", "f", "c", "o"):
        lstm_in.append(sg.const("lstm/%s_bias" % g, [cell]))
    lstm_in += [-1, -1]  # no projection
    lstm_in.append(sg.tensor("lstm/output_state", [1, cell], is_variable=True))
    lstm_in.append(sg.tensor("lstm/cell_state", [1, cell], is_variable=True))
    lstm_in += [-1, -1, -1, -1]
    h = sg.op("UNIDIRECTIONAL_SEQUENCE_LSTM", lstm_in, [("lstm", [1, 8, cell], "float32")],
              options=("UnidirectionalSequenceLSTMOptions", {"fused_activation_function": "TANH",
                                                             "time_major": 0}))
    # Attention scores [1, 8, 8] = h x h^T, softmax, context [1, 8, 12].
    scores = sg.op("BATCH_MATMUL", [h, h], [("scores", [1, 8, 8], "float32")],
                   options=("BatchMatMulOptions", {"adj_y": 1}))
    probs = sg.op("SOFTMAX", [scores], [("probs", [1, 8, 8], "float32")],
                  options=("SoftmaxOptions", {"beta": 1.0}))
    ctx = sg.op("BATCH_MATMUL", [probs, h], [("context", [1, 8, cell], "float32")],
                options=("BatchMatMulOptions", {}))
    wq = sg.const("ffn/weights", [24, cell])
    bq = sg.const("ffn/bias", [24])
    ffn = sg.op("FULLY_CONNECTED", [ctx, wq, bq], [("ffn", [1, 8, 24], "float32")],
                options=("FullyConnectedOptions", {"keep_num_dims": 1}))
    gelu = sg.op("GELU", [ffn], [("gelu", [1, 8, 24], "float32")],
                 options=("GeluOptions", {"approximate": 0}))
    cs = sg.op("CUMSUM", [gelu, sg.const("cumsum/axis", [], "int32", values=[1])],
               [("cumsum", [1, 8, 24], "float32")], options=("CumsumOptions", {}))
    mult = sg.const("tile/multiples", [3], "int32", values=[2, 1, 1])
    bc = sg.op("TILE", [cs, mult], [("tile", [2, 8, 24], "float32")])
    k = sg.const("topk/k", [], "int32", values=[5])
    vals, idx = sg.op("TOPK_V2", [bc, k], [("topk", [2, 8, 5], "float32"),
                                           ("topk:1", [2, 8, 5], "int32")])
    sg.outputs.extend([vals, idx])
    return model


def bench_convnet(model):
    """58 MB of float weights: 6 convolutions of 3x3x512x512 and a classifier."""
    sg = model.subgraph("main")
    net = Net(sg)
    x = sg.input("input", [1, 28, 28, 3])
    x = net.conv(x, "stem", 512, 3, 1)
    for i in range(6):
        x = net.conv(x, "block%d" % i, 512, 3, 1)
    x = net.mean_hw(x, "pool")
    x = net.fully_connected(x, "fc", 1000)
    sg.outputs.append(x)
    return model


def fixtures(full):
    def m(**kw):
        return Model(full_weights=full, **kw)

    out = {}
    for alpha, res in [(1.0, 224), (1.0, 192), (1.0, 160), (1.0, 128), (0.75, 224), (0.5, 224),
                       (0.25, 224), (0.25, 128)]:
        name = "mobilenet_v1_%s_%d" % (alpha, res)
        out[name] = mobilenet_v1(m(), alpha, res)
    out["mobilenet_v1_0.25_128_dynbatch"] = mobilenet_v1(m(), 0.25, 128, dynamic_batch=True)
    for mode in ("int8", "uint8", "dynamic", "float16"):
        out["mobilenet_v1_1.0_224_" + mode] = mobilenet_v1(m(), 1.0, 224, mode)
    out["mobilenet_v1_0.25_128_int16x8"] = mobilenet_v1(m(), 0.25, 128, "int16x8")
    out["mobilenet_v1_0.25_128_deprecated_opcodes"] = mobilenet_v1(
        m(deprecated_codes_only=True), 0.25, 128)
    offsets = mobilenet_v1(m(), 0.25, 128)
    offsets.large_buffers = True  # payloads after the FlatBuffer, as in files over 2 GB
    out["mobilenet_v1_0.25_128_offsets"] = offsets
    out["ssd_tiny_postprocess"] = ssd_tiny(m())
    out["control_flow"] = control_flow(m())
    out["edgetpu_compiled"] = edgetpu(m())
    out["sparse_fc"] = sparse_fc(m())
    out["zoo_vision"] = zoo_vision(m())
    out["zoo_sequence"] = zoo_sequence(m())
    return out


def probe(model):
    """Every tensor an operator of the main subgraph writes becomes a model output, so a
    runtime reports all their shapes."""
    sg = model.subgraphs[0]
    for op in sg.operators:
        for t in op.outputs:
            if t not in sg.outputs:
                sg.outputs.append(t)
    return model


def main(argv):
    args = argv[1:]
    if len(args) == 2 and args[0] == "--bench":
        os.makedirs(args[1], exist_ok=True)
        for name, large in (("bench_convnet", False), ("bench_convnet_offsets", True)):
            model = bench_convnet(Model(full_weights=True))
            model.large_buffers = large
            with open(os.path.join(args[1], name + ".tflite"), "wb") as f:
                f.write(model.to_bytes())
        return 0
    full = len(args) == 2 and args[0] == "--full"
    if len(args) != 1 and not full:
        sys.stderr.write(__doc__)
        return 2
    out_dir = args[-1]
    os.makedirs(out_dir, exist_ok=True)
    for name, model in fixtures(full).items():
        with open(os.path.join(out_dir, name + ".tflite"), "wb") as f:
            f.write(model.to_bytes())
    if full:
        for name, model in fixtures(True).items():
            with open(os.path.join(out_dir, name + ".probe.tflite"), "wb") as f:
                f.write(probe(model).to_bytes())
            # The probe's outputs in order: the runtime reports them by position.
            sg = model.subgraphs[0]
            with open(os.path.join(out_dir, name + ".probe.names"), "w") as f:
                f.write("".join(sg.tensors[t].name + "\n" for t in sg.outputs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
