#!/usr/bin/env bash
# Makes sure an audio server answers, for `listen`, `play`, `devices` and the live-audio tests:
# when `pactl info` gets no answer, starts a headless PulseAudio daemon (as root it warns and runs)
# with the native protocol and one null sink, `soundstack` (48 kHz mono), as its default output;
# its monitor, `soundstack.monitor`, hears what is played to it. The tests load their own null
# sinks beside it. Does nothing when a server (PulseAudio, or PipeWire's pulse) already answers.
#   scripts/audio-server.sh && soundstack devices
set -euo pipefail
if pactl info > /dev/null 2>&1; then exit 0; fi
command -v pulseaudio > /dev/null || { echo "audio-server: pulseaudio is not installed (scripts/setup.sh)" >&2; exit 1; }
pulseaudio -D --exit-idle-time=-1 -n --log-level=error \
    --load=module-native-protocol-unix \
    --load="module-null-sink sink_name=soundstack rate=48000 channels=1 format=s16le" \
    2> >(grep -v "not intended to be run as root" >&2 || true)
for _ in $(seq 100); do
    pactl info > /dev/null 2>&1 && exit 0
    sleep 0.1
done
echo "audio-server: PulseAudio started but does not answer (pactl info)" >&2
exit 1
