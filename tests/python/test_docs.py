"""docs/python.md is a notebook whose cells are checked: its ```python blocks run as one doctest
from the repository's root, and every output the page shows must be what the cell prints (cells
marked `doctest: +SKIP` show catalog- and calibration-dependent figures and are not compared)."""

import doctest
import os
import re

from conftest import REPO


def notebook_cells() -> str:
    with open(os.path.join(REPO, "docs", "python.md"), encoding="utf-8") as f:
        text = f.read()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 4, "docs/python.md lost its notebook"
    # A printed table has empty lines; inside a block they are output, never a cell boundary.
    return "\n".join(re.sub(r"(?m)^$", "<BLANKLINE>", b.rstrip("\n")) + "\n" for b in blocks)


def test_python_md_cells_print_what_the_page_shows(monkeypatch):
    monkeypatch.chdir(REPO)
    test = doctest.DocTestParser().get_doctest(notebook_cells(), {}, "python.md",
                                                "docs/python.md", 0)
    assert len(test.examples) >= 25
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    failures = []
    runner.run(test, out=failures.append)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, "".join(failures)
    skipped = sum(bool(e.options.get(doctest.SKIP)) for e in test.examples)
    assert result.attempted == len(test.examples) - skipped and skipped <= 6
