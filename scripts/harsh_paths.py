#!/usr/bin/env python3
"""The harsh-path set: bell202, bell103 and voice through the audio paths real recordings take,
SoundStack beside minimodem, same payloads, same run, exact bytes required.

Each path turns a clean 48 kHz recording into what a user would hand the decoder:
  speed +2 % / -3 % / +3 %  a tape, turntable or cheap recorder at the wrong speed (sox speed:
                            pitch and tempo together, which is what a clock error does)
  wow+flutter               -2 % speed, 0.5 % wow at 0.55 Hz and 0.2 % flutter at 7 Hz (numpy,
                            a read position that wanders; linear interpolation)
  room / hall reverb        an exponentially decaying noise tail behind the direct sound (numpy):
                            RT60 0.3 s at +6 dB direct-to-reverberant, and RT60 1 s at +6 dB, the
                            tail starting 5 ms after the direct path; message i is heard in room
                            seed 7 + i (how well a frame survives depends on the room's first
                            reflections, so each message gets another), the same for both tools
  mp3 16k / 32k             sox's LAME encoder at 16 and 32 kbit/s, back to WAV
  gsm                       GSM 06.10 full rate (sox -t gsm) at 8 kHz
  amr-nb 12.2               AMR-NB at 12.2 kbit/s (sox -t amr-nb -C 7) at 8 kHz
  opus 12k / 6k             opusenc --bitrate 12 / 6 (SILK), opusdec back at 8 kHz
  phone mu-law + noise      300-3400 Hz, white noise 25 dB below the signal, 8 kHz mu-law
  ssb 300-2700              an SSB radio's passband (sox sinc 300-2700)
  compander                 a fast compressor with make-up gain (sox compand)

For every mode and path, --messages different payloads of --bytes printable bytes (fixed seed)
are sent one to a recording. SoundStack sends each as one raw physical frame (`encode --raw
--mode M`, the mode's FEC: rs for voice, none for the others) and must give back exactly the
payload (`decode --mode M`); minimodem sends the bytes 8-N-1 (`--tx 1200|300`) and counts when
its output contains the payload unbroken (stray characters before or after are forgiven, which
favours it). voice has no minimodem counterpart.

Then the codec-safe modes' throughput: --voice-frames 64-byte frames of random bytes back to back
(the encoder's 50 ms gaps) in voice through GSM 06.10 and AMR-NB 12.2, and --slow-frames in
voice-slow through Opus at 6 and 12 kbit/s; each frame must come back exactly, and the payload
bit rate is the payload over the whole recording.

Writes Markdown tables and exits 1 when, in this run:
  - minimodem decodes every message of a path in bell202 or bell103 and SoundStack does not
    (in that mode), or
  - a path is decoded exactly (every message) by no SoundStack mode, for the paths listed in
    --must-pass (default: all but the hall, which no mode survives yet).
"""
import argparse, os, random, re, shutil, subprocess, sys, tempfile

import numpy as np

RATE = 48000


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=isinstance(cmd, str), check=True, capture_output=True, **kw)


def read_wav(path):
    out = sh(["sox", path, "-t", "raw", "-r", str(RATE), "-e", "float", "-b", "32", "-c", "1", "-"]).stdout
    return np.frombuffer(out, dtype=np.float32).astype(np.float64)


def write_wav(path, x):
    peak = max(1e-9, float(np.max(np.abs(x))))
    if peak > 0.99:
        x = x * (0.99 / peak)
    raw = path + ".f32"
    x.astype(np.float32).tofile(raw)
    sh(["sox", "-t", "raw", "-r", str(RATE), "-e", "float", "-b", "32", "-c", "1", raw, "-b", "16", path])
    os.remove(raw)


def wander(src, dst, offset, wow, wow_hz, flutter, flutter_hz):
    x = read_wav(src)
    n = np.arange(int(len(x) / (1 + offset)) - 2, dtype=np.float64)
    t = n / RATE
    # Read position: the integral of a rate (1 + offset)(1 + wow sin + flutter sin).
    pos = (1 + offset) * (n + RATE * (wow / (2 * np.pi * wow_hz) * (1 - np.cos(2 * np.pi * wow_hz * t))
                                     + flutter / (2 * np.pi * flutter_hz) * (1 - np.cos(2 * np.pi * flutter_hz * t))))
    pos = np.clip(pos, 0, len(x) - 1)
    write_wav(dst, np.interp(pos, np.arange(len(x)), x))


def reverb(src, dst, rt60, drr_db, seed=None):
    if seed is None:
        # The message's index, from the recording's name (ss-MODE-i.wav or mm-MODE-i.wav).
        found = re.search(r"-(\d+)\.wav", os.path.basename(src))
        seed = 7 + (int(found.group(1)) if found else 0)
    x = read_wav(src)
    rng = np.random.default_rng(seed)
    length = int(1.5 * rt60 * RATE)
    start = int(0.005 * RATE)
    t = np.arange(length - start) / RATE
    tail = rng.standard_normal(length - start) * np.exp(-6.91 * t / rt60)
    tail *= np.sqrt(10 ** (-drr_db / 10) / np.sum(tail ** 2))
    ir = np.zeros(length)
    ir[0] = 1
    ir[start:] = tail
    y = np.convolve(np.concatenate([x, np.zeros(length)]), ir)[: len(x) + length]
    write_wav(dst, 0.7 * y / np.max(np.abs(y)))


def phone(src, dst, tmp, seed=11):
    band = os.path.join(tmp, "band.wav")
    sh(["sox", src, "-r", "8000", band, "sinc", "300-3400"])
    sh(["sox", band, "-t", "raw", "-e", "float", "-b", "32", os.path.join(tmp, "band.f32")])
    x = np.fromfile(os.path.join(tmp, "band.f32"), dtype=np.float32).astype(np.float64)
    active = x[np.abs(x) > 0.01]
    power = float(np.mean(active ** 2)) if len(active) else 1e-6
    rng = np.random.default_rng(seed)
    y = x + rng.standard_normal(len(x)) * np.sqrt(power / 10 ** 2.5)
    y.astype(np.float32).tofile(os.path.join(tmp, "noisy.f32"))
    sh(["sox", "-t", "raw", "-r", "8000", "-e", "float", "-b", "32", "-c", "1", os.path.join(tmp, "noisy.f32"),
        "-e", "mu-law", "-b", "8", os.path.join(tmp, "phone.wav")])
    sh(["sox", os.path.join(tmp, "phone.wav"), "-e", "signed", "-b", "16", dst])


def codec(src, dst, tmp, kind, arg):
    mid = os.path.join(tmp, "coded." + {"mp3": "mp3", "gsm": "gsm", "amr": "amr", "opus": "opus"}[kind])
    if kind == "mp3":
        sh(["sox", src, "-C", str(arg), mid])
    elif kind == "gsm":
        sh(["sox", src, "-r", "8000", "-t", "gsm", mid])
    elif kind == "amr":
        sh(["sox", src, "-r", "8000", "-C", str(arg), "-t", "amr-nb", mid])
    elif kind == "opus":
        sh(["opusenc", "--quiet", "--bitrate", str(arg), src, mid])
        sh(["opusdec", "--quiet", "--rate", "8000", mid, dst])
        return
    sh(["sox", mid, "-e", "signed", "-b", "16", dst])


PATHS = [
    ("clean", lambda s, d, t: shutil.copy(s, d)),
    ("speed +2 %", lambda s, d, t: sh(["sox", s, d, "speed", "1.02"])),
    ("speed -3 %", lambda s, d, t: sh(["sox", s, d, "speed", "0.97"])),
    ("speed +3 %", lambda s, d, t: sh(["sox", s, d, "speed", "1.03"])),
    ("wow+flutter", lambda s, d, t: wander(s, d, -0.02, 0.005, 0.55, 0.002, 7.0)),
    ("room reverb 0.3 s", lambda s, d, t: reverb(s, d, 0.3, 6)),
    ("hall reverb 1 s", lambda s, d, t: reverb(s, d, 1.0, 6)),
    ("mp3 16k", lambda s, d, t: codec(s, d, t, "mp3", 16)),
    ("mp3 32k", lambda s, d, t: codec(s, d, t, "mp3", 32)),
    ("gsm 06.10", lambda s, d, t: codec(s, d, t, "gsm", None)),
    ("amr-nb 12.2", lambda s, d, t: codec(s, d, t, "amr", 7)),
    ("opus 12k", lambda s, d, t: codec(s, d, t, "opus", 12)),
    ("opus 6k", lambda s, d, t: codec(s, d, t, "opus", 6)),
    ("phone mu-law + noise", lambda s, d, t: phone(s, d, t)),
    ("ssb 300-2700", lambda s, d, t: sh(["sox", s, d, "sinc", "300-2700"])),
    ("compander", lambda s, d, t: sh(["sox", s, d, "compand", "0.005,0.1", "-70,-70,-50,-20,0,-6", "4"])),
]

MODES = [("bell202", "1200"), ("bell103", "300"), ("voice", None), ("voice-slow", None)]


def throughput(ss, mode, kind, arg, frames):
    """Frames delivered exactly of `frames` 64-byte frames in `mode` through a codec, and the
    payload bit rate of the clean recording."""
    import json
    tmp = tempfile.mkdtemp(prefix="harsh-voice-")
    try:
        payload = random.Random(64).randbytes(64 * frames)
        pfile = os.path.join(tmp, "payload.bin")
        open(pfile, "wb").write(payload)
        clean, coded = os.path.join(tmp, "clean.wav"), os.path.join(tmp, "coded.wav")
        sh([ss, "encode", "--raw", "--frame-size", "64", "--mode", mode, "-q", "-i", pfile, "-o", clean])
        codec(clean, coded, tmp, kind, arg)
        seconds = float(sh(["soxi", "-D", clean]).stdout)
        run = subprocess.run([ss, "decode", "--mode", mode, "--json", coded], capture_output=True, timeout=600)
        sent = {payload[64 * k:64 * (k + 1)].hex() for k in range(frames)}
        for line in run.stdout.decode().splitlines():
            j = json.loads(line)
            if j.get("status") == "ok":
                sent.discard(j.get("hex"))
        return frames - len(sent), 8 * len(payload) / seconds
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--soundstack", required=True)
    ap.add_argument("--messages", type=int, default=4)
    ap.add_argument("--bytes", type=int, default=64)
    ap.add_argument("--out", default=None, help="also write the table here")
    ap.add_argument("--must-pass", default=None,
                    help="comma-separated path names every one of which some SoundStack mode must decode "
                         "(default: all)")
    ap.add_argument("--voice-frames", type=int, default=1000)
    ap.add_argument("--slow-frames", type=int, default=100)
    args = ap.parse_args()
    rng = random.Random(2026)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,:-"
    payloads = ["".join(rng.choice(alphabet) for _ in range(args.bytes)).encode() for _ in range(args.messages)]
    tmp = tempfile.mkdtemp(prefix="harsh-")
    ss = args.soundstack
    # (mode, tool, path) -> exact messages
    score = {}
    try:
        for mode, mm in MODES:
            for i, payload in enumerate(payloads):
                pfile = os.path.join(tmp, "payload.bin")
                open(pfile, "wb").write(payload)
                ours = os.path.join(tmp, f"ss-{mode}-{i}.wav")
                sh([ss, "encode", "--raw", "--mode", mode, "--rate", str(RATE), "-q", "-i", pfile, "-o", ours])
                clean = {"soundstack": ours}
                if mm:
                    theirs = os.path.join(tmp, f"mm-{mode}-{i}.wav")
                    # 0.3 s of silence on each side, as our encoder's lead and tail.
                    sh(f"minimodem --tx {mm} -R {RATE} -f {theirs}.raw.wav < {pfile}")
                    sh(["sox", theirs + ".raw.wav", theirs, "pad", "0.3", "0.3"])
                    clean["minimodem"] = theirs
                for tool, src in clean.items():
                    # Room for a reverb tail.
                    padded = src + ".pad.wav"
                    sh(["sox", src, padded, "pad", "0", "0.5"])
                    for name, apply in PATHS:
                        dst = os.path.join(tmp, "path.wav")
                        apply(padded, dst, tmp)
                        if tool == "soundstack":
                            run = subprocess.run([ss, "decode", "--mode", mode, "-q", dst, "-o", "-"],
                                                 capture_output=True, timeout=120)
                            ok = run.stdout == payload
                        else:
                            run = subprocess.run(["minimodem", "--rx", mm, "-q", "-f", dst],
                                                 capture_output=True, timeout=120)
                            ok = payload in run.stdout
                        key = (mode, tool, name)
                        score[key] = score.get(key, 0) + (1 if ok else 0)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    n = args.messages
    cols = []
    for mode, mm in MODES:
        cols.append((mode, "soundstack"))
        if mm:
            cols.append((mode, "minimodem"))
    lines = [f"Exact messages of {n} ({args.bytes} bytes each) per path; same payloads for both tools.", "",
             "| path | " + " | ".join(f"{m} {'ours' if t == 'soundstack' else 'minimodem'}" for m, t in cols) + " |",
             "|---|" + "---:|" * len(cols)]
    failures = []
    must = None if args.must_pass is None else set(p.strip() for p in args.must_pass.split(",") if p.strip())
    totals = {c: 0 for c in cols}
    for name, _ in PATHS:
        cells = []
        for c in cols:
            v = score.get((c[0], c[1], name), 0)
            totals[c] += v == n
            cells.append(f"{v}/{n}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
        for mode, mm in MODES:
            if mm and score.get((mode, "minimodem", name), 0) == n and score.get((mode, "soundstack", name), 0) < n:
                failures.append(f"{name}: minimodem decodes every {mode} message and SoundStack does not")
        best = max(score.get((mode, "soundstack", name), 0) for mode, _ in MODES)
        required = must is None or name in must
        if required and best < n:
            failures.append(f"{name}: no SoundStack mode decodes every message")
    lines.append("| paths fully decoded | " + " | ".join(f"{totals[c]} of {len(PATHS)}" for c in cols) + " |")
    lines += ["", "Codec-safe modes: 64-byte frames of random bytes, each required exactly.", "",
              "| mode | codec | frames delivered | payload bit/s |", "|---|---|---:|---:|"]
    for mode, kind, arg, label, frames in [("voice", "gsm", None, "GSM 06.10", args.voice_frames),
                                           ("voice", "amr", 7, "AMR-NB 12.2", args.voice_frames),
                                           ("voice-slow", "opus", 6, "Opus 6 kbit/s", args.slow_frames),
                                           ("voice-slow", "opus", 12, "Opus 12 kbit/s", args.slow_frames)]:
        if frames <= 0:
            continue
        exact, bps = throughput(ss, mode, kind, arg, frames)
        lines.append(f"| {mode} | {label} | {exact} of {frames} ({100 * exact / frames:.1f} %) | {bps:.0f} |")
        if exact < 0.99 * frames:
            failures.append(f"{mode} through {label}: {exact} of {frames} frames, under 99 %")
        if mode == "voice" and bps < 300:
            failures.append(f"voice through {label}: {bps:.0f} bit/s of payload, under 300")
    table = "\n".join(lines)
    print(table)
    if args.out:
        open(args.out, "w").write(table + "\n")
    for f in failures:
        print("harsh-paths: FAIL " + f, file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
