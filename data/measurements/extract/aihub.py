"""Rows from Qualcomm AI Hub's per-model perf.yaml (quic/ai-hub-models)."""
import sys, yaml
from common import *

REPO = checkout("quic/ai-hub-models")

# AI Hub model id -> (fixture or None, fixture note, kind)
MODELS = {
    "resnet18": ("resnet18", "", "cnn"),
    "resnet50": ("resnet50", "", "cnn"),
    "resnet101": ("resnet101", "", "cnn"),
    "mobilenet_v2": ("mobilenet_v2", "", "cnn"),
    "mobilenet_v3_large": ("mobilenet_v3_large", "", "cnn"),
    "mobilenet_v3_small": ("mobilenet_v3_small", "", "cnn"),
    "efficientnet_b0": ("efficientnet_b0", "", "cnn"),
    "efficientnet_b4": ("efficientnet_b4", "", "cnn"),
    "squeezenet1_1": ("squeezenet1_1", "", "cnn"),
    "shufflenet_v2": ("shufflenet_v2_x0_5", "AI Hub's Shufflenet-v2 is torchvision shufflenet_v2_x0_5 (model.py)", "cnn"),
    "mnasnet05": ("mnasnet0_5", "", "cnn"),
    "googlenet": ("googlenet", "", "cnn"),
    "inception_v3": ("inception_v3", "fixture exported at 299x299; the row's input is 224x224 (bind the input size)", "cnn"),
    "densenet121": ("densenet121", "", "cnn"),
    "regnet": ("regnet_x_3_2gf", "AI Hub's RegNet is torchvision regnet_x_3_2gf (model.py)", "cnn"),
    "resnext50": ("resnext50_32x4d", "", "cnn"),
    "wideresnet50": ("wide_resnet50_2", "", "cnn"),
    "convnext_tiny": ("convnext_tiny", "", "cnn"),
    "vit": ("vit_b_16", "", "transformer"),
    "swin_tiny": ("swin_t", "", "transformer"),
    "swin_small": ("swin_s", "", "transformer"),
    "yolov8_det": ("yolov8n", "fixture ends at the detection head's convolutions; AI Hub's export also decodes boxes", "detector"),
}

# device -> (chip id, note)
DEVICES_052 = {
    "Samsung Galaxy S24": ("snapdragon_8_gen3_hexagon", "Galaxy S24 = Snapdragon 8 Gen 3 (devices_and_chipsets.yaml)"),
    "Samsung Galaxy S25": ("snapdragon_8_elite", "Galaxy S25 = Snapdragon 8 Elite for Galaxy (sm8750-ac, devices_and_chipsets.yaml)"),
    "Snapdragon 8 Elite Gen 5 QRD": ("snapdragon_8_elite_gen5", "Qualcomm reference design"),
    "Snapdragon 7 Gen 4 QRD": ("snapdragon_7_gen4", "Qualcomm reference design"),
    "Snapdragon X Elite CRD": ("snapdragon_x_elite", "Qualcomm compute reference design"),
    "Dragonwing RB3 Gen 2 Vision Kit": ("qcs6490", "RB3 Gen 2 = QCS6490"),
    "Dragonwing Q-6690 MTP": ("qcm6690", "Q-6690 MTP = QCM6690"),
    "QCS8550 (Proxy)": ("qcs8550", "AI Hub marks this device '(Proxy)': a stand-in device for the QCS8550"),
    "QCS8450 (Proxy)": ("qcs8450", "AI Hub marks this device '(Proxy)': a stand-in device for the QCS8450 (XR2 Gen 2 class)"),
    "SA8295P ADP": ("sa8295p", "automotive development platform"),
    "SA8775P ADP": ("sa8775p", "automotive development platform; AI Hub lists npu_count 2 for this device; 'QCS9075 (Proxy)' reports the same figures"),
    "SA7255P ADP": ("sa7255p", "automotive development platform; 'QCS8275 (Proxy)' reports the same figures"),
}
DEVICES_660 = {
    "Samsung Galaxy S23": ("snapdragon_8_gen2_hexagon", "Galaxy S23 = Snapdragon 8 Gen 2 (devices_and_chipsets.yaml)"),
    "RB5 (Proxy)": ("qualcomm_rb5_qrb5165", "AI Hub marks this device '(Proxy)': a stand-in device for the RB5 (QRB5165)"),
    "SA8255 (Proxy)": ("sa8255p", "AI Hub marks this device '(Proxy)': a stand-in device for the SA8255P"),
}
DEVICES_HEAD = {
    "Dragonwing IQ-9075 EVK": ("qcs9075", "IQ-9075 EVK = QCS9075"),
}
PREC = {"float": "fp16", "w8a8": "int8", "w8a16": "w8a16"}
RUNTIME_NAME = {"tflite": "TFLite", "qnn_dlc": "QNN (DLC)", "onnx": "ONNX Runtime"}
SHORT = {"snapdragon_8_gen3_hexagon": "sd8g3", "snapdragon_8_elite": "sd8elite", "snapdragon_8_elite_gen5": "sd8elitegen5",
         "snapdragon_7_gen4": "sd7g4", "snapdragon_x_elite": "x-elite", "qcs6490": "qcs6490", "qcm6690": "qcm6690",
         "qcs8550": "qcs8550", "qcs8450": "qcs8450", "sa8295p": "sa8295p", "sa8775p": "sa8775p", "sa7255p": "sa7255p",
         "snapdragon_8_gen2_hexagon": "sd8g2", "qualcomm_rb5_qrb5165": "rb5", "sa8255p": "sa8255p", "qcs9075": "qcs9075"}

def node_at(root, path):
    n = root
    for key in path:
        found = None
        for k, v in n.value:
            if k.value == key:
                found = v
                break
        if found is None:
            return None
        n = found
    return n

def resolution(commit, model):
    info = yaml.safe_load(git_show(REPO, commit, f"qai_hub_models/models/{model}/info.yaml"))
    res = info["technical_details"]["Input resolution"]
    h, w = (int(x) for x in res.lower().split("x"))
    return [1, 3, h, w], res

def rows_for(commit, devices, models, runtimes_for, precisions=("float", "w8a8", "w8a16"), want=None,
             id_suffix="", extra_note=""):
    full = full_commit(REPO, commit)
    out = []
    for m in models:
        path = f"qai_hub_models/models/{m}/perf.yaml"
        try:
            text = git_show(REPO, commit, path)
        except FileNotFoundError:
            continue
        lines = text.split("\n")
        root = yaml.compose(text)
        data = yaml.safe_load(text)
        shape, res = resolution(commit, m)
        fixture, fnote, kind = MODELS[m]
        have = data["precisions"]
        for prec in precisions:
            if prec not in have:
                continue
            if prec == "w8a16" and "w8a8" in have:
                continue  # w8a8 is the int8 row; w8a16 only where no w8a8 is published
            comps = have[prec]["components"]
            (comp, cv), = comps.items()
            for dev, rv in cv["performance_metrics"].items():
                if dev not in devices:
                    continue
                chip, dnote = devices[dev]
                for rt, m_ in rv.items():
                    if rt not in runtimes_for(chip):
                        continue
                    if want and not want(m, prec, chip, rt):
                        continue
                    if m_.get("job_status") != "Passed" or "inference_time_milliseconds" not in m_:
                        continue
                    keypath = ["precisions", prec, "components", comp, "performance_metrics", dev, rt,
                               "inference_time_milliseconds"]
                    node = node_at(root, keypath)
                    ln = node.start_mark.line + 1
                    tv = m_.get("tool_versions", {})
                    rtname = RUNTIME_NAME[rt]
                    ver = tv.get({"tflite": "tflite", "onnx": "onnx_runtime"}.get(rt, ""), "")
                    runtime = f"{rtname} {ver}".strip() + (f" (QAIRT {tv['qairt']})" if "qairt" in tv else "")
                    lc = m_.get("layer_counts", {})
                    unit = m_.get("primary_compute_unit", "")
                    units = {"NPU": "npu", "CPU": "cpu", "GPU": "gpu"}.get(unit, unit.lower())
                    layers = ""
                    if lc:
                        parts = [f"{lc[k]} {k.upper()}" for k in ("npu", "gpu", "cpu") if k in lc]
                        layers = f"layers: {lc.get('total')} total, " + ", ".join(parts)
                    notes = [extra_note, dnote, f"primary compute unit {unit}; {layers}" if layers else f"primary compute unit {unit}"]
                    row = {
                        "id": f"aihub-{m}-{prec}-{SHORT[chip]}-{rt}{id_suffix}",
                        "chip": chip, "device": dev, "power_mode_w": None, "runtime": runtime,
                        "model": comp, "fixture": fixture,
                    }
                    if fnote:
                        row["fixture_note"] = fnote
                    if fixture is None:
                        row["fixture_note"] = fnote
                    # The deployed graph's layers as AI Hub's profiler counts them (and where
                    # they ran): an input of the prediction, like the batch.
                    deployed = {k: lc[k] for k in ("total", "npu", "gpu", "cpu") if k in lc}
                    row.update({"kind": kind, "input": shape, "precision": PREC[prec],
                                "precision_published": prec, "batch": 1, "cores": None, "units": units,
                                "metric": "latency_ms", "mode": "single_stream", "value": m_["inference_time_milliseconds"],
                                **({"layers": deployed} if deployed else {}),
                                "source": {"repo": "quic/ai-hub-models", "path": path, "commit": full,
                                           "line": ln, "key": ".".join(keypath),
                                           "quote": lines[ln - 1].strip()},
                                "notes": "; ".join(n for n in notes if n)})
                    assert str(m_["inference_time_milliseconds"]) in lines[ln - 1]
                    out.append(row)
    return out

MAIN = "052dc1f"
CORE = ["resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_large", "efficientnet_b0", "squeezenet1_1",
        "inception_v3", "densenet121", "convnext_tiny", "vit", "swin_tiny", "yolov8_det"]
EXTRA_CHIPS = {"snapdragon_8_gen3_hexagon", "qcs6490", "sa8775p", "snapdragon_x_elite"}
RUNTIME_SET = {"resnet50", "mobilenet_v2", "vit", "yolov8_det", "swin_tiny", "efficientnet_b0"}

def main():
    rows = []
    # Core models on every device with the TFLite runtime (QNN DLC on X Elite, which publishes no
    # TFLite figure); other models on four chips; QNN and ONNX Runtime beside TFLite on the
    # Galaxy S24 for a few models, to show the runtime spread.
    def rt052(chip):
        if chip == "snapdragon_x_elite":
            return ("qnn_dlc",)
        if chip == "snapdragon_8_gen3_hexagon":
            return ("tflite", "qnn_dlc", "onnx")
        return ("tflite",)
    def want052(m, p, chip, rt):
        if m not in CORE and chip not in EXTRA_CHIPS:
            return False
        if rt != "tflite" and chip == "snapdragon_8_gen3_hexagon":
            return m in RUNTIME_SET
        return True
    rows += rows_for(MAIN, DEVICES_052, list(MODELS), rt052, want=want052)
    few = {"resnet18", "resnet50", "mobilenet_v2", "vit", "yolov8_det"}
    rows += rows_for("660512ac", DEVICES_660, CORE, lambda chip: ("tflite",),
                     want=lambda m, p, chip, rt: chip != "sa8255p" or m in few)
    rows += rows_for("52c080d", DEVICES_HEAD, CORE, lambda chip: ("tflite",))
    # calibration.md's two ResNet-18 rows were read at v0.46.0; kept beside the v0.45.0 ones.
    rows += rows_for("33c3d032", {"Samsung Galaxy S24": DEVICES_052["Samsung Galaxy S24"]}, ["resnet18"],
                     lambda chip: ("tflite",), precisions=("float", "w8a8"), id_suffix="-v0.46.0",
                     extra_note="the calibration rows' release (v0.46.0); the same job at v0.45.0 is the row without the suffix")
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1][:5]
    return rows
if __name__ == "__main__":
    rows = main()
    print(len(rows), file=sys.stderr)
    import collections
    print(collections.Counter(r["chip"] for r in rows), file=sys.stderr)
    print(collections.Counter(r["precision"] for r in rows), file=sys.stderr)
    print(collections.Counter(r["units"] for r in rows), file=sys.stderr)
