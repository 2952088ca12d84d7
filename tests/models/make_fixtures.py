#!/usr/bin/python3
"""Writes the weightless fixture models measured by data/measurements that torchvision 0.14 builds
(or that are written here in plain torch), in the form of the other fixtures (tests/models/README.md):
PyTorch 1.13 exporter, opset 13, input "input", BatchNorm folded by the exporter, every initializer
with more than 64 elements stripped of its data (name, dims and type kept). The detectors in
DETECTORS keep their preprocessing in the graph: input "images" with symbolic "height" and "width".

    /usr/bin/python3 tests/models/make_fixtures.py FULL_DIR [name ...]

FULL_DIR receives the full-weight exports (random weights; never committed): ort_reference.py runs
them with ONNX Runtime to write ref/<name>.ort.json. Only the stripped files go to tests/models.
No weights are downloaded: every model is built from its architecture with a fixed seed.
"""
import os
import sys
from collections import Counter

import onnx
import torch
import torch.nn as nn
import torchvision.models as tvm
import torchvision.models.detection as tvd
from torchvision.models.vision_transformer import VisionTransformer

import yolo_zoo
from yolo_zoo import SPPF, Bottleneck, Conv  # Ultralytics blocks, shared
import zoo_models

HERE = os.path.dirname(os.path.abspath(__file__))


# --- YOLOv5 (Ultralytics v6.x layout) and YOLOv8, written from the published model YAMLs ----------
def _div8(x):
    return int((x + 7) // 8 * 8)


class C3(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=True, act=nn.SiLU):
        super().__init__()
        c_ = c2 // 2
        self.cv1 = Conv(c1, c_, 1, act=act)
        self.cv2 = Conv(c1, c_, 1, act=act)
        self.cv3 = Conv(2 * c_, c2, 1, act=act)
        self.m = nn.Sequential(*(Bottleneck(c_, c_, shortcut, k=(1, 3), e=1.0, act=act) for _ in range(n)))

    def forward(self, x):
        return self.cv3(torch.cat((self.m(self.cv1(x)), self.cv2(x)), 1))


class C2f(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=False):
        super().__init__()
        self.c = int(c2 * 0.5)
        self.cv1 = Conv(c1, 2 * self.c, 1)
        self.cv2 = Conv((2 + n) * self.c, c2, 1)
        self.m = nn.ModuleList(Bottleneck(self.c, self.c, shortcut, k=(3, 3), e=1.0) for _ in range(n))

    def forward(self, x):
        y = list(self.cv1(x).split((self.c, self.c), 1))
        y.extend(m(y[-1]) for m in self.m)
        return self.cv2(torch.cat(y, 1))


class YOLOv5(nn.Module):
    """yolov5{n,s,m}.yaml (v6.0+): backbone, PANet neck and the three 1x1 detection convolutions.
    Box decoding (sigmoid, grid, anchors) is left out, as in Rockchip's and Hailo's exports."""

    def __init__(self, depth, width, act=nn.SiLU, nc=80, na=3):
        super().__init__()
        ch = lambda c: _div8(c * width)
        n = lambda r: max(round(r * depth), 1)
        self.b0 = Conv(3, ch(64), 6, 2, p=2, act=act)
        self.b1 = Conv(ch(64), ch(128), 3, 2, act=act)
        self.b2 = C3(ch(128), ch(128), n(3), act=act)
        self.b3 = Conv(ch(128), ch(256), 3, 2, act=act)
        self.b4 = C3(ch(256), ch(256), n(6), act=act)
        self.b5 = Conv(ch(256), ch(512), 3, 2, act=act)
        self.b6 = C3(ch(512), ch(512), n(9), act=act)
        self.b7 = Conv(ch(512), ch(1024), 3, 2, act=act)
        self.b8 = C3(ch(1024), ch(1024), n(3), act=act)
        self.b9 = SPPF(ch(1024), ch(1024), 5, act=act)
        self.h10 = Conv(ch(1024), ch(512), 1, act=act)
        self.h13 = C3(ch(1024), ch(512), n(3), False, act=act)
        self.h14 = Conv(ch(512), ch(256), 1, act=act)
        self.h17 = C3(ch(512), ch(256), n(3), False, act=act)
        self.h18 = Conv(ch(256), ch(256), 3, 2, act=act)
        self.h20 = C3(ch(512), ch(512), n(3), False, act=act)
        self.h21 = Conv(ch(512), ch(512), 3, 2, act=act)
        self.h23 = C3(ch(1024), ch(1024), n(3), False, act=act)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.det = nn.ModuleList(nn.Conv2d(c, na * (nc + 5), 1) for c in (ch(256), ch(512), ch(1024)))

    def forward(self, x):
        x = self.b2(self.b1(self.b0(x)))
        p3 = self.b4(self.b3(x))
        p4 = self.b6(self.b5(p3))
        x10 = self.h10(self.b9(self.b8(self.b7(p4))))
        x14 = self.h14(self.h13(torch.cat((self.up(x10), p4), 1)))
        o17 = self.h17(torch.cat((self.up(x14), p3), 1))
        o20 = self.h20(torch.cat((self.h18(o17), x14), 1))
        o23 = self.h23(torch.cat((self.h21(o20), x10), 1))
        return tuple(d(o) for d, o in zip(self.det, (o17, o20, o23)))


class YOLOv8(nn.Module):
    """yolov8.yaml at scale n/s/m: backbone, neck and the decoupled head's convolutions per level
    (box 4x16 channels and 80 class logits, concatenated). The DFL decoding is left out, as in
    Rockchip's and Hailo's exports."""

    def __init__(self, depth, width, max_ch, nc=80, reg_max=16):
        super().__init__()
        ch = lambda c: _div8(min(c, max_ch) * width)
        n = lambda r: max(round(r * depth), 1)
        self.b0 = Conv(3, ch(64), 3, 2)
        self.b1 = Conv(ch(64), ch(128), 3, 2)
        self.b2 = C2f(ch(128), ch(128), n(3), True)
        self.b3 = Conv(ch(128), ch(256), 3, 2)
        self.b4 = C2f(ch(256), ch(256), n(6), True)
        self.b5 = Conv(ch(256), ch(512), 3, 2)
        self.b6 = C2f(ch(512), ch(512), n(6), True)
        self.b7 = Conv(ch(512), ch(1024), 3, 2)
        self.b8 = C2f(ch(1024), ch(1024), n(3), True)
        self.b9 = SPPF(ch(1024), ch(1024), 5)
        self.h12 = C2f(ch(1024) + ch(512), ch(512), n(3))
        self.h15 = C2f(ch(512) + ch(256), ch(256), n(3))
        self.h16 = Conv(ch(256), ch(256), 3, 2)
        self.h18 = C2f(ch(256) + ch(512), ch(512), n(3))
        self.h19 = Conv(ch(512), ch(512), 3, 2)
        self.h21 = C2f(ch(512) + ch(1024), ch(1024), n(3))
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        levels = (ch(256), ch(512), ch(1024))
        c2 = max(16, levels[0] // 4, reg_max * 4)
        c3 = max(levels[0], min(nc, 100))
        self.box = nn.ModuleList(
            nn.Sequential(Conv(c, c2, 3), Conv(c2, c2, 3), nn.Conv2d(c2, 4 * reg_max, 1)) for c in levels)
        self.cls = nn.ModuleList(
            nn.Sequential(Conv(c, c3, 3), Conv(c3, c3, 3), nn.Conv2d(c3, nc, 1)) for c in levels)

    def forward(self, x):
        x = self.b2(self.b1(self.b0(x)))
        p3 = self.b4(self.b3(x))
        p4 = self.b6(self.b5(p3))
        p5 = self.b9(self.b8(self.b7(p4)))
        x12 = self.h12(torch.cat((self.up(p5), p4), 1))
        o15 = self.h15(torch.cat((self.up(x12), p3), 1))
        o18 = self.h18(torch.cat((self.h16(o15), x12), 1))
        o21 = self.h21(torch.cat((self.h19(o18), p5), 1))
        return tuple(torch.cat((b(o), c(o)), 1) for b, c, o in zip(self.box, self.cls, (o15, o18, o21)))


# --- ResNet-50 v2 (pre-activation), the ONNX model zoo's resnet50-v2-7 ----------------------------
class PreActBottleneck(nn.Module):
    def __init__(self, cin, mid, stride):
        super().__init__()
        cout = mid * 4
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, mid, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(mid)
        self.conv2 = nn.Conv2d(mid, mid, 3, stride, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(mid)
        self.conv3 = nn.Conv2d(mid, cout, 1, bias=False)
        self.short = None if stride == 1 and cin == cout else nn.Conv2d(cin, cout, 1, stride, bias=False)

    def forward(self, x):
        pre = torch.relu(self.bn1(x))
        sc = x if self.short is None else self.short(pre)
        y = self.conv1(pre)
        y = self.conv2(torch.relu(self.bn2(y)))
        y = self.conv3(torch.relu(self.bn3(y)))
        return y + sc


class ResNet50V2(nn.Module):
    """He et al. 2016, 'Identity Mappings in Deep Residual Networks' (pre-activation), 50 layers."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.pool = nn.MaxPool2d(3, 2, 1)
        blocks, cin = [], 64
        for mid, count, stride in ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)):
            for i in range(count):
                blocks.append(PreActBottleneck(cin, mid, stride if i == 0 else 1))
                cin = mid * 4
        self.blocks = nn.Sequential(*blocks)
        self.bn = nn.BatchNorm2d(cin)
        self.fc = nn.Linear(cin, 1000)

    def forward(self, x):
        x = self.blocks(self.pool(self.conv1(x)))
        x = torch.relu(self.bn(x)).mean((2, 3))
        return self.fc(x)


def vit(layers, heads, hidden, mlp, patch=16):
    return VisionTransformer(image_size=224, patch_size=patch, num_layers=layers, num_heads=heads,
                             hidden_dim=hidden, mlp_dim=mlp)


# name -> (builder, input H=W, note)
MODELS = {
    "resnet101": (lambda: tvm.resnet101(), 224),
    "resnext50_32x4d": (lambda: tvm.resnext50_32x4d(), 224),
    "wide_resnet50_2": (lambda: tvm.wide_resnet50_2(), 224),
    "resnet50_v2": (ResNet50V2, 224),
    "squeezenet1_1": (lambda: tvm.squeezenet1_1(), 224),
    "shufflenet_v2_x0_5": (lambda: tvm.shufflenet_v2_x0_5(), 224),
    "mnasnet0_5": (lambda: tvm.mnasnet0_5(), 224),
    "mobilenet_v2_1.4": (lambda: tvm.mobilenet_v2(width_mult=1.4), 224),
    "googlenet": (lambda: tvm.googlenet(aux_logits=False, init_weights=True), 224),
    "inception_v3": (lambda: tvm.inception_v3(aux_logits=False, init_weights=True), 299),
    "densenet121": (lambda: tvm.densenet121(), 224),
    "regnet_x_800mf": (lambda: tvm.regnet_x_800mf(), 224),
    "regnet_x_3_2gf": (lambda: tvm.regnet_x_3_2gf(), 224),
    "efficientnet_b4": (lambda: tvm.efficientnet_b4(), 380),
    "convnext_tiny": (lambda: tvm.convnext_tiny(), 224),
    "vgg19": (lambda: tvm.vgg19(), 224),
    "vit_b_16": (lambda: tvm.vit_b_16(), 224),
    "vit_b_32": (lambda: tvm.vit_b_32(), 224),
    "vit_s_16": (lambda: vit(12, 6, 384, 1536), 224),
    "vit_ti_16": (lambda: vit(12, 3, 192, 768), 224),
    "swin_t": (lambda: tvm.swin_t(), 224),
    "swin_s": (lambda: tvm.swin_s(), 224),
    "yolov5n": (lambda: YOLOv5(0.33, 0.25), 640),
    "yolov5s": (lambda: YOLOv5(0.33, 0.50), 640),
    "yolov5m": (lambda: YOLOv5(0.67, 0.75), 640),
    "yolov5s_relu": (lambda: YOLOv5(0.33, 0.50, act=nn.ReLU), 640),
    "yolov8n": (lambda: YOLOv8(0.33, 0.25, 1024), 640),
    "yolov8s": (lambda: YOLOv8(0.33, 0.50, 1024), 640),
    "yolov8m": (lambda: YOLOv8(0.67, 0.75, 768), 640),
}
MODELS.update(yolo_zoo.MODELS)  # YOLOv6, YOLOv7, YOLO11, YOLOX as the RKNN and Hailo zoos export them
MODELS.update(zoo_models.MODELS)  # SSD MobileNet v1, MLPerf's RetinaNet, YOLOv3-tiny


# --- Detectors with their preprocessing inside the graph ------------------------------------------
class ProposalNet(nn.Module):
    """A torchvision two-stage detector up to its region proposal network's convolutions, with the
    preprocessing in the graph: GeneralizedRCNNTransform normalises the image, resizes it by
    scale = min(min_size / min(h, w), max_size / max(h, w)) (computed from the input's size in float
    arithmetic when exported with dynamic H and W) and pads it to a multiple of 32; then the backbone
    with its FPN and the RPN head's convolutions (objectness and box deltas per level). What follows
    is left out because its output count depends on the image: anchor decoding, top-k and NMS of the
    proposals, and the RoI heads that run on the proposals that survive."""

    def __init__(self, detector):
        super().__init__()
        self.transform = detector.transform
        self.backbone = detector.backbone
        self.head = detector.rpn.head

    def forward(self, x):
        images, _ = self.transform([x[0]])
        objectness, deltas = self.head(list(self.backbone(images.tensors).values()))
        return tuple(objectness) + tuple(deltas)

    @staticmethod
    def outputs(y):
        """Output names and their symbolic axes (the feature map's H and W per level)."""
        levels = len(y) // 2
        names = [f"objectness{i}" for i in range(levels)] + [f"bbox_deltas{i}" for i in range(levels)]
        return names, {o: {2: f"{o}_h", 3: f"{o}_w"} for o in names}


class DenseDetector(nn.Module):
    """A torchvision one-stage detector whole but for its post-processing: the same in-graph
    GeneralizedRCNNTransform, the backbone with its FPN and the head's classification and box
    regression convolutions over every level, reshaped and concatenated to [1, anchors, classes]
    and [1, anchors, 4] as the head does. Left out: anchor decoding, the score threshold, top-k per
    level and NMS, whose output count depends on the image."""

    def __init__(self, detector):
        super().__init__()
        self.transform = detector.transform
        self.backbone = detector.backbone
        self.head = detector.head

    def forward(self, x):
        images, _ = self.transform([x[0]])
        out = self.head(list(self.backbone(images.tensors).values()))
        return out["cls_logits"], out["bbox_regression"]

    @staticmethod
    def outputs(y):
        names = ["cls_logits", "bbox_regression"]
        return names, {o: {1: "anchors"} for o in names}


# name -> (builder, H and W of the traced input); exported with symbolic "height" and "width"
DETECTORS = {
    "fasterrcnn_mobilenet_v3_large_320_fpn": (
        lambda: ProposalNet(tvd.fasterrcnn_mobilenet_v3_large_320_fpn(weights=None,
                                                                      weights_backbone=None)),
        (480, 640)),
    "retinanet_resnet50_fpn": (
        lambda: DenseDetector(tvd.retinanet_resnet50_fpn(weights=None, weights_backbone=None)),
        (480, 640)),
}


def preprocessing_ops(model, scope="/transform/"):
    """Op histogram of the nodes under the preprocessing scope, and of those that compute the
    Resize sizes and Pad pads there (the size arithmetic)."""
    producer = {o: n for n in model.graph.node for o in n.output}
    scoped = [n for n in model.graph.node if n.name.startswith(scope)]
    seen, stack = set(), []
    for n in scoped:
        if n.op_type in ("Resize", "Pad"):
            stack.extend(i for i in n.input[1:] if i)
    while stack:
        n = producer.get(stack.pop())
        if n is None or n.name in seen:
            continue
        seen.add(n.name)
        stack.extend(i for i in n.input if i)
    count = lambda nodes: ", ".join(f"{k} {v}" for k, v in sorted(Counter(nodes).items()))
    return (count(n.op_type for n in scoped),
            count(n.op_type for n in model.graph.node if n.name in seen))


def distinct_weights(model):
    """Gives every BatchNorm and bias its own random values. Freshly initialised detectors have all
    biases and folded BatchNorms equal to zero, and the exporter then shares one initializer among
    equal tensors (behind Identity nodes), which a trained model's export never does."""
    with torch.no_grad():
        for mod in model.modules():
            if isinstance(mod, nn.BatchNorm2d):
                mod.weight.uniform_(0.5, 1.5)
                mod.bias.normal_(0, 0.1)
                mod.running_mean.normal_(0, 0.1)
                mod.running_var.uniform_(0.5, 1.5)
            elif isinstance(mod, nn.Conv2d) and mod.bias is not None:
                mod.bias.normal_(0, 0.01)
    return model


def export_detector(name, full_dir):
    build, (h, w) = DETECTORS[name]
    torch.manual_seed(0)
    m = distinct_weights(build().eval())
    x = torch.rand(1, 3, h, w)
    with torch.no_grad():
        y = m(x)
    outs, dynamic = m.outputs(y)
    dynamic["images"] = {2: "height", 3: "width"}
    full = os.path.join(full_dir, name + ".onnx")
    torch.onnx.export(m, x, full, opset_version=13, input_names=["images"], output_names=outs,
                      dynamic_axes=dynamic, do_constant_folding=True)
    model = strip(onnx.load(full))
    out = os.path.join(HERE, name + ".onnx")
    onnx.save(model, out)
    params = sum(int(torch.tensor(list(t.dims)).prod()) for t in model.graph.initializer)
    torch_params = sum(p.numel() for p in m.parameters())
    scoped, sizes = preprocessing_ops(model)
    print(f"{name}: {os.path.getsize(out)} bytes, {len(model.graph.node)} nodes, "
          f"{params} initializer elements, {torch_params} PyTorch parameters\n"
          f"  preprocessing nodes: {scoped}\n  computing the Resize sizes and Pad pads: {sizes}")


def strip(model):
    """Removes the data of every initializer with more than 64 elements (name, dims, type stay)."""
    for t in model.graph.initializer:
        n = 1
        for d in t.dims:
            n *= d
        if n > 64:
            for field in ("raw_data", "float_data", "int32_data", "int64_data", "double_data",
                          "uint64_data", "string_data"):
                t.ClearField(field)
    return model


def export(name, full_dir):
    build, size = MODELS[name]
    torch.manual_seed(0)
    m = build().eval()
    if name in yolo_zoo.MODELS or name in zoo_models.MODELS:  # one bias per conv, as when trained
        distinct_weights(m)
    x = torch.randn(1, 3, size, size)
    with torch.no_grad():
        y = m(x)
    outs = ["output"] if torch.is_tensor(y) else [f"output{i}" for i in range(len(y))]
    full = os.path.join(full_dir, name + ".onnx")
    torch.onnx.export(m, x, full, opset_version=13, input_names=["input"], output_names=outs,
                      do_constant_folding=True)
    model = strip(onnx.load(full))
    params = sum(int(torch.tensor(list(t.dims)).prod()) for t in model.graph.initializer)
    out = os.path.join(HERE, name + ".onnx")
    onnx.save(model, out)
    torch_params = sum(p.numel() for p in m.parameters())
    print(f"{name}: {os.path.getsize(out)} bytes, {len(model.graph.node)} nodes, "
          f"{params} initializer elements, {torch_params} PyTorch parameters")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    full_dir = sys.argv[1]
    os.makedirs(full_dir, exist_ok=True)
    for name in sys.argv[2:] or list(MODELS) + list(DETECTORS):
        (export_detector if name in DETECTORS else export)(name, full_dir)


if __name__ == "__main__":
    main()
