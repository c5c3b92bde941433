#!/usr/bin/env python3
"""Seeded random values for every argument of an MLIR function.

Writes a safetensors file with one F32 tensor per f32 tensor argument of the
function, named by its mho.name argument attribute or arg<position> (the names
mho-sim --inputs reads and cim-quantize's weights-file binds). An argument of shape
[..., K, N] is drawn from N(0, 1/K) (a weight scaled by its fan-in); the
first argument, the activations, from N(0, 1).

  random_arguments.py model.mlir out.safetensors [--function NAME] [--seed S]
"""
import argparse
import os
import random
import re
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_transformer_ir import write_safetensors  # noqa: E402


def signature(text, function):
    """(name, shape or None) per argument: shape for f32 tensors, None else."""
    pattern = r"func\.func @(\w+)\((.*?)\)\s*->"
    for fname, args in re.findall(pattern, text, re.S):
        if function not in (None, fname):
            continue
        result = []
        arg = r"%[\w.$-]+\s*:\s*([^,{]+?)\s*(\{[^}]*\})?\s*(?:,|$)"
        for i, (type_, attrs) in enumerate(re.findall(arg, args.strip())):
            named = re.search(r'mho\.name\s*=\s*"([^"]*)"', attrs or "")
            name = named.group(1) if named else f"arg{i}"
            m = re.fullmatch(r"tensor<((?:\d+x)*)f32>", type_.strip())
            shape = [int(d) for d in m.group(1).split("x") if d] if m else None
            result.append((name, shape))
        return result
    sys.exit(f"error: no function {function or ''} in the model")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("model")
    p.add_argument("out")
    p.add_argument("--function")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    with open(a.model) as f:
        arguments = signature(f.read(), a.function)
    rng = random.Random(a.seed)
    tensors = {}
    for i, (name, shape) in enumerate(arguments):
        if shape is None:
            print(f"note: argument {i} ('{name}') is not an f32 tensor; no values written",
                  file=sys.stderr)
            continue
        count = 1
        for d in shape:
            count *= d
        sigma = 1.0 if i == 0 or len(shape) < 2 else shape[-2] ** -0.5
        tensors[name] = (shape, struct.pack(
            f"<{count}f", *(rng.gauss(0.0, sigma) for _ in range(count))))
    write_safetensors(a.out, tensors)


if __name__ == "__main__":
    main()
