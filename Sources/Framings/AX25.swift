/// An AX.25 address: callsign (up to 6 characters), SSID 0–15, and the H bit
/// ("has been repeated") that a digipeater sets.
public struct AX25Address: Sendable, Hashable, CustomStringConvertible {
    /// The callsign, up to 6 characters, upper case.
    public var callsign: String
    /// The secondary station identifier, 0–15.
    public var ssid: Int
    /// The H bit: a digipeater has repeated the frame through this address.
    public var repeated: Bool

    /// An address; SSID 0 and not repeated unless given.
    public init(callsign: String, ssid: Int = 0, repeated: Bool = false) {
        self.callsign = callsign
        self.ssid = ssid
        self.repeated = repeated
    }

    /// Parses `CALL`, `CALL-N` or `CALL-N*` (the `*` sets the H bit).
    public init(parsing text: Substring) throws(ProtocolError) {
        var t = text
        repeated = t.hasSuffix("*")
        if repeated { t = t.dropLast() }
        let parts = t.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), (1...6).contains(parts[0].count),
            parts[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else {
            throw .invalidAddress(String(text))
        }
        callsign = parts[0].uppercased()
        if parts.count == 2 {
            guard let n = Int(parts[1]), (0...15).contains(n) else { throw .invalidAddress(String(text)) }
            ssid = n
        } else {
            ssid = 0
        }
    }

    /// `CALL` or `CALL-N`, without the H-bit star.
    public var description: String { ssid == 0 ? callsign : "\(callsign)-\(ssid)" }

    /// The 7 bytes on the wire (characters shifted left by one; `last` sets the extension bit).
    func encoded(last: Bool, commandBit: Bool) -> [UInt8] {
        var out = Array(callsign.utf8.prefix(6)).map { $0 << 1 }
        while out.count < 6 { out.append(0x20 << 1) }
        var b = UInt8(0x60) | UInt8(ssid & 0x0F) << 1
        if repeated || commandBit { b |= 0x80 }
        if last { b |= 1 }
        out.append(b)
        return out
    }
}

/// An AX.25 frame: destination, source, digipeater path, control, PID and information field.
///
///     let f = try AX25Frame(tnc2: "N0CALL>APRS,WIDE1-1:hello")
///     f.tnc2   // "N0CALL>APRS,WIDE1-1:hello"
public struct AX25Frame: Sendable, Hashable {
    /// The addressee (for APRS, a tocall such as `APRS`).
    public var destination: AX25Address
    /// The sending station.
    public var source: AX25Address
    /// The digipeater path (e.g. `WIDE1-1`), in order; up to 8 addresses.
    public var path: [AX25Address]
    /// The control field; 0x03 is a UI (unnumbered information) frame.
    public var control: UInt8
    /// Protocol identifier, for I and UI frames.
    public var pid: UInt8?
    /// The information field (the payload text of an APRS packet).
    public var info: [UInt8]

    /// A frame; by default a UI frame (control 0x03) with no layer 3 (PID 0xF0).
    public init(
        destination: AX25Address, source: AX25Address, path: [AX25Address] = [],
        control: UInt8 = 0x03, pid: UInt8? = 0xF0, info: [UInt8]
    ) {
        self.destination = destination
        self.source = source
        self.path = path
        self.control = control
        self.pid = pid
        self.info = info
    }

    /// Parses the bytes between the flags (FCS already checked and removed).
    public init(bytes: [UInt8]) throws(ProtocolError) {
        var addrs: [AX25Address] = []
        var i = 0
        while true {
            guard i + 7 <= bytes.count, addrs.count < 10 else { throw .malformedFrame("address field") }
            // Six ASCII characters, shifted left one bit, padded with spaces (dropped).
            var length = 6
            while length > 0 && bytes[i + length - 1] >> 1 == 0x20 { length -= 1 }
            let call = String(unsafeUninitializedCapacity: length) { text in
                for j in 0..<length { text[j] = bytes[i + j] >> 1 }
                return length
            }
            let s = bytes[i + 6]
            addrs.append(AX25Address(callsign: call, ssid: Int((s >> 1) & 0x0F), repeated: s & 0x80 != 0))
            i += 7
            if s & 1 == 1 { break }
        }
        guard addrs.count >= 2, i < bytes.count else { throw .malformedFrame("no control field") }
        destination = addrs[0]
        source = addrs[1]
        path = Array(addrs.dropFirst(2))
        control = bytes[i]
        i += 1
        if control & 1 == 0 || control & 0xEF == 0x03 {
            guard i < bytes.count else { throw .malformedFrame("no PID") }
            pid = bytes[i]
            i += 1
        } else {
            pid = nil
        }
        info = Array(bytes[i...])
    }

    /// Parses a TNC2 monitor line `SRC>DST,DIGI,DIGI*:info` into a UI frame (PID 0xF0).
    public init(tnc2 line: String) throws(ProtocolError) {
        guard let colon = line.firstIndex(of: ":"), let gt = line[..<colon].firstIndex(of: ">") else {
            throw .invalidTNC2(line)
        }
        let addrs = line[line.index(after: gt)..<colon].split(separator: ",", omittingEmptySubsequences: false)
        source = try AX25Address(parsing: line[..<gt])
        destination = try AX25Address(parsing: addrs[0])
        var p: [AX25Address] = []
        for a in addrs.dropFirst() { p.append(try AX25Address(parsing: a)) }
        guard p.count <= 8 else { throw .invalidTNC2(line) }
        if let lastRepeated = p.lastIndex(where: \.repeated) {
            for k in 0...lastRepeated { p[k].repeated = true }
        }
        path = p
        control = 0x03
        pid = 0xF0
        info = Array(line[line.index(after: colon)...].utf8)
    }

    /// The bytes between the flags, without FCS.
    public var bytes: [UInt8] {
        var out = destination.encoded(last: false, commandBit: true)
        out += source.encoded(last: path.isEmpty, commandBit: false)
        for (k, a) in path.enumerated() { out += a.encoded(last: k == path.count - 1, commandBit: false) }
        out.append(control)
        if let pid { out.append(pid) }
        return out + info
    }

    /// The TNC2 monitor line, as Dire Wolf prints it: the last repeated digipeater is starred,
    /// bytes outside 0x20–0x7E are written `<0xNN>`.
    public var tnc2: String {
        var head = "\(Self.printable(source.description))>\(Self.printable(destination.description))"
        let starred = path.lastIndex(where: \.repeated)
        for (k, a) in path.enumerated() {
            head += "," + Self.printable(a.description) + (k == starred ? "*" : "")
        }
        return head + ":" + Self.printable(info)
    }

    static func printable(_ s: String) -> String { printable(Array(s.utf8)) }

    /// Bytes as text, `<0xNN>` for anything outside printable ASCII.
    public static func printable(_ bytes: [UInt8]) -> String {
        // Built as UTF-8 bytes and made a string once (a character at a time costs a decoder
        // frame's worth of time per frame).
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for b in bytes {
            if (0x20...0x7E).contains(b) {
                out.append(b)
            } else {
                out.append(contentsOf: "<0x".utf8)
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 15)])
                out.append(UInt8(ascii: ">"))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lower-case hexadecimal digits as ASCII.
    private static let hexDigits = Array("0123456789abcdef".utf8)
}
