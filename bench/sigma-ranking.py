"""How well can any force σ rank the errors of a test set? Spearman's ρ between σ and |error| is bounded by how much
the errors themselves vary from atom to atom: on a set whose errors are nearly homoscedastic no σ, however exact,
ranks them well. Prints, for the force components of PREDICTED.xyz (written by `soapstone eval --sigma`: forces and
force_sigma per atom, eV/Å) against REFERENCE.xyz (forces, eV/Å), leaving out components zero by symmetry as eval
does (|reference| <= 1e-6 and |prediction| <= 1e-4 eV/Å); a PREDICTED.xyz written with a prefix (pred_forces and
pred_force_sigma beside the reference's forces, as examples/learn/learn-si-sw.sh makes) serves as both:
  model      ρ(σ, |e|) of the model's σ
  spread     the mean ρ(σ, |e'|) over 20 draws of e' ~ N(0, σ²): what the model's σ could reach were it exact
  frame      ρ of an oracle σ equal to each frame's true rms force error
  atom       ρ of an oracle σ equal to the rms error of the atom's other two components
Usage: python3 bench/sigma-ranking.py [REFERENCE.xyz] PREDICTED.xyz   (needs ASE and NumPy: Debian python3-ase)
"""
import sys

import numpy as np
from ase.io import read


def rho(a, b):
    """Spearman's rank correlation (ties in continuous errors are negligible)."""
    return float(np.corrcoef(np.argsort(np.argsort(a)), np.argsort(np.argsort(b)))[0, 1])


reference = read(sys.argv[1], ":")
predicted = read(sys.argv[-1], ":")
if len(reference) != len(predicted):
    sys.exit(f"{sys.argv[-1]}: {len(predicted)} frames, but {sys.argv[1]} has {len(reference)}")
errors, sigma, frame_rms, other_rms = [], [], [], []
for i, (r, p) in enumerate(zip(reference, predicted)):
    f_ref = r.arrays["forces"] if "forces" in r.arrays else r.get_forces()
    prefix = "pred_" if "pred_force_sigma" in p.arrays else ""
    if prefix + "force_sigma" not in p.arrays:
        sys.exit(f"{sys.argv[-1]}: frame {i + 1}: no force_sigma (run soapstone eval --sigma)")
    f_pred = p.arrays[prefix + "forces"]
    keep = ~((np.abs(f_ref) <= 1e-6) & (np.abs(f_pred) <= 1e-4))
    e = f_pred - f_ref
    others = np.stack([np.sqrt(np.mean(np.delete(e, k, axis=1) ** 2, axis=1)) for k in range(3)], axis=1)
    errors.append(np.abs(e)[keep])
    sigma.append(p.arrays[prefix + "force_sigma"][keep])
    frame_rms.append(np.full(keep.sum(), np.sqrt(np.mean(e[keep] ** 2)) if keep.any() else 0.0))
    other_rms.append(others[keep])
errors, sigma = np.concatenate(errors), np.concatenate(sigma)
draws = np.random.default_rng(1)
spread = np.mean([rho(sigma, np.abs(draws.standard_normal(len(sigma)) * sigma)) for _ in range(20)])
print(f"model {rho(sigma, errors):.2f} spread {spread:.2f} frame {rho(np.concatenate(frame_rms), errors):.2f} "
      f"atom {rho(np.concatenate(other_rms), errors):.2f}")
