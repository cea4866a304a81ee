"""scikit-learn 1.2 on the differential corpus's subset and on dense images (the correctness issue's cases).

Writes test/reference/corpus-sklearn.json:
  corpus     for each dataset of the subset (test/engine/corpus/corpus.ts, written out by corpus/dump.ts) and
             each of its k: KMeans(k, n_init=1, algorithm='lloyd', random_state=3) and
             MiniBatchKMeans(k, batch_size=64, n_init='auto', random_state=5) labels, n_iter / n_steps, inertia,
             on the data × scale in float64 (the engine's units)
  inverted   the 10,000 MNIST test digits inverted (255 − x) / 255: KMeans(10, n_init='auto', random_state=0)
  minibatch  the 70k MNIST digits / 255: MiniBatchKMeans(10, n_init='auto', random_state=s), s = 0, 1, 2
  argsort    np.argsort (quicksort, not stable) of float64 arrays full of ties, as MiniBatchKMeans's
             reassignment uses it (src-main/engine/numpy-argsort.ts)
Run alone (about a minute): /usr/bin/python3 scripts/reference/corpus_reference.py (needs node_modules).
"""
import json
import os
import subprocess
import tempfile

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans

import data


def corpus_subset():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npx", "tsx", "test/engine/corpus/dump.ts", tmp], cwd=data.ROOT, check=True)
        with open(os.path.join(tmp, "index.json")) as f:
            index = json.load(f)
        out = []
        for e in index:
            raw = np.fromfile(os.path.join(tmp, e["file"]), dtype=np.dtype(e["dtype"]).newbyteorder("<"))
            X = raw.reshape(e["n"], e["d"]).astype(np.float64) * e["scale"]
            for k in e["ks"]:
                km = KMeans(n_clusters=k, n_init=1, algorithm="lloyd", random_state=3).fit(X)
                mb = MiniBatchKMeans(n_clusters=k, batch_size=64, n_init="auto", random_state=5).fit(X)
                print(f"  {e['name']} k={k}: lloyd n_iter={km.n_iter_} inertia={km.inertia_:.9g}; minibatch n_steps={mb.n_steps_}")
                out.append({
                    "dataset": e["name"], "k": k,
                    "lloyd": {"nIter": int(km.n_iter_), "inertia": float(km.inertia_), "labels": km.labels_.tolist()},
                    "minibatch": {"nSteps": int(mb.n_steps_), "inertia": float(mb.inertia_), "labels": mb.labels_.tolist()},
                })
        return out


def main():
    Xu, _ = data.mnist_70k()
    inv = (255 - Xu[60000:]).astype(np.float64) / 255.0
    km = KMeans(n_clusters=10, n_init="auto", random_state=0).fit(inv)
    print(f"  inverted test digits: n_iter={km.n_iter_} inertia={km.inertia_:.6f}")
    inverted = {"nIter": int(km.n_iter_), "inertia": float(km.inertia_),
                "counts": np.bincount(km.labels_, minlength=10).tolist()}
    X = Xu.astype(np.float64) / 255.0
    minibatch = []
    for s in (0, 1, 2):
        mb = MiniBatchKMeans(n_clusters=10, n_init="auto", random_state=s).fit(X)
        print(f"  mnist minibatch seed {s}: n_steps={mb.n_steps_} inertia={mb.inertia_:.6f}")
        minibatch.append({"seed": s, "nSteps": int(mb.n_steps_), "inertia": float(mb.inertia_),
                          "counts": np.bincount(mb.labels_, minlength=10).tolist()})
    rs = np.random.RandomState(0)
    argsort = []
    for n in (5, 16, 17, 18, 33, 65, 100, 200, 500, 1000):
        for levels in (2, 5, 50):
            v = rs.randint(0, levels, size=n).astype(np.float64)
            argsort.append({"values": v.tolist(), "order": np.argsort(v).tolist()})
    v = np.zeros(300)
    argsort.append({"values": v.tolist(), "order": np.argsort(v).tolist()})
    v = np.arange(300, dtype=np.float64)[::-1] % 7
    argsort.append({"values": v.tolist(), "order": np.argsort(v).tolist()})
    data.dump("corpus-sklearn.json", {
        "note": "scikit-learn 1.2, see scripts/reference/corpus_reference.py",
        "corpus": corpus_subset(),
        "inverted": inverted,
        "minibatch": minibatch,
        "argsort": argsort,
    })


if __name__ == "__main__":
    main()
