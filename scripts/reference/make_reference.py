"""Regenerates every reference JSON under test/reference from scikit-learn (Debian's python3-sklearn).

Run: npm run reference   (uses /usr/bin/python3)
"""
import importlib
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import data  # noqa: E402

if __name__ == "__main__":
    import sklearn

    print("scikit-learn", sklearn.__version__)
    data.write_float_blobs()
    for mod in ("rng_reference", "kmeans_reference", "kmeans_seeded_reference", "metrics_reference", "preprocess_reference", "pca_reference"):
        path = os.path.join(os.path.dirname(__file__), mod + ".py")
        if os.path.exists(path):
            importlib.import_module(mod).main()
