#!/usr/bin/env bash
# The on-the-fly learner's overhead on steps that make no reference call (issue 8: ≤ 5 % of the step).
# Learns a SOAP GAP of SW silicon once (64-atom diamond Si, NVT 1000 → 1600 K, $LEARN_STEPS steps, σ tolerance
# 0.02 eV; or reuses $MODEL_DIR/learn), then on 64- and 512-atom diamond Si runs the same NVT Langevin MD (1300 K,
# 1 fs, same seed) four ways with that model:
#   md-sigma   soapstone md --model model.gap --stop-if-uncertain 1e9   (σ every step, in the force pass)
#   md-nosigma soapstone md --model model.gap --no-sigma
#   learn      soapstone learn --model model.gap --training training.xyz --std-tolerance 1e9   (σ every step, no call)
#   learn-c10  the same with --check-every 10                   (σ on every 10th step)
# First in one JVM (org.soapstone.bench.LearnOverheadBenchmark: after warm-up, rounds alternating between the four,
# one thread, the loop thread's CPU time: no JIT or GC threads counted), then as the commands themselves: wall and
# process-CPU µs per atom-step of each MD loop (medians of $REPEATS runs; process CPU includes JIT compilation,
# which differs between the commands at these short runs). Both print the ratios learn / md-sigma (target ≤ 1.05)
# and learn / md-nosigma. On a shared machine compare CPU, not wall, times.
#   usage: bench/learn-overhead.sh [model-dir]   (env: THREADS (1, commands only), REPEATS (3), LEARN_STEPS (3000),
#          ROUNDS (7, in-process); needs /usr/bin/python3 with ase: Debian python3-ase; builds bench/target/benchmarks.jar)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
models="${1:-$here/bench/target/learn-overhead}"
threads="${THREADS:-1}"
repeats="${REPEATS:-3}"
mkdir -p "$models"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

/usr/bin/python3 - "$work" <<'PY'
import sys
from ase.build import bulk
from ase.io import write
for n in (2, 4):
    a = bulk("Si", "diamond", a=5.431, cubic=True).repeat((n, n, n))
    write("%s/si-%d.xyz" % (sys.argv[1], len(a)), a, format="extxyz")
PY

if [[ ! -f "$models/learn/model.gap" ]]; then
  "$here/soapstone" learn --reference "sw:$here/test-data/Si.sw" \
    --descriptor "soap cutoff=4.5 n_max=8 l_max=6 atom_sigma=0.5 zeta=4 delta=1 covariance_type=dot_product n_sparse=10" \
    --ensemble nvt --temperature 1000:1600 --timestep 1 --steps "${LEARN_STEPS:-3000}" --std-tolerance 0.02 \
    --trajectory-every 1000 --output "$models/learn" "$work/si-64.xyz" | grep -E '^learn:'
fi
model="$models/learn/model.gap"
training="$models/learn/training.xyz"
echo "model: $(tail -1 "$models/learn/learn.log" | awk '{print $7}') sparse points, $(tail -1 "$models/learn/learn.log" \
  | awk '{print $8}') training frames; threads $threads; load: $(uptime | sed 's/.*load/load/')"

[[ -f "$here/bench/target/benchmarks.jar" ]] || (cd "$here" && ./mvnw -q -B -pl bench -am package -DskipTests)
echo "== in one JVM, 1 thread"
"${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" --enable-native-access=ALL-UNNAMED \
  --add-modules jdk.incubator.vector -Drounds="${ROUNDS:-7}" -Dsoapstone.root="$here" \
  -cp "$here/bench/target/benchmarks.jar" org.soapstone.bench.LearnOverheadBenchmark "$model" "$training" 2 4 \
  2>&1 | grep -v 'incubator modules'
echo "== the commands"

# run NAME ATOMS STEPS: prints "wall cpu" (s) of the MD loop
run() {
  local name=$1 atoms=$2 steps=$3 common
  common=(--ensemble nvt --thermostat langevin --temperature 1300 --seed 7 --timestep 1 --steps "$steps"
          --threads "$threads" --thermo-every "$steps" --trajectory-every "$steps" --output "$work/$name")
  case $name in
    md-sigma)   "$here/soapstone" md --model "$model" --stop-if-uncertain 1e9 "${common[@]}" "$work/si-$atoms.xyz" ;;
    md-nosigma) "$here/soapstone" md --model "$model" --no-sigma "${common[@]}" "$work/si-$atoms.xyz" ;;
    learn)      "$here/soapstone" learn --reference "sw:$here/test-data/Si.sw" --model "$model" \
                  --training "$training" --std-tolerance 1e9 "${common[@]}" "$work/si-$atoms.xyz" ;;
    learn-c10)  "$here/soapstone" learn --reference "sw:$here/test-data/Si.sw" --model "$model" \
                  --training "$training" --std-tolerance 1e9 --check-every 10 "${common[@]}" "$work/si-$atoms.xyz" ;;
  esac > "$work/log" 2>&1 || { cat "$work/log"; exit 1; }
  if grep -q 'reference calls' "$work/log" && ! grep -q ', 0 reference calls' "$work/log"; then
    grep -E '^learn:' "$work/log"; echo "the learn run made a reference call; the measurement needs none" >&2; exit 1
  fi
  echo "$(grep -Eo 'loop time [0-9.eE+-]+ s' "$work/log" | awk '{print $3}') \
$(grep -Eo 'loop CPU time [0-9.eE+-]+ s' "$work/log" | awk '{print $4}')"
}

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

printf "%6s %5s %11s %14s %14s\n" atoms steps run wall_us/at-st cpu_us/at-st
for atoms in 64 512; do
  case $atoms in 64) steps=1000;; 512) steps=100;; esac
  declare -A wall=() cpu=()
  for r in $(seq "$repeats"); do
    for name in md-sigma md-nosigma learn learn-c10; do   # interleaved, so load changes hit all four alike
      read -r w c < <(run "$name" "$atoms" "$steps")
      wall[$name]+="$w "; cpu[$name]+="$c "
    done
  done
  for name in md-sigma md-nosigma learn learn-c10; do
    w=$(tr ' ' '\n' <<< "${wall[$name]}" | grep . | median)
    c=$(tr ' ' '\n' <<< "${cpu[$name]}" | grep . | median)
    eval "mw_${name//-/_}=$w; mc_${name//-/_}=$c"
    awk -v a="$atoms" -v s="$steps" -v n="$name" -v w="$w" -v c="$c" \
      'BEGIN { printf "%6d %5d %11s %14.1f %14.1f\n", a, s, n, 1e6 * w / (a * s), 1e6 * c / (a * s) }'
  done
  awk -v ls="$mc_learn" -v lc="$mc_learn_c10" -v ms="$mc_md_sigma" -v mn="$mc_md_nosigma" \
      -v lsw="$mw_learn" -v msw="$mw_md_sigma" -v mnw="$mw_md_nosigma" -v a="$atoms" 'BEGIN {
    printf "%6d atoms: learn / md-sigma = %.3f CPU (%.3f wall), learn / md-nosigma = %.3f CPU (%.3f wall), ", a,
      ls / ms, lsw / msw, ls / mn, lsw / mnw
    printf "learn-c10 / md-nosigma = %.3f CPU\n", lc / mn }'
  unset wall cpu
done
