#!/usr/bin/env python3
"""Checks the README's sensitivity and throughput figures against a results JSON of the shared
harness (../shared/bench/run_peers.py --out-json, as scripts/bench.sh writes it).

    scripts/bench_check.py bench-out/results.json

Exit 1 when a claim fails, with one line per failure naming the figure, the measured value and
the bound. Per SoundStack peer in the file (peers left out of the run are skipped and listed):

  - the Eb/N0 it needs (per channel bit) for BER <= 1e-3, or for 99 % of AX.25 packets, is at most
    the README's figure plus a margin for run-to-run noise; a sweep that never meets the target
    fails. Bounds (dB, README figure in brackets):
      MAX_EBN0_FSK1200    11.1  (10.7)      MAX_EBN0_BELL202    11.5  (11.1)
      MAX_EBN0_BELL103    12.4  (12.0)      MAX_EBN0_MFSK4_6000  9.1  (8.7)
      MAX_EBN0_AX25       12.0  (11.6)
  - its clean file decodes exactly, and the harness reported no error;
  - mfsk4-6000 carries at least MIN_BPS_MFSK4_6000 (11500; README 11,765) payload bit/s on the air
    and MIN_BPS_FILE_MFSK4_6000 (10000; README 10,292) counting the file's silence.

Each `<peer>-any` line (the same signal decoded with no --mode, every mode listened for at once)
needs at most MAX_ANY_GAP_DB (0.2) dB more Eb/N0 than its `<peer>` in the same run.

With minimodem in the same run (PEERS=1), bell202 needs at least MIN_GAIN_VS_MINIMODEM_DB (1.0; the
README shows 1.7) dB less than minimodem 1200, and bell103 that much less than minimodem 300
(README: 12.0 against more than 16).
"""
import json
import os
import sys

# peer name -> (label, env of the bound, default bound, README figure)
SENSITIVITY = {
    'soundstack-fsk1200': ('fsk1200', 'MAX_EBN0_FSK1200', 11.1, 10.7),
    'soundstack-bell202': ('bell202', 'MAX_EBN0_BELL202', 11.5, 11.1),
    'soundstack-bell103': ('bell103', 'MAX_EBN0_BELL103', 12.4, 12.0),
    'soundstack-mfsk4-6000': ('mfsk4-6000', 'MAX_EBN0_MFSK4_6000', 9.1, 8.7),
    'soundstack-ax25': ('AX.25 (99 % of packets)', 'MAX_EBN0_AX25', 12.0, 11.6),
}
# ours -> the minimodem peer on the same tones
AGAINST_MINIMODEM = {'soundstack-bell202': 'minimodem-1200', 'soundstack-bell103': 'minimodem-300'}


def bound(name, default):
    value = os.environ.get(name)
    return float(value) if value not in (None, '') else default


def threshold(result):
    """(dB, qualifier) or None: '' crossed there, '<=' met from the first point, '>' never met."""
    thr = result.get('thr')
    if not thr:
        return None
    return float(thr[0]), thr[1]


def check(data):
    """Returns (failures, notes)."""
    results = {r['name']: r for r in data.get('results', [])}
    failures, notes = [], []
    for name, (label, env, default, figure) in SENSITIVITY.items():
        r = results.get(name)
        if r is None:
            notes.append(f'{name} not in this run: its figure ({figure} dB) is not checked')
            continue
        if 'error' in r:
            failures.append(f'{label}: the harness reported an error: {r["error"]}')
            continue
        if not r.get('clean', {}).get('exact', False):
            failures.append(f'{label}: the clean file did not decode exactly')
        thr = threshold(r)
        limit = bound(env, default)
        if thr is None:
            notes.append(f'{name} has no sweep in this run: its Eb/N0 figure ({figure} dB) is not checked')
        elif thr[1] == '>':
            failures.append(f'{label} Eb/N0 needed (README {figure} dB): target never met up to {thr[0]:g} dB, '
                            f'bound <= {limit:g} dB ({env})')
        elif thr[0] > limit:
            failures.append(f'{label} Eb/N0 needed (README {figure} dB): {thr[0]:.2f} dB, bound <= {limit:g} dB ({env})')
        else:
            notes.append(f'{label}: {thr[1]}{thr[0]:.2f} dB needed, bound <= {limit:g} dB')
    r = results.get('soundstack-mfsk4-6000')
    if r is not None and 'error' not in r:
        for key, env, default, figure, what in (
                ('net_bps_onair', 'MIN_BPS_MFSK4_6000', 11500, '11,765', 'on the air'),
                ('net_bps_file', 'MIN_BPS_FILE_MFSK4_6000', 10000, '10,292', 'counting the silence')):
            limit = bound(env, default)
            value = r.get(key)
            if value is None or value < limit:
                shown = 'not measured' if value is None else f'{value:,.0f} bit/s'
                failures.append(f'mfsk4-6000 payload bit/s {what} (README {figure}): {shown}, '
                                f'bound >= {limit:,.0f} ({env})')
    any_gap = bound('MAX_ANY_GAP_DB', 0.2)
    for name, r in results.items():
        if not name.endswith('-any') or name[:-4] not in results:
            continue
        one, every = threshold(results[name[:-4]]), threshold(r)
        if one is None or every is None:
            continue
        if every[1] == '>' or every[0] - one[0] > any_gap:
            failures.append(f'{name[:-4]} with no --mode: {every[1]}{every[0]:.2f} dB against {one[0]:.2f} dB with '
                            f'--mode, bound <= +{any_gap:g} dB (MAX_ANY_GAP_DB)')
        else:
            notes.append(f'{name[:-4]} with no --mode: {every[0]:.2f} dB against {one[0]:.2f} dB with --mode '
                         f'({every[0] - one[0]:+.2f} dB)')
    gain = bound('MIN_GAIN_VS_MINIMODEM_DB', 1.0)
    for ours, theirs in AGAINST_MINIMODEM.items():
        a, b = results.get(ours), results.get(theirs)
        ta, tb = (threshold(a) if a else None), (threshold(b) if b else None)
        if ta is None or tb is None:
            if a is not None and b is None:
                notes.append(f'{theirs} not in this run (PEERS=1 adds it): {ours} against it is not checked')
            continue
        if ta[1] == '>':
            continue  # already failed above
        # minimodem never meeting the target: its threshold is beyond the last point (a lower bound).
        margin = tb[0] - ta[0]
        if margin < gain:
            failures.append(f'{SENSITIVITY[ours][0]} against {theirs} in the same run: {ta[0]:.2f} dB against '
                            f'{tb[1]}{tb[0]:.2f} dB, {margin:+.2f} dB better, bound >= {gain:g} dB '
                            '(MIN_GAIN_VS_MINIMODEM_DB)')
        else:
            notes.append(f'{SENSITIVITY[ours][0]}: {margin:.2f} dB less than {theirs} ({tb[1]}{tb[0]:.2f} dB)')
    return failures, notes


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[1]) as f:
        data = json.load(f)
    failures, notes = check(data)
    for note in notes:
        print(f'bench-check: {note}', file=sys.stderr)
    for failure in failures:
        print(f'bench-check: FAILED: {failure}', file=sys.stderr)
    if not failures:
        print('bench-check: every figure checked is within its bound in this run', file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
