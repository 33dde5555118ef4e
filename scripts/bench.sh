#!/usr/bin/env bash
# Runs SoundStack's modes through the shared benchmark harness (../shared/bench),
# release build, next to the peers' published figures.
#   scripts/bench.sh                       # sweep 6..16 dB, speed, impairments
#   scripts/bench.sh --only 'soundstack-fsk1200' --ebn0 9:13:0.5
#   PEERS=1 scripts/bench.sh               # also re-run minimodem in the same run (speed ratios)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bench=${BENCH_DIR:-$root/../shared/bench}
out=${OUT_DIR:-$root/bench-out}
mkdir -p "$out"
swift build -c release --product soundstack >&2
export SOUNDSTACK="$root/.build/release/soundstack"
peers="$out/peers.conf"
# The harness shell-quotes placeholders only; expand $SOUNDSTACK here.
sed "s#\$SOUNDSTACK#$SOUNDSTACK#g" bench/soundstack-peers.conf > "$peers"
if [ -n "${PEERS:-}" ]; then
    grep -E '"name": "minimodem-(1200|300)"' "$bench/peers.conf" >> "$peers"
fi
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--ebn0 6:16:1)
python3 "$bench/run_peers.py" --peers "$peers" --workdir "$out/work" \
    --out-md "$out/results.md" --out-json "$out/results.json" "${args[@]}"
echo "report: $out/results.md" >&2
