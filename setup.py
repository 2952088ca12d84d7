"""Builds and installs the Python package `tops` from a clone, offline:

    python3 -m venv --system-site-packages .venv
    .venv/bin/pip install --no-build-isolation --no-index .

(`make python` does exactly this.) The extension tops._tops is built by CMake in the build tree
TOPS_BUILD_DIR (default ./build, the tree `make` uses), with the library linked in; Debian's
packages are all it needs (scripts/install-deps.sh). Nothing is downloaded.
"""

import glob
import os
import re
import shutil
import subprocess
import sys

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

ROOT = os.path.dirname(os.path.abspath(__file__))


def version() -> str:
    with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as f:
        return re.search(r"project\(tops VERSION ([0-9.]+)", f.read()).group(1)


class BuildWithCMake(build_py):
    """Copies the pure-Python files, then builds the extension and puts it beside them."""

    def run(self):
        super().run()
        build = os.path.abspath(os.environ.get("TOPS_BUILD_DIR", os.path.join(ROOT, "build")))
        # The interpreter pip runs under; in a venv, the one it was made from (same ABI), so
        # that the build tree keeps one interpreter whichever venv installs from it.
        python = getattr(sys, "_base_executable", None) or sys.executable
        configure = ["cmake", "-S", ROOT, "-B", build, "-DTOPS_BUILD_PYTHON=ON",
                     f"-DPython_EXECUTABLE={python}"]
        if not os.path.exists(os.path.join(build, "CMakeCache.txt")):
            configure += ["-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DTOPS_BUILD_BENCH=OFF"]
            if shutil.which("ccache"):
                configure.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
        subprocess.check_call(configure)
        jobs = os.environ.get("JOBS") or str(os.cpu_count() or 2)
        subprocess.check_call(["cmake", "--build", build, "--target", "tops_python", "-j", jobs])
        built = glob.glob(os.path.join(build, "python", "tops", "_tops*.so"))
        if len(built) != 1:
            raise RuntimeError(f"expected one extension in {build}/python/tops, found {built}")
        target = os.path.join(self.build_lib, "tops")
        os.makedirs(target, exist_ok=True)
        shutil.copy2(built[0], target)


class BinaryDistribution(Distribution):
    """The wheel holds a compiled extension: tag it for this platform and interpreter."""

    def has_ext_modules(self):
        return True


setup(
    name="tops",
    version=version(),
    description="How much compute an AI model needs, and whether a chip can run it",
    long_description=open(os.path.join(ROOT, "docs", "python.md"), encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="see the repository",
    python_requires=">=3.9",
    packages=["tops"],
    package_dir={"tops": "python/tops"},
    package_data={"tops": ["*.pyi", "py.typed"]},
    cmdclass={"build_py": BuildWithCMake},
    distclass=BinaryDistribution,
    options={"build": {"build_base": os.path.join("build", "pip")}},
    zip_safe=False,
)
