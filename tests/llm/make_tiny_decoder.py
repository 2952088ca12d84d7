#!/usr/bin/env python3
"""Builds a small Llama-style decoder in PyTorch and exports it to ONNX with a KV cache, beside
the Hugging Face config.json that describes the same model.

tops reads both: the config through its config reader (a decoder graph with fused attention
ops), the ONNX through its ONNX reader (the decomposed graph torch exports). A test checks that
the two give the same parameters, matrix FLOPs per token, weight bytes and KV bytes.

The model: RMSNorm, rotary embeddings on Q and K, grouped-query attention (4 query heads sharing
2 key/value heads), SiLU-gated MLP, untied LM head. The causal mask is an input
(attention_mask [batch, 1, sequence_length, total_sequence_length], additive), the cache is
past_key_values.<i>.key/.value [batch, kv_heads, past_sequence_length, head_dim] in,
present.<i>.key/.value out, as Optimum exports name them.

Outputs (committed; CI does not run this script): tiny_decoder.onnx, tiny_decoder_config.json.
Usage: python3 tests/llm/make_tiny_decoder.py [output_dir]   (Debian's python3-torch 1.13)
"""
import json
import os
import sys

import torch
from torch import nn

VOCAB, HIDDEN, LAYERS, HEADS, KV_HEADS, HEAD_DIM, INTER = 256, 64, 2, 4, 2, 16, 128
THETA, EPS, MAX_POS = 10000.0, 1e-6, 2048


class RMSNorm(nn.Module):
    def __init__(self, n):
        super().__init__()
        # Distinct values: the exporter merges initializers with equal contents.
        self.weight = nn.Parameter(1 + 0.1 * torch.randn(n))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + EPS) * self.weight


def rotate(x, cos, sin):
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    return x * cos + torch.cat((-x2, x1), dim=-1) * sin


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.input_layernorm = RMSNorm(HIDDEN)
        self.q_proj = nn.Linear(HIDDEN, HEADS * HEAD_DIM, bias=False)
        self.k_proj = nn.Linear(HIDDEN, KV_HEADS * HEAD_DIM, bias=False)
        self.v_proj = nn.Linear(HIDDEN, KV_HEADS * HEAD_DIM, bias=False)
        self.o_proj = nn.Linear(HEADS * HEAD_DIM, HIDDEN, bias=False)
        self.post_attention_layernorm = RMSNorm(HIDDEN)
        self.gate_proj = nn.Linear(HIDDEN, INTER, bias=False)
        self.up_proj = nn.Linear(HIDDEN, INTER, bias=False)
        self.down_proj = nn.Linear(INTER, HIDDEN, bias=False)

    def forward(self, x, cos, sin, mask, past_k, past_v):
        b, s, _ = x.shape
        h = self.input_layernorm(x)
        q = self.q_proj(h).view(b, s, HEADS, HEAD_DIM).transpose(1, 2)
        k = self.k_proj(h).view(b, s, KV_HEADS, HEAD_DIM).transpose(1, 2)
        v = self.v_proj(h).view(b, s, KV_HEADS, HEAD_DIM).transpose(1, 2)
        q, k = rotate(q, cos, sin), rotate(k, cos, sin)
        k = torch.cat([past_k, k], dim=2)
        v = torch.cat([past_v, v], dim=2)
        present_k, present_v = k, v
        rep = HEADS // KV_HEADS
        t = k.shape[2]
        k = k[:, :, None].expand(b, KV_HEADS, rep, t, HEAD_DIM).reshape(b, HEADS, t, HEAD_DIM)
        v = v[:, :, None].expand(b, KV_HEADS, rep, t, HEAD_DIM).reshape(b, HEADS, t, HEAD_DIM)
        scores = torch.matmul(q, k.transpose(2, 3)) / (HEAD_DIM ** 0.5) + mask
        a = torch.matmul(torch.softmax(scores, dim=-1), v)
        a = a.transpose(1, 2).reshape(b, s, HEADS * HEAD_DIM)
        x = x + self.o_proj(a)
        h = self.post_attention_layernorm(x)
        g = self.gate_proj(h)
        x = x + self.down_proj(g * torch.sigmoid(g) * self.up_proj(h))
        return x, present_k, present_v


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed_tokens = nn.Embedding(VOCAB, HIDDEN)
        self.layers = nn.ModuleList([Layer() for _ in range(LAYERS)])
        self.norm = RMSNorm(HIDDEN)
        self.lm_head = nn.Linear(HIDDEN, VOCAB, bias=False)

    def forward(self, input_ids, position_ids, attention_mask, *past):
        # Rotary angles from the positions; the inverse frequencies are computed here, not a
        # learned tensor.
        inv = THETA ** (-torch.arange(0, HEAD_DIM, 2, dtype=torch.float32) / HEAD_DIM)
        ang = position_ids[:, None, :, None].float() * inv
        ang = torch.cat([ang, ang], dim=-1)
        cos, sin = ang.cos(), ang.sin()
        x = self.embed_tokens(input_ids)
        presents = []
        for i, layer in enumerate(self.layers):
            x, pk, pv = layer(x, cos, sin, attention_mask, past[2 * i], past[2 * i + 1])
            presents += [pk, pv]
        return (self.lm_head(self.norm(x)), *presents)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    torch.manual_seed(15)
    model = Decoder().eval()
    b, s, p = 1, 3, 5
    ids = torch.randint(0, VOCAB, (b, s))
    pos = torch.arange(p, p + s)[None]
    mask = torch.zeros(b, 1, s, p + s)
    past = []
    names_in = ["input_ids", "position_ids", "attention_mask"]
    names_out = ["logits"]
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"},
            "position_ids": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 2: "sequence_length", 3: "total_sequence_length"},
            "logits": {0: "batch_size", 1: "sequence_length"}}
    for i in range(LAYERS):
        for kind in ("key", "value"):
            past.append(torch.randn(b, KV_HEADS, p, HEAD_DIM))
            name = f"past_key_values.{i}.{kind}"
            names_in.append(name)
            axes[name] = {0: "batch_size", 2: "past_sequence_length"}
            oname = f"present.{i}.{kind}"
            names_out.append(oname)
            axes[oname] = {0: "batch_size", 2: "total_sequence_length"}
    with torch.no_grad():
        torch.onnx.export(model, (ids, pos, mask, *past), os.path.join(out, "tiny_decoder.onnx"),
                          input_names=names_in, output_names=names_out, dynamic_axes=axes,
                          opset_version=14, do_constant_folding=True)
    config = {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_act": "silu",
        "hidden_size": HIDDEN, "intermediate_size": INTER, "num_hidden_layers": LAYERS,
        "num_attention_heads": HEADS, "num_key_value_heads": KV_HEADS, "head_dim": HEAD_DIM,
        "vocab_size": VOCAB, "max_position_embeddings": MAX_POS, "rms_norm_eps": EPS,
        "rope_theta": THETA, "tie_word_embeddings": False, "attention_bias": False,
        "mlp_bias": False, "torch_dtype": "float32",
    }
    with open(os.path.join(out, "tiny_decoder_config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    print("params", sum(t.numel() for t in model.parameters()))


if __name__ == "__main__":
    main()
