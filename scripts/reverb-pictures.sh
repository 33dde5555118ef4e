#!/usr/bin/env bash
# The README's reverberation pictures: the same 64-byte frame in fsk1200, uncoded and with
# --fec cc1/2, through a hall (RT60 1 s, 6 dB direct-to-reverberant, the channel simulator's room
# seed 1), drawn as the demodulator's view and as eye diagrams, with the clean eye beside them.
# Fails unless the hall breaks the uncoded frame and the coded one comes through exactly.
#   scripts/reverb-pictures.sh            # writes docs/img/reverb-*.png
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product soundstack >&2
S=.build/release/soundstack
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
msg="A hall rings for a second after every tone; the code reads through it."
for fec in none cc1/2; do
    name=$([ "$fec" = none ] && echo uncoded || echo cc12)
    "$S" encode -q --raw --mode fsk1200 --fec "$fec" --text "$msg" -o "$work/$name.wav"
    "$S" channel -q "$work/$name.wav" -o "$work/$name-hall.wav" --spec "reverb=1s@6db,seed=1"
    "$S" plot "$work/$name-hall.wav" --mode fsk1200 -o "docs/img/reverb-demod-$name.png"
    "$S" plot "$work/$name-hall.wav" --kind eye --mode fsk1200 -o "docs/img/reverb-eye-$name.png"
done
"$S" plot "$work/uncoded.wav" --kind eye --mode fsk1200 -o docs/img/reverb-eye-clean.png
if "$S" decode -q --mode fsk1200 "$work/uncoded-hall.wav" > "$work/u.txt" 2> /dev/null && [ "$(cat "$work/u.txt")" = "$msg" ]; then
    echo "reverb-pictures: the hall should break the uncoded frame" >&2
    exit 1
fi
[ "$("$S" decode -q --mode fsk1200 "$work/cc12-hall.wav")" = "$msg" ] \
    || { echo "reverb-pictures: the coded frame did not come through the hall" >&2; exit 1; }
echo "reverb-pictures: uncoded lost, cc1/2 exact; docs/img/reverb-*.png written" >&2
