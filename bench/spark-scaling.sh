#!/usr/bin/env bash
# Scaling of `soapstone fit --spark`: the mlearn-Si training set (214 cells, 13 233 atoms) and ×4, ×16 copies of it
# (each copy's positions rattled by 0.01 Å, labels kept: the cost is what is measured, not the accuracy), fitted on
# local[1] and local[2]. Prints per run: frames, design rows, wall time, time per stage, the covariance-and-QR time
# per row (µs; per core: × the cores), and the peak resident memory of the JVM (driver and executors are one JVM in
# local mode). The executors' memory is O(M² + block·M): flat in N, the data grow 16×.
#   bench/spark-scaling.sh [WORKDIR]      SCALES="1 4 16" MASTERS="local[1] local[2]" GAP="soap ..." to change
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${SOAPSTONE_DATA:-$root/../shared/datasets}/mlearn/mlearn-Si-train.xyz"
work="${1:-$(mktemp -d)}"
scales="${SCALES:-1 4 16}"
masters="${MASTERS:-local[1] local[2]}"
gap="${GAP:-soap cutoff=5.4 n_max=8 l_max=8 atom_sigma=0.5 zeta=4 cutoff_transition_width=0.5 delta=1.0 covariance_type=dot_product n_sparse=1000 sparse_method=cur_points}"
mkdir -p "$work"
for s in $scales; do
  [ -f "$work/si-x$s.xyz" ] && continue
  /usr/bin/python3 - "$data" "$work/si-x$s.xyz" "$s" <<'PY'
import sys
import numpy as np
from ase.io import read, write
frames = read(sys.argv[1], ":")
copies = int(sys.argv[3])
rng = np.random.default_rng(20261206)
out = []
for c in range(copies):
    for f in frames:
        g = f.copy()
        g.calc = None
        g.info["energy"] = f.get_potential_energy()
        g.arrays["forces"] = f.get_forces().copy()
        if c > 0:
            g.positions += rng.normal(0.0, 0.01, g.positions.shape)
        out.append(g)
write(sys.argv[2], out, format="extxyz")
PY
done
printf "%-6s %-9s %7s %9s %8s %8s %8s %8s %10s %9s\n" scale master frames rows wall_s read_s sparse_s qr_s qr_us/row peak_GiB
for s in $scales; do
  for m in $masters; do
    log="$work/x$s-${m//[\[\]]/}.log"
    start=$(date +%s.%N)
    "$root/soapstone" fit --spark "$m" at_file="$work/si-x$s.xyz" "gap={$gap}" "default_sigma={0.01 0.05 0.01 1}" \
      "e0={Si:-0.79}" sparse_jitter=1e-8 force_parameter_name=forces virial_parameter_name=NO_virial \
      stress_parameter_name=NO_stress rnd_seed=1 gp_file="$work/x$s.gap" > "$log" 2>&1
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    /usr/bin/python3 - "$log" "$s" "$m" "$wall" <<'PY'
import re, sys
log, scale, master, wall = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3], float(sys.argv[4])
t = {k: float(v) for k, v in re.findall(r"time: (.+?)\s+([\d.]+) s", log)}
frames = int(re.search(r": (\d+) frames", log).group(1))
fitted = re.search(r"fitting (\d+) energies .*?, (\d+) force components .*?, (\d+) virials", log)
rows = int(fitted.group(1)) + int(fitted.group(2)) + 6 * int(fitted.group(3))
peak = re.search(r"peak memory ([\d.]+) GiB", log).group(1)
qr = t["covariance and QR"]
print(f"{'x' + scale:<6} {master:<9} {frames:>7} {rows:>9} {wall:>8.1f} {t['read frames']:>8.1f} "
      f"{t['descriptors and sparse points']:>8.1f} {qr:>8.1f} {1e6 * qr / rows:>10.1f} {peak:>9}")
PY
  done
done
