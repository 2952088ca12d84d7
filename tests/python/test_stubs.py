"""The type stubs describe the package as it is: every name, function signature and result
attribute of tops/__init__.pyi exists at run time, and every public name has a stub."""

import ast
import inspect
import os

import tops
from conftest import REPO

STUB = os.path.join(REPO, "python", "tops", "__init__.pyi")


def stub_tree():
    with open(STUB, encoding="utf-8") as f:
        return ast.parse(f.read())


def test_every_stub_name_exists_and_every_public_name_has_a_stub():
    tree = stub_tree()
    names = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    names.discard("_Outputs")
    assert sorted(n for n in names if not hasattr(tops, n)) == []
    public = {n for n in tops.__all__ if not n.isupper() and n != "__version__"}
    assert sorted(public - names) == []


def test_function_keywords_match():
    for node in stub_tree().body:
        if not isinstance(node, ast.FunctionDef):
            continue
        f = getattr(tops, node.name)
        try:
            sig = inspect.signature(f)
        except ValueError:  # extension functions: pybind11 gives no signature
            continue
        stub = [a.arg for a in node.args.args + node.args.kwonlyargs]
        real = [p.name for p in sig.parameters.values()
                if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        assert stub == real, node.name


def _samples(p):
    """One object of every class the stubs describe, from real calls."""
    from conftest import model_path
    f = tops.fit(p, chip="rk3588")
    chip = tops.chips()["rk3588"]
    sweep = tops.sweep(model_path("resnet18_dynbatch.onnx"), "batch", [1, 2])
    unbound = tops.load(model_path("resnet18_dynbatch.onnx"))
    edgetpu = tops.load(model_path("tflite/edgetpu_compiled.tflite"))
    req = tops.require(p)
    rank = tops.rank(p, max_watts=10)
    whatif = tops.whatif(p, chip="rk3588", scenarios=["baseline"])
    compare = tops.compare(p, model_path("mobilenet_v2.onnx"), chip="rk3588")
    report = tops.report(p, chips=["rk3588"], whatif=False)
    qwen = os.path.join(REPO, "tests", "llm", "configs", "qwen2.5-1.5b.json")
    summary = tops.llm(qwen)
    llm = tops.llm(qwen, chip="rk3588", prompt=128, gen=64)
    estimate = llm.estimates[0]
    llm_rank = tops.llm_rank(qwen, tokens_per_s=10, context=1024)
    return {
        "TensorInfo": p.inputs[0], "Layer": p.layers[0], "Totals": p.totals,
        "UnsupportedOp": edgetpu.unsupported[0], "Diagnostic": unbound.diagnostics[0],
        "QuantInfo": p.quant, "OpGroup": p.group_by_op()[0], "Initializer": p.initializers[0],
        "Node": p.nodes[0], "TorchExport": p.torch, "Profile": p, "Sweep": sweep,
        "ModelDemand": req.models[0], "PrecisionRequirement": req.precisions[0],
        "Requirement": req, "LayerEstimate": f.predicted.models[0].top_layers[0],
        "ModelPrediction": f.predicted.models[0], "Prediction": f.predicted, "FitResult": f,
        "PredictionBand": f.predicted.band,
        "Figure": chip.peaks["int8"].dense, "Peak": chip.peaks["int8"], "Chip": chip,
        "ChipSheet": tops.chip("rk3588"), "Catalog": tops.chips(), "RankRow": rank.rows[0],
        "RankExclusion": rank.excluded[0], "RankResult": rank,
        "ScenarioResult": whatif.rows[0], "WhatifResult": whatif,
        "CompareRow": compare.rows[0], "CompareResult": compare,
        "ChipReport": report.chips[0], "Report": report,
        "ArticleCheck": tops._tops.check_hardware(0.1092, 4.0, 0.6),
        "LlmSummary": summary, "Decoder": summary.decoder,
        "KvCacheLayer": summary.decoder.kv_cache[0], "LlmResult": llm, "LlmEstimate": estimate,
        "LlmRange": estimate.ttft_ms, "LlmCalibration": estimate.calibration,
        "DecodePoint": estimate.curve[0], "LlmMemory": estimate.memory,
        "LlmRankResult": llm_rank, "LlmRankRow": llm_rank.rows[0],
    }


def test_result_attributes_exist(resnet18_torch):
    """Every attribute, property and method a class's stub declares is there at run time, on
    an object the package really returns, and of the stub's class."""
    samples = _samples(resnet18_torch)
    described = set()
    for node in stub_tree().body:
        if not isinstance(node, ast.ClassDef) or node.name.startswith("_"):
            continue
        members = [item.target.id for item in node.body if isinstance(item, ast.AnnAssign)]
        members += [item.name for item in node.body if isinstance(item, ast.FunctionDef)]
        if not members or issubclass(getattr(tops, node.name), BaseException):
            continue
        described.add(node.name)
        assert node.name in samples, f"no sample of {node.name}: add one to _samples"
        obj = samples[node.name]
        assert type(obj).__name__ == node.name, (node.name, type(obj))
        for name in members:
            assert hasattr(obj, name), f"{node.name}.{name}"
    assert described == set(samples)
