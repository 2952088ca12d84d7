#!/usr/bin/env python3
"""Man pages and shell completions written by tools/docgen, checked against the binary itself.

- one man page per command of `tops --help`, tops(1) listing them all;
- every page renders without a groff warning;
- every option that `tops CMD --help` prints is in that command's page and its bash completion;
- every `$ tops ...` example of the README is in tops(1) and in its command's page;
- the bash completion completes commands, options and option values, and every value it offers
  (chip ids, precisions, scenarios, formats) is accepted by tops;
- the zsh completion parses (zsh -n) when zsh is installed.

Usage: docs_test.py BUILD_DIR SOURCE_DIR TOPS_BINARY
"""
import os
import re
import shutil
import subprocess
import sys

build, src, tops = (os.path.abspath(a) for a in sys.argv[1:4])
man_dir = os.path.join(build, "docgen", "man")
bash_completion = os.path.join(build, "docgen", "completions", "tops.bash")
zsh_completion = os.path.join(build, "docgen", "completions", "_tops")
model = os.path.join(src, "examples", "resnet18.onnx")
failures = []


def check(ok, message):
    if not ok:
        failures.append(message)


def run(args, cwd=None):
    return subprocess.run([tops] + args, capture_output=True, text=True, cwd=cwd)


def help_commands(args):
    """Subcommand names listed by `tops ARGS --help`."""
    out = run(args + ["--help"]).stdout
    names, inside = [], False
    for line in out.splitlines():
        if line.startswith("Subcommands:"):
            inside = True
            continue
        if inside:
            m = re.match(r"^  (\S+)", line)
            if m:
                names.append(m.group(1))
            elif not line.startswith("   "):
                break
    return names


def help_options(args):
    """Long options `tops ARGS --help` lists (first column of its option lines)."""
    names = set()
    for line in run(args + ["--help"]).stdout.splitlines():
        m = re.match(r"^  ((?:-{1,2}[\w-]+,?)+)", line)
        if m:
            names.update(n for n in m.group(1).split(",") if n.startswith("--"))
    return sorted(names)


def man_text(name):
    """The roff source of a page with the escapes a reader does not see undone."""
    with open(os.path.join(man_dir, name + ".1"), encoding="utf-8") as f:
        return f.read().replace("\\-", "-").replace("\\e", "\\").replace("\\&", "")


def complete(words):
    """What the bash completion offers for the command line `words` (last word being typed)."""
    script = (
        f"source {bash_completion}\n"
        "COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1))\n"
        "_tops\n"
        "printf '%s\\n' \"${COMPREPLY[@]}\"\n"
    )
    out = subprocess.run(["bash", "-c", script, "bash"] + words, capture_output=True, text=True,
                         cwd=os.path.join(src, "examples"))
    check(out.returncode == 0, f"completion of {words} failed: {out.stderr}")
    return [w for w in out.stdout.splitlines() if w]


commands = help_commands([])
check(len(commands) >= 10, f"tops --help lists only {commands}")
main_page = man_text("tops")
for cmd in commands:
    path = os.path.join(man_dir, f"tops-{cmd}.1")
    check(os.path.exists(path), f"no man page for tops {cmd}")
    if not os.path.exists(path):
        continue
    page = man_text(f"tops-{cmd}")
    check(f"tops-{cmd}" in main_page, f"tops(1) does not point to tops-{cmd}(1)")
    options = help_options([cmd])
    for sub in help_commands([cmd]):
        options += help_options([cmd, sub])
    for opt in options:
        check(opt in page, f"tops-{cmd}(1) lacks {opt}")
    offered = set(complete(["tops", cmd, "--"]))
    for opt in help_options([cmd]):
        check(opt in offered, f"bash completion of tops {cmd} lacks {opt}")
pages = sorted(os.listdir(man_dir))
check(sorted(f"tops-{c}.1" for c in commands) + ["tops.1"] ==
      sorted(p for p in pages if p.endswith(".1")), f"unexpected pages: {pages}")
check(all(p + ".gz" in pages for p in pages if p.endswith(".1")), "a page was not compressed")

# Every page renders cleanly.
for page in pages:
    if not page.endswith(".1"):
        continue
    r = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", os.path.join(man_dir, page)],
                       capture_output=True, text=True)
    check(r.returncode == 0 and r.stderr == "", f"groff warns on {page}: {r.stderr}")

# The README's examples are in the pages.
with open(os.path.join(src, "README.md"), encoding="utf-8") as f:
    readme_examples = [l[2:].strip() for l in f if l.startswith("$ tops ")]
check(len(readme_examples) >= 3, "README has fewer than 3 examples")
for ex in readme_examples:
    check(ex in main_page, f"tops(1) lacks the README example: {ex}")
    cmd = ex.split()[1]
    if cmd in commands:
        check(ex in man_text(f"tops-{cmd}"), f"tops-{cmd}(1) lacks the README example: {ex}")

# Bash completion: commands, nested commands, options, values.
check("profile" in complete(["tops", "pro"]), "tops pro<TAB> does not offer profile")
check("conv2d" in complete(["tops", "calc", ""]), "tops calc <TAB> does not offer conv2d")
check("show" in complete(["tops", "chips", ""]), "tops chips <TAB> does not offer show")
check("resnet18.onnx" in complete(["tops", "profile", "res"]), "no file completion for MODEL")
check("--format" in complete(["tops", "profile", "--fo"]), "tops profile --fo<TAB>")
check(complete(["tops", "fit", "x.onnx", "--chip", "rk358"]) == ["rk3588"],
      "tops fit --chip rk358<TAB> does not give rk3588")

# Every value the completion offers is one tops accepts.
for cmd in commands:
    if "--format" not in help_options([cmd]):
        continue
    for fmt in complete(["tops", cmd, "--format", ""]):
        args = {"profile": ["profile", model], "report": ["report", model, "--chip", "rk3588",
                                                          "--no-whatif"],
                "fit": ["fit", model, "--chip", "rk3588"], "require": ["require", model],
                "rank": ["rank", model], "chips": ["chips"],
                "whatif": ["whatif", model, "--chip", "rk3588", "--scenario", "baseline"],
                "compare": ["compare", model, "--chip", "rk3588"],
                "llm": ["llm", os.path.join(src, "tests", "llm", "configs", "qwen2.5-1.5b.json"),
                        "--chip", "rk3588"],
                "llm-calibrate": ["llm-calibrate",
                                  os.path.join(src, "data", "measurements", "llm")],
                "calibrate": ["calibrate",
                              os.path.join(src, "tests", "calibrate", "example_measurements.csv"),
                              "--chip", "rk3588"]}.get(cmd)
        check(args is not None, f"tops {cmd} offers --format {fmt}: add a check here")
        if args:
            # llm-calibrate's rows name their configs relative to the source tree.
            r = run(args + ["--format", fmt], cwd=src if cmd == "llm-calibrate" else None)
            check(r.returncode == 0, f"tops {cmd} --format {fmt} (offered) fails: {r.stderr}")
chips = complete(["tops", "fit", "x.onnx", "--chip", ""])
check(len(chips) >= 20, f"only {len(chips)} chip ids offered")
listed = run(["chips", "--format", "csv"]).stdout.splitlines()[1:]
check(sorted(chips) == sorted(l.split(",")[0] for l in listed),
      "completed chip ids differ from `tops chips`")
for precision in complete(["tops", "fit", "x.onnx", "--precision", ""]):
    r = run(["fit", model, "--chip", "rk3588", "--precision", precision])
    check(r.returncode in (0, 1), f"--precision {precision} (offered) fails: {r.stderr}")
for scenario in complete(["tops", "whatif", "x.onnx", "--scenario", ""]):
    r = run(["whatif", model, "--chip", "rk3588", "--scenario", scenario])
    check(r.returncode == 0, f"--scenario {scenario} (offered) fails: {r.stderr}")

# zsh completion parses.
if shutil.which("zsh"):
    r = subprocess.run(["zsh", "-n", zsh_completion], capture_output=True, text=True)
    check(r.returncode == 0, f"zsh -n {zsh_completion}: {r.stderr}")
with open(zsh_completion, encoding="utf-8") as f:
    zsh = f.read()
check(zsh.startswith("#compdef tops"), "_tops does not start with #compdef tops")
for cmd in commands:
    check(f'("tops {cmd}")' in zsh, f"zsh completion lacks tops {cmd}")

for f in failures:
    print("docs_test: FAIL:", f)
print(f"docs_test: {len(commands)} commands, {len(pages)} files, {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
