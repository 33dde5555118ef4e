#!/usr/bin/env bash
# Runs SoundStack's modes through the shared benchmark harness (../shared/bench),
# release build, next to the peers' published figures.
#   scripts/bench.sh                       # sweep 6..16 dB, speed, impairments
#   scripts/bench.sh --only 'soundstack-fsk1200' --ebn0 9:13:0.5
#   PEERS=1 scripts/bench.sh               # also re-run minimodem in the same run (speed ratios)
# Then scripts/bench_check.py checks the README's figures in results.json and this script fails
# (exit 1) when one no longer holds: the Eb/N0 each mode needs for BER 1e-3 (AX.25: 99 % of
# packets) at most the README's figure + 0.4 dB (MAX_EBN0_FSK1200=11.1, MAX_EBN0_BELL202=11.5,
# MAX_EBN0_BELL103=12.4, MAX_EBN0_MFSK4_6000=9.1, MAX_EBN0_AX25=12.0), exact clean decodes,
# mfsk4-6000 payload bit/s (MIN_BPS_MFSK4_6000=11500 on the air, MIN_BPS_FILE_MFSK4_6000=10000 in
# the file) and, with PEERS=1, bell202/bell103 at least MIN_GAIN_VS_MINIMODEM_DB=1.0 dB better than
# minimodem 1200/300. Modes left out with --only are not checked.
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
python3 scripts/bench_check.py "$out/results.json"
