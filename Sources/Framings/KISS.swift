/// One KISS frame: what a packet-radio program and a TNC say to each other over a serial line
/// or TCP (the KISS protocol of Chepponis and Karn, 1987).
///
/// On the wire a frame is `FEND type data… FEND`, with FEND (0xC0) and FESC (0xDB) inside the
/// data sent as `FESC TFEND` and `FESC TFESC`. The type byte carries the port in its high
/// nibble and the command in its low one; 0xFF alone is "leave KISS mode".
///
///     let frame = KISSFrame(port: 0, command: .data, payload: ax25Bytes)
///     let wire = frame.bytes                // C0 00 … C0
///     var decoder = KISSDecoder()
///     let (frames, problems) = decoder.push(wire)
public struct KISSFrame: Sendable, Hashable {
    /// Frame end: opens and closes every frame.
    public static let fend: UInt8 = 0xC0
    /// Frame escape: the next byte stands for FEND or FESC.
    public static let fesc: UInt8 = 0xDB
    /// After FESC: a FEND in the data.
    public static let tfend: UInt8 = 0xDC
    /// After FESC: a FESC in the data.
    public static let tfesc: UInt8 = 0xDD

    /// What a frame asks of the TNC.
    public enum Command: Sendable, Hashable {
        /// The payload is a frame to send (host → TNC) or one received (TNC → host).
        case data
        /// Keying-up delay before data, in units of 10 ms.
        case txDelay
        /// P-persistence: the chance, out of 256, of sending in a free slot.
        case persistence
        /// Slot interval of the channel access, in units of 10 ms.
        case slotTime
        /// Time to hold the transmitter after the frame, in units of 10 ms (obsolete in KISS).
        case txTail
        /// Nonzero: full duplex (send without waiting for a free channel).
        case fullDuplex
        /// Hardware-specific: the payload is for the TNC's own use.
        case setHardware
        /// Leave KISS mode (type byte 0xFF; no port).
        case exitKISS
        /// A command number KISS does not define (7…14 on a port); kept so it can be reported.
        case other(UInt8)

        /// The command's number in the type byte's low nibble (15 for `exitKISS`).
        public var code: UInt8 {
            switch self {
            case .data: 0
            case .txDelay: 1
            case .persistence: 2
            case .slotTime: 3
            case .txTail: 4
            case .fullDuplex: 5
            case .setHardware: 6
            case .exitKISS: 15
            case .other(let code): code & 0x0F
            }
        }

        /// The command of a type byte's low nibble.
        public init(code: UInt8) {
            switch code & 0x0F {
            case 0: self = .data
            case 1: self = .txDelay
            case 2: self = .persistence
            case 3: self = .slotTime
            case 4: self = .txTail
            case 5: self = .fullDuplex
            case 6: self = .setHardware
            case let other: self = .other(other)
            }
        }
    }

    /// The radio port, 0…15 (0 for `exitKISS`).
    public var port: UInt8
    /// What the frame asks.
    public var command: Command
    /// The data (an AX.25 frame without FCS for `data`, one parameter byte for the others).
    public var payload: [UInt8]

    /// A frame; `port` is taken modulo 16.
    public init(port: UInt8 = 0, command: Command, payload: [UInt8] = []) {
        self.port = command == .exitKISS ? 0 : port & 0x0F
        self.command = command
        self.payload = payload
    }

    /// The type byte: port in the high nibble, command in the low one (0xFF for `exitKISS`).
    public var typeByte: UInt8 { command == .exitKISS ? 0xFF : port << 4 | command.code }

    /// The frame from its unescaped contents (type byte then data), or nil when empty.
    public init?(contents: [UInt8]) {
        guard let type = contents.first else { return nil }
        if type == 0xFF {
            self.init(command: .exitKISS, payload: Array(contents.dropFirst()))
        } else {
            self.init(port: type >> 4, command: Command(code: type), payload: Array(contents.dropFirst()))
        }
    }

    /// The frame on the wire: FEND, the type byte and the payload escaped, FEND.
    public var bytes: [UInt8] {
        var out: [UInt8] = [Self.fend]
        out.reserveCapacity(payload.count + 4)
        for byte in [typeByte] + payload {
            switch byte {
            case Self.fend: out += [Self.fesc, Self.tfend]
            case Self.fesc: out += [Self.fesc, Self.tfesc]
            default: out.append(byte)
            }
        }
        out.append(Self.fend)
        return out
    }

    /// A parameter command's value (its first payload byte), nil for `data` or an empty payload.
    public var parameter: UInt8? { command == .data ? nil : payload.first }
}

/// Something wrong in a KISS byte stream; the decoder reports it and goes on.
public enum KISSProblem: Sendable, Hashable, CustomStringConvertible {
    /// FESC followed by a byte other than TFEND or TFESC; the frame was dropped.
    case badEscape(UInt8)
    /// A frame grew past the decoder's limit; it was dropped up to the next FEND.
    case tooLong(limit: Int)
    /// Bytes outside any frame (before the first FEND); ignored.
    case outsideFrame(count: Int)

    public var description: String {
        switch self {
        case .badEscape(let byte):
            "KISS: FESC followed by 0x\(String(byte, radix: 16, uppercase: true)), not TFEND or TFESC: frame dropped"
        case .tooLong(let limit): "KISS: frame longer than \(limit) bytes: dropped up to the next FEND"
        case .outsideFrame(let count): "KISS: \(count) byte(s) outside any frame ignored"
        }
    }
}

/// A streaming KISS decoder: push bytes as they arrive (any cut); it returns the whole frames
/// and the problems met. Empty frames (FEND FEND, as senders use to flush the line) are skipped;
/// a malformed frame is reported and dropped and the stream resynchronises at the next FEND.
public struct KISSDecoder: Sendable {
    /// Largest frame kept (type byte and unescaped data); longer ones are dropped.
    public let maximumLength: Int
    private var contents: [UInt8] = []
    private var inFrame = false
    private var escaped = false
    /// Dropping the rest of a bad frame until the next FEND.
    private var discarding = false
    private var outside = 0

    /// A decoder keeping frames up to `maximumLength` bytes (default: an AX.25 frame of 256
    /// info bytes with a full path, with room to spare).
    public init(maximumLength: Int = 1024) {
        self.maximumLength = max(1, maximumLength)
    }

    /// Consumes `bytes`; returns the frames completed and the problems met, in stream order.
    public mutating func push(_ bytes: some Sequence<UInt8>) -> (frames: [KISSFrame], problems: [KISSProblem]) {
        var frames: [KISSFrame] = []
        var problems: [KISSProblem] = []
        for byte in bytes {
            if byte == KISSFrame.fend {
                if outside > 0 {
                    problems.append(.outsideFrame(count: outside))
                    outside = 0
                }
                if inFrame, !discarding, !escaped, let frame = KISSFrame(contents: contents) {
                    frames.append(frame)
                } else if inFrame, escaped, !discarding {
                    problems.append(.badEscape(byte))
                }
                contents.removeAll(keepingCapacity: true)
                inFrame = true
                escaped = false
                discarding = false
                continue
            }
            guard inFrame else {
                outside += 1
                continue
            }
            if discarding { continue }
            var value = byte
            if escaped {
                escaped = false
                switch byte {
                case KISSFrame.tfend: value = KISSFrame.fend
                case KISSFrame.tfesc: value = KISSFrame.fesc
                default:
                    problems.append(.badEscape(byte))
                    discarding = true
                    continue
                }
            } else if byte == KISSFrame.fesc {
                escaped = true
                continue
            }
            if contents.count >= maximumLength {
                problems.append(.tooLong(limit: maximumLength))
                discarding = true
                contents.removeAll(keepingCapacity: true)
                continue
            }
            contents.append(value)
        }
        return (frames, problems)
    }
}
