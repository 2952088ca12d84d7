"""The entry points of ``import tops``: keyword arguments in, typed results out.

Each function takes the options of the ``tops`` command of the same name as keyword arguments
(``--fps`` is ``fps=``, ``--input NAME:1x3x224x224`` is ``inputs={"NAME": (1, 3, 224, 224)}``,
``--chips FILE`` is ``chip_files=[FILE]``) and hands them to the C++ library in the command's own
syntax, so that parsing, policy (batch binding, precision choice) and every number are the
library's. Results convert to the command's JSON with ``to_dict()`` / ``to_json()``.
"""

import io
import os
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _tops
from ._errors import OptionError

DEFAULT_FPS = _tops.DEFAULT_FPS
ARTICLE_UTILIZATION = _tops.ARTICLE_UTILIZATION


def _dim_text(d: Any) -> str:
    if isinstance(d, bool):
        raise OptionError(f"a dim is an integer or a symbol name, not {d!r}")
    return str(d)


def _number_text(v: Any) -> str:
    if isinstance(v, bool):
        return str(int(v))
    return repr(v) if isinstance(v, float) else str(v)


def _strings(arg: Any, what: str, item) -> List[str]:
    """A mapping {NAME: value}, an iterable of "NAME..." strings, or one string."""
    if arg is None:
        return []
    if isinstance(arg, str):
        return [arg]
    if isinstance(arg, Mapping):
        return [item(str(k), v) for k, v in arg.items()]
    try:
        items = list(arg)
    except TypeError:
        raise TypeError(f"{what}: a mapping or a list of strings, got {type(arg).__name__}")
    for s in items:
        if not isinstance(s, str):
            raise TypeError(f"{what}: a mapping or a list of strings, got an item {s!r}")
    return items


def _shape_item(name: str, shape: Any) -> str:
    if isinstance(shape, str):
        return f"{name}:{shape}"
    try:
        dims = list(shape)
    except TypeError:
        raise TypeError(f"inputs: the shape of {name!r} is a sequence of dims, got {shape!r}")
    return f"{name}:" + "x".join(_dim_text(d) for d in dims)


def _value_item(name: str, value: Any) -> str:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        return f"{name}={_number_text(value)}"
    return f"{name}=" + ",".join(_number_text(v) for v in value)


def _option_lists(inputs, dims, values) -> Tuple[List[str], List[str], List[str]]:
    return (_strings(inputs, "inputs", _shape_item),
            _strings(dims, "dims", lambda k, v: f"{k}={_dim_text(v)}"),
            _strings(values, "values", _value_item))


def _options(inputs, dims, values) -> "_tops.ProfileOptions":
    return _tops.ProfileOptions(*_option_lists(inputs, dims, values))


def _source(model: Any) -> Any:
    """What the extension accepts: a str path, a bytes-like object, or a Profile."""
    if isinstance(model, (_tops.Profile, str, bytes, bytearray, memoryview)):
        return model
    if isinstance(model, os.PathLike):
        return os.fspath(model)
    if isinstance(model, io.BytesIO):
        return model.getbuffer()
    if hasattr(model, "forward") and hasattr(model, "parameters"):
        raise TypeError("a torch.nn.Module is profiled with tops.from_torch(module, input_size)")
    raise TypeError("a model is a path, bytes of a model file or a tops.Profile, got "
                    f"{type(model).__name__}")


def _model_list(models: Sequence[Any], label: Optional[str] = None) -> list:
    """(model, label, fps) tuples; (model, fps) pairs give a model its own frame rate."""
    if not models:
        raise TypeError("no model given")
    out = []
    for m in models:
        fps = None
        if isinstance(m, tuple):
            if len(m) != 2:
                raise TypeError("a model with its own frame rate is a (model, fps) pair, got "
                                f"a tuple of {len(m)}")
            m, fps = m
            fps = float(fps)
        out.append((_source(m), label or "", fps))
    return out


def _str_list(arg: Any, what: str) -> List[str]:
    if arg is None:
        return []
    if isinstance(arg, (str, os.PathLike)):
        return [os.fspath(arg)]
    return [os.fspath(a) for a in arg]


def load(model, *, inputs=None, dims=None, values=None, label: Optional[str] = None
         ) -> "_tops.Profile":
    """Profiles a model, as ``tops profile``: parameters, MACs, FLOPs, bytes and activation
    memory per layer and in total.

    model: a path (ONNX, TensorFlow Lite or a Hugging Face config.json: the format is read from
    the content), the bytes of such a file, or an io.BytesIO.
    inputs: {name: shape} full shapes of graph inputs (``--input``); a dim may be a symbol name.
    dims: {symbol: value} bindings of symbolic dims (``--dim``), e.g. {"batch": 4}.
    values: {name: value or values} of small graph inputs (``--value``).
    label: names bytes in messages and outputs (default "<memory>").
    """
    return _tops.load(_source(model), label or "", *_option_lists(inputs, dims, values))


def sweep(model, dim: str, points: Iterable[int], *, inputs=None, dims=None, values=None,
          label: Optional[str] = None) -> "_tops.Sweep":
    """One profile per value of a symbolic dim, as ``tops profile --sweep DIM=V1,V2,...``."""
    spec = f"{dim}=" + ",".join(_dim_text(v) for v in points)
    return _tops.sweep(_source(model), label or "", *_option_lists(inputs, dims, values), spec)


def require(*models, fps: float = DEFAULT_FPS, inputs=None, dims=None, values=None
            ) -> "_tops.Requirement":
    """The compute the models need at their frame rates, per precision, as ``tops require``.
    A model may be a (model, fps) pair for its own rate; the loads add up."""
    return _tops.require(_model_list(models), float(fps), _options(inputs, dims, values))


def fit(*models, chip: str, fps: float = DEFAULT_FPS, precision: Optional[str] = None,
        runtime: Optional[str] = None, utilization: float = ARTICLE_UTILIZATION,
        power: Optional[float] = None, throughput: bool = False, top: int = 5, inputs=None,
        dims=None, values=None, chip_files=None) -> "_tops.FitResult":
    """Can this chip run the model(s)? As ``tops fit``: the seed article's check_hardware
    (required_tops, effective_tops, is_sufficient, margin) beside a per-layer roofline
    prediction (latency, FPS, utilisation, bound, energy); ``fits`` is the verdict.
    ``runtime`` picks the runtime whose solved figures the prediction uses (``--runtime``;
    default the vendor's own; ``tops.chip(ID)`` lists them)."""
    return _tops.fit(_model_list(models), chip, runtime, float(fps), precision,
                     float(utilization), None if power is None else float(power),
                     bool(throughput), int(top), _options(inputs, dims, values),
                     _str_list(chip_files, "chip_files"))


def rank(*models, fps: float = DEFAULT_FPS, precision: Optional[str] = None,
         utilization: float = ARTICLE_UTILIZATION, max_watts: Optional[float] = None,
         throughput: bool = False, inputs=None, dims=None, values=None, chip_files=None
         ) -> "_tops.RankResult":
    """Every chip of the catalog for this workload, fitting chips first, as ``tops rank``."""
    return _tops.rank(_model_list(models), float(fps), precision, float(utilization),
                      None if max_watts is None else float(max_watts), bool(throughput),
                      _options(inputs, dims, values), _str_list(chip_files, "chip_files"))


def whatif(model, *, chip: str, fps: float = DEFAULT_FPS, precision: Optional[str] = None,
           utilization: float = ARTICLE_UTILIZATION, scenarios: Optional[Iterable[str]] = None,
           inputs=None, dims=None, values=None, chip_files=None, label: Optional[str] = None
           ) -> "_tops.WhatifResult":
    """Quantise, prune or batch the model on the chip, as ``tops whatif``; ``scenarios``
    picks some (``tops.scenarios()`` lists them), default all."""
    return _tops.whatif(_source(model), label or "", chip, float(fps), precision,
                        float(utilization), _str_list(scenarios, "scenarios"),
                        _options(inputs, dims, values), _str_list(chip_files, "chip_files"))


def compare(*models, chip: str, fps: float = DEFAULT_FPS, precision: Optional[str] = None,
            utilization: float = ARTICLE_UTILIZATION, inputs=None, dims=None, values=None,
            chip_files=None) -> "_tops.CompareResult":
    """Several models side by side on one chip, the best value of each column marked, as
    ``tops compare``."""
    return _tops.compare(_model_list(models), chip, float(fps), precision, float(utilization),
                         _options(inputs, dims, values), _str_list(chip_files, "chip_files"))


def chips(*, chip_files=None) -> "_tops.Catalog":
    """The chip catalog (``tops chips``), with the chips of ``chip_files`` added."""
    return _tops.catalog(_str_list(chip_files, "chip_files"))


def chip(id: str, *, chip_files=None):
    """One chip with every figure's source (``tops chips show ID``)."""
    from ._results import ChipSheet
    return ChipSheet(chips(chip_files=chip_files)._sheet(id))


def report(model, *, chips: Optional[Iterable[str]] = None, fps: float = DEFAULT_FPS,
           precision: Optional[str] = None, utilization: float = ARTICLE_UTILIZATION,
           top: int = 12, whatif: bool = True, inputs=None, dims=None, values=None,
           chip_files=None, label: Optional[str] = None, path=None) -> "_tops.Report":
    """The page ``tops report`` writes: summary, fit per chip, rooflines, what-ifs, every
    layer. ``chips`` default to the three best of the catalog. In Jupyter the report shows
    inline; ``path`` also writes it (Markdown for .md/.markdown, else HTML)."""
    r = _tops.report(_source(model), label or "", _str_list(chips, "chips"), float(fps), precision,
                     float(utilization), int(top), bool(whatif), _options(inputs, dims, values),
                     _str_list(chip_files, "chip_files"))
    if path is not None:
        r.save(path)
    return r


def _quant_list(quant: Any) -> List[str]:
    """One scheme, the CLI's comma list ("fp16,w8a8"), or a list of schemes."""
    items = quant.split(",") if isinstance(quant, str) else list(quant)
    return [q for q in items if q]


def _curve_points(curve: Any) -> List[int]:
    """The contexts of ``--curve``: integers, or the CLI's comma list "512,2048"."""
    if curve is None:
        return []
    items = curve.split(",") if isinstance(curve, str) else list(curve)
    out = []
    for v in items:
        if isinstance(v, str) and not v:
            continue
        if isinstance(v, bool) or not isinstance(v, (int, str)):
            raise OptionError(f"curve: {v!r} is not a whole number")
        try:
            out.append(int(v))
        except ValueError:
            raise OptionError(f"curve: {v!r} is not a whole number") from None
    return out


def llm(model, *, chip: Optional[str] = None, quant: Union[str, Sequence[str]] = "fp16",
        kv: str = "fp16", prompt: int = 512, gen: int = 128, context: Optional[int] = None,
        batch: int = 1, chunk: Optional[int] = None, runtime: Optional[str] = None,
        curve=None, memory_gb: Optional[float] = None, chip_files=None,
        label: Optional[str] = None):
    """A language model, as ``tops llm``: from a Hugging Face config.json or a decoder ONNX
    export with a KV cache. Without ``chip``, the model's summary (parameters, weight and KV
    cache bytes, FLOPs per token; under the first weight format). With ``chip``, one estimate
    per weight format: time to first token, decode tokens/s and their likely range, tokens/s
    against context, and the memory check.

    quant: a weight format (fp16, bf16, fp32, w8a8, w8a16, w4a16, w4a16_g128, file) or several,
    as a list or the CLI's comma list. kv: KV cache precision (fp16, int8, int4). prompt, gen:
    tokens prefilled and decoded (``--prompt``, ``--gen``). context: KV capacity of the memory
    check (default prompt + gen). batch: sequences decoded together. chunk: prefill chunk
    (default the runtime's). runtime: LLM runtime id (default the chip's first). curve: contexts
    of the tokens/s curve (default doubling). memory_gb: the board's memory for the memory check
    (``--memory``; default the catalog's size, for an SoC often the most it supports).
    """
    return _tops.llm(_source(model), label or "", chip, _quant_list(quant), kv, int(prompt),
                     int(gen), None if context is None else int(context), int(batch),
                     None if chunk is None else int(chunk), runtime or "", _curve_points(curve),
                     None if memory_gb is None else float(memory_gb),
                     _str_list(chip_files, "chip_files"))


def llm_rank(model, *, tokens_per_s: float, context: int = 4096, prompt: Optional[int] = None,
             quant: str = "w4a16", kv: str = "fp16", chip_files=None,
             label: Optional[str] = None) -> "_tops.LlmRankResult":
    """Every chip of the catalog for a language model at a decode target, as ``tops rank MODEL
    --tokens-per-s N``: chips that reach ``tokens_per_s`` at ``context`` and hold it in memory
    first, then by decode tokens/s. ``prompt`` defaults to half the context."""
    return _tops.llm_rank(_source(model), label or "", float(tokens_per_s), int(context),
                          0 if prompt is None else int(prompt), quant, kv,
                          _str_list(chip_files, "chip_files"))


def scenarios() -> List[str]:
    """The what-if scenario names, in display order."""
    return _tops.scenarios()


def precisions() -> List[str]:
    """The precision names the options accept."""
    return _tops.precisions()
