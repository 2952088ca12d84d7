"""The seed article's Python, backed by tops: change one import and its code runs.

The article ("手把手教你算：用Python快速估算你的AI模型需要多少TOPS算力") counts MACs with thop, then
writes ``ModelComputeAnalyzer`` with ``estimate_requirements`` and ``check_hardware``, and a
``conv2d_macs`` helper. Here the same names take the same arguments and return the same fields;
the counting is tops's and the formulas are the library's own (``RequiredTops``,
``ArticlePrecisionFactor``, ``CheckHardware`` in include/tops/fit.h), the ones ``tops fit``
prints as the article's answer.

    from tops.compat import ModelComputeAnalyzer      # instead of the class the article writes
    analyzer = ModelComputeAnalyzer(models.resnet18())
    analyzer.check_hardware(chip_tops=4.0)
"""

from typing import Any, Dict, Optional, Sequence, Tuple

from . import _api, _tops


def conv2d_macs(in_channels: int, out_channels: int, kernel_size: int, output_size: int) -> int:
    """The article's helper: out_channels * in_channels * kernel_size**2 * output_size**2 MACs
    (square kernel and output, no groups): ``conv2d_macs(3, 64, 7, 112)`` is ResNet's first
    convolution, 118,013,952. ``tops.conv2d_macs`` takes every size separately, groups and
    batch."""
    return _tops.conv2d_macs(in_channels, out_channels, kernel_size, kernel_size, output_size,
                             output_size)


def profile(model, inputs: Sequence[Any]) -> Tuple[float, float]:
    """thop's ``profile(model, inputs=(x,))`` -> (MACs, parameters), counted by tops: MACs of
    convolutions and matrix products in the exported graph (torchvision's "GFLOPS"); thop also
    counts BatchNorm, pooling and activations, so its figure is a little higher (ResNet-18:
    thop about 1.82 G, tops 1,814,073,344). Parameters are the module's, as thop reports."""
    from ._torch import from_torch
    p = from_torch(model, example_inputs=tuple(inputs))
    return float(p.macs), float(p.torch.module_params)


class ModelComputeAnalyzer:
    """The article's analyzer (section 5), with its methods and field names.

    ``model`` is what the article passes, a ``torch.nn.Module`` (profiled through
    ``tops.from_torch`` at ``input_size``), or anything ``tops.load`` takes (a path, bytes, a
    ``tops.Profile``), or a MAC count: the article's worked example in section 3 starts from
    ``model_macs = 1.82e9``, and ``ModelComputeAnalyzer(1.82e9).check_hardware(chip_tops=4.0)``
    gives its published answer, {'required_tops': 0.1092, 'effective_tops': 2.4,
    'is_sufficient': True, 'margin': 2.2908}.

    Fields: ``macs``, ``params`` (thop's pair: MACs and the module's parameter count),
    ``model``, ``input_size``, and ``profile``, the full ``tops.Profile`` (None for a count).

    Where the article's formula differs from tops's default, and why:

    - MACs. The article takes "1.82 G" for ResNet-18 (torchinfo/thop, rounded); tops counts the
      exported graph exactly, 1,814,073,344, so for ``models.resnet18()`` ``check_hardware``
      says required_tops 0.10884 (not 0.1092) and margin 2.29116; the verdict is the same.
      thop's own count (about 1.82 G) adds BatchNorm and pooling, which an inference engine
      fuses or runs outside the MAC units.
    - Precision. ``estimate_requirements`` multiplies the requirement by 2 for FP16 and 4 for
      FP32 (the article's table, an INT8-equivalent figure). The work does not change with
      precision; the chip's peak does. ``tops require`` shows both, and ``tops fit`` compares
      the requirement with the chip's own peak at that precision when the catalog has one.
    - ``check_hardware`` estimates at the article's default 30 FPS (its code passes only the
      precision); ``frame_rate=`` is accepted here for other rates.
    - ``margin`` is ``abs(effective - required)`` as in the article, so a shortfall also reads
      as a positive number: look at ``is_sufficient``.
    - A fixed utilisation (0.6) ignores memory bandwidth, on-chip memory and the op mix;
      ``tops.fit(model, chip=...)`` puts a calibrated per-layer roofline beside it.
    """

    def __init__(self, model, input_size: Sequence[int] = (1, 3, 224, 224)):
        self.model = model
        self.input_size = input_size
        self.profile: Optional[_tops.Profile] = None
        self._calculate_model_stats()

    def _calculate_model_stats(self) -> None:
        m = self.model
        if isinstance(m, (int, float)) and not isinstance(m, bool):
            self.macs = float(m)
            self.params = None
            return
        if hasattr(m, "forward") and hasattr(m, "parameters"):
            from ._torch import from_torch
            self.profile = from_torch(m, tuple(self.input_size))
            self.macs = float(self.profile.macs)
            self.params = float(self.profile.torch.module_params)
            return
        self.profile = _api.load(m)
        self.macs = float(self.profile.macs)
        self.params = float(self.profile.params)

    def estimate_requirements(self, frame_rate: float = 30, precision: str = "int8") -> float:
        """TOPS the model needs: MACs x 2 x frame_rate x precision factor / 10^12 (the
        article's rule; factor 1 for int8, 2 for fp16, 4 for fp32)."""
        factor = _tops.article_precision_factor(precision)
        return _tops.required_tops(self.macs, float(frame_rate), factor)

    def check_hardware(self, chip_tops: float, precision: str = "int8",
                       utilization: float = 0.6, frame_rate: float = 30) -> Dict[str, Any]:
        """The article's verdict: effective = chip_tops x utilization, sufficient when it
        covers the requirement, margin = |effective - required|."""
        required = self.estimate_requirements(frame_rate=frame_rate, precision=precision)
        c = _tops.check_hardware(required, float(chip_tops), float(utilization))
        return {"required_tops": c.required_tops, "effective_tops": c.effective_tops,
                "is_sufficient": c.is_sufficient, "margin": c.margin}
