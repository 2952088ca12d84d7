"""tops.load and tops.sweep: the same numbers and the same JSON as `tops profile`."""

import io
import json
import pathlib

import pytest

import tops
from conftest import model_path

RESNET18 = model_path("resnet18.onnx")


@pytest.fixture(scope="module")
def resnet18():
    return tops.load(RESNET18)


def test_load_gives_the_cli_json(resnet18, cli):
    assert resnet18.to_dict() == cli.json("profile", RESNET18)
    assert json.loads(resnet18.to_json()) == resnet18.to_dict()


def test_totals_and_layers(resnet18):
    # tests/models/README.md: ONNX Runtime's executed shapes give these (independent of tops).
    assert resnet18.macs == 1_814_073_344
    assert resnet18.params == 11_684_712
    assert resnet18.totals.macs == resnet18.macs
    assert resnet18.flops == resnet18.totals.flops == 2 * resnet18.macs + resnet18.totals.other_ops
    assert resnet18.node_count == 49 == len(resnet18.layers)
    assert sum(n.macs for n in resnet18.layers) == resnet18.macs
    assert sum(n.params for n in resnet18.layers) == resnet18.params
    first = resnet18.layers[0]
    assert (first.name, first.op, first.macs, first.params) == ("/conv1/Conv", "Conv",
                                                                 118_013_952, 9_472)
    assert first.outputs[0].shape == (1, 64, 112, 112)
    assert first.outputs[0].dtype == "float32"
    assert first.flops == 2 * first.macs + first.other_ops
    assert resnet18.inputs[0].name == "input" and resnet18.inputs[0].shape == (1, 3, 224, 224)
    assert resnet18.format == "onnx" and resnet18.opsets[""] == 13
    assert resnet18.unsupported == [] and resnet18.diagnostics == []
    assert resnet18.layers is resnet18.layers  # built once


def test_heaviest_and_group_by(resnet18, cli):
    top = resnet18.heaviest(3)
    assert [n.macs for n in top] == sorted((n.macs for n in resnet18.layers), reverse=True)[:3]
    groups = {g.op: g for g in resnet18.group_by_op()}
    assert groups["Conv"].count == 20 and groups["Gemm"].count == 1
    assert sum(g.macs for g in groups.values()) == resnet18.macs
    # The same text as the command's table, --top and --group-by included.
    assert resnet18.table(top=3) == cli.run("profile", RESNET18, "--top", "3").stdout
    assert resnet18.table(group_by="op") == cli.run("profile", RESNET18, "--group-by",
                                                    "op").stdout
    assert str(resnet18) == cli.run("profile", RESNET18).stdout
    assert resnet18.to_csv() == cli.run("profile", RESNET18, "--format", "csv").stdout
    assert resnet18.to_markdown(top=5) == cli.run("profile", RESNET18, "--format", "md", "--top",
                                                  "5").stdout
    assert len(resnet18.to_dict(top=2)["nodes"]) == 2


def test_every_source_gives_the_same_profile(resnet18):
    data = pathlib.Path(RESNET18).read_bytes()
    for source in (pathlib.Path(RESNET18), data, bytearray(data), memoryview(data),
                   io.BytesIO(data)):
        p = tops.load(source)
        assert (p.macs, p.params, p.node_count) == (resnet18.macs, resnet18.params, 49)
    assert tops.load(data).label == "<memory>"
    assert tops.load(data, label="r18.onnx").label == "r18.onnx"


def test_tflite_and_config(cli):
    path = model_path("tflite/mobilenet_v1_0.25_128.tflite")
    p = tops.load(path)
    assert p.format == "tflite"
    assert p.to_dict() == cli.json("profile", path)
    cfg = model_path("../llm/configs/qwen2.5-0.5b.json")
    dims = {"batch_size": 1, "sequence_length": 16, "past_sequence_length": 0,
            "total_sequence_length": 16}
    q = tops.load(cfg, dims=dims)
    assert q.format == "hf-config"
    assert q.to_dict() == cli.json("profile", cfg, *[f"--dim={k}={v}" for k, v in dims.items()])
    assert q.macs > 0 and tops.load(cfg).macs == 0  # unbound: costs left out, never guessed


def test_dims_inputs_and_sweep(cli):
    dyn = model_path("resnet18_dynbatch.onnx")
    unbound = tops.load(dyn)
    assert unbound.inputs[0].shape[0] == "batch"
    assert any(d.kind == "unbound_dim" and d.subject == "batch" for d in unbound.diagnostics)
    # tests/models/README.md: resnet18 at batch 4 = 7,256,293,376 MACs (ONNX Runtime shapes).
    assert tops.load(dyn, dims={"batch": 4}).macs == 7_256_293_376
    assert tops.load(dyn, dims=["batch=4"]).macs == 7_256_293_376
    assert tops.load(dyn, inputs={"input": (4, 3, 224, 224)}).macs == 7_256_293_376
    assert tops.load(dyn, inputs="input:4x3x224x224").macs == 7_256_293_376
    s = tops.sweep(dyn, "batch", [1, 4])
    assert [(v, p.macs) for v, p in s.points] == [(1, 1_814_073_344), (4, 7_256_293_376)]
    assert s.points[1][1].bindings == {"batch": 4}
    assert s.to_dict() == cli.json("profile", dyn, "--sweep", "batch=1,4")
    assert s.to_pandas()["macs"].tolist() == [1_814_073_344, 7_256_293_376]


def test_unsupported_ops_are_named():
    p = tops.load(model_path("tflite/edgetpu_compiled.tflite"))
    assert [(u.op, u.count) for u in p.unsupported] == [("tflite.custom::edgetpu-custom-op", 1)]
    assert any("Edge TPU" in d.message for d in p.diagnostics)


def test_to_pandas(resnet18):
    df = resnet18.to_pandas()
    assert len(df) == 49
    assert list(df.columns[:4]) == ["name", "op", "output_shape", "params"]
    assert int(df["macs"].sum()) == resnet18.macs
    assert df.loc[0, "output_shape"] == "[1, 64, 112, 112]"


def test_repr_html(resnet18):
    page = resnet18._repr_html_()
    assert "1,814,073,344" in page and "11,684,712" in page
    assert "/conv1/Conv" in page and "<table>" in page
    assert "The 25 heaviest of 49 layers" in page  # over the inline limit
    small = tops.load(model_path("alexnet.onnx"))
    page = small._repr_html_()
    assert "heaviest" not in page and page.count("<tr>") >= 20 + 7
    assert "&lt;memory&gt;" in tops.load(pathlib.Path(RESNET18).read_bytes())._repr_html_()
    assert repr(resnet18).startswith("<tops.Profile ") and "1,814,073,344 MACs" in repr(resnet18)


def test_formulas_match_tops_calc(cli):
    out = cli.run("calc", "conv2d", "--cin", "3", "--cout", "64", "--kernel", "7", "--out",
                  "112", "--json").stdout
    assert tops.conv2d_macs(3, 64, 7, 7, 112, 112) == json.loads(out)["macs"] == 118_013_952
    assert tops.depthwise_macs(32, 3, 3, 112, 112) == 32 * 9 * 112 * 112
    assert tops.linear_macs(512, 1000) == 512_000
    assert tops.matmul_macs(128, 64, 128, batch=8) == 8 * 128 * 64 * 128


def test_build_info_matches_the_cli(resnet18, cli):
    info = tops.build_info()
    assert tops.__version__ == info["version"]
    assert resnet18.to_dict()["tops"] == {k: info[k] for k in ("version", "catalog", "revision")}
    assert cli.run("--version").stdout.splitlines()[0] == f"tops {info['version']}"
    assert tops.counting_conventions() == resnet18.conventions
