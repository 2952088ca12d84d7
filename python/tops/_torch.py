"""``tops.from_torch``: a ``torch.nn.Module`` exported with ``torch.onnx.export`` to memory and
profiled by the same library as a file, beside the module's own parameter count."""

import io
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Union

from . import _api, _tops
from ._errors import ExportError, MissingDependencyError


def _torch():
    try:
        import torch
    except ImportError as e:
        raise MissingDependencyError(
            "tops.from_torch needs PyTorch: apt install python3-torch (Debian 12) or pip "
            "install torch; tops.load profiles an exported .onnx file without it") from e
    return torch


@dataclass
class TorchExport:
    """What ``from_torch`` knows beyond the profile: the module's parameters as torchinfo and
    thop count them (``module_params``), the exported graph's (``graph_params``, what tops
    counts in the file), and how the export explains the difference."""

    module_params: int
    trainable_params: int
    graph_params: int
    batchnorm_layers: int = 0
    batchnorm_folded: bool = False
    batchnorm_params: int = 0    # weights and biases of the folded BatchNorm layers
    folded_biases: int = 0       # bias elements the convolutions gained from the folding
    shared_elems: int = 0        # initializer elements the exporter stored once for several uses
    other_elems: int = 0         # the rest: buffers the graph reads, parameters it does not
    opset: Optional[int] = None
    input_names: List[str] = field(default_factory=list)
    _buffer: Any = field(default=None, repr=False)

    @property
    def params_note(self) -> str:
        """One paragraph: the two counts and why they differ."""
        d = self.graph_params - self.module_params
        head = (f"module parameters {self.module_params:,} (torchinfo's Total params); "
                f"exported graph {self.graph_params:,}")
        if d == 0:
            return head + ": the same."
        why = []
        if self.batchnorm_folded and self.batchnorm_params:
            why.append(f"the exporter folded {self.batchnorm_layers} BatchNorm layer(s) into the "
                       f"convolutions before them: their {self.batchnorm_params:,} weights and "
                       f"biases are gone and the convolutions gained {self.folded_biases:,} bias "
                       f"elements")
        if self.shared_elems:
            why.append(f"{self.shared_elems:,} elements of tensors with equal values are stored "
                       f"once and read through Identity nodes (the exporter deduplicates "
                       f"initializers; a freshly initialised model's folded biases are all zero)")
        if self.other_elems:
            why.append(f"{self.other_elems:+,} elements otherwise (buffers the graph reads as "
                       f"weights, parameters the forward pass does not use, tied weights)")
        return head + f" ({d:+,}): " + "; ".join(why) + "."

    @property
    def onnx_bytes(self) -> bytes:
        """The exported ONNX file."""
        return bytes(self._buffer.getbuffer())

    def save_onnx(self, path) -> None:
        """Writes the exported ONNX file (to open in Netron, or to run ``tops`` on it)."""
        with open(path, "wb") as f:
            f.write(self._buffer.getbuffer())

    def __str__(self) -> str:
        return self.params_note


def _example_inputs(torch, module, input_size, example_inputs) -> tuple:
    if example_inputs is not None:
        if isinstance(example_inputs, torch.Tensor):
            return (example_inputs,)
        return tuple(example_inputs)
    if input_size is None:
        raise TypeError("from_torch needs input_size (e.g. (1, 3, 224, 224)) or example_inputs")
    sizes = input_size
    if sizes and all(isinstance(d, int) for d in sizes):
        sizes = [sizes]
    try:
        device = next(module.parameters()).device
    except StopIteration:
        device = torch.device("cpu")
    return tuple(torch.randn(*tuple(s), device=device) for s in sizes)


def _dynamic_axes(dynamic, input_names, output_names) -> Optional[Dict[str, Dict[int, str]]]:
    if not dynamic:
        return None
    if isinstance(dynamic, dict):
        return dynamic
    names = list(input_names) + list(output_names or [])
    return {n: {0: "batch"} for n in names}


def _explain(torch, module, profile, export: TorchExport) -> None:
    """Fills the BatchNorm, sharing and remainder counts from the module and the graph."""
    bns = [m for m in module.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    nodes = profile.nodes
    bn_nodes = sum(1 for n in nodes if n.op == "BatchNormalization")
    export.batchnorm_layers = len(bns)
    export.batchnorm_folded = bool(bns) and bn_nodes == 0
    sizes = {t.name: t.elems for t in profile.initializers}
    # Identity nodes reading an initializer: the exporter's way of using one stored tensor again.
    alias = {}
    for n in nodes:
        if n.op == "Identity" and n.inputs and n.inputs[0] in sizes:
            alias[n.outputs[0]] = n.inputs[0]
            export.shared_elems += sizes[n.inputs[0]]
    if export.batchnorm_folded:
        export.batchnorm_params = sum(
            m.weight.numel() + m.bias.numel() for m in bns if m.affine and m.weight is not None)
        graph_bias = 0
        for n in nodes:
            if n.op in ("Conv", "ConvTranspose") and len(n.inputs) > 2 and n.inputs[2]:
                graph_bias += sizes.get(alias.get(n.inputs[2], n.inputs[2]), 0)
        module_bias = sum(m.bias.numel() for m in module.modules()
                          if isinstance(m, torch.nn.modules.conv._ConvNd) and m.bias is not None)
        export.folded_biases = graph_bias - module_bias
    export.other_elems = (export.graph_params - export.module_params + export.batchnorm_params
                          - export.folded_biases + export.shared_elems)


def from_torch(module, input_size: Union[Sequence[int], Sequence[Sequence[int]], None] = None,
               *, example_inputs=None, dynamic: Union[bool, Dict[str, Dict[int, str]]] = False,
               inputs=None, dims=None, values=None, opset: Optional[int] = None,
               input_names: Optional[Sequence[str]] = None,
               output_names: Optional[Sequence[str]] = None, label: Optional[str] = None,
               export_kwargs: Optional[Dict[str, Any]] = None) -> "_tops.Profile":
    """Profiles a PyTorch module: exports it with ``torch.onnx.export`` to memory (eval mode,
    constant folding, as deployment toolchains do) and reads the bytes like any ONNX file. A
    thop or torchinfo user changes one line.

    input_size: the input's shape, e.g. (1, 3, 224, 224), or a list of shapes for several
    inputs (random float tensors on the module's device); or give ``example_inputs``.
    dynamic: True names dim 0 of every input and output "batch" (bind it with ``dims``);
    a dict is torch's ``dynamic_axes``.
    inputs, dims, values: as for ``tops.load``.

    The result is a ``tops.Profile`` with an extra ``torch`` attribute (``TorchExport``):
    ``module_params`` (what torchinfo prints), ``graph_params`` (the exported graph's, what
    tops counts) and ``params_note`` saying why they differ; ``save_onnx(path)`` keeps the file.
    """
    torch = _torch()
    args = _example_inputs(torch, module, input_size, example_inputs)
    if input_names is None:
        input_names = ["input"] if len(args) == 1 else [f"input{i}" for i in range(len(args))]
    buffer = io.BytesIO()
    kwargs = dict(export_kwargs or {})
    if opset is not None:
        kwargs["opset_version"] = opset
    was_training = module.training
    try:
        module.eval()
        with torch.no_grad():
            torch.onnx.export(module, args, buffer, input_names=list(input_names),
                              output_names=None if output_names is None else list(output_names),
                              dynamic_axes=_dynamic_axes(dynamic, input_names, output_names),
                              do_constant_folding=True, **kwargs)
    except Exception as e:
        raise ExportError(f"torch.onnx.export failed on {type(module).__name__}: {e}") from e
    finally:
        module.train(was_training)
    profile = _tops.load(buffer.getbuffer(), label or f"<torch {type(module).__name__}>",
                         *_api._option_lists(inputs, dims, values))
    params = list(module.parameters())
    export = TorchExport(
        module_params=sum(p.numel() for p in params),
        trainable_params=sum(p.numel() for p in params if p.requires_grad),
        graph_params=profile.params,
        opset=profile.opsets.get(""),
        input_names=list(input_names),
        _buffer=buffer)
    _explain(torch, module, profile, export)
    profile.torch = export
    return profile
