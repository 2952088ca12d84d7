#!/usr/bin/python3
"""The Python package against what it wraps, side by side in one run (bench/README.md):

1. tops.load(path) on full-size ResNet-50 (102 MB) against the C++ call it makes,
   ReadModel + ProfileModel timed inside C++ (bench/python/baseline.cc); target: ratio <= 2 of
   the thread's CPU time (wall times are printed too: on a shared machine they carry the
   other processes' load).
2. tops.from_torch(resnet18) against torch.onnx.export alone on the same module with the same
   arguments (eval mode, no_grad, constant folding, to a BytesIO); target: <= +20 %. The export
   inside from_torch is also timed in place, which gives from_torch's own work exactly.

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
EXPORT_ROUNDS = 7
MAX_LOAD_RATIO = 2.0
MAX_EXPORT_OVERHEAD = 0.20


def bench_load(path):
    tops.load(path)  # warm the page cache and the allocator on both sides
    _tops_bench.load_seconds(path)
    cpp_wall, cpp_cpu, py_wall, py_cpu = [], [], [], []
    for _ in range(LOAD_ROUNDS):
        wall, cpu, macs = _tops_bench.load_seconds(path)
        cpp_wall.append(wall)
        cpp_cpu.append(cpu)
        cpu0, wall0 = time.thread_time(), time.perf_counter()
        p = tops.load(path)
        py_wall.append(time.perf_counter() - wall0)
        py_cpu.append(time.thread_time() - cpu0)
        assert p.macs == macs
    med = statistics.median
    ratio = med(py_cpu) / med(cpp_cpu)
    # What a caller then reads: every layer as Python objects, and the CLI's JSON as a dict.
    start = time.perf_counter()
    p = tops.load(path)
    n = len(p.layers)
    layers = time.perf_counter() - start
    start = time.perf_counter()
    p.to_dict()
    as_dict = time.perf_counter() - start
    print(f"tops.load  {path}, medians of {LOAD_ROUNDS} alternating rounds:")
    print(f"           C++ ReadModel+ProfileModel {med(cpp_cpu) * 1e3:.2f} ms CPU "
          f"({med(cpp_wall) * 1e3:.2f} ms wall, best {min(cpp_wall) * 1e3:.2f}); tops.load "
          f"{med(py_cpu) * 1e3:.2f} ms CPU ({med(py_wall) * 1e3:.2f} ms wall, best "
          f"{min(py_wall) * 1e3:.2f}): ratio {ratio:.2f} (target <= {MAX_LOAD_RATIO}, CPU)")
    print(f"           then: load + {n} layers as objects {layers * 1e3:.2f} ms, to_dict() "
          f"{as_dict * 1e3:.2f} ms (one call each, not part of the target)")
    return ratio <= MAX_LOAD_RATIO


def bench_from_torch():
    import torch
    import torchvision
    torch.manual_seed(0)
    module = torchvision.models.resnet18().eval()
    x = torch.randn(1, 3, 224, 224)
    real_export = torch.onnx.export

    def export_alone():
        buf = io.BytesIO()
        with torch.no_grad():
            real_export(module, (x,), buf, input_names=["input"], output_names=None,
                        dynamic_axes=None, do_constant_folding=True)
        return buf

    # The export inside from_torch, timed where it happens: from_torch's own work is the rest.
    inner = []

    def timed_export(*args, **kwargs):
        start = time.perf_counter()
        try:
            return real_export(*args, **kwargs)
        finally:
            inner.append(time.perf_counter() - start)

    export_alone()  # the first export pays one-time costs (tracing setup, imports)
    alone, wrapped, own = [], [], []
    torch.onnx.export = timed_export
    try:
        for _ in range(EXPORT_ROUNDS):
            start = time.perf_counter()
            export_alone()
            alone.append(time.perf_counter() - start)
            inner.clear()
            start = time.perf_counter()
            p = tops.from_torch(module, (1, 3, 224, 224))
            wrapped.append(time.perf_counter() - start)
            own.append(wrapped[-1] - inner[0])
    finally:
        torch.onnx.export = real_export
    a, w, o = statistics.median(alone), statistics.median(wrapped), statistics.median(own)
    print(f"from_torch resnet18: torch.onnx.export alone {a * 1e3:.0f} ms, tops.from_torch "
          f"{w * 1e3:.0f} ms: {100 * (w / a - 1):+.1f} % (target <= "
          f"+{100 * MAX_EXPORT_OVERHEAD:.0f} %); medians of {EXPORT_ROUNDS} alternating rounds; "
          f"{p.macs:,} MACs")
    print(f"           from_torch's own work around its export (input, read of the bytes, "
          f"profile, parameter counts): {o * 1e3:.1f} ms, {100 * o / a:.1f} % of an export")
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
