"""What every result can do beyond its typed attributes: the ``tops`` command's outputs
(``str()`` is its table, ``to_json()`` its JSON, ``to_dict()`` that JSON parsed, ``to_csv()``,
``to_markdown()``), short reprs, HTML for Jupyter and pandas frames. All text comes from the
library's writers, so the schema is the CLI's."""

import json
import os
from typing import Any, Dict, List

from . import _html, _tops
from ._errors import MissingDependencyError


def _pandas():
    try:
        import pandas
    except ImportError as e:
        raise MissingDependencyError(
            "to_pandas() needs pandas: apt install python3-pandas (Debian) or pip install "
            "pandas") from e
    return pandas


class _Outputs:
    """Mixed into the extension's result classes (their `_render(format)` is the writer)."""

    def to_json(self) -> str:
        """The ``--format json`` output of the matching ``tops`` command."""
        return self._render("json")

    def to_dict(self) -> Dict[str, Any]:
        """``to_json()`` parsed: the CLI's JSON schema (``schema_version``, ``tops`` build)."""
        return json.loads(self._render("json"))

    def to_csv(self) -> str:
        return self._render("csv")

    def to_markdown(self) -> str:
        return self._render("md")

    def __str__(self) -> str:
        return self._render("table")


def _attach(cls, mixin, names):
    for name in names:
        setattr(cls, name, getattr(mixin, name))


_OUTPUT_NAMES = ["to_json", "to_dict", "to_csv", "to_markdown", "__str__"]
for _cls in (_tops.Sweep, _tops.Requirement, _tops.FitResult, _tops.RankResult,
             _tops.WhatifResult, _tops.CompareResult, _tops.Catalog):
    _attach(_cls, _Outputs, _OUTPUT_NAMES)
for _cls in (_tops.Requirement, _tops.RankResult, _tops.WhatifResult, _tops.CompareResult):
    _cls._repr_markdown_ = _Outputs.to_markdown


# ---- Profile ---------------------------------------------------------------------------

def _profile_layers(self) -> List["_tops.Layer"]:
    """Every node in topological order, with its cost (None where unknown)."""
    cached = self.__dict__.get("_layers_cache")
    if cached is None:
        cached = self._layers
        self.__dict__["_layers_cache"] = cached
    return cached


def _profile_table(self, top=None, group_by=None) -> str:
    """The ``tops profile`` table; ``top=N`` keeps the N heaviest nodes, ``group_by="op"``
    sums per op type."""
    return self._render("table", top, group_by or "")


def _profile_render_all(fmt):
    def render(self, top=None, group_by=None) -> str:
        return self._render(fmt, top, group_by or "")
    render.__doc__ = f"The ``tops profile --format {fmt}`` output (same ``top``, ``group_by``)."
    return render


def _profile_to_dict(self, top=None, group_by=None) -> Dict[str, Any]:
    """The ``tops profile --format json`` object (every node unless ``top``/``group_by``)."""
    return json.loads(self._render("json", top, group_by or ""))


def _profile_repr(self) -> str:
    return (f"<tops.Profile {self.label}: {self.macs:,} MACs, {self.params:,} params, "
            f"{self.node_count} nodes>")


def _profile_to_pandas(self):
    """One row per node: name, op, output shape, params, MACs, FLOPs, other ops, bytes."""
    pd = _pandas()
    rows = [{
        "name": n.name, "op": n.op,
        "output_shape": _html.shape_text(n.outputs[0].shape) if n.outputs else "",
        "params": n.params, "macs": n.macs, "flops": n.flops, "other_ops": n.other_ops,
        "bytes_read": n.bytes_read, "bytes_written": n.bytes_written,
    } for n in self.layers]
    return pd.DataFrame(rows, columns=["name", "op", "output_shape", "params", "macs", "flops",
                                       "other_ops", "bytes_read", "bytes_written"])


_tops.Profile.layers = property(_profile_layers)
_tops.Profile.table = _profile_table
_tops.Profile.__str__ = lambda self: self._render("table", None, "")
_tops.Profile.to_json = _profile_render_all("json")
_tops.Profile.to_csv = _profile_render_all("csv")
_tops.Profile.to_markdown = _profile_render_all("md")
_tops.Profile.to_dict = _profile_to_dict
_tops.Profile.to_pandas = _profile_to_pandas
_tops.Profile.__repr__ = _profile_repr
_tops.Profile._repr_html_ = _html.profile_html

_tops.Layer.__repr__ = lambda n: (f"<tops.Layer {n.name} ({n.op}): "
                                  f"{_html.commas(n.macs)} MACs, {n.params:,} params>")
_tops.Sweep.__repr__ = lambda s: (f"<tops.Sweep {s.label} over {s.dim}: "
                                  f"{[v for v, _ in s.points]}>")


def _sweep_to_pandas(self):
    """One row per value of the dim: its totals."""
    pd = _pandas()
    rows = []
    for v, p in self.points:
        t = p.totals
        rows.append({self.dim: v, "params": t.params, "macs": t.macs, "flops": t.flops,
                     "weight_bytes": t.weight_bytes, "activation_bytes": t.activation_bytes,
                     "peak_activation_bytes": t.peak_activation_bytes})
    return pd.DataFrame(rows)


_tops.Sweep.to_pandas = _sweep_to_pandas


# ---- Fit, rank, what-if, compare, require -----------------------------------------------

def _fit_repr(r) -> str:
    basis = r.verdict_basis
    p = r.predicted
    pred = f", {p.latency_ms:.2f} ms, {p.fps:.1f} FPS" if p.available else ""
    return (f"<tops.FitResult {r.chip_id} {r.precision}: {'fits' if r.fits else 'does not fit'}"
            f" ({basis}){pred}; required {r.required_tops:.4g} TOPS, effective "
            f"{_html.num(r.effective_tops)}>")


_tops.FitResult.__repr__ = _fit_repr
_tops.FitResult._repr_html_ = _html.fit_html
_tops.FitResult.__bool__ = lambda r: bool(r.fits)


def _rank_to_pandas(self):
    """One row per chip: verdict, article figures and roofline prediction."""
    pd = _pandas()
    rows = []
    for row in self.rows:
        f, p = row.fit, row.fit.predicted
        rows.append({"chip": f.chip_id, "name": f.chip_name, "fits": f.fits,
                     "verdict_basis": f.verdict_basis, "required_tops": f.required_tops,
                     "effective_tops": f.effective_tops, "chip_tops": f.chip_tops,
                     "latency_ms": p.latency_ms if p.available else None,
                     "fps": p.fps if p.available else None, "power_w": p.power_w,
                     "fps_per_watt": p.fps_per_watt})
    return pd.DataFrame(rows)


_tops.RankResult.to_pandas = _rank_to_pandas
_tops.RankResult.__repr__ = lambda r: (
    f"<tops.RankResult {r.precision}: {sum(1 for x in r.rows if x.fit.fits)} of "
    f"{len(r.rows)} chips fit, {len(r.excluded)} excluded>")


def _whatif_to_pandas(self):
    """One row per scenario."""
    pd = _pandas()
    keys = ["scenario", "precision", "macs", "nonzero_params", "weight_bytes", "required_tops",
            "latency_ms", "fps", "bandwidth_gbs", "bound", "fits", "verdict_basis", "effect"]
    return pd.DataFrame([{k: getattr(r, k) for k in keys} for r in self.rows], columns=keys)


_tops.WhatifResult.to_pandas = _whatif_to_pandas
_tops.WhatifResult.__repr__ = lambda r: (
    f"<tops.WhatifResult {r.model} on {r.chip_id}: "
    f"{', '.join(x.scenario + ('=fits' if x.fits else '=no') for x in r.rows)}>")


def _compare_to_pandas(self):
    """One row per model."""
    pd = _pandas()
    rows = []
    for r in self.rows:
        p = r.fit.predicted
        rows.append({"model": r.label, "precision": r.precision, "params": r.params,
                     "macs": r.macs, "weight_bytes": r.weight_bytes,
                     "required_tops": r.required_tops,
                     "latency_ms": p.latency_ms if p.available else None,
                     "fps": p.fps if p.available else None, "fits": r.fit.fits})
    return pd.DataFrame(rows)


_tops.CompareResult.to_pandas = _compare_to_pandas
_tops.CompareResult.__repr__ = lambda r: (
    f"<tops.CompareResult on {r.chip_id}: {', '.join(x.label for x in r.rows)}>")
_tops.Requirement.__repr__ = lambda r: (
    "<tops.Requirement " + ", ".join(f"{p.precision} {p.int8_equivalent_tops:.4g}"
                                     for p in r.precisions) + " TOPS (INT8-equivalent)>")
_tops.ArticleCheck.__repr__ = lambda c: (
    f"ArticleCheck(required_tops={c.required_tops!r}, effective_tops={c.effective_tops!r}, "
    f"is_sufficient={c.is_sufficient!r}, margin={c.margin!r})")


# ---- Language models ------------------------------------------------------------------------

for _cls in (_tops.LlmSummary, _tops.LlmResult, _tops.LlmRankResult):
    _attach(_cls, _Outputs, _OUTPUT_NAMES)
    _cls._repr_markdown_ = _Outputs.to_markdown
for _cls in (_tops.LlmSummary, _tops.LlmResult):
    # The JSON's convention text (the writers hold it).
    _cls.convention = property(lambda self: self.to_dict()["convention"])


def _llm_html(self) -> str:
    """The page ``tops llm --chip ID --format html`` writes (tokens/s-vs-context chart)."""
    return self._html()


def _llm_to_pandas(self):
    """One row per weight format: time to first token, decode tokens/s with its range,
    memory and whether it fits."""
    pd = _pandas()
    return pd.DataFrame([_estimate_row(e) for e in self.estimates])


def _estimate_row(e) -> Dict[str, Any]:
    return {"chip": e.chip, "runtime": e.runtime, "quant": e.quant, "ttft_ms": e.ttft_ms.value,
            "decode_tokens_per_s": e.decode_tokens_per_s.value,
            "decode_low": e.decode_tokens_per_s.low, "decode_high": e.decode_tokens_per_s.high,
            "total_bytes": e.memory.total_bytes, "fits": e.memory.fits}


def _llm_rank_to_pandas(self):
    """One row per chip: verdict, tokens/s at the context with its range, memory."""
    pd = _pandas()
    rows = []
    for r in self.rows:
        at = r.curve[-1].tokens_per_s
        rows.append(dict(_estimate_row(r.estimate), meets=r.meets, fast_enough=r.fast_enough,
                         tokens_per_s=at.value, low=at.low, high=at.high))
    return pd.DataFrame(rows)


_tops.LlmResult.html = property(_llm_html)
_tops.LlmResult._repr_html_ = lambda self: _html.report_iframe(self.html, height=560)
_tops.LlmResult.to_pandas = _llm_to_pandas
_tops.LlmRankResult.to_pandas = _llm_rank_to_pandas
# A rank row is its estimate with the verdict, as the JSON's row: row.chip, row.ttft_ms, ...
_tops.LlmRankRow.__getattr__ = lambda self, name: getattr(self.estimate, name)
_tops.LlmRange.__repr__ = lambda r: f"LlmRange(value={r.value!r}, low={r.low!r}, high={r.high!r})"
_tops.LlmSummary.__repr__ = lambda s: (
    f"<tops.LlmSummary {s.model}: {s.decoder.params:,} params, {s.quant} weights "
    f"{s.weight_bytes / 1e9:.2f} GB, KV {s.kv_bytes_per_token:,.0f} B/token>")
_tops.LlmResult.__repr__ = lambda r: "<tops.LlmResult {} on {}: {}>".format(
    r.model, r.estimates[0].chip, ", ".join(
        f"{e.quant} {e.decode_tokens_per_s.value:.1f} tok/s" for e in r.estimates))
_tops.LlmEstimate.__repr__ = lambda e: (
    f"<tops.LlmEstimate {e.chip} {e.quant}: TTFT {e.ttft_ms.value:.0f} ms, "
    f"{e.decode_tokens_per_s.value:.1f} tok/s ({e.decode_tokens_per_s.low:.1f}-"
    f"{e.decode_tokens_per_s.high:.1f})>")
_tops.LlmRankResult.__repr__ = lambda r: (
    f"<tops.LlmRankResult {r.model} at {r.target_tokens_per_s:g} tok/s, context {r.context}: "
    f"{sum(1 for x in r.rows if x.meets)} of {len(r.rows)} chips meet it>")


# ---- Catalog and chips ------------------------------------------------------------------

def _catalog_iter(self):
    return iter(self.chips)


_tops.Catalog.__iter__ = _catalog_iter
_tops.Catalog.__len__ = lambda self: len(self.chips)
_tops.Catalog.__getitem__ = lambda self, id: self.get(id)
_tops.Catalog.__contains__ = lambda self, id: any(
    c.id == id or id in c.aliases for c in self.chips)
_tops.Catalog.__repr__ = lambda self: f"<tops.Catalog: {len(self.chips)} chips>"


def _catalog_to_pandas(self):
    """One row per chip: vendor, kind, family, dense peaks, bandwidth, power modes."""
    pd = _pandas()
    rows = []
    for c in self.chips:
        rows.append({"id": c.id, "name": c.name, "vendor": c.vendor, "kind": c.kind,
                     "family": c.family, "int8_tops": c.peak_tops("int8"),
                     "fp16_tops": c.peak_tops("fp16"),
                     "bandwidth_gbs": c.memory_bandwidth_gbs.value,
                     "power_modes_w": c.power_modes_w})
    return pd.DataFrame(rows)


_tops.Catalog.to_pandas = _catalog_to_pandas


class ChipSheet:
    """One chip of the catalog (``tops chips show ID``): the chip's attributes, and its sheet
    with every figure's source as ``str()``, ``to_json()``, ``to_dict()``."""

    def __init__(self, sheet):
        self._sheet = sheet

    def __getattr__(self, name):
        return getattr(self._sheet.chip, name)

    def _render(self, fmt: str) -> str:
        return self._sheet._render(fmt)

    to_json = _Outputs.to_json
    to_dict = _Outputs.to_dict
    to_csv = _Outputs.to_csv
    to_markdown = _Outputs.to_markdown
    __str__ = _Outputs.__str__

    @property
    def chip(self) -> "_tops.Chip":
        return self._sheet.chip

    def __repr__(self) -> str:
        return repr(self._sheet.chip)


# ---- Report ------------------------------------------------------------------------------

def _report_html(self) -> str:
    """The self-contained HTML page (what ``tops report -o report.html`` writes)."""
    cached = self.__dict__.get("_html_cache")
    if cached is None:
        cached = self._render(True)
        self.__dict__["_html_cache"] = cached
    return cached


def _report_markdown(self) -> str:
    """The same content as Markdown (``tops report -o report.md``)."""
    return self._render(False)


def _report_save(self, path) -> None:
    """Writes the page: Markdown for .md/.markdown, else HTML."""
    path = os.fspath(path)
    md = path.lower().endswith((".md", ".markdown"))
    with open(path, "w", encoding="utf-8") as f:
        f.write(self.markdown if md else self.html)


_tops.Report.html = property(_report_html)
_tops.Report.markdown = property(_report_markdown)
_tops.Report.save = _report_save
_tops.Report._repr_html_ = lambda self: _html.report_iframe(self.html)
_tops.Report.__repr__ = lambda self: (
    f"<tops.Report {self.label}: {', '.join(c.fit.chip_id for c in self.chips)}>")
