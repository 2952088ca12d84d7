"""The seed article's Python through tops.compat: its own code with one import changed."""

import pytest

import tops
from tops import compat


def test_article_code_runs_with_one_import_changed(resnet18_module):
    # Section 5 of the article, verbatim except the import (and the model built once per
    # session rather than again: the same models.resnet18()).
    from tops.compat import ModelComputeAnalyzer
    analyzer = ModelComputeAnalyzer(resnet18_module)
    result = analyzer.check_hardware(chip_tops=4.0)
    assert set(result) == {"required_tops", "effective_tops", "is_sufficient", "margin"}
    # The exact count: 2 x 1,814,073,344 x 30 / 1e12 (docs/conventions.md), not "1.82 G".
    assert result["required_tops"] == pytest.approx(0.10884440064, abs=1e-12)
    assert result["effective_tops"] == pytest.approx(2.4, abs=1e-12)
    assert result["is_sufficient"] is True
    assert result["margin"] == pytest.approx(2.4 - 0.10884440064, abs=1e-12)
    assert analyzer.macs == 1_814_073_344
    assert analyzer.params == 11_689_512  # the module's, as thop reports
    assert analyzer.profile.macs == analyzer.macs


def test_article_worked_example_gives_its_published_answer():
    # Section 3: model_macs = 1.82e9, 30 FPS, INT8; section 5 prints the check on a 4-TOPS chip.
    analyzer = compat.ModelComputeAnalyzer(1.82e9)
    assert analyzer.estimate_requirements(frame_rate=30, precision="int8") == pytest.approx(
        0.1092, abs=1e-12)
    result = analyzer.check_hardware(chip_tops=4.0)
    assert {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()} == {
        "required_tops": 0.1092, "effective_tops": 2.4, "is_sufficient": True, "margin": 2.2908}
    assert result["margin"] == pytest.approx(2.2908, abs=1e-12)
    # The article's precision table (section 3.2): 0.11 / 0.22 / 0.44.
    assert [f"{analyzer.estimate_requirements(precision=p):.2f}"
            for p in ("int8", "fp16", "fp32")] == ["0.11", "0.22", "0.44"]
    short = analyzer.check_hardware(chip_tops=0.1)
    assert short["is_sufficient"] is False and short["margin"] == pytest.approx(0.0492, abs=1e-12)
    assert analyzer.check_hardware(4.0, frame_rate=60)["required_tops"] == pytest.approx(0.2184)


def test_article_figures_agree_with_tops_fit(resnet18_torch):
    # The same formulas the CLI uses for the article's fields: a chip whose peak is 4 TOPS
    # is not in the catalog, so compare with rk3588 (6 TOPS INT8).
    a = compat.ModelComputeAnalyzer(resnet18_torch).check_hardware(chip_tops=6.0)
    f = tops.fit(resnet18_torch, chip="rk3588")
    assert a["required_tops"] == f.required_tops
    assert a["effective_tops"] == f.effective_tops
    assert a["margin"] == f.margin and a["is_sufficient"] is f.is_sufficient


def test_other_model_kinds_and_helpers(repo):
    a = compat.ModelComputeAnalyzer(f"{repo}/tests/models/mobilenet_v2.onnx")
    assert a.macs == 300_774_272 and a.params == 3_487_816
    # The article's conv2d_macs: ResNet's first convolution.
    assert compat.conv2d_macs(3, 64, 7, 112) == 118_013_952
    with pytest.raises(tops.OptionError):
        a.estimate_requirements(precision="int3")
    assert "1,814,073,344" in compat.ModelComputeAnalyzer.__doc__


def test_thop_style_profile():
    import torch
    m = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.Flatten(),
                            torch.nn.Linear(4 * 6 * 6, 2))
    macs, params = compat.profile(m, inputs=(torch.randn(1, 3, 8, 8),))
    assert macs == 4 * 3 * 9 * 36 + 144 * 2
    assert params == sum(p.numel() for p in m.parameters())
