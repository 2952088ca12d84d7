#!/usr/bin/env python3
"""Predicted vs measured for every row of ../shared/hardware/calibration.md, and for further rows
from the same sources (EXTRA). Exits 1 unless every row is predicted within a factor 1.5.

Runs `tops fit ... --format json` for each published measurement and prints the roofline
prediction, the measurement and their ratio (predicted / measured, in the row's own unit), and
beside it the seed article's fixed rule (FPS = dense peak x 0.6 / (2 x MACs)).

Usage: bench/calibration.py [path/to/tops] [--markdown]
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = os.path.join(ROOT, "tests", "models")

# chip, fixture model, precision, mode, measured value, unit, row label, model note, role.
# role: which family figure the row was used to fit ("fit: ..."), or "check" for a row no
# figure was fitted to. A fitted row landing at ratio 1 shows the fit, not predictive power.
# mode "latency": batch-1 single stream; "throughput": MLPerf offline (all units, batched).
# unit "fps" or "ms". Where no fixture matches the measured model, the note says what stands in.
CALIBRATION = [
    ("jetson_agx_orin_64gb", "resnet50", "int8", "throughput", 6423.6, "fps",
     "AGX Orin 64GB, ResNet-50 v1.5, MLPerf offline", "", "fit: conv (with row 3)"),
    ("jetson_agx_orin_64gb", "resnet50", "int8", "latency", 0.640, "ms",
     "AGX Orin 64GB, ResNet-50 v1.5, MLPerf SingleStream p90", "", "fit: overhead"),
    ("nvidia_l4", "resnet50", "int8", "throughput", 12881.7, "fps",
     "L4, ResNet-50 v1.5, MLPerf offline", "", "fit: conv (with row 1)"),
    ("rk3588", "mobilenet_v2", "int8", "latency", 450.7, "fps",
     "RK3588 (1 NPU core), MobileNetV2", "", "fit: depthwise"),
    ("rk3588", "resnet50", "int8", "latency", 110.1, "fps",
     "RK3588 (1 NPU core), ResNet-50 v2", "v1.5 fixture stands in for v2 (4.09 G vs ~4.1 G MACs)", "fit: conv"),
    ("hailo_8", "resnet18", "int8", "latency", 2718, "fps",
     "Hailo-8, ResNet-18 v1", "", "fit: conv+overhead (vendor GOPs)"),
    ("hailo_8", "resnet50", "int8", "latency", 1372, "fps",
     "Hailo-8, ResNet-50 v1", "v1.5 fixture (4.09 G MACs) stands in for v1 (3.49 G per Hailo's 6.98 GOPs)", "fit: conv+overhead (vendor GOPs)"),
    ("hailo_8", "mobilenet_v2", "int8", "latency", 2597, "fps",
     "Hailo-8, MobileNetV2 1.0", "", "fit: depthwise"),
    ("coral_edge_tpu", "mobilenet_v2", "int8", "latency", 2.6, "ms",
     "Coral USB, MobileNet v2", "", "fit: depthwise"),
    ("coral_edge_tpu", "mobilenet_v1", "int8", "latency", 2.4, "ms",
     "Coral USB, MobileNet v1", "generated fixture (tests/models/make_mobilenet_v1.cc)", "check"),
    ("snapdragon_8_gen3_hexagon", "resnet18", "int8", "latency", 0.293, "ms",
     "Snapdragon 8 Gen 3 Hexagon, ResNet-18 w8a8", "uses the unverified 45 TOPS figure", "check"),
    ("snapdragon_8_gen3_hexagon", "resnet18", "fp16", "latency", 0.924, "ms",
     "Snapdragon 8 Gen 3 Hexagon, ResNet-18 fp16", "", "check"),
]


# Rows from the same publishers as calibration.md (same device, same kind of run) that
# calibration.md does not list: used to derive a figure ("fit: ...") or as further checks.
# The note holds each row's source.
AIHUB = "quic/ai-hub-models perf.yaml @052dc1f (Galaxy S24 = Snapdragon 8 Gen 3, TFLite)"
EXTRA = [
    ("snapdragon_8_gen3_hexagon", "resnet50", "int8", "latency", 0.593, "ms",
     "Snapdragon 8 Gen 3 Hexagon, ResNet-50 w8a8", AIHUB, "check"),
    ("snapdragon_8_gen3_hexagon", "resnet50", "fp16", "latency", 1.571, "ms",
     "Snapdragon 8 Gen 3 Hexagon, ResNet-50 fp16", AIHUB,
     "fit: fp16 peak (fp16/int8 ratio of these two rows)"),
]


def fit(tops, chip, model, precision, mode):
    cmd = [tops, "fit", os.path.join(MODELS, model + ".onnx"), "--chip", chip, "--precision",
           precision, "--format", "json", "--top", "0"]
    if mode == "throughput":
        cmd.append("--throughput")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def evaluate(tops, rows_in):
    rows = []
    for chip, model, prec, mode, measured, unit, label, note, role in rows_in:
        pred = article = None
        why = note
        if model is not None:
            j = fit(tops, chip, model, prec, mode)
            p = j["predicted"]
            if p["available"]:
                pred = p["fps"] if unit == "fps" else p["latency_ms"]
            else:
                why = "missing: " + ", ".join(p["missing"])
            if j["effective_tops"] is not None and j["convention"] == "own_peak":
                # Article rule: FPS = effective TOPS / (2 x MACs); required_tops is at 30 fps.
                ops_per_frame = j["required_tops"] * 1e12 / 30.0
                art_fps = j["effective_tops"] * 1e12 / ops_per_frame
                article = art_fps if unit == "fps" else 1000.0 / art_fps
        rows.append((label, prec, mode, unit, measured, pred, article, role, why))
    return rows


def ratio(v, m):
    return None if v is None else v / m


def fmt(v, nd=3):
    return "n/a" if v is None else f"{v:.{nd}g}"


def print_table(rows, markdown):
    """Prints one table; returns (rows predicted, rows within a factor 1.5)."""
    header = ("row", "prec", "mode", "unit", "measured", "predicted", "ratio", "article",
              "article ratio", "role", "note")
    table = []
    within = predicted = 0
    for label, prec, mode, unit, measured, pred, article, role, why in rows:
        r = ratio(pred, measured)
        if r is not None:
            predicted += 1
            within += 0.67 <= r <= 1.5
        table.append((label, prec, mode, unit, fmt(measured, 5), fmt(pred, 4), fmt(r, 3),
                      fmt(article, 4), fmt(ratio(article, measured), 3), role, why))
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for t in table:
            print("| " + " | ".join(t) + " |")
    else:
        widths = [max(len(str(x[i])) for x in table + [header]) for i in range(len(header))]
        for t in [header] + table:
            print("  ".join(str(x).ljust(widths[i]) for i, x in enumerate(t)).rstrip())
    return predicted, within


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    markdown = "--markdown" in sys.argv
    tops = args[0] if args else os.path.join(ROOT, "build", "tops")
    ok = True
    for title, rows_in in (("calibration.md", CALIBRATION), ("extra rows, same sources", EXTRA)):
        rows = evaluate(tops, rows_in)
        print(f"\n{'### ' if markdown else ''}{title}\n")
        predicted, within = print_table(rows, markdown)
        print(f"\n{title}: {predicted} of {len(rows)} rows predicted, {within} within a factor "
              f"1.5 (ratio = predicted / measured).")
        ok = ok and predicted == len(rows) and within == predicted
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
