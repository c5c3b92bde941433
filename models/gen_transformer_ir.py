#!/usr/bin/python3
"""Writes transformer models as MLIR in the style real exporters emit.

  bert    BERT encoder, linalg-on-tensors as torch-mlir exports it (erf GELU,
          post-LayerNorm, attention with the softmax decomposed into generics)
  gpt2    GPT-2 decoder, torch-mlir style (tanh GELU, pre-LayerNorm, causal mask
          built from linalg.index, tied LM head)
  llama   Llama/Qwen-style decoder layer in current TOSA: grouped-query
          attention, RoPE, RMSNorm, SwiGLU; weights as function arguments
  moe     Mixtral-style mixture-of-experts feed-forward layer in TOSA: router,
          top-k, experts as function arguments

Weights (linalg models): `elided` writes dense_resource keys without blobs
(shape-only compilation at any size), `random` writes seeded dense_resource blobs, `globals`
puts the blobs behind ml_program globals. Standard library only.
"""

import argparse
import json
import os
import random
import struct
import sys


def read_safetensors(path):
    """name -> (shape, little-endian f32 bytes) of a safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    size = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + size])
    payload = data[8 + size:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            sys.exit(f"{path}: tensor '{name}' is {info['dtype']}, expected F32")
        begin, end = info["data_offsets"]
        tensors[name] = (list(info["shape"]), payload[begin:end])
    return tensors


def write_safetensors(path, tensors):
    """Writes name -> (shape, little-endian f32 bytes) as safetensors, via a
    temporary file, so that a failure leaves no partial file."""
    header, payload = {}, bytearray()
    for name, (shape, data) in tensors.items():
        header[name] = {"dtype": "F32", "shape": list(shape),
                        "data_offsets": [len(payload), len(payload) + len(data)]}
        payload += data
    head = json.dumps(header).encode()
    head += b" " * (-len(head) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(head)) + head + payload)
    os.replace(path + ".tmp", path)


class Writer:
    def __init__(self, weights, seed, trained=None):
        self.lines = []
        self.counter = 0
        self.weights = weights
        self.trained = trained
        self.rng = random.Random(seed)
        self.resources = []  # (key, hex)
        self.globals = []

    def v(self, prefix="v"):
        self.counter += 1
        return f"%{prefix}{self.counter}"

    def emit(self, text):
        self.lines.append("    " + text)

    def weight(self, name, shape, std=0.02):
        """A stationary weight as the exporter would spell it."""
        ty = tensor(shape)
        key = f"torch_tensor_{'_'.join(map(str, shape))}_{name.replace('.', '_')}"
        if self.weights == "elided":
            # A resource key without a blob: shapes only, and every weight
            # stays a distinct value (a shared __elided__ key would let CSE
            # merge different weights of one shape).
            res = self.v("w")
            self.emit(f"{res} = arith.constant dense_resource<{key}> : {ty}")
            return res
        count = 1
        for d in shape:
            count *= d
        if self.trained is not None:
            if name not in self.trained:
                sys.exit(f"error: the weights file has no tensor '{name}'")
            tshape, blob = self.trained[name]
            if tshape != list(shape):
                sys.exit(f"error: tensor '{name}' has shape {tshape}, the model needs {list(shape)}")
        else:
            blob = b"".join(struct.pack("<f", self.rng.gauss(0.0, std)) for _ in range(count))
        self.resources.append((key, "0x04000000" + blob.hex().upper()))
        res = self.v("w")
        if self.weights == "globals":
            self.globals.append(f"  ml_program.global private @{name}(dense_resource<{key}> : {ty}) : {ty}")
            self.emit(f"{res} = ml_program.global_load_const @{name} : {ty}")
        else:
            self.emit(f"{res} = arith.constant dense_resource<{key}> : {ty}")
        return res

    def resource_block(self):
        if not self.resources:
            return ""
        entries = ",\n".join(f"      {k}: \"{h}\"" for k, h in self.resources)
        return "\n{-#\n  dialect_resources: {\n    builtin: {\n" + entries + "\n    }\n  }\n#-}\n"


def tensor(shape, ty="f32"):
    return "tensor<" + "x".join(map(str, shape)) + f"x{ty}>"


def amap(dims, results):
    return "affine_map<(" + ", ".join(dims) + ") -> (" + ", ".join(results) + ")>"


def ident(rank):
    d = [f"d{i}" for i in range(rank)]
    return amap(d, d)


# ---------------------------------------------------------------- linalg ---


def empty(w, shape):
    e = w.v("e")
    w.emit(f"{e} = tensor.empty() : {tensor(shape)}")
    return e


def filled(w, shape, value):
    e = empty(w, shape)
    f = w.v("f")
    w.emit(f"{f} = linalg.fill ins({value} : f32) outs({e} : {tensor(shape)}) -> {tensor(shape)}")
    return f


def generic(w, ins, maps, out_shape, iterators, body, init=None):
    """ins: list of (value, type); body: lambda(args) -> list of lines, result."""
    out = init if init is not None else empty(w, out_shape)
    res = w.v()
    ins_vals = ", ".join(v for v, _ in ins)
    ins_tys = ", ".join(t for _, t in ins)
    its = ", ".join(f'"{i}"' for i in iterators)
    w.emit(f"{res} = linalg.generic {{indexing_maps = [{', '.join(maps)}], iterator_types = [{its}]}} "
           f"ins({ins_vals} : {ins_tys}) outs({out} : {tensor(out_shape)}) {{")
    args = [f"%in{i}" for i in range(len(ins))] + ["%out"]
    w.lines.append("    ^bb0(" + ", ".join(f"{a}: f32" for a in args) + "):")
    lines, result = body(args)
    for l in lines:
        w.lines.append("      " + l)
    w.lines.append(f"      linalg.yield {result} : f32")
    w.lines.append(f"    }} -> {tensor(out_shape)}")
    return res


def linear(w, x, s, k, n, name, bias=True):
    """torch.nn.Linear on x: tensor<s x k>; weight [n, k] transposed first."""
    wt = w.weight(name + ".weight", [n, k])
    t_e = empty(w, [k, n])
    t = w.v("t")
    w.emit(f"{t} = linalg.transpose ins({wt} : {tensor([n, k])}) outs({t_e} : {tensor([k, n])}) permutation = [1, 0]")
    acc = filled(w, [s, n], "%zero")
    mm = w.v("mm")
    w.emit(f"{mm} = linalg.matmul ins({x}, {t} : {tensor([s, k])}, {tensor([k, n])}) outs({acc} : {tensor([s, n])}) -> {tensor([s, n])}")
    if not bias:
        return mm
    b = w.weight(name + ".bias", [n])
    return generic(w, [(mm, tensor([s, n])), (b, tensor([n]))],
                   [ident(2), amap(["d0", "d1"], ["d1"]), ident(2)], [s, n], ["parallel"] * 2,
                   lambda a: ([f"%r = arith.addf {a[0]}, {a[1]} : f32"], "%r"))


def binary(w, a, b, shape, op):
    return generic(w, [(a, tensor(shape)), (b, tensor(shape))], [ident(len(shape))] * 3, shape,
                   ["parallel"] * len(shape), lambda x: ([f"%r = {op} {x[0]}, {x[1]} : f32"], "%r"))


def layer_norm(w, x, s, h, name):
    g = w.weight(name + ".weight", [h])
    b = w.weight(name + ".bias", [h])
    row = amap(["d0", "d1"], ["d0", "0"])
    vec = amap(["d0", "d1"], ["d1"])
    acc = filled(w, [s, 1], "%zero")
    total = generic(w, [(x, tensor([s, h]))], [ident(2), row], [s, 1], ["parallel", "reduction"],
                    lambda a: (["%r = arith.addf %in0, %out : f32"], "%r"), init=acc)
    mean = generic(w, [(total, tensor([s, 1]))], [ident(2), ident(2)], [s, 1], ["parallel"] * 2,
                   lambda a: (["%r = arith.divf %in0, %hidden : f32"], "%r"))
    acc2 = filled(w, [s, 1], "%zero")
    var = generic(w, [(x, tensor([s, h])), (mean, tensor([s, 1]))], [ident(2), row, row], [s, 1],
                  ["parallel", "reduction"],
                  lambda a: (["%c = arith.subf %in0, %in1 : f32", "%sq = arith.mulf %c, %c : f32",
                              "%r = arith.addf %sq, %out : f32"], "%r"), init=acc2)
    return generic(w, [(x, tensor([s, h])), (mean, tensor([s, 1])), (var, tensor([s, 1])),
                       (g, tensor([h])), (b, tensor([h]))],
                   [ident(2), row, row, vec, vec, ident(2)], [s, h], ["parallel"] * 2,
                   lambda a: (["%m = arith.divf %in2, %hidden : f32", "%e = arith.addf %m, %eps : f32",
                               "%rs = math.rsqrt %e : f32", "%c = arith.subf %in0, %in1 : f32",
                               "%n = arith.mulf %c, %rs : f32", "%sc = arith.mulf %n, %in3 : f32",
                               "%r = arith.addf %sc, %in4 : f32"], "%r"))


def gelu(w, x, shape, form):
    if form == "erf":
        body = ["%a = arith.mulf %in0, %rsqrt2 : f32", "%e = math.erf %a : f32",
                "%p = arith.addf %e, %one : f32", "%m = arith.mulf %in0, %p : f32",
                "%r = arith.mulf %m, %half : f32"]
    else:  # gelu_new: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        body = ["%x2 = arith.mulf %in0, %in0 : f32", "%x3 = arith.mulf %x2, %in0 : f32",
                "%c3 = arith.mulf %x3, %gelu_c : f32", "%s = arith.addf %in0, %c3 : f32",
                "%a = arith.mulf %s, %sqrt2pi : f32", "%t = math.tanh %a : f32",
                "%p = arith.addf %t, %one : f32", "%m = arith.mulf %in0, %p : f32",
                "%r = arith.mulf %m, %half : f32"]
    return generic(w, [(x, tensor(shape))], [ident(len(shape))] * 2, shape, ["parallel"] * len(shape),
                   lambda a: (body, "%r"))


def attention(w, x, s, h, heads, name, causal, batch=1):
    """Self-attention over `batch` independent sequences of `s` tokens; x is
    [batch * s, h]."""
    d = h // heads
    rows = batch * s
    q = linear(w, x, rows, h, h, name + ".query")
    k = linear(w, x, rows, h, h, name + ".key")
    v = linear(w, x, rows, h, h, name + ".value")

    def split(t, perm, out):
        if batch == 1:
            ex = w.v("x")
            w.emit(f"{ex} = tensor.expand_shape {t} [[0], [1, 2]] output_shape [{s}, {heads}, {d}] : {tensor([s, h])} into {tensor([s, heads, d])}")
            e = empty(w, out)
            tr = w.v("t")
            w.emit(f"{tr} = linalg.transpose ins({ex} : {tensor([s, heads, d])}) outs({e} : {tensor(out)}) permutation = [{', '.join(map(str, perm))}]")
            return tr
        # [B*S, H] -> [B, S, heads, d] -> per-sequence head-major -> [B*heads, ., .]
        shape4 = [batch, s, heads, d]
        perm4 = [0] + [p + 1 for p in perm]
        out4 = [batch] + out
        ex = w.v("x")
        w.emit(f"{ex} = tensor.expand_shape {t} [[0, 1], [2, 3]] output_shape [{batch}, {s}, {heads}, {d}] : {tensor([rows, h])} into {tensor(shape4)}")
        e = empty(w, out4)
        tr = w.v("t")
        w.emit(f"{tr} = linalg.transpose ins({ex} : {tensor(shape4)}) outs({e} : {tensor(out4)}) permutation = [{', '.join(map(str, perm4))}]")
        c = w.v("c")
        w.emit(f"{c} = tensor.collapse_shape {tr} [[0, 1], [2], [3]] : {tensor(out4)} into {tensor([batch * out[0]] + out[1:])}")
        return c

    qh = split(q, [1, 0, 2], [heads, s, d])
    kh = split(k, [1, 2, 0], [heads, d, s])
    vh = split(v, [1, 0, 2], [heads, s, d])
    heads = batch * heads  # batched matmuls run over every (sequence, head)
    acc = filled(w, [heads, s, s], "%zero")
    sc = w.v("bmm")
    w.emit(f"{sc} = linalg.batch_matmul ins({qh}, {kh} : {tensor([heads, s, d])}, {tensor([heads, d, s])}) outs({acc} : {tensor([heads, s, s])}) -> {tensor([heads, s, s])}")
    scale = f"%scale_{d}"
    if causal:
        body = ["%i = linalg.index 1 : index", "%j = linalg.index 2 : index",
                "%future = arith.cmpi ugt, %j, %i : index", f"%sc = arith.mulf %in0, {scale} : f32",
                "%r = arith.select %future, %neg_inf, %sc : f32"]
    else:
        body = [f"%r = arith.mulf %in0, {scale} : f32"]
    scaled = generic(w, [(sc, tensor([heads, s, s]))], [ident(3)] * 2, [heads, s, s], ["parallel"] * 3,
                     lambda a: (body, "%r"))
    row = amap(["d0", "d1", "d2"], ["d0", "d1", "0"])
    mx0 = filled(w, [heads, s, 1], "%neg_inf")
    mx = generic(w, [(scaled, tensor([heads, s, s]))], [ident(3), row], [heads, s, 1],
                 ["parallel", "parallel", "reduction"],
                 lambda a: (["%r = arith.maximumf %in0, %out : f32"], "%r"), init=mx0)
    ex = generic(w, [(scaled, tensor([heads, s, s])), (mx, tensor([heads, s, 1]))], [ident(3), row, ident(3)],
                 [heads, s, s], ["parallel"] * 3,
                 lambda a: (["%c = arith.subf %in0, %in1 : f32", "%r = math.exp %c : f32"], "%r"))
    sm0 = filled(w, [heads, s, 1], "%zero")
    sm = generic(w, [(ex, tensor([heads, s, s]))], [ident(3), row], [heads, s, 1],
                 ["parallel", "parallel", "reduction"],
                 lambda a: (["%r = arith.addf %in0, %out : f32"], "%r"), init=sm0)
    p = generic(w, [(ex, tensor([heads, s, s])), (sm, tensor([heads, s, 1]))], [ident(3), row, ident(3)],
                [heads, s, s], ["parallel"] * 3, lambda a: (["%r = arith.divf %in0, %in1 : f32"], "%r"))
    acc2 = filled(w, [heads, s, d], "%zero")
    ctx = w.v("bmm")
    w.emit(f"{ctx} = linalg.batch_matmul ins({p}, {vh} : {tensor([heads, s, s])}, {tensor([heads, s, d])}) outs({acc2} : {tensor([heads, s, d])}) -> {tensor([heads, s, d])}")
    if batch == 1:
        e = empty(w, [s, heads, d])
        tr = w.v("t")
        w.emit(f"{tr} = linalg.transpose ins({ctx} : {tensor([heads, s, d])}) outs({e} : {tensor([s, heads, d])}) permutation = [1, 0, 2]")
        merged = w.v("c")
        w.emit(f"{merged} = tensor.collapse_shape {tr} [[0], [1, 2]] : {tensor([s, heads, d])} into {tensor([s, h])}")
        return linear(w, merged, s, h, h, name + ".output")
    nh = heads // batch
    ex = w.v("x")
    w.emit(f"{ex} = tensor.expand_shape {ctx} [[0, 1], [2], [3]] output_shape [{batch}, {nh}, {s}, {d}] : {tensor([heads, s, d])} into {tensor([batch, nh, s, d])}")
    e = empty(w, [batch, s, nh, d])
    tr = w.v("t")
    w.emit(f"{tr} = linalg.transpose ins({ex} : {tensor([batch, nh, s, d])}) outs({e} : {tensor([batch, s, nh, d])}) permutation = [0, 2, 1, 3]")
    merged = w.v("c")
    w.emit(f"{merged} = tensor.collapse_shape {tr} [[0, 1], [2, 3]] : {tensor([batch, s, nh, d])} into {tensor([rows, h])}")
    return linear(w, merged, rows, h, h, name + ".output")


def scalar_constants(w, h, heads):
    d = h // heads
    w.emit("%zero = arith.constant 0.000000e+00 : f32")
    w.emit("%one = arith.constant 1.000000e+00 : f32")
    w.emit("%half = arith.constant 5.000000e-01 : f32")
    w.emit("%rsqrt2 = arith.constant 0.707106769 : f32")
    w.emit("%sqrt2pi = arith.constant 0.797884583 : f32")
    w.emit("%gelu_c = arith.constant 4.471500e-02 : f32")
    w.emit("%eps = arith.constant 9.99999996E-13 : f32")
    w.emit("%neg_inf = arith.constant 0xFF800000 : f32")
    w.emit(f"%hidden = arith.constant {float(h):e} : f32")
    w.emit(f"%scale_{d} = arith.constant {1.0 / d ** 0.5!r} : f32")


def linalg_module(w, name, s, h, out_shape, build, in_shape=None):
    lines_before = len(w.lines)
    result = build()
    body = w.lines[lines_before:]
    w.lines = w.lines[:lines_before]
    text = [f'module attributes {{torch.debug_module_name = "{name}"}} {{']
    text += w.globals
    text.append(f"  func.func @forward(%arg0: {tensor(in_shape or [1, s, h])}) -> {tensor(out_shape)} {{")
    text += body
    text.append(f"    return {result} : {tensor(out_shape)}")
    text.append("  }")
    text.append("}")
    return "\n".join(text) + "\n" + w.resource_block()


def bert(w, a):
    s, h, heads, ffn = a.seq, a.hidden, a.heads, a.ffn

    def build():
        scalar_constants(w, h, heads)
        x = w.v("x")
        w.emit(f"{x} = tensor.collapse_shape %arg0 [[0, 1], [2]] : {tensor([1, s, h])} into {tensor([s, h])}")
        for l in range(a.layers):
            p = f"encoder.layer.{l}"
            att = attention(w, x, s, h, heads, p + ".attention", causal=False)
            x = layer_norm(w, binary(w, att, x, [s, h], "arith.addf"), s, h, p + ".attention.LayerNorm")
            inter = gelu(w, linear(w, x, s, h, ffn, p + ".intermediate.dense"), [s, ffn], "erf")
            out = linear(w, inter, s, ffn, h, p + ".output.dense")
            x = layer_norm(w, binary(w, out, x, [s, h], "arith.addf"), s, h, p + ".output.LayerNorm")
        y = w.v("y")
        w.emit(f"{y} = tensor.expand_shape {x} [[0, 1], [2]] output_shape [1, {s}, {h}] : {tensor([s, h])} into {tensor([1, s, h])}")
        return y

    return linalg_module(w, "BertEncoder", s, h, [1, s, h], build)


def digits(w, a):
    """A small BERT-style classifier of 8x8 digit images read as 8 tokens of 8
    pixels: linear token embedding plus learned positions, post-LayerNorm
    encoder layers, the first token's state pooled, a linear classifier.
    models/digits/train.py trains it."""
    b, s, f, h, heads, ffn, classes = a.batch, a.seq, a.features, a.hidden, a.heads, a.ffn, a.classes
    rows = b * s

    def build():
        scalar_constants(w, h, heads)
        x = w.v("x")
        w.emit(f"{x} = tensor.collapse_shape %arg0 [[0, 1], [2]] : {tensor([b, s, f])} into {tensor([rows, f])}")
        x = linear(w, x, rows, f, h, "embeddings.token")
        pos = w.weight("embeddings.position", [s, h])
        x3 = w.v("x")
        w.emit(f"{x3} = tensor.expand_shape {x} [[0, 1], [2]] output_shape [{b}, {s}, {h}] : {tensor([rows, h])} into {tensor([b, s, h])}")
        withpos = generic(w, [(x3, tensor([b, s, h])), (pos, tensor([s, h]))],
                          [ident(3), amap(["d0", "d1", "d2"], ["d1", "d2"]), ident(3)], [b, s, h],
                          ["parallel"] * 3, lambda a_: (["%r = arith.addf %in0, %in1 : f32"], "%r"))
        x = w.v("x")
        w.emit(f"{x} = tensor.collapse_shape {withpos} [[0, 1], [2]] : {tensor([b, s, h])} into {tensor([rows, h])}")
        for l in range(a.layers):
            p = f"encoder.layer.{l}"
            att = attention(w, x, s, h, heads, p + ".attention", causal=False, batch=b)
            x = layer_norm(w, binary(w, att, x, [rows, h], "arith.addf"), rows, h, p + ".attention.LayerNorm")
            inter = gelu(w, linear(w, x, rows, h, ffn, p + ".intermediate.dense"), [rows, ffn], "erf")
            out = linear(w, inter, rows, ffn, h, p + ".output.dense")
            x = layer_norm(w, binary(w, out, x, [rows, h], "arith.addf"), rows, h, p + ".output.LayerNorm")
        x3 = w.v("x")
        w.emit(f"{x3} = tensor.expand_shape {x} [[0, 1], [2]] output_shape [{b}, {s}, {h}] : {tensor([rows, h])} into {tensor([b, s, h])}")
        first = w.v("cls")
        w.emit(f"{first} = tensor.extract_slice {x3}[0, 0, 0] [{b}, 1, {h}] [1, 1, 1] : {tensor([b, s, h])} to {tensor([b, 1, h])}")
        pooled = w.v("p")
        w.emit(f"{pooled} = tensor.collapse_shape {first} [[0, 1], [2]] : {tensor([b, 1, h])} into {tensor([b, h])}")
        return linear(w, pooled, b, h, classes, "classifier")

    return linalg_module(w, "DigitsClassifier", s, h, [b, classes], build, in_shape=[b, s, f])


def gpt2(w, a):
    s, h, heads, ffn, vocab = a.seq, a.hidden, a.heads, a.ffn, a.vocab

    def build():
        scalar_constants(w, h, heads)
        x = w.v("x")
        w.emit(f"{x} = tensor.collapse_shape %arg0 [[0, 1], [2]] : {tensor([1, s, h])} into {tensor([s, h])}")
        for l in range(a.layers):
            p = f"transformer.h.{l}"
            att = attention(w, layer_norm(w, x, s, h, p + ".ln_1"), s, h, heads, p + ".attn", causal=True)
            x = binary(w, x, att, [s, h], "arith.addf")
            m = gelu(w, linear(w, layer_norm(w, x, s, h, p + ".ln_2"), s, h, ffn, p + ".mlp.c_fc"), [s, ffn], "tanh")
            x = binary(w, x, linear(w, m, s, ffn, h, p + ".mlp.c_proj"), [s, h], "arith.addf")
        x = layer_norm(w, x, s, h, "transformer.ln_f")
        logits = linear(w, x, s, h, vocab, "lm_head", bias=False)
        y = w.v("y")
        w.emit(f"{y} = tensor.expand_shape {logits} [[0, 1], [2]] output_shape [1, {s}, {vocab}] : {tensor([s, vocab])} into {tensor([1, s, vocab])}")
        return y

    return linalg_module(w, "GPT2LMHeadModel", s, h, [1, s, vocab], build)


# ------------------------------------------------------------------ TOSA ---


class Tosa:
    def __init__(self):
        self.lines = []
        self.n = 0
        self.consts = {}

    def v(self):
        self.n += 1
        return f"%{self.n}"

    def emit(self, text):
        self.lines.append("    " + text)

    def const(self, value, shape, ty="f32"):
        key = (value, tuple(shape), ty)
        if key not in self.consts:
            r = self.v()
            self.emit(f'{r} = "tosa.const"() <{{values = dense<{value}> : {tensor(shape, ty)}}}> : () -> {tensor(shape, ty)}')
            self.consts[key] = r
        return self.consts[key]

    def shift(self):
        return self.const(0, [1], "i8")

    def op(self, name, operands, in_shapes, out_shape, attrs=""):
        r = self.v()
        tys = ", ".join(tensor(sh) if isinstance(sh, list) else sh for sh in in_shapes)
        a = f" {attrs}" if attrs else ""
        self.emit(f"{r} = tosa.{name} {', '.join(operands)}{a} : ({tys}) -> {tensor(out_shape)}")
        return r

    def mul(self, a, b, sa, sb, out):
        return self.op("mul", [a, b, self.shift()], [sa, sb, "tensor<1xi8>"], out)

    def matmul(self, a, b, sa, sb, out):
        zp = self.const("0.0", [1])
        return self.op("matmul", [a, b, zp, zp], [sa, sb, "tensor<1xf32>", "tensor<1xf32>"], out)

    def reshape(self, x, sin, sout):
        shp = self.v()
        self.emit(f"{shp} = tosa.const_shape {{values = dense<[{', '.join(map(str, sout))}]> : tensor<{len(sout)}xindex>}} : () -> !tosa.shape<{len(sout)}>")
        r = self.v()
        self.emit(f"{r} = tosa.reshape {x}, {shp} : ({tensor(sin)}, !tosa.shape<{len(sout)}>) -> {tensor(sout)}")
        return r

    def transpose(self, x, sin, perm):
        out = [sin[p] for p in perm]
        return self.op("transpose", [x], [sin], out, f"{{perms = array<i32: {', '.join(map(str, perm))}>}}"), out


def tosa_rmsnorm(t, x, g, s, h):
    sq = t.mul(x, x, [1, s, h], [1, s, h], [1, s, h])
    sm = t.op("reduce_sum", [sq], [[1, s, h]], [1, s, 1], "{axis = 2 : i32}")
    mean = t.mul(sm, t.const(repr(1.0 / h), [1, 1, 1]), [1, s, 1], [1, 1, 1], [1, s, 1])
    var = t.op("add", [mean, t.const("9.99999997E-7", [1, 1, 1])], [[1, s, 1], [1, 1, 1]], [1, s, 1])
    rs = t.op("rsqrt", [var], [[1, s, 1]], [1, s, 1])
    n = t.mul(x, rs, [1, s, h], [1, s, 1], [1, s, h])
    return t.mul(n, g, [1, s, h], [1, 1, h], [1, s, h])


def tosa_rope(t, x, cos, sin, heads, s, d):
    """Rotate-half RoPE on x: [1, heads, s, d]."""
    half = d // 2
    x1 = t.op("slice", [x, shape_const(t, [0, 0, 0, 0]), shape_const(t, [1, heads, s, half])],
              [[1, heads, s, d], "!tosa.shape<4>", "!tosa.shape<4>"], [1, heads, s, half])
    x2 = t.op("slice", [x, shape_const(t, [0, 0, 0, half]), shape_const(t, [1, heads, s, half])],
              [[1, heads, s, d], "!tosa.shape<4>", "!tosa.shape<4>"], [1, heads, s, half])
    nx2 = t.op("negate", [x2, t.const("0.0", [1]), t.const("0.0", [1])],
               [[1, heads, s, half], "tensor<1xf32>", "tensor<1xf32>"], [1, heads, s, half])
    rot = t.op("concat", [nx2, x1], [[1, heads, s, half], [1, heads, s, half]], [1, heads, s, d], "{axis = 3 : i32}")
    a = t.mul(x, cos, [1, heads, s, d], [1, 1, s, d], [1, heads, s, d])
    b = t.mul(rot, sin, [1, heads, s, d], [1, 1, s, d], [1, heads, s, d])
    return t.op("add", [a, b], [[1, heads, s, d], [1, heads, s, d]], [1, heads, s, d])


def shape_const(t, values):
    r = t.v()
    t.emit(f"{r} = tosa.const_shape {{values = dense<[{', '.join(map(str, values))}]> : tensor<{len(values)}xindex>}} : () -> !tosa.shape<{len(values)}>")
    return r


def tosa_softmax(t, x, shape):
    last = len(shape) - 1
    red = shape[:-1] + [1]
    m = t.op("reduce_max", [x], [shape], red, f"{{axis = {last} : i32}}")
    c = t.op("sub", [x, m], [shape, red], shape)
    e = t.op("exp", [c], [shape], shape)
    z = t.op("reduce_sum", [e], [shape], red, f"{{axis = {last} : i32}}")
    rz = t.op("reciprocal", [z], [red], red)
    return t.mul(e, rz, shape, red, shape)


def llama(a):
    s, h, heads, kv, ffn = a.seq, a.hidden, a.heads, a.kv_heads, a.ffn
    d = h // heads
    group = heads // kv
    t = Tosa()
    args = [("%x", [1, s, h]), ("%attn_norm", [1, 1, h]), ("%wq", [1, h, heads * d]), ("%wk", [1, h, kv * d]),
            ("%wv", [1, h, kv * d]), ("%wo", [1, heads * d, h]), ("%ffn_norm", [1, 1, h]),
            ("%w_gate", [1, h, ffn]), ("%w_up", [1, h, ffn]), ("%w_down", [1, ffn, h]),
            ("%cos", [1, 1, s, d]), ("%sin", [1, 1, s, d])]
    hn = tosa_rmsnorm(t, "%x", "%attn_norm", s, h)
    q = t.matmul(hn, "%wq", [1, s, h], [1, h, heads * d], [1, s, heads * d])
    k = t.matmul(hn, "%wk", [1, s, h], [1, h, kv * d], [1, s, kv * d])
    v = t.matmul(hn, "%wv", [1, s, h], [1, h, kv * d], [1, s, kv * d])

    def heads_first(x, n):
        r = t.reshape(x, [1, s, n * d], [1, s, n, d])
        tr, _ = t.transpose(r, [1, s, n, d], [0, 2, 1, 3])
        return tr

    qh = tosa_rope(t, heads_first(q, heads), "%cos", "%sin", heads, s, d)
    kh = tosa_rope(t, heads_first(k, kv), "%cos", "%sin", kv, s, d)
    vh = heads_first(v, kv)
    # Grouped-query attention: each K/V head serves `group` query heads.
    qg = t.reshape(qh, [1, heads, s, d], [kv, group * s, d])
    kt, _ = t.transpose(kh, [1, kv, s, d], [0, 1, 3, 2])
    kt3 = t.reshape(kt, [1, kv, d, s], [kv, d, s])
    sc = t.matmul(qg, kt3, [kv, group * s, d], [kv, d, s], [kv, group * s, s])
    sc = t.mul(sc, t.const(repr(1.0 / d ** 0.5), [1, 1, 1]), [kv, group * s, s], [1, 1, 1], [kv, group * s, s])
    mask = t.const("0.0", [1, group * s, s])
    sc = t.op("add", [sc, mask], [[kv, group * s, s], [1, group * s, s]], [kv, group * s, s])
    p = tosa_softmax(t, sc, [kv, group * s, s])
    v3 = t.reshape(vh, [1, kv, s, d], [kv, s, d])
    ctx = t.matmul(p, v3, [kv, group * s, s], [kv, s, d], [kv, group * s, d])
    ctx4 = t.reshape(ctx, [kv, group * s, d], [1, heads, s, d])
    ctxt, _ = t.transpose(ctx4, [1, heads, s, d], [0, 2, 1, 3])
    merged = t.reshape(ctxt, [1, s, heads, d], [1, s, heads * d])
    o = t.matmul(merged, "%wo", [1, s, heads * d], [1, heads * d, h], [1, s, h])
    x1 = t.op("add", ["%x", o], [[1, s, h], [1, s, h]], [1, s, h])
    hn2 = tosa_rmsnorm(t, x1, "%ffn_norm", s, h)
    g = t.matmul(hn2, "%w_gate", [1, s, h], [1, h, ffn], [1, s, ffn])
    u = t.matmul(hn2, "%w_up", [1, s, h], [1, h, ffn], [1, s, ffn])
    sg = t.op("sigmoid", [g], [[1, s, ffn]], [1, s, ffn])
    silu = t.mul(g, sg, [1, s, ffn], [1, s, ffn], [1, s, ffn])
    gu = t.mul(silu, u, [1, s, ffn], [1, s, ffn], [1, s, ffn])
    dn = t.matmul(gu, "%w_down", [1, s, ffn], [1, ffn, h], [1, s, h])
    out = t.op("add", [x1, dn], [[1, s, h], [1, s, h]], [1, s, h])
    sig = ", ".join(f"{n}: {tensor(sh)}" for n, sh in args)
    text = ["module {", f"  func.func @decoder_layer({sig}) -> {tensor([1, s, h])} {{"]
    text += t.lines
    text += [f"    return {out} : {tensor([1, s, h])}", "  }", "}"]
    return "\n".join(text) + "\n"


def moe(a):
    s, h, e, k, ffn = a.seq, a.hidden, a.experts, a.top_k, a.ffn
    t = Tosa()
    args = [("%x", [1, s, h]), ("%router", [1, h, e]), ("%w_gate", [e, h, ffn]), ("%w_up", [e, h, ffn]),
            ("%w_down", [e, ffn, h])]
    logits = t.matmul("%x", "%router", [1, s, h], [1, h, e], [1, s, e])
    probs = tosa_softmax(t, logits, [1, s, e])
    # Dense formulation as exporters emit it for static shapes: every expert's
    # output is computed and weighted by its routing weight (zero unless the
    # expert is among the top-k); the compiler executes only routed experts.
    kth = t.v()
    t.emit(f"{kth} = tosa.reduce_max {probs} {{axis = 2 : i32}} : ({tensor([1, s, e])}) -> {tensor([1, s, 1])}")
    routing = probs  # refined below by top-k masking
    masked = probs
    for i in range(1, k):
        # Remove the current maximum and take the next one: top-k threshold.
        eq = t.v()
        t.emit(f"{eq} = tosa.greater_equal {masked}, {kth} : ({tensor([1, s, e])}, {tensor([1, s, 1])}) -> {tensor([1, s, e], 'i1')}")
        neg = t.const("-1.000000e+00", [1, s, e])
        sel = t.v()
        t.emit(f"{sel} = tosa.select {eq}, {neg}, {masked} : ({tensor([1, s, e], 'i1')}, {tensor([1, s, e])}, {tensor([1, s, e])}) -> {tensor([1, s, e])}")
        masked = sel
        kth = t.op("reduce_max", [masked], [[1, s, e]], [1, s, 1], "{axis = 2 : i32}")
    keep = t.v()
    t.emit(f"{keep} = tosa.greater_equal {probs}, {kth} : ({tensor([1, s, e])}, {tensor([1, s, 1])}) -> {tensor([1, s, e], 'i1')}")
    zero = t.const("0.0", [1, s, e])
    routing = t.v()
    t.emit(f"{routing} = tosa.select {keep}, {probs}, {zero} : ({tensor([1, s, e], 'i1')}, {tensor([1, s, e])}, {tensor([1, s, e])}) -> {tensor([1, s, e])}")
    norm = t.op("reduce_sum", [routing], [[1, s, e]], [1, s, 1], "{axis = 2 : i32}")
    rn = t.op("reciprocal", [norm], [[1, s, 1]], [1, s, 1])
    gates = t.mul(routing, rn, [1, s, e], [1, s, 1], [1, s, e])
    xs = t.reshape("%x", [1, s, h], [1, s, h])
    xb = t.op("tile", [xs, shape_const(t, [e, 1, 1])], [[1, s, h], "!tosa.shape<3>"], [e, s, h])
    g = t.matmul(xb, "%w_gate", [e, s, h], [e, h, ffn], [e, s, ffn])
    u = t.matmul(xb, "%w_up", [e, s, h], [e, h, ffn], [e, s, ffn])
    sg = t.op("sigmoid", [g], [[e, s, ffn]], [e, s, ffn])
    silu = t.mul(g, sg, [e, s, ffn], [e, s, ffn], [e, s, ffn])
    gu = t.mul(silu, u, [e, s, ffn], [e, s, ffn], [e, s, ffn])
    y = t.matmul(gu, "%w_down", [e, s, ffn], [e, ffn, h], [e, s, h])
    gt, _ = t.transpose(gates, [1, s, e], [2, 1, 0])
    gt3 = t.reshape(gt, [e, s, 1], [e, s, 1])
    wy = t.mul(y, gt3, [e, s, h], [e, s, 1], [e, s, h])
    out = t.op("reduce_sum", [wy], [[e, s, h]], [1, s, h], "{axis = 0 : i32}")
    sig = ", ".join(f"{n}: {tensor(sh)}" for n, sh in args)
    text = ["module {", f"  func.func @moe_ffn({sig}) -> {tensor([1, s, h])} {{"]
    text += t.lines
    text += [f"    return {out} : {tensor([1, s, h])}", "  }", "}"]
    return "\n".join(text) + "\n"


PRESETS = {
    "digits": dict(layers=2, hidden=32, heads=2, ffn=64, seq=8, features=8, classes=10, batch=1),
    "bert": dict(layers=12, hidden=768, heads=12, ffn=3072, seq=128),
    "gpt2": dict(layers=12, hidden=768, heads=12, ffn=3072, seq=128, vocab=50257),
    "llama": dict(hidden=896, heads=14, kv_heads=2, ffn=4864, seq=64),  # Qwen2-0.5B layer
    "moe": dict(hidden=4096, experts=8, top_k=2, ffn=14336, seq=16),  # Mixtral-8x7B layer
}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", choices=sorted(PRESETS))
    for name in ["layers", "hidden", "heads", "kv_heads", "ffn", "seq", "vocab", "experts", "top_k",
                 "batch", "features", "classes"]:
        p.add_argument("--" + name.replace("_", "-"), dest=name, type=int)
    p.add_argument("--weights", choices=["elided", "random", "globals"], default="elided")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--weights-file", help="take the weights from this safetensors file (F32, "
                   "named as the model's parameters)")
    p.add_argument("-o", "--output", default="-")
    a = p.parse_args()
    for k, v in PRESETS[a.model].items():
        if getattr(a, k) is None:
            setattr(a, k, v)
    if a.model in ("bert", "gpt2", "llama", "digits") and a.hidden % a.heads:
        p.error(f"--hidden {a.hidden} is not a multiple of --heads {a.heads}")
    if a.model == "llama" and a.heads % a.kv_heads:
        p.error(f"--heads {a.heads} is not a multiple of --kv-heads {a.kv_heads}")
    if a.model == "moe" and not 1 <= a.top_k <= a.experts:
        p.error("--top-k must be in [1, --experts]")
    trained = read_safetensors(a.weights_file) if a.weights_file else None
    if trained is not None and a.weights == "elided":
        a.weights = "random"  # blobs, filled from the file
    w = Writer(a.weights, a.seed, trained)
    text = {"bert": lambda: bert(w, a), "gpt2": lambda: gpt2(w, a), "llama": lambda: llama(a),
            "digits": lambda: digits(w, a),
            "moe": lambda: moe(a)}[a.model]()
    if a.output == "-":
        sys.stdout.write(text)
    else:
        with open(a.output + ".tmp", "w") as f:
            f.write(text)
        os.replace(a.output + ".tmp", a.output)


if __name__ == "__main__":
    main()
