#!/usr/bin/env bash
# The HTTP bridge as two processes on one real audio server (a headless PulseAudio from
# scripts/audio-server.sh when none answers), against the simulated link at the same settings:
#   - two 48 kHz mono null sinks, A and B: `bridge --role client` plays on A and hears B's
#     monitor, `bridge --role origin` plays on B and hears A's monitor;
#   - a real origin (python3 -m http.server) serves a SIZE-byte file (default 20000); curl fetches
#     it through the client bridge REPS times (default 3), checking every byte;
#   - the same fetches through `bridge --role local` (the simulated link, clean channel, same mode,
#     MSS and window).
# Goodput is the response's bytes over the seconds its crossing took: wall-clock seconds on the
# live link (from the request's acknowledgement to the response's arrival, the origin's own time
# included), seconds of audio on the simulated one. Fails (exit 1) when a fetch is not exact or
# the live goodput is below MIN_RATIO (default 0.5) of the simulated one.
#   scripts/bench-live-link.sh
#   SIZE=5000 REPS=1 MODE=fsk1200 scripts/bench-live-link.sh
set -euo pipefail
cd "$(dirname "$0")/.."
size=${SIZE:-20000}
reps=${REPS:-3}
mode=${MODE:-mfsk4-6000}
mss=${MSS:-512}
window=${WINDOW:-16}
min_ratio=${MIN_RATIO:-0.5}
for tool in pactl curl python3; do
    command -v "$tool" > /dev/null || { echo "bench-live-link: $tool not found (scripts/setup.sh)" >&2; exit 1; }
done
scripts/audio-server.sh
swift build -c release --product soundstack >&2
ss=$(pwd)/.build/release/soundstack
work=$(mktemp -d)
a="soundstack_link_a_$$"
b="soundstack_link_b_$$"
ma=$(pactl load-module module-null-sink sink_name="$a" rate=48000 channels=1 format=s16le)
mb=$(pactl load-module module-null-sink sink_name="$b" rate=48000 channels=1 format=s16le)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
    wait 2> /dev/null || true
    pactl unload-module "$ma" 2> /dev/null || true
    pactl unload-module "$mb" 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/www" bench-out
python3 -c "
import random, sys
r = random.Random(20)
sys.stdout.write(''.join(r.choice('abcdefghijklmnopqrstuvwxyz \n') for _ in range($size)))
" > "$work/www/file.txt"
port=$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/www" > /dev/null 2>&1 &
pids+=($!)
origin="http://127.0.0.1:$port"
common=(--origin "$origin" --mode "$mode" --mss "$mss" --window "$window" --json-log -q)

"$ss" bridge --role origin --play "$b" --record "$a.monitor" "${common[@]}" > "$work/far.out" 2> "$work/far.err" &
pids+=($!)
"$ss" bridge --role client --listen 127.0.0.1:0 --play "$a" --record "$b.monitor" "${common[@]}" \
    > "$work/live.out" 2> "$work/live.err" &
pids+=($!)
"$ss" bridge --role local --listen 127.0.0.1:0 --one-at-a-time "${common[@]}" > "$work/sim.out" 2> "$work/sim.err" &
pids+=($!)

python3 - "$work" "$origin" "$reps" "$size" "$min_ratio" "$mode" "$mss" "$window" << 'PY'
import json, subprocess, sys, time
work, origin, reps, size, min_ratio = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
mode, mss, window = sys.argv[6], sys.argv[7], sys.argv[8]

def port(name):
    deadline = time.time() + 60
    while time.time() < deadline:
        lines = open(f"{work}/{name}.out").read().splitlines()
        if lines and lines[0].startswith("listening on http://127.0.0.1:"):
            return int(lines[0].rsplit(":", 1)[1])
        time.sleep(0.1)
    sys.exit(f"bench-live-link: the {name} bridge did not start: " + open(f"{work}/{name}.err").read())

deadline = time.time() + 60
while "origin station ready" not in open(f"{work}/far.out").read():
    if time.time() > deadline:
        sys.exit("bench-live-link: the origin station did not start: " + open(f"{work}/far.err").read())
    time.sleep(0.1)
want = open(f"{work}/www/file.txt", "rb").read()
failures, results = [], {}
for name in ["live", "sim"]:
    proxy = f"http://127.0.0.1:{port(name)}"
    walls = []
    for k in range(reps):
        t = time.time()
        got = subprocess.run(["curl", "-s", "--max-time", "300", "-x", proxy, f"{origin}/file.txt"],
                             capture_output=True).stdout
        walls.append(time.time() - t)
        if got != want:
            failures.append(f"{name} fetch {k + 1}: {len(got)} bytes, not the file's {len(want)}")
    time.sleep(0.5)
    records = [json.loads(l) for l in open(f"{work}/{name}.out").read().splitlines()[1:] if l.startswith("{")]
    rates = [r["response"]["messageBytes"] / r["response"]["audioSeconds"] for r in records
             if r.get("ok") and r.get("response") and r["response"]["audioSeconds"] > 0]
    rates.sort()
    results[name] = (rates[len(rates) // 2] if rates else 0, sorted(walls)[len(walls) // 2], len(records))
live, sim = results["live"], results["sim"]
ratio = live[0] / sim[0] if sim[0] else 0
report = f"""## The bridge over a real audio server (scripts/bench-live-link.sh)

A {size}-byte file fetched with curl through the bridge, {reps} times each, {mode}, MSS {mss}, window {window}:

| path | response goodput | curl's whole fetch (median) |
|---|---|---|
| two processes, two PulseAudio null sinks (wall clock) | {live[0]:.0f} B/s | {live[1]:.2f} s |
| one process, simulated link, clean channel (audio seconds) | {sim[0]:.0f} B/s | {sim[1]:.2f} s |

Live over simulated: {ratio:.2f}.
"""
print(report)
open("bench-out/live-link.md", "w").write(report)
if live[2] < reps or sim[2] < reps:
    failures.append(f"exchanges logged: live {live[2]}, simulated {sim[2]}, of {reps}")
if ratio < min_ratio:
    failures.append(f"live goodput {live[0]:.0f} B/s is below {min_ratio} of the simulated {sim[0]:.0f} B/s")
for f in failures:
    print("bench-live-link: FAIL " + f, file=sys.stderr)
sys.exit(1 if failures else 0)
PY
