"""Same-seed reference: what scikit-learn 1.2 draws and computes with random_state=seed, for
test/engine/kmeans-seeded.test.ts (our Rng is numpy's RandomState, so the engine must reproduce it exactly).

Writes test/reference/kmeans-seeded.json:
  kpp        _kmeans_plusplus indices on the mean-centered data (as KMeans.fit calls it), per dataset, k, seed
  kmeans     KMeans(random_state=seed) labels, n_iter_, inertia_ for k-means++ (n_init 1 and 3) and random (n_init 3)
  minibatch  MiniBatchKMeans(random_state=seed, n_init=3) n_steps_, n_iter_, inertia_, labels; with initRows:
             init = those MNIST rows (n_init 1)
Data (see data.py): 'blobs' = float-blobs.json (240 × 5 float32, 4 well-separated blobs) widened to float64;
'mnist' = the first 300 MNIST digits / 255 (overlapping classes).
Run through make_reference.py (npm run reference) with /usr/bin/python3.
"""
import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.cluster._kmeans import _kmeans_plusplus
from sklearn.utils.extmath import row_norms

import data

SEEDS = [0, 1, 2, 3, 4]


def ints(a):
    return [int(v) for v in a]


def main():
    Xm, _, _ = data.mnist_subset()
    Xb = data.float_blobs()[0].astype(np.float64)
    sets = {"blobs": Xb, "mnist": Xm}

    kpp = []
    for name, X, ks in (("blobs", Xb, (4, 6)), ("mnist", Xm, (3, 10, 25))):
        Xc = X - X.mean(axis=0)
        norms = row_norms(Xc, squared=True)
        for k in ks:
            for s in SEEDS:
                _, idx = _kmeans_plusplus(Xc, k, norms, np.random.RandomState(s))
                kpp.append({"dataset": name, "k": k, "seed": s, "indices": ints(idx)})

    kmeans = []
    for name, k in (("blobs", 4), ("mnist", 10)):
        X = sets[name]
        for init, n_init in (("k-means++", 1), ("k-means++", 3), ("random", 3)):
            for s in SEEDS:
                km = KMeans(n_clusters=k, init=init, n_init=n_init, algorithm="lloyd", random_state=s).fit(X)
                print(f"  kmeans {name} k={k} {init} n_init={n_init} seed={s}: n_iter={km.n_iter_} inertia={km.inertia_:.6f}")
                kmeans.append({"dataset": name, "k": k, "init": init, "nInit": n_init, "seed": s,
                               "labels": ints(km.labels_), "nIter": int(km.n_iter_), "inertia": float(km.inertia_)})

    minibatch = []
    for name, k, bs in (("blobs", 4, 32), ("mnist", 10, 64), ("mnist", 10, 1024)):
        X = sets[name]
        for s in SEEDS:
            mb = MiniBatchKMeans(n_clusters=k, batch_size=bs, n_init=3, random_state=s).fit(X)
            print(f"  minibatch {name} k={k} bs={bs} seed={s}: n_steps={mb.n_steps_} inertia={mb.inertia_:.6f}")
            minibatch.append({"dataset": name, "k": k, "batchSize": bs, "seed": s, "nSteps": int(mb.n_steps_),
                              "nIter": int(mb.n_iter_), "inertia": float(mb.inertia_), "labels": ints(mb.labels_)})

    # given centers: scikit-learn still draws each init's subset (init_size < n) before using them
    rows = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    for s in SEEDS:
        mb = MiniBatchKMeans(n_clusters=10, init=Xm[rows], n_init=1, batch_size=64, random_state=s).fit(Xm)
        print(f"  minibatch mnist given init rows seed={s}: n_steps={mb.n_steps_} inertia={mb.inertia_:.6f}")
        minibatch.append({"dataset": "mnist", "k": 10, "batchSize": 64, "seed": s, "initRows": rows, "nSteps": int(mb.n_steps_),
                          "nIter": int(mb.n_iter_), "inertia": float(mb.inertia_), "labels": ints(mb.labels_)})

    data.dump("kmeans-seeded.json", {
        "note": "scikit-learn 1.2 with random_state=seed (numpy RandomState); blobs = float-blobs.json as float64, "
                "mnist = first 300 MNIST digits / 255; kpp indices from _kmeans_plusplus on mean-centered data",
        "kpp": kpp,
        "kmeans": kmeans,
        "minibatch": minibatch,
    })


if __name__ == "__main__":
    main()
