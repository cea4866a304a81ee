"""Reference draws of numpy's legacy RandomState (MT19937) for test/engine/rng.test.ts.

Writes test/reference/rng.json: for a few seeds, the outputs of the calls src-main/engine/rng.ts reproduces
(random_sample, uniform, randint scalar and sized, permutation, choice without replacement), each from a fresh
RandomState(seed) and also interleaved on one RandomState (as scikit-learn's KMeans uses them).
Run through make_reference.py (npm run reference) with /usr/bin/python3.
"""
import numpy as np

import data

SEEDS = [0, 1, 42, 12345, 2**32 - 1]


def draws(seed):
    rs = np.random.RandomState

    def ints(a):
        return [int(v) for v in a]

    # raw 32-bit outputs: randint(0, 2**32, dtype=uint32) with range 2**32 - 1 returns next_uint32 directly
    uint32 = ints(rs(seed).randint(0, 2**32, size=1300, dtype=np.uint64))
    out = {
        "seed": seed,
        "uint32": uint32,
        "randomSample": [float(v) for v in rs(seed).random_sample(20)],
        "uniform": [float(v) for v in rs(seed).uniform(size=7)],
        "randintScalar": {str(n): [int(r.randint(n)) for r in [rs(seed)] for _ in range(30)] for n in (1, 2, 3, 7, 10, 300, 70000, 2**31)},
        "randint": {str(n): ints(rs(seed).randint(0, n, 50)) for n in (1, 5, 64, 240, 300, 1000, 60000, 70000)},
        "permutation": {str(n): ints(rs(seed).permutation(n)) for n in (0, 1, 2, 5, 17, 300)},
        "choice": {f"{n},{k}": ints(rs(seed).choice(n, replace=False, size=k)) for n, k in ((10, 3), (64, 5), (1024, 2), (300, 300))},
    }
    r = rs(seed)
    mixed = [int(r.randint(300)), [float(v) for v in r.uniform(size=4)], ints(r.randint(0, 1000, 6)),
             ints(r.permutation(9)), ints(r.choice(50, replace=False, size=4)), float(r.random_sample())]
    out["mixed"] = mixed
    return out


def main():
    data.dump("rng.json", {
        "note": "numpy.random.RandomState(seed) draws (numpy %s); uint32 = randint(0, 2**32, dtype=uint64), which "
                "returns MT19937's next_uint32 unchanged; mixed = randint(300), uniform(size=4), randint(0, 1000, 6), "
                "permutation(9), choice(50, replace=False, size=4), random_sample() on one RandomState" % np.__version__,
        "cases": [draws(s) for s in SEEDS],
    })


if __name__ == "__main__":
    main()
