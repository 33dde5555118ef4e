#!/usr/bin/env bash
# Regenerates Samples/: one small WAV per mode (and per line code on baseband), made by
# the tool itself, each carrying the same short message.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product soundstack >&2
S=.build/release/soundstack
mkdir -p Samples
msg="SoundStack sample: the quick brown fox jumps over the lazy dog 0123456789"
# 22.05 kHz keeps the files small; the 6000-baud mode needs 48 kHz.
for mode in bell103 bell202 fsk300 fsk1200 fsk2400 mfsk4 mfsk8 mfsk16; do
    "$S" encode -q --mode "$mode" --rate 22050 --text "$msg" --output "Samples/$mode.wav"
done
"$S" encode -q --mode mfsk4-6000 --rate 48000 --text "$msg" --output "Samples/mfsk4-6000.wav"
for code in nrz nrzi manchester diff-manchester; do
    "$S" encode -q --mode baseband --rate 22050 --line-code "$code" --text "$msg" --output "Samples/baseband-$code.wav"
    "$S" encode -q --mode fsk1200 --rate 22050 --line-code "$code" --text "$msg" --output "Samples/fsk1200-$code.wav"
done
# Each sample decodes back to the message.
for f in Samples/*.wav; do
    case "$f" in
        Samples/baseband-*|Samples/fsk1200-*) code=$(basename "$f" .wav | sed 's/^[a-z0-9]*-//'); args=(--line-code "$code") ;;
        *) args=() ;;
    esac
    [ "$("$S" decode -q "${args[@]}" "$f")" = "$msg" ] || { echo "make-samples: $f does not decode" >&2; exit 1; }
done
ls -l Samples >&2
