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
    "yolov6n": (None, "no fixture: YOLOv6 (RepVGG-style) not written yet", "detector"),
    "yolov6s": (None, "no fixture: YOLOv6 (RepVGG-style) not written yet", "detector"),
    "yolov6m": (None, "no fixture: YOLOv6 (RepVGG-style) not written yet", "detector"),
    "yolov7-tiny": (None, "no fixture: YOLOv7 (ELAN) not written yet", "detector"),
    "yolov7": (None, "no fixture: YOLOv7 (ELAN) not written yet", "detector"),
    "yolov8n": ("yolov8n", "airockchip/ultralytics_yolov8 export: DFL decoding moved out of the model; the fixture ends at the head convolutions", "detector"),
    "yolov8s": ("yolov8s", "airockchip/ultralytics_yolov8 export: DFL decoding moved out of the model; the fixture ends at the head convolutions", "detector"),
    "yolov8m": ("yolov8m", "airockchip/ultralytics_yolov8 export: DFL decoding moved out of the model; the fixture ends at the head convolutions", "detector"),
    "yolo11n": (None, "no fixture: YOLO11 (C3k2, C2PSA attention) not written yet", "detector"),
    "yolo11s": (None, "no fixture: YOLO11 (C3k2, C2PSA attention) not written yet", "detector"),
    "yolo11m": (None, "no fixture: YOLO11 (C3k2, C2PSA attention) not written yet", "detector"),
    "yolox_s": (None, "no fixture: YOLOX not written yet", "detector"),
    "yolox_m": (None, "no fixture: YOLOX not written yet", "detector"),
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
