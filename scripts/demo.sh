#!/usr/bin/env bash
# Sets up SoundStack (Debian packages, a debug build: the demo is small, and scripts/test.sh
# reuses the same build) and runs the main job on a built-in example: a message goes out as
# sound, through a noisy channel, and comes back checked. Benchmarks build in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --product soundstack >&2
S=.build/debug/soundstack
out=${DEMO_DIR:-$(mktemp -d)}
if "$S" --help 2>/dev/null | grep -qE "^ +demo( |$)"; then
    exec "$S" demo --output-dir "$out" "$@"
fi
msg='{"from":"SoundStack","text":"Hello through the air, seven layers down and up again."}'
echo "== encode: the message becomes FSK tones in a WAV file"
"$S" encode --mode bell202 --text "$msg" --output "$out/message.wav"
echo "== channel: white noise at Eb/N0 12 dB, a 0.2 % slow sound card, 10 Hz off tune"
"$S" channel "$out/message.wav" --output "$out/noisy.wav" --ebn0 12 --drift -2000 --freq-offset 10 --seed 7
echo "== decode: find the frame, check it, print the bytes"
"$S" decode -q "$out/noisy.wav"
echo
"$S" decode "$out/noisy.wav" > /dev/null
echo
echo "(audio files in $out)"
