"""UMAP of MNIST keeps neighbourhoods: scikit-learn's trustworthiness (10 neighbours) of
`kmeans-explorer embed --method umap` on the first --rows digits of the 70k (default all 70,000), measured on a
--sample-point random subsample (default 5,000; trustworthiness is quadratic in the points), which must be at
least 0.90. Prints the embed time (the issue's budget for 70,000 is 90 s on the 2-core machine).

Writes the digits (uint8) as X.npy to a temporary folder, runs the CLI from the sources (npx tsx src-main/cli.ts),
and computes sklearn.manifold.trustworthiness on the subsample's pixels / 255 and its map coordinates.
Exit code 1 below the bar. Not part of `npm test` (minutes).
Run: /usr/bin/python3 scripts/reference/umap_mnist_trustworthiness.py [--rows N] [--sample M] [--seed S]
"""
import argparse
import os
import sys
import tempfile

import numpy as np
from sklearn.manifold import trustworthiness

import data
from umap_trustworthiness import embed

BAR = 0.90


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=70_000)
    ap.add_argument("--sample", type=int, default=5_000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    Xu, _ = data.mnist_70k()
    Xu = Xu[: args.rows]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "X.npy")
        np.save(path, np.ascontiguousarray(Xu, dtype=np.uint8))
        coords, r = embed(path, "umap", args.seed, os.path.join(tmp, "umap.json"))
    rows = np.asarray(r["rows"], dtype=np.int64)
    pick = np.random.RandomState(args.seed).choice(len(rows), size=min(args.sample, len(rows)), replace=False)
    t = trustworthiness(Xu[rows[pick]].astype(np.float64) / 255.0, coords[pick], n_neighbors=10)
    ok = t >= BAR
    print(f"umap: trustworthiness(10) = {t:.4f} on {len(pick)} of {r['n']} digits; embed {r['seconds']['embed']:.1f} s")
    print(f"UMAP {'meets' if ok else 'MISSES'} the bar of {BAR}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
