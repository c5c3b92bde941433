#!/usr/bin/env python3
"""Writes and prints small .npy files with the standard library only.

  npy.py write PATH DTYPE SHAPE VALUES   DTYPE f32|i8|i16|i32, SHAPE 4x16,
                                         VALUES comma-separated, cycled to fill
  npy.py print PATH                      shape, dtype and values, one row a line
  npy.py safetensors OUT NAME=FILE.npy... the .npy files as one safetensors file
"""
import ast
import json
import struct
import sys

CODES = {"f32": ("<f4", "f"), "i8": ("|i1", "b"), "i16": ("<i2", "h"),
         "i32": ("<i4", "i")}


def write(path, dtype, shape, values):
    descr, fmt = CODES[dtype]
    dims = [int(d) for d in shape.split("x")]
    count = 1
    for d in dims:
        count *= d
    items = [float(v) if dtype == "f32" else int(v) for v in values.split(",")]
    data = [items[i % len(items)] for i in range(count)]
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, ", ".join(str(d) for d in dims) + ("," if len(dims) == 1 else ""))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode("latin1"))
        f.write(struct.pack("<%d%s" % (count, fmt), *data))


def read(path):
    with open(path, "rb") as f:
        blob = f.read()
    assert blob[:6] == b"\x93NUMPY", "not an .npy file"
    length = struct.unpack("<H", blob[8:10])[0]
    header = ast.literal_eval(blob[10:10 + length].decode("latin1"))
    return header, blob[10 + length:]


def safetensors(out, pairs):
    names = {"<f4": "F32", "|i1": "I8", "<i2": "I16", "<i4": "I32"}
    header, data, offset = {}, b"", 0
    for pair in pairs:
        name, path = pair.split("=", 1)
        h, raw = read(path)
        header[name] = {"dtype": names[h["descr"]], "shape": list(h["shape"]),
                        "data_offsets": [offset, offset + len(raw)]}
        data += raw
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(out, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


def show(path):
    with open(path, "rb") as f:
        blob = f.read()
    assert blob[:6] == b"\x93NUMPY", "not an .npy file"
    length = struct.unpack("<H", blob[8:10])[0]
    header = ast.literal_eval(blob[10:10 + length].decode("latin1"))
    fmt = {v[0]: v[1] for v in CODES.values()}[header["descr"]]
    shape = header["shape"]
    count = 1
    for d in shape:
        count *= d
    values = struct.unpack_from("<%d%s" % (count, fmt), blob, 10 + length)
    print("shape", "x".join(str(d) for d in shape), "dtype", header["descr"])
    row = shape[-1] if shape else 1
    for i in range(0, count, row):
        print(" ".join(("%g" % v) for v in values[i:i + row]))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(*sys.argv[2:6])
    elif sys.argv[1] == "safetensors":
        safetensors(sys.argv[2], sys.argv[3:])
    else:
        show(sys.argv[2])
