import os, sys, collections
from common import *
import aihub, rknn, hailo, manual

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Rows bench/calibration.py uses today: (chip, fixture, precision, value) -> table.
CAL = {
    ("jetson_agx_orin_64gb", 6423.63), ("jetson_agx_orin_64gb", 0.640258), ("nvidia_l4", 12881.7),
    ("rk3588", 450.7), ("rk3588", 110.1), ("hailo_8", 2718.0), ("hailo_8", 1372.0), ("hailo_8", 2597.0),
    ("coral_edge_tpu", 2.6), ("coral_edge_tpu", 2.4),
}
EXTRA = {("rk3568", 180.7), ("rk3568", 37.9), ("rk3576", 467.0), ("rk3576", 99.0), ("rv1126", 322.3), ("rv1126", 36.2),
         ("rv1109", 212.9), ("rv1109", 24.4), ("hailo_8", 3305.0), ("coral_edge_tpu", 49.0), ("coral_edge_tpu", 296.0),
         ("jetson_orin_nx_16gb", 1.0823), ("jetson_orin_nx_16gb", 2640.51)}

def mark(rows):
    for r in rows:
        k = (r["chip"], r["value"])
        cal = None
        if r["id"].endswith("-v0.46.0"):
            cal = "calibration.md"
        elif r["id"].startswith("hailo-") and r["id"].endswith("-v2.17.0") and r["model"] in ("resnet_v1_18", "mobilenet_v2_1.0", "mobilenet_v1") and r["batch"] == 1:
            cal = "extra"
        elif r["id"].startswith("aihub-") and r["source"]["commit"].startswith("052dc1f") and r["chip"] in ("snapdragon_8_gen3_hexagon", "qcs6490") and r["source"]["key"].endswith(".tflite.inference_time_milliseconds"):
            want = {("resnet50", "int8"), ("resnet50", "fp16"), ("mobilenet_v2", "int8"), ("mobilenet_v2", "fp16"),
                    ("mobilenet_v3_large", "fp16"), ("mobilenet_v3_small", "fp16"), ("efficientnet_b0", "fp16")}
            if r["chip"] == "qcs6490":
                want = {("resnet18", "int8"), ("resnet50", "int8"), ("mobilenet_v2", "int8")}
            if (r["fixture"], r["precision"]) in want:
                cal = "extra"
        elif k in CAL and not r["id"].startswith("coral-models") and r["model"] not in ("mobilenet_v1",) or (k in CAL and r["chip"] == "coral_edge_tpu" and r["id"].startswith("coral-mobilenet")):
            cal = "calibration.md"
        elif k in EXTRA:
            cal = "extra"
        if cal:
            r["calibration"] = cal
    return rows

HEADERS = {
    "qualcomm_ai_hub": dict(
        title="Qualcomm AI Hub model cards: per-device latency in each model's perf.yaml",
        source="quic/ai-hub-models, qai_hub_models/models/<model>/perf.yaml (and info.yaml for the input size)",
        metric="latency_ms: 'inference_time_milliseconds' of an AI Hub profile job, one inference at batch 1 on the device, the model compiled for the named runtime; AI Hub does not state the statistic in the repository",
        notes="Main release v0.45.0 (052dc1f); Galaxy S23, RB5 and SA8255 rows from v0.37.0 (660512ac), the last release that lists those devices; IQ-9075 EVK from v0.46.1 (52c080d). 'float' models run at FP16 on the NPU, 'w8a8' is int8 weights and activations, 'w8a16' int8 weights with int16 activations. Devices marked '(Proxy)' are stand-ins of the same chip family."),
    "rockchip_rknn_model_zoo": dict(
        title="Rockchip rknn_model_zoo benchmark table (README, v2.3.2)",
        source="airockchip/rknn_model_zoo README.md, section 'Model performance benchmark(FPS)'",
        metric="fps: 1 / inference time at batch 1 (the README: the time of model inference, without pre- or post-processing, at the maximum NPU frequency); RK3588 and RK3576 on one NPU core",
        notes="The README's RTF rows (speech) and rows of models without a vision fixture family are left out."),
    "hailo_model_zoo": dict(
        title="Hailo Model Zoo public model tables per device",
        source="hailo-ai/hailo_model_zoo docs/public_models/<DEVICE>/<DEVICE>_{classification,object_detection}.rst",
        metric="fps: 'FPS (Batch Size=1)' and 'FPS (Batch Size=8)' in performance mode: frames streamed continuously through the device; Hailo pipelines layers across the chip, so batch-1 FPS is a throughput, not 1 / latency. A batch-8 row is kept only where it differs from batch 1 (a network split into several contexts).",
        notes="Hailo-8 and Hailo-8L tables compiled with the Dataflow Compiler v3.33.0, Hailo-15H/15L/10H with v5.2.0 (the runtime field names the version read from each page)."),
    "mlperf_inference": dict(
        title="MLPerf Inference v3.1, closed division, NVIDIA submissions",
        source="mlcommons/inference_results_v3.1 closed/NVIDIA/results/<system>/<model>/<scenario>/performance/run_1/mlperf_log_summary.txt",
        metric="SingleStream: latency_ms = the 90th-percentile latency of one sample at a time (the MLPerf result, published in ns); Offline: fps = samples per second with the harness free to batch and to use every engine of the system",
        notes=""),
    "nvidia_jetson_benchmarks": dict(
        title="NVIDIA jetson_benchmarks sample output (Jetson Xavier NX)",
        source="NVIDIA-AI-IOT/jetson_benchmarks README.md and benchmark_csv/nx-benchmarks.csv",
        metric="fps: frames per second of trtexec engines run concurrently on the listed devices at the CSV's batch sizes (a throughput)",
        notes=""),
    "google_coral": dict(
        title="Google Coral Edge TPU benchmark pages",
        source="https://coral.ai/docs/edgetpu/benchmarks/ (Table 1) and https://coral.ai/models/all",
        metric="latency_ms: time per inference of the model alone (no input processing)",
        notes="The four Table 1 rows are the rows of the project's original calibration table; the quote gives the cell."),
}

def write(name, rows):
    h = HEADERS[name]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), name
    text = ["# Published measurements. Schema and field meanings: data/measurements/README.md.",
            "# Written by data/measurements/extract/ from the publisher's own files; do not edit by hand",
            "# without changing the extractor the same way.",
            "schema_version: 1",
            f"publisher: {q(name)}",
            f"title: {q(h['title'])}",
            f"source: {q(h['source'])}",
            f"metric_definition: {q(h['metric'])}"]
    if h["notes"]:
        text.append(f"notes: {q(h['notes'])}")
    text.append("rows:")
    for r in rows:
        text.append(emit_row(r))
    open(f"{OUT}/{name}.yaml", "w").write("\n".join(text) + "\n")
    print(name, len(rows), collections.Counter(r.get("calibration") for r in rows))

if __name__ == "__main__":
    import os
    os.makedirs(OUT, exist_ok=True)
    write("qualcomm_ai_hub", mark(aihub.main()))
    write("rockchip_rknn_model_zoo", mark(rknn.main()))
    write("hailo_model_zoo", mark(hailo.main()))
    nv = mark(manual.nvidia())
    write("mlperf_inference", [r for r in nv if r["id"].startswith("mlperf")])
    write("nvidia_jetson_benchmarks", [r for r in nv if r["id"].startswith("jetson-benchmarks")])
    write("google_coral", mark(manual.coral()))
