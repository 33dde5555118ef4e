#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and runs the whole test suite. With CI=true a test skipped for a
# missing tool fails the run: setup.sh installs every tool a test needs, so a skip there means a
# broken install, not a lighter machine. Only opt-in benchmarks ("opt-in" in their reason) may skip.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The live-audio tests need an audio server: a headless PulseAudio unless one answers.
scripts/audio-server.sh
# Every target must declare every module it imports.
swift build --build-tests --explicit-target-dependency-import-check error
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
swift test --skip-build --parallel --num-workers 2 "$@" 2>&1 | tee "$log" || status=$?
[ "$status" -eq 0 ] || exit "$status"
if [ "${CI:-}" = true ]; then
    skipped=$(grep -E 'Test .* skipped' "$log" | grep -v 'opt-in' || true)
    if [ -n "$skipped" ]; then
        echo "test.sh: tests were skipped on CI, where every tool they need is installed:" >&2
        echo "$skipped" >&2
        exit 1
    fi
fi
