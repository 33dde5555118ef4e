// swift-tools-version:6.0
import PackageDescription

// The folder listing of Sources/ reads as the OSI stack: L1Physical … L7Application,
// with the audio I/O (CSndFile, AudioIO), the shared checksums, the vector kernels and the channel
// simulator beside it, `SoundStack` composing the layers and `soundstack` the CLI.

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
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
    ],
    targets: [
        // Audio files through libsndfile.
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile",
                       providers: [.apt(["libsndfile1-dev"])]),
        .target(name: "AudioIO", dependencies: ["CSndFile"]),
        // Deflate for the presentation layer, through Debian's zlib.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // CRC and Internet checksums shared by the layers that check their bytes.
        .target(name: "Checksums"),
        // AVX2/AVX-512 versions of the AX.25 receiver's hottest loops, chosen at run time.
        .target(name: "CVectorKernels"),
        // The seven layers.
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
        // Pictures of signals and curves (SVG and PNG).
        .target(name: "Plots", dependencies: ["CZlib", "Checksums"]),
        // Impairments of a real audio path, calibrated and seeded.
        .target(name: "ChannelSimulator"),
        // The stack: wires the layers, records the trace.
        .target(name: "SoundStack", dependencies: [
            "AudioIO", "ChannelSimulator", "L1Physical", "L2DataLink",
            "L3Network", "L4Transport", "L5Session", "L6Presentation", "L7Application", "Plots",
        ]),
        // `soundstack bridge`: an HTTP proxy whose requests and responses cross the acoustic link.
        .target(name: "Bridge", dependencies: [
            "SoundStack", "L7Application",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        .executableTarget(name: "soundstack", dependencies: [
            "SoundStack", "Bridge",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "AudioIOTests", dependencies: ["AudioIO"]),
        .testTarget(name: "ChecksumsTests", dependencies: ["Checksums"]),
        .testTarget(name: "ChannelSimulatorTests", dependencies: ["ChannelSimulator"]),
        .testTarget(name: "L1PhysicalTests", dependencies: ["L1Physical"]),
        .testTarget(name: "L2DataLinkTests", dependencies: ["L2DataLink"]),
        .testTarget(name: "L3NetworkTests", dependencies: ["L3Network"]),
        .testTarget(name: "L4TransportTests", dependencies: ["L4Transport"]),
        .testTarget(name: "L5SessionTests", dependencies: ["L5Session"]),
        .testTarget(name: "L6PresentationTests", dependencies: ["L6Presentation"]),
        .testTarget(name: "L7ApplicationTests", dependencies: ["L7Application"]),
        .testTarget(name: "PlotsTests", dependencies: ["Plots"]),
        .testTarget(name: "SoundStackTests", dependencies: ["SoundStack", "soundstack"]),
        .testTarget(name: "BridgeTests", dependencies: [
            "Bridge", "soundstack",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
    ]
)
