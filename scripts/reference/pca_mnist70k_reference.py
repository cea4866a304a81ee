"""scikit-learn 1.2 PCA(n_components=2) on all 70,000 MNIST digits (pixels / 255, float64).

Writes test/reference/pca-mnist70k.json: explained_variance_ratio_ and components_ of PCA(2) with its default
solver (randomized on this shape) and with svd_solver='full', and the transformed first 500 rows of each,
for test/engine/pca-mnist70k.test.ts. Takes under a minute.
Run alone: /usr/bin/python3 scripts/reference/pca_mnist70k_reference.py (not part of make_reference.py).
"""
import time

import numpy as np
from sklearn.decomposition import PCA

import data

ROWS = 500


def fit(X, **kw):
    t = time.time()
    p = PCA(n_components=2, **kw).fit(X)
    dt = time.time() - t
    print(f"  PCA(2, {kw or 'default'}): {dt:.2f} s, ratio {p.explained_variance_ratio_}")
    return {
        "explainedVarianceRatio": [float(v) for v in p.explained_variance_ratio_],
        "components": [float(v) for v in p.components_.ravel()],
        "coords": [float(v) for v in p.transform(X[:ROWS]).ravel()],
        "seconds": round(dt, 2),
    }


def main():
    Xu, _ = data.mnist_70k()
    X = Xu.astype(np.float64) / 255.0
    data.dump("pca-mnist70k.json", {
        "note": "scikit-learn PCA(n_components=2) on the 70k MNIST digits / 255 (float64); coords = first "
                f"{ROWS} rows transformed; 'default' = svd_solver 'auto' (randomized here, random_state None)",
        "rows": ROWS,
        "default": fit(X),
        "full": fit(X, svd_solver="full"),
    })


if __name__ == "__main__":
    main()
