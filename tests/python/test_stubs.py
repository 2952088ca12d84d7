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


def test_result_attributes_exist(resnet18_torch):
    p = resnet18_torch
    f = tops.fit(p, chip="rk3588")
    samples = {"Profile": p, "Layer": p.layers[0], "Totals": p.totals, "FitResult": f,
               "Prediction": f.predicted, "ModelPrediction": f.predicted.models[0],
               "LayerEstimate": f.predicted.models[0].top_layers[0], "TorchExport": p.torch,
               "Chip": tops.chips()["rk3588"]}
    for node in stub_tree().body:
        if isinstance(node, ast.ClassDef) and node.name in samples:
            obj = samples[node.name]
            for item in node.body:
                if isinstance(item, ast.AnnAssign):
                    assert hasattr(obj, item.target.id), f"{node.name}.{item.target.id}"
