#!/usr/bin/env python3
"""CPU per hour of audio of the default decode path (no --mode: every mode at once), next to
one mode and to minimodem given the right mode, on the recordings users actually have.

Three recordings of --seconds each (an hour by default, so CPU per hour of audio is measured,
start-up included, not scaled up from a shorter file), 48 kHz 16-bit mono, written by sox and
the tools:
  noise    white noise at -34 dBFS RMS
  silence  digital silence
  dense    Bell 202 frames back to back (each tool decodes its own: soundstack --mode bell202
           frames, minimodem --tx 1200 bytes), --dense-bytes of random printable text
           (145 a second by default: about --seconds of our audio)
For each: `soundstack decode` with no --mode, with --mode bell202, with --protocol auto, and
`minimodem --rx 1200`, CPU time (user + sys, the child's own rusage) and peak RSS, over --reps
rounds in which the decoders take turns (so a slow spell of the machine falls on all of them):
times are medians over the rounds, ratios to minimodem medians of the per-round ratios. Our
output is read through a pipe (the dense payload is checked); minimodem's goes to /dev/null,
where it is fastest (to a pipe it writes a character at a time and takes up to 40 % longer),
so the ratios are against minimodem at its best. Then `--protocol auto` over ../shared/corpus
(when it is there), CPU per hour. Each recording's files are deleted once it is measured.

Each decoder also runs on a recording a tenth as long, and the rate with start-up removed is
the long one's extra audio over its extra CPU (as in bench_speed.py).

The run fails (exit 1) when, in this same run:
  - no --mode is slower than MIN_VS_MINIMODEM (default 3) times minimodem on noise or silence,
    or MIN_DENSE_VS_MINIMODEM (default 3) times on the dense file, counted with start-up or
    with it removed (minimodem's too),
  - --mode bell202 is slower than minimodem on any recording,
  - the dense file does not decode exactly with no --mode and with --mode,
  - any soundstack run's peak RSS passes MAX_RSS_MB (default 50).
"""
import argparse, glob, os, random, shutil, statistics, subprocess, sys, tempfile


def run(cmd, capture=True):
    """CPU seconds and peak RSS (KiB) of one run of `cmd`, and its stdout (with `capture`; else
    stdout goes to /dev/null, where minimodem, which writes a character at a time, runs fastest)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    out = proc.stdout.read() if capture else b''
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss, out


def seconds(path):
    """Length in seconds as sox reads it, but no more than the file's bytes can hold (some corpus
    files are streamed WAVs whose header claims 2^32 bytes)."""
    def soxi(flag):
        out = subprocess.run(['soxi', flag, path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            return float(out.stdout.strip())
        except ValueError:
            return 0.0
    length, rate, channels, bits = soxi('-D'), soxi('-r'), soxi('-c'), soxi('-b')
    if rate and channels and bits:
        length = min(length, os.path.getsize(path) / (rate * channels * bits / 8))
    return length


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--soundstack', required=True)
    p.add_argument('--seconds', type=int, default=3600)
    p.add_argument('--dense-bytes', type=int, default=None, help='default: 145 per second of --seconds')
    p.add_argument('--reps', type=int, default=5)
    p.add_argument('--corpus', default='')
    p.add_argument('--out', help='write the markdown report here too')
    a = p.parse_args()
    if a.dense_bytes is None:
        a.dense_bytes = 145 * a.seconds
    tmp = tempfile.mkdtemp(prefix='soundstack-listen-')
    try:
        return measure(a, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def measure(a, tmp):
    min_ratio = float(os.environ.get('MIN_VS_MINIMODEM', '3'))
    min_dense_ratio = float(os.environ.get('MIN_DENSE_VS_MINIMODEM', '3'))
    max_rss_mb = float(os.environ.get('MAX_RSS_MB', '50'))
    ss = a.soundstack

    def make(kind, scale):
        """(our file, minimodem's file, the payload or None) of one recording at `scale` of its length."""
        secs = max(1, int(a.seconds * scale))
        if kind == 'noise':
            path = os.path.join(tmp, f'noise-{scale}.wav')
            # sox's whitenoise is uniform in ±vol: RMS vol/sqrt(3); -34 dBFS RMS = 0.01995.
            subprocess.run(['sox', '-D', '-R', '-n', '-r', '48000', '-b', '16', '-c', '1', path, 'synth', str(secs),
                            'whitenoise', 'vol', f'{0.01995 * 3 ** 0.5:.5f}'], check=True)
            return path, path, None
        if kind == 'silence':
            path = os.path.join(tmp, f'silence-{scale}.wav')
            subprocess.run(['sox', '-D', '-n', '-r', '48000', '-b', '16', '-c', '1', path, 'trim', '0', str(secs)],
                           check=True)
            return path, path, None
        rng = random.Random(1)
        text = os.path.join(tmp, f'dense-{scale}.txt')
        payload = bytes(rng.randrange(32, 127) for _ in range(max(1000, int(a.dense_bytes * scale))))
        with open(text, 'wb') as f:
            f.write(payload)
        ours, theirs = os.path.join(tmp, f'dense-{scale}-ss.wav'), os.path.join(tmp, f'dense-{scale}-mm.wav')
        subprocess.run([ss, 'encode', '-q', '--mode', 'bell202', '--input', text, '-o', ours], check=True)
        with open(text, 'rb') as f:
            subprocess.run(['minimodem', '--tx', '1200', '-R', '48000', '-f', theirs], stdin=f, check=True)
        return ours, theirs, payload

    decoders = [
        ('no --mode', lambda f: [ss, 'decode', '-q', f], False),
        ('--mode bell202', lambda f: [ss, 'decode', '-q', '--mode', 'bell202', f], False),
        ('--protocol auto', lambda f: [ss, 'decode', '-q', '--protocol', 'auto', f], False),
        ('minimodem --rx 1200', lambda f: ['minimodem', '--rx', '1200', '-q', '-f', f], True),
    ]
    failures, rows = [], []
    for name in ('noise', 'silence', 'dense'):
        long_files, short_files = make(name, 1), make(name, 0.1)
        # Per decoder: CPU of each round on the long and the short file, peak RSS, last output.
        cpus = {label: ([], []) for label, _, _ in decoders}
        peaks, outs = {}, {}
        for _ in range(a.reps):
            for label, cmd, theirs in decoders:
                pick = 1 if theirs else 0
                cpu, rss, out = run(cmd(long_files[pick]), capture=not theirs)
                short_cpu, _, _ = run(cmd(short_files[pick]), capture=not theirs)
                cpus[label][0].append(cpu)
                cpus[label][1].append(short_cpu)
                peaks[label] = max(peaks.get(label, 0), rss)
                outs[label] = out

        def rates(label):
            """Per round: x real time, and x real time with start-up removed (the long file's
            extra audio over its extra CPU)."""
            theirs = label.startswith('minimodem')
            audio, short_audio = seconds(long_files[1 if theirs else 0]), seconds(short_files[1 if theirs else 0])
            return [(audio / max(c, 1e-9), (audio - short_audio) / max(c - sc, 1e-9))
                    for c, sc in zip(*cpus[label])]

        mm = rates('minimodem --rx 1200')
        for label, _, theirs in decoders:
            audio = seconds(long_files[1 if theirs else 0])
            mine = rates(label)
            x = statistics.median(r[0] for r in mine)
            marginal = statistics.median(r[1] for r in mine)
            # Ratios to minimodem: medians of the per-round ratios (None for minimodem itself).
            vs = None if theirs else statistics.median(m[0] / t[0] for m, t in zip(mine, mm))
            vs_m = None if theirs else statistics.median(m[1] / t[1] for m, t in zip(mine, mm))
            exact = None
            if name == 'dense' and label in ('no --mode', '--mode bell202'):
                exact = outs[label] == long_files[2]
                if not exact:
                    failures.append(f'{name}, {label}: the payload did not come back exactly')
            if not theirs and peaks[label] / 1024 > max_rss_mb:
                failures.append(f'{name}, {label}: peak RSS {peaks[label] / 1024:.0f} MB > {max_rss_mb:.0f} MB')
            if label == 'no --mode':
                bound = min_dense_ratio if name == 'dense' else min_ratio
                for what, v in (('', vs), (' (start-up removed)', vs_m)):
                    if v < bound:
                        failures.append(f'{name}: no --mode{what} is {v:.2f}x minimodem, below {bound:g}x')
            if label == '--mode bell202' and vs < 1:
                failures.append(f'{name}: --mode bell202 is {vs:.2f}x minimodem, slower than it')
            cpu = statistics.median(cpus[label][0])
            rows.append((name, label, audio, cpu, peaks[label], exact, x, marginal, vs, vs_m))
        for f in set(long_files[:2] + short_files[:2]):
            os.remove(f)

    lines = ['| recording | decoder | audio | CPU | CPU per hour of audio | x real time | vs minimodem | '
             'x real time, start-up removed | vs minimodem | peak RSS | exact |',
             '|---|---|---|---|---|---|---|---|---|---|---|']
    for name, label, audio, cpu, rss, exact, x, marginal, vs, vs_m in rows:
        ex = '' if exact is None else ('yes' if exact else 'NO')
        lines.append(f'| {name} | {label} | {audio:.0f} s | {cpu:.2f} s | {cpu * 3600 / audio:.2f} s | {x:,.0f}x | '
                     f'{"" if vs is None else f"{vs:.1f}x"} | {marginal:,.0f}x | '
                     f'{"" if vs_m is None else f"{vs_m:.1f}x"} | {rss / 1024:.0f} MB | {ex} |')

    if a.corpus and os.path.isdir(a.corpus):
        files = sorted(f for f in glob.glob(os.path.join(a.corpus, '**', '*.wav'), recursive=True))
        total_audio = total_cpu = 0.0
        found = 0
        for f in files:
            audio = seconds(f)
            if audio <= 0:
                continue
            cpu, _, out = run([ss, 'decode', '--protocol', 'auto', f])
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
