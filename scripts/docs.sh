#!/usr/bin/env bash
# Builds the DocC documentation of every library target into .build/docs/<Target>/ with the
# swift-docc-plugin (a dependency in Package.swift), one `generate-documentation` per target,
# each under `timeout 900`.
#
# Every target is built with --warnings-as-errors, so a link to a symbol or article that does
# not resolve, or a parameter list that leaves a parameter out, fails the script. For the
# SoundStack catalogue (the library's front door and the layer articles) the log is also
# searched for unresolved links. DOCS_LENIENT lists targets to build without the flag.
#
#   scripts/docs.sh                        # every library target
#   DOCS_TARGETS="SoundStack L3Network" scripts/docs.sh
#   DOCS_LENIENT="Plots" scripts/docs.sh   # Plots' warnings do not fail the run
#
# Logs go to .build/docs/<Target>.log. A first run builds every dependency (minutes on two cores).
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(SoundStack Checksums SignalBasics L1Physical L2DataLink L3Network L4Transport L5Session
             L6Presentation L7Application AudioIO ChannelSimulator Plots Framings ARQLink Measurements Bridge
             TNC AudioDevices Lab)
read -r -a targets <<< "${DOCS_TARGETS:-${all_targets[*]}}"

mkdir -p .build/docs
failed=()
summary=()
start=$SECONDS
for target in "${targets[@]}"; do
    strict=(--warnings-as-errors)
    [[ " ${DOCS_LENIENT:-} " == *" $target "* && "$target" != SoundStack ]] && strict=()
    log=".build/docs/$target.log"
    t0=$SECONDS
    echo "── docs: $target ${strict[*]}"
    if timeout 900 swift package --allow-writing-to-directory .build/docs \
        generate-documentation --target "$target" --output-path ".build/docs/$target" \
        "${strict[@]}" > "$log" 2>&1; then
        status=ok
    else
        status="failed (exit $?)"
        failed+=("$target")
    fi
    # DocC's own diagnostics (SwiftPM's warnings about dependencies' unhandled files are not ours).
    warnings=$(grep "warning:" "$log" | grep -vc "unhandled; explicitly declare" || true)
    # Unresolved links in the SoundStack catalogue fail the run even if DocC let them through.
    if [[ "$target" == SoundStack ]] && grep -E "(warning|error):.*(doesn't exist|cannot be found|can't be resolved|not found)" "$log"; then
        status="failed (unresolved links)"
        [[ " ${failed[*]} " == *" $target "* ]] || failed+=("$target")
    fi
    summary+=("$(printf '%-18s %-28s %3s warnings  %4ss' "$target" "$status" "$warnings" "$((SECONDS - t0))")")
    if [[ "$status" != ok ]]; then grep -E "error:|warning:" "$log" | head -40 || tail -40 "$log"; fi
done

echo "── docs summary ($((SECONDS - start)) s) ─────────────────────────"
printf '%s\n' "${summary[@]}"
if ((${#failed[@]})); then
    echo "docs: failed for ${failed[*]} (logs in .build/docs/)" >&2
    exit 1
fi
echo "docs: .build/docs/<Target>/ for ${#targets[@]} targets"
