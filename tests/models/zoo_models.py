"""Further models the published measurements name (tests/models/README.md, "Other measured models"):
SSD MobileNet v1 (TF1 detection zoo), RetinaNet ResNeXt50-32x4d FPN (MLPerf Inference), YOLOv3-tiny
(Darknet). Written in plain torch (torchvision parts where the publisher's reference uses them);
make_fixtures.py imports MODELS from here. Detection heads end at their last convolutions: anchor
decoding and NMS are not in the fixtures.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision.models as tvm
import torchvision.models.detection as tvd
from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
from torchvision.ops.feature_pyramid_network import LastLevelP6P7


def cbr(c1, c2, k=1, s=1, g=1, act=lambda: nn.ReLU6()):
    return nn.Sequential(nn.Conv2d(c1, c2, k, s, k // 2, groups=g, bias=False), nn.BatchNorm2d(c2), act())


# --- SSD MobileNet v1 (TF object detection API, ssd_mobilenet_v1_coco, 300x300) --------------------
class SSDMobileNetV1(nn.Module):
    """MobileNet v1 1.0 (ReLU6) up to Conv2d_13_pointwise; the SSD feature maps are Conv2d_11 (512 x
    19 x 19) and Conv2d_13 (1024 x 10 x 10) and four extra layers (1x1 to half depth, 3x3 stride 2 to
    512, 256, 256, 128: 5x5, 3x3, 2x2, 1x1); a 1x1 box predictor per map: 3 anchors on the first map
    (reduce_boxes_in_lowest_layer), 6 on the others, 4 box codes and 91 class scores (90 + background)
    per anchor. Stride-2 3x3 convolutions pad 1, which gives TF's SAME output sizes here."""

    def __init__(self, nc=91):
        super().__init__()
        dw = lambda c1, c2, s: nn.Sequential(cbr(c1, c1, 3, s, c1), cbr(c1, c2, 1))
        layers = [cbr(3, 32, 3, 2), dw(32, 64, 1), dw(64, 128, 2), dw(128, 128, 1), dw(128, 256, 2),
                  dw(256, 256, 1), dw(256, 512, 2)] + [dw(512, 512, 1) for _ in range(5)]
        self.to11 = nn.Sequential(*layers)
        self.to13 = nn.Sequential(dw(512, 1024, 2), dw(1024, 1024, 1))
        self.extras = nn.ModuleList(
            nn.Sequential(cbr(c1, c2 // 2, 1), cbr(c2 // 2, c2, 3, 2))
            for c1, c2 in ((1024, 512), (512, 256), (256, 256), (256, 128)))
        maps = (512, 1024, 512, 256, 256, 128)
        anchors = (3, 6, 6, 6, 6, 6)
        self.box = nn.ModuleList(nn.Conv2d(c, a * 4, 1) for c, a in zip(maps, anchors))
        self.cls = nn.ModuleList(nn.Conv2d(c, a * nc, 1) for c, a in zip(maps, anchors))

    def forward(self, x):
        f11 = self.to11(x)
        feats = [f11, self.to13(f11)]
        for e in self.extras:
            feats.append(e(feats[-1]))
        return tuple(b(f) for b, f in zip(self.box, feats)) + tuple(c(f) for c, f in zip(self.cls, feats))


# --- RetinaNet ResNeXt50-32x4d FPN (MLPerf Inference, OpenImages subset: 264 classes, 800x800) -----
class RetinaNetCore(nn.Module):
    """MLPerf's reference (vision/classification_and_detection/python/models/retinanet.py):
    resnext50_32x4d with an FPN on C3-C5 and P6/P7 from P5 (LastLevelP6P7(256, 256)), the RetinaNet
    head (four 3x3 convs + ReLU per branch, 9 anchors per position, 264 classes), reshaped and
    concatenated over levels to [1, anchors, 264] and [1, anchors, 4] as the head does. The image
    arrives resized to 800x800 (the benchmark's preprocessing), so no transform is in the graph."""

    def __init__(self, nc=264):
        super().__init__()
        backbone = _resnet_fpn_extractor(tvm.resnext50_32x4d(), 5, returned_layers=[2, 3, 4],
                                         extra_blocks=LastLevelP6P7(256, 256))
        model = tvd.RetinaNet(backbone, num_classes=nc)
        self.backbone = model.backbone
        self.head = model.head

    def forward(self, x):
        out = self.head(list(self.backbone(x).values()))
        return out["cls_logits"], out["bbox_regression"]


# --- YOLOv3-tiny (Darknet cfg/yolov3-tiny.cfg), 416x416 --------------------------------------------
class YOLOv3Tiny(nn.Module):
    """Six 3x3 conv (LeakyReLU 0.1) + 2x2 max-pool stages (16 ... 512 channels; the last pool
    stride 1, padded right and bottom as Darknet does), 3x3 1024, 1x1 256; head 1: 3x3 512, 1x1 to
    255; head 2: 1x1 128, 2x upsample, concat with the 256-channel stride-16 map, 3x3 256, 1x1 to
    255. The yolo layers (sigmoid and box decoding) are left out."""

    def __init__(self, nc=80):
        super().__init__()
        act = lambda: nn.LeakyReLU(0.1)
        widths = (16, 32, 64, 128, 256, 512)
        self.convs = nn.ModuleList(cbr(c1, c2, 3, act=act) for c1, c2 in zip((3,) + widths[:-1], widths))
        self.pool = nn.MaxPool2d(2, 2)
        self.pool_s1 = nn.MaxPool2d(2, 1)
        self.c13 = nn.Sequential(cbr(512, 1024, 3, act=act), cbr(1024, 256, 1, act=act))
        self.head1 = nn.Sequential(cbr(256, 512, 3, act=act), nn.Conv2d(512, 3 * (nc + 5), 1))
        self.lat = cbr(256, 128, 1, act=act)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.head2 = nn.Sequential(cbr(384, 256, 3, act=act), nn.Conv2d(256, 3 * (nc + 5), 1))

    def forward(self, x):
        for c in self.convs[:4]:
            x = self.pool(c(x))
        route = self.convs[4](x)  # 256 x 26 x 26 (Darknet layer 8)
        x = self.convs[5](self.pool(route))
        x = self.c13(self.pool_s1(F.pad(x, (0, 1, 0, 1))))
        y2 = self.head2(torch.cat((self.up(self.lat(x)), route), 1))
        return self.head1(x), y2


# --- EfficientNet-EdgeTPU S/M/L (tensorflow/tpu models/official/efficientnet/edgetpu) -------------
def round_filters(c, width, divisor=8):
    c *= width
    new = max(divisor, int(c + divisor / 2) // divisor * divisor)
    return int(new + divisor if new < 0.9 * c else new)


class EdgeMBConv(nn.Module):
    """MBConv without squeeze-excitation, ReLU: the fused form (c1: one k x k conv expanding to
    input_filters x e, then 1x1 projection) or the usual one (1x1 expand, k x k depthwise,
    1x1 projection). The expanded width is the block's nominal input_filters x e, whatever the
    actual input (the first block expands the 32-channel stem by 24 x 4). Residual when stride 1,
    in == out and not noskip."""

    def __init__(self, c_in, nominal_in, c_out, k, s, e, fused, skip):
        super().__init__()
        mid = nominal_in * e
        relu = lambda: nn.ReLU()
        if fused:
            self.body = nn.Sequential(cbr(c_in, mid, k, s, act=relu), cbr(mid, c_out, 1, act=nn.Identity))
        else:
            self.body = nn.Sequential(cbr(c_in, mid, 1, act=relu), cbr(mid, mid, k, s, mid, act=relu),
                                      cbr(mid, c_out, 1, act=nn.Identity))
        self.add = skip and s == 1 and c_in == c_out

    def forward(self, x):
        y = self.body(x)
        return x + y if self.add else y


class EfficientNetEdgeTPU(nn.Module):
    """efficientnet_edgetpu_builder.py: blocks r1_k3_s11_e4_i24_o24_c1_noskip,
    r2_k3_s22_e8_i24_o32_c1, r4_k3_s22_e8_i32_o48_c1, r5_k5_s22_e8_i48_o96, r4_k5_s11_e8_i96_o144,
    r2_k5_s22_e8_i144_o192; stem 3x3/2 to 32, head 1x1 to 1280, global average pool, 1000-way FC;
    S (width 1.0, depth 1.0, 224), M (1.0, 1.1, 240), L (1.2, 1.4, 300); filters rounded to 8,
    repeats ceil(depth x r)."""

    BLOCKS = ((1, 3, 1, 4, 24, 24, True, False), (2, 3, 2, 8, 24, 32, True, True),
              (4, 3, 2, 8, 32, 48, True, True), (5, 5, 2, 8, 48, 96, False, True),
              (4, 5, 1, 8, 96, 144, False, True), (2, 5, 2, 8, 144, 192, False, True))

    def __init__(self, width, depth, nc=1000):
        super().__init__()
        f = lambda c: round_filters(c, width)
        stem = f(32)
        layers = [cbr(3, stem, 3, 2, act=nn.ReLU)]
        c = stem
        for r, k, s, e, ci, co, fused, skip in self.BLOCKS:
            for i in range(int(math.ceil(depth * r))):
                nominal = f(ci) if i == 0 else f(co)
                layers.append(EdgeMBConv(c, nominal, f(co), k, s if i == 0 else 1, e, fused, skip))
                c = f(co)
        layers.append(cbr(c, f(1280), 1, act=nn.ReLU))
        self.features = nn.Sequential(*layers)
        self.fc = nn.Linear(f(1280), nc)

    def forward(self, x):
        return self.fc(self.features(x).mean((2, 3)))


# --- Inception v4 (Szegedy et al. 2016; TF-slim nets/inception_v4.py), 299x299 ----------------------
def bc(c1, c2, k, s=1, p=None):
    """Conv (no bias) + BatchNorm + ReLU with a (kh, kw) kernel; p=None is TF's SAME for stride 1."""
    k = (k, k) if isinstance(k, int) else k
    p = (k[0] // 2, k[1] // 2) if p is None else p
    return nn.Sequential(nn.Conv2d(c1, c2, k, s, p, bias=False), nn.BatchNorm2d(c2), nn.ReLU())


class Branches(nn.Module):
    def __init__(self, *branches):
        super().__init__()
        self.b = nn.ModuleList(branches)

    def forward(self, x):
        return torch.cat([b(x) for b in self.b], 1)


class SplitTail(nn.Module):
    """Inception-C's last step: a 1x3 and a 3x1 conv side by side on the same input."""

    def __init__(self, c1, c2):
        super().__init__()
        self.a = bc(c1, c2, (1, 3))
        self.b = bc(c1, c2, (3, 1))

    def forward(self, x):
        return torch.cat((self.a(x), self.b(x)), 1)


def avg_branch(c1, c2):
    return nn.Sequential(nn.AvgPool2d(3, 1, 1, count_include_pad=False), bc(c1, c2, 1))


class InceptionV4(nn.Module):
    """Stem to 35x35x384, 4 Inception-A, Reduction-A (17x17x1024), 7 Inception-B, Reduction-B
    (8x8x1536), 3 Inception-C, global average pool, 1001-way FC (TF-slim's background class).
    'VALID' convolutions pad 0, 'SAME' stride-1 ones pad k // 2."""

    def __init__(self, nc=1001):
        super().__init__()
        v = 0
        pool = lambda: nn.MaxPool2d(3, 2)
        stem = [bc(3, 32, 3, 2, v), bc(32, 32, 3, 1, v), bc(32, 64, 3),
                Branches(pool(), bc(64, 96, 3, 2, v)),
                Branches(nn.Sequential(bc(160, 64, 1), bc(64, 96, 3, 1, v)),
                         nn.Sequential(bc(160, 64, 1), bc(64, 64, (1, 7)), bc(64, 64, (7, 1)), bc(64, 96, 3, 1, v))),
                Branches(bc(192, 192, 3, 2, v), pool())]
        block_a = lambda: Branches(bc(384, 96, 1), nn.Sequential(bc(384, 64, 1), bc(64, 96, 3)),
                                   nn.Sequential(bc(384, 64, 1), bc(64, 96, 3), bc(96, 96, 3)), avg_branch(384, 96))
        red_a = Branches(bc(384, 384, 3, 2, v), nn.Sequential(bc(384, 192, 1), bc(192, 224, 3), bc(224, 256, 3, 2, v)),
                         pool())
        block_b = lambda: Branches(
            bc(1024, 384, 1), nn.Sequential(bc(1024, 192, 1), bc(192, 224, (1, 7)), bc(224, 256, (7, 1))),
            nn.Sequential(bc(1024, 192, 1), bc(192, 192, (7, 1)), bc(192, 224, (1, 7)), bc(224, 224, (7, 1)),
                          bc(224, 256, (1, 7))), avg_branch(1024, 128))
        red_b = Branches(nn.Sequential(bc(1024, 192, 1), bc(192, 192, 3, 2, v)),
                         nn.Sequential(bc(1024, 256, 1), bc(256, 256, (1, 7)), bc(256, 320, (7, 1)),
                                       bc(320, 320, 3, 2, v)), pool())
        block_c = lambda: Branches(
            bc(1536, 256, 1), nn.Sequential(bc(1536, 384, 1), SplitTail(384, 256)),
            nn.Sequential(bc(1536, 384, 1), bc(384, 448, (3, 1)), bc(448, 512, (1, 3)), SplitTail(512, 256)),
            avg_branch(1536, 256))
        self.features = nn.Sequential(*stem, *(block_a() for _ in range(4)), red_a, *(block_b() for _ in range(7)),
                                      red_b, *(block_c() for _ in range(3)))
        self.fc = nn.Linear(1536, nc)

    def forward(self, x):
        return self.fc(self.features(x).mean((2, 3)))


# name -> (builder, input H=W)
MODELS = {
    "ssd_mobilenet_v1": (lambda: SSDMobileNetV1(), 300),
    "retinanet_resnext50_32x4d_fpn": (lambda: RetinaNetCore(), 800),
    "yolov3_tiny": (lambda: YOLOv3Tiny(), 416),
    "efficientnet_edgetpu_s": (lambda: EfficientNetEdgeTPU(1.0, 1.0), 224),
    "efficientnet_edgetpu_m": (lambda: EfficientNetEdgeTPU(1.0, 1.1), 240),
    "efficientnet_edgetpu_l": (lambda: EfficientNetEdgeTPU(1.2, 1.4), 300),
    "inception_v4": (lambda: InceptionV4(), 299),
}
