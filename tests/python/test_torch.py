"""tops.from_torch on torchvision's resnet18 and mobilenet_v2 (Debian's python3-torch and
python3-torchvision): the exported graph profiled in memory gives what the CLI gives on the
exported file, and the parameter counts say why they differ from the module's."""

import pytest
import torch

import tops


def _cli_on_export(cli, profile, tmp_path, name):
    path = tmp_path / f"{name}.onnx"
    profile.torch.save_onnx(path)
    return cli.json("profile", str(path))


def test_resnet18_macs_equal_the_cli_on_the_exported_file(resnet18_torch, cli, tmp_path):
    p = resnet18_torch
    # The published count (torchvision's 1.814 "GFLOPS"; tests/models/README.md, ONNX Runtime).
    assert p.macs == 1_814_073_344
    d = _cli_on_export(cli, p, tmp_path, "resnet18")
    assert d["totals"]["macs"] == p.macs
    assert d["totals"] == p.to_dict()["totals"]
    assert [n["macs"] for n in d["nodes"]] == [n.macs for n in p.layers]


def test_resnet18_parameter_counts(resnet18_torch):
    t = resnet18_torch.torch
    assert t.module_params == 11_689_512  # torchinfo's "Total params"
    assert t.trainable_params == 11_689_512
    assert t.graph_params == resnet18_torch.params == 11_684_712
    # 20 BatchNorm layers, 4,800 channels: 9,600 affine parameters gone, 4,800 biases gained.
    assert (t.batchnorm_layers, t.batchnorm_folded) == (20, True)
    assert (t.batchnorm_params, t.folded_biases) == (9_600, 4_800)
    assert (t.shared_elems, t.other_elems) == (0, 0)
    note = t.params_note
    assert "11,689,512" in note and "11,684,712" in note and "(-4,800)" in note
    assert "BatchNorm" in note and "9,600" in note and "4,800 bias" in note
    assert "module parameters 11,689,512" in resnet18_torch._repr_html_()


def test_mobilenet_v2(mobilenet_v2_torch, cli, tmp_path):
    p = mobilenet_v2_torch
    assert p.macs == 300_774_272  # tests/models/README.md
    assert _cli_on_export(cli, p, tmp_path, "mobilenet_v2")["totals"]["macs"] == p.macs
    t = p.torch
    assert t.module_params == 3_504_872 and t.graph_params == 3_487_816
    assert t.graph_params == (t.module_params - t.batchnorm_params + t.folded_biases)
    assert t.batchnorm_folded and t.other_elems == 0


def test_untrained_module_shares_its_zero_biases():
    import torchvision
    torch.manual_seed(0)
    p = tops.from_torch(torchvision.models.resnet18(), (1, 3, 224, 224))
    t = p.torch
    assert p.macs == 1_814_073_344
    # Freshly initialised BatchNorm folds to all-zero biases, which the exporter stores once.
    assert t.shared_elems > 0 and t.other_elems == 0
    assert t.graph_params == 11_684_712 - t.shared_elems
    assert "stored once" in t.params_note


class Small(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.fc = torch.nn.Linear(8, 4)

    def forward(self, x):
        y = self.conv(x).mean(dim=(2, 3))
        return self.fc(y)


def test_dynamic_batch_and_options(cli, tmp_path):
    m = Small().train()
    p = tops.from_torch(m, (2, 3, 16, 16), dynamic=True)
    assert m.training  # the module's mode is restored
    assert p.inputs[0].shape == ("batch", 3, 16, 16)
    conv = 8 * 3 * 9 * 16 * 16
    assert tops.load(p, dims={"batch": 4}).macs == 4 * (conv + 8 * 4)
    bound = tops.from_torch(m, (2, 3, 16, 16), dynamic=True, dims={"batch": 3})
    assert bound.macs == 3 * (conv + 8 * 4)
    fixed = tops.from_torch(m, example_inputs=torch.randn(1, 3, 16, 16), opset=13,
                            label="small.onnx")
    assert fixed.macs == conv + 8 * 4 and fixed.label == "small.onnx"
    assert fixed.torch.opset == 13 and fixed.opsets[""] == 13
    assert fixed.torch.module_params == fixed.torch.graph_params == 3 * 8 * 9 + 8 + 8 * 4 + 4
    assert fixed.torch.params_note.endswith(": the same.")
    # The exported bytes are kept, and profile the same through the CLI.
    path = tmp_path / "small.onnx"
    path.write_bytes(fixed.torch.onnx_bytes)
    assert cli.json("profile", str(path))["totals"]["macs"] == fixed.macs


def test_two_inputs():
    class Two(torch.nn.Module):
        def forward(self, a, b):
            return a @ b

    p = tops.from_torch(Two(), [(1, 8, 16), (1, 16, 4)])
    assert [i.name for i in p.inputs] == ["input0", "input1"]
    assert p.macs == 8 * 16 * 4


def test_fit_takes_the_exported_profile(resnet18_torch, cli, tmp_path):
    r = tops.fit(resnet18_torch, chip="rk3588", fps=30)
    path = tmp_path / "r18.onnx"
    resnet18_torch.torch.save_onnx(path)
    d = cli.json("fit", str(path), "--chip", "rk3588", "--fps", "30")
    assert r.required_tops == d["required_tops"]
    assert r.predicted.latency_ms == pytest.approx(d["predicted"]["latency_ms"], rel=1e-12)
