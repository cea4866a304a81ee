"""scikit-learn 1.2 KMeans on all 70,000 MNIST digits (pixels / 255, float64), seeds 0-4.

Writes test/reference/kmeans-mnist70k.json: KMeans(n_clusters=10, n_init=1, algorithm='lloyd', random_state=s)
n_iter_, inertia_, the k-means++ init indices and the label counts, for the engine's same-seed comparison
(test/engine/kmeans-mnist70k.test.ts). Takes about a minute.
Run alone: /usr/bin/python3 scripts/reference/kmeans_mnist70k_reference.py (not part of make_reference.py).
"""
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.cluster._kmeans import _kmeans_plusplus
from sklearn.utils.extmath import row_norms

import data

SEEDS = [0, 1, 2, 3, 4]


def main():
    Xu, _ = data.mnist_70k()
    X = Xu.astype(np.float64) / 255.0
    Xc = X - X.mean(axis=0)
    norms = row_norms(Xc, squared=True)
    runs = []
    for s in SEEDS:
        _, idx = _kmeans_plusplus(Xc, 10, norms, np.random.RandomState(s))
        t = time.time()
        km = KMeans(n_clusters=10, n_init=1, algorithm="lloyd", random_state=s).fit(X)
        dt = time.time() - t
        print(f"  seed {s}: n_iter={km.n_iter_} inertia={km.inertia_:.6f} ({dt:.1f} s)")
        runs.append({
            "seed": s,
            "initIndices": [int(i) for i in idx],
            "nIter": int(km.n_iter_),
            "inertia": float(km.inertia_),
            "counts": [int(c) for c in np.bincount(km.labels_, minlength=10)],
            "seconds": round(dt, 2),
        })
    data.dump("kmeans-mnist70k.json", {
        "note": "scikit-learn KMeans(n_clusters=10, n_init=1, algorithm='lloyd', random_state=seed) on the 70k MNIST "
                "digits / 255 (float64); initIndices = _kmeans_plusplus on the mean-centered data, as KMeans.fit does",
        "runs": runs,
    })


if __name__ == "__main__":
    main()
