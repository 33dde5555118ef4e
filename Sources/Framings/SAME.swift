/// One SAME burst as received: its text after the 0xAB preamble.
public struct SAMEBurst: Sendable, Hashable {
    /// The burst's characters as received (printable ASCII once trimmed by the assembler).
    public var text: [UInt8]
    /// Sample index where the text started.
    public var sample: Int
}

/// NOAA SAME / EAS bit-stream receiver: bytes LSB first without start or stop bits,
/// synchronised by the 0xAB preamble; a burst ends at the first byte that is not SAME text.
public struct SAMEBurstDecoder: Sendable {
    /// Longest burst kept (a header with 31 locations is 268 characters).
    public static let maximumLength = 280
    private var shift: UInt16 = 0
    private var synced = false
    private var bitCount = 0
    private var byte: UInt8 = 0
    private var text: [UInt8] = []
    private var start = 0

    /// A decoder waiting for a preamble.
    public init() {}

    /// Pushes one bit; returns a burst when one ends.
    public mutating func push(_ bit: Bool, sample: Int) -> SAMEBurst? {
        shift = shift >> 1 | (bit ? 0x8000 : 0)
        if !synced {
            if shift == 0xABAB { synced = true; bitCount = 0; text = [] }
            return nil
        }
        byte = byte >> 1 | (bit ? 0x80 : 0)
        bitCount += 1
        guard bitCount == 8 else { return nil }
        bitCount = 0
        if text.isEmpty && byte == 0xAB { return nil }
        if Self.isText(byte) && text.count < Self.maximumLength {
            if text.isEmpty { start = sample }
            text.append(byte)
            return nil
        }
        synced = false
        defer { text = [] }
        return text.count >= 4 ? SAMEBurst(text: text, sample: start) : nil
    }

    /// Ends a burst cut by the end of the input.
    public mutating func flush() -> SAMEBurst? {
        defer { text = []; synced = false }
        return synced && text.count >= 4 ? SAMEBurst(text: text, sample: start) : nil
    }

    static func isText(_ b: UInt8) -> Bool { (0x20...0x7E).contains(b) }
}

/// Combines the (normally three) bursts of a SAME message by majority vote per character
/// and trims the result to the SAME header syntax (`ZCZC-ORG-EEE-PSSCCC…+TTTT-JJJHHMM-LLLLLLLL-`)
/// or `NNNN`.
public struct SAMEAssembler: Sendable {
    /// Bursts further apart than this (samples) belong to different messages.
    public let gap: Int
    private var group: [SAMEBurst] = []

    /// An assembler for audio at `sampleRate`: bursts more than 3.5 s apart start a new message.
    public init(sampleRate: Double) { gap = Int(sampleRate * 3.5) }

    /// Adds a burst; returns a message when the burst starts a new group and the previous
    /// group forms one.
    public mutating func add(_ burst: SAMEBurst) -> (text: String, sample: Int, bursts: Int)? {
        var out: (String, Int, Int)?
        if let last = group.last, burst.sample - last.sample > gap || group.count == 3 {
            out = flush()
        }
        group.append(burst)
        return out
    }

    /// Votes on the bursts held and clears them.
    public mutating func flush() -> (text: String, sample: Int, bursts: Int)? {
        defer { group = [] }
        guard let first = group.first else { return nil }
        let lengths = group.map(\.text.count)
        let length = lengths.max() ?? 0
        var voted: [UInt8] = []
        for i in 0..<length {
            var counts: [UInt8: Int] = [:]
            for b in group where i < b.text.count { counts[b.text[i], default: 0] += 1 }
            if let best = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }) {
                voted.append(best.key)
            }
        }
        guard let text = Self.trim(voted) else { return nil }
        return (text, first.sample, group.count)
    }

    /// The message part of a burst's text, or `nil` if it is neither a header nor an EOM.
    static func trim(_ bytes: [UInt8]) -> String? {
        let s = String(decoding: bytes, as: UTF8.self)
        if s.hasPrefix("NNNN") { return "NNNN" }
        guard s.hasPrefix("ZCZC-"), let plus = s.firstIndex(of: "+") else { return nil }
        // +TTTT-JJJHHMM-LLLLLLLL- : the message ends at the third '-' after the '+'.
        var dashes = 0
        var i = s.index(after: plus)
        while i < s.endIndex {
            if s[i] == "-" { dashes += 1; if dashes == 3 { return String(s[...i]) } }
            i = s.index(after: i)
        }
        return nil
    }
}
