#!/usr/bin/env bash
# GAP-Si molecular dynamics through the native-memory evaluator, on the gap_fit model read from XML:
# fits the mlearn-Si model with `soapstone fit` (or reuses $MODEL_DIR/si.gap), converts it to gap_fit XML with
# `soapstone convert --to quip`, then runs `soapstone md --model si.xml` (NVE, 300 K, 1 fs) on 64, 512, 4096 and
# 32768-atom diamond Si (cells written by ASE), on 1 and 2 threads, with and without per-atom σ (--no-sigma).
# Prints wall and process-CPU µs per atom-step over the second half of each MD loop (the steady rate: the JIT
# compiles the GAP's loops during the first several seconds) and QUIP's 1.32 ms per atom and force call (one thread,
# same model, 512-atom rattled diamond Si, 4 frames minus 1; quip built from libAtoms/QUIP@caff1548 with
# libAtoms/GAP@6c3375f6, gfortran 12.2, OpenBLAS 0.3.21, OMP_NUM_THREADS=1; bench/RESULTS.md) divided by the CPU figure. The CPU column is the process's (all threads):
# on 2 threads it shows overhead, not speed-up. Then two independent one-thread runs at once (512 atoms, σ off): how
# much a run slows when another runs beside it (shared caches and memory, the host's other tenants), so that two
# threads cannot beat 2 ÷ that slowdown against one. Prints `uptime` before and after: other jobs on the machine make
# the wall column meaningless.
#   usage: bench/gap-md.sh [model-dir]      (needs /usr/bin/python3 with ase: Debian python3-ase)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
models="${1:-$here/bench/target/gap-md}"
mkdir -p "$models"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
quip_us=1320

"$here/soapstone" --version >/dev/null   # build the jar first
if [[ ! -f "$models/si.gap" ]]; then
  (cd "$here" && ./soapstone fit at_file=../shared/datasets/mlearn/mlearn-Si-train.xyz gap={soap cutoff=5.4 n_max=8 \
      l_max=8 atom_sigma=0.5 zeta=4 cutoff_transition_width=0.5 delta=1.0 covariance_type=dot_product \
      n_sparse=1000 sparse_method=cur_points} default_sigma={0.01 0.05 0.01 1} e0={Si:-0.79} sparse_jitter=1e-8 \
      energy_parameter_name=energy force_parameter_name=forces virial_parameter_name=NO_virial \
      stress_parameter_name=NO_stress rnd_seed=1 gp_file="$models/si.gap")
fi
"$here/soapstone" convert --to quip "$models/si.gap" "$work/si.xml" >/dev/null

/usr/bin/python3 - "$work" <<'PY'
import sys
from ase.build import bulk
from ase.io import write
for n in (2, 4, 8, 16):
    a = bulk("Si", "diamond", a=5.431, cubic=True).repeat((n, n, n))
    write("%s/si-%d.xyz" % (sys.argv[1], len(a)), a, format="extxyz")
PY

# one NVE run at 300 K: run_md ATOMS STEPS THREADS NAME [md options], its log in $work/log-NAME
run_md() {
  local atoms=$1 steps=$2 threads=$3 name=$4
  shift 4
  "$here/soapstone" md --model "$work/si.xml" "$@" --ensemble nve --temperature 300 --seed 1 --timestep 1 \
      --steps "$steps" --threads "$threads" --thermo-every "$steps" --trajectory-every 0 --output "$work/md-$name" \
      "$work/si-$atoms.xyz" > "$work/log-$name" 2>&1 || { cat "$work/log-$name"; return 1; }
}

# wall and CPU µs per atom-step over the second half of a run's loop (the steady rate, after the JIT's first steps)
second_half() {
  grep -E '^second half' "$1" | sed -E 's/.*: ([0-9.eE+-]+) µs\/atom-step, CPU ([0-9.eE+-]+) .*/\1 \2/'
}

uptime
printf "%6s %7s %6s %5s %14s %14s %12s\n" atoms threads sigma steps wall_us/at-st cpu_us/at-st QUIP/cpu
for atoms in 64 512 4096 32768; do
  # ≈ 20–25 s of loop per run on one thread; the figures are its second half
  case $atoms in 64) steps=3000;; 512) steps=400;; 4096) steps=50;; 32768) steps=8;; esac
  for t in 1 2; do
    for sigma in on off; do
      flag=(); [[ $sigma == off ]] && flag=(--no-sigma)
      run_md "$atoms" "$steps" "$t" run "${flag[@]}"
      read -r wu cu < <(second_half "$work/log-run")
      [[ $atoms == 512 && $t == 1 && $sigma == off ]] && alone=$wu
      awk -v a="$atoms" -v t="$t" -v s="$sigma" -v st="$steps" -v wu="$wu" -v cu="$cu" -v q="$quip_us" 'BEGIN {
        printf "%6d %7d %6s %5d %14.1f %14.1f %12.1f\n", a, t, s, st, wu, cu, q / cu }'
    done
  done
done

pids=()
for run in a b; do
  run_md 512 400 1 "$run" --no-sigma &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
read -r wa _ < <(second_half "$work/log-a")
read -r wb _ < <(second_half "$work/log-b")
awk -v a="$wa" -v b="$wb" -v one="$alone" 'BEGIN {
  s = (a + b) / 2 / one
  printf "two one-thread runs at once, 512 atoms: %.1f and %.1f µs per atom-step, %.2fx one alone: two threads can reach %.2fx\n", a, b, s, 2 / s }'
uptime
