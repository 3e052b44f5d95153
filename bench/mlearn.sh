#!/usr/bin/env bash
# The mlearn benchmark (Zuo et al., J. Phys. Chem. A 124, 731 (2020)) with the published GAP settings: for each
# element, `soapstone fit` on <el>-train.xyz (one SOAP, n_max=8 l_max=8 atom_sigma=0.5 zeta=4, delta=1, CUR sparse
# points, sparse_jitter=1e-8, default_sigma={0.01 0.05 0.01 1}, energies and forces only), then `soapstone eval
# --errors --sigma` on <el>-test.xyz. Prints two tables: fit wall time, peak resident memory of the fit, test MAEs and
# the published GAP MAEs (and gap_fit's own figures measured on these machines for Si); and the calibration of the
# error bars on the test set — force components within 1σ and 2σ (zero-by-symmetry components left out), rms z,
# Spearman ρ(σ, |error|), energies within 2σ — for the calibrated observed σ (the default), md's every-step force-σ
# proxy (eval --sigma=proxy) and the latent σ; and how well any σ could rank these errors (bench/sigma-ranking.py).
#   usage: bench/mlearn.sh [DATA_DIR] [ELEMENTS...]    (default: ../shared/datasets/mlearn, Si Ni Cu Li)
#   env:   THREADS (default 2), SEED (default 1), CALIBRATION (fit --calibration, default group)
#   needs: /usr/bin/python3 with ASE and NumPy (Debian python3-ase) for the ranking table
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$(cd "${1:-$here/../shared/datasets/mlearn}" && pwd)"
shift || true
elements=("$@")
[ ${#elements[@]} -gt 0 ] || elements=(Si Ni Cu Li)
threads="${THREADS:-2}"
seed="${SEED:-1}"
calibration="${CALIBRATION:-group}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$here/soapstone" --version >/dev/null   # builds the CLI once, outside the timings

source "$here/bench/mlearn-settings.sh"

rows=()
cal=()
ranking=()
for el in "${elements[@]}"; do
  log="$work/$el.log"
  /usr/bin/time -f "%M %e" -o "$work/$el.time" "$here/soapstone" fit --threads "$threads" --calibration "$calibration" \
    at_file="$data/mlearn-$el-train.xyz" \
    gap="{soap cutoff=${cutoff[$el]} n_max=8 l_max=8 atom_sigma=0.5 zeta=4 cutoff_transition_width=0.5 delta=1.0 covariance_type=dot_product n_sparse=${nsparse[$el]} sparse_method=cur_points}" \
    default_sigma="{0.01 0.05 0.01 1}" sparse_jitter=1e-8 e0="{$el:${e0[$el]}}" \
    energy_parameter_name=energy force_parameter_name=forces virial_parameter_name=NO_virial \
    stress_parameter_name=NO_stress rnd_seed="$seed" gp_file="$work/$el.gap" >"$log" 2>&1 \
    || { cat "$log"; exit 1; }
  read -r rss_kib wall <"$work/$el.time"
  "$here/soapstone" eval --threads "$threads" --model "$work/$el.gap" "$data/mlearn-$el-test.xyz" \
    -o "$work/$el-test.xyz" --errors --sigma >"$work/$el.eval" 2>&1 || { cat "$work/$el.eval"; exit 1; }
  "$here/soapstone" eval --threads "$threads" --model "$work/$el.gap" "$data/mlearn-$el-test.xyz" \
    -o "$work/$el-proxy.xyz" --errors --sigma=proxy >"$work/$el.proxy" 2>&1 || { cat "$work/$el.proxy"; exit 1; }
  "$here/soapstone" eval --threads "$threads" --model "$work/$el.gap" "$data/mlearn-$el-test.xyz" \
    -o "$work/$el-latent.xyz" --errors --sigma=latent >"$work/$el.latent" 2>&1 || { cat "$work/$el.latent"; exit 1; }
  for kind in eval proxy latent; do
    # the "all" rows of the calibration table: count, within 1σ, within 2σ, rms z, NLL, Spearman
    f_cal=$(awk '/^Calibration/ {c=1} c && $1=="all" && $2=="forces" {print $5, $7, $9, $11; exit}' "$work/$el.$kind")
    e_cal=$(awk '/^Calibration/ {c=1} c && $1=="all" && $2=="energy" {print $7; exit}' "$work/$el.$kind")
    cal+=("$(printf '%-3s %-8s %8s %8s %7s %9s %11s' "$el" "${kind/eval/observed}" $f_cal "$e_cal")")
  done
  ranking+=("$(printf '%-3s ' "$el")$(/usr/bin/python3 "$here/bench/sigma-ranking.py" "$data/mlearn-$el-test.xyz" \
    "$work/$el-test.xyz")")
  # the "all" row of the error table: energy per atom (meV/atom) and force components (eV/Å), MAE column
  e_mae=$(awk '$1=="all" && /energy/ {print $5; exit}' "$work/$el.eval")
  f_mae=$(awk '$1=="all" && /force/ {print $5; exit}' "$work/$el.eval")
  rows+=("$(printf '%-3s %6s %9.1f %8.2f %12s %10s   %s' "$el" "${nsparse[$el]}" "$wall" \
    "$(echo "$rss_kib / 1048576" | bc -l)" "$e_mae" "$f_mae" "${published[$el]}")")
done
echo
echo "mlearn benchmark, $threads threads, seed $seed ($(date -u +%Y-%m-%d))"
printf '%-3s %6s %9s %8s %12s %10s   %s\n' el sparse "fit (s)" "peak GiB" "E (meV/at)" "F (eV/Å)" \
  "published GAP E, F"
printf '%s\n' "${rows[@]}"
echo "gap_fit on these machines, Si: 388 s on 2 threads (647 s on 1), 3.5 GiB; test MAE 3.20 meV/atom, 0.073 eV/Å"
echo
echo "error bars on the test sets (fit --calibration $calibration; bar: forces 63-73 % within 1σ, 92-98 % within 2σ,"
echo "rms z 0.8-1.25, Spearman >= 0.5; energies >= 80 % within 2σ)"
printf '%-3s %-8s %8s %8s %7s %9s %11s\n' el "σ" "F 1σ" "F 2σ" "F rms z" "F ρ" "E within 2σ"
printf '%s\n' "${cal[@]}"
echo
echo "how well any σ could rank the force errors (Spearman ρ; bench/sigma-ranking.py): the observed σ's, what its"
echo "spread allows were it exact, an oracle σ equal to each frame's true rms error, one from the atom's other components"
printf '%s\n' "${ranking[@]}"
