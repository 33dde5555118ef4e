#!/usr/bin/env bash
# Peak memory and speed of AudioIO on a long file.
#
# Builds the tests in release mode, writes a 1-hour 48 kHz mono 16-bit WAV with our
# AudioFileWriter (or sox with --sox), reads it back through AudioFileReader in 4096-frame
# blocks, and prints peak RSS as measured by /usr/bin/time -v and by the process itself.
#
#   scripts/bench-audio-rss.sh [--seconds N] [--sox] [--keep]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=3600 use_sox=0 keep=0
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

measure() {  # label, then what to run
    local label=$1; shift
    echo "== $label"
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -v -o "$work/time.txt" "$@" 2>&1 | grep -E "bench-audio|✘" || true
        grep -E "Maximum resident set size|Elapsed" "$work/time.txt"
    else
        "$@" 2>&1 | grep -E "bench-audio|✘" || true
    fi
}
read_test=("$tests" --testing-library swift-testing --filter "AudioIOBenchmarkTests/readLongFile")
measure "file" env SOUNDSTACK_BENCH_READ="$file" "${read_test[@]}"
# The pipe path (cat x.wav | soundstack decode -): libsndfile virtual I/O over stdin.
measure "pipe" bash -c 'cat "$0" | env SOUNDSTACK_BENCH_READ=- "${@}"' "$file" "${read_test[@]}"
