#!/usr/bin/env bash
# AX.25 (AFSK 1200) decode speed and frame count, SoundStack against Dire Wolf's atest,
# on one long file: Dire Wolf's regression signal (`gen_packets -n 100`, 100 frames with
# rising noise) repeated REPEAT times. CPU seconds are the median of RUNS rounds. SoundStack runs
# three times: with its fastest loops (AVX-512 where the CPU has it, AVX2 elsewhere), with AVX2
# only (SOUNDSTACK_NO_AVX512=1) and with the portable ones (SOUNDSTACK_NO_AVX2=1); all give the
# same frames.
# It fails (exit 1) when a figure the README cites no longer holds, naming the figure, the value
# and the bound:
#   - one copy (test12): at least MIN_TEST12_FRAMES frames (default 80; README 82), and with
#     --fix-bits at least MIN_TEST12_FIXED_FRAMES (default 81; README 82);
#   - the long file: at least REPEAT x MIN_TEST12_FRAMES frames (README 410 of 5 copies), and the
#     same frames, byte for byte, from the fastest, AVX2-only and portable loops;
#   - CPU speed over atest (median of the per-round ratios), FX.25 receiver included: the fastest
#     loops at least MIN_SPEEDUP (default 8.5; README 11.1 on an AVX2-only CPU, 13.4 with
#     AVX-512), AVX2 only at least MIN_SPEEDUP_AVX2 (8; README 10.7, 9.8), portable at least
#     MIN_SPEEDUP_PORTABLE (5.5; README 7.6, 7.7).
# Seconds of CPU and x real time depend on the machine and are reported only.
#   scripts/bench-ax25.sh                 # 5 copies (~390 s of audio), 3 rounds
#   REPEAT=2 RUNS=1 scripts/bench-ax25.sh
#   MIN_SPEEDUP=11 scripts/bench-ax25.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=${REPEAT:-5}
runs=${RUNS:-3}
min_test12=${MIN_TEST12_FRAMES:-80}
min_fixed=${MIN_TEST12_FIXED_FRAMES:-81}
min_speedup=${MIN_SPEEDUP:-8.5}
min_speedup_avx2=${MIN_SPEEDUP_AVX2:-8}
min_speedup_portable=${MIN_SPEEDUP_PORTABLE:-5.5}
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

# once NAME CMD...: runs CMD, appends its user+system CPU seconds to $work/NAME.times; its
# stdout (one line per frame) goes to $work/NAME.out. The tools take turns, round by round, so
# a machine whose speed drifts (shared, throttled) slows them alike; the speed ratio is the
# median of the per-round ratios.
once() {
    local name=$1; shift
    /usr/bin/time -f '%U %S' -o "$work/time" "$@" > "$work/$name.out" 2> /dev/null
    awk '{ printf "%.3f\n", $1 + $2 }' "$work/time" >> "$work/$name.times"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
for _ in $(seq "$runs"); do
    once atest atest -P E+ "$work/long.wav"
    once soundstack "$ss" decode -q --protocol ax25 "$work/long.wav"
    once avx2 env SOUNDSTACK_NO_AVX512=1 "$ss" decode -q --protocol ax25 "$work/long.wav"
    once portable env SOUNDSTACK_NO_AVX2=1 "$ss" decode -q --protocol ax25 "$work/long.wav"
done
atest_cpu=$(median < "$work/atest.times")
ss_cpu=$(median < "$work/soundstack.times")
sa_cpu=$(median < "$work/avx2.times")
sp_cpu=$(median < "$work/portable.times")
ss_ratio=$(paste "$work/atest.times" "$work/soundstack.times" | awk '{ printf "%.4f\n", $1 / $2 }' | median)
sa_ratio=$(paste "$work/atest.times" "$work/avx2.times" | awk '{ printf "%.4f\n", $1 / $2 }' | median)
sp_ratio=$(paste "$work/atest.times" "$work/portable.times" | awk '{ printf "%.4f\n", $1 / $2 }' | median)
atest_frames=$(sed -e 's/\x1b\[[0-9;]*[A-Za-z]//g' "$work/atest.out" | grep -cE '^\[[0-9][0-9.]*\] ' || true)
ss_frames=$(grep -c '>' "$work/soundstack.out" || true)
sa_frames=$(grep -c '>' "$work/avx2.out" || true)
sp_frames=$(grep -c '>' "$work/portable.out" || true)
one=$("$ss" decode -q --protocol ax25 "$work/one.wav" | grep -c '>' || true)
fixed=$("$ss" decode -q --protocol ax25 --fix-bits "$work/one.wav" | grep -c '>' || true)

printf '\nAX.25 decode, %s copies of gen_packets -n 100 (%.0f s of audio), CPU median of %s rounds\n\n' \
    "$repeat" "$seconds" "$runs"
printf '| %-33s | frames | CPU s  | x realtime | speed vs atest |\n' decoder
printf '|-----------------------------------|-------:|-------:|-----------:|---------------:|\n'
awk -v s="$seconds" -v a="$atest_cpu" -v af="$atest_frames" -v c="$ss_cpu" -v cf="$ss_frames" \
    -v p="$sp_cpu" -v pf="$sp_frames" -v cr="$ss_ratio" -v pr="$sp_ratio" \
    -v v="$sa_cpu" -v vf="$sa_frames" -v vr="$sa_ratio" 'BEGIN {
    printf "| %-33s | %6d | %6.2f | %9.0fx | %13.2fx |\n", "atest -P E+ (Dire Wolf)", af, a, s / a, 1
    printf "| %-33s | %6d | %6.2f | %9.0fx | %13.2fx |\n", "soundstack decode --protocol ax25", cf, c, s / c, cr
    printf "| %-33s | %6d | %6.2f | %9.0fx | %13.2fx |\n", "  same, SOUNDSTACK_NO_AVX512=1", vf, v, s / v, vr
    printf "| %-33s | %6d | %6.2f | %9.0fx | %13.2fx |\n", "  same, SOUNDSTACK_NO_AVX2=1", pf, p, s / p, pr
}'
printf '\nOne copy (test12): SoundStack %s of 100 frames, %s with --fix-bits.\n' "$one" "$fixed"

failures=()
at_least() {  # figure, value, bound, variable: appends a failure when value < bound
    awk -v v="$2" -v b="$3" 'BEGIN { exit !(v + 0 >= b + 0) }' || failures+=("$1: $2, bound >= $3 ($4)")
}
at_least "test12 frames (README 82)" "$one" "$min_test12" MIN_TEST12_FRAMES
at_least "test12 frames with --fix-bits (README 82)" "$fixed" "$min_fixed" MIN_TEST12_FIXED_FRAMES
at_least "frames from $repeat copies (README 410 from 5)" "$ss_frames" "$((repeat * min_test12))" "REPEAT x MIN_TEST12_FRAMES"
cmp -s "$work/soundstack.out" "$work/avx2.out" \
    || failures+=("the same frames with SOUNDSTACK_NO_AVX512=1: $sa_frames frames, not the same as the $ss_frames of the fastest loops")
cmp -s "$work/soundstack.out" "$work/portable.out" \
    || failures+=("the same frames with SOUNDSTACK_NO_AVX2=1: $sp_frames frames, not the same as the $ss_frames of the fastest loops")
at_least "speed vs atest, fastest loops (README 13.4x)" "$ss_ratio" "$min_speedup" MIN_SPEEDUP
at_least "speed vs atest, SOUNDSTACK_NO_AVX512=1 (README 9.8x)" "$sa_ratio" "$min_speedup_avx2" MIN_SPEEDUP_AVX2
at_least "speed vs atest, SOUNDSTACK_NO_AVX2=1 (README 7.7x)" "$sp_ratio" "$min_speedup_portable" MIN_SPEEDUP_PORTABLE
for failure in "${failures[@]}"; do echo "bench-ax25: FAILED: $failure" >&2; done
[ ${#failures[@]} -eq 0 ] || exit 1
echo "bench-ax25: every figure checked is within its bound in this run" >&2
