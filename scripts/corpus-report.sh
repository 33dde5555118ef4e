#!/usr/bin/env bash
# Decodes every file of the shared FSK corpus with SoundStack and prints a markdown table:
# file, SoundStack result (messages found / expected, exact?), and the reference decoders'
# results as recorded in the corpus MANIFEST (atest / multimon-ng / minimodem).
# Usage: scripts/corpus-report.sh [corpus-dir]   (builds the release CLI first)
# It fails (exit 1) when the README's claim no longer holds: all EXPECTED_FILES (default 28)
# recordings with a reference output decode to it exactly; the one exception is the Bell 103
# file, which may give up to MAX_BELL103_EXTRA_BYTES (default 3) printable bytes after the whole
# reference text (the end of the text, which the source's own decoder also has).
#   EXPECTED_FILES=28 MAX_BELL103_EXTRA_BYTES=3 scripts/corpus-report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${1:-../shared/corpus}
expected_files=${EXPECTED_FILES:-28}
max_extra=${MAX_BELL103_EXTRA_BYTES:-3}
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
files=0 exact=0 failures=()
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
  files=$((files + 1))
  if [ "$got" == "$want" ]; then ok=yes; exact=$((exact + 1))
  elif [ -n "$want" ] && [[ "$got" == "$want"* ]]; then
    more=${got#"$want"}
    ok="yes + more (\`$(printf '%s' "$more" | LC_ALL=C tr -cd '[:print:]')\`)"
    extra=$(printf '%s' "$more" | LC_ALL=C tr -cd '[:print:]' | wc -c)  # printable bytes; line breaks aside
    case "$rel" in
      other/Bell-103*)
        if [ "$extra" -le "$max_extra" ]; then exact=$((exact + 1))
        else failures+=("$rel: the reference text and $extra printable bytes more, bound <= $max_extra (MAX_BELL103_EXTRA_BYTES)"); fi ;;
      *) failures+=("$rel: the reference output and $extra printable bytes more (README: decodes exactly)") ;;
    esac
  else ok=NO; failures+=("$rel: not the reference decoders' output ($n)"); fi
  ref=$(grep -F "| \`$rel\` |" "$CORPUS/MANIFEST.md" | awk -F' \\| ' '{print $NF}' | sed 's/ |$//' | cut -c1-160)
  echo "| $rel | $n | $ok | $ref |"
done
if [ "$files" -ne "$expected_files" ]; then
  failures+=("recordings with a reference output: $files, README: $expected_files (EXPECTED_FILES)")
fi
echo "corpus-report: $exact of $files recordings decode to the reference output" >&2
for failure in "${failures[@]}"; do echo "corpus-report: FAILED: $failure" >&2; done
[ ${#failures[@]} -eq 0 ]
