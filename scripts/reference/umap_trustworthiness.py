"""UMAP keeps neighbourhoods: scikit-learn's trustworthiness (10 neighbours) of `kmeans-explorer embed --method umap`
on scikit-learn's 8×8 digits (1,797 × 64), which must be at least 0.97; PCA's is printed beside it for scale.

Writes the digits as X.npy / y.npy to a temporary folder, runs the CLI from the sources (npx tsx src-main/cli.ts),
and computes sklearn.manifold.trustworthiness on the returned coordinates. Exit code 1 below the bar.
Run: /usr/bin/python3 scripts/reference/umap_trustworthiness.py [--seed S]   (about a minute)
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.datasets import load_digits
from sklearn.manifold import trustworthiness

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BAR = 0.97


def embed(path, method, seed, out):
    subprocess.run(
        ["npx", "tsx", "src-main/cli.ts", "embed", "--dataset", path, "--method", method, "--seed", str(seed), "--json", out],
        cwd=ROOT, check=True,
    )
    with open(out) as f:
        r = json.load(f)
    return np.asarray(r["coords"], dtype=np.float64).reshape(r["n"], 2), r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    X, y = load_digits(return_X_y=True)
    with tempfile.TemporaryDirectory() as tmp:
        np.save(os.path.join(tmp, "X.npy"), X.astype(np.float32))
        np.save(os.path.join(tmp, "y.npy"), y.astype(np.int64))
        path = os.path.join(tmp, "X.npy")
        results = {}
        for method in ("pca", "umap"):
            coords, r = embed(path, method, args.seed, os.path.join(tmp, f"{method}.json"))
            t = trustworthiness(X, coords, n_neighbors=10)
            results[method] = t
            print(f"{method}: trustworthiness(10) = {t:.4f} on {r['n']} digits, {r['seconds']['embed']:.1f} s")
    ok = results["umap"] >= BAR
    print(f"UMAP {'meets' if ok else 'MISSES'} the bar of {BAR}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
