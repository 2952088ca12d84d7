"""Language models: tops.llm (`tops llm`) and tops.llm_rank (`tops rank --tokens-per-s`), typed
results with the CLI's JSON, table, Markdown, CSV and HTML; sizes checked by hand from the
config's own fields."""

import json
import os

import pytest

import tops
from conftest import REPO, model_path

QWEN = os.path.join(REPO, "tests", "llm", "configs", "qwen2.5-1.5b.json")
TINY_ONNX = os.path.join(REPO, "tests", "llm", "tiny_decoder.onnx")


def config(path=QWEN):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def qwen_counts():
    """Qwen2's parameters from its config, by hand: per layer the q/k/v/o projections (k and
    v at the key-value heads' width), gate, up and down of the MLP, q/k/v biases and two
    RMSNorm weights; the (tied) embedding and the final norm."""
    c = config()
    h, inter, layers = c["hidden_size"], c["intermediate_size"], c["num_hidden_layers"]
    head_dim = h // c["num_attention_heads"]
    kv = c["num_key_value_heads"] * head_dim
    matrices = layers * (2 * h * h + 2 * h * kv + 3 * h * inter) + c["vocab_size"] * h
    vectors = layers * (h + 2 * kv + 2 * h) + h
    return matrices, vectors, head_dim


def test_summary_matches_the_cli_and_the_config_by_hand(cli):
    s = tops.llm(QWEN)
    assert isinstance(s, tops.LlmSummary)
    d = cli.json("llm", QWEN)
    assert s.to_dict() == d
    assert str(s) == cli.run("llm", QWEN).stdout
    assert s.to_csv() == cli.run("llm", QWEN, "--format", "csv").stdout
    assert s._repr_markdown_() == cli.run("llm", QWEN, "--format", "md").stdout
    assert s.model == QWEN and s.quant == d["quant"] == "fp16" and s.at_context == 512
    assert s.decode_flops_per_token == d["decode_flops_per_token"]
    assert s.convention == d["convention"]
    dec = s.decoder
    assert dec.format == d["decoder"]["format"] and dec.max_positions == 32768
    assert [(k.elements_per_token, k.head_dim, k.window) for k in dec.kv_cache] == [
        (k["elements_per_token"], k["head_dim"], k["window"]) for k in d["decoder"]["kv_cache"]]
    # By hand from config.json: Qwen2.5-1.5B's published 1,543,714,304 parameters.
    matrices, vectors, head_dim = qwen_counts()
    assert dec.params == matrices + vectors == 1_543_714_304
    assert dec.matrix_params == matrices and dec.lm_head_tied
    # fp16: 2 bytes a parameter. KV per token: K and V x layers x KV heads x head_dim x 2 bytes.
    assert s.weight_bytes == 2 * dec.params
    c = config()
    kv_per_token = 2 * c["num_hidden_layers"] * c["num_key_value_heads"] * head_dim * 2
    assert s.kv_bytes_per_token == kv_per_token == 28_672
    # w4a16_g128 (docs/llm.md): 4 bits a matrix weight plus an fp16 scale and a 4-bit zero
    # point per 128 weights; norms and biases stay 16-bit. int8 KV: 8 bits plus one fp16 scale
    # per head per token.
    w4 = tops.llm(QWEN, quant="w4a16_g128", kv="int8")
    assert w4.to_dict() == cli.json("llm", QWEN, "--quant", "w4a16_g128", "--kv", "int8")
    assert w4.weight_bytes == pytest.approx(matrices * (4 + 20 / 128) / 8 + vectors * 2,
                                            rel=1e-12)
    assert w4.kv_bytes_per_token == pytest.approx(kv_per_token / 2 * (8 + 16 / head_dim) / 8,
                                                  rel=1e-12)
    assert w4.quant == "w4a16_g128" and w4.kv_bits == 8
    # The decode cost is the model's at the context: more context, more attention FLOPs.
    assert tops.llm(QWEN, prompt=4096).decode_flops_per_token > s.decode_flops_per_token
    assert repr(s).startswith("<tops.LlmSummary ")


def test_estimate_on_rk3588_matches_the_cli(cli):
    args = ["--chip", "rk3588", "--quant", "w8a8", "--prompt", "128", "--gen", "64"]
    r = tops.llm(QWEN, chip="rk3588", quant="w8a8", prompt=128, gen=64)
    assert isinstance(r, tops.LlmResult)
    d = cli.json("llm", QWEN, *args)
    assert r.to_dict() == d
    assert str(r) == cli.run("llm", QWEN, *args).stdout
    assert r.to_markdown() == cli.run("llm", QWEN, *args, "--format", "md").stdout
    assert r.to_csv() == cli.run("llm", QWEN, *args, "--format", "csv").stdout
    assert r.model == QWEN and r.decoder.params == d["decoder"]["params"]
    assert r.convention == d["convention"]
    [e] = r.estimates
    j = d["estimates"][0]
    assert (e.chip, e.chip_name, e.runtime, e.quant) == ("rk3588", "RK3588", "rkllm", "w8a8")
    assert (e.prompt, e.generate, e.batch, e.kv_bits) == (128, 64, 1, 16)
    # RK3588 has a solved RKLLM family: its figures, and the likely range the CLI prints.
    cal = e.calibration
    assert cal.id == j["calibration"]["id"] == "rockchip_rknpu/rkllm" and not cal.fallback
    assert cal.rows == j["calibration"]["rows"] > 0
    assert cal.decode_bandwidth_efficiency == j["calibration"]["decode_bandwidth_efficiency"]
    for key in ("ttft_ms", "decode_tokens_per_s", "end_to_end_ms"):
        rng = getattr(e, key)
        assert (rng.value, rng.low, rng.high) == (j[key]["value"], j[key]["low"], j[key]["high"])
        assert rng.low < rng.value < rng.high, key
    assert e.prefill_bound == j["prefill_bound"] and e.prefill_chunks == 1
    assert [p.context for p in e.curve] == [p["context"] for p in j["curve"]]
    assert [p.tokens_per_s.value for p in e.curve] == [
        p["tokens_per_s"]["value"] for p in j["curve"]]
    assert {p.bound for p in e.curve} <= {"bandwidth", "compute", "overhead"}
    m = e.memory
    assert m.fits is j["memory"]["fits"] is True
    assert m.capacity_bytes == j["memory"]["capacity_bytes"] and m.capacity_source
    assert m.total_bytes == pytest.approx(m.weight_bytes + m.kv_bytes + m.activation_bytes)
    assert m.max_context == j["memory"]["max_context"]
    # The KV cache of prompt + gen tokens is the per-token size x the context, by hand.
    assert m.kv_bytes == 28_672 * (128 + 64)
    assert e.available and e.missing == j["missing"] and e.caveats == j["caveats"]
    assert repr(e).startswith("<tops.LlmEstimate rk3588 w8a8: TTFT ")


def test_quant_list_compares_weight_formats(cli):
    args = ["--chip", "rk3588", "--quant", "fp16,w8a8,w4a16", "--context", "8192"]
    r = tops.llm(QWEN, chip="rk3588", quant=["fp16", "w8a8", "w4a16"], context=8192)
    assert r.to_dict() == cli.json("llm", QWEN, *args)
    assert r.to_dict() == tops.llm(QWEN, chip="rk3588", quant="fp16,w8a8,w4a16",
                                   context=8192).to_dict()
    assert [e.quant for e in r.estimates] == ["fp16", "w8a8", "w4a16"]
    weights = [e.memory.weight_bytes for e in r.estimates]
    assert weights[0] > weights[1] > weights[2]
    decode = [e.decode_tokens_per_s.value for e in r.estimates]
    assert decode[0] < decode[1] < decode[2]  # decode reads every weight: fewer bytes, faster
    assert r.estimates[0].memory.weight_bytes == 2 * r.decoder.params
    assert r.estimates[0].memory.kv_bytes == 28_672 * 8192
    df = r.to_pandas()
    assert df["quant"].tolist() == ["fp16", "w8a8", "w4a16"]
    assert df["decode_tokens_per_s"].tolist() == decode
    assert repr(r).startswith("<tops.LlmResult ")


def test_options_decoder_export_and_html(cli, tmp_path):
    # A Jetson with the MLC family, every option of the command.
    args = ["--chip", "jetson_orin_nano_8gb", "--quant", "w4a16", "--kv", "int8", "--prompt",
            "300", "--gen", "20", "--batch", "2", "--chunk", "128", "--curve", "256,1024,4096"]
    r = tops.llm(QWEN, chip="jetson_orin_nano_8gb", quant="w4a16", kv="int8", prompt=300, gen=20,
                 batch=2, chunk=128, curve=[256, 1024, 4096])
    assert r.to_dict() == cli.json("llm", QWEN, *args)
    [e] = r.estimates
    assert e.calibration.id == "nvidia_tensorrt/mlc" and e.runtime == "mlc"
    assert e.prefill_chunk == 128 and e.prefill_chunks == 3  # ceil(300 / 128)
    assert [p.context for p in e.curve] == [256, 1024, 4096]
    assert e.batch_tokens_per_s == pytest.approx(2 * e.decode_tokens_per_s.value, rel=0.05)
    assert tops.llm(QWEN, chip="jetson_orin_nano_8gb", quant="w4a16", kv="int8", prompt=300,
                    gen=20, batch=2, chunk=128, curve="256,1024,4096").to_dict() == r.to_dict()
    # The board's memory instead of the catalog's size (--memory).
    board = tops.llm(QWEN, chip="rk3588", memory_gb=4)
    assert board.to_dict() == cli.json("llm", QWEN, "--chip", "rk3588", "--memory", "4")
    assert board.estimates[0].memory.capacity_bytes == 4e9
    assert board.estimates[0].memory.capacity_source.startswith("the memory given")
    # A runtime named, a chip file added: as the command.
    assert tops.llm(QWEN, chip="rk3588", runtime="llama_cpp").to_dict() == cli.json(
        "llm", QWEN, "--chip", "rk3588", "--runtime", "llama_cpp")
    extra = f"{REPO}/tests/hw/data/override.yaml"
    assert tops.llm(QWEN, chip="rk3588", chip_files=[extra]).to_dict() == cli.json(
        "llm", QWEN, "--chip", "rk3588", "--chips", extra)
    # A decoder ONNX export (the weights as stored), and its bytes under a label.
    onnx = tops.llm(TINY_ONNX, chip="jetson_orin_nano_8gb", quant="file")
    assert onnx.to_dict() == cli.json("llm", TINY_ONNX, "--chip", "jetson_orin_nano_8gb",
                                      "--quant", "file")
    assert onnx.decoder.format == "onnx"
    with open(TINY_ONNX, "rb") as f:
        data = f.read()
    assert tops.llm(data, label=TINY_ONNX).to_dict() == cli.json("llm", TINY_ONNX)
    # The page `--format html` writes; in Jupyter it shows in an iframe, Markdown beside it.
    page = r.html
    assert page == cli.run("llm", QWEN, *args, "--format", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert r._repr_html_().startswith("<iframe srcdoc=")
    assert r._repr_markdown_() == r.to_markdown()


def test_llm_rank_matches_the_cli(cli):
    r = tops.llm_rank(QWEN, tokens_per_s=10, context=2048)
    d = cli.json("rank", QWEN, "--tokens-per-s", "10", "--context", "2048")
    assert r.to_dict() == d
    assert str(r) == cli.run("rank", QWEN, "--tokens-per-s", "10", "--context", "2048").stdout
    assert (r.model, r.target_tokens_per_s, r.context) == (QWEN, 10, 2048)
    assert [x.chip for x in r.rows] == [x["chip"] for x in d["rows"]]
    assert [x.meets for x in r.rows] == [x["meets"] for x in d["rows"]]
    meets = [x.meets for x in r.rows]
    assert meets == sorted(meets, reverse=True) and any(meets)  # meeting chips first
    row = next(x for x in r.rows if x.chip == "rk3588")
    assert row.estimate.quant == "w4a16" and row.prompt == 1024 and row.generate == 1024
    assert row.curve[-1].context == 2048
    assert row.fast_enough is (row.curve[-1].tokens_per_s.value >= 10)
    assert [(x.chip_id, x.reason) for x in r.excluded] == [
        (x["chip"], x["reason"]) for x in d["excluded"]]
    args = ["--tokens-per-s", "25", "--context", "1000", "--prompt", "900", "--quant", "w8a8",
            "--kv", "int4"]
    other = tops.llm_rank(QWEN, tokens_per_s=25, context=1000, prompt=900, quant="w8a8",
                          kv="int4")
    assert other.to_dict() == cli.json("rank", QWEN, *args)
    assert other.to_csv() == cli.run("rank", QWEN, *args, "--format", "csv").stdout
    df = other.to_pandas()
    assert df["chip"].tolist() == [x.chip for x in other.rows]
    assert repr(r).startswith("<tops.LlmRankResult ")


def test_errors_carry_the_cli_message(cli):
    cases = [
        (tops.OptionError, dict(quant="w3a9"), ["--quant", "w3a9"]),
        (tops.OptionError, dict(kv="int2"), ["--kv", "int2"]),
        (tops.ChipError, dict(chip="no_such_chip"), ["--chip", "no_such_chip"]),
        (tops.OptionError, dict(chip="rk3588", runtime="nope"),
         ["--chip", "rk3588", "--runtime", "nope"]),
        (tops.AnalysisError, dict(chip="rk3588", prompt=0), ["--chip", "rk3588", "--prompt", "0"]),
        (tops.AnalysisError, dict(chip="rk3588", memory_gb=-1),
         ["--chip", "rk3588", "--memory", "-1"]),
    ]
    for cls, kwargs, args in cases:
        with pytest.raises(cls) as e:
            tops.llm(QWEN, **kwargs)
        assert str(e.value) == cli.error("llm", QWEN, *args), kwargs
    # Not a decoder with a KV cache: the model is one tops reads, but not as a language model.
    r18 = model_path("resnet18.onnx")
    with pytest.raises(tops.ModelError) as e:
        tops.llm(r18, chip="rk3588")
    assert str(e.value) == cli.error("llm", r18)
    with pytest.raises(tops.ModelError):
        tops.llm(os.path.join(REPO, "no_such_config.json"))
    with pytest.raises(tops.OptionError):
        tops.llm(QWEN, chip="rk3588", curve=[512, "x"])
    with pytest.raises(tops.OptionError):
        tops.llm(QWEN, quant=[])
    with pytest.raises(tops.AnalysisError) as e:
        tops.llm_rank(QWEN, tokens_per_s=10, context=1)
    assert str(e.value) == cli.error("rank", QWEN, "--tokens-per-s", "10", "--context", "1")
    with pytest.raises(tops.AnalysisError):
        tops.llm_rank(QWEN, tokens_per_s=-1)
    with pytest.raises(tops.OptionError):
        tops.llm_rank(QWEN, tokens_per_s=10, quant="w3a9")
