"""Reference values of the exact PCA (src-main/engine/embed/pca.ts), from scikit-learn 1.2.

Writes test/reference/pca.json: PCA(n_components=2, svd_solver='full') on the first 300 MNIST digits
(pixels / 255) and on the float32 blobs (test/reference/float-blobs.json): explained_variance_,
explained_variance_ratio_, components_ and the transformed rows (svd_flip sign convention).
Run through make_reference.py (npm run reference) with /usr/bin/python3, or alone: /usr/bin/python3 pca_reference.py
"""
import os
import sys

import numpy as np
from sklearn.decomposition import PCA

sys.path.insert(0, os.path.dirname(__file__))

import data  # noqa: E402


def flat(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def fit(X):
    p = PCA(n_components=2, svd_solver="full").fit(X)
    return {
        "explainedVariance": flat(p.explained_variance_),
        "explainedVarianceRatio": flat(p.explained_variance_ratio_),
        "components": flat(p.components_),
        "coords": flat(p.transform(X)),
    }


def main():
    Xm, _, _ = data.mnist_subset()
    Xf, _ = data.float_blobs()
    data.dump(
        "pca.json",
        {
            "note": "scikit-learn PCA(n_components=2, svd_solver='full'): mnist = first 300 digits / 255, "
                    "float = float-blobs.json (float32 values in float64)",
            "mnist": {"start": data.MNIST_SUBSET_START, "n": data.MNIST_SUBSET_N, **fit(Xm)},
            "float": fit(Xf.astype(np.float64)),
        },
    )


if __name__ == "__main__":
    main()
