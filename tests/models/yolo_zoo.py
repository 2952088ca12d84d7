"""Detectors measured by Rockchip's rknn_model_zoo and the Hailo model zoo, written in plain torch
from their publishers' model definitions (tests/models/README.md, "Detectors of the NPU model zoos").
make_fixtures.py imports MODELS from here and exports them like its own fixtures.

Every model is written as deployed: BatchNorm after each convolution (folded by the exporter),
re-parameterised blocks (RepConv, RepVGG) as the single 3x3 convolution with bias they become,
and the head cut where the zoos cut it: box decoding, DFL and NMS run on the CPU, so each model
ends at its last convolutions (plus the sigmoids and score sums the zoo exports keep).
"""
import torch
import torch.nn as nn

LEAKY = lambda: nn.LeakyReLU(0.1)


class Conv(nn.Module):
    """Conv2d (no bias) + BatchNorm + activation, Ultralytics' basic block; act=None for none,
    p the padding when it is not k // 2 (YOLOv5's 6x6 stem)."""

    def __init__(self, c1, c2, k=1, s=1, g=1, act=nn.SiLU, p=None):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, k, s, k // 2 if p is None else p, groups=g, bias=False)
        self.bn = nn.BatchNorm2d(c2)
        self.act = act() if act else nn.Identity()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class RepConv3(nn.Module):
    """A re-parameterised block at deploy time (YOLOv7 RepConv, YOLOv6 RepVGGBlock): one 3x3
    convolution with bias, then the activation."""

    def __init__(self, c1, c2, s=1, act=nn.ReLU):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, 3, s, 1, bias=True)
        self.act = act()

    def forward(self, x):
        return self.act(self.conv(x))


def max_pool_chain(k):
    """Rockchip's exports replace a k x k stride-1 max pool by k // 2 chained 3x3 ones (same
    result, NPU-friendly): airockchip/yolov7 export.py and airockchip/YOLOX network_blocks.py."""
    return nn.Sequential(*(nn.MaxPool2d(3, 1, 1) for _ in range(k // 2)))


# --- YOLO11 (Ultralytics ultralytics/cfg/models/11/yolo11.yaml) -----------------------------------
class Bottleneck(nn.Module):
    def __init__(self, c1, c2, shortcut=True, k=(3, 3), e=0.5, act=nn.SiLU):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, k[0], act=act)
        self.cv2 = Conv(c_, c2, k[1], act=act)
        self.add = shortcut and c1 == c2

    def forward(self, x):
        y = self.cv2(self.cv1(x))
        return x + y if self.add else y


class C3k(nn.Module):
    """C3 with 3x3 bottlenecks (expansion 1.0) inside, hidden width c2 / 2."""

    def __init__(self, c1, c2, n=2, shortcut=True):
        super().__init__()
        c_ = c2 // 2
        self.cv1 = Conv(c1, c_, 1)
        self.cv2 = Conv(c1, c_, 1)
        self.cv3 = Conv(2 * c_, c2, 1)
        self.m = nn.Sequential(*(Bottleneck(c_, c_, shortcut, (3, 3), 1.0) for _ in range(n)))

    def forward(self, x):
        return self.cv3(torch.cat((self.m(self.cv1(x)), self.cv2(x)), 1))


class C3k2(nn.Module):
    """C2f layout (split, chain, concat) whose inner blocks are C3k (c3k) or Bottleneck(e=0.5)."""

    def __init__(self, c1, c2, n=1, c3k=False, e=0.5, shortcut=True):
        super().__init__()
        self.c = int(c2 * e)
        self.cv1 = Conv(c1, 2 * self.c, 1)
        self.cv2 = Conv((2 + n) * self.c, c2, 1)
        self.m = nn.ModuleList(
            C3k(self.c, self.c, 2, shortcut) if c3k else Bottleneck(self.c, self.c, shortcut)
            for _ in range(n))

    def forward(self, x):
        y = list(self.cv1(x).split((self.c, self.c), 1))
        y.extend(m(y[-1]) for m in self.m)
        return self.cv2(torch.cat(y, 1))


class SPPF(nn.Module):
    def __init__(self, c1, c2, k=5, act=nn.SiLU):
        super().__init__()
        c_ = c1 // 2
        self.cv1 = Conv(c1, c_, 1, act=act)
        self.cv2 = Conv(c_ * 4, c2, 1, act=act)
        self.m = nn.MaxPool2d(k, 1, k // 2)

    def forward(self, x):
        x = self.cv1(x)
        y1 = self.m(x)
        y2 = self.m(y1)
        return self.cv2(torch.cat((x, y1, y2, self.m(y2)), 1))


class PSAAttention(nn.Module):
    """Multi-head self-attention over the H*W positions: a 1x1 conv gives per head key_dim query
    and key channels (half the head width) and head_dim value channels; a depthwise 3x3
    'positional' conv on the values is added; a 1x1 projection."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.head_dim = dim // heads
        self.key_dim = self.head_dim // 2
        self.scale = self.key_dim ** -0.5
        self.qkv = Conv(dim, dim + 2 * self.key_dim * heads, 1, act=None)
        self.proj = Conv(dim, dim, 1, act=None)
        self.pe = Conv(dim, dim, 3, 1, g=dim, act=None)

    def forward(self, x):
        b, c, h, w = x.shape
        q, k, v = self.qkv(x).view(b, self.heads, 2 * self.key_dim + self.head_dim, h * w).split(
            (self.key_dim, self.key_dim, self.head_dim), 2)
        attn = ((q.transpose(-2, -1) @ k) * self.scale).softmax(-1)
        y = (v @ attn.transpose(-2, -1)).view(b, c, h, w) + self.pe(v.reshape(b, c, h, w))
        return self.proj(y)


class PSABlock(nn.Module):
    def __init__(self, c, heads):
        super().__init__()
        self.attn = PSAAttention(c, heads)
        self.ffn = nn.Sequential(Conv(c, 2 * c, 1), Conv(2 * c, c, 1, act=None))

    def forward(self, x):
        x = x + self.attn(x)
        return x + self.ffn(x)


class C2PSA(nn.Module):
    def __init__(self, c, n=1):
        super().__init__()
        self.c = c // 2
        self.cv1 = Conv(c, 2 * self.c, 1)
        self.cv2 = Conv(2 * self.c, c, 1)
        self.m = nn.Sequential(*(PSABlock(self.c, self.c // 64) for _ in range(n)))

    def forward(self, x):
        a, b = self.cv1(x).split((self.c, self.c), 1)
        return self.cv2(torch.cat((a, self.m(b)), 1))


class YOLO11(nn.Module):
    """yolo11.yaml at scale n/s/m: [depth, width, max_channels] = [0.5, 0.25, 1024] (n),
    [0.5, 0.5, 1024] (s), [0.5, 1.0, 512] (m); C3k2 uses C3k inside for m and the layers the yaml
    marks True. Head: per level a box branch (two 3x3 convs, 1x1 to 4 x 16 DFL bins) and a class
    branch (depthwise 3x3 + 1x1, twice, then 1x1 to 80). Exported as airockchip/ultralytics_yolo11
    exports it for RKNN: box logits and sigmoid class scores per level plus their ReduceSum + Clip
    (the score sum the CPU post-processing filters on); DFL and decoding are left to the CPU."""

    def __init__(self, depth, width, max_ch, nc=80, reg_max=16):
        super().__init__()
        ch = lambda c: int((min(c, max_ch) * width + 7) // 8 * 8)
        n = lambda r: max(round(r * depth), 1)
        big = max_ch == 512  # scales m, l, x: every C3k2 uses C3k
        self.b0 = Conv(3, ch(64), 3, 2)
        self.b1 = Conv(ch(64), ch(128), 3, 2)
        self.b2 = C3k2(ch(128), ch(256), n(2), big, 0.25)
        self.b3 = Conv(ch(256), ch(256), 3, 2)
        self.b4 = C3k2(ch(256), ch(512), n(2), big, 0.25)
        self.b5 = Conv(ch(512), ch(512), 3, 2)
        self.b6 = C3k2(ch(512), ch(512), n(2), True)
        self.b7 = Conv(ch(512), ch(1024), 3, 2)
        self.b8 = C3k2(ch(1024), ch(1024), n(2), True)
        self.b9 = SPPF(ch(1024), ch(1024), 5)
        self.b10 = C2PSA(ch(1024), n(2))
        self.h13 = C3k2(ch(1024) + ch(512), ch(512), n(2), big)
        self.h16 = C3k2(ch(512) + ch(512), ch(256), n(2), big)
        self.h17 = Conv(ch(256), ch(256), 3, 2)
        self.h19 = C3k2(ch(256) + ch(512), ch(512), n(2), big)
        self.h20 = Conv(ch(512), ch(512), 3, 2)
        self.h22 = C3k2(ch(512) + ch(1024), ch(1024), n(2), True)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        levels = (ch(256), ch(512), ch(1024))
        c2 = max(16, levels[0] // 4, reg_max * 4)
        c3 = max(levels[0], min(nc, 100))
        self.box = nn.ModuleList(
            nn.Sequential(Conv(c, c2, 3), Conv(c2, c2, 3), nn.Conv2d(c2, 4 * reg_max, 1)) for c in levels)
        self.cls = nn.ModuleList(
            nn.Sequential(Conv(c, c, 3, g=c), Conv(c, c3, 1), Conv(c3, c3, 3, g=c3), Conv(c3, c3, 1),
                          nn.Conv2d(c3, nc, 1)) for c in levels)

    def forward(self, x):
        x = self.b2(self.b1(self.b0(x)))
        p3 = self.b4(self.b3(x))
        p4 = self.b6(self.b5(p3))
        p5 = self.b10(self.b9(self.b8(self.b7(p4))))
        x13 = self.h13(torch.cat((self.up(p5), p4), 1))
        o16 = self.h16(torch.cat((self.up(x13), p3), 1))
        o19 = self.h19(torch.cat((self.h17(o16), x13), 1))
        o22 = self.h22(torch.cat((self.h20(o19), p5), 1))
        out = []
        for b, c, o in zip(self.box, self.cls, (o16, o19, o22)):
            score = c(o).sigmoid()
            out += [b(o), score, score.sum(1, keepdim=True).clamp(0, 1)]
        return tuple(out)


# --- YOLOX (Megvii YOLOX v0.3.0 exps/default/yolox_{s,m}.py, as airockchip/YOLOX exports it) -------
class CSPLayer(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=True, act=nn.SiLU):
        super().__init__()
        c_ = c2 // 2
        self.conv1 = Conv(c1, c_, 1, act=act)
        self.conv2 = Conv(c1, c_, 1, act=act)
        self.conv3 = Conv(2 * c_, c2, 1, act=act)
        self.m = nn.Sequential(*(Bottleneck(c_, c_, shortcut, (1, 3), 1.0, act) for _ in range(n)))

    def forward(self, x):
        return self.conv3(torch.cat((self.m(self.conv1(x)), self.conv2(x)), 1))


class SPPBottleneck(nn.Module):
    """SPP with 5, 9, 13 max pools, each as Rockchip's chain of 3x3 pools."""

    def __init__(self, c1, c2, act=nn.SiLU):
        super().__init__()
        c_ = c1 // 2
        self.conv1 = Conv(c1, c_, 1, act=act)
        self.m = nn.ModuleList(max_pool_chain(k) for k in (5, 9, 13))
        self.conv2 = Conv(4 * c_, c2, 1, act=act)

    def forward(self, x):
        x = self.conv1(x)
        return self.conv2(torch.cat([x] + [m(x) for m in self.m], 1))


class YOLOX(nn.Module):
    """CSPDarknet + PAFPN + decoupled head (YOLOXHead) at depth/width multipliers. The Focus stem's
    space-to-depth slicing is the fixed 2x2 stride-2 convolution 3 -> 12 channels that Rockchip's
    export substitutes (Focus_conv, no bias), then the 3x3 BaseConv. The head ends as the RKNN export
    does: per level concat(box 4, sigmoid objectness 1, sigmoid classes 80) = 85 channels; the
    flatten/concat over levels and the decoding are left out."""

    def __init__(self, depth, width, act=nn.SiLU, nc=80):
        super().__init__()
        w = lambda c: int(c * width)
        d = max(round(depth * 3), 1)
        self.focus = nn.Conv2d(3, 12, 2, 2, bias=False)
        self.stem = Conv(12, w(64), 3, act=act)
        self.dark2 = nn.Sequential(Conv(w(64), w(128), 3, 2, act=act), CSPLayer(w(128), w(128), d, act=act))
        self.dark3 = nn.Sequential(Conv(w(128), w(256), 3, 2, act=act), CSPLayer(w(256), w(256), 3 * d, act=act))
        self.dark4 = nn.Sequential(Conv(w(256), w(512), 3, 2, act=act), CSPLayer(w(512), w(512), 3 * d, act=act))
        self.dark5 = nn.Sequential(Conv(w(512), w(1024), 3, 2, act=act), SPPBottleneck(w(1024), w(1024), act),
                                   CSPLayer(w(1024), w(1024), d, False, act))
        n = round(3 * depth)
        self.lateral_conv0 = Conv(w(1024), w(512), 1, act=act)
        self.C3_p4 = CSPLayer(w(1024), w(512), n, False, act)
        self.reduce_conv1 = Conv(w(512), w(256), 1, act=act)
        self.C3_p3 = CSPLayer(w(512), w(256), n, False, act)
        self.bu_conv2 = Conv(w(256), w(256), 3, 2, act=act)
        self.C3_n3 = CSPLayer(w(512), w(512), n, False, act)
        self.bu_conv1 = Conv(w(512), w(512), 3, 2, act=act)
        self.C3_n4 = CSPLayer(w(1024), w(1024), n, False, act)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        hc = w(256)
        self.stems = nn.ModuleList(Conv(w(c), hc, 1, act=act) for c in (256, 512, 1024))
        branch = lambda: nn.Sequential(Conv(hc, hc, 3, act=act), Conv(hc, hc, 3, act=act))
        self.cls_convs = nn.ModuleList(branch() for _ in range(3))
        self.reg_convs = nn.ModuleList(branch() for _ in range(3))
        self.cls_preds = nn.ModuleList(nn.Conv2d(hc, nc, 1) for _ in range(3))
        self.reg_preds = nn.ModuleList(nn.Conv2d(hc, 4, 1) for _ in range(3))
        self.obj_preds = nn.ModuleList(nn.Conv2d(hc, 1, 1) for _ in range(3))

    def forward(self, x):
        x = self.dark2(self.stem(self.focus(x)))
        x2 = self.dark3(x)
        x1 = self.dark4(x2)
        x0 = self.dark5(x1)
        fpn_out0 = self.lateral_conv0(x0)
        f_out0 = self.C3_p4(torch.cat((self.up(fpn_out0), x1), 1))
        fpn_out1 = self.reduce_conv1(f_out0)
        pan_out2 = self.C3_p3(torch.cat((self.up(fpn_out1), x2), 1))
        pan_out1 = self.C3_n3(torch.cat((self.bu_conv2(pan_out2), fpn_out1), 1))
        pan_out0 = self.C3_n4(torch.cat((self.bu_conv1(pan_out1), fpn_out0), 1))
        out = []
        for i, f in enumerate((pan_out2, pan_out1, pan_out0)):
            f = self.stems[i](f)
            cls = self.cls_preds[i](self.cls_convs[i](f))
            reg = self.reg_convs[i](f)
            out.append(torch.cat((self.reg_preds[i](reg), self.obj_preds[i](reg).sigmoid(), cls.sigmoid()), 1))
        return tuple(out)


# --- YOLOv7 and YOLOv7-tiny (WongKinYiu/yolov7 cfg/deploy/yolov7{,-tiny}.yaml) --------------------
class ELAN(nn.Module):
    """Two 1x1 branches of width c, a chain of `depth` 3x3 convs of width c3 on the second, the
    outputs `taps` (indices into [branch1, branch2, chain...]) concatenated, then a 1x1 to c2."""

    def __init__(self, c1, c, c3, c2, depth, taps, act):
        super().__init__()
        self.cv1 = Conv(c1, c, 1, act=act)
        self.cv2 = Conv(c1, c, 1, act=act)
        self.chain = nn.ModuleList(Conv(c if i == 0 else c3, c3, 3, act=act) for i in range(depth))
        self.taps = taps
        width = sum(c if t < 2 else c3 for t in taps)
        self.out = Conv(width, c2, 1, act=act)

    def forward(self, x):
        ys = [self.cv1(x), self.cv2(x)]
        for m in self.chain:
            ys.append(m(ys[-1]))
        return self.out(torch.cat([ys[t] for t in self.taps], 1))


class MPDown(nn.Module):
    """YOLOv7's transition: max-pool 2x2 + 1x1 on one side, 1x1 + 3x3 stride 2 on the other."""

    def __init__(self, c1, c, act):
        super().__init__()
        self.pool = nn.MaxPool2d(2, 2)
        self.cv1 = Conv(c1, c, 1, act=act)
        self.cv2 = Conv(c1, c, 1, act=act)
        self.cv3 = Conv(c, c, 3, 2, act=act)

    def forward(self, x, extra=None):
        y = [self.cv3(self.cv2(x)), self.cv1(self.pool(x))]
        return torch.cat(y + ([extra] if extra is not None else []), 1)


class SPPCSPC(nn.Module):
    """YOLOv7's SPP block (hidden width c2). Rockchip's export computes its 5, 9, 13 pools as one
    chain of six 3x3 pools tapped after 2, 4 and 6 (airockchip/yolov7 models/common.py)."""

    def __init__(self, c1, c2, act):
        super().__init__()
        self.cv1 = Conv(c1, c2, 1, act=act)
        self.cv2 = Conv(c1, c2, 1, act=act)
        self.cv3 = Conv(c2, c2, 3, act=act)
        self.cv4 = Conv(c2, c2, 1, act=act)
        self.pool = nn.MaxPool2d(3, 1, 1)
        self.cv5 = Conv(4 * c2, c2, 1, act=act)
        self.cv6 = Conv(c2, c2, 3, act=act)
        self.cv7 = Conv(2 * c2, c2, 1, act=act)

    def forward(self, x):
        ys = [self.cv4(self.cv3(self.cv1(x)))]
        for _ in range(3):
            ys.append(self.pool(self.pool(ys[-1])))
        return self.cv7(torch.cat((self.cv6(self.cv5(torch.cat(ys, 1))), self.cv2(x)), 1))


class TinySPP(nn.Module):
    """yolov7-tiny layers 29-37: two 1x1 branches, SP 5, 9, 13 on the second (each replaced by its
    own chain of 3x3 pools in Rockchip's export), concat, 1x1, concat with the first, 1x1."""

    def __init__(self, c1, c2, act):
        super().__init__()
        self.cv1 = Conv(c1, c2, 1, act=act)
        self.cv2 = Conv(c1, c2, 1, act=act)
        self.m = nn.ModuleList(max_pool_chain(k) for k in (13, 9, 5))
        self.cv3 = Conv(4 * c2, c2, 1, act=act)
        self.cv4 = Conv(2 * c2, c2, 1, act=act)

    def forward(self, x):
        a, b = self.cv1(x), self.cv2(x)
        y = self.cv3(torch.cat([m(b) for m in self.m] + [b], 1))
        return self.cv4(torch.cat((y, a), 1))


class YOLOv7Tiny(nn.Module):
    """cfg/deploy/yolov7-tiny.yaml: LeakyReLU(0.1) everywhere; ELAN blocks of two 3x3 convs; SPP
    pools as Rockchip's chained 3x3 pools; the detection head's 1x1 convs (3 anchors x 85) with
    the sigmoid airockchip/yolov7 keeps (box decoding on the CPU)."""

    def __init__(self, act=LEAKY, nc=80):
        super().__init__()
        elan = lambda c1, c: ELAN(c1, c, c, 2 * c, 2, (3, 2, 1, 0), act)
        self.b0 = Conv(3, 32, 3, 2, act=act)
        self.b1 = Conv(32, 64, 3, 2, act=act)
        self.b7 = elan(64, 32)
        self.pool = nn.MaxPool2d(2, 2)
        self.b14 = elan(64, 64)
        self.b21 = elan(128, 128)
        self.b28 = elan(256, 256)
        self.h37 = TinySPP(512, 256, act)
        self.h38 = Conv(256, 128, 1, act=act)
        self.h40 = Conv(256, 128, 1, act=act)
        self.h47 = elan(256, 64)
        self.h48 = Conv(128, 64, 1, act=act)
        self.h50 = Conv(128, 64, 1, act=act)
        self.h57 = elan(128, 32)
        self.h58 = Conv(64, 128, 3, 2, act=act)
        self.h65 = elan(256, 64)
        self.h66 = Conv(128, 256, 3, 2, act=act)
        self.h73 = elan(512, 128)
        self.h74 = Conv(64, 128, 3, act=act)
        self.h75 = Conv(128, 256, 3, act=act)
        self.h76 = Conv(256, 512, 3, act=act)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.det = nn.ModuleList(nn.Conv2d(c, 3 * (nc + 5), 1) for c in (128, 256, 512))

    def forward(self, x):
        p3 = self.b14(self.pool(self.b7(self.b1(self.b0(x)))))
        p4 = self.b21(self.pool(p3))
        x37 = self.h37(self.b28(self.pool(p4)))
        x47 = self.h47(torch.cat((self.h40(p4), self.up(self.h38(x37))), 1))
        x57 = self.h57(torch.cat((self.h50(p3), self.up(self.h48(x47))), 1))
        x65 = self.h65(torch.cat((self.h58(x57), x47), 1))
        x73 = self.h73(torch.cat((self.h66(x65), x37), 1))
        feats = (self.h74(x57), self.h75(x65), self.h76(x73))
        return tuple(d(f).sigmoid() for d, f in zip(self.det, feats))


class YOLOv7(nn.Module):
    """cfg/deploy/yolov7.yaml: ELAN blocks (four 3x3 convs, taps -1, -3, -5, -6 in the backbone;
    six taps in the head), MP transitions, SPPCSPC (pools as chained 3x3), RepConv at deploy (one
    3x3 conv with bias) before the detection 1x1 convs, which end with the sigmoid as
    airockchip/yolov7 exports them. Activation SiLU, the checkpoint's (see the fixture note)."""

    def __init__(self, act=nn.SiLU, nc=80):
        super().__init__()
        bb = lambda c1, c, c2: ELAN(c1, c, c, c2, 4, (5, 3, 1, 0), act)
        hd = lambda c1, c, c3, c2: ELAN(c1, c, c3, c2, 4, (5, 4, 3, 2, 1, 0), act)
        self.stem = nn.Sequential(Conv(3, 32, 3, act=act), Conv(32, 64, 3, 2, act=act), Conv(64, 64, 3, act=act),
                                  Conv(64, 128, 3, 2, act=act))
        self.b11 = bb(128, 64, 256)
        self.mp16 = MPDown(256, 128, act)
        self.b24 = bb(256, 128, 512)
        self.mp29 = MPDown(512, 256, act)
        self.b37 = bb(512, 256, 1024)
        self.mp42 = MPDown(1024, 512, act)
        self.b50 = bb(1024, 256, 1024)
        self.h51 = SPPCSPC(1024, 512, act)
        self.h52 = Conv(512, 256, 1, act=act)
        self.h54 = Conv(1024, 256, 1, act=act)
        self.h63 = hd(512, 256, 128, 256)
        self.h64 = Conv(256, 128, 1, act=act)
        self.h66 = Conv(512, 128, 1, act=act)
        self.h75 = hd(256, 128, 64, 128)
        self.mp80 = MPDown(128, 128, act)
        self.h88 = hd(512, 256, 128, 256)
        self.mp93 = MPDown(256, 256, act)
        self.h101 = hd(1024, 512, 256, 512)
        self.rep = nn.ModuleList(RepConv3(c, 2 * c, act=act) for c in (128, 256, 512))
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.det = nn.ModuleList(nn.Conv2d(c, 3 * (nc + 5), 1) for c in (256, 512, 1024))

    def forward(self, x):
        p3 = self.b24(self.mp16(self.b11(self.stem(x))))
        p4 = self.b37(self.mp29(p3))
        x51 = self.h51(self.b50(self.mp42(p4)))
        x63 = self.h63(torch.cat((self.h54(p4), self.up(self.h52(x51))), 1))
        x75 = self.h75(torch.cat((self.h66(p3), self.up(self.h64(x63))), 1))
        x88 = self.h88(self.mp80(x75, x63))
        x101 = self.h101(self.mp93(x88, x51))
        return tuple(d(r(f)).sigmoid() for d, r, f in zip(self.det, self.rep, (x75, x88, x101)))


# --- YOLOv6 v3.0 (meituan/YOLOv6 configs/yolov6{n,s,m}.py, deployed) ------------------------------
def rep_stage(c1, c2, n):
    """RepBlock: n RepVGG blocks (each one 3x3 conv + bias + ReLU once re-parameterised)."""
    return nn.Sequential(*(RepConv3(c1 if i == 0 else c2, c2) for i in range(n)))


class BottleRep(nn.Module):
    """Two RepVGG blocks and a shortcut scaled by a learned alpha (one element)."""

    def __init__(self, c):
        super().__init__()
        self.conv1 = RepConv3(c, c)
        self.conv2 = RepConv3(c, c)
        self.alpha = nn.Parameter(torch.ones(1))

    def forward(self, x):
        return self.conv2(self.conv1(x)) + self.alpha * x


class BepC3(nn.Module):
    """CSPStackRep: 1x1 ConvBNReLU branches of width out * e, n // 2 BottleReps on the first."""

    def __init__(self, c1, c2, n, e=2 / 3):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, 1, act=nn.ReLU)
        self.cv2 = Conv(c1, c_, 1, act=nn.ReLU)
        self.cv3 = Conv(2 * c_, c2, 1, act=nn.ReLU)
        self.m = nn.Sequential(*(BottleRep(c_) for _ in range(max(n // 2, 1))))

    def forward(self, x):
        return self.cv3(torch.cat((self.m(self.cv1(x)), self.cv2(x)), 1))


class SimSPPF(nn.Module):
    """SPPF with ConvBNReLU (YOLOv6-M); with csp=True the CSP variant SimCSPSPPF (N and S)."""

    def __init__(self, c1, c2, csp):
        super().__init__()
        relu = lambda a, b, k=1: Conv(a, b, k, act=nn.ReLU)
        self.csp = csp
        self.m = nn.MaxPool2d(5, 1, 2)
        if csp:
            c_ = c2 // 2
            self.cv1, self.cv2, self.cv3, self.cv4 = relu(c1, c_), relu(c1, c_), relu(c_, c_, 3), relu(c_, c_)
            self.cv5, self.cv6, self.cv7 = relu(4 * c_, c_), relu(c_, c_, 3), relu(2 * c_, c2)
        else:
            c_ = c1 // 2
            self.cv1, self.cv2 = relu(c1, c_), relu(4 * c_, c2)

    def forward(self, x):
        if not self.csp:
            x = self.cv1(x)
            y1 = self.m(x)
            y2 = self.m(y1)
            return self.cv2(torch.cat((x, y1, y2, self.m(y2)), 1))
        x1 = self.cv4(self.cv3(self.cv1(x)))
        y1 = self.m(x1)
        y2 = self.m(y1)
        y3 = self.cv6(self.cv5(torch.cat((x1, y1, y2, self.m(y2)), 1)))
        return self.cv7(torch.cat((self.cv2(x), y3), 1))


class BiFusion(nn.Module):
    """Upsample the coarser map by a 2x2 stride-2 transposed conv, 1x1 the same-scale map,
    1x1 + 3x3 stride 2 the finer map, concat, 1x1 (ConvBNReLU throughout)."""

    def __init__(self, c_same, c_fine, c):
        super().__init__()
        self.cv1 = Conv(c_same, c, 1, act=nn.ReLU)
        self.cv2 = Conv(c_fine, c, 1, act=nn.ReLU)
        self.cv3 = Conv(3 * c, c, 1, act=nn.ReLU)
        self.upsample = nn.ConvTranspose2d(c, c, 2, 2, bias=True)
        self.downsample = Conv(c, c, 3, 2, act=nn.ReLU)

    def forward(self, coarse, same, fine):
        return self.cv3(torch.cat((self.upsample(coarse), self.cv1(same), self.downsample(self.cv2(fine))), 1))


class YOLOv6(nn.Module):
    """YOLOv6 3.0 at deploy: EfficientRep backbone (RepVGG stages; CSPBep stages with BottleReps
    for M), RepBiFPAN neck (BiFusion, transposed-conv upsampling), efficient decoupled head
    (ConvBNSiLU stem and one 3x3 per branch; box 4 channels for N/S, 4 x 17 DFL bins for M).
    Exported as Rockchip's yolov6 export cuts it: per level the box conv, the sigmoid class
    scores and their ReduceSum + Clip; decoding and DFL on the CPU."""

    def __init__(self, depth, width, csp, reg_max=0, nc=80):
        super().__init__()
        ch = [int(-(-c * width // 8) * 8) for c in (64, 128, 256, 512, 1024, 256, 128, 128, 256, 256, 512)]
        rep = [r if r <= 1 else max(round(r * depth), 1) for r in (1, 6, 12, 18, 6, 12, 12, 12, 12)]
        stage = (lambda a, b, n: BepC3(a, b, n)) if csp else (lambda a, b, n: rep_stage(a, b, n))
        self.stem = RepConv3(3, ch[0], 2)
        self.er2 = nn.Sequential(RepConv3(ch[0], ch[1], 2), stage(ch[1], ch[1], rep[1]))
        self.er3 = nn.Sequential(RepConv3(ch[1], ch[2], 2), stage(ch[2], ch[2], rep[2]))
        self.er4 = nn.Sequential(RepConv3(ch[2], ch[3], 2), stage(ch[3], ch[3], rep[3]))
        self.er5 = nn.Sequential(RepConv3(ch[3], ch[4], 2), stage(ch[4], ch[4], rep[4]),
                                 SimSPPF(ch[4], ch[4], csp=not csp))
        self.reduce0 = Conv(ch[4], ch[5], 1, act=nn.ReLU)
        self.fuse0 = BiFusion(ch[3], ch[2], ch[5])
        self.rep_p4 = stage(ch[5], ch[5], rep[5])
        self.reduce1 = Conv(ch[5], ch[6], 1, act=nn.ReLU)
        self.fuse1 = BiFusion(ch[2], ch[1], ch[6])
        self.rep_p3 = stage(ch[6], ch[6], rep[6])
        self.down2 = Conv(ch[6], ch[7], 3, 2, act=nn.ReLU)
        self.rep_n3 = stage(ch[6] + ch[7], ch[8], rep[7])
        self.down1 = Conv(ch[8], ch[9], 3, 2, act=nn.ReLU)
        self.rep_n4 = stage(ch[5] + ch[9], ch[10], rep[8])
        levels = (ch[6], ch[8], ch[10])
        self.stems = nn.ModuleList(Conv(c, c, 1) for c in levels)
        self.cls_convs = nn.ModuleList(Conv(c, c, 3) for c in levels)
        self.reg_convs = nn.ModuleList(Conv(c, c, 3) for c in levels)
        self.cls_preds = nn.ModuleList(nn.Conv2d(c, nc, 1) for c in levels)
        self.reg_preds = nn.ModuleList(nn.Conv2d(c, 4 * (reg_max + 1), 1) for c in levels)

    def forward(self, x):
        p2 = self.er2(self.stem(x))
        p3 = self.er3(p2)
        p4 = self.er4(p3)
        p5 = self.er5(p4)
        fpn_out0 = self.reduce0(p5)
        f_out0 = self.rep_p4(self.fuse0(fpn_out0, p4, p3))
        fpn_out1 = self.reduce1(f_out0)
        pan_out2 = self.rep_p3(self.fuse1(fpn_out1, p3, p2))
        pan_out1 = self.rep_n3(torch.cat((self.down2(pan_out2), fpn_out1), 1))
        pan_out0 = self.rep_n4(torch.cat((self.down1(pan_out1), fpn_out0), 1))
        out = []
        for i, f in enumerate((pan_out2, pan_out1, pan_out0)):
            f = self.stems[i](f)
            score = self.cls_preds[i](self.cls_convs[i](f)).sigmoid()
            out += [self.reg_preds[i](self.reg_convs[i](f)), score, score.sum(1, keepdim=True).clamp(0, 1)]
        return tuple(out)


# name -> (builder, input H=W)
MODELS = {
    "yolo11n": (lambda: YOLO11(0.50, 0.25, 1024), 640),
    "yolo11s": (lambda: YOLO11(0.50, 0.50, 1024), 640),
    "yolo11m": (lambda: YOLO11(0.50, 1.00, 512), 640),
    "yolox_s": (lambda: YOLOX(0.33, 0.50), 640),
    "yolox_m": (lambda: YOLOX(0.67, 0.75), 640),
    "yolox_s_leaky": (lambda: YOLOX(0.33, 0.50, act=LEAKY), 640),
    "yolov7_tiny": (lambda: YOLOv7Tiny(), 640),
    "yolov7": (lambda: YOLOv7(), 640),
    "yolov6n": (lambda: YOLOv6(0.33, 0.25, csp=False), 640),
    "yolov6s": (lambda: YOLOv6(0.33, 0.50, csp=False), 640),
    "yolov6m": (lambda: YOLOv6(0.60, 0.75, csp=True, reg_max=16), 640),
}
