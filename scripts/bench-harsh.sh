#!/usr/bin/env bash
# The harsh-path set (scripts/harsh_paths.py): bell202, bell103, voice and voice-slow through
# tape-speed errors, wow and flutter, room and hall reverb, MP3, GSM 06.10, AMR-NB, Opus, a noisy
# mu-law phone call, an SSB passband and a compander, minimodem beside us on the same payloads,
# exact bytes required; release build. Fails when minimodem decodes a path in bell202 or bell103
# that we do not, or when a path is decoded by no SoundStack mode. Writes bench-out/harsh.md.
#   scripts/bench-harsh.sh                  # 4 messages of 64 bytes per mode and path
#   scripts/bench-harsh.sh --messages 10
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in minimodem sox opusenc opusdec python3; do
    command -v "$tool" > /dev/null || { echo "bench-harsh: $tool not found (scripts/setup.sh)" >&2; exit 1; }
done
swift build -c release --product soundstack >&2
mkdir -p bench-out
timeout 1800 python3 scripts/harsh_paths.py --soundstack "$(pwd)/.build/release/soundstack" \
    --out bench-out/harsh.md "$@"
