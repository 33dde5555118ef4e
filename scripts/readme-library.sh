#!/usr/bin/env bash
# Compiles and runs the README's "Use as a library" code blocks in a throwaway package that
# depends on this one by path, so the README cannot drift from the API. Checks what they print.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/Sources/ReadmeLibrary"
cat > "$work/Package.swift" <<SWIFT
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "ReadmeLibrary", platforms: [.macOS(.v13)],
    dependencies: [.package(path: "$root")],
    targets: [.executableTarget(name: "ReadmeLibrary",
                                dependencies: [.product(name: "SoundStack", package: "$(basename "$root" | tr "[:upper:]" "[:lower:]")")])])
SWIFT
# Every ```swift block of the section, in order, as one program.
awk '/^## Use as a library/ { on = 1; next } /^## / { on = 0 }
     on && /^```swift/ { code = 1; next } code && /^```/ { code = 0; print ""; next } code { print }' README.md \
    > "$work/Sources/ReadmeLibrary/main.swift"
blocks=$(awk '/^## Use as a library/ { on = 1; next } /^## / { on = 0 } on && /^```swift/ { n++ } END { print n + 0 }' README.md)
[ "$blocks" -ge 2 ] || { echo "readme-library: expected 2 swift blocks in 'Use as a library', found $blocks" >&2; exit 1; }
for b in $(seq 1 "$blocks"); do
    lines=$(awk -v want="$b" '/^## Use as a library/ { on = 1; next } /^## / { on = 0 }
        on && /^```swift/ { n++; code = 1; next } code && /^```/ { code = 0; next } code && n == want && NF { c++ } END { print c + 0 }' README.md)
    [ "$lines" -le 12 ] || { echo "readme-library: block $b has $lines lines (at most ~10 wanted)" >&2; exit 1; }
done
(cd "$work" && timeout 1200 swift build --scratch-path "$root/.build-readme" >&2)
out=$(cd "$work" && timeout 120 "$root/.build-readme/debug/ReadmeLibrary")
echo "$out"
grep -qx 'Hello, layer 1!' <<<"$out" || { echo "readme-library: the message did not come back" >&2; exit 1; }
grep -qx '1 frame: 1 ok' <<<"$out" || { echo "readme-library: the frame summary is wrong" >&2; exit 1; }
grep -q '^POST /api HTTP/1.1' <<<"$out" || { echo "readme-library: the HTTP request did not come back" >&2; exit 1; }
grep -q '{"on":true}' <<<"$out" || { echo "readme-library: the HTTP body did not come back" >&2; exit 1; }
echo "readme-library: $blocks blocks compiled and ran as the README says"
