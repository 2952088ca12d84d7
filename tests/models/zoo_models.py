"""Further models the published measurements name (tests/models/README.md, "Other measured models"):
SSD MobileNet v1 (TF1 detection zoo), RetinaNet ResNeXt50-32x4d FPN (MLPerf Inference), YOLOv3-tiny
(Darknet). Written in plain torch (torchvision parts where the publisher's reference uses them);
make_fixtures.py imports MODELS from here. Detection heads end at their last convolutions: anchor
decoding and NMS are not in the fixtures.
"""
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


# name -> (builder, input H=W)
MODELS = {
    "ssd_mobilenet_v1": (lambda: SSDMobileNetV1(), 300),
    "retinanet_resnext50_32x4d_fpn": (lambda: RetinaNetCore(), 800),
    "yolov3_tiny": (lambda: YOLOv3Tiny(), 416),
}
