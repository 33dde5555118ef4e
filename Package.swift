// swift-tools-version:6.0
import PackageDescription

// The folder listing of Sources/ reads as the OSI stack: L1Physical … L7Application, each
// importing only Checksums; beside them the audio I/O (CSndFile, AudioIO), the channel simulator,
// the plots and the shared SignalBasics (one PRNG, one FFT); above them the products that compose
// the layers: SoundStack (the stack and the library's front door), Framings (AX.25, UART, SAME,
// caller ID), ARQLink, Measurements, Bridge and the `soundstack` CLI.

let package = Package(
    name: "SoundStack",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "soundstack", targets: ["soundstack"]),
        .library(name: "SoundStack", targets: ["SoundStack"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
        // DocC: `swift package generate-documentation` (scripts/docs.sh); no target depends on it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // ── Shared foundations ─────────────────────────────────────────────────────────
        // Audio files through libsndfile.
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile",
                       providers: [.apt(["libsndfile1-dev"])]),
        // Deflate for the presentation layer and PNG, through Debian's zlib.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Sound cards through the PulseAudio client library (also served by PipeWire), loaded on
        // first use (dlopen): its headers from libpulse-dev at build time, libpulse0 at run time
        // only where a sound card is used.
        .target(name: "CPulse", linkerSettings: [.linkedLibrary("dl")]),
        // CRC and Internet checksums shared by the layers that check their bytes.
        .target(name: "Checksums"),
        // The one seeded PRNG and the one FFT, for everything above the layers.
        .target(name: "SignalBasics"),
        // AVX2/AVX-512 versions of the AFSK receiver's hottest loops, chosen at run time.
        .target(name: "CVectorKernels"),

        // ── The seven layers: each knows its own PDU and imports only Checksums ───────
        .target(name: "L1Physical", dependencies: ["Checksums", "CVectorKernels"]),
        .target(name: "L2DataLink", dependencies: ["Checksums"]),
        .target(name: "L3Network", dependencies: ["Checksums"]),
        .target(name: "L4Transport", dependencies: ["Checksums"]),
        .target(name: "L5Session", dependencies: ["Checksums"]),
        .target(name: "L6Presentation", dependencies: [
            "CZlib", "Checksums",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        .target(name: "L7Application"),

        // ── Beside the layers ──────────────────────────────────────────────────────────
        .target(name: "AudioIO", dependencies: ["CSndFile", "SignalBasics"]),
        // Sound cards: play, record and list devices through an audio server; kept apart so the
        // library needs no audio server.
        .target(name: "AudioDevices", dependencies: ["AudioIO", "CPulse", "SignalBasics"]),
        // Impairments of a real audio path, calibrated and seeded.
        .target(name: "ChannelSimulator", dependencies: ["SignalBasics"]),
        // Pictures of signals and curves (SVG and PNG); no modem theory.
        .target(name: "Plots", dependencies: ["CZlib", "Checksums", "SignalBasics"]),

        // ── Products that compose the layers ───────────────────────────────────────────
        // The stack: wires L1…L7, records the trace; the library's front door.
        .target(name: "SoundStack", dependencies: [
            "AudioIO", "Checksums", "L1Physical", "L2DataLink",
            "L3Network", "L4Transport", "L5Session", "L6Presentation", "L7Application",
        ]),
        // Real-world framings over AFSK: AX.25/HDLC, UART/Baudot (RTTY, KCS), SAME, caller ID.
        .target(name: "Framings", dependencies: ["Checksums", "CVectorKernels", "L1Physical"]),
        // The ARQ link: a whole message across a (simulated) acoustic medium and back.
        .target(name: "ARQLink", dependencies: [
            "AudioIO", "ChannelSimulator", "SoundStack", "L1Physical", "L2DataLink",
            "L3Network", "L4Transport", "L7Application", "Measurements",
        ]),
        // Measurements: BER/FER sweeps, theory curves, the FCS experiment, symbol flips.
        .target(name: "Measurements", dependencies: [
            "ChannelSimulator", "Checksums", "L1Physical", "L2DataLink", "Plots", "SignalBasics",
            "SoundStack",
        ]),
        // `soundstack bridge`: an HTTP proxy whose requests and responses cross the acoustic link.
        .target(name: "Bridge", dependencies: [
            "ARQLink", "L7Application",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        // posix_openpt and friends, which Swift's Glibc module leaves out.
        .target(name: "CPseudoTerminal"),
        // `soundstack tnc`: a KISS TNC (TCP and pty) with our AX.25 receiver and transmitter on audio.
        .target(name: "TNC", dependencies: [
            "AudioIO", "CPseudoTerminal", "Framings", "L1Physical", "SignalBasics",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // `soundstack lab`: the teaching page and its JSON API (assets embedded), on swift-nio.
        .target(name: "Lab", dependencies: [
            "AudioIO", "ChannelSimulator", "L1Physical", "L2DataLink", "L3Network", "L7Application", "Plots",
            "SoundStack",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .executableTarget(name: "soundstack", dependencies: [
            "ARQLink", "AudioDevices", "AudioIO", "Bridge", "ChannelSimulator", "Framings", "L1Physical", "L2DataLink",
            "L3Network", "L4Transport", "L6Presentation", "L7Application", "Lab", "Measurements", "Plots",
            "SoundStack", "TNC",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: [
            // With --static-swift-stdlib the driver exports every symbol of the program's own
            // modules (about 40,000): each start then pays for them in the loader, and the Swift
            // runtime's dladdr of its own address scans them all. Nothing looks them up.
            .unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux]))
        ]),

        // Helpers the test targets share: temporary folders, the built `soundstack` and
        // tshark as subprocesses with a time limit, WAV and signal builders.
        .target(name: "TestSupport", dependencies: ["SignalBasics"], path: "Tests/TestSupport"),

        .testTarget(name: "AudioIOTests", dependencies: ["AudioIO", "SignalBasics", "TestSupport"]),
        .testTarget(name: "AudioDevicesTests", dependencies: ["AudioDevices", "SignalBasics", "TestSupport"]),
        .testTarget(name: "ChecksumsTests", dependencies: ["Checksums"]),
        .testTarget(name: "ChannelSimulatorTests", dependencies: ["ChannelSimulator", "SignalBasics", "TestSupport"]),
        .testTarget(name: "L1PhysicalTests", dependencies: ["L1Physical", "SignalBasics", "TestSupport"]),
        .testTarget(name: "L2DataLinkTests", dependencies: ["L2DataLink", "SignalBasics", "TestSupport"]),
        .testTarget(name: "L3NetworkTests", dependencies: ["L3Network", "SignalBasics", "TestSupport"]),
        .testTarget(name: "L4TransportTests", dependencies: ["L4Transport", "SignalBasics", "TestSupport"]),
        .testTarget(name: "L5SessionTests", dependencies: ["L5Session", "SignalBasics"]),
        .testTarget(name: "L6PresentationTests", dependencies: ["L6Presentation", "SignalBasics"]),
        .testTarget(name: "L7ApplicationTests", dependencies: ["L7Application", "SignalBasics", "TestSupport"]),
        .testTarget(name: "PlotsTests", dependencies: ["Plots", "SignalBasics", "TestSupport"]),
        .testTarget(name: "SignalBasicsTests", dependencies: ["SignalBasics"]),
        .testTarget(name: "FramingsTests", dependencies: [
            "AudioIO", "CVectorKernels", "Checksums", "Framings", "L1Physical", "L2DataLink", "SignalBasics",
        ]),
        .testTarget(name: "MeasurementsTests", dependencies: [
            "L1Physical", "L2DataLink", "Measurements", "Plots", "SoundStack", "TestSupport", "soundstack",
        ]),
        .testTarget(name: "ARQLinkTests", dependencies: [
            "ARQLink", "AudioIO", "ChannelSimulator", "L1Physical", "L2DataLink", "L3Network",
            "L4Transport", "L7Application", "SoundStack", "TestSupport",
        ]),
        .testTarget(name: "SoundStackTests", dependencies: [
            "ARQLink", "AudioIO", "ChannelSimulator", "Framings", "L1Physical", "L2DataLink",
            "L3Network", "L4Transport", "L5Session", "L6Presentation", "L7Application", "Measurements",
            "Plots", "SignalBasics", "SoundStack", "TestSupport", "soundstack",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "BridgeTests", dependencies: [
            "ARQLink", "Bridge", "L7Application", "SignalBasics", "TestSupport", "soundstack",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .testTarget(name: "LabTests", dependencies: [
            "Lab", "TestSupport", "soundstack",
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "TNCTests", dependencies: [
            "AudioIO", "Framings", "L1Physical", "SignalBasics", "TNC", "TestSupport", "soundstack",
        ]),
    ]
)
