#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# Every target must declare every module it imports.
swift build --build-tests --explicit-target-dependency-import-check error
swift test --skip-build --parallel --num-workers 2 "$@"
