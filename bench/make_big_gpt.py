#!/usr/bin/python3
"""Writes bench/models/gpt_6k.onnx: a GPT-style decoder large enough (about 6,500 nodes) to time
the whole CLI per node, exported the way PyTorch exports transformers (runtime Shape / Gather /
Concat / Reshape chains for the heads, a symbolic sequence length `seq`).

Weightless like the fixtures in tests/models: every initializer of more than 64 elements keeps
its name, dims and data type but no data, so the file stays small. Needs Debian's python3-torch
and python3-onnx; the output is committed, so nothing runs this at build or test time.

    /usr/bin/python3 bench/make_big_gpt.py [OUT.onnx] [LAYERS]
"""
import math
import sys

import onnx
import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, 4 * d)
        self.fc2 = nn.Linear(4 * d, d)

    def forward(self, x, mask):
        b, t, d = x.shape
        h = self.heads
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q = q.view(b, t, h, d // h).transpose(1, 2)
        k = k.view(b, t, h, d // h).transpose(1, 2)
        v = v.view(b, t, h, d // h).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(d // h)
        att = att.masked_fill(mask[:, :, :t, :t] == 0, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        return x + self.fc2(nn.functional.gelu(self.fc1(self.ln2(x))))


class Gpt(nn.Module):
    def __init__(self, layers, d=256, heads=4, vocab=1000, context=512):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(context, d)
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)
        self.register_buffer("mask", torch.tril(torch.ones(context, context)).view(1, 1, context, context))

    def forward(self, ids):
        t = ids.shape[1]
        x = self.tok(ids) + self.pos(torch.arange(t).unsqueeze(0))
        for block in self.blocks:
            x = block(x, self.mask)
        return self.head(self.ln(x))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "bench/models/gpt_6k.onnx"
    layers = int(sys.argv[2]) if len(sys.argv) > 2 else 54
    torch.manual_seed(0)
    model = Gpt(layers).eval()
    ids = torch.zeros(1, 16, dtype=torch.long)
    torch.onnx.export(model, (ids,), out, opset_version=13, input_names=["ids"],
                      output_names=["logits"], dynamic_axes={"ids": {1: "seq"}, "logits": {1: "seq"}})
    m = onnx.load(out)
    for t in m.graph.initializer:
        n = 1
        for d in t.dims:
            n *= d
        if n > 64:
            t.ClearField("raw_data")
            t.ClearField("float_data")
            t.ClearField("int64_data")
    onnx.save(m, out)
    print(f"{out}: {len(m.graph.node)} nodes, {len(m.graph.initializer)} initializers")


if __name__ == "__main__":
    main()
