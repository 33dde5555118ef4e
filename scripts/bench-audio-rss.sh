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

swift build -c release --build-tests >/dev/null
bin=$(swift build -c release --show-bin-path)
tests="$bin/SoundStackPackageTests.xctest"
run_test() {  # name, extra env...
    local name=$1; shift
    env "$@" "$tests" --testing-library swift-testing --filter "AudioIOBenchmarkTests/$name"
}

if [ "$use_sox" = 1 ]; then
    sox -n -r 48000 -c 1 -b 16 -e signed "$file" synth "$seconds" sine 1000 vol 0.5
else
    run_test writeLongFile SOUNDSTACK_BENCH_WRITE="$file" SOUNDSTACK_BENCH_SECONDS="$seconds" | grep bench-audio
fi
ls -l "$file"

if [ -x /usr/bin/time ]; then
    /usr/bin/time -v -o "$work/time.txt" env SOUNDSTACK_BENCH_READ="$file" \
        "$tests" --testing-library swift-testing --filter "AudioIOBenchmarkTests/readLongFile" | grep bench-audio
    grep -E "Maximum resident set size|Elapsed" "$work/time.txt"
else
    run_test readLongFile SOUNDSTACK_BENCH_READ="$file" | grep bench-audio
fi
