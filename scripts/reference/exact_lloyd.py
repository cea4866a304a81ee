"""Lloyd's K-means in exact arithmetic on uint8 data: the answer rounding cannot change.

Where two centers are (nearly) equally far from a row, the label a float64 implementation gives depends on its
summation order: scikit-learn's KMeans(lloyd) and KMeans(elkan) go through OpenBLAS, whose kernel is chosen per CPU
(SkylakeX, Cooperlake, Zen, Haswell ...), so scikit-learn's own answer can change from one machine to the next.
This script runs the same iteration as scikit-learn 1.2's _kmeans_single_lloyd with no rounding at all:

  centers     kept as integer sums S_j and counts n_j (the center is S_j / n_j)
  distances   A_ij = ||n_j x_i - S_j||^2 = n_j^2 ||x_i||^2 - 2 n_j (x_i . S_j) + ||S_j||^2 in int64; x_i . S_j comes
              from a float64 matrix product of integers whose every partial sum is below 2^53, so it is exact
  labels      argmin_j A_ij / n_j^2 in float64, and where the best two are within 1e-9 of each other, the candidates
              are compared as exact rationals (A_ia n_b^2 against A_ib n_a^2, Python integers); an exact tie goes to
              the lower index (numpy's argmin, and the engine's)
  stopping    scikit-learn's: labels unchanged (strict convergence), else the squared center shift summed over the
              centers <= tol * mean(var(X / scale)); if stopped by tol, one more assignment with the final centers
  init        scikit-learn's own k-means++ picks, taken exactly as KMeans.fit takes them (on the centered float64
              data, with its x_squared_norms and RandomState(seed))

Data are compared in the units the engine reports: X / scale (MNIST: scale 255). Empty clusters (which
scikit-learn relocates) are refused: the script stops with an error rather than guess.

Writes test/reference/exact-lloyd.json: for MNIST 70k (seed 0, the bench's sweep seed) at the ks of MNIST_KS and
for the uint8 sets of the differential corpus at large k (seed 3, as the corpus tests): n_iter, inertia, the label
counts and the SHA-256 of the labels as uint16 little-endian bytes, and, beside them, scikit-learn's own
KMeans(lloyd) answer on this machine with the OpenBLAS kernel it ran (for the record; the test asks the exact one).

Run (about 5 minutes): /usr/bin/python3 scripts/reference/exact_lloyd.py [--only mnist|corpus] [--ks 60,61]
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

import data

# k = 61: the first iteration has a row whose two nearest centers are an exact tie, which scikit-learn's lloyd
# breaks one way or the other depending on the OpenBLAS kernel (docs/benchmarks.md); more: --ks 60,69 (4 min each)
MNIST_KS = [61]
MNIST_SEED = 0
CORPUS_SEED = 3
# uint8 sets of test/engine/corpus/corpus.ts at k >= 100 (u8-duplicates-k100-n160 has empty clusters: refused)
CORPUS_SETS = ["u8-k200-64", "u8-sparse-k100-784", "u8-k500-64", "u8-inverted-k150-787", "u8-k300-32"]


def sklearn_init(Xf, k, seed):
    """The k-means++ row indices KMeans(k, init='k-means++', n_init=1, random_state=seed).fit(Xf) starts from."""
    from sklearn.cluster._kmeans import _kmeans_plusplus
    from sklearn.utils.extmath import row_norms

    Xc = Xf - Xf.mean(axis=0)
    xsq = row_norms(Xc, squared=True)
    _, idx = _kmeans_plusplus(Xc, k, xsq, np.random.RandomState(seed))
    return idx


class Exact:
    def __init__(self, Xu):
        self.X = Xu.astype(np.int64)
        self.Xf = Xu.astype(np.float64)
        self.xsq = (self.X * self.X).sum(axis=1)
        n, d = Xu.shape
        # x . S_j <= 255 * 255 * d * n must stay below 2^53 for the float64 product to be exact
        assert 255 * 255 * d * n < 2**53, "too large for the exact float64 product"

    def assign(self, S, cnt):
        """Exact nearest center of every row (lowest index on a tie) and the number of rows decided exactly."""
        XS = self.Xf @ S.astype(np.float64).T
        XSi = np.rint(XS).astype(np.int64)
        assert np.array_equal(XSi.astype(np.float64), XS)
        ssq = (S * S).sum(axis=1)
        A = cnt[None, :] ** 2 * self.xsq[:, None] - 2 * cnt[None, :] * XSi + ssq[None, :]
        assert (A >= 0).all()
        D = A / (cnt.astype(np.float64) ** 2)[None, :]
        lab = np.argmin(D, axis=1)
        best = D[np.arange(len(lab)), lab]
        near = np.nonzero(((D - best[:, None]) <= 1e-9 * np.maximum(best[:, None], 1e-300)).sum(axis=1) > 1)[0]
        for i in near:
            cands = np.nonzero(D[i] - best[i] <= 1e-9 * max(best[i], 1e-300))[0]
            b = int(cands[0])
            for j in cands[1:]:
                j = int(j)
                # A_ij / n_j^2 < A_ib / n_b^2, in Python integers
                if int(A[i, j]) * int(cnt[b]) ** 2 < int(A[i, b]) * int(cnt[j]) ** 2:
                    b = j
            lab[i] = b
        return lab, len(near)

    def sums(self, lab, k):
        cnt = np.bincount(lab, minlength=k).astype(np.int64)
        if (cnt == 0).any():
            raise RuntimeError(f"empty cluster(s) {np.nonzero(cnt == 0)[0].tolist()}: scikit-learn relocates them, this script does not")
        S = np.zeros((k, self.X.shape[1]), dtype=np.int64)
        np.add.at(S, lab, self.X)
        return S, cnt

    def inertia(self, lab, S, cnt):
        """sum_i ||x_i - S_l/n_l||^2 = sum_j (sum_{i in j} ||x_i||^2 - ||S_j||^2 / n_j), exactly."""
        from fractions import Fraction

        tot = Fraction(0)
        xs = np.bincount(lab, weights=None, minlength=len(cnt))
        del xs
        sx = np.zeros(len(cnt), dtype=object)
        for j in range(len(cnt)):
            sx[j] = int(self.xsq[lab == j].sum())
        for j in range(len(cnt)):
            tot += Fraction(sx[j]) - Fraction(int((S[j] * S[j]).sum()), int(cnt[j]))
        return tot

    def fit(self, init_idx, scale, tol=1e-4, max_iter=300):
        k = len(init_idx)
        S = self.X[init_idx].copy()
        cnt = np.ones(k, dtype=np.int64)
        var = self.Xf.var(axis=0) / (scale * scale)
        tol_abs = float(var.mean()) * tol
        labels_old = np.full(self.X.shape[0], -1)
        strict = False
        exact_rows = 0
        shift_margin = None
        for it in range(max_iter):
            lab, ne = self.assign(S, cnt)
            exact_rows += ne
            S_new, cnt_new = self.sums(lab, k)
            c_old = S / cnt[:, None].astype(np.float64)
            c_new = S_new / cnt_new[:, None].astype(np.float64)
            shift = float((((c_new - c_old) / scale) ** 2).sum())
            S, cnt = S_new, cnt_new
            if np.array_equal(lab, labels_old):
                strict = True
                break
            # a tol stop decided by rounding would be a tie of its own: record how far it was
            m = abs(shift - tol_abs) / tol_abs
            shift_margin = m if shift_margin is None else min(shift_margin, m)
            if shift <= tol_abs:
                break
            labels_old = lab
        if not strict:
            lab, ne = self.assign(S, cnt)
            exact_rows += ne
        inertia = self.inertia(lab, S, cnt) / (scale * scale)
        return {"labels": lab, "nIter": it + 1, "inertia": float(inertia), "strict": strict,
                "rowsDecidedExactly": int(exact_rows), "tolMargin": shift_margin}


def label_hash(lab):
    return hashlib.sha256(np.asarray(lab, dtype="<u2").tobytes()).hexdigest()


def record(r, k):
    return {"nIter": int(r["nIter"]), "inertia": float(r["inertia"]),
            "counts": np.bincount(r["labels"], minlength=k).tolist(), "labelsSha256": label_hash(r["labels"])}


def one(name, Xu, scale, k, seed):
    from sklearn.cluster import KMeans

    Xf = Xu.astype(np.float64) * (1.0 / scale if scale != 1 else 1.0)
    t0 = time.perf_counter()
    idx = sklearn_init(Xf, k, seed)
    ex = Exact(Xu).fit(idx, scale)
    t1 = time.perf_counter()
    km = KMeans(n_clusters=k, init="k-means++", n_init=1, random_state=seed, algorithm="lloyd").fit(Xf)
    sk = {"nIter": int(km.n_iter_), "inertia": float(km.inertia_), "labelsSha256": label_hash(km.labels_)}
    out = {"dataset": name, "k": k, "seed": seed, "exact": record(ex, k),
           "rowsDecidedExactly": ex["rowsDecidedExactly"],
           "tolMargin": ex["tolMargin"], "sklearn": sk,
           "sklearnAgrees": sk["labelsSha256"] == label_hash(ex["labels"]) and sk["nIter"] == ex["nIter"]}
    print(f"  {name} k={k} seed={seed}: exact n_iter={ex['nIter']} inertia={ex['inertia']:.10g} "
          f"(rows decided exactly: {ex['rowsDecidedExactly']}); scikit-learn n_iter={sk['nIter']} "
          f"inertia={sk['inertia']:.10g} {'same labels' if out['sklearnAgrees'] else 'DIFFERENT'} ({t1 - t0:.0f} s)",
          flush=True)
    return out


def corpus_sets():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npx", "tsx", "test/engine/corpus/dump.ts", tmp, "--all"], cwd=data.ROOT, check=True)
        with open(os.path.join(tmp, "index.json")) as f:
            index = json.load(f)
        for e in index:
            if e["name"] in CORPUS_SETS:
                assert e["dtype"] == "uint8" and e["scale"] == 1 / 255
                raw = np.fromfile(os.path.join(tmp, e["file"]), dtype=np.uint8)
                yield e["name"], raw.reshape(e["n"], e["d"]), e["ks"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=["mnist", "corpus"])
    ap.add_argument("--ks", help="MNIST ks (default %s)" % ",".join(map(str, MNIST_KS)))
    ap.add_argument("--out", default=os.path.join(data.REF_DIR, "exact-lloyd.json"))
    a = ap.parse_args()
    from threadpoolctl import threadpool_info

    blas = [f"{t['internal_api']} {t['version']} {t.get('architecture')}" for t in threadpool_info() if t["user_api"] == "blas"]
    print("scikit-learn's BLAS:", ", ".join(blas))
    res = {"blas": blas, "cpu": cpu_name(), "mnist": [], "corpus": []}
    if a.only != "corpus":
        Xu, _ = data.mnist_70k()
        ks = [int(s) for s in a.ks.split(",")] if a.ks else MNIST_KS
        for k in ks:
            res["mnist"].append(one("mnist-70k", Xu, 255, k, MNIST_SEED))
    if a.only != "mnist":
        for name, Xu, ks in corpus_sets():
            for k in ks:
                res["corpus"].append(one(name, Xu, 255, k, CORPUS_SEED))
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")
    print("wrote", a.out)


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


if __name__ == "__main__":
    sys.exit(main())
