"""Reference values of the clustering metrics, from scikit-learn 1.2 and SciPy.

Writes test/reference/metrics-mnist.json, metrics-float.json, metrics-external.json, metrics-mnist70k.json,
metrics-internal-edge.json, metrics-hungarian.json.
Run through make_reference.py (npm run reference) with /usr/bin/python3.

The internal metrics are computed on float64 data: MNIST pixels / 255, and the float32 blobs converted
exactly to float64 (scikit-learn would otherwise compute their distances in float32, to ~1e-7 only).
"""
import os
import sys

import numpy as np
import scipy
import sklearn
from scipy.optimize import linear_sum_assignment
from sklearn import metrics
from sklearn.cluster import KMeans
from sklearn.metrics.cluster import contingency_matrix

sys.path.insert(0, os.path.dirname(__file__))

import data  # noqa: E402

RANDOM_LABELS_SEED = 12345
SAMPLE_SEED = 42
SAMPLE_SIZE = 120


# --- The silhouette sample: the app's Rng is numpy's RandomState, so its sample is scikit-learn's. -----


def sample_rows(n, size, seed):
    """Rows silhouette_score(..., sample_size=size, random_state=seed) uses: RandomState(seed).permutation(n)[:size]."""
    return np.random.RandomState(seed).permutation(n)[:size]


# --- Labelings -------------------------------------------------------------------------------


def labelings(X, y, k):
    """Named labelings of the rows of X (k = number of true classes)."""
    n = X.shape[0]
    km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
    rand = np.random.RandomState(RANDOM_LABELS_SEED).randint(0, k, size=n)
    singletons = y.copy()
    singletons[[3, 50, 77]] = [k, k + 1, k + 2]  # three clusters of one sample each
    two = (y >= k // 2).astype(np.int64)
    remap = np.array([-7, 3, 11, 1000, 42, -1, 5, 99, 123456, 8])[:k]
    noncontig = remap[y]
    return {
        "true": (y, None),
        "kmeans": (km.labels_.astype(np.int64), km),
        "random": (rand, None),
        "singletons": (singletons, None),
        "two": (two, None),
        "noncontiguous": (noncontig, None),
    }


def purity(c):
    return float(c.max(axis=0).sum() / c.sum())


def matched_accuracy(c):
    rows, cols = linear_sum_assignment(c, maximize=True)
    return float(c[rows, cols].sum() / c.sum())


def external(y_true, y_pred):
    c = contingency_matrix(y_true, y_pred)
    h, comp, v = metrics.homogeneity_completeness_v_measure(y_true, y_pred)
    return {
        "contingency": {
            "classes": [int(v) for v in np.unique(y_true)],
            "clusters": [int(v) for v in np.unique(y_pred)],
            "counts": [int(v) for v in c.ravel()],
        },
        "ari": float(metrics.adjusted_rand_score(y_true, y_pred)),
        "mi": float(metrics.mutual_info_score(y_true, y_pred)),
        "nmi": float(metrics.normalized_mutual_info_score(y_true, y_pred)),
        "ami": float(metrics.adjusted_mutual_info_score(y_true, y_pred)),
        "homogeneity": float(h),
        "completeness": float(comp),
        "vMeasure": float(v),
        "purity": purity(c),
        "accuracy": matched_accuracy(c),
    }


def within_ss(X, labels):
    """Sum of squared distances to the cluster means (the inertia of a labeling without centers)."""
    total = 0.0
    for v in np.unique(labels):
        P = X[labels == v]
        total += float(((P - P.mean(axis=0)) ** 2).sum())
    return total


def internal(X, labels):
    sil = metrics.silhouette_samples(X, labels)
    return {
        "silhouetteSamples": [float(v) for v in sil],
        "silhouette": float(metrics.silhouette_score(X, labels)),
        "daviesBouldin": float(metrics.davies_bouldin_score(X, labels)),
        "calinskiHarabasz": float(metrics.calinski_harabasz_score(X, labels)),
        "withinSS": within_ss(X, labels),
    }


def sampled_silhouette(X, labels):
    idx = sample_rows(X.shape[0], SAMPLE_SIZE, SAMPLE_SEED)
    score = float(metrics.silhouette_score(X, labels, sample_size=SAMPLE_SIZE, random_state=SAMPLE_SEED))
    assert score == float(metrics.silhouette_score(X[idx], labels[idx]))
    return {
        "seed": SAMPLE_SEED,
        "sampleSize": SAMPLE_SIZE,
        "indices": [int(i) for i in idx],
        "score": score,
    }


def dataset_reference(name, X, y, k, source):
    cases = []
    for label_name, (labels, km) in labelings(X, y, k).items():
        case = {"name": label_name, "labels": [int(v) for v in labels]}
        case.update(internal(X, labels))
        case["external"] = external(y, labels)
        if km is not None:
            case["centers"] = [float(v) for v in km.cluster_centers_.ravel()]
            case["inertia"] = float(km.inertia_)
        if label_name == "kmeans":
            case["sampled"] = sampled_silhouette(X, labels)
        cases.append(case)
    return {"dataset": name, "source": source, "randomLabelsSeed": RANDOM_LABELS_SEED, "y": [int(v) for v in y], "cases": cases}


# --- External metrics on their own: sklearn's edge cases, and the 70k MNIST labels ---------------

EDGE_PAIRS = [
    ("identical", [0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 2, 2]),
    ("permuted", [0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 9, 9]),
    ("one class each", [0, 0, 0, 0], [1, 1, 1, 1]),
    ("one cluster", [0, 1, 2, 3], [0, 0, 0, 0]),
    ("one class", [0, 0, 0, 0], [0, 1, 2, 3]),
    ("all singletons", [0, 1, 2, 3, 4], [4, 3, 2, 1, 0]),
    ("independent", [0, 0, 1, 1], [0, 1, 0, 1]),
    ("negative values", [-1, -1, 0, 0, 7, 7, 7], [3, 3, 3, -2, -2, -2, -2]),
    ("more clusters", [0, 0, 0, 1, 1, 1, 1, 2], [0, 1, 2, 3, 3, 4, 5, 5]),
    ("single sample", [3], [8]),
]


def big_prediction(y):
    """A deterministic labeling of the 70k with 13 clusters, rebuilt by the TypeScript test from the same formula."""
    i = np.arange(len(y), dtype=np.int64)
    return np.where(i % 10 < 7, y, (i * 31) % 13)


def external_reference():
    edges = []
    for name, a, b in EDGE_PAIRS:
        case = {"name": name, "labelsTrue": a, "labelsPred": b}
        case.update(external(np.array(a), np.array(b)))
        edges.append(case)
    _, y = data.mnist_70k()
    pred = big_prediction(y)
    big = external(y, pred)
    big.pop("contingency")
    big["formula"] = "pred[i] = i % 10 < 7 ? y[i] : (i * 31) % 13, y = the 70k MNIST labels (train then test)"
    rs = np.random.RandomState(2024)
    mid_true = rs.randint(0, 10, size=5000)
    mid_pred = np.where(rs.rand(5000) < 0.3, mid_true, rs.randint(0, 12, size=5000))
    mid = {"labelsTrue": [int(v) for v in mid_true], "labelsPred": [int(v) for v in mid_pred]}
    mid.update(external(mid_true, mid_pred))
    return {"edges": edges, "mnist70k": big, "random5000": mid}


# --- All 70,000 MNIST digits: internal indices of the true labels, and a sampled silhouette ----------

MNIST70K_SAMPLE_SEED = 7
MNIST70K_SAMPLE_SIZE = 1000


def mnist70k_reference():
    Xu, y = data.mnist_70k()
    X = Xu.astype(np.float64) / 255.0
    pred = big_prediction(y)
    out = {
        "labels": "true labels (y) and pred = big_prediction(y), see metrics-external.json",
        "daviesBouldin": float(metrics.davies_bouldin_score(X, y)),
        "calinskiHarabasz": float(metrics.calinski_harabasz_score(X, y)),
        "withinSS": within_ss(X, y),
        "predDaviesBouldin": float(metrics.davies_bouldin_score(X, pred)),
        "predCalinskiHarabasz": float(metrics.calinski_harabasz_score(X, pred)),
    }
    idx = sample_rows(X.shape[0], MNIST70K_SAMPLE_SIZE, MNIST70K_SAMPLE_SEED)
    out["sampled"] = {
        "seed": MNIST70K_SAMPLE_SEED,
        "sampleSize": MNIST70K_SAMPLE_SIZE,
        "indices": [int(i) for i in idx],
        "samples": [float(v) for v in metrics.silhouette_samples(X[idx], y[idx])],
        "score": float(metrics.silhouette_score(X, y, sample_size=MNIST70K_SAMPLE_SIZE, random_state=MNIST70K_SAMPLE_SEED)),
        "predScore": float(metrics.silhouette_score(X, pred, sample_size=MNIST70K_SAMPLE_SIZE, random_state=MNIST70K_SAMPLE_SEED)),
    }
    return out


# --- Internal metrics on degenerate data ----------------------------------------------------

INTERNAL_EDGES = [
    ("identical points", [[0, 0], [0, 0], [0, 0], [0, 0]], [0, 0, 1, 1]),
    ("duplicates across clusters", [[0, 0], [0, 0], [1, 0], [1, 0], [5, 5]], [0, 1, 0, 1, 1]),
    ("coincident centroids", [[-1, 0], [1, 0], [0, -1], [0, 1], [3, 3], [4, 4]], [0, 0, 1, 1, 2, 2]),
    ("singleton cluster", [[0], [1], [10]], [0, 0, 1]),
    ("two singletons", [[0, 1], [2, 3], [4, 5], [4, 6]], [7, 3, 3, 1]),
]


def internal_edge_reference():
    cases = []
    for name, X, labels in INTERNAL_EDGES:
        X = np.array(X, dtype=np.float64)
        labels = np.array(labels)
        case = {"name": name, "n": X.shape[0], "d": X.shape[1], "X": [float(v) for v in X.ravel()], "labels": [int(v) for v in labels]}
        case.update(internal(X, labels))
        cases.append(case)
    return {"cases": cases}


# --- Assignment problems -------------------------------------------------------------------


def hungarian_reference():
    rs = np.random.RandomState(99)
    problems = []
    shapes = [(1, 1), (1, 5), (5, 1), (3, 3), (5, 5), (7, 4), (4, 9), (10, 10), (12, 30), (30, 12), (40, 40), (25, 60)]
    for r, c in shapes:
        for kind in ("float", "int"):
            cost = rs.rand(r, c) * 100 - 20 if kind == "float" else rs.randint(0, 6, size=(r, c)).astype(float)
            rows, cols = linear_sum_assignment(cost)
            mrows, mcols = linear_sum_assignment(cost, maximize=True)
            problems.append(
                {
                    "rows": r,
                    "cols": c,
                    "kind": kind,
                    "cost": [float(v) for v in cost.ravel()],
                    "minCost": float(cost[rows, cols].sum()),
                    "minRowInd": [int(v) for v in rows],
                    "maxCost": float(cost[mrows, mcols].sum()),
                }
            )
    return {"problems": problems}


def main():
    versions = {"sklearn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__}
    X, Xu, y = data.mnist_subset()
    ref = dataset_reference("mnist-subset", X, y, 10, f"MNIST rows [{data.MNIST_SUBSET_START}, {data.MNIST_SUBSET_START + data.MNIST_SUBSET_N}) / 255")
    ref["versions"] = versions
    data.dump("metrics-mnist.json", ref)

    Xf, yf = data.float_blobs()
    ref = dataset_reference("float-blobs", Xf.astype(np.float64), yf, 4, "test/reference/float-blobs.json (float32, computed in float64)")
    ref["versions"] = versions
    data.dump("metrics-float.json", ref)

    for name, make in (
        ("metrics-external.json", external_reference),
        ("metrics-mnist70k.json", mnist70k_reference),
        ("metrics-internal-edge.json", internal_edge_reference),
        ("metrics-hungarian.json", hungarian_reference),
    ):
        ref = make()
        ref["versions"] = versions
        data.dump(name, ref)

if __name__ == "__main__":
    main()
