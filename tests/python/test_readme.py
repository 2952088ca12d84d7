"""The README's Python example runs and prints what the README shows under it."""

import contextlib
import io
import os
import re

from conftest import REPO


def readme_example():
    """The first ```python block of the README's "## Python" section and the ```text block
    after it (scripts/check-python-clone.sh runs the same pair from a fresh clone)."""
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as f:
        text = f.read()
    section = text[text.index("\n## Python\n"):]
    m = re.search(r"```python\n(.*?)```\s*```text\n(.*?)```", section, re.S)
    assert m, "no python block followed by its output in the README's Python section"
    return m.group(1), m.group(2)


def test_readme_python_example(monkeypatch):
    code, expected = readme_example()
    monkeypatch.chdir(REPO)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {"__name__": "__readme__"})
    assert out.getvalue() == expected
