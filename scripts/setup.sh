#!/usr/bin/env bash
# Installs what SoundStack needs on Debian: libsndfile (audio I/O), and the peer
# tools the interoperability tests and benchmarks run. Skips what is installed.
set -euo pipefail
need=()
for pkg in libsndfile1-dev minimodem direwolf multimon-ng sox libsox-fmt-all tshark curl vorbis-tools; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (install Swift 6 first)" >&2; exit 1; }
