#!/usr/bin/env bash
# No wrong data, ever: a million coded frames through the real modulator, the channel (white
# noise) and the real demodulator and decoders, at Eb/N0 values where the coded frame error
# rate lies between 1 % and 50 % (where a decoder makes the most wrong guesses), counted by
# `soundstack ber --fec`. Every frame either arrives exact or is refused (its CRC-32, or the
# coded header's CRC-16, or not found); none may arrive with wrong content.
# The frames are split over three schemes, each at its own level (Eb/N0 per payload bit, 16-byte
# payloads, mfsk4-6000, the fastest mode):
#   rs (Reed–Solomon alone: a bounded-distance decoder, the likeliest to miscorrect) at RS_DB,
#   cc1/2 (soft Viterbi, then RS) at CC_DB, turbo1/2 (iterative, CRC-32 alone) at TURBO_DB.
# It fails (exit 1) on any wrong delivery, and when a scheme's frame error rate is outside
# 1 %…50 % (the run would then prove nothing).
#   scripts/bench-fec-million.sh                    # 10^6 frames, about 13 minutes on 2 cores
#   FRAMES=30000 scripts/bench-fec-million.sh       # a quick look
set -euo pipefail
cd "$(dirname "$0")/.."
frames=${FRAMES:-1000000}
per=$(((frames + 2) / 3))
swift build -c release --product soundstack >&2
ss=$(pwd)/.build/release/soundstack
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=()
total=0
wrong_all=0
for point in "rs ${RS_DB:-12}" "cc1/2 ${CC_DB:-10.5}" "turbo1/2 ${TURBO_DB:-10}"; do
    set -- $point
    scheme=$1 level=$2
    start=$(date +%s)
    "$ss" ber --mode mfsk4-6000 --fec "$scheme" --frame-bytes 16 --frames "$per" --ebn0 "$level" -q \
        --json "$work/run.json" || [ $? -eq 3 ]
    read -r sent ok wrong fer < <(python3 - "$work/run.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))["sweeps"][0]
t = s["totals"]
sent = t["framesSent"]
print(sent, t["deliveredOK"], t["wrongDelivered"] + t["spuriousDelivered"], 1 - t["deliveredOK"] / max(1, sent))
EOF
    )
    echo "$scheme at $level dB: $sent frames sent, $ok exact, frame error rate $(printf '%.3f' "$fer"), wrong deliveries $wrong ($(($(date +%s) - start)) s)"
    total=$((total + sent))
    wrong_all=$((wrong_all + wrong))
    awk -v f="$fer" 'BEGIN { exit !(f >= 0.01 && f <= 0.5) }' \
        || failures+=("$scheme at $level dB: frame error rate $fer is outside 0.01…0.5")
done
echo "in all: $total coded frames, $wrong_all delivered with wrong content"
[ "$wrong_all" -eq 0 ] || failures+=("frames delivered with wrong content: $wrong_all")
[ "$total" -ge "$frames" ] || failures+=("frames sent: $total, bound >= $frames")
if [ "${#failures[@]}" -gt 0 ]; then
    printf 'bench-fec-million: FAILED: %s\n' "${failures[@]}" >&2
    exit 1
fi
echo "bench-fec-million: no wrong data in $total frames"
