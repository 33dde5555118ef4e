import ARQLink
import ArgumentParser
import AudioDevices

/// A live link station's audio through the audio server: transmissions played on one device,
/// what is heard recorded from another (a sink's `.monitor` on a null-sink pair).
final class DeviceAudioPort: LiveAudioPort, @unchecked Sendable {
    let sampleRate: Int
    private let playback: AudioPlayback
    private let capture: AudioCapture

    /// `play` and `record` are the server's device names; "default" is the server's default.
    init(play: String, record: String, sampleRate: Int, streamName: String) throws {
        self.sampleRate = sampleRate
        playback = try AudioPlayback(
            device: Self.device(play), sampleRate: sampleRate, streamName: "\(streamName) (play)")
        capture = try AudioCapture(
            device: Self.device(record), sampleRate: sampleRate, streamName: "\(streamName) (record)")
    }

    func play(_ samples: [Float]) throws {
        try playback.write(samples)
        try playback.drain()
    }

    func record(into buffer: UnsafeMutableBufferPointer<Float>) throws {
        try capture.read(into: buffer)
    }

    private static func device(_ name: String) -> String? {
        let bare = name.hasPrefix("pulse:") ? String(name.dropFirst("pulse:".count)) : name
        return bare.isEmpty || bare == "default" ? nil : bare
    }
}

/// Which end a live `bridge` or `link` process is.
enum LiveRole: String, ExpressibleByArgument, CaseIterable {
    /// One process, both stations, the channel simulator between them.
    case local
    /// The client's station (bridge) or the sender (link), on real devices.
    case client
    /// The origin's station (bridge) or the receiver (link), on real devices.
    case origin
}
