"""Rows from airockchip/rknn_model_zoo's README benchmark table (v2.3.2)."""
import re, sys
from common import *

REPO = checkout("airockchip/rknn_model_zoo")
COMMIT = "bad6c7334531becaf90a561988519b7bec34d0ab"  # v2.3.2
TAG = "v2.3.2"
# column header -> (chip, cores, note)
COLS = [
    ("RK3566<br />RK3568", "rk3568", None, "column 'RK3566 RK3568' (same NPU)"),
    ("RK3562", "rk3562", None, ""),
    ("RK3588<br />@single_core", "rk3588", 1, "column 'RK3588 @single_core': one of the three NPU cores"),
    ("RK3576<br />@single_core", "rk3576", 1, "column 'RK3576 @single_core': one of the two NPU cores"),
    ("RV1109", "rv1109", None, ""),
    ("RV1126", "rv1126", None, ""),
    ("RK1808", "rk1808", None, ""),
]
# model_name -> (fixture, note, kind)
MODELS = {
    "mobilenetv2-12": ("mobilenet_v2", "ONNX model zoo mobilenetv2-12: MobileNetV2 1.0, the torchvision architecture", "cnn"),
    "resnet50-v2-7": ("resnet50_v2", "ONNX model zoo resnet50-v2-7: pre-activation ResNet-50 v2", "cnn"),
    "yolov5s_relu": ("yolov5s_relu", "airockchip/yolov5 export: YOLOv5s with ReLU, detection head without box decoding", "detector"),
    "yolov5n": ("yolov5n", "airockchip/yolov5 export ends at the detection convolutions", "detector"),
    "yolov5s": ("yolov5s", "airockchip/yolov5 export ends at the detection convolutions", "detector"),
    "yolov5m": ("yolov5m", "airockchip/yolov5 export ends at the detection convolutions", "detector"),
    "yolov6n": ("yolov6n", "YOLOv6 3.0 (meituan/YOLOv6 configs) as airockchip/yolov6 exports it: RepVGG blocks folded; per level the box conv, sigmoid class scores and their ReduceSum + Clip, decoding on the CPU (the zoo README's graph); the fixture has 4.65 M params against the YOLOv6 README's 4.7 M (11.3 against 11.4 GFLOPs)", "detector"),
    "yolov6s": ("yolov6s", "YOLOv6 3.0 (meituan/YOLOv6 configs) as airockchip/yolov6 exports it: RepVGG blocks folded; per level the box conv, sigmoid class scores and their ReduceSum + Clip, decoding on the CPU (the zoo README's graph)", "detector"),
    "yolov6m": ("yolov6m", "YOLOv6 3.0 (meituan/YOLOv6 configs) as airockchip/yolov6 exports it: RepVGG blocks folded; per level the box conv, sigmoid class scores and their ReduceSum + Clip, decoding on the CPU (the zoo README's graph) (box: 4 x 17 DFL bins)", "detector"),
    "yolov7-tiny": ("yolov7_tiny", "YOLOv7-tiny (LeakyReLU) as airockchip/yolov7 exports it: SPP pools as chained 3x3 max pools, the head ends at the detection convs and their sigmoid", "detector"),
    "yolov7": ("yolov7", "YOLOv7 (deploy: RepConv folded) as airockchip/yolov7 exports it, head cut after the detection convs and their sigmoid; SiLU assumed: the fork defaults Conv to ReLU ('silu 2 relu'), but the official checkpoint its README exports keeps its own SiLU modules, and the zoo's yolov7.onnx was not inspected", "detector"),
    "yolov8n": ("yolov8n", "airockchip/ultralytics_yolov8 export: DFL decoding moved out of the model; the fixture ends at the head convolutions", "detector"),
    "yolov8s": ("yolov8s", "airockchip/ultralytics_yolov8 export: DFL decoding moved out of the model; the fixture ends at the head convolutions", "detector"),
    "yolov8m": ("yolov8m", "airockchip/ultralytics_yolov8 export: DFL decoding moved out of the model; the fixture ends at the head convolutions", "detector"),
    "yolo11n": ("yolo11n", "airockchip/ultralytics_yolo11 export: DFL and decoding moved out; per level the box logits, sigmoid class scores and their ReduceSum + Clip (C2PSA attention kept)", "detector"),
    "yolo11s": ("yolo11s", "airockchip/ultralytics_yolo11 export: DFL and decoding moved out; per level the box logits, sigmoid class scores and their ReduceSum + Clip (C2PSA attention kept)", "detector"),
    "yolo11m": ("yolo11m", "airockchip/ultralytics_yolo11 export: DFL and decoding moved out; per level the box logits, sigmoid class scores and their ReduceSum + Clip (C2PSA attention kept)", "detector"),
    "yolox_s": ("yolox_s", "airockchip/YOLOX export: Focus as a 2x2 stride-2 conv, SPP pools as chained 3x3 max pools, the head ends at each level's concat(box, sigmoid objectness, sigmoid classes)", "detector"),
    "yolox_m": ("yolox_m", "airockchip/YOLOX export: Focus as a 2x2 stride-2 conv, SPP pools as chained 3x3 max pools, the head ends at each level's concat(box, sigmoid objectness, sigmoid classes)", "detector"),
    "clip_images": ("vit_b_32", "CLIP ViT-B/32 image encoder; torchvision vit_b_32 stands in (same patch size, width and depth; CLIP adds a pre-norm and a 512-d projection)", "transformer"),
}

def main():
    text = git_show(REPO, COMMIT, "README.md")
    lines = text.split("\n")
    hdr_i = next(i for i, l in enumerate(lines) if l.startswith("| demo") and "model_name" in l)
    header = [c.strip() for c in lines[hdr_i].strip().strip("|").split("|")]
    col_index = {h: i for i, h in enumerate(header)}
    rows = []
    for i in range(hdr_i + 2, len(lines)):
        l = lines[i]
        if not l.startswith("|"):
            break
        cells = [c.strip() for c in l.strip().strip("|").split("|")]
        name = cells[1]
        if name not in MODELS:
            continue
        shape = [int(x) for x in re.findall(r"\d+", cells[2])]
        dtype = cells[3]
        fixture, fnote, kind = MODELS[name]
        for hname, chip, cores, cnote in COLS:
            v = cells[col_index[hname]]
            if v == "/":
                continue
            value = float(v)
            row = {"id": f"rknn-{name}-{chip}", "chip": chip, "power_mode_w": None,
                   "runtime": f"RKNN-Toolkit2 / RKNN runtime (rknn_model_zoo {TAG})" if chip not in ("rv1109", "rv1126", "rk1808") else f"RKNN-Toolkit (RKNPU1) (rknn_model_zoo {TAG})",
                   "model": name, "fixture": fixture, "fixture_note": fnote, "kind": kind, "input": shape,
                   "precision": dtype.lower(), "precision_published": dtype, "batch": 1, "cores": cores,
                   "units": "npu", "metric": "fps", "mode": "single_stream", "value": value,
                   "source": {"repo": "airockchip/rknn_model_zoo", "path": "README.md", "commit": COMMIT,
                              "line": i + 1, "quote": re.sub(r"\s+", " ", l.strip())},
                   "notes": cnote}
            rows.append(row)
    return rows

if __name__ == "__main__":
    rows = main()
    import collections
    print(len(rows), collections.Counter(r["chip"] for r in rows), collections.Counter(r["precision"] for r in rows))
