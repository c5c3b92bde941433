#!/usr/bin/python3
"""Trains the bundled digits classifier and writes its weights and test set.

The model is the `digits` model of ../gen_transformer_ir.py, written here in
PyTorch with the same operations in the same order (post-LayerNorm encoder
layers with epsilon 1e-12, erf GELU, first-token pooling). The data is
scikit-learn's bundled copy of the UCI 8x8 handwritten digits (1797 images;
nothing is downloaded): each image is read as 8 tokens of 8 pixels scaled to
[0, 1]. Writes, beside this file:

  weights.safetensors   F32 parameters, named as the generator expects
  test_inputs.npy       [360, 8, 8] f32, the held-out 20 % (seeded split)
  test_labels.npy       [360] i64

Needs Debian's python3-torch and python3-sklearn; run it only to regenerate
the committed files: /usr/bin/python3 models/digits/train.py
"""

import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from gen_transformer_ir import write_safetensors  # noqa: E402

try:
    import numpy as np
    import torch
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
except ImportError as e:
    sys.exit(f"{e}: install Debian's python3-torch and python3-sklearn")

HIDDEN, HEADS, FFN, LAYERS, SEQ, FEATURES, CLASSES = 32, 2, 64, 2, 8, 8, 10
EPS = 1e-12


class Layer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.query = torch.nn.Linear(HIDDEN, HIDDEN)
        self.key = torch.nn.Linear(HIDDEN, HIDDEN)
        self.value = torch.nn.Linear(HIDDEN, HIDDEN)
        self.output = torch.nn.Linear(HIDDEN, HIDDEN)
        self.ln1 = torch.nn.LayerNorm(HIDDEN, eps=EPS)
        self.inter = torch.nn.Linear(HIDDEN, FFN)
        self.out = torch.nn.Linear(FFN, HIDDEN)
        self.ln2 = torch.nn.LayerNorm(HIDDEN, eps=EPS)

    def forward(self, x):
        b, s, h = x.shape
        d = h // HEADS

        def heads(t):
            return t.view(b, s, HEADS, d).transpose(1, 2)

        q, k, v = heads(self.query(x)), heads(self.key(x)), heads(self.value(x))
        p = torch.softmax(q @ k.transpose(-1, -2) * (1.0 / math.sqrt(d)), dim=-1)
        ctx = (p @ v).transpose(1, 2).reshape(b, s, h)
        x = self.ln1(self.output(ctx) + x)
        return self.ln2(self.out(torch.nn.functional.gelu(self.inter(x))) + x)


class Classifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.token = torch.nn.Linear(FEATURES, HIDDEN)
        self.position = torch.nn.Parameter(torch.randn(SEQ, HIDDEN) * 0.02)
        self.layers = torch.nn.ModuleList(Layer() for _ in range(LAYERS))
        self.classifier = torch.nn.Linear(HIDDEN, CLASSES)

    def forward(self, x):
        x = self.token(x) + self.position
        for layer in self.layers:
            x = layer(x)
        return self.classifier(x[:, 0])

    def named_for_generator(self):
        out = {"embeddings.token.weight": self.token.weight,
               "embeddings.token.bias": self.token.bias,
               "embeddings.position": self.position,
               "classifier.weight": self.classifier.weight,
               "classifier.bias": self.classifier.bias}
        for i, layer in enumerate(self.layers):
            p = f"encoder.layer.{i}"
            for name, mod in [("attention.query", layer.query), ("attention.key", layer.key),
                              ("attention.value", layer.value), ("attention.output", layer.output),
                              ("attention.LayerNorm", layer.ln1), ("intermediate.dense", layer.inter),
                              ("output.dense", layer.out), ("output.LayerNorm", layer.ln2)]:
                out[f"{p}.{name}.weight"] = mod.weight
                out[f"{p}.{name}.bias"] = mod.bias
        return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    torch.manual_seed(0)
    torch.set_num_threads(1)
    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)
    x_train, x_test, y_train, y_test = train_test_split(
        x, digits.target, test_size=0.2, random_state=0, stratify=digits.target)
    model = Classifier()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    xt, yt = torch.from_numpy(x_train), torch.from_numpy(y_train)
    for epoch in range(60):
        model.train()
        perm = torch.randperm(len(xt))
        for i in range(0, len(xt), 64):
            idx = perm[i:i + 64]
            loss = torch.nn.functional.cross_entropy(model(xt[idx]), yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        acc = (model(torch.from_numpy(x_test)).argmax(1).numpy() == y_test).mean()
    print(f"test accuracy (PyTorch, fp32): {acc:.4f} on {len(y_test)} images")
    write_safetensors(
        os.path.join(here, "weights.safetensors"),
        {name: (list(t.shape), t.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes())
         for name, t in model.named_for_generator().items()})
    np.save(os.path.join(here, "test_inputs.npy"), x_test.astype(np.float32))
    np.save(os.path.join(here, "test_labels.npy"), y_test.astype(np.int64))


if __name__ == "__main__":
    main()
