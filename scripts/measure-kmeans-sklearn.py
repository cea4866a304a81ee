"""scikit-learn 1.2 side of scripts/measure-kmeans.ts: the same fits on full MNIST (70,000 × 784, X / 255 float64).

Run: /usr/bin/python3 scripts/measure-kmeans-sklearn.py
"""
import os
import sys
import time

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "reference"))
import data  # noqa: E402

X8, _ = data.mnist_70k()
X = X8.astype(np.float64) / 255.0
for name, make in (
    ("kmeans", lambda s: KMeans(n_clusters=10, n_init=1, random_state=s)),
    ("minibatch", lambda s: MiniBatchKMeans(n_clusters=10, n_init=3, random_state=s)),
):
    inertias = []
    for s in range(5):
        t = time.perf_counter()
        m = make(s).fit(X)
        dt = time.perf_counter() - t
        inertias.append(m.inertia_)
        steps = getattr(m, "n_steps_", m.n_iter_)
        print(f"sklearn {name} seed {s}: inertia {m.inertia_:.1f}  nIter {steps}  {dt:.2f} s", flush=True)
    print(f"sklearn {name} median inertia {np.median(inertias):.1f}", flush=True)
