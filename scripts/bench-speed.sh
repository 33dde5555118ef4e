#!/usr/bin/env bash
# Encode/decode CPU time of SoundStack next to minimodem on the same payload, one run,
# release build with the Swift runtime linked statically (as an installed tool would be).
#   scripts/bench-speed.sh [--bytes 60000] [--reps 5]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v minimodem >/dev/null || { echo "bench-speed: needs minimodem (scripts/setup.sh)" >&2; exit 1; }
swift build -c release --product soundstack --static-swift-stdlib --scratch-path .build-static >&2
mkdir -p bench-out
python3 scripts/bench_speed.py --soundstack "$(pwd)/.build-static/release/soundstack" --out bench-out/speed.md "$@"
