"""Checks every row read from a repository against the publisher's file: the cited line at the
cited commit must hold the row's value (and, outside Hailo's multi-line tables, its quote).
Needs the publishers' repositories (see common.checkout); not part of the test suite."""
import glob, os, sys
import yaml
from common import checkout, git_show

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    checked = bad = 0
    for f in sorted(glob.glob(os.path.join(HERE, "*.yaml"))):
        for r in yaml.safe_load(open(f))["rows"]:
            s = r["source"]
            if "repo" not in s:
                continue
            try:
                text = git_show(checkout(s["repo"]), s["commit"], s["path"])
            except FileNotFoundError:
                print(f"{r['id']}: {s['repo']} not available here, skipped")
                continue
            line = text.split("\n")[s["line"] - 1]
            v = r["value"]
            forms = {repr(v), f"{v:g}"} | ({str(int(v))} if v == int(v) else set())
            if r["metric"] == "latency_ms" and "(ns)" in line:
                forms.add(str(round(v * 1e6)))
            ok = any(x in line for x in forms)
            if s["repo"] != "hailo-ai/hailo_model_zoo":
                ok = ok and s["quote"] in " ".join(line.split()) or s["quote"] == line.strip()
            checked += 1
            if not ok:
                bad += 1
                print(f"{r['id']}: line {s['line']} of {s['path']} is {line.strip()!r}")
    print(f"{checked} rows checked against their sources, {bad} mismatches")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
