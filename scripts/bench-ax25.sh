#!/usr/bin/env bash
# AX.25 (AFSK 1200) decode speed and frame count, SoundStack against Dire Wolf's atest,
# on one long file: Dire Wolf's regression signal (`gen_packets -n 100`, 100 frames with
# rising noise) repeated REPEAT times. CPU seconds are the median of RUNS runs. SoundStack runs
# twice: with its AVX2 loops (where the CPU has AVX2) and with the portable ones
# (SOUNDSTACK_NO_AVX2=1); both give the same frames.
#   scripts/bench-ax25.sh                 # 5 copies (~390 s of audio), 3 runs each
#   REPEAT=2 RUNS=1 scripts/bench-ax25.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=${REPEAT:-5}
runs=${RUNS:-3}
for tool in gen_packets atest sox; do
    command -v "$tool" > /dev/null || { echo "bench-ax25: $tool not found" >&2; exit 1; }
done
swift build -c release --product soundstack >&2
ss=$(pwd)/.build/release/soundstack
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gen_packets -n 100 -o "$work/one.wav" > /dev/null 2>&1
copies=()
for _ in $(seq "$repeat"); do copies+=("$work/one.wav"); done
if [ "$repeat" -gt 1 ]; then sox "${copies[@]}" "$work/long.wav"; else cp "$work/one.wav" "$work/long.wav"; fi
seconds=$(soxi -D "$work/long.wav")

# cpu NAME CMD...: median user+system CPU seconds of RUNS runs; the frame count of the last run
# goes to $work/NAME.frames (the command's stdout is one line per frame).
cpu() {
    local name=$1; shift
    local times=()
    for _ in $(seq "$runs"); do
        /usr/bin/time -f '%U %S' -o "$work/time" "$@" > "$work/$name.out" 2> /dev/null
        times+=("$(awk '{ printf "%.3f", $1 + $2 }' "$work/time")")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
atest_cpu=$(cpu atest atest -P E+ "$work/long.wav")
atest_frames=$(sed -e 's/\x1b\[[0-9;]*[A-Za-z]//g' "$work/atest.out" | grep -cE '^\[[0-9][0-9.]*\] ' || true)
ss_cpu=$(cpu soundstack "$ss" decode -q --protocol ax25 "$work/long.wav")
ss_frames=$(grep -c '>' "$work/soundstack.out" || true)
sp_cpu=$(cpu portable env SOUNDSTACK_NO_AVX2=1 "$ss" decode -q --protocol ax25 "$work/long.wav")
sp_frames=$(grep -c '>' "$work/portable.out" || true)
one=$("$ss" decode -q --protocol ax25 "$work/one.wav" | grep -c '>' || true)

printf '\nAX.25 decode, %s copies of gen_packets -n 100 (%.0f s of audio), CPU median of %s runs\n\n' \
    "$repeat" "$seconds" "$runs"
printf '| %-33s | frames | CPU s  | x realtime | speed vs atest |\n' decoder
printf '|-----------------------------------|-------:|-------:|-----------:|---------------:|\n'
awk -v s="$seconds" -v a="$atest_cpu" -v af="$atest_frames" -v c="$ss_cpu" -v cf="$ss_frames" \
    -v p="$sp_cpu" -v pf="$sp_frames" 'BEGIN {
    printf "| %-33s | %6d | %6.2f | %9.0fx | %13.2fx |\n", "atest -P E+ (Dire Wolf)", af, a, s / a, 1
    printf "| %-33s | %6d | %6.2f | %9.0fx | %13.2fx |\n", "soundstack decode --protocol ax25", cf, c, s / c, a / c
    printf "| %-33s | %6d | %6.2f | %9.0fx | %13.2fx |\n", "  same, SOUNDSTACK_NO_AVX2=1", pf, p, s / p, a / p
}'
printf '\nOne copy (test12): SoundStack %s of 100 frames.\n' "$one"
