#!/usr/bin/env bash
# Live audio through a real audio server (a headless PulseAudio from scripts/audio-server.sh when
# none answers), on a 48 kHz mono null sink of its own whose monitor is the microphone:
#   1. latency: MESSAGES messages, each played by `encode --play` while `listen --mode fsk1200`
#      runs; the latency of one is the time from its frame's last sample being played (the moment
#      `encode --play` returned, less the audio after the frame's end) to its bytes on listen's
#      stdout;
#   2. CPU: `listen` (every mode at once, and --mode bell202) and `minimodem --rx 1200`, one
#      after the other, each for SECONDS seconds of quiet noise played into the sink, as a
#      percentage of one core (user + system, start-up included).
#   3. a long run: `listen` (every mode) for LONG_SECONDS (default 600) while a recording of quiet
#      noise with a message every 30 s is played into the sink: the audio heard against the
#      time listened, the messages found, CPU and peak memory.
# It fails (exit 1) when a figure the README cites leaves its bound, naming it:
#   - every message heard exactly, worst latency at most MAX_LATENCY seconds (default 0.5);
#   - listen with every mode at most MAX_CPU percent of one core (default 5);
#   - the long run: at most MAX_LOST seconds of audio not heard and at most MAX_LOST lost to
#     overruns by listen's own count (default 0.5), every message
#     found, CPU at most MAX_CPU, peak RSS at most MAX_RSS_MB (default 64).
#   scripts/bench-live.sh                    # 5 messages, 60 s of CPU, 10 minutes
#   MESSAGES=3 SECONDS_CPU=20 LONG_SECONDS=60 scripts/bench-live.sh
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${MESSAGES:-5}
seconds=${SECONDS_CPU:-60}
max_latency=${MAX_LATENCY:-0.5}
max_cpu=${MAX_CPU:-5}
long=${LONG_SECONDS:-600}
max_lost=${MAX_LOST:-0.5}
max_rss=${MAX_RSS_MB:-64}
for tool in pactl sox minimodem python3; do
    command -v "$tool" > /dev/null || { echo "bench-live: $tool not found" >&2; exit 1; }
done
scripts/audio-server.sh
swift build -c release --product soundstack >&2
ss=$(pwd)/.build/release/soundstack
work=$(mktemp -d)
sink="soundstack_bench_$$"
module=$(pactl load-module module-null-sink sink_name="$sink" rate=48000 channels=1 format=s16le)
trap 'pactl unload-module "$module" 2> /dev/null || true; rm -rf "$work"' EXIT

# 1. Latency.
python3 - "$ss" "$sink" "$messages" "$work" > "$work/latency" << 'PY'
import json, subprocess, sys, threading, time
ss, sink, n, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
listen = subprocess.Popen([ss, "listen", "--device", sink + ".monitor", "--mode", "fsk1200"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
arrived, seen = {}, b""
def read():
    global seen
    while True:
        chunk = listen.stdout.read1(4096)
        if not chunk:
            return
        seen += chunk
        for k in range(n):
            if f"live message {k}.".encode() in seen and k not in arrived:
                arrived[k] = time.time()
threading.Thread(target=read, daemon=True).start()
time.sleep(1.5)
latencies = []
for k in range(n):
    wav = f"{work}/m{k}.wav"
    subprocess.run([ss, "encode", "-q", "--text", f"live message {k}.", "-o", wav], check=True)
    frame = json.loads(subprocess.run([ss, "decode", "-q", "--json", wav], capture_output=True,
                                      check=True).stdout.splitlines()[0])
    length = float(subprocess.run(["soxi", "-D", wav], capture_output=True, check=True).stdout)
    subprocess.run([ss, "play", "-q", wav, "--device", sink], check=True)
    played = time.time() - (length - frame["end"])
    deadline = time.time() + 3
    while k not in arrived and time.time() < deadline:
        time.sleep(0.005)
    latencies.append(arrived[k] - played if k in arrived else float("inf"))
listen.send_signal(2)
listen.wait(timeout=10)
print(" ".join(f"{x:.3f}" for x in latencies))
PY
read -r -a latency < "$work/latency"
worst=$(printf '%s\n' "${latency[@]}" | sort -g | tail -1)
median=$(printf '%s\n' "${latency[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')

# 2. CPU over SECONDS of quiet noise.
sox -q -n -r 48000 -c 1 -b 16 "$work/noise.wav" synth "$((3 * seconds + 6))" whitenoise vol 0.01
"$ss" play -q "$work/noise.wav" --device "$sink" &
player=$!
sleep 1
# One after the other on the same noise (side by side, minimodem's small fragments would make
# the server wake every reader more often); each is stopped with SIGINT after SECONDS.
python3 - "$ss" "$sink" "$seconds" "$work" << 'PY'
import os, signal, subprocess, sys, time
ss, sink, seconds, work = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
runs = {
    "all": [ss, "listen", "--device", sink + ".monitor"],
    "bell202": [ss, "listen", "--device", sink + ".monitor", "--mode", "bell202"],
    "minimodem": ["minimodem", "--rx", "1200", "--quiet"],
}
env = dict(os.environ, PULSE_SOURCE=sink + ".monitor")
for k, v in runs.items():
    p = subprocess.Popen(v, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    time.sleep(seconds)
    p.send_signal(signal.SIGINT)
    _, _, usage = os.wait4(p.pid, 0)
    with open(f"{work}/cpu-{k}", "w") as f:
        f.write(f"{k} {100 * (usage.ru_utime + usage.ru_stime) / seconds:.2f}\n")
PY
wait "$player" || true

# 3. The long run: quiet noise with a message every 30 s.
count=$((long / 30))
# Each message its own (the same message twice is a resend, delivered once).
segments=()
for k in $(seq "$count"); do
    "$ss" encode -q --text "long run message $k." -o "$work/msg$k.wav"
    sox -q "$work/msg$k.wav" "$work/segment$k.wav" pad 0 "$(awk -v d="$(soxi -D "$work/msg$k.wav")" 'BEGIN { print 30 - d }')"
    segments+=("$work/segment$k.wav")
done
# The first message 5 s in (listening starts 1 s in), the last well before the end.
sox -q "${segments[@]}" "$work/messages.wav" pad 5 "$((long + 5 - 30 * count))"
sox -q -n -r 48000 -c 1 -b 16 "$work/hiss.wav" synth "$((long + 10))" whitenoise vol 0.01
sox -q -m "$work/messages.wav" "$work/hiss.wav" "$work/long.wav"
"$ss" play -q "$work/long.wav" --device "$sink" &
player=$!
sleep 1
python3 - "$ss" "$sink" "$long" "$work" << 'PY'
import os, subprocess, sys
ss, sink, seconds, work = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
with open(f"{work}/long.out", "wb") as out, open(f"{work}/long.err", "wb") as err:
    p = subprocess.Popen([ss, "listen", "--device", sink + ".monitor", "--seconds", seconds], stdout=out, stderr=err)
    _, status, usage = os.wait4(p.pid, 0)
with open(f"{work}/long.usage", "w") as f:
    f.write(f"{100 * (usage.ru_utime + usage.ru_stime) / float(seconds):.2f} {usage.ru_maxrss / 1024:.1f} {status}\n")
PY
wait "$player" || true
read -r long_cpu long_rss _ < "$work/long.usage"
heard=$(grep -oE '[0-9.]+ s heard' "$work/long.err" | awk '{ print $1 }')
lost=$(awk -v h="${heard:-0}" -v l="$long" 'BEGIN { d = l - h; printf "%.1f", d < 0 ? 0 : d }')
# listen's own count of audio lost to overruns (its summary line; "no audio lost" is 0).
overrun=$(grep -oE '[0-9.]+ s lost to overruns' "$work/long.err" | awk '{ print $1 }' || true)
overrun=${overrun:-0}
grep -qE 'lost to overruns|no audio lost' "$work/long.err" \
    || { echo "bench-live: listen's summary has no overrun count:" >&2; cat "$work/long.err" >&2; exit 1; }
found=$(grep -oE "long run message [0-9]+\." "$work/long.out" | sort -u | wc -l)
read -r _ cpu_all < "$work/cpu-all"
read -r _ cpu_bell202 < "$work/cpu-bell202"
read -r _ cpu_minimodem < "$work/cpu-minimodem"

echo
echo "Live audio through PulseAudio (null sink $sink, 48 kHz mono), release build"
echo
echo "| figure | value |"
echo "|---|---:|"
echo "| messages heard exactly | $(printf '%s\n' "${latency[@]}" | grep -vc inf) of $messages |"
echo "| latency, last sample played to bytes written: median | ${median} s |"
echo "| latency: worst | ${worst} s |"
echo "| CPU, listen with every mode, ${seconds} s of quiet noise | ${cpu_all} % of a core |"
echo "| CPU, listen --mode bell202 | ${cpu_bell202} % |"
echo "| CPU, minimodem --rx 1200 on the same audio | ${cpu_minimodem} % |"
echo "| long run: audio heard in ${long} s of listening | ${heard} s (${lost} s not heard) |"
echo "| long run: audio lost to overruns (listen's own count) | ${overrun} s |"
echo "| long run: messages found | ${found} of ${count} |"
echo "| long run: CPU, every mode | ${long_cpu} % of a core |"
echo "| long run: peak RSS | ${long_rss} MB |"
failures=()
awk -v w="$worst" -v b="$max_latency" 'BEGIN { exit !(w + 0 <= b + 0) }' \
    || failures+=("worst latency: $worst s, bound <= $max_latency (MAX_LATENCY)")
awk -v c="$cpu_all" -v b="$max_cpu" 'BEGIN { exit !(c + 0 <= b + 0) }' \
    || failures+=("listen CPU with every mode: $cpu_all %, bound <= $max_cpu (MAX_CPU)")
awk -v x="$lost" -v b="$max_lost" 'BEGIN { exit !(x + 0 <= b + 0) }' \
    || failures+=("long run: $lost s of audio not heard, bound <= $max_lost (MAX_LOST)")
awk -v x="$overrun" -v b="$max_lost" 'BEGIN { exit !(x + 0 <= b + 0) }' \
    || failures+=("long run: $overrun s lost to overruns, bound <= $max_lost (MAX_LOST)")
[ "$found" -eq "$count" ] || failures+=("long run: $found of $count messages found")
awk -v c="$long_cpu" -v b="$max_cpu" 'BEGIN { exit !(c + 0 <= b + 0) }' \
    || failures+=("long run CPU: $long_cpu %, bound <= $max_cpu (MAX_CPU)")
awk -v r="$long_rss" -v b="$max_rss" 'BEGIN { exit !(r + 0 <= b + 0) }' \
    || failures+=("long run peak RSS: $long_rss MB, bound <= $max_rss (MAX_RSS_MB)")
if [ ${#failures[@]} -gt 0 ]; then
    printf 'bench-live: FAILED: %s\n' "${failures[@]}" >&2
    exit 1
fi
echo "bench-live: every figure checked is within its bound in this run"
