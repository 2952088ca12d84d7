"""Rows typed from pages and files read one by one (each with its source and quoted line)."""
from common import *

MLP = "mlcommons/inference_results_v3.1"
MLC = "eaf622a25c00f2b4b1d2c4f5b4f430570429d24a"

def mlperf(id_, chip, sut, model, fixture, fnote, kind, shape, scenario, value_line, line_no, value, metric, note):
    mode = {"SingleStream": "single_stream", "Offline": "offline"}[scenario]
    r = {"id": id_, "chip": chip, "power_mode_w": None,
         "runtime": "TensorRT (NVIDIA MLPerf Inference v3.1 submission, LWIS harness)",
         "model": model, "fixture": fixture}
    if fnote:
        r["fixture_note"] = fnote
    r.update({"kind": kind, "input": shape, "precision": "int8", "precision_published": "INT8 (NVIDIA closed-division submission)",
              "batch": 1 if scenario == "SingleStream" else None, "cores": None,
              "units": "gpu+dla" if chip.startswith("jetson") and scenario == "Offline" else "gpu",
              "metric": metric, "mode": mode, "value": value,
              "source": {"repo": MLP, "path": f"closed/NVIDIA/results/{sut}/{model}/{scenario}/performance/run_1/mlperf_log_summary.txt",
                         "commit": MLC, "line": line_no, "quote": value_line},
              "notes": note})
    return r

def nvidia():
    rows = []
    ss = "SingleStream: 90th-percentile latency of one sample at a time (the MLPerf result), converted from ns"
    off = "Offline: samples per second with the harness free to batch and to use every engine"
    agx = "Orin_TRT = Jetson AGX Orin 64GB developer kit (MAXN)"
    nx = "Orin_NX_TRT = Jetson Orin NX 16GB"
    rn = ("MLPerf RetinaNet: ResNeXt50-32x4d FPN, 264 OpenImages classes, 800x800; the fixture ends at the head (anchor decoding and NMS left out)", "detector", [1, 3, 800, 800])
    rows.append(mlperf("mlperf31-resnet50-agx-orin-ss", "jetson_agx_orin_64gb", "Orin_TRT", "resnet50", "resnet50", "MLPerf ResNet-50 v1.5 = torchvision resnet50", "cnn", [1, 3, 224, 224], "SingleStream", "90th percentile latency (ns) : 640258", 7, 0.640258, "latency_ms", f"{agx}; {ss}"))
    rows.append(mlperf("mlperf31-resnet50-agx-orin-offline", "jetson_agx_orin_64gb", "Orin_TRT", "resnet50", "resnet50", "MLPerf ResNet-50 v1.5 = torchvision resnet50", "cnn", [1, 3, 224, 224], "Offline", "Samples per second: 6423.63", 7, 6423.63, "fps", f"{agx}; {off} (GPU + 2 DLA)"))
    rows.append(mlperf("mlperf31-retinanet-agx-orin-ss", "jetson_agx_orin_64gb", "Orin_TRT", "retinanet", "retinanet_resnext50_32x4d_fpn", rn[0], rn[1], rn[2], "SingleStream", "90th percentile latency (ns) : 11672065", 7, 11.672065, "latency_ms", f"{agx}; {ss}"))
    rows.append(mlperf("mlperf31-retinanet-agx-orin-offline", "jetson_agx_orin_64gb", "Orin_TRT", "retinanet", "retinanet_resnext50_32x4d_fpn", rn[0], rn[1], rn[2], "Offline", "Samples per second: 148.713", 7, 148.713, "fps", f"{agx}; {off}"))
    rows.append(mlperf("mlperf31-resnet50-orin-nx-ss", "jetson_orin_nx_16gb", "Orin_NX_TRT", "resnet50", "resnet50", "MLPerf ResNet-50 v1.5 = torchvision resnet50", "cnn", [1, 3, 224, 224], "SingleStream", "90th percentile latency (ns) : 1082300", 7, 1.0823, "latency_ms", f"{nx}; {ss}"))
    rows.append(mlperf("mlperf31-resnet50-orin-nx-offline", "jetson_orin_nx_16gb", "Orin_NX_TRT", "resnet50", "resnet50", "MLPerf ResNet-50 v1.5 = torchvision resnet50", "cnn", [1, 3, 224, 224], "Offline", "Samples per second: 2640.51", 7, 2640.51, "fps", f"{nx}; {off}"))
    rows.append(mlperf("mlperf31-retinanet-orin-nx-ss", "jetson_orin_nx_16gb", "Orin_NX_TRT", "retinanet", "retinanet_resnext50_32x4d_fpn", rn[0], rn[1], rn[2], "SingleStream", "90th percentile latency (ns) : 28625606", 7, 28.625606, "latency_ms", f"{nx}; {ss}"))
    rows.append(mlperf("mlperf31-retinanet-orin-nx-offline", "jetson_orin_nx_16gb", "Orin_NX_TRT", "retinanet", "retinanet_resnext50_32x4d_fpn", rn[0], rn[1], rn[2], "Offline", "Samples per second: 66.5031", 7, 66.5031, "fps", f"{nx}; {off}"))
    l4 = "L4x1_TRT = one NVIDIA L4"
    rows.append(mlperf("mlperf31-resnet50-l4-ss", "nvidia_l4", "L4x1_TRT", "resnet50", "resnet50", "MLPerf ResNet-50 v1.5 = torchvision resnet50", "cnn", [1, 3, 224, 224], "SingleStream", "90th percentile latency (ns) : 348735", 7, 0.348735, "latency_ms", f"{l4}; {ss}"))
    rows.append(mlperf("mlperf31-resnet50-l4-offline", "nvidia_l4", "L4x1_TRT", "resnet50", "resnet50", "MLPerf ResNet-50 v1.5 = torchvision resnet50", "cnn", [1, 3, 224, 224], "Offline", "Samples per second: 12881.7", 7, 12881.7, "fps", f"{l4}; {off}"))
    for r in rows:
        if r["mode"] == "offline":
            r["batch"] = None
    # NVIDIA-AI-IOT/jetson_benchmarks README, Jetson Xavier NX sample output (INT8 default).
    JB = "NVIDIA-AI-IOT/jetson_benchmarks"
    JC = "c029c7de35d69fd85e10b624b4908b6de10194b0"
    csv = "benchmark_csv/nx-benchmarks.csv"
    base = "Xavier NX sample output of benchmark.py (precision argument defaults to int8); trtexec engines run concurrently on the devices and batch sizes the CSV gives"
    for name, fixture, fnote, kind, shape, val, line, devs, bgpu, bdla in [
        ("ResNet50_224x224", "resnet50", "Caffe ResNet-50 (v1); the torchvision v1.5 fixture stands in", "cnn", [1, 3, 224, 224], 824.02, 52, "GPU + 2 DLA", 4, 2),
        ("vgg19_N2", "vgg19", "Caffe VGG-19 = torchvision vgg19 architecture", "cnn", [1, 3, 224, 224], 66.43, 47, "GPU", 1, 0),
        ("inception_v4", "inception_v4", "Inception v4 (TF-slim, 1001 classes) at 299x299", "cnn", [1, 3, 299, 299], 311.73, 46, "GPU + 2 DLA", 2, 1),
        ("ssd-mobilenet-v1", "ssd_mobilenet_v1", "TF1 detection zoo ssd_mobilenet_v1_coco; the fixture ends at the box predictors (the TensorRT sample also decodes and runs NMS)", "detector", [1, 3, 300, 300], 887.6, 53, "GPU + 2 DLA", 8, 2),
        ("yolov3-tiny-416", "yolov3_tiny", "Darknet yolov3-tiny.cfg at 416; the fixture ends at the two detection convs (the yolo layers decode)", "detector", [1, 3, 416, 416], 546.69, 51, "GPU", 8, 0),
    ]:
        r = {"id": f"jetson-benchmarks-{name.lower()}-xavier-nx", "chip": "jetson_xavier_nx", "power_mode_w": None,
             "runtime": "TensorRT 7+ (JetPack 4.4+), trtexec", "model": name, "fixture": fixture, "fixture_note": fnote,
             "kind": kind, "input": shape, "precision": "int8", "precision_published": "int8 (benchmark.py --precision default)",
             "batch": bgpu, "cores": None, "units": "gpu+dla" if "DLA" in devs else "gpu", "metric": "fps", "mode": "streaming",
             "value": val,
             "source": {"repo": JB, "path": "README.md", "commit": JC, "line": line,
                        "quote": f"|  {name if name != 'ssd-mobilenet-v1' else 'ssd-mobilenet-v1'} | {val} |"},
             "notes": f"{base}: {devs}, GPU batch {bgpu}" + (f", DLA batch {bdla}" if bdla else "") + f" ({csv}); power mode not stated for the sample"}
        rows.append(r)
    return rows

def coral():
    rows = []
    url = "https://coral.ai/docs/edgetpu/benchmarks/"
    d = ("Table 1, 'Time per inference, in milliseconds': the model only, without input processing, "
         "C++ benchmark; column 'Desktop CPU + USB Accelerator (USB 3.0) with Edge TPU'")
    for id_, model, fixture, fnote, shape, val, kind in [
        ("coral-mobilenet_v2-usb", "MobileNet v2", "mobilenet_v2", "", [1, 3, 224, 224], 2.6, "cnn"),
        ("coral-mobilenet_v1-usb", "MobileNet v1", "mobilenet_v1", "", [1, 3, 224, 224], 2.4, "cnn"),
        ("coral-resnet50_v1_299-usb", "ResNet-50 V1 (299x299)", "resnet50", "Keras ResNet-50 (v1) at 299x299; the torchvision v1.5 fixture stands in (bind the input to 299x299)", [1, 3, 299, 299], 49.0, "cnn"),
        ("coral-vgg16-usb", "VGG16", "vgg16", "", [1, 3, 224, 224], 296.0, "cnn"),
    ]:
        r = {"id": id_, "chip": "coral_edge_tpu", "device": "Coral USB Accelerator (USB 3.0) on a desktop host",
             "power_mode_w": None, "runtime": "TensorFlow Lite + Edge TPU runtime (libedgetpu)", "model": model,
             "fixture": fixture}
        if fnote:
            r["fixture_note"] = fnote
        r.update({"kind": kind, "input": shape, "precision": "int8", "precision_published": "int8 (Edge TPU runs only fully quantised TFLite)",
                  "batch": 1, "cores": None, "units": "npu", "metric": "latency_ms", "mode": "single_stream", "value": val,
                  "source": {"url": url, "quote": f"{model}: {val:g} ms (Table 1, USB Accelerator column)"},
                  "notes": d + "; the row of the project's original calibration table"})
        rows.append(r)
    url2 = "https://coral.ai/models/all"
    d2 = "coral.ai 'All models' page, image classification table, column 'Latency' (its footnote 1 names the measuring setup)"
    for id_, model, fixture, fnote, shape, val, kind in [
        ("coral-models-inception_v1", "Inception V1 (224x224x3)", "googlenet", "Inception V1 = GoogLeNet (torchvision googlenet)", [1, 3, 224, 224], 3.4, "cnn"),
        ("coral-models-inception_v3_224", "Inception V3 (224x224x3)", "inception_v3", "fixture exported at 299x299; bind the input to 224x224", [1, 3, 224, 224], 13.4, "cnn"),
        ("coral-models-inception_v3_299", "Inception V3 (299x299x3)", "inception_v3", "", [1, 3, 299, 299], 42.8, "cnn"),
        ("coral-models-inception_v4", "Inception V4 (299x299x3)", "inception_v4", "Inception v4 (TF-slim, 1001 classes) at 299x299", [1, 3, 299, 299], 84.7, "cnn"),
        ("coral-models-efficientnet_edgetpu_s", "EfficientNet-EdgeTpu (S)", "efficientnet_edgetpu_s", "tensorflow/tpu efficientnet_edgetpu_builder (width 1.0, depth 1.0) at 224; 1000 classes", [1, 3, 224, 224], 5.0, "cnn"),
        ("coral-models-efficientnet_edgetpu_m", "EfficientNet-EdgeTpu (M)", "efficientnet_edgetpu_m", "tensorflow/tpu efficientnet_edgetpu_builder (width 1.0, depth 1.1) at 240; 1000 classes", [1, 3, 240, 240], 7.3, "cnn"),
        ("coral-models-efficientnet_edgetpu_l", "EfficientNet-EdgeTpu (L)", "efficientnet_edgetpu_l", "tensorflow/tpu efficientnet_edgetpu_builder (width 1.2, depth 1.4) at 300; 1000 classes", [1, 3, 300, 300], 21.3, "cnn"),
    ]:
        r = {"id": id_, "chip": "coral_edge_tpu", "device": "see the page's footnote 1", "power_mode_w": None,
             "runtime": "TensorFlow Lite + Edge TPU runtime (libedgetpu)", "model": model, "fixture": fixture}
        if fnote:
            r["fixture_note"] = fnote
        r.update({"kind": kind, "input": shape, "precision": "int8", "precision_published": "int8",
                  "batch": 1, "cores": None, "units": "npu", "metric": "latency_ms", "mode": "single_stream", "value": val,
                  "source": {"url": url2, "quote": f"{model} ... {val:g} ms"}, "notes": d2})
        rows.append(r)
    return rows
