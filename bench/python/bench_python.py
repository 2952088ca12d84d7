#!/usr/bin/python3
"""The Python package against what it wraps, side by side in one run (bench/README.md):

1. tops.load(path) on full-size ResNet-50 (102 MB) against the C++ call it makes,
   ReadModel + ProfileModel timed inside C++ (bench/python/baseline.cc); target: ratio <= 2.
2. tops.from_torch(resnet50) against torch.onnx.export alone on the same module with the same
   arguments (eval mode, no_grad, constant folding, to a BytesIO); target: <= +20 %.

Rounds alternate between the two sides of each pair, and medians are compared, so machine load
falls on both. Usage (what `make bench` runs, from bench/compare.sh):

    PYTHONPATH=BUILD/python:BUILD/bench/python bench/python/bench_python.py FULL_RESNET50.onnx
Exits 1 when a target is missed.
"""

import io
import statistics
import sys
import time

import _tops_bench
import tops

LOAD_ROUNDS = 31
EXPORT_ROUNDS = 5
MAX_LOAD_RATIO = 2.0
MAX_EXPORT_OVERHEAD = 0.20


def bench_load(path):
    tops.load(path)  # warm the page cache and the allocator on both sides
    _tops_bench.load_seconds(path)
    cpp, py = [], []
    for _ in range(LOAD_ROUNDS):
        seconds, macs = _tops_bench.load_seconds(path)
        cpp.append(seconds)
        start = time.perf_counter()
        p = tops.load(path)
        py.append(time.perf_counter() - start)
        assert p.macs == macs
    c, q = statistics.median(cpp), statistics.median(py)
    # What a caller then reads: every layer as Python objects, and the CLI's JSON as a dict.
    start = time.perf_counter()
    p = tops.load(path)
    n = len(p.layers)
    layers = time.perf_counter() - start
    start = time.perf_counter()
    p.to_dict()
    as_dict = time.perf_counter() - start
    print(f"tops.load  {path}: C++ ReadModel+ProfileModel {c * 1e3:.2f} ms, tops.load "
          f"{q * 1e3:.2f} ms: ratio {q / c:.2f} (target <= {MAX_LOAD_RATIO}); "
          f"medians of {LOAD_ROUNDS} alternating rounds")
    print(f"           then: load + {n} layers as objects {layers * 1e3:.2f} ms, to_dict() "
          f"{as_dict * 1e3:.2f} ms (one call each, not part of the target)")
    return q / c <= MAX_LOAD_RATIO


def bench_from_torch():
    import torch
    import torchvision
    torch.manual_seed(0)
    module = torchvision.models.resnet50().eval()
    x = torch.randn(1, 3, 224, 224)

    def export_alone():
        buf = io.BytesIO()
        with torch.no_grad():
            torch.onnx.export(module, (x,), buf, input_names=["input"], output_names=None,
                              dynamic_axes=None, do_constant_folding=True)
        return buf

    export_alone()  # first export pays one-time costs (tracing setup, imports)
    alone, wrapped = [], []
    for _ in range(EXPORT_ROUNDS):
        start = time.perf_counter()
        export_alone()
        alone.append(time.perf_counter() - start)
        start = time.perf_counter()
        p = tops.from_torch(module, (1, 3, 224, 224))
        wrapped.append(time.perf_counter() - start)
    a, w = statistics.median(alone), statistics.median(wrapped)
    print(f"from_torch resnet50: torch.onnx.export {a * 1e3:.0f} ms, tops.from_torch "
          f"{w * 1e3:.0f} ms: {100 * (w / a - 1):+.1f} % (target <= "
          f"+{100 * MAX_EXPORT_OVERHEAD:.0f} %); medians of {EXPORT_ROUNDS} alternating rounds; "
          f"{p.macs:,} MACs")
    return w / a - 1 <= MAX_EXPORT_OVERHEAD


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    ok = bench_load(sys.argv[1])
    ok = bench_from_torch() and ok
    if not ok:
        print("bench_python: a target was missed")
        sys.exit(1)


if __name__ == "__main__":
    main()
