#!/usr/bin/env bash
# Regenerates Samples/: one small WAV per mode (and per line code on baseband), made by
# the tool itself, each carrying the same short message.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product soundstack >&2
S=.build/release/soundstack
mkdir -p Samples
msg="SoundStack sample: the quick brown fox jumps over the lazy dog 0123456789"
for mode in bell103 bell202 fsk300 fsk1200 fsk2400 mfsk4 mfsk8 mfsk16 mfsk4-6000; do
    "$S" encode -q --mode "$mode" --text "$msg" --output "Samples/$mode.wav"
done
for code in nrz nrzi manchester diff-manchester; do
    "$S" encode -q --mode baseband --line-code "$code" --text "$msg" --output "Samples/baseband-$code.wav"
    "$S" encode -q --mode fsk1200 --line-code "$code" --text "$msg" --output "Samples/fsk1200-$code.wav"
done
ls -l Samples >&2
