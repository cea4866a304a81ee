"""K-means reference values from scikit-learn 1.2 for test/engine/kmeans*.test.ts.

Writes:
  test/reference/kmeans-lloyd.json      KMeans(init=<explicit centers>, n_init=1, algorithm='lloyd') cases:
                                         labels, centers, inertia, n_iter, and how the run stopped.
  test/reference/kmeans-stats.json      k-means++ / random / MiniBatchKMeans inertia statistics over seeds.

Data (see data.py): the MNIST subset (first 300 rows of the 70k, pixels / 255, float64) and float-blobs
(240 × 5 float32). Initial centers are given as MNIST row indices (or explicit values) so the tests
rebuild them without Python. float32 data is passed to scikit-learn as float64 (exact widening): our engine
computes in float64 for every dtype, whereas scikit-learn would compute in float32 on float32 input.
"""
import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans, kmeans_plusplus

import data

SEEDS = list(range(20))


def lloyd(X, init, **kw):
    km = KMeans(n_clusters=init.shape[0], init=init, n_init=1, algorithm="lloyd", **kw).fit(X)
    return km


def stop_reason(X, init, max_iter, tol, n_iter):
    """How a run ended: 'strict' (labels unchanged), 'tol', or 'max_iter' — found by re-running with tol=0."""
    if n_iter >= max_iter:
        strict = lloyd(X, init, max_iter=max_iter + 50, tol=0).n_iter_
        return "max_iter" if strict > max_iter else "strict"
    if tol == 0:
        return "strict"
    return "tol" if lloyd(X, init, max_iter=max_iter, tol=0).n_iter_ > n_iter else "strict"


def case(name, X, init, dataset, init_spec, max_iter=300, tol=1e-4):
    km = lloyd(X, init.copy(), max_iter=max_iter, tol=tol)
    reason = stop_reason(X, init.copy(), max_iter, tol, km.n_iter_)
    counts = np.bincount(km.labels_, minlength=init.shape[0])
    print(f"  {name}: k={init.shape[0]} n_iter={km.n_iter_} stop={reason} inertia={km.inertia_:.6f} min_count={counts.min()}")
    return {
        "name": name,
        "dataset": dataset,
        "k": int(init.shape[0]),
        "init": init_spec,
        "maxIter": max_iter,
        "tol": tol,
        "stop": reason,
        "labels": [int(v) for v in km.labels_],
        "centers": [float(f"{v:.13g}") for v in km.cluster_centers_.ravel()],
        "inertia": float(km.inertia_),
        "nIter": int(km.n_iter_),
    }


def first_empty_iteration_count(X, init):
    """Number of empty clusters after the first assignment from init (to document the empty-cluster case)."""
    d = ((X[:, None, :] - init[None, :, :]) ** 2).sum(axis=2)
    return int(init.shape[0] - len(np.unique(d.argmin(axis=1))))


def tol_stopping_kpp(X, k):
    """A k-means++ init (sklearn's, seed s) and tol whose Lloyd run stops on tol rather than strictly.
    With 300 points one label change moves a center by a lot, so the relative tol must be large."""
    for tol in (1e-2, 0.1, 0.3, 1.0):
        for s in range(50):
            _, idx = kmeans_plusplus(X, k, random_state=s)
            init = X[idx]
            n_tol = lloyd(X, init.copy(), tol=tol).n_iter_
            n_strict = lloyd(X, init.copy(), tol=0).n_iter_
            if n_tol < n_strict:
                return tol, s, idx
    raise RuntimeError("no tol-stopping init found")


def main():
    Xm, _, _ = data.mnist_subset()
    Xb32, _ = data.float_blobs()
    Xb = Xb32.astype(np.float64)

    cases = []
    print("kmeans-lloyd.json")
    rows3 = [0, 1, 2]
    cases.append(case("mnist-k3-rows-tol0", Xm, Xm[rows3], "mnist", {"rows": rows3}, tol=0))

    _, idx10 = kmeans_plusplus(Xm, 10, random_state=0)
    idx10 = [int(i) for i in idx10]
    cases.append(case("mnist-k10-kpp-default", Xm, Xm[idx10], "mnist", {"rows": idx10}))

    tol, seed, idx_tol = tol_stopping_kpp(Xm, 8)
    idx_tol = [int(i) for i in idx_tol]
    cases.append(case(f"mnist-k8-kpp{seed}-tol{tol:g}", Xm, Xm[idx_tol], "mnist", {"rows": idx_tol}, tol=tol))

    rows8 = [10, 20, 30, 40, 50, 60, 70, 80]
    cases.append(case("mnist-k8-rows-maxiter3", Xm, Xm[rows8], "mnist", {"rows": rows8}, max_iter=3))

    # empty cluster: three data rows and one center far from every point (all pixels 5.0)
    far = np.full((1, Xm.shape[1]), 5.0)
    init_e = np.vstack([Xm[[0, 1, 2]], far])
    assert first_empty_iteration_count(Xm, init_e) == 1
    cases.append(case("mnist-k4-empty-cluster", Xm, init_e, "mnist", {"rows": [0, 1, 2], "extra": [5.0]}, tol=0))

    rowsb = [0, 1, 2, 3]
    cases.append(case("blobs-k4-rows-tol0", Xb, Xb[rowsb], "blobs", {"rows": rowsb}, tol=0))
    _, idxb = kmeans_plusplus(Xb, 6, random_state=3)
    idxb = [int(i) for i in idxb]
    cases.append(case("blobs-k6-kpp-default", Xb, Xb[idxb], "blobs", {"rows": idxb}))

    data.dump("kmeans-lloyd.json", {
        "note": "scikit-learn KMeans(init=centers, n_init=1, algorithm='lloyd'); MNIST rows are indices into the first 300 "
                "rows of the 70k (pixels / 255); blobs = float-blobs.json widened to float64; "
                "'extra' is one more center with every feature equal to the given value",
        "cases": cases,
    })

    print("kmeans-stats.json")
    stats = {}

    def summary(vals):
        v = np.asarray(vals, dtype=np.float64)
        return {"values": [float(x) for x in v], "mean": float(v.mean()), "median": float(np.median(v)),
                "std": float(v.std()), "min": float(v.min()), "max": float(v.max())}

    for init, n_init in (("k-means++", 1), ("random", 10)):
        vals = [KMeans(n_clusters=10, init=init, n_init=n_init, random_state=s).fit(Xm).inertia_ for s in SEEDS]
        stats[f"mnist-k10-{init}-ninit{n_init}"] = summary(vals)
    for bs in (64, 1024):
        inert, steps = [], []
        for s in SEEDS:
            mb = MiniBatchKMeans(n_clusters=10, batch_size=bs, n_init=3, random_state=s).fit(Xm)
            inert.append(mb.inertia_)
            steps.append(mb.n_steps_)
        stats[f"mnist-k10-minibatch-bs{bs}"] = {**summary(inert), "steps": summary(steps)}
    for key, s in stats.items():
        print(f"  {key}: mean={s['mean']:.4f} median={s['median']:.4f} min={s['min']:.4f} max={s['max']:.4f}")
    data.dump("kmeans-stats.json", {
        "note": "inertia over random_state 0..19 on the MNIST subset (first 300 rows / 255), k=10, scikit-learn defaults otherwise",
        "seeds": SEEDS,
        "stats": stats,
    })


if __name__ == "__main__":
    main()
