#!/usr/bin/env python3
"""Our BER sweeps next to the peers' measured points from ../shared/bench.

Reads bench-out/ber/ber-all.csv (scripts/ber-sweep.sh) and the bench's results-peers.json,
writes one CSV for `soundstack plot --kind ber`: our curves, minimodem's BER points, and
Dire Wolf's packet-loss rate (a packet error rate, named as such, not a bit error rate).
"""
import csv, json, sys

ours, peers, out = sys.argv[1], sys.argv[2], sys.argv[3]
rows = []
with open(ours) as f:
    for r in csv.DictReader(f):
        if r['mode'] in ('fsk1200', 'bell202', 'bell103'):
            rows.append((r['mode'], float(r['ebn0_db']), float(r['ber'])))
data = json.load(open(peers))
for p in data['results']:
    name = p['name']
    for point in p.get('sweep', []):
        if name in ('minimodem-1200', 'minimodem-300') and 'ber' in point:
            rows.append((name, point['ebn0'], point['ber']))
        elif name == 'direwolf-afsk1200' and 'success' in point:
            rows.append(('Dire Wolf AFSK1200 (share of packets lost)', point['ebn0'], max(0.0, 1 - point['success'])))
with open(out, 'w') as f:
    f.write('mode,ebn0_db,ber\n')
    for m, e, b in rows:
        if b > 0:
            f.write(f'{m},{e},{min(b, 1.0)}\n')
print(f'{len(rows)} points -> {out}')
