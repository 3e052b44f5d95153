"""Errors of a learnt model on labelled frames evaluated by `soapstone eval --sigma --prefix pred_`.

Prints per file: energy MAE (meV/atom), force-component MAE (eV/Å), and the Spearman rank correlation between
the predicted σ and the actual absolute error, for force components (force_sigma) and frame energies
(energy_sigma). Usage: python3 learn_errors.py PRED.xyz [PRED.xyz ...]
"""
import sys

import numpy as np
from ase.io import read


def ranks(x):
    order = np.argsort(x, kind="mergesort")
    r = np.empty(len(x))
    r[order] = np.arange(len(x))
    # average ranks of ties
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=r)
    return (sums / counts)[inverse]


def spearman(a, b):
    return float(np.corrcoef(ranks(np.asarray(a)), ranks(np.asarray(b)))[0, 1])


for path in sys.argv[1:]:
    frames = read(path, ":")
    de, se, df, sf = [], [], [], []
    for a in frames:
        n = len(a)
        de.append(abs(a.info["pred_energy"] - a.info["energy"]) / n)
        se.append(a.info["pred_energy_sigma"] / n)
        df.append(np.abs(a.arrays["pred_forces"] - a.arrays["forces"]).ravel())
        sf.append(a.arrays["pred_force_sigma"].ravel())
    df = np.concatenate(df)
    sf = np.concatenate(sf)
    print(f"{path}: {len(frames)} frames, energy MAE {1000 * np.mean(de):.2f} meV/atom, force MAE "
          f"{np.mean(df):.4f} eV/Å, Spearman rho(sigma, |error|): forces {spearman(sf, df):.3f}, "
          f"energies {spearman(se, de):.3f}")
