import ArgumentParser
import AudioIO

/// Options for the real-world framings (AX.25, UART, RTTY, SAME, caller ID, KCS).
/// `decode --protocol …` and `encode --protocol …` hand over to ``ProtocolCLI``.
struct ProtocolOptions: ParsableArguments {
    @Option(name: .customLong("protocol"),
            help: "Real-world framing instead of SoundStack frames: ax25, uart, rtty, same, callerid, kcs, auto (decode).")
    var protocolName: String?
}

/// Everything `decode` knows when a protocol is asked for.
struct ProtocolDecodeRequest {
    var input: String
    var protocolName: String
    var options: ProtocolOptions
    var baud: Double?
    var tones: [Double]?
    var channel: ChannelSelection
    var raw: RawFormat?
    var output: String?
    var json: Bool
    var quiet: Bool
}

/// Everything `encode` knows when a protocol is asked for.
struct ProtocolEncodeRequest {
    var protocolName: String
    var data: [UInt8]
    var options: ProtocolOptions
    var baud: Double?
    var tones: [Double]?
    var output: String
    var sampleRate: Int
    var encoding: AudioEncoding?
    var quiet: Bool
}

enum ProtocolCLI {
    static func decode(_ request: ProtocolDecodeRequest) throws {
        throw ValidationError("--protocol \(request.protocolName) is not supported yet")
    }

    static func encode(_ request: ProtocolEncodeRequest) throws {
        throw ValidationError("--protocol \(request.protocolName) is not supported yet")
    }
}
