#!/usr/bin/env bash
# The bar of the distributed fit: README's mlearn-Si fit (gap_fit's published settings, 1000 sparse points) through
# `soapstone fit --spark local[2]` and through `soapstone fit --threads 2 --calibration none` (the Spark fit does
# not calibrate yet), both evaluated on the 25 held-out mlearn-Si test cells; prints the largest differences of
# their predictions (eV/atom, eV/Å) and whether the two model files hold the same R factor and α. About 2 × 2
# minutes on two quiet cores.
#   bench/spark-vs-local.sh [WORKDIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${SOAPSTONE_DATA:-$root/../shared/datasets}/mlearn"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
args=(at_file="$data/mlearn-Si-train.xyz" "gap={soap cutoff=5.4 n_max=8 l_max=8 atom_sigma=0.5 zeta=4 cutoff_transition_width=0.5 delta=1.0 covariance_type=dot_product n_sparse=1000 sparse_method=cur_points}" "default_sigma={0.01 0.05 0.01 1}" "e0={Si:-0.79}" sparse_jitter=1e-8 energy_parameter_name=energy force_parameter_name=forces virial_parameter_name=NO_virial stress_parameter_name=NO_stress rnd_seed=1)
"$root/soapstone" fit --threads 2 --calibration none "${args[@]}" gp_file="$work/local.gap" > "$work/local.log" 2>&1
"$root/soapstone" fit --spark 'local[2]' "${args[@]}" gp_file="$work/spark.gap" > "$work/spark.log" 2>&1
for m in local spark; do
  "$root/soapstone" eval --model "$work/$m.gap" --threads 2 "$data/mlearn-Si-test.xyz" -o "$work/$m-test.xyz" --prefix pred_ > "$work/$m-eval.log" 2>&1
  grep "time: total" "$work/$m.log" | sed "s/^/$m: /"
done
/usr/bin/python3 - "$work" <<'PY'
import io, sys, zipfile
import numpy as np
from ase.io import read
work = sys.argv[1]
a = read(f"{work}/local-test.xyz", ":")
b = read(f"{work}/spark-test.xyz", ":")
de = max(abs(x.info["pred_energy"] - y.info["pred_energy"]) / len(x) for x, y in zip(a, b))
df = max(np.abs(x.arrays["pred_forces"] - y.arrays["pred_forces"]).max() for x, y in zip(a, b))
def npy(path, name):
    return np.load(io.BytesIO(zipfile.ZipFile(path).read(name)))
same = all(np.array_equal(npy(f"{work}/local.gap", n), npy(f"{work}/spark.gap", n))
           for n in ["posterior/r_augmented.npy", "terms/0/alpha.npy", "terms/0/sparse_x.npy"])
print(f"test frames: max |dE| {de:.3g} eV/atom (bar 1e-6), max |dF| {df:.3g} eV/Å (bar 1e-5); "
      f"R factor, alpha and sparse points identical: {same}")
sys.exit(0 if de <= 1e-6 and df <= 1e-5 else 1)
PY
