/// What the lab answers for one message sent (or one recording decoded): the audio, the
/// pictures, every frame's fate, the bytes delivered and what each layer did.
public struct LabResult: Sendable, Codable, Hashable {
    /// What went down the stack.
    public struct Sent: Sendable, Codable, Hashable {
        /// The message's bytes.
        public var bytes: Int
        /// The message as text (an HTTP request with its line ends as `\n`).
        public var text: String
        /// Frames of the first transmission.
        public var frames: Int
        /// Seconds of audio of the first transmission.
        public var seconds: Double
    }

    /// The audio, as WAV files in base64.
    public struct Audio: Sendable, Codable, Hashable {
        /// What the receiver heard, every round one after the other.
        public var received: String
        /// What was sent in the first round, before the channel; `nil` for an uploaded recording.
        public var clean: String?
        /// Samples per second.
        public var sampleRate: Int
        /// Seconds of `received`.
        public var seconds: Double
    }

    /// The first round as heard, drawn as SVG.
    public struct Plots: Sendable, Codable, Hashable {
        /// Time against frequency, the mode's tones marked.
        public var spectrogram: String
        /// The demodulator's view: tone energies, decisions and the frames found.
        public var demod: String
    }

    /// One frame the receiver found.
    public struct Frame: Sendable, Codable, Hashable {
        /// 1, 2, … within its round.
        public var index: Int
        /// Seconds from the start of its round's audio.
        public var start: Double
        /// Seconds from the start of its round's audio.
        public var end: Double
        /// The mode it was found in.
        public var mode: String
        /// Whether every check passed.
        public var ok: Bool
        /// `ok`, `fcs-mismatch`, `phy-header-error`, `truncated`, `not-for-me`, …
        public var status: String
        /// The status in words ("" when ok).
        public var reason: String
        /// The frame's measured Eb/N0 in dB, when it could be measured.
        public var ebn0: Double?
        /// Bits the forward error correction put right.
        public var corrected: Int
    }

    /// One transmission: the first, or a resend of what was lost.
    public struct Round: Sendable, Codable, Hashable {
        /// 0 for the first transmission.
        public var round: Int
        /// What was sent, in words.
        public var what: String
        /// The frames found, in time order.
        public var frames: [Frame]
    }

    /// What reached the top of the stack.
    public struct Delivered: Sendable, Codable, Hashable {
        /// Whether a whole message was delivered.
        public var ok: Bool
        /// Whether it is byte for byte what was sent (`nil` for an uploaded recording).
        public var identical: Bool?
        /// Bytes delivered.
        public var bytes: Int
        /// The bytes as text (invalid UTF-8 replaced).
        public var text: String
        /// Why nothing (or not everything) was delivered.
        public var error: String?
    }

    /// One layer's part, sending and receiving.
    public struct Layer: Sendable, Codable, Hashable {
        /// 1 … 7.
        public var layer: Int
        /// Physical, Data link, …, Application.
        public var name: String
        /// The protocol this stack uses there (FSK, Ethernet, IPv4, TCP, S5, P6, HTTP).
        public var `protocol`: String
        /// What the sending side did, in one line.
        public var added: String
        /// What the receiving side did and checked, in one line.
        public var checked: String
        /// `ok`, `failed` (its check caught damage) or `not reached`.
        public var status: String
        /// What the check caught.
        public var error: String?
    }

    /// What was sent; `nil` for an uploaded recording.
    public var sent: Sent?
    /// The impairments, as a channel spec ("" for an uploaded recording).
    public var channel: String
    /// The audio.
    public var audio: Audio
    /// The pictures.
    public var plots: Plots
    /// The transmissions.
    public var rounds: [Round]
    /// What was delivered.
    public var delivered: Delivered
    /// Layer 7 first, down to layer 1.
    public var layers: [Layer]
}

/// What the page needs to build its form.
public struct LabOptions: Sendable, Codable, Hashable {
    /// A mode the lab offers.
    public struct ModeChoice: Sendable, Codable, Hashable {
        /// Its name.
        public var name: String
        /// One line about it.
        public var summary: String
        /// Data bits per second.
        public var bitRate: Double
    }

    /// Every mode.
    public var modes: [ModeChoice]
    /// Line code names.
    public var lineCodes: [String]
    /// FEC names.
    public var fec: [String]
    /// The bounds.
    public var limits: LabLimits
    /// The worked example.
    public var example: LabRequest
}
