#!/usr/bin/env bash
# Decodes every file of the shared FSK corpus with SoundStack and prints a markdown table:
# file, SoundStack result (messages found / expected, exact?), and the reference decoders'
# results as recorded in the corpus MANIFEST (atest / multimon-ng / minimodem).
# Usage: scripts/corpus-report.sh [corpus-dir]   (builds the release CLI first)
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${1:-../shared/corpus}
swift build -c release --product soundstack >/dev/null
BIN=.build/release/soundstack

# args for a corpus file: protocol and signalling
args_for() {
  case "$1" in
    aprs/*) echo "--protocol ax25" ;;
    same/*) echo "--protocol same" ;;
    callerid/*) echo "--protocol callerid" ;;
    other/librttywx_rtty.wav) echo "--protocol rtty --baud 50 --tones 2225,1775" ;;
    other/Decoder_RTTY_rtty.wav) echo "--protocol rtty --baud 45.45 --tones 1085,915" ;;
    other/Tape_good-example.wav) echo "--protocol kcs" ;;
    other/Bell-103*) echo "--protocol uart --baud 300 --tones 2025,2225" ;;
  esac
}
# text as compared: no CR, NUL or 0xFF, no blank lines
normalise() { LC_ALL=C tr -d '\r\000\377' | LC_ALL=C grep -v '^[[:space:]]*$' || true; }

echo "| file | SoundStack | exact | reference decoders (MANIFEST) |"
echo "|---|---|---|---|"
for f in "$CORPUS"/{aprs,same,callerid,other}/*; do
  rel=${f#"$CORPUS"/}; base=$(basename "$f")
  exp="$CORPUS/expected/$base.txt"
  [ -f "$exp" ] || continue
  # shellcheck disable=SC2046
  got=$("$BIN" decode -q $(args_for "$rel") "$f" 2>/dev/null | normalise) || true
  want=$(normalise < "$exp")
  case "$rel" in
    other/*) n="$(printf '%s' "$got" | wc -c) / $(printf '%s' "$want" | wc -c) bytes" ;;
    *) n="$(printf '%s' "$got" | grep -c . || true) / $(printf '%s' "$want" | grep -c . || true)" ;;
  esac
  if [ "$got" == "$want" ]; then ok=yes
  elif [ -n "$want" ] && [[ "$got" == "$want"* ]]; then ok="yes + more (\`$(printf '%s' "${got#"$want"}" | LC_ALL=C tr -cd '[:print:]')\`)"
  else ok=NO; fi
  ref=$(grep -F "| \`$rel\` |" "$CORPUS/MANIFEST.md" | awk -F' \\| ' '{print $NF}' | sed 's/ |$//' | cut -c1-160)
  echo "| $rel | $n | $ok | $ref |"
done
