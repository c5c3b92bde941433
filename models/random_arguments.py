#!/usr/bin/env python3
"""Seeded random values for every argument of an MLIR function.

Writes a safetensors file with one F32 tensor per argument of the function,
named arg0, arg1, ... (the names mho-sim --inputs reads and cim-quantize's
weights-file binds when an argument has no mho.name). An argument of shape
[..., K, N] is drawn from N(0, 1/K) (a weight scaled by its fan-in); the
first argument, the activations, from N(0, 1).

  random_arguments.py model.mlir out.safetensors [--function NAME] [--seed S]
"""
import argparse
import json
import random
import re
import struct
import sys


def signature(text, function):
    pattern = r"func\.func @(\w+)\((.*?)\)\s*->"
    for name, args in re.findall(pattern, text, re.S):
        if function in (None, name):
            shapes = re.findall(r"tensor<([0-9x]+)xf32>", args)
            return [[int(d) for d in s.split("x")] for s in shapes]
    sys.exit(f"error: no function {function or ''} with f32 tensor arguments")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("model")
    p.add_argument("out")
    p.add_argument("--function")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    with open(a.model) as f:
        shapes = signature(f.read(), a.function)
    rng = random.Random(a.seed)
    header, payload = {}, bytearray()
    for i, shape in enumerate(shapes):
        count = 1
        for d in shape:
            count *= d
        sigma = 1.0 if i == 0 or len(shape) < 2 else shape[-2] ** -0.5
        data = struct.pack(f"<{count}f", *(rng.gauss(0.0, sigma) for _ in range(count)))
        header[f"arg{i}"] = {"dtype": "F32", "shape": shape,
                             "data_offsets": [len(payload), len(payload) + len(data)]}
        payload += data
    head = json.dumps(header).encode()
    head += b" " * (-len(head) % 8)
    with open(a.out, "wb") as f:
        f.write(struct.pack("<Q", len(head)) + head + payload)


if __name__ == "__main__":
    main()
