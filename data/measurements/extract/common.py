"""Shared helpers of the extractors: read a publisher's file at a commit, write rows as YAML."""
import json, os, re, subprocess


def checkout(repo):
    """A git checkout (or bare clone) of the publisher's repository: $PUBLISHER_REPOS/<owner>+<name>
    (its .git directory or the repository itself). Reading a repository needs only `git show`."""
    base = os.environ.get("PUBLISHER_REPOS", "")
    path = os.path.join(base, repo.replace("/", "+"))
    return os.path.join(path, "repo") if os.path.isdir(os.path.join(path, "repo")) else path

def git_show(repo, commit, path):
    r = subprocess.run(["git", "-C", repo, "show", f"{commit}:{path}"], capture_output=True, text=True)
    if r.returncode != 0:
        raise FileNotFoundError(f"{commit}:{path}")
    return r.stdout

def full_commit(repo, commit):
    return subprocess.run(["git", "-C", repo, "rev-parse", commit + "^{commit}"], capture_output=True,
                          text=True, check=True).stdout.strip()

def q(s):
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(s, ensure_ascii=False)

def scalar(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, list):
        return "[" + ", ".join(scalar(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {scalar(x)}" for k, x in v.items()) + "}"
    return q(v)

ORDER = ["id", "chip", "device", "power_mode_w", "runtime", "model", "fixture", "fixture_note",
         "kind", "input", "precision", "precision_published", "batch", "cores", "units", "layers", "metric", "mode",
         "value", "calibration", "source", "notes"]

def emit_row(r):
    lines = []
    first = True
    for k in ORDER:
        if k not in r:
            continue
        v = r[k]
        if k == "source":
            lines.append("    source:")
            for sk in ["repo", "path", "commit", "url", "line", "key", "quote"]:
                if sk in v:
                    lines.append(f"      {sk}: {scalar(v[sk])}")
            continue
        prefix = "  - " if first else "    "
        first = False
        lines.append(f"{prefix}{k}: {scalar(v)}")
    extra = set(r) - set(ORDER)
    assert not extra, extra
    return "\n".join(lines)
