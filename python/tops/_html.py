"""HTML for Jupyter: a profile and a fit as tables (``_repr_html_``), and the report page in an
iframe. Layout only: every figure is read from the result as the library computed it."""

import html
from typing import Any, Iterable, List, Optional, Sequence

_STYLE = ("<style>.tops-r table{border-collapse:collapse;margin:.3em 0 .8em}"
          ".tops-r th,.tops-r td{padding:.15em .6em;border-bottom:1px solid #ddd;"
          "text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
          ".tops-r th.l,.tops-r td.l{text-align:left}"
          ".tops-r caption{text-align:left;font-weight:bold}"
          ".tops-r .ok{color:#1a7f37;font-weight:bold}.tops-r .no{color:#cf222e;font-weight:bold}"
          ".tops-r .note{color:#666;font-size:90%}</style>")

LAYER_ROWS = 25  # layers listed inline; to_pandas() has them all


def esc(x: Any) -> str:
    return html.escape(str(x), quote=True)


def commas(v: Optional[int]) -> str:
    return "?" if v is None else f"{v:,}"


def num(v: Optional[float], digits: int = 4) -> str:
    if v is None:
        return "-"
    return f"{v:.{digits}g}" if abs(v) < 1e4 else f"{v:,.0f}"


def shape_text(shape) -> str:
    if shape is None:
        return "unknown"
    return "[" + ", ".join("?" if d is None else str(d) for d in shape) + "]"


def table(caption: str, header: Sequence[str], rows: Iterable[Sequence[str]],
          left: int = 1) -> str:
    """Cells are already escaped; the first `left` columns are left-aligned."""
    out = [f"<table><caption>{esc(caption)}</caption><tr>"]
    out += [f"<th class='l'>{esc(h)}</th>" if i < left else f"<th>{esc(h)}</th>"
            for i, h in enumerate(header)]
    out.append("</tr>")
    for r in rows:
        out.append("<tr>" + "".join(
            f"<td class='l'>{c}</td>" if i < left else f"<td>{c}</td>" for i, c in enumerate(r))
            + "</tr>")
    out.append("</table>")
    return "".join(out)


def notes(title: str, lines: List[str]) -> str:
    if not lines:
        return ""
    items = "".join(f"<li>{esc(t)}</li>" for t in lines)
    return f"<div class='note'>{esc(title)}<ul>{items}</ul></div>"


def profile_html(p) -> str:
    t = p.totals
    head = (f"<b>{esc(p.label)}</b> <span class='note'>({esc(p.format)}, {esc(p.producer)}, "
            f"{p.node_count} nodes)</span>")
    ins = "; ".join(f"{esc(i.name)} {esc(shape_text(i.shape))} {esc(i.dtype)}" for i in p.inputs)
    totals = table("Totals", ["", "exact", ""], [  # the CLI's footer, as a table
        ("Parameters", commas(t.params), ""),
        ("MACs", commas(t.macs), ""),
        ("FLOPs", commas(t.flops), f"of which non-MAC ops {commas(t.other_ops)}"),
        ("Weight bytes", commas(t.weight_bytes), ""),
        ("Activation bytes", commas(t.activation_bytes), "all tensors"),
        ("Peak live activations", commas(t.peak_activation_bytes), ""),
    ], left=1)
    layers = p.layers
    shown = layers if len(layers) <= LAYER_ROWS else p.heaviest(LAYER_ROWS)
    caption = ("Layers" if shown is layers else
               f"The {len(shown)} heaviest of {len(layers)} layers (by MACs; all: to_pandas())")
    rows = []
    for n in shown:
        shape = shape_text(n.outputs[0].shape) if n.outputs else ""
        share = "" if n.macs is None or not t.macs else f"{100.0 * n.macs / t.macs:.2f}%"
        rows.append((esc(n.name), esc(n.op), esc(shape), commas(n.params), commas(n.macs),
                     commas(n.flops), share))
    layer_table = table(caption, ["node", "op", "output shape", "params", "MACs", "FLOPs",
                                  "% MACs"], rows, left=3)
    torch = getattr(p, "torch", None)
    extra = f"<div>{esc(torch.params_note)}</div>" if torch is not None else ""
    unsupported = [f"{u.op} x {u.count}" for u in p.unsupported]
    diags = [f"{d.node}: {d.message}" if d.node else d.message for d in p.diagnostics]
    covered = p.node_count - t.nodes_without_cost
    return (f"{_STYLE}<div class='tops-r'>{head}<div>Input: {ins}</div>{extra}{totals}"
            f"{layer_table}"
            + notes("Ops without a cost formula (not counted):", unsupported)
            + notes("Diagnostics:", diags)
            + notes(f"Convention (coverage {covered} of {p.node_count} nodes):", p.conventions)
            + "</div>")


def verdict(ok: Optional[bool]) -> str:
    if ok is None:
        return "unknown"
    return "<span class='ok'>yes</span>" if ok else "<span class='no'>no</span>"


def fit_html(r) -> str:
    basis = "per-layer roofline" if r.verdict_basis == "roofline" else "the article's rule"
    head = (f"<b>{esc(r.chip_name)}</b> ({esc(r.chip_id)}), {esc(r.precision)} "
            f"<span class='note'>(precision from the {esc(r.precision_source)})</span>: fits "
            f"{verdict(r.fits)} <span class='note'>by {basis}</span>")
    article = table("The article's check_hardware", ["", "value"], [
        ("required_tops", num(r.required_tops)),
        ("effective_tops", num(r.effective_tops) + f" <span class='note'>= {num(r.chip_tops)} x "
         f"{num(r.utilization)}</span>"),
        ("is_sufficient", verdict(r.is_sufficient)),
        ("margin", num(r.margin)),
    ])
    p = r.predicted
    parts = [_STYLE, "<div class='tops-r'>", head, article]
    if p.available:
        rows = [("latency", f"{p.latency_ms:.2f} ms"), ("FPS", f"{p.fps:.1f}"),
                ("load at the requested rate", f"{100 * p.load:.0f}%"),
                ("utilisation of the peak", f"{100 * p.utilization:.0f}% of {num(p.peak_tops)} TOPS"),
                ("bound", esc(p.bound)), ("DRAM bandwidth", f"{p.bandwidth_gbs:.2f} GB/s")]
        if p.energy_mj is not None:
            rows.append(("energy per inference", f"{p.energy_mj:.1f} mJ at {num(p.power_w)} W"))
        parts.append(table("Roofline prediction", ["", "value"], rows))
        layers = [l for m in p.models for l in m.top_layers]
        if layers:
            parts.append(table("Dominant layers", ["node", "op", "class", "time ms", "bound"], [
                (esc(l.node), esc(l.op), esc(l.op_class), f"{l.time_ms:.3f}", esc(l.bound))
                for l in layers], left=3))
    parts.append(notes("Missing from the catalog:", list(r.missing) + list(p.missing)))
    parts.append(notes("Caveats:", list(p.caveats)))
    parts.append("</div>")
    return "".join(parts)


def report_iframe(page: str, height: int = 720) -> str:
    """The report's self-contained page in a sandboxed iframe, so its styles and scripts stay
    out of the notebook's."""
    return (f"<iframe srcdoc=\"{html.escape(page, quote=True)}\" sandbox=\"allow-scripts\" "
            f"style=\"width:100%;height:{height}px;border:1px solid #ddd\"></iframe>")
