"""tops: how much compute an AI model needs, and whether a chip can run it.

The Python face of the ``tops`` command, backed by the same C++ library::

    import tops
    p = tops.load("resnet18.onnx")            # or tops.from_torch(module, (1, 3, 224, 224))
    p.macs, p.params                           # 1814073344, 11684712
    r = tops.fit(p, chip="rk3588", fps=30)     # the article's check and a roofline prediction
    r.required_tops, r.is_sufficient, r.fits
    r.to_dict()                                # `tops fit --format json`

Functions: load, from_torch, sweep, require, fit, rank, whatif, compare, chips, chip, report,
llm and llm_rank (language models), and the layer formulas conv2d_macs, depthwise_macs, linear_macs, matmul_macs.
``tops.compat.ModelComputeAnalyzer`` is the seed article's class. Errors derive from
``tops.Error``. docs/python.md has a worked notebook.
"""

from ._errors import (AnalysisError, CatalogError, ChipError, Error, ExportError,
                      MissingDependencyError, ModelError, OptionError)
from . import _tops
from . import _results  # noqa: F401  (gives the extension's classes their Python methods)
from ._api import (ARTICLE_UTILIZATION, DEFAULT_FPS, chip, chips, compare, fit, llm, llm_rank,
                   load, precisions, rank, report, require, scenarios, sweep, whatif)
from ._results import ChipSheet
from ._torch import TorchExport, from_torch
from ._tops import (ArticleCheck, Catalog, Chip, ChipReport, CompareResult, CompareRow,
                    DecodePoint, Decoder, Diagnostic, Figure, FitResult, Initializer,
                    KvCacheLayer, Layer, LayerEstimate, LlmCalibration, LlmEstimate, LlmMemory,
                    LlmRange, LlmRankResult, LlmRankRow, LlmResult, LlmSummary, ModelDemand,
                    ModelPrediction, Node, OpGroup, Peak,
                    Prediction, PredictionBand, PrecisionRequirement, Profile, QuantInfo, RankExclusion,
                    RankResult, RankRow, Report, Requirement, ScenarioResult, Sweep, TensorInfo,
                    Totals, UnsupportedOp, WhatifResult, build_info, conv2d_macs,
                    counting_conventions, depthwise_macs, linear_macs, matmul_macs)

__version__ = _tops.__version__

__all__ = [
    "load", "from_torch", "sweep", "require", "fit", "rank", "whatif", "compare", "chips", "chip",
    "report", "llm", "llm_rank", "scenarios", "precisions", "build_info", "counting_conventions",
    "conv2d_macs", "depthwise_macs", "linear_macs", "matmul_macs", "DEFAULT_FPS", "ARTICLE_UTILIZATION",
    "Error", "ModelError", "OptionError", "AnalysisError", "ChipError", "CatalogError",
    "MissingDependencyError", "ExportError",
    "Profile", "Layer", "Totals", "TensorInfo", "Diagnostic", "UnsupportedOp", "QuantInfo",
    "OpGroup", "Sweep", "TorchExport", "Requirement", "ModelDemand", "PrecisionRequirement",
    "FitResult", "Prediction", "PredictionBand", "ModelPrediction", "LayerEstimate", "RankResult", "RankRow",
    "RankExclusion", "WhatifResult", "ScenarioResult", "CompareResult", "CompareRow", "Catalog",
    "Chip", "ChipSheet", "Figure", "Peak", "Report", "ChipReport", "ArticleCheck", "Initializer",
    "Node", "LlmSummary", "LlmResult", "LlmEstimate", "LlmRange", "LlmCalibration", "LlmMemory",
    "DecodePoint", "Decoder", "KvCacheLayer", "LlmRankResult", "LlmRankRow", "__version__",
]
