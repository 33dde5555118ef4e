/// A Bell 202 caller ID message (SDMF type 0x04 or MDMF type 0x80), checksum verified.
///
///     CallerIDMessage(bytes: …)?.line   // MDMF DATE="11011820" NUMBER="4133972057" NAME_ABSENT="O"
public struct CallerIDMessage: Sendable, Hashable {
    /// The whole message from type byte to checksum byte.
    public var bytes: [UInt8]
    /// The message type: 0x04 for SDMF, 0x80 for MDMF.
    public var type: UInt8
    /// (parameter type, value) in transmitted order; SDMF is given as DATE and NUMBER.
    public var parameters: [(UInt8, [UInt8])] { Self.parse(bytes) ?? [] }

    public static func == (a: Self, b: Self) -> Bool { a.bytes == b.bytes }
    public func hash(into h: inout Hasher) { h.combine(bytes) }

    /// Accepts `bytes` only if it is one complete, well-formed message with a valid checksum.
    public init?(bytes: [UInt8]) {
        guard bytes.count >= 3, Int(bytes[1]) + 3 == bytes.count,
            bytes.reduce(UInt8(0), &+) == 0, Self.parse(bytes) != nil
        else { return nil }
        self.bytes = bytes
        type = bytes[0]
    }

    /// Builds an MDMF message from parameters (type, value) with its length and checksum.
    public static func mdmf(_ params: [(UInt8, [UInt8])]) -> [UInt8] {
        var body: [UInt8] = []
        for (t, v) in params { body += [t, UInt8(v.count)] + v }
        var msg = [0x80, UInt8(body.count)] + body
        msg.append(0 &- msg.reduce(UInt8(0), &+))
        return msg
    }

    static func parse(_ b: [UInt8]) -> [(UInt8, [UInt8])]? {
        let body = Array(b[2..<(b.count - 1)])
        switch b[0] {
        case 0x04:
            guard body.count >= 8, body[0..<8].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return [(0x01, Array(body[0..<8])), (0x02, Array(body[8...]))]
        case 0x80:
            var out: [(UInt8, [UInt8])] = []
            var i = 0
            while i < body.count {
                guard i + 2 <= body.count else { return nil }
                let t = body[i], n = Int(body[i + 1])
                guard i + 2 + n <= body.count, [1, 2, 3, 4, 7, 8].contains(t) else { return nil }
                out.append((t, Array(body[(i + 2)..<(i + 2 + n)])))
                i += 2 + n
            }
            return out.isEmpty ? nil : out
        default:
            return nil
        }
    }

    /// The name of an MDMF parameter type (`DATE`, `NUMBER`, `NAME`, …), or its number in hex.
    public static func name(_ t: UInt8) -> String {
        switch t {
        case 0x01: "DATE"
        case 0x02: "NUMBER"
        case 0x03: "DIALABLE"
        case 0x04: "NUMBER_ABSENT"
        case 0x07: "NAME"
        case 0x08: "NAME_ABSENT"
        default: "P\(t)"
        }
    }

    /// One line: `MDMF DATE="…" NUMBER="…" NAME="…"` (or `SDMF …`).
    public var line: String {
        let head = type == 0x80 ? "MDMF" : "SDMF"
        return ([head] + parameters.map { "\(Self.name($0.0))=\"\(AX25Frame.printable($0.1))\"" })
            .joined(separator: " ")
    }
}

/// Finds caller ID messages in a byte stream (after UART framing).
public struct CallerIDParser: Sendable {
    private var buffer: [UInt8] = []

    /// An empty parser.
    public init() {}

    /// Pushes one byte; returns a message when a complete checksum-valid one ends with it.
    public mutating func push(_ byte: UInt8) -> CallerIDMessage? {
        buffer.append(byte)
        if buffer.count > 300 { buffer.removeFirst(buffer.count - 300) }
        let end = buffer.count
        for s in stride(from: end - 3, through: 0, by: -1) where buffer[s] == 0x80 || buffer[s] == 0x04 {
            guard s + 2 + Int(buffer[s + 1]) + 1 == end else { continue }
            if let m = CallerIDMessage(bytes: Array(buffer[s..<end])) {
                buffer.removeAll()
                return m
            }
        }
        return nil
    }
}
