"""Reference values of the per-run preprocessing (src-main/engine/preprocess.ts), from scikit-learn 1.2.

Writes test/reference/preprocess.json: two small matrices with their StandardScaler and MinMaxScaler outputs.
- "float": float32 values (exact in the JSON) with a constant column; 'scale' = MinMaxScaler, 'standardize' = StandardScaler.
- "uint8": pixels with a constant column, in feature units X / 255; 'none' = X, 'scale' = X / 255,
  'standardize' = StandardScaler on X / 255.
Run through make_reference.py (npm run reference) with /usr/bin/python3, or alone: /usr/bin/python3 preprocess_reference.py
"""
import os
import sys

import numpy as np
from sklearn.preprocessing import MinMaxScaler, StandardScaler

sys.path.insert(0, os.path.dirname(__file__))

import data  # noqa: E402

SEED = 2024


def flat(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def main():
    rng = np.random.default_rng(SEED)
    Xf = rng.normal(loc=[3.0, -20.0, 0.0, 500.0], scale=[1.0, 0.01, 1.0, 80.0], size=(15, 4)).astype(np.float32)
    Xf[:, 2] = np.float32(1.25)  # constant feature
    X64 = Xf.astype(np.float64)
    std = StandardScaler().fit(X64)
    mm = MinMaxScaler().fit(X64)

    Xu = rng.integers(0, 256, size=(12, 5), dtype=np.uint8)
    Xu[:, 0] = 0  # constant (blank) pixel
    Xs = Xu.astype(np.float64) / 255.0
    stdu = StandardScaler().fit(Xs)

    data.dump(
        "preprocess.json",
        {
            "float": {
                "n": int(Xf.shape[0]),
                "d": int(Xf.shape[1]),
                "X": flat(Xf),
                "scale": flat(mm.transform(X64)),
                "scaleOffset": flat(mm.data_min_),
                "scaleFactor": flat(mm.scale_),
                "standardize": flat(std.transform(X64)),
                "mean": flat(std.mean_),
                "std": flat(std.scale_),
            },
            "uint8": {
                "n": int(Xu.shape[0]),
                "d": int(Xu.shape[1]),
                "X": [int(v) for v in Xu.ravel()],
                "none": flat(Xu),
                "scale": flat(Xs),
                "standardize": flat(stdu.transform(Xs)),
                "mean": flat(stdu.mean_),
                "std": flat(stdu.scale_),
            },
        },
    )


if __name__ == "__main__":
    main()
