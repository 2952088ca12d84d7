#!/usr/bin/python3
"""Writes ref/<name>.ort.json for a fixture: every node's output shapes as *executed* by ONNX Runtime
on the full-weight model, and MACs computed from those executed shapes by the rule in
tests/models/README.md (Conv out_elems * Cin/group * kh*kw; ConvTranspose in_elems * Cout/group *
kh*kw; Gemm and MatMul out_elems * K).

    /usr/bin/python3 tests/models/ort_reference.py FULL_DIR ORT_NODE_DIR name [name ...]

A model whose input has symbolic dims is run with them bound: `name@RUN:dim=V,dim=V` (for example
`fasterrcnn_mobilenet_v3_large_320_fpn@480x640:height=480,width=640`) writes ref/name@RUN.ort.json.

FULL_DIR holds the full-weight exports of make_fixtures.py; ORT_NODE_DIR is a directory where the npm
package onnxruntime-node is installed (`ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node`,
outside the repository). Every intermediate tensor becomes a graph output, ONNX Runtime runs the
model once on random data (run_ort.js), and the shapes it returns are recorded. The onnx 1.12 shape
inference (python3-onnx) is run beside it only to report where that reference leaves shapes unknown.
"""
import json
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper, shape_inference

HERE = os.path.dirname(os.path.abspath(__file__))


def dims_of(vi):
    t = vi.type.tensor_type
    if not t.HasField("shape"):
        return None
    out = []
    for d in t.shape.dim:
        out.append(d.dim_value if d.HasField("dim_value") else None)
    return out


def params_in_file(model):
    """Initializer elements plus floating-point Constant tensors of 2+ elements (the counting
    convention the tool prints)."""
    n = sum(int(np.prod(t.dims)) for t in model.graph.initializer)
    for node in model.graph.node:
        if node.op_type == "Constant":
            for a in node.attribute:
                if a.name == "value" and a.t.data_type in (1, 10, 11, 16):
                    k = int(np.prod(a.t.dims)) if len(a.t.dims) else 1
                    if k >= 2:
                        n += k
    return n


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    full_dir, ort_dir, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    for arg in names:
        name, tag, bind = arg, "", {}
        if "@" in arg:
            name, rest = arg.split("@", 1)
            tag, _, binding = rest.partition(":")
            for kv in filter(None, binding.split(",")):
                k, v = kv.split("=")
                bind[k] = int(v)
        model = onnx.load(os.path.join(full_dir, name + ".onnx"))
        inferred = shape_inference.infer_shapes(model)
        vinfo = {vi.name: vi for vi in list(inferred.graph.value_info) + list(inferred.graph.output)}
        init = {t.name: list(t.dims) for t in model.graph.initializer}
        consts = {n.output[0] for n in model.graph.node if n.op_type == "Constant"}
        g = model.graph
        existing = {o.name for o in g.output}
        for node in g.node:
            for o in node.output:
                if o and o not in existing:
                    et = vinfo[o].type.tensor_type.elem_type if o in vinfo else 1
                    g.output.append(helper.make_tensor_value_info(o, et, None))
                    existing.add(o)
        all_path = os.path.join(full_dir, name + ".all.onnx")
        onnx.save(model, all_path)
        inp = g.input[0]
        shape = []
        for d in inp.type.tensor_type.shape.dim:
            if d.HasField("dim_value"):
                shape.append(d.dim_value)
            elif d.dim_param in bind:
                shape.append(bind[d.dim_param])
            else:
                sys.exit(f"{name}: input {inp.name} has symbolic dim '{d.dim_param}': "
                         f"give it as {name}@RUN:{d.dim_param}=N")
        out = subprocess.run(["node", os.path.join(HERE, "run_ort.js"), all_path, inp.name,
                              json.dumps(shape)], capture_output=True, text=True,
                             env=dict(os.environ, NODE_PATH=os.path.join(ort_dir, "node_modules")))
        if out.returncode != 0:
            sys.exit(f"{name}: ONNX Runtime failed:\n{out.stderr}")
        run = json.loads(out.stdout)
        shapes = run["shapes"]
        shapes[inp.name] = shape
        for k, v in init.items():
            shapes.setdefault(k, v)
        macs_by = {}
        nodes = []
        missing = 0
        mismatch = []
        for i, node in enumerate(g.node):
            nm = node.name or f"{node.op_type}_{i}"
            outs = [o for o in node.output if o]
            osh = [shapes[o] for o in outs]
            macs = 0
            if node.op_type == "Conv":
                w = shapes[node.input[1]]
                group = next((a.i for a in node.attribute if a.name == "group"), 1)
                macs = int(np.prod(osh[0])) * w[1] * int(np.prod(w[2:]))
                key = "Conv"
                assert w[1] * group == shapes[node.input[0]][1]
            elif node.op_type == "ConvTranspose":  # every input element meets Cout/group kernels
                w = shapes[node.input[1]]
                macs = int(np.prod(shapes[node.input[0]])) * w[1] * int(np.prod(w[2:]))
                key = "ConvTranspose"
            elif node.op_type == "Gemm":
                a = shapes[node.input[0]]
                ta = next((x.i for x in node.attribute if x.name == "transA"), 0)
                k = a[0] if ta else a[1]
                macs = int(np.prod(osh[0])) * k
                key = "Gemm"
            elif node.op_type == "MatMul":
                a = shapes[node.input[0]]
                macs = int(np.prod(osh[0])) * a[-1]
                key = "MatMul_w" if (node.input[1] in init or node.input[1] in consts) else "MatMul_act"
            if macs:
                macs_by[key] = macs_by.get(key, 0) + macs
            # Where does onnx 1.12's inference leave this node's outputs?
            for o, s in zip(outs, osh):
                d = dims_of(vinfo[o]) if o in vinfo else None
                if d is None or any(x is None for x in d):
                    missing += 1
                elif d != s:
                    mismatch.append(o)
            nodes.append({"name": nm, "op": node.op_type, "outputs": outs, "shapes": osh, "macs": macs})
        ref = {"file": name + ".onnx", "run": tag,
               "inputs": [{"name": inp.name, "dtype": "float32", "shape": shape}],
               "ort_version": run["ort_version"], "run_ms": run["run_ms"], "n_nodes": len(g.node),
               "macs": macs_by, "macs_total": sum(macs_by.values()), "nodes_with_unknown_macs": [],
               "onnx_infer_shape_missing_or_partial": missing,
               "onnx_infer_vs_ort_mismatch": mismatch, "n_mismatch": len(mismatch),
               "params_in_file": params_in_file(onnx.load(os.path.join(HERE, name + ".onnx"))),
               "nodes": nodes}
        stem = name + ("@" + tag if tag else "")
        with open(os.path.join(HERE, "ref", stem + ".ort.json"), "w") as f:
            json.dump(ref, f, indent=0)
            f.write("\n")
        os.remove(all_path)
        print(f"{stem}: {len(g.node)} nodes, {ref['macs_total']} MACs, params in file "
              f"{ref['params_in_file']}, onnx 1.12 leaves {missing} outputs unknown")


if __name__ == "__main__":
    main()
