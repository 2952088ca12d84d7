"""Derives a chip's peak from published measurements, for chips whose vendor publishes none at a
precision: the reference chip's peak times the geometric mean, over every model both chips ran
with the same runtime, precision (as published) and input (batch 1, single stream), of the reference's latency
divided by this chip's. This is the rule docs/hardware.md ("Peaks derived from measurements")
states; the `how` of each derived peak in data/chips/ gives the ratio and the model count this
prints.

    python3 data/measurements/extract/relative_peak.py CHIP REFERENCE PRECISION RUNTIME [REF_PEAK]

RUNTIME is the first word of the rows' runtime (TFLite, QNN, ONNX, ...). Needs PyYAML; reads only
data/measurements/*.yaml. Not part of the test suite (the figures it prints are data)."""
import glob
import math
import os
import sys

import yaml

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def latency_ms(row):
    if row["metric"] == "latency_ms":
        return row["value"]
    if row["metric"] == "fps":
        return 1000.0 / row["value"]
    return None


def rows():
    for f in sorted(glob.glob(os.path.join(HERE, "*.yaml"))):
        for r in yaml.safe_load(open(f))["rows"]:
            yield r


def relative(chip, reference, precision, runtime):
    """{fixture: reference latency / chip latency} over the models both ran alike."""
    by_chip = {chip: {}, reference: {}}
    for r in rows():
        if r["chip"] not in by_chip or r["precision"] != precision:
            continue
        if r["runtime"].split(" ")[0] != runtime or r["batch"] != 1:
            continue
        if r.get("mode", "single_stream") != "single_stream":
            continue
        ms = latency_ms(r)
        if ms:
            by_chip[r["chip"]][(r["fixture"], tuple(r["input"]), r.get("precision_published"))] = ms
    common = sorted(set(by_chip[chip]) & set(by_chip[reference]))
    return {k[0]: by_chip[reference][k] / by_chip[chip][k] for k in common}


def main(argv):
    if len(argv) not in (5, 6):
        sys.exit(__doc__)
    chip, reference, precision, runtime = argv[1:5]
    ratios = relative(chip, reference, precision, runtime)
    if not ratios:
        sys.exit(f"no model ran on both {chip} and {reference} at {precision} under {runtime}")
    for model, r in ratios.items():
        print(f"  {model:24s} {r:.3f}")
    g = math.exp(sum(math.log(r) for r in ratios.values()) / len(ratios))
    print(f"{chip} / {reference} ({precision}, {runtime}): x{g:.3f}, geometric mean over "
          f"{len(ratios)} models")
    if len(argv) == 6:
        print(f"derived peak: {float(argv[5]) * g:.3g}")


if __name__ == "__main__":
    main(sys.argv)
