#!/usr/bin/env bash
# CPU per hour of audio of `soundstack decode` with no --mode (every mode at once), with
# --mode, with --protocol auto, and minimodem given the right mode, on noise, silence and a
# dense file, plus --protocol auto on ../shared/corpus; release build with the Swift runtime
# linked statically (as an installed tool would be, and as bench-speed.sh measures). Fails
# when no --mode is below 3x minimodem's speed on noise or silence (MIN_VS_MINIMODEM) or on
# the dense file (MIN_DENSE_VS_MINIMODEM), counted with start-up or without; when --mode is below minimodem, a dense decode is not exact, or a run's
# peak RSS passes 50 MB (MAX_RSS_MB); see scripts/bench_listen.py.
#   scripts/bench-listen.sh                     # hour-long recordings, 5 rounds (about 4 minutes)
#   scripts/bench-listen.sh --seconds 120 --reps 1
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in minimodem sox python3; do
    command -v "$tool" > /dev/null || { echo "bench-listen: $tool not found (scripts/setup.sh)" >&2; exit 1; }
done
swift build -c release --product soundstack --static-swift-stdlib --scratch-path .build-static >&2
mkdir -p bench-out
python3 scripts/bench_listen.py --soundstack "$(pwd)/.build-static/release/soundstack" --corpus ../shared/corpus \
    --out bench-out/listen.md "$@"
