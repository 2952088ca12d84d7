"""require, fit, rank, whatif, compare, chips and report: typed results with the CLI's JSON."""

import pathlib

import pytest

import tops
from conftest import model_path

R18 = model_path("resnet18.onnx")
R50 = model_path("resnet50.onnx")
MV2 = model_path("mobilenet_v2.onnx")
DYN = model_path("mobilenet_v2_dynbatch.onnx")


def test_require(cli):
    r = tops.require(R18, fps=30)
    assert r.to_dict() == cli.json("require", R18, "--fps", "30")
    assert [p.precision for p in r.precisions] == ["int8", "fp16", "fp32"]
    # 2 x MACs x fps / 1e12 with the exact count (docs/conventions.md: 0.10884).
    assert r.precisions[0].int8_equivalent_tops == pytest.approx(0.10884440064, abs=1e-12)
    assert r.precisions[1].int8_equivalent_tops == pytest.approx(2 * 0.10884440064, abs=1e-12)
    assert r.models[0].macs == 1_814_073_344
    both = tops.require(R18, (MV2, 10), fps=30)
    assert both.to_dict() == cli.json("require", R18, MV2 + "@10", "--fps", "30")
    assert [m.fps for m in both.models] == [30, 10]
    assert str(r) == cli.run("require", R18).stdout
    assert "| int8 |" in r._repr_markdown_().replace("**", "")


def test_fit_matches_cli(cli):
    r = tops.fit(R18, chip="rk3588", fps=30)
    d = cli.json("fit", R18, "--chip", "rk3588", "--fps", "30")
    assert r.to_dict() == d
    assert r.chip_id == d["chip"]["id"] == "rk3588"
    assert r.required_tops == d["required_tops"]
    assert r.effective_tops == d["effective_tops"]
    assert r.is_sufficient is d["is_sufficient"] is True
    assert r.margin == d["margin"]
    assert r.fits is d["fits"] and r.verdict_basis == d["verdict_basis"] == "roofline"
    assert r.precision == "int8" and r.convention == d["convention"]
    p = r.predicted
    assert p.available and p.latency_ms == d["predicted"]["latency_ms"]
    assert p.fps == d["predicted"]["fps"] and p.bound == d["predicted"]["bound"]
    # The likely range, as the CLI prints it, with the rows and scope behind it.
    assert p.latency_low_ms == d["predicted"]["latency_low_ms"] < p.latency_ms
    assert p.latency_high_ms == d["predicted"]["latency_high_ms"] > p.latency_ms
    assert p.fps_low < p.fps < p.fps_high
    assert p.band.known and p.band.rows == d["predicted"]["range_rows"]
    assert p.band.scope == d["predicted"]["range_scope"]
    assert p.models[0].latency_low_ms == pytest.approx(p.latency_ms * p.band.low)
    top = p.models[0].top_layers
    assert [l.node for l in top] == [l["node"] for l in d["predicted"]["models"][0]["top_layers"]]
    assert [l.op_class for l in top] == [l["class"] for l in d["predicted"]["models"][0]["top_layers"]]
    assert str(r) == cli.run("fit", R18, "--chip", "rk3588").stdout
    assert bool(r) is r.fits
    assert repr(r).startswith("<tops.FitResult rk3588 int8: fits")


def test_fit_options_and_profiles(cli):
    args = ["--chip", "jetson_orin_nano_8gb", "--precision", "fp16", "--utilization", "0.5",
            "--top", "2", "--throughput"]
    r = tops.fit(R50, chip="jetson_orin_nano_8gb", precision="fp16", utilization=0.5, top=2,
                 throughput=True)
    assert r.to_dict() == cli.json("fit", R50, *args)
    assert r.precision == "fp16" and r.utilization == 0.5
    # A profile (or bytes) is the same model: the same answer, under the profile's label.
    p = tops.load(R50)
    assert tops.fit(p, chip="jetson_orin_nano_8gb", precision="fp16", utilization=0.5, top=2,
                    throughput=True).to_dict() == r.to_dict()
    data = pathlib.Path(R50).read_bytes()
    from_bytes = tops.fit(data, chip="rk3588").to_dict()
    assert from_bytes["required_tops"] == tops.fit(R50, chip="rk3588").required_tops
    # Several models share the chip; a (model, fps) pair sets one model's rate.
    both = tops.fit(R18, (MV2, 10), chip="rk3588", fps=30)
    assert both.to_dict() == cli.json("fit", R18, MV2 + "@10", "--chip", "rk3588", "--fps", "30")
    assert [m.fps_requested for m in both.predicted.models] == [30, 10]


def test_fit_runtime(cli):
    # The runtime whose solved figures the roofline uses (`tops fit --runtime`).
    chip = "qualcomm_rb5_qrb5165"
    for runtime in ("tflite", "qnn"):
        r = tops.fit(R18, chip=chip, runtime=runtime)
        assert r.to_dict() == cli.json("fit", R18, "--chip", chip, "--runtime", runtime)
    assert tops.fit(R18, chip=chip, runtime="tflite").predicted.latency_ms != tops.fit(
        R18, chip=chip, runtime="qnn").predicted.latency_ms
    assert tops.fit(R18, chip=chip).to_dict() == tops.fit(R18, chip=chip, runtime=None).to_dict()
    with pytest.raises(tops.OptionError) as e:
        tops.fit(R18, chip="rk3588", runtime="nope")
    assert str(e.value) == cli.error("fit", R18, "--chip", "rk3588", "--runtime", "nope")


def test_batch_policy_is_the_cli_s(cli):
    # A symbolic batch is bound to 1 for fit (the library's policy), unless dims say otherwise.
    r = tops.fit(DYN, chip="rk3588")
    assert r.to_dict() == cli.json("fit", DYN, "--chip", "rk3588")
    r4 = tops.fit(DYN, chip="rk3588", dims={"batch": 4})
    assert r4.to_dict() == cli.json("fit", DYN, "--chip", "rk3588", "--dim", "batch=4")
    assert r4.required_tops == pytest.approx(4 * r.required_tops)
    # A profile loaded with a binding keeps it.
    assert tops.fit(tops.load(DYN, dims={"batch": 4}), chip="rk3588").required_tops == \
        r4.required_tops


def test_rank(cli):
    r = tops.rank(R18, fps=30, max_watts=10)
    assert r.to_dict() == cli.json("rank", R18, "--fps", "30", "--max-watts", "10")
    assert r.rows and all(isinstance(x.chip, tops.Chip) for x in r.rows)
    fits = [x.fit.fits for x in r.rows]
    assert fits == sorted(fits, reverse=True)  # fitting chips first
    assert r.rows[0].chip.id == r.rows[0].fit.chip_id
    assert {e.chip_id for e in r.excluded}
    df = r.to_pandas()
    assert df["chip"].tolist() == [x.fit.chip_id for x in r.rows]
    assert repr(r).startswith("<tops.RankResult int8:")


def test_whatif(cli):
    r = tops.whatif(R50, chip="rk3588", fps=30, scenarios=["baseline", "fp16", "structured-30"])
    assert r.to_dict() == cli.json("whatif", R50, "--chip", "rk3588", "--fps", "30", "--scenario",
                                   "baseline", "--scenario", "fp16", "--scenario",
                                   "structured-30")
    assert [x.scenario for x in r.rows] == ["baseline", "fp16", "structured-30"]
    assert r.rows[2].macs < r.rows[0].macs
    assert r.rows[0].bound in ("compute", "memory", "overhead")
    base = r.to_dict()["scenarios"][0]
    assert r.rows[0].fps_low == base["fps_low"] < r.rows[0].fps < r.rows[0].fps_high
    assert r.rows[0].band.rows == base["range_rows"] > 0
    everything = tops.whatif(R18, chip="hailo_8")
    assert [x.scenario for x in everything.rows] == tops.scenarios()
    assert list(everything.to_pandas()["scenario"]) == tops.scenarios()


def test_compare(cli):
    r = tops.compare(R50, MV2, chip="rk3588", fps=30)
    assert r.to_dict() == cli.json("compare", R50, MV2, "--chip", "rk3588", "--fps", "30")
    assert [x.label for x in r.rows] == [R50, MV2]
    assert r.best["macs"] == 1 and r.rows[1].macs == 300_774_272
    assert r.to_pandas()["macs"].tolist() == [4_089_184_256, 300_774_272]


def test_chips(cli):
    c = tops.chips()
    assert c.to_dict() == cli.json("chips")
    assert len(c) == len(c.to_dict()["chips"]) >= 60
    rk = c["rk3588"]
    assert rk.name == "RK3588" and rk.peak_tops("int8") == 6.0
    assert rk.peaks["int8"].dense.value == 6.0 and rk.peaks["int8"].dense.source
    assert "rk3588" in c and "no_such_chip" not in c
    sheet = tops.chip("rk3588")
    assert sheet.to_dict() == cli.json("chips", "show", "rk3588")
    assert sheet.name == "RK3588" and str(sheet) == cli.run("chips", "show", "rk3588").stdout
    assert set(c.to_pandas()["id"]) == {x.id for x in c}


def test_chip_files(cli, repo):
    extra = f"{repo}/tests/hw/data/override.yaml"
    c = tops.chips(chip_files=[extra])
    assert c.to_dict() == cli.json("chips", "--chips", extra)
    assert c.to_dict() != tops.chips().to_dict()


def test_report(tmp_path, cli):
    r = tops.report(R18, chips=["rk3588", "hailo_8"], fps=30)
    assert [c.fit.chip_id for c in r.chips] == ["rk3588", "hailo_8"]
    # The report's fit is `tops fit`'s (its layer list holds every timed layer, not the top 5).
    alone = tops.fit(R18, chip="rk3588")
    assert r.chips[0].fit.required_tops == alone.required_tops
    assert r.chips[0].fit.predicted.latency_ms == alone.predicted.latency_ms
    assert r.html.startswith("<!DOCTYPE html>") and "<svg" in r.html
    out = tmp_path / "r.html"
    cli.run("report", R18, "--chip", "rk3588", "--chip", "hailo_8", "-o", str(out))
    assert r.html == out.read_text()
    md = tmp_path / "r.md"
    r.save(md)
    assert md.read_text() == r.markdown and r.markdown.startswith("#")
    frame = r._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and "&lt;svg" in frame
    saved = tmp_path / "saved.html"
    tops.report(R18, chips=["rk3588"], whatif=False, path=saved)
    assert "<svg" in saved.read_text()
    ranked = tops.report(MV2)
    assert len(ranked.chips) == 3 and ranked.chip_choice == "ranked"
    assert ranked.whatif is not None and ranked.whatif.rows


class _Cells(__import__("html.parser").parser.HTMLParser):
    """The text of every table cell of an HTML fragment, by table caption."""

    def __init__(self):
        super().__init__()
        self.tables, self._caption, self._cell, self._row = {}, None, None, None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "caption":
            self._in_caption, self._caption = True, ""
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
            self.tables[self._caption] = []
        elif tag in ("td", "th"):
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr":
            self.tables[self._caption].append(self._row)

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._cell is not None:
            self._cell += data


def test_fit_renders_as_html_tables_in_jupyter():
    r = tops.fit(R18, chip="rk3588", fps=30)
    page = r._repr_html_()
    cells = _Cells()
    cells.feed(page)
    article = dict(row for row in cells.tables["The article's check_hardware"][1:])
    assert float(article["required_tops"]) == pytest.approx(r.required_tops, rel=1e-3)
    assert article["effective_tops"].startswith("3.6 = 6 x 0.6")
    assert article["is_sufficient"] == "yes" and float(article["margin"]) == pytest.approx(
        r.margin, rel=1e-3)
    predicted = dict(row for row in cells.tables["Roofline prediction"][1:])
    assert predicted["latency"] == f"{r.predicted.latency_ms:.2f} ms"
    assert predicted["bound"] == r.predicted.bound
    layers = cells.tables["Dominant layers"][1:]
    assert [row[0] for row in layers] == [l.node for l in r.predicted.models[0].top_layers]
    assert "RK3588" in page and "fits <span class='ok'>yes</span>" in page
    # Without a roofline (Hailo-8 publishes no FP16 rate) the article's check stands alone, and
    # the figure the catalog lacks is said.
    fp16 = tops.fit(R18, chip="hailo_8", precision="fp16")._repr_html_()
    assert "Roofline prediction" not in fp16 and "by the article's rule" in fp16
    assert "fp16 dense peak" in fp16
    # A model that does not fit is marked so.
    slow = tops.fit(R50, chip="rk3588", fps=1000)
    assert slow.fits is False and "fits <span class='no'>no</span>" in slow._repr_html_()


def test_precisions_are_the_options_the_library_accepts(cli):
    names = tops.precisions()
    assert {"int8", "fp16", "fp32"} <= set(names) and len(names) == len(set(names))
    for p in names:  # each is accepted, and means what `--precision` means to the command
        r = tops.fit(R18, chip="jetson_orin_nano_8gb", precision=p)
        assert r.precision == p
        assert r.to_dict() == cli.json("fit", R18, "--chip", "jetson_orin_nano_8gb",
                                       "--precision", p)
