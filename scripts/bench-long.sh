#!/usr/bin/env bash
# Long-input check: one hour of 48 kHz audio with frames scattered through it, decoded from the
# file and from stdin by a release build. Every frame must come out, in order, and peak RSS must
# stay under MAX_RSS_MB (default 32: the README cites 29 MB; with AUTO=1 the decode with no --mode,
# every mode listening at once, under MAX_AUTO_RSS_MB, default 50); CPU time is reported. Any run that
# misses one of these fails the script (exit 1), naming the figure, the value and the bound.
#
#   scripts/bench-long.sh                 # 60 frames in 3600 s, fsk1200
#   MINUTES=5 FRAMES=10 scripts/bench-long.sh
#   MODE=bell202 AUTO=1 scripts/bench-long.sh   # AUTO=1 also decodes without --mode
#   MAX_RSS_MB=24 scripts/bench-long.sh
#
# Needs sox and /usr/bin/time (GNU). Work files go to $WORK (default .build/bench-long), about
# 350 MB for the hour of 16-bit audio.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${MINUTES:-60}
frames=${FRAMES:-60}
mode=${MODE:-fsk1200}
rate=48000
max_rss_mb=${MAX_RSS_MB:-32}
max_auto_rss_mb=${MAX_AUTO_RSS_MB:-50}
work=${WORK:-.build/bench-long}
mkdir -p "$work"
command -v sox >/dev/null || { echo "bench-long: needs sox (scripts/setup.sh installs it)" >&2; exit 1; }

swift build -c release --product soundstack >&2
bin=$(swift build -c release --show-bin-path)/soundstack

# Frames: short texts, each in its own small WAV (0.1 s of silence around it).
echo "bench-long: encoding $frames frames ($mode)" >&2
: > "$work/expected.txt"
list=()
for i in $(seq 1 "$frames"); do
    text=$(printf 'frame %03d of %03d: the quick brown fox %05d\n' "$i" "$frames" $((i * 7919 % 100000)))
    printf '%s' "$text" >> "$work/expected.txt"
    "$bin" encode -q --mode "$mode" --rate $rate --text "$text" --output "$work/f$i.wav"
    list+=("$work/f$i.wav")
done
# Gaps between frames, alternately silence and faint white noise, filling the length asked for.
frame_seconds=$(sox --i -D "$work/f1.wav")
gap=$(python3 -c "print(max(0.5, ($minutes * 60 - $frames * $frame_seconds) / $frames))")
sox -n -r $rate -c 1 -b 16 "$work/gap-silence.wav" trim 0 "$gap"
sox -n -r $rate -c 1 -b 16 "$work/gap-noise.wav" synth "$gap" whitenoise vol 0.03
inputs=()
for i in $(seq 1 "$frames"); do
    if [ $((i % 2)) -eq 0 ]; then inputs+=("$work/gap-noise.wav"); else inputs+=("$work/gap-silence.wav"); fi
    inputs+=("${list[$((i - 1))]}")
done
echo "bench-long: stitching $(python3 -c "print(round($frames * ($gap + $frame_seconds) / 60, 1))") minutes" >&2
sox "${inputs[@]}" "$work/long.wav"
seconds=$(sox --i -D "$work/long.wav")

failed=0
# Runs one decode under /usr/bin/time -v and checks it; $1 is a label, $2 the peak RSS bound in
# MB, the rest the command.
measure() {
    local label=$1 bound_mb=$2; shift 2
    local limit_kb=$((bound_mb * 1024))
    local out="$work/$label.out" err="$work/$label.err" tm="$work/$label.time" status=0
    /usr/bin/time -v -o "$tm" "$@" > "$out" 2> "$err" || status=$?
    local rss user sys wall found
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tm")
    user=$(sed -n 's/.*User time (seconds): //p' "$tm")
    sys=$(sed -n 's/.*System time (seconds): //p' "$tm")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tm")
    # The decoder's summary line on stderr: "N frames: M ok (mode)".
    found=$(sed -n 's/^ *[0-9][0-9]* frames*: \([0-9][0-9]*\) ok.*/\1/p' "$err" | tail -1)
    found=${found:-0}
    local verdict=ok
    if [ "$status" -ne 0 ]; then verdict="FAILED (exit $status)"; fi
    if ! cmp -s "$out" "$work/expected.txt"; then verdict="FAILED (bytes differ from what was sent)"; fi
    if [ "$found" -ne "$frames" ]; then verdict="FAILED (every frame found: $found of $frames frames ok)"; fi
    if [ -z "$rss" ]; then verdict="FAILED (no peak RSS from /usr/bin/time)"
    elif [ "$rss" -ge "$limit_kb" ]; then
        verdict="FAILED (peak RSS $((rss / 1024)) MB, bound < $bound_mb MB (MAX_RSS_MB, MAX_AUTO_RSS_MB))"
    fi
    [ "$verdict" = ok ] || failed=$((failed + 1))
    printf 'bench-long: %-7s %s frames %3s/%s  peak RSS %6.1f MB  CPU %6.1f s (user %s, sys %s)  wall %s  %.0fx real time\n' \
        "$label" "$verdict" "$found" "$frames" "$(echo "${rss:-0} / 1024" | bc -l)" "$(echo "$user + $sys" | bc -l)" \
        "$user" "$sys" "$wall" "$(echo "$seconds / ($user + $sys + 0.001)" | bc -l)"
    tail -1 "$err" | sed 's/^/             /'
}

echo "bench-long: $(du -h "$work/long.wav" | cut -f1) file, ${seconds} s at $rate Hz" >&2
measure file "$max_rss_mb" "$bin" decode --mode "$mode" "$work/long.wav"
measure stdin "$max_rss_mb" sh -c "cat '$work/long.wav' | '$bin' decode --mode '$mode' -"
if [ -n "${AUTO:-}" ]; then measure auto "$max_auto_rss_mb" "$bin" decode "$work/long.wav"; fi
[ "$failed" -eq 0 ] || { echo "bench-long: $failed run(s) failed" >&2; exit 1; }
[ -n "${KEEP:-}" ] || rm -f "$work"/f*.wav "$work"/gap-*.wav
