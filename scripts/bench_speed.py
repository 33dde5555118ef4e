#!/usr/bin/env python3
"""Encode/decode speed of SoundStack against minimodem, side by side, one run.

The same random printable payload is encoded by both tools with Bell 202 tones
(minimodem --tx 1200; soundstack --mode bell202, and fsk1200), each decodes its
own file, and CPU time (user + sys of the child, getrusage) is measured over
--reps runs; medians are reported.  A short and a long payload give the
"marginal" rate too (start-up removed).

It fails (exit 1) when a figure the README cites no longer holds: SoundStack's
speed over minimodem's, measured in this same run, for bell202 and fsk1200
(README "Speed": encode 5.6x/6.0x, decode 3.6x, start-up removed 4.3x/4.5x), or a
SoundStack decode that is not exact.  The bounds, with a margin for run-to-run
noise, come from the environment:
  MIN_ENCODE_RATIO   encode x realtime over minimodem's            (default 4.0)
  MIN_DECODE_RATIO   decode x realtime over minimodem's            (default 3.0)
  MIN_MARGINAL_RATIO decode x realtime, start-up removed, over
                     minimodem's                                   (default 3.5)
The absolute x realtime figures depend on the machine and are reported only.
"""
import argparse, math, os, random, resource, statistics, subprocess, sys, tempfile, wave


def cpu(cmd, reps, stdin=None):
    times = []
    for _ in range(reps):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with open(stdin, 'rb') if stdin else open(os.devnull, 'rb') as f:
            subprocess.run(cmd, stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(times)


def seconds(path):
    with wave.open(path) as w:
        return w.getnframes() / w.getframerate()


def bound(name, default):
    value = os.environ.get(name)
    return float(value) if value not in (None, '') else default


def check(rates, exact):
    """The README's claims against this run: returns one message per claim that fails."""
    limits = (('encode', 0, 'MIN_ENCODE_RATIO', 4.0), ('decode', 1, 'MIN_DECODE_RATIO', 3.0),
              ('decode, start-up removed', 2, 'MIN_MARGINAL_RATIO', 3.5))
    mm = rates['minimodem 1200']
    failures = []
    for name in ('soundstack bell202', 'soundstack fsk1200'):
        for label, i, env, default in limits:
            need = bound(env, default)
            if math.isinf(rates[name][i]) or math.isinf(mm[i]) or mm[i] <= 0:
                failures.append(f'{name} {label} speed vs minimodem: not measurable (CPU time too short; '
                                f'use a larger --bytes)')
                continue
            ratio = rates[name][i] / mm[i]
            if ratio < need:
                failures.append(f'{name} {label} speed vs minimodem: {ratio:.2f}x, bound >= {need:g}x ({env})')
        if not exact[name]:
            failures.append(f'{name}: decode not exact (the payload did not come back byte for byte)')
    return failures


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--soundstack', required=True)
    p.add_argument('--bytes', type=int, default=60000, help='long payload size')
    p.add_argument('--reps', type=int, default=5)
    p.add_argument('--out', help='write the markdown table here too')
    a = p.parse_args()
    rng = random.Random(1)
    tmp = tempfile.mkdtemp(prefix='soundstack-speed-')
    rows = []
    for label, size in (('short', a.bytes // 8), ('long', a.bytes)):
        payload = os.path.join(tmp, f'{label}.txt')
        with open(payload, 'wb') as f:
            f.write(bytes(rng.randrange(32, 127) for _ in range(size)))
        tools = {
            'minimodem 1200': (['minimodem', '--tx', '1200', '-f', '{wav}'], ['minimodem', '--rx', '1200', '-q', '-f', '{wav}'], True),
            'soundstack bell202': ([a.soundstack, 'encode', '-q', '--mode', 'bell202', '--input', payload, '-o', '{wav}'],
                                   [a.soundstack, 'decode', '-q', '--mode', 'bell202', '{wav}'], False),
            'soundstack fsk1200': ([a.soundstack, 'encode', '-q', '--mode', 'fsk1200', '--input', payload, '-o', '{wav}'],
                                   [a.soundstack, 'decode', '-q', '--mode', 'fsk1200', '{wav}'], False),
        }
        for name, (enc, dec, enc_stdin) in tools.items():
            wav = os.path.join(tmp, f'{label}-{name.replace(" ", "-")}.wav')
            enc = [x.replace('{wav}', wav) for x in enc]
            dec = [x.replace('{wav}', wav) for x in dec]
            t_enc = cpu(enc, a.reps, payload if enc_stdin else None)
            out = subprocess.run(dec, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
            exact = out == open(payload, 'rb').read()
            t_dec = cpu(dec, a.reps)
            rows.append((label, name, seconds(wav), t_enc, t_dec, exact))
    by = {(r[0], r[1]): r for r in rows}
    lines = ['| tool | audio s (long) | encode CPU s | encode x realtime | decode CPU s | decode x realtime | '
             'decode x realtime marginal | exact |', '|---|---|---|---|---|---|---|---|']
    rates = {}
    exact = {}
    for name in ('minimodem 1200', 'soundstack bell202', 'soundstack fsk1200'):
        s, l = by[('short', name)], by[('long', name)]
        enc_x = l[2] / l[3] if l[3] else float('inf')
        dec_x = l[2] / l[4] if l[4] else float('inf')
        marg = (l[2] - s[2]) / (l[4] - s[4]) if l[4] > s[4] else float('inf')
        rates[name] = (enc_x, dec_x, marg)
        exact[name] = l[5] and s[5]
        lines.append(f'| {name} | {l[2]:.1f} | {l[3]:.3f} | {enc_x:,.0f}x | {l[4]:.3f} | {dec_x:,.0f}x | {marg:,.0f}x | '
                     f'{"yes" if l[5] and s[5] else "NO"} |')
    mm = rates['minimodem 1200']
    for name in ('soundstack bell202', 'soundstack fsk1200'):
        r = rates[name]
        lines.append(f'\n{name} / minimodem: encode {r[0] / mm[0]:.2f}x, decode {r[1] / mm[1]:.2f}x, '
                     f'decode marginal {r[2] / mm[2]:.2f}x')
    text = '\n'.join(lines)
    print(text)
    if a.out:
        with open(a.out, 'w') as f:
            f.write(text + '\n')
    failures = check(rates, exact)
    for failure in failures:
        print(f'bench-speed: FAILED: {failure}', file=sys.stderr)
    if not failures:
        print('bench-speed: every speed ratio is within its bound in this run', file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
