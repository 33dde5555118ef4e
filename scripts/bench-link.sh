#!/usr/bin/env bash
# Goodput of `soundstack link` (the acoustic ARQ link) for a 50 kB HTTP POST, in bytes of HTTP
# message per second of audio (every transmission both ways, turnarounds and timeouts), at a
# clean-ish level, one where 10–40 % of frames are lost, and near the limit; each level over
# SEEDS channel seeds (mean, min, max). quiet-lwip publishes 388 B/s for TCP over audio.
# It fails (exit 1) when a figure of the README's goodput table no longer holds: every seed must
# deliver the message exactly at every level (5/5), and with the default options and SIZE the mean
# goodput at a level must reach its bound in MIN_GOODPUT (level:B/s pairs; default
# 14:1050,10.5:840,10:670,9.5:440,9:250, about 5 % under the README's 1104, 885, 708, 465 and 267 B/s).
# With options of your own the goodput is only checked where MIN_GOODPUT is set explicitly.
# FEC (default none: the table of uncoded frames) is the link's --fec; FEC=auto checks the
# README's second table, where each station picks the scheme from the Eb/N0 it measures
# (bounds 14:1050,10.5:930,9:910,8:740,7:740,6:690,5:520, about 5 % under it).
#   scripts/bench-link.sh                          # defaults: mfsk4-6000, MSS 512, window 16
#   LEVELS=14,10.5,10,9.5,9 scripts/bench-link.sh  # the README's table, 9 dB included
#   SEEDS=3 LEVELS=14,10.5,10,9.5 scripts/bench-link.sh --mss 1024 --window 8
#   SEEDS=1 LEVELS=14 MIN_GOODPUT=14:1250 scripts/bench-link.sh --mss 1460 --window 32  # README: 1292 B/s
#   FEC=auto LEVELS=14,10.5,9,8,7,6,5 scripts/bench-link.sh   # the README's table with FEC
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${SEEDS:-5}
levels=${LEVELS:-14,10.5,10,9.5}
size=${SIZE:-50000}
fec=${FEC:-none}
swift build -c release --product soundstack >&2
ss=$(pwd)/.build/release/soundstack
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s.%N)
for seed in $(seq "$seeds"); do
    # Exit status 3 means a level gave up: that is a result here, not a failure.
    "$ss" link --size "$size" --channel "seed=$seed" --sweep "$levels" --fec "$fec" --json "$@" > "$work/seed$seed.json" || [ $? -eq 3 ]
done
wall=$(echo "$(date +%s.%N) - $start" | bc)
default_bounds=14:1050,10.5:840,10:670,9.5:440,9:250
[ "$fec" = auto ] && default_bounds=14:1050,10.5:930,9:910,8:740,7:740,6:690,5:520
if [ -n "${MIN_GOODPUT:-}" ]; then bounds=$MIN_GOODPUT
elif [ $# -eq 0 ] && [ "$size" = 50000 ] && { [ "$fec" = none ] || [ "$fec" = auto ]; }; then bounds=$default_bounds
else bounds=; fi
python3 - "$work" "$seeds" "$wall" "$bounds" "$@" <<'PY'
import json, os, sys, glob
fec = os.environ.get("FEC", "none")
work, seeds, wall, bounds, args = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5:]
bound = {float(k): float(v) for k, v in (pair.split(":") for pair in bounds.split(",") if pair)}
readme = {14: 1104, 10.5: 885, 10: 708, 9.5: 465, 9: 267} if fec == "none" else {}  # the README's uncoded table
failures = []
runs = [json.load(open(f)) for f in sorted(glob.glob(work + "/seed*.json"))]
levels = [row["ebn0"] for row in runs[0]]
print(f"soundstack link: {runs[0][0]['report']['messageBytes']}-byte POST, {seeds} seeds per level"
      + (f", options {' '.join(args)}" if args else ", default options") + f", FEC {fec}; quiet-lwip: 388 B/s")
head = ["Eb/N0 dB", "delivered", "frames lost", "resent", "ACKs lost", "timeouts", "audio s", "goodput B/s", "min", "max", "vs 388"]
print("  ".join(f"{h:>11}" for h in head))
for i, level in enumerate(levels):
    rows = [run[i] for run in runs]
    rep = [r["report"] for r in rows]
    ok = sum(1 for r in rows if r["exact"])
    sent = sum(r["framesSent"] + r["framesResent"] for r in rep)
    lost = sum(r["framesLost"] for r in rep)
    good = [r["goodput"] for r in rep]
    mean = sum(good) / len(good)
    cells = [f"{level:g}", f"{ok}/{len(rows)}", f"{100 * lost / max(1, sent):.0f} %", f"{sum(r['framesResent'] for r in rep) / len(rep):.0f}",
             f"{sum(r['ackFramesLost'] for r in rep) / len(rep):.1f}", f"{sum(r['timeouts'] for r in rep) / len(rep):.1f}",
             f"{sum(r['audioSeconds'] for r in rep) / len(rep):.1f}", f"{mean:.0f}", f"{min(good):.0f}", f"{max(good):.0f}",
             f"{mean / 388:.2f}×"]
    print("  ".join(f"{c:>11}" for c in cells))
    if ok != len(rows):
        failures.append(f"delivered at {level:g} dB (README: all, 5/5): {ok}/{len(rows)}, bound: every seed")
    if level in bound and mean < bound[level]:
        cited = f" (README: {readme[level]} B/s)" if level in readme and not args else ""
        failures.append(f"goodput at {level:g} dB{cited}: {mean:.0f} B/s ({mean / 388:.2f}x 388 B/s), "
                        f"bound >= {bound[level]:g} B/s (MIN_GOODPUT)")
print(f"(frames lost: share of all data-side frames sent; resent, ACKs lost, timeouts and audio: mean per run; "
      f"wall time {wall:.1f} s for {seeds * len(levels)} runs)")
for failure in failures:
    print(f"bench-link: FAILED: {failure}", file=sys.stderr)
if not bound:
    print("bench-link: options of your own and no MIN_GOODPUT: goodput not checked", file=sys.stderr)
sys.exit(1 if failures else 0)
PY
