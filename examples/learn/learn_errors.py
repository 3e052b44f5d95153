"""Errors and error bars of a learnt model on labelled frames evaluated by `soapstone eval --sigma --prefix pred_`.

Prints per file, and over all files together: energy MAE (meV/atom) and force-component MAE (eV/Å); then how well
the predicted σ (eval's default: the model's calibrated observed σ) is calibrated, as `eval --errors` defines it —
the fractions of force components with |error| within 1σ and 2σ (68.3 % and 95.4 % if calibrated), rms z
(z = error/σ, 1 if calibrated), Spearman's rank correlation ρ(σ, |error|), the fraction of frame energies within
2σ — leaving out force components zero by symmetry (reference ≤ 1e-6 and prediction ≤ 1e-4 eV/Å). "attainable ρ"
is the ρ that errors drawn from N(0, σ²) with these same σ would give (mean of 20 seeded draws): how far σ varies
between components bounds ρ even for a perfectly calibrated σ.
Usage: python3 learn_errors.py PRED.xyz [PRED.xyz ...]
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


def attainable(sigma):
    rng = np.random.default_rng(1)
    return float(np.mean([spearman(sigma, np.abs(sigma * rng.standard_normal(len(sigma)))) for _ in range(20)]))


def errors(frames):
    de, se, fe, fs = [], [], [], []
    for a in frames:
        n = len(a)
        de.append((a.info["pred_energy"] - a.info["energy"]) / n)
        se.append(a.info["pred_energy_sigma"] / n)
        ref = a.arrays["forces"].ravel()
        pred = a.arrays["pred_forces"].ravel()
        keep = ~((np.abs(ref) <= 1e-6) & (np.abs(pred) <= 1e-4))
        fe.append((pred - ref)[keep])
        fs.append(a.arrays["pred_force_sigma"].ravel()[keep])
    return np.array(de), np.array(se), np.concatenate(fe), np.concatenate(fs)


def report(name, frames):
    de, se, fe, fs = errors(frames)
    z = np.abs(fe) / fs
    print(f"{name}: {len(frames)} frames, energy MAE {1000 * np.mean(np.abs(de)):.2f} meV/atom, force MAE "
          f"{np.mean(np.abs(fe)):.4f} eV/Å; forces within 1σ / 2σ {100 * np.mean(z <= 1):.1f} / "
          f"{100 * np.mean(z <= 2):.1f} %, rms z {np.sqrt(np.mean(z * z)):.2f}, Spearman ρ(σ, |error|) "
          f"{spearman(fs, np.abs(fe)):.2f} (attainable {attainable(fs):.2f}); energies within 2σ "
          f"{100 * np.mean(np.abs(de) <= 2 * se):.0f} %, ρ {spearman(se, np.abs(de)):.2f}")


every = []
for path in sys.argv[1:]:
    frames = read(path, ":")
    every += frames
    report(path, frames)
if len(sys.argv) > 2:
    report("all", every)
