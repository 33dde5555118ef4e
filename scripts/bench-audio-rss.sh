#!/usr/bin/env bash
# Peak memory and speed of AudioIO on a long file.
#
# Builds the tests in release mode, writes a 1-hour 48 kHz mono 16-bit WAV with our
# AudioFileWriter (or sox with --sox), reads it back through AudioFileReader in 4096-frame
# blocks, and prints peak RSS as measured by /usr/bin/time -v and by the process itself.
# It fails (exit 1) when a read does not pass or does not return every frame written, or when its
# peak RSS (/usr/bin/time's, else the process's own) reaches MAX_RSS_MB (default 100; an hour of
# 16-bit audio is 345 MB, so a reader that held the file could not pass).
#
#   scripts/bench-audio-rss.sh [--seconds N] [--sox] [--keep]
#   MAX_RSS_MB=40 scripts/bench-audio-rss.sh
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=3600 use_sox=0 keep=0
max_rss_mb=${MAX_RSS_MB:-100}
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --sox) use_sox=1; shift ;;
        --keep) keep=1; shift ;;
        *) echo "usage: $0 [--seconds N] [--sox] [--keep]" >&2; exit 2 ;;
    esac
done

work=$(mktemp -d)
[ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT
file="$work/long.wav"

# @testable imports need -enable-testing in release.
swift build -c release --build-tests -Xswiftc -enable-testing >/dev/null
bin=$(swift build -c release --show-bin-path)
tests="$bin/SoundStackPackageTests.xctest"
run_test() {  # name, extra env...
    local name=$1; shift
    env "$@" "$tests" --testing-library swift-testing --filter "AudioIOBenchmarkTests/$name" 2>&1 | grep -E "bench-audio|✘"
}

if [ "$use_sox" = 1 ]; then
    sox -n -r 48000 -c 1 -b 16 -e signed "$file" synth "$seconds" sine 1000 vol 0.5
else
    run_test writeLongFile SOUNDSTACK_BENCH_WRITE="$file" SOUNDSTACK_BENCH_SECONDS="$seconds"
fi
ls -l "$file"

failures=()
measure() {  # label, then what to run; checks status, frames read and peak RSS
    local label=$1; shift
    local status=0
    echo "== $label"
    : > "$work/time.txt"
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -v -o "$work/time.txt" "$@" > "$work/out.txt" 2>&1 || status=$?
    else
        "$@" > "$work/out.txt" 2>&1 || status=$?
    fi
    grep -E "bench-audio|✘" "$work/out.txt" || true
    grep -E "Maximum resident set size|Elapsed" "$work/time.txt" || true
    check "$label" "$status" "$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")"
}
check() {  # label, exit status, peak RSS in kB from /usr/bin/time (may be empty); reads $work/out.txt
    local label=$1 status=$2 rss=$3 frames
    [ "$status" -eq 0 ] || failures+=("$label: the read test failed (exit $status)")
    frames=$(sed -n 's/.*bench-audio: read \([0-9]*\) frames.*/\1/p' "$work/out.txt" | head -1)
    [ "${frames:-0}" -eq $((seconds * 48000)) ] \
        || failures+=("$label: frames read ${frames:-none}, bound = $((seconds * 48000)) (every frame written)")
    [ -n "$rss" ] || rss=$(sed -n 's/.*peak RSS \([0-9]*\) kB.*/\1/p' "$work/out.txt" | head -1)
    if [ -z "$rss" ]; then failures+=("$label: no peak RSS measured")
    elif [ "$rss" -ge $((max_rss_mb * 1024)) ]; then
        failures+=("$label: peak RSS $((rss / 1024)) MB, bound < $max_rss_mb MB (MAX_RSS_MB)")
    else echo "bench-audio: $label peak RSS $((rss / 1024)) MB, bound < $max_rss_mb MB"; fi
}
read_test=("$tests" --testing-library swift-testing --filter "AudioIOBenchmarkTests/readLongFile")
measure "file" env SOUNDSTACK_BENCH_READ="$file" "${read_test[@]}"
# The pipe path (cat x.wav | soundstack decode -): libsndfile virtual I/O over stdin.
measure "pipe" bash -c 'cat "$0" | env SOUNDSTACK_BENCH_READ=- "${@}"' "$file" "${read_test[@]}"
for failure in "${failures[@]}"; do echo "bench-audio-rss: FAILED: $failure" >&2; done
[ ${#failures[@]} -eq 0 ]
