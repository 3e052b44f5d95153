#!/usr/bin/env bash
# `soapstone tune` on the mlearn benchmark (Zuo et al., J. Phys. Chem. A 124, 731 (2020)): for each element, starting
# from the published GAP settings (those of bench/mlearn.sh: one SOAP, n_max=8 l_max=8 atom_sigma=0.5 zeta=4, delta=1,
# CUR sparse points at the published budget, sparse_jitter=1e-8, default_sigma={0.01 0.05 0.01 1}, energies and
# forces), `soapstone fit` with those settings and `soapstone tune --budget BUDGET` (loss: the larger of the 5-fold
# cross-validation energy and force MAE, each divided by the published GAP's), then `soapstone eval --errors` of both
# models on <el>-test.xyz. Prints test MAEs before and after, their ratio to the published GAP's, the published GAP
# and MTP figures, the tune's wall time and trials, and the best settings; keeps each tune's trial log and plots.
#   usage: bench/tune-mlearn.sh [DATA_DIR] [ELEMENTS...]   (default: ../shared/datasets/mlearn, Si Ni Cu Li)
#   env:   BUDGET (tune --budget, default 25m), OBJECTIVE (tune --objective, default worst), THREADS (default 2),
#          SEED (rnd_seed, default 1),
#          OUT (directory kept for the models, logs and plots; default a temporary one, removed)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$(cd "${1:-$here/../shared/datasets/mlearn}" && pwd)"
shift || true
elements=("$@")
[ ${#elements[@]} -gt 0 ] || elements=(Si Ni Cu Li)
budget="${BUDGET:-25m}"
objective="${OBJECTIVE:-worst}"
threads="${THREADS:-2}"
seed="${SEED:-1}"
if [ -n "${OUT:-}" ]; then
  work="$OUT"
  mkdir -p "$work"
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi
"$here/soapstone" --version >/dev/null   # builds the CLI once, outside the timings

source "$here/bench/mlearn-settings.sh"

# the "all" row of eval's error table: energy per atom (meV/atom) and force components (eV/Å), MAE column
mae() { awk '$1=="all" && /energy/ {e=$5} $1=="all" && /force/ {f=$5} END {print e, f}' "$1"; }

rows=()
best=()
for el in "${elements[@]}"; do
  start=(at_file="$data/mlearn-$el-train.xyz"
    gap="{soap cutoff=${cutoff[$el]} n_max=8 l_max=8 atom_sigma=0.5 zeta=4 cutoff_transition_width=0.5 delta=1.0 covariance_type=dot_product n_sparse=${nsparse[$el]} sparse_method=cur_points}"
    default_sigma="{0.01 0.05 0.01 1}" sparse_jitter=1e-8 e0="{$el:${e0[$el]}}"
    energy_parameter_name=energy force_parameter_name=forces virial_parameter_name=NO_virial
    stress_parameter_name=NO_stress rnd_seed="$seed")
  read -r ge gf <<<"${published[$el]}"
  "$here/soapstone" fit --threads "$threads" --calibration none "${start[@]}" gp_file="$work/$el-published.gap" \
    >"$work/$el-fit.log" 2>&1 || { cat "$work/$el-fit.log"; exit 1; }
  SECONDS=0
  "$here/soapstone" tune --threads "$threads" --budget "$budget" --objective "$objective" \
    --reference-errors "$ge,$gf" --calibration none \
    "${start[@]}" gp_file="$work/$el-tuned.gap" >"$work/$el-tune.log" 2>&1 || { cat "$work/$el-tune.log"; exit 1; }
  wall=$SECONDS
  for model in published tuned; do
    "$here/soapstone" eval --threads "$threads" --model "$work/$el-$model.gap" "$data/mlearn-$el-test.xyz" \
      -o "$work/$el-$model-test.xyz" --errors >"$work/$el-$model.eval" 2>&1 \
      || { cat "$work/$el-$model.eval"; exit 1; }
  done
  read -r be bf <<<"$(mae "$work/$el-published.eval")"
  read -r ae af <<<"$(mae "$work/$el-tuned.eval")"
  trials=$(grep -c '^[0-9]' "$work/$el-tuned.gap.tune/trials.tsv")
  rows+=("$(printf '%-3s %6s %10s %9s %10s %9s %7.2f %7.2f %6s %6s %6s %6s %7d %6d' "$el" "${nsparse[$el]}" \
    "$be" "$bf" "$ae" "$af" "$(echo "$ae / $ge" | bc -l)" "$(echo "$af / $gf" | bc -l)" "$ge" "$gf" \
    ${mtp[$el]} "$wall" "$trials")")
  best+=("$el: $(cat "$work/$el-tuned.gap.tune/best-command.txt")")
done
echo
echo "soapstone tune on mlearn, budget $budget, $threads threads, seed $seed ($(date -u +%Y-%m-%d), load: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "test-set MAE: energy meV/atom, forces eV/Å; ratio = tuned / published GAP (bar: both ≤ 0.9)"
printf '%-3s %6s %10s %9s %10s %9s %7s %7s %6s %6s %6s %6s %7s %6s\n' el sparse "E before" "F before" \
  "E tuned" "F tuned" "E ratio" "F ratio" "GAP E" "GAP F" "MTP E" "MTP F" "wall s" trials
printf '%s\n' "${rows[@]}"
echo
echo "best settings:"
printf '%s\n' "${best[@]}"
[ -n "${OUT:-}" ] && echo "models, logs, trial logs and plots: $work"
