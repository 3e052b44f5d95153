#!/usr/bin/env bash
# Side-by-side timing of LAMMPS and Soapstone MD: 4096-atom diamond Si, Stillinger-Weber (Si.sw), NVE,
# 1000 steps of 1 fs from 1000 K, one thread each (and Soapstone on two threads). Prints both loop times,
# µs per atom-step, and the ratio Soapstone/LAMMPS measured in this one run.
#   usage: bench/md-vs-lammps.sh [steps]     (needs lmp and /usr/bin/python3 with ase: Debian lammps, python3-ase)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps="${1:-1000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/test-data/Si.sw" "$work/"
atoms=4096

# The same starting cell for both codes, written by ASE.
/usr/bin/python3 - "$work" <<'PY'
import sys
from ase.build import bulk
from ase.io import write
a = bulk("Si", "diamond", a=5.431, cubic=True).repeat((8, 8, 8))
write(sys.argv[1] + "/si.xyz", a, format="extxyz")
write(sys.argv[1] + "/si.data", a, format="lammps-data", atom_style="atomic")
PY

cat > "$work/in.lmp" <<EOF2
units metal
atom_style atomic
boundary p p p
read_data si.data
mass 1 28.0855
pair_style sw
pair_coeff * * Si.sw Si
neighbor 1.0 bin
neigh_modify every 1 delay 0 check yes
velocity all create 1000 4928459 mom yes rot no dist gaussian
fix 1 all nve
timestep 0.001
thermo 100
run $steps
EOF2

lammps_loop() { grep -Eo 'Loop time of [0-9.eE+-]+' "$1" | awk '{print $4}'; }
soap_loop() { grep -Eo 'loop time [0-9.eE+-]+ s' "$1" | awk '{print $3}'; }

(cd "$work" && OMP_NUM_THREADS=1 lmp -in in.lmp -log log.lammps -screen none)
t_lmp=$(lammps_loop "$work/log.lammps")

"$here/soapstone" --version >/dev/null   # build the jar first, outside the timing
for t in 1 2; do
  "$here/soapstone" md --potential "sw:$work/Si.sw" --ensemble nve --temperature 1000 --seed 4928459 \
      --timestep 1 --steps "$steps" --threads "$t" --thermo-every 100 --trajectory-every 0 \
      --output "$work/md$t" "$work/si.xyz" > "$work/soap$t.log" 2>&1
  declare "t_soap$t=$(soap_loop "$work/soap$t.log")"
done

awk -v l="$t_lmp" -v s1="$t_soap1" -v s2="$t_soap2" -v n="$atoms" -v st="$steps" 'BEGIN {
  printf "4096-atom Si, SW, NVE, %d steps (loop times, one run, side by side)\n", st
  printf "  LAMMPS     1 thread : %8.3f s  %6.3f us/atom-step\n", l,  1e6*l/(n*st)
  printf "  Soapstone  1 thread : %8.3f s  %6.3f us/atom-step\n", s1, 1e6*s1/(n*st)
  printf "  Soapstone  2 threads: %8.3f s  %6.3f us/atom-step\n", s2, 1e6*s2/(n*st)
  printf "  ratio Soapstone(1)/LAMMPS(1) = %.3f   speed-up Soapstone 2 vs 1 threads = %.2fx\n", s1/l, s1/s2
}'
