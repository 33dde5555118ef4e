#!/usr/bin/env bash
# Installs what SoundStack's build, tests and scripts need on Debian. Skips what is installed;
# runs apt-get update once, only when something is missing.
#   build:       libsndfile (audio I/O), zlib (deflate, PNG), libpulse (sound cards), pkg-config (finds them)
#   live audio:  pulseaudio and its utilities (scripts/audio-server.sh starts a headless server)
#   peer tests:  minimodem, direwolf (atest, gen_packets, kissutil), multimon-ng, sox (with every format),
#                tshark (with Lua; text2pcap from wireshark-common), curl, vorbis-tools, opus-tools
#   channel.py:  python3 with numpy (ChannelPyComparisonTests against ../shared/bench/channel.py)
#   scripts:     bc, GNU time (/usr/bin/time -v for the peak-RSS benchmarks)
#   the lab:     chromium and chromium-driver (LabBrowserTests drive the page headless)
set -euo pipefail
packages=(
    libsndfile1-dev zlib1g-dev libpulse-dev pkg-config
    pulseaudio pulseaudio-utils
    minimodem direwolf multimon-ng sox libsox-fmt-all tshark wireshark-common curl vorbis-tools opus-tools
    python3 python3-numpy
    chromium chromium-driver
    bc time
)
need=()
for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ${#need[@]} -gt 0 ]; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# The python3 on PATH may not be Debian's (pyenv, a venv): it needs numpy too.
if ! python3 -c "import numpy" 2>/dev/null; then
    python3 -m pip install --quiet --user numpy \
        || echo "setup: python3 on PATH ($(command -v python3)) has no numpy; install it for it" >&2
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (install Swift 6 first)" >&2; exit 1; }
