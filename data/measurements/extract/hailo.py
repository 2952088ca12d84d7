"""Rows from hailo-ai/hailo_model_zoo's per-device public model tables."""
import re, sys
from common import *

REPO = checkout("hailo-ai/hailo_model_zoo")
HEAD = "c83fc030e862de8daf05b783f503712d168ef620"

CLS = {
    "resnet_v1_18": ("resnet18", "", "cnn"),
    "resnet_v1_50": ("resnet50", "TF-slim ResNet-50 v1 (Hailo: 6.98 GOPs); the torchvision v1.5 fixture stands in (4.09 G MACs)", "cnn"),
    "mobilenet_v1": ("mobilenet_v1", "", "cnn"),
    "mobilenet_v2_1.0": ("mobilenet_v2", "", "cnn"),
    "mobilenet_v2_1.4": ("mobilenet_v2_1.4", "", "cnn"),
    "squeezenet_v1.1": ("squeezenet1_1", "", "cnn"),
    "resnext50_32x4d": ("resnext50_32x4d", "", "cnn"),
    "inception_v1": ("googlenet", "Inception v1 = GoogLeNet (torchvision googlenet, without the auxiliary heads)", "cnn"),
    "regnetx_800mf": ("regnet_x_800mf", "", "cnn"),
    "vit_base": ("vit_b_16", "timm vit_base_patch16_224 = torchvision vit_b_16 architecture", "transformer"),
    "vit_small": ("vit_s_16", "timm vit_small_patch16_224 (ViT-S/16: width 384, 6 heads, depth 12)", "transformer"),
    "vit_tiny": ("vit_ti_16", "timm vit_tiny_patch16_224 (ViT-Ti/16: width 192, 3 heads, depth 12)", "transformer"),
    "deit_base": ("vit_b_16", "DeiT-B has the ViT-B/16 architecture", "transformer"),
    "deit_small": ("vit_s_16", "DeiT-S has the ViT-S/16 architecture", "transformer"),
    "deit_tiny": ("vit_ti_16", "DeiT-Ti has the ViT-Ti/16 architecture", "transformer"),
    "swin_tiny": ("swin_t", "HF microsoft/swin-tiny-patch4-window7-224 = torchvision swin_t architecture", "transformer"),
    "swin_small": ("swin_s", "HF microsoft/swin-small-patch4-window7-224 = torchvision swin_s architecture", "transformer"),
}
DET = {
    "yolov5m_6.1": ("yolov5m", "YOLOv5m v6.1 (Hailo: 21.17 M params, 48.96 GOPs); the fixture ends at the detection convolutions", "detector"),
    "yolov5s": ("yolov5s", "Hailo's yolov5s (7.46 M params, 17.44 GOPs) is an earlier YOLOv5s release; the v6 fixture (SPPF) stands in", "detector"),
    "yolov8n": ("yolov8n", "the fixture ends at the head convolutions (Hailo decodes on the host)", "detector"),
    "yolov8s": ("yolov8s", "the fixture ends at the head convolutions (Hailo decodes on the host)", "detector"),
    "yolov8m": ("yolov8m", "the fixture ends at the head convolutions (Hailo decodes on the host)", "detector"),
    "yolov11n": ("yolo11n", "the fixture ends at the head convolutions (Hailo decodes on the host); it keeps the class-score ReduceSum + Clip of Rockchip's export (three small nodes)", "detector"),
    "yolov11s": ("yolo11s", "the fixture ends at the head convolutions (Hailo decodes on the host); it keeps the class-score ReduceSum + Clip of Rockchip's export (three small nodes)", "detector"),
    "yolov7_tiny": ("yolov7_tiny", "Rockchip's export of the same model stands in: SPP pools as chained 3x3 max pools, sigmoid after the detection convs (Hailo: 6.22 M params, 13.74 GOPs)", "detector"),
    "yolox_s_leaky": ("yolox_s_leaky", "YOLOX-S with LeakyReLU(0.1) (Hailo: 8.96 M params, 26.74 GOPs); the fixture has Rockchip's Focus conv and chained SPP pools and ends at each level's head concat", "detector"),
    "ssd_mobilenet_v1": ("ssd_mobilenet_v1", "TF1 detection zoo ssd_mobilenet_v1_coco (Hailo: 6.79 M params, 2.5 GOPs); the fixture ends at the box predictors (6.81 M params, 2.47 GOPs)", "detector"),
}
DEVS = {"HAILO8": "hailo_8", "HAILO8L": "hailo_8l", "HAILO15H": "hailo_15h", "HAILO15L": "hailo_15l",
        "HAILO10H": "hailo_10h"}

def parse(text):
    lines = text.split("\n"); rows = []; i = 0; header = None
    while i < len(lines):
        l = lines[i]
        if l.startswith(".. list-table::"):
            header = None
        m = re.match(r"^   \* - (.*)$", l)
        if m:
            cells = [(m.group(1).strip(), i + 1)]; i += 1
            while i < len(lines) and (re.match(r"^     - ", lines[i]) or re.match(r"^ {7,}\S", lines[i])):
                if lines[i].startswith("     - "):
                    cells.append((lines[i][7:].strip(), i + 1))
                i += 1
            if header is None:
                header = [c for c, _ in cells]
            else:
                rows.append((header, cells))
            continue
        i += 1
    return rows

def dfc(text):
    m = re.search(r"compiled using (?:the )?Hailo Dataflow Compiler (v[\d.]+)", text)
    return m.group(1) if m else None

def rows_at(commit, devs, tag="", id_suffix="", extra_note="", models=None):
    out = []
    for dev, chip in devs.items():
        for task, table in (("classification", CLS), ("object_detection", DET)):
            path = f"docs/public_models/{dev}/{dev}_{task}.rst"
            try:
                text = git_show(REPO, commit, path)
            except FileNotFoundError:
                continue
            ver = dfc(text)
            for header, cells in parse(text):
                raw = cells[0][0]
                name = re.sub(r"\s*\|.*$", "", raw).replace("⭐", "").strip()
                if name not in table or (models and name not in models):
                    continue
                fixture, fnote, kind = table[name]
                h = {hh: c for hh, c in zip(header, cells)}
                res_k = next(k for k in header if k.startswith("Input Resolution"))
                hh_, ww_, cc_ = (int(x) for x in h[res_k][0].split("x"))
                b1 = h["FPS (Batch Size=1)"]; b8 = h["FPS (Batch Size=8)"]
                for batch, (val, line) in ((1, b1), (8, b8)):
                    if batch == 8 and val == b1[0]:
                        continue  # same figure: the batch-8 row adds nothing
                    row = {"id": f"hailo-{name}-{chip}-b{batch}{id_suffix}", "chip": chip, "power_mode_w": None,
                           "runtime": f"HailoRT, Hailo Dataflow Compiler {ver}{tag}", "model": name,
                           "fixture": fixture, "fixture_note": fnote, "kind": kind,
                           "input": [batch, cc_, hh_, ww_], "precision": "int8",
                           "precision_published": "int8 (Hailo quantised; 'Hardware' accuracy column)",
                           "batch": batch, "cores": None, "units": "npu", "metric": "fps", "mode": "streaming",
                           "value": float(val),
                           "source": {"repo": "hailo-ai/hailo_model_zoo", "path": path, "commit": commit,
                                      "line": line, "quote": f"{name}: FPS (Batch Size={batch}) = {val}"},
                           "notes": extra_note}
                    if not fnote:
                        del row["fixture_note"]
                    out.append(row)
    return out

def main():
    return rows_at(HEAD, DEVS)

if __name__ == "__main__":
    import collections
    rows = main()
    print(len(rows), collections.Counter(r["chip"] for r in rows), collections.Counter(r["batch"] for r in rows))
    print([ (r['model'],r['value']) for r in rows if r['chip']=='hailo_8'][:6])

OLD8L = "25b61930fc08d65c601cc4bc0a9c5e221abcc7f2"
def main():
    rows = rows_at(HEAD, DEVS)
    rows += rows_at(OLD8L, {"HAILO8L": "hailo_8l"}, id_suffix="-v2.17.0",
                    models={"resnet_v1_18", "resnet_v1_50", "mobilenet_v1", "mobilenet_v2_1.0"},
                    extra_note="the Hailo-8L table before its 2026-01 re-measurement (the rows the calibration used); the newer table is the row without the suffix")
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    return rows
