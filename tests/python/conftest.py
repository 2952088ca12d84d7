"""Fixtures of the Python package's suite (ctest Python.pytest; `make test` runs it).

The package under test is the one on PYTHONPATH (the build tree's python/, set by ctest); the
`tops` binary it is compared with is TOPS_CLI (the same build). PyTorch exports are made once
per session: they are the slow part."""

import json
import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.path.join(REPO, "tests", "models")


def model_path(name: str) -> str:
    return os.path.join(MODELS, name)


@pytest.fixture(scope="session")
def repo() -> str:
    return REPO


@pytest.fixture(scope="session")
def cli_path() -> str:
    path = os.environ.get("TOPS_CLI") or os.path.join(REPO, "build", "tops")
    if not os.access(path, os.X_OK):
        pytest.fail(f"no tops binary at {path} (set TOPS_CLI)")
    return path


class Cli:
    def __init__(self, path: str):
        self.path = path

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        env = dict(os.environ, NO_COLOR="1")
        r = subprocess.run([self.path, *args], cwd=REPO, env=env, capture_output=True,
                           text=True)
        if check and r.returncode != 0:
            raise AssertionError(f"tops {' '.join(args)} exited {r.returncode}: {r.stderr}")
        return r

    def json(self, *args: str) -> dict:
        return json.loads(self.run(*args, "--format", "json").stdout)

    def error(self, *args: str) -> str:
        """The message the CLI prints for a bad input (exit code 2), without its prefix."""
        r = self.run(*args, check=False)
        assert r.returncode == 2, (args, r.returncode, r.stderr)
        text = r.stderr.strip()
        prefix = "tops: error: "
        assert text.startswith(prefix), text
        return text[len(prefix):]


@pytest.fixture(scope="session")
def cli(cli_path) -> Cli:
    return Cli(cli_path)


def _trained_like(model, seed: int):
    """Random BatchNorm statistics and affine parameters, as a trained model has: folded
    biases then differ per channel, as in a real deployment (an untrained model's are all 0)."""
    import torch
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
                n = m.num_features
                m.running_mean.copy_(torch.randn(n, generator=g) * 0.1)
                m.running_var.copy_(torch.rand(n, generator=g) + 0.5)
                m.weight.copy_(torch.rand(n, generator=g) + 0.5)
                m.bias.copy_(torch.randn(n, generator=g) * 0.1)
    return model.eval()


@pytest.fixture(scope="session")
def resnet18_module():
    import torchvision
    import torch
    torch.manual_seed(0)
    return _trained_like(torchvision.models.resnet18(), 1)


@pytest.fixture(scope="session")
def resnet18_torch(resnet18_module):
    import tops
    return tops.from_torch(resnet18_module, (1, 3, 224, 224))


@pytest.fixture(scope="session")
def mobilenet_v2_torch():
    import torchvision
    import torch
    import tops
    torch.manual_seed(0)
    return tops.from_torch(_trained_like(torchvision.models.mobilenet_v2(), 2),
                           (1, 3, 224, 224))
