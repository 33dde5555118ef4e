#!/usr/bin/env bash
# Encode/decode CPU time of SoundStack next to minimodem on the same payload, one run,
# release build with the Swift runtime linked statically (as an installed tool would be).
# Fails (exit 1) when a speed ratio the README cites no longer holds in this run, or a SoundStack
# decode is not exact: bell202 and fsk1200 over minimodem, encode >= MIN_ENCODE_RATIO (default 1.8),
# decode >= MIN_DECODE_RATIO (3.0), decode with start-up removed >= MIN_MARGINAL_RATIO (3.5); the
# README's figures are 2.2x/2.3x, 3.7x and 4.2x (see scripts/bench_speed.py).
#   scripts/bench-speed.sh [--bytes 60000] [--reps 5]
#   MIN_DECODE_RATIO=3.5 scripts/bench-speed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v minimodem >/dev/null || { echo "bench-speed: needs minimodem (scripts/setup.sh)" >&2; exit 1; }
swift build -c release --product soundstack --static-swift-stdlib --scratch-path .build-static >&2
mkdir -p bench-out
python3 scripts/bench_speed.py --soundstack "$(pwd)/.build-static/release/soundstack" --out bench-out/speed.md "$@"
