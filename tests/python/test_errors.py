"""Library errors arrive as tops.Error subclasses with the CLI's messages."""

import pathlib
import sys

import pytest

import tops
from conftest import model_path

R18 = model_path("resnet18.onnx")
DYN = model_path("resnet18_dynbatch.onnx")


def test_hierarchy():
    for cls in (tops.ModelError, tops.OptionError, tops.AnalysisError, tops.ChipError,
                tops.CatalogError, tops.MissingDependencyError, tops.ExportError):
        assert issubclass(cls, tops.Error)
    assert issubclass(tops.OptionError, ValueError)
    assert issubclass(tops.AnalysisError, ValueError)
    assert issubclass(tops.ChipError, LookupError)
    assert issubclass(tops.MissingDependencyError, ImportError)


def test_tracebacks_name_the_classes_as_imported():
    import pickle
    import traceback
    with pytest.raises(tops.ChipError) as e:
        tops.fit(R18, chip="rk3599")
    line = traceback.format_exception_only(e.type, e.value)[-1]
    assert line == "tops.ChipError: unknown chip 'rk3599' (see `tops chips`)\n"
    again = pickle.loads(pickle.dumps(e.value))
    assert type(again) is tops.ChipError and str(again) == str(e.value)


def test_model_errors_carry_the_cli_message(cli, tmp_path):
    missing = str(tmp_path / "nope.onnx")
    with pytest.raises(tops.ModelError) as e:
        tops.load(missing)
    assert str(e.value) == cli.error("profile", missing)
    garbage = tmp_path / "garbage.onnx"
    garbage.write_bytes(b"\x00\x01not a model at all")
    with pytest.raises(tops.ModelError) as e:
        tops.load(str(garbage))
    assert str(e.value) == cli.error("profile", str(garbage))
    with pytest.raises(tops.ModelError, match="^x.onnx: "):
        tops.load(garbage.read_bytes(), label="x.onnx")
    truncated = pathlib.Path(R18).read_bytes()[:5000]
    with pytest.raises(tops.ModelError):
        tops.load(truncated)
    with pytest.raises(tops.ModelError):
        tops.fit(missing, chip="rk3588")
    with pytest.raises(tops.ModelError):
        tops.load(b"")


def test_option_errors(cli):
    with pytest.raises(tops.OptionError) as e:
        tops.fit(R18, chip="rk3588", precision="int7")
    assert str(e.value) == cli.error("fit", R18, "--chip", "rk3588", "--precision", "int7")
    with pytest.raises(tops.OptionError) as e:
        tops.load(R18, inputs="input:1xAx3")
    assert str(e.value) == cli.error("profile", R18, "--input", "input:1xAx3")
    with pytest.raises(tops.OptionError) as e:
        tops.load(DYN, dims={"batch": -1})
    assert str(e.value) == cli.error("profile", DYN, "--dim", "batch=-1")
    with pytest.raises(tops.OptionError) as e:
        tops.whatif(R18, chip="rk3588", scenarios=["quantum"])
    assert str(e.value) == cli.error("whatif", R18, "--chip", "rk3588", "--scenario", "quantum")
    with pytest.raises(tops.OptionError):
        tops.load(R18).table(group_by="layer")
    with pytest.raises(tops.OptionError):
        tops.conv2d_macs(0, 64, 7, 7, 112, 112)
    with pytest.raises(ValueError):  # OptionError is a ValueError
        tops.sweep(DYN, "batch", [])


def test_analysis_errors(cli):
    with pytest.raises(tops.AnalysisError) as e:
        tops.load(DYN, dims={"sequence": 8})
    assert str(e.value) == cli.error("profile", DYN, "--dim", "sequence=8")
    with pytest.raises(tops.AnalysisError) as e:
        tops.load(R18, inputs={"image": (1, 3, 224, 224)})
    assert str(e.value) == cli.error("profile", R18, "--input", "image:1x3x224x224")
    with pytest.raises(tops.AnalysisError) as e:
        tops.fit(R18, chip="rk3588", fps=0)
    with pytest.raises(tops.AnalysisError) as e:
        tops.fit(R18, chip="rk3588", utilization=1.5)
    assert str(e.value) == cli.error("fit", R18, "--chip", "rk3588", "--utilization", "1.5")


def test_chip_and_catalog_errors(cli, repo):
    with pytest.raises(tops.ChipError) as e:
        tops.fit(R18, chip="rk3599")
    assert str(e.value) == cli.error("fit", R18, "--chip", "rk3599")
    with pytest.raises(tops.ChipError):
        tops.chip("nope")
    with pytest.raises(tops.ChipError):
        tops.report(R18, chips=["nope"])
    with pytest.raises(LookupError):
        tops.chips()["nope"]
    bad = f"{repo}/tests/hw/data/bad_yaml.yaml"
    with pytest.raises(tops.CatalogError) as e:
        tops.chips(chip_files=[bad])
    assert str(e.value) == cli.error("chips", "--chips", bad)


def test_type_errors():
    with pytest.raises(TypeError):
        tops.load(42)
    with pytest.raises(TypeError):
        tops.fit(chip="rk3588")
    with pytest.raises(TypeError):
        tops.fit((R18, 10, 3), chip="rk3588")


def _hide(monkeypatch, name):
    """`import name` raises ImportError, as on a machine without the package."""
    monkeypatch.setitem(sys.modules, name, None)


def test_missing_torch_is_a_clear_error(monkeypatch):
    _hide(monkeypatch, "torch")
    with pytest.raises(tops.MissingDependencyError, match="python3-torch") as e:
        tops.from_torch(object(), (1, 3, 224, 224))
    assert isinstance(e.value, ImportError)


def test_missing_pandas_is_a_clear_error(monkeypatch):
    p = tops.load(R18)
    _hide(monkeypatch, "pandas")
    with pytest.raises(tops.MissingDependencyError, match="python3-pandas"):
        p.to_pandas()


def test_export_errors_are_wrapped():
    import torch

    class Bad(torch.nn.Module):
        def forward(self, x):
            return torch.linalg.eig(x)[0].real  # no ONNX export for eig

    with pytest.raises(tops.ExportError, match="torch.onnx.export failed on Bad") as e:
        tops.from_torch(Bad(), (1, 4, 4))
    assert e.value.__cause__ is not None
