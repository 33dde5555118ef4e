#!/usr/bin/env python3
"""CPU per hour of audio of the default decode path (no --mode: every mode at once), next to
one mode and to minimodem given the right mode, on the recordings users actually have.

Three recordings of --seconds each, 48 kHz 16-bit mono, written by sox and the tools:
  noise    white noise at -34 dBFS RMS
  silence  digital silence
  dense    Bell 202 frames back to back (each tool decodes its own: soundstack --mode bell202
           frames, minimodem --tx 1200 bytes), --dense-bytes of random printable text
For each: `soundstack decode` with no --mode, with --mode bell202, with --protocol auto, and
`minimodem --rx 1200`, CPU time (user + sys, the child's own rusage) and peak RSS, medians of
--reps runs. Then `--protocol auto` over ../shared/corpus (when it is there), CPU per hour.

The run fails (exit 1) when, in this same run:
  - no --mode is slower than MIN_VS_MINIMODEM (default 3) times minimodem on any recording,
  - --mode bell202 is slower than minimodem on any recording,
  - the dense file does not decode exactly with no --mode and with --mode,
  - any soundstack run's peak RSS passes MAX_RSS_MB (default 50).
"""
import argparse, glob, os, random, statistics, subprocess, sys, tempfile


def run(cmd, reps):
    """Median CPU seconds and max peak RSS (KiB) of `cmd` over `reps` runs, and its last stdout."""
    times, peak, out = [], 0, b''
    for _ in range(reps):
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        times.append(usage.ru_utime + usage.ru_stime)
        peak = max(peak, usage.ru_maxrss)
    return statistics.median(times), peak, out


def seconds(path):
    """Length in seconds as sox reads it (the corpus has WAV headers Python's wave module misreads)."""
    out = subprocess.run(['soxi', '-D', path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return float(out.stdout.strip() or 0)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--soundstack', required=True)
    p.add_argument('--seconds', type=int, default=600)
    p.add_argument('--dense-bytes', type=int, default=60000)
    p.add_argument('--reps', type=int, default=3)
    p.add_argument('--corpus', default='')
    p.add_argument('--out', help='write the markdown report here too')
    a = p.parse_args()
    min_ratio = float(os.environ.get('MIN_VS_MINIMODEM', '3'))
    max_rss_mb = float(os.environ.get('MAX_RSS_MB', '50'))
    tmp = tempfile.mkdtemp(prefix='soundstack-listen-')
    ss = a.soundstack

    noise = os.path.join(tmp, 'noise.wav')
    silence = os.path.join(tmp, 'silence.wav')
    # sox's whitenoise is uniform in ±vol: RMS vol/sqrt(3); -34 dBFS RMS = 0.01995.
    subprocess.run(['sox', '-D', '-R', '-n', '-r', '48000', '-b', '16', '-c', '1', noise, 'synth', str(a.seconds),
                    'whitenoise', 'vol', f'{0.01995 * 3 ** 0.5:.5f}'], check=True)
    subprocess.run(['sox', '-n', '-r', '48000', '-b', '16', '-c', '1', silence, 'trim', '0', str(a.seconds)],
                   check=True)
    rng = random.Random(1)
    text = os.path.join(tmp, 'dense.txt')
    with open(text, 'wb') as f:
        f.write(bytes(rng.randrange(32, 127) for _ in range(a.dense_bytes)))
    payload = open(text, 'rb').read()
    dense_ss = os.path.join(tmp, 'dense-soundstack.wav')
    dense_mm = os.path.join(tmp, 'dense-minimodem.wav')
    subprocess.run([ss, 'encode', '-q', '--mode', 'bell202', '--input', text, '-o', dense_ss], check=True)
    with open(text, 'rb') as f:
        subprocess.run(['minimodem', '--tx', '1200', '-R', '48000', '-f', dense_mm], stdin=f, check=True)

    recordings = [('noise', noise, noise), ('silence', silence, silence), ('dense', dense_ss, dense_mm)]
    failures, rows = [], []
    for name, ours, theirs in recordings:
        length = seconds(ours)
        results = {}
        for label, cmd, path in (
                ('no --mode', [ss, 'decode', '-q', ours], ours),
                ('--mode bell202', [ss, 'decode', '-q', '--mode', 'bell202', ours], ours),
                ('--protocol auto', [ss, 'decode', '-q', '--protocol', 'auto', ours], ours),
                ('minimodem --rx 1200', ['minimodem', '--rx', '1200', '-q', '-f', theirs], theirs)):
            cpu, rss, out = run(cmd, a.reps)
            audio = seconds(path)
            results[label] = (cpu, rss, audio)
            exact = None
            if name == 'dense' and label in ('no --mode', '--mode bell202'):
                exact = out == payload
                if not exact:
                    failures.append(f'{name}, {label}: the payload did not come back exactly')
            if label != 'minimodem --rx 1200' and rss / 1024 > max_rss_mb:
                failures.append(f'{name}, {label}: peak RSS {rss / 1024:.0f} MB > {max_rss_mb:.0f} MB')
            rows.append((name, label, audio, cpu, rss, exact))
        mm_x = results['minimodem --rx 1200'][2] / max(results['minimodem --rx 1200'][0], 1e-9)
        all_x = results['no --mode'][2] / max(results['no --mode'][0], 1e-9)
        one_x = results['--mode bell202'][2] / max(results['--mode bell202'][0], 1e-9)
        if all_x < min_ratio * mm_x:
            failures.append(f'{name}: no --mode at {all_x:,.0f}x real time is {all_x / mm_x:.2f}x minimodem '
                            f'({mm_x:,.0f}x), below {min_ratio:g}x')
        if one_x < mm_x:
            failures.append(f'{name}: --mode bell202 at {one_x:,.0f}x real time is slower than minimodem ({mm_x:,.0f}x)')

    lines = ['| recording | decoder | audio | CPU | CPU per hour of audio | x real time | vs minimodem | peak RSS | exact |',
             '|---|---|---|---|---|---|---|---|---|']
    mm = {r[0]: r[2] / max(r[3], 1e-9) for r in rows if r[1] == 'minimodem --rx 1200'}
    for name, label, audio, cpu, rss, exact in rows:
        x = audio / max(cpu, 1e-9)
        vs = '' if label.startswith('minimodem') else f'{x / mm[name]:.1f}x'
        ex = '' if exact is None else ('yes' if exact else 'NO')
        lines.append(f'| {name} | {label} | {audio:.0f} s | {cpu:.2f} s | {cpu * 3600 / audio:.2f} s | {x:,.0f}x | '
                     f'{vs} | {rss / 1024:.0f} MB | {ex} |')

    if a.corpus and os.path.isdir(a.corpus):
        files = sorted(f for f in glob.glob(os.path.join(a.corpus, '**', '*.wav'), recursive=True))
        total_audio = total_cpu = 0.0
        found = 0
        for f in files:
            audio = seconds(f)
            if audio <= 0:
                continue
            cpu, _, out = run([ss, 'decode', '--protocol', 'auto', f], 1)
            total_audio += audio
            total_cpu += cpu
            found += 1
        if found:
            lines.append(f'\n`--protocol auto` over {found} corpus recordings ({total_audio:.0f} s of audio): '
                         f'{total_cpu:.2f} s CPU, {total_cpu * 3600 / total_audio:.1f} s per hour of audio, '
                         f'{total_audio / max(total_cpu, 1e-9):,.0f}x real time')

    report = '\n'.join(lines)
    print(report)
    if a.out:
        with open(a.out, 'w') as f:
            f.write(report + '\n')
    for failure in failures:
        print(f'bench-listen: FAILED: {failure}', file=sys.stderr)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
