#!/usr/bin/env bash
# Forward error correction, measured (release build, one run):
#   1. `soundstack ber --fec` on 256-byte frames: the Eb/N0 per payload bit (the whole frame's
#      energy over the payload bits) from which 99 % of frames arrive intact, for fsk1200 and
#      mfsk16, uncoded and with cc1/2 and turbo1/2, beside the peers' figures from the shared
#      bench (results-peers.md, per payload bit too); the curves go to $OUT (CSV and SVG).
#   2. The same claim through the shared bench's own channel: FRAMES coded frames, noise from
#      channel.py --payload-bits at the claimed Eb/N0, decoded with no flag: at least 99 % exact.
#   3. The link: a 50 kB POST over mfsk4-6000 with FEC picked per transmission, at 9 and 6 dB.
#   4. Speed: decoding coded fsk1200 audio, in multiples of real time.
# It fails (exit 1) naming the figure, the value and the bound when one no longer holds:
#   MAX_TURBO_MFSK16 (5.0 dB), MAX_TURBO_FSK1200 (8.5), MAX_CC_FSK1200 (9.5), MIN_LINK_9DB
#   (900 B/s), the link delivering at 6 dB, MIN_SPEED (500x real time), and any frame
#   delivered with wrong content.
#   scripts/bench-fec.sh                 # 200 frames per point
#   FRAMES=100 scripts/bench-fec.sh
set -euo pipefail
cd "$(dirname "$0")/.."
frames=${FRAMES:-200}
out=${OUT:-.build/bench-fec}
peers=../shared/bench/results-peers.md
channel=../shared/bench/channel.py
for f in "$channel" "$peers"; do [ -f "$f" ] || { echo "bench-fec: $f not found" >&2; exit 1; }; done
swift build -c release --product soundstack >&2
ss=$(pwd)/.build/release/soundstack
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failures=()
at_most() { awk -v v="$2" -v b="$3" 'BEGIN { exit !(v != "" && v + 0 <= b + 0) }' || failures+=("$1: ${2:-not reached}, bound <= $3"); }
at_least() { awk -v v="$2" -v b="$3" 'BEGIN { exit !(v != "" && v + 0 >= b + 0) }' || failures+=("$1: ${2:-none}, bound >= $3"); }

# 1. Sweeps (uncoded from 8 dB up, coded from 3 dB up), Eb/N0 per payload bit.
"$ss" ber --mode fsk1200,mfsk16 --fec none --frame-bytes 256 --ebn0 8:15:0.5 --frames "$frames" -q \
    --json "$work/none.json" --csv "$work/none.csv"
"$ss" ber --mode fsk1200,mfsk16 --fec cc1/2,turbo1/2 --frame-bytes 256 --ebn0 3:10:0.5 --frames "$frames" -q \
    --json "$work/coded.json" --csv "$work/coded.csv"
{ cat "$work/none.csv"; tail -n +2 "$work/coded.csv"; } > "$out/fec-curves.csv"
"$ss" plot --kind ber --csv "$out/fec-curves.csv" -o "$out/fec-curves.svg"
python3 - "$work/none.json" "$work/coded.json" "$peers" > "$work/table" <<'EOF'
import json, re, sys
rows = []
for path in sys.argv[1:3]:
    for s in json.load(open(path))["sweeps"]:
        r = s["result"]
        t = s["totals"]
        rows.append((r["mode"], r["fec"], s.get("ebN0ForFER1e2DB"), t["wrongDelivered"] + t["spuriousDelivered"]))
print("| scheme | Eb/N0 per payload bit for 99 % of 256-byte frames | wrong deliveries |")
print("|---|---:|---:|")
for mode, fec, at, wrong in rows:
    print(f"| {mode} {fec} | {'%.1f dB' % at if at is not None else 'not reached'} | {wrong} |")
# The peers, per payload bit, from the shared bench's summary table.
for line in open(sys.argv[3]):
    cells = [c.strip() for c in line.split("|")]
    if len(cells) > 6 and re.match(r"(minimodem-1200|direwolf-afsk1200|ggwave-fastest|amodem-2k)$", cells[1]):
        print(f"| peer {cells[1]} ({cells[2]}) | {cells[5]} dB | - |")
for mode, fec, at, wrong in rows:
    print(f"VALUE {mode}+{fec} {'' if at is None else at} {wrong}")
EOF
grep -v '^VALUE' "$work/table"
value() { awk -v k="$1" '$1 == "VALUE" && $2 == k { print $3 }' "$work/table"; }
wrong=$(awk '$1 == "VALUE" { w += $4 } END { print w + 0 }' "$work/table")
at_most "turbo1/2 mfsk16, dB for 99 %" "$(value mfsk16+turbo1/2)" "${MAX_TURBO_MFSK16:-5.0}"
at_most "turbo1/2 fsk1200, dB for 99 %" "$(value fsk1200+turbo1/2)" "${MAX_TURBO_FSK1200:-8.5}"
at_most "cc1/2 fsk1200, dB for 99 %" "$(value fsk1200+cc1/2)" "${MAX_CC_FSK1200:-9.5}"
[ "$wrong" -eq 0 ] || failures+=("frames delivered with wrong content in the sweeps: $wrong")

# 2. The shared bench's channel at the claimed points.
cross() {  # mode scheme ebn0
    local mode=$1 scheme=$2 ebn0=$3
    head -c $((256 * frames)) /dev/urandom > "$work/data.bin"
    "$ss" encode --raw --frame-size 256 --mode "$mode" --fec "$scheme" -i "$work/data.bin" -o "$work/clean.wav" -q
    python3 "$channel" --ebn0 "$ebn0" --payload-bits $((2048 * frames)) --seed 11 "$work/clean.wav" "$work/noisy.wav" > /dev/null 2>&1
    "$ss" decode --json "$work/noisy.wav" 2> /dev/null > "$work/found.jsonl" || true
    python3 - "$work/data.bin" "$work/found.jsonl" <<'EOF'
import json, sys
data = open(sys.argv[1], "rb").read()
sent = {data[i:i + 256].hex() for i in range(0, len(data), 256)}
ok = wrong = 0
for line in open(sys.argv[2]):
    j = json.loads(line)
    if j.get("delivered"):
        if j["hex"] in sent: ok += 1
        else: wrong += 1
print(ok, wrong)
EOF
}
for point in "mfsk16 turbo1/2 ${MAX_TURBO_MFSK16:-5.0}" "fsk1200 turbo1/2 ${MAX_TURBO_FSK1200:-8.5}"; do
    set -- $point
    read -r ok bad < <(cross "$1" "$2" "$3")
    echo "channel.py --payload-bits at $3 dB, $1 $2: $ok of $frames frames exact, $bad wrong"
    at_least "channel.py $1 $2 at $3 dB, frames exact" "$ok" $(((99 * frames + 99) / 100))
    [ "$bad" -eq 0 ] || failures+=("channel.py $1 $2: $bad frames delivered wrong")
done

# 3. The link with FEC picked per transmission.
"$ss" link --size 50000 --sweep 14,9,6 --channel seed=7 --json > "$work/link.json" || true
python3 - "$work/link.json" > "$work/link" <<'EOF'
import json, sys
for row in json.load(open(sys.argv[1])):
    r = row["report"]
    fec = ", ".join(f"{k} {v}" for k, v in sorted(r.get("fecFrames", {}).items()))
    ok = "yes" if row.get("exact") else "no"
    print(f"LINK {row['ebn0']:g} {ok} {r['goodput']:.1f} {fec}")
EOF
sed 's/^LINK /link at /' "$work/link"
goodput9=$(awk '$1 == "LINK" && $2 == "9" && $3 == "yes" { print $4 }' "$work/link")
at_least "link goodput at 9 dB, B/s" "$goodput9" "${MIN_LINK_9DB:-900}"
grep -q '^LINK 6 yes' "$work/link" || failures+=("link at 6 dB: not delivered")

# 4. Decoding speed of coded fsk1200 (clean and at the 99 % point).
for scheme in cc1/2 turbo1/2; do
    head -c $((256 * 100)) /dev/urandom > "$work/speed.bin"
    "$ss" encode --raw --frame-size 256 --mode fsk1200 --fec "$scheme" -i "$work/speed.bin" -o "$work/speed.wav" -q
    python3 "$channel" --ebn0 9 --payload-bits $((2048 * 100)) --seed 3 "$work/speed.wav" "$work/speedn.wav" > /dev/null 2>&1
    seconds=$(soxi -D "$work/speedn.wav")
    /usr/bin/time -f '%U %S' -o "$work/time" "$ss" decode --mode fsk1200 -o /dev/null "$work/speedn.wav" > /dev/null 2>&1 || true
    xrt=$(awk -v s="$seconds" '{ c = $1 + $2; printf "%.0f", s / (c > 0.001 ? c : 0.001) }' "$work/time")
    echo "decode fsk1200 $scheme at 9 dB: ${xrt}x real time"
    at_least "decode speed fsk1200 $scheme, x real time" "$xrt" "${MIN_SPEED:-500}"
done

if [ "${#failures[@]}" -gt 0 ]; then
    printf 'bench-fec: FAILED: %s\n' "${failures[@]}" >&2
    exit 1
fi
echo "bench-fec: all bounds hold (curves in $out)"
