#!/usr/bin/env bash
# Builds the libFuzzer harnesses in Fuzz/ (swiftc -sanitize=fuzzer,address) and runs each for a
# while on its seed corpus. Exits non-zero when any target crashes, hangs or runs out of memory.
#
#   scripts/fuzz.sh                    # every target, 30 s each
#   scripts/fuzz.sh tcp 120            # one target for two minutes
#   scripts/fuzz.sh all 20             # every target, 20 s each (CI)
#   scripts/fuzz.sh --list             # the targets
#   scripts/fuzz.sh --seeds            # regenerate Fuzz/corpus/ from the encoders
#   FUZZ_JOBS=2 scripts/fuzz.sh        # two targets at a time
#
# The library modules are compiled straight from Sources/<Module> with swiftc into
# .build/fuzz/ (instrumented for coverage), each harness is linked against the modules it needs.
# New inputs go to .build/fuzz/work/<target>; Fuzz/corpus/<target> (the committed seeds) is only
# read. A crashing input is saved as .build/fuzz/artifacts/<target>/crash-…; rerun it with
#   .build/fuzz/bin/<target> .build/fuzz/artifacts/<target>/crash-…
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/.build/fuzz"
mkdir -p "$out/modules" "$out/bin" "$out/work" "$out/artifacts" "$out/logs"

# target -> modules it needs (dependencies first) and extra harness sources.
declare -A modules=(
    [ethernet]="Checksums L2DataLink" [l2reassembler]="Checksums L2DataLink"
    [ipv4]="Checksums L3Network" [ipv4reassembler]="Checksums L3Network"
    [icmp]="Checksums L3Network" [arp]="Checksums L3Network"
    [udp]="Checksums L4Transport" [tcp]="Checksums L4Transport" [tcpreassembler]="Checksums L4Transport"
    [http-request]="L7Application" [http-response]="L7Application"
    [phy]="Checksums L1Physical" [demodulator]="Checksums L1Physical" [afsk]="Checksums L1Physical Framings"
    [ax25]="Checksums L1Physical Framings" [same]="Checksums L1Physical Framings"
    [callerid]="Checksums L1Physical Framings" [uart]="Checksums L1Physical Framings" [spdu]="Checksums L5Session"
    [presentation]="L6Presentation"
    [audiofile]="SignalBasics AudioIO" [wavstream]="SignalBasics AudioIO"
    [channelspec]="SignalBasics ChannelSimulator" [bridge]="L7Application"
    [kiss]="Checksums L1Physical Framings"
)
# `bridge` compiles the Bridge module's pure files into the harness (the module needs swift-nio).
declare -A extra=([http-request]="Fuzz/HTTPFuzzing.swift" [http-response]="Fuzz/HTTPFuzzing.swift"
                  [bridge]="Sources/Bridge/OriginPolicy.swift Sources/Bridge/ClientStation.swift Sources/Bridge/ListenAddress.swift")
# Longest input per target (the demodulators read audio: 40 kB is 2.5 s at 8 kHz).
declare -A maxlen=([demodulator]=40000 [afsk]=40000 [http-request]=4096 [http-response]=4096 [ipv4reassembler]=4096
                   [l2reassembler]=4096 [tcpreassembler]=4096 [ax25]=4096 [same]=4096 [uart]=16384
                   [spdu]=8192 [presentation]=8192 [audiofile]=8192 [wavstream]=32768 [channelspec]=512
                   [bridge]=2048 [kiss]=4096)
targets=(ethernet l2reassembler ipv4 ipv4reassembler icmp arp udp tcp tcpreassembler
         http-request http-response phy demodulator afsk ax25 same callerid uart spdu
         presentation audiofile wavstream channelspec bridge kiss)

swiftc_flags=(-O -g -sanitize=fuzzer,address -parse-as-library -use-ld=lld -I "$out/modules" -L "$out/modules")

# L6Presentation imports swift-crypto (Crypto, _CryptoExtras: BoringSSL, hundreds of C files) and
# zlib. swift-crypto is not compiled here: the harness links the objects of SwiftPM's debug build
# (not instrumented, so coverage is L6's own code), which `swift build` leaves in .build/debug.
spm="$root/.build/debug"
crypto_src="$root/.build/checkouts/swift-crypto/Sources"
crypto_targets=(CCryptoBoringSSL CCryptoBoringSSLShims CryptoBoringWrapper Crypto _CryptoExtras SwiftASN1)
l6_flags=(-I "$spm/Modules" -Xcc "-fmodule-map-file=$root/Sources/CZlib/module.modulemap"
          -Xcc "-fmodule-map-file=$crypto_src/CCryptoBoringSSLShims/include/module.modulemap"
          -Xcc -I -Xcc "$crypto_src/CCryptoBoringSSLShims/include"
          -Xcc "-fmodule-map-file=$crypto_src/CCryptoBoringSSL/include/module.modulemap"
          -Xcc -I -Xcc "$crypto_src/CCryptoBoringSSL/include")
declare -A module_flags=([L6Presentation]="l6" [L1Physical]="l1" [Framings]="l1" [AudioIO]="snd")
declare -A link_flags=([presentation]="l6" [phy]="l1" [demodulator]="l1" [afsk]="l1" [ax25]="l1" [same]="l1"
                       [callerid]="l1" [uart]="l1" [kiss]="l1" [audiofile]="snd" [wavstream]="snd")

# AudioIO reads and writes audio files through the system's libsndfile (Sources/CSndFile is its
# module map); libsndfile itself is not instrumented, so coverage counts AudioIO's own code.
snd_flags=(-Xcc "-fmodule-map-file=$root/Sources/CSndFile/module.modulemap")

# L1Physical's vector kernels are C (Sources/CVectorKernels): compiled with clang into a static
# library, with a module map for swiftc.
vector_kernels() {
    local lib="$out/modules/libCVectorKernels.a" src="$root/Sources/CVectorKernels"
    if [ ! -f "$lib" ] || [ -n "$(find "$src" -newer "$lib")" ]; then
        echo "fuzz: compiling CVectorKernels (C)" >&2
        printf 'module CVectorKernels {\n    header "%s/include/CVectorKernels.h"\n    export *\n}\n' "$src" \
            > "$out/modules/CVectorKernels.modulemap"
        clang -O2 -g -fsanitize=fuzzer-no-link,address -I "$src/include" -c "$src/kernels.c" -o "$out/modules/CVectorKernels.o"
        rm -f "$lib"
        ar qcS "$lib" "$out/modules/CVectorKernels.o"
        ranlib "$lib"
    fi
}
l1_flags=(-Xcc "-fmodule-map-file=$out/modules/CVectorKernels.modulemap")

# Packs SwiftPM's swift-crypto objects into one archive (built first if missing).
prebuilt_crypto() {
    local lib="$out/modules/libSwiftCryptoSPM.a" t dirs=()
    if [ ! -f "$spm/Modules/_CryptoExtras.swiftmodule" ]; then
        echo "fuzz: building swift-crypto with SwiftPM (swift build --target L6Presentation)" >&2
        swift build --target L6Presentation >&2
    fi
    for t in "${crypto_targets[@]}"; do dirs+=("$spm/$t.build"); done
    if [ -f "$lib" ] && [ -z "$(find "${dirs[@]}" -name '*.o' -newer "$lib")" ]; then return; fi
    echo "fuzz: archiving swift-crypto objects from $spm" >&2
    rm -f "$lib"
    # q, not r: BoringSSL has objects of the same name in different folders.
    find "${dirs[@]}" -name '*.o' -print0 | xargs -0 ar qcS "$lib"
    ranlib "$lib"
}

# Extra swiftc flags of a module or target ("l6": swift-crypto's modules and the zlib map).
extra_flags() {
    case "${1:-}" in
        l6) prebuilt_crypto; printf '%s\n' "${l6_flags[@]}" ;;
        l1) vector_kernels; printf '%s\n' "${l1_flags[@]}" ;;
        snd) printf '%s\n' "${snd_flags[@]}" ;;
    esac
    return 0
}

# Compiles module $1 unless its library is newer than all its sources.
build_module() {
    local m=$1 lib="$out/modules/lib$1.a"
    local flags=()
    mapfile -t flags < <(extra_flags "${module_flags[$m]:-}")
    if [ -f "$lib" ] && [ -z "$(find "Sources/$m" -name '*.swift' -newer "$lib")" ]; then return; fi
    echo "fuzz: compiling module $m" >&2
    swiftc "${swiftc_flags[@]}" "${flags[@]}" -emit-module -emit-library -static -module-name "$m" \
        -emit-module-path "$out/modules/$m.swiftmodule" -o "$lib" $(find "Sources/$m" -name '*.swift' | sort)
}

build_target() {
    local t=$1 bin="$out/bin/$1" libs=() m
    for m in ${modules[$t]}; do build_module "$m"; libs=("-l$m" "${libs[@]}"); done
    local sources=("Fuzz/$t.swift" Fuzz/Support/*.swift ${extra[$t]:-})
    if [ -f "$bin" ] && [ -z "$(find "${sources[@]}" "$out/modules" -newer "$bin" 2>/dev/null)" ]; then return; fi
    local flags=()
    mapfile -t flags < <(extra_flags "${link_flags[$t]:-}")
    [ "${link_flags[$t]:-}" = l6 ] && libs+=(-lSwiftCryptoSPM -lz)
    [ "${link_flags[$t]:-}" = l1 ] && libs+=(-lCVectorKernels)
    [ "${link_flags[$t]:-}" = snd ] && libs+=(-lsndfile)
    echo "fuzz: linking $t" >&2
    swiftc "${swiftc_flags[@]}" "${flags[@]}" -module-name "Fuzz_${t//-/_}" "${sources[@]}" "${libs[@]}" -o "$bin"
}

make_seeds() {
    for m in Checksums L1Physical Framings L2DataLink L3Network L4Transport L5Session L6Presentation L7Application; do
        build_module "$m"
    done
    echo "fuzz: writing seeds to Fuzz/corpus" >&2
    local flags=()
    mapfile -t flags < <(extra_flags l6; extra_flags l1)
    swiftc -O -sanitize=address -parse-as-library -use-ld=lld -I "$out/modules" -L "$out/modules" "${flags[@]}" \
        -module-name MakeSeeds Fuzz/Seeds/MakeSeeds.swift \
        -lL7Application -lL6Presentation -lL5Session -lL4Transport -lL3Network -lL2DataLink -lFramings -lL1Physical \
        -lCVectorKernels -lChecksums \
        -lSwiftCryptoSPM -lz -lstdc++ -o "$out/bin/make-seeds"
    # The seed writer is no fuzz target: run it without libFuzzer's main taking the arguments.
    ASAN_OPTIONS=detect_leaks=0 "$out/bin/make-seeds" Fuzz/corpus
}

# Runs target $1 for $2 seconds; prints one summary line; returns libFuzzer's status.
run_target() {
    local t=$1 secs=$2 log="$out/logs/$1.log"
    mkdir -p "$out/work/$t" "$out/artifacts/$t" "Fuzz/corpus/$t"
    # Seeded (FUZZ_SEED, default 1) so a CI pass is repeatable.
    local args=(-seed="${FUZZ_SEED:-1}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1536 -malloc_limit_mb=512
                -print_final_stats=1 -artifact_prefix="$out/artifacts/$t/")
    [ -n "${maxlen[$t]:-}" ] && args+=(-max_len="${maxlen[$t]}")
    local status=0
    # Swift's own backtracer is off: libFuzzer and ASan print the stack, and the backtracer's
    # memory reads trip ASan.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$out/bin/$t" "${args[@]}" "$out/work/$t" "Fuzz/corpus/$t" >"$log" 2>&1 || status=$?
    local execs speed cov ft
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    if [ "$status" -eq 0 ]; then
        printf 'fuzz: %-16s ok     %4ss  %10s execs  %7s/s  cov %5s  ft %6s\n' "$t" "$secs" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}"
    else
        printf 'fuzz: %-16s FAILED (status %s) after %s execs; log %s\n' "$t" "$status" "${execs:-?}" "$log"
        grep -E 'fuzz property failed|Fatal error|ERROR: |SUMMARY|Test unit written' "$log" | head -5 | sed 's/^/      /'
    fi
    return "$status"
}

case "${1:-all}" in
    --list) printf '%s\n' "${targets[@]}"; exit 0 ;;
    --seeds) make_seeds; exit 0 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
want=${1:-all}
secs=${2:-${FUZZ_SECONDS:-30}}
if [ "$want" = all ]; then run=("${targets[@]}"); else
    [ -n "${modules[$want]:-}" ] || { echo "fuzz: unknown target '$want' (scripts/fuzz.sh --list)" >&2; exit 64; }
    run=("$want")
fi
for t in "${run[@]}"; do build_target "$t"; done

failed=0
jobs=${FUZZ_JOBS:-1}
if [ "$jobs" -le 1 ]; then
    for t in "${run[@]}"; do run_target "$t" "$secs" || failed=$((failed + 1)); done
else
    running=0
    for t in "${run[@]}"; do
        if [ "$running" -ge "$jobs" ]; then
            wait -n || failed=$((failed + 1))
            running=$((running - 1))
        fi
        run_target "$t" "$secs" &
        running=$((running + 1))
    done
    while [ "$running" -gt 0 ]; do
        wait -n || failed=$((failed + 1))
        running=$((running - 1))
    done
fi
if [ "$failed" -gt 0 ]; then echo "fuzz: $failed target(s) failed" >&2; exit 1; fi
echo "fuzz: ${#run[@]} target(s) ran ${secs}s each without a crash" >&2
