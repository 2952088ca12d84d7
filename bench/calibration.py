#!/usr/bin/env python3
"""Cross-validated predictions of every published measurement (data/measurements).

Runs `tops calibrate data/measurements --format json`: the solver fits each (chip family,
runtime) group's figures and predicts every row with figures solved without it (leave one
row out), without every row of its model (leave one model out) and without every row of its
chip (leave one chip out). Prints, per table, the share within a factor 1.5 and 2 and the
median |log2(predicted / measured)|, by group and model kind, beside the seed article's fixed
rule (latency = 2 x MACs / (dense peak x 0.6)).

With --check, exits 1 when the leave-one-out figures fall below the floors the project keeps
(FLOORS below; raise them when the model improves, never lower them silently).

Usage: bench/calibration.py [path/to/tops] [--check] [--markdown] [--rows]
"""
import collections
import json
import math
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Leave-one-out floors (percent within a factor 1.5, median |log2|, percent inside the band).
FLOORS = {"within_1_5_percent": 80.0, "median_abs_log2": 0.30, "in_band_percent": 85.0}


def kinds():
    """Row id -> model kind, read from the measurement files (no YAML library needed)."""
    out = {}
    for name in sorted(os.listdir(os.path.join(ROOT, "data", "measurements"))):
        if not name.endswith(".yaml"):
            continue
        row = None
        with open(os.path.join(ROOT, "data", "measurements", name), encoding="utf-8") as f:
            for line in f:
                s = line.strip()
                if s.startswith("- id:"):
                    row = s.split(":", 1)[1].strip().strip('"')
                elif s.startswith("kind:") and row:
                    out[row] = s.split(":", 1)[1].strip().strip('"')
    return out


def stats(pairs):
    logs = [abs(math.log2(p / m)) for p, m in pairs if p and p > 0]
    if not logs:
        return (0, 0.0, 0.0, 0.0)
    logs.sort()
    n = len(logs)
    w15 = sum(1 for v in logs if v <= math.log2(1.5) + 1e-12)
    w2 = sum(1 for v in logs if v <= 1 + 1e-12)
    median = logs[n // 2] if n % 2 else (logs[n // 2 - 1] + logs[n // 2]) / 2
    return (n, 100.0 * w15 / n, 100.0 * w2 / n, median)


def table(title, rows, key, markdown):
    groups = collections.defaultdict(list)
    for r in rows:
        groups[key(r)].append(r)
    print(f"\n{title}\n")
    head = ("by", "rows", "LOO 1.5x", "LOMO 1.5x", "LOCO 1.5x", "article 1.5x", "LOO med|log2|")
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|---|" + "---:|" * (len(head) - 1))
    else:
        print(f"{head[0]:34s} {head[1]:>5s} {head[2]:>9s} {head[3]:>9s} {head[4]:>9s} "
              f"{head[5]:>12s} {head[6]:>13s}")
    for g in sorted(groups):
        rs = groups[g]
        loo = stats([(r["loo_ms"], r["measured_ms"]) for r in rs])
        lomo = stats([(r.get("lomo_ms"), r["measured_ms"]) for r in rs])
        loco = stats([(r.get("loco_ms"), r["measured_ms"]) for r in rs])
        art = stats([(r["article_ms"], r["measured_ms"]) for r in rs])
        cells = (g, str(loo[0]), f"{loo[1]:.0f}%", f"{lomo[1]:.0f}%", f"{loco[1]:.0f}%",
                 f"{art[1]:.0f}%", f"{loo[3]:.2f}")
        if markdown:
            print("| " + " | ".join(cells) + " |")
        else:
            print(f"{cells[0]:34s} {cells[1]:>5s} {cells[2]:>9s} {cells[3]:>9s} {cells[4]:>9s} "
                  f"{cells[5]:>12s} {cells[6]:>13s}")


def main(argv):
    tops = os.path.join(ROOT, "build", "tops")
    flags = [a for a in argv if a.startswith("--")]
    paths = [a for a in argv if not a.startswith("--")]
    if paths:
        tops = paths[0]
    cmd = [tops, "calibrate", os.path.join(ROOT, "data", "measurements"), "--models",
           os.path.join(ROOT, "tests", "models"), "--format", "json"]
    if "--check" in flags:
        cmd.append("--no-cross-validation")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    result = json.loads(out)
    kind = kinds()
    used = [r for r in result["rows"] if r.get("loo_ms")]
    for r in used:
        r["kind"] = kind.get(r["row"], "?")
    markdown = "--markdown" in flags
    if "--rows" in flags:
        for r in used:
            print(f"{r['row']:44s} {r['group']:28s} measured {r['measured_ms']:9.4g} ms  "
                  f"left out {r['loo_ms']:9.4g} ms  ratio {r['loo_ms'] / r['measured_ms']:5.2f}  "
                  f"likely {r['band_low_ms']:.3g}-{r['band_high_ms']:.3g}")
    skipped = [r for r in result["rows"] if r.get("skipped")]
    print(f"{len(used)} rows predicted, {len(skipped)} skipped (no fixture, or no peak at the "
          "row's precision: `tops calibrate data/measurements` lists why)")
    for name, key in (("in sample", "in_sample"), ("leave one row out", "leave_one_out"),
                      ("  fixture's layers", "leave_one_out_fixture_layers"),
                      ("leave one model out", "leave_one_model_out"),
                      ("leave one chip out", "leave_one_chip_out"),
                      ("article's rule", "article_rule")):
        s = result.get(key, {"rows": 0})
        if s["rows"]:
            print(f"  {name:22s} {s['rows']:4d} rows  {s['within_1_5_percent']:5.1f}% within 1.5x  "
                  f"{s['within_2_percent']:5.1f}% within 2x  median |log2| "
                  f"{s['median_abs_log2']:.3f}")
    print(f"  {result['leave_one_out_in_band_percent']:.1f}% of the left-out measurements inside "
          "the printed range")
    if "--check" not in flags:
        table("By group (family/runtime)", used, lambda r: r["group"], markdown)
        table("By model kind", used, lambda r: r["kind"], markdown)
    loo = result["leave_one_out"]
    failures = []
    if loo["within_1_5_percent"] < FLOORS["within_1_5_percent"]:
        failures.append(f"within 1.5x {loo['within_1_5_percent']:.1f}% < "
                        f"{FLOORS['within_1_5_percent']}%")
    if loo["median_abs_log2"] > FLOORS["median_abs_log2"]:
        failures.append(f"median |log2| {loo['median_abs_log2']:.3f} > "
                        f"{FLOORS['median_abs_log2']}")
    if result["leave_one_out_in_band_percent"] < FLOORS["in_band_percent"]:
        failures.append(f"in band {result['leave_one_out_in_band_percent']:.1f}% < "
                        f"{FLOORS['in_band_percent']}%")
    if "--check" in flags and failures:
        print("FAIL: leave-one-out below the floor: " + "; ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
