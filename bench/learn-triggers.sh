#!/usr/bin/env bash
# Reference calls against accuracy for the learner's two triggers, on the SW and Tersoff demos
# (examples/learn/learn-si-sw.sh: 64-atom Si, NVT 1000 → 1600 K, 20 ps; force MAE on 100 unseen frames at 1200 and
# 1600 K). Each setting is learnt with several seeds (velocities, thermostat, sparse points: one trajectory is one
# sample of a noisy process) and the table gives, per setting, the mean number of reference calls and the mean force
# MAE (eV/Å), with each seed's figures:
#   std    --std-tolerance EV      the local-energy σ of the most uncertain atom (eV), checked every step (at least
#                                  5 steps after the last call)
#   force  --force-tolerance EV/Å  the largest calibrated force σ component (eV/Å), checked every 10 steps (the
#                                  exact force σ costs ≈ 28 plain steps)
# A trigger needs no more calls than another for the same accuracy when its (calls, MAE) points lie on or below the
# other's curve.
#   usage: bench/learn-triggers.sh [OUTDIR]
#   env: SEEDS (default "12345 2 3 4", learn's default seed first), SW_STD ("0.02 0.025"), SW_FORCE ("0.25 0.28"),
#        TERSOFF_STD ("0.015 0.02"), TERSOFF_FORCE ("0.7 0.85"), STEPS (20000), JOBS (2 runs at a time, one thread
#        each). About 1–3 minutes per run on a quiet core, 32 runs by default; a run already in OUTDIR is kept.
#   Needs /usr/bin/python3 with ASE and NumPy (Debian python3-ase).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$here/bench/target/learn-triggers}"
seeds="${SEEDS:-12345 2 3 4}"
jobs="${JOBS:-2}"
mkdir -p "$out"
"$here/soapstone" --version > /dev/null  # builds the jar once, before runs start in parallel

run() {  # name reference kind tolerance seed
  local dir="$out/$1-$5" options="--threads 1 --seed $5" trigger
  if [[ "$3" == force ]]; then
    options="$options --check-every 10"
    trigger=(FORCE_TOL="$4")
  else
    trigger=(TOL="$4")
  fi
  [[ -s "$dir.out" ]] && grep -q '^all:' "$dir.out" && return 0
  mkdir -p "$dir"
  # the unseen frames depend only on the reference: made once, then copied
  local frames="$out/frames-${2%%:*}"
  if [[ -s "$frames/test1200.xyz" && -s "$frames/test1600.xyz" ]]; then
    cp "$frames/test1200.xyz" "$frames/test1600.xyz" "$dir/"
  fi
  env "${trigger[@]}" REFERENCE="$2" STEPS="${STEPS:-20000}" LEARN_OPTIONS="$options" \
    "$here/examples/learn/learn-si-sw.sh" "$dir" > "$dir.out" 2>&1
  if [[ ! -s "$frames/test1600.xyz" ]]; then
    mkdir -p "$frames" && cp "$dir/test1200.xyz" "$dir/test1600.xyz" "$frames/"
  fi
}

cases=()
for t in ${SW_STD:-0.02 0.025}; do cases+=("sw-std-$t sw:$here/test-data/Si.sw std $t"); done
for t in ${SW_FORCE:-0.25 0.28}; do cases+=("sw-force-$t sw:$here/test-data/Si.sw force $t"); done
for t in ${TERSOFF_STD:-0.015 0.02}; do cases+=("tersoff-std-$t tersoff:$here/test-data/Si.tersoff std $t"); done
for t in ${TERSOFF_FORCE:-0.7 0.85}; do cases+=("tersoff-force-$t tersoff:$here/test-data/Si.tersoff force $t"); done

# the first seed of each reference alone (it makes the unseen frames), then everything JOBS at a time
first=(${seeds})
run ${cases[0]} "${first[0]}"
run ${cases[$(( ${#cases[@]} / 2 ))]} "${first[0]}"
for c in "${cases[@]}"; do
  for s in $seeds; do
    while (( $(jobs -rp | wc -l) >= jobs )); do wait -n; done
    run $c "$s" &
  done
done
wait

printf '%-22s %6s %9s   %s\n' setting calls "MAE eV/Å" "each seed: calls/MAE"
for c in "${cases[@]}"; do
  name=${c%% *}
  for s in $seeds; do
    f="$out/$name-$s.out"
    k=$(awk '/^reference calls, sparse points, training frames:/ {print $(NF - 2)}' "$f")
    e=$(sed -n 's/^all: .*force MAE \([0-9.]*\) eV.*/\1/p' "$f")
    echo "$k $e"
  done | awk -v name="$name" '{n++; c += $1; e += $2; each = each " " $1 "/" $2}
    END {printf "%-22s %6.1f %9.4f  %s\n", name, c / n, e / n, each}'
done
