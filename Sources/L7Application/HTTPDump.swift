/// Renderings of raw bytes for people: the wire with its CR and LF made visible, and hex dumps.
///
/// ```swift
/// print(HTTPDump.wire(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)))
/// // GET / HTTP/1.1␍␊
/// // Host: a␍␊
/// // ␍␊
/// ```
public enum HTTPDump {
    /// The bytes as text, each CR shown as `␍` and each LF as `␊` followed by a line break, other
    /// control bytes as `\xNN`; bytes that are not UTF-8 also as `\xNN`.
    public static func wire(_ bytes: some Collection<UInt8>) -> String {
        var out = ""
        var pending: [UInt8] = []
        func flush() {
            guard !pending.isEmpty else { return }
            if let text = String(validating: pending, as: UTF8.self) {
                out += text
            } else {
                for byte in pending { out += byte < 0x80 ? String(UnicodeScalar(byte)) : "\\x" + hex2(byte) }
            }
            pending.removeAll()
        }
        for byte in bytes {
            switch byte {
            case HTTPSyntax.cr: flush(); out += "␍"
            case HTTPSyntax.lf: flush(); out += "␊\n"
            case HTTPSyntax.htab: pending.append(byte)
            case 0..<0x20, 0x7F: flush(); out += "\\x" + hex2(byte)
            default: pending.append(byte)
            }
        }
        flush()
        return out
    }

    /// A hex dump, 16 bytes a line with offset and ASCII column, of at most `maxBytes` bytes.
    ///
    /// ```
    /// 0000  89 50 4e 47 0d 0a 1a 0a                           .PNG....
    /// ```
    public static func hex(_ bytes: some Collection<UInt8>, maxBytes: Int = 256) -> String {
        let shown = Array(bytes.prefix(max(0, maxBytes)))
        var lines: [String] = []
        var offset = 0
        while offset < shown.count {
            let row = shown[offset..<min(offset + 16, shown.count)]
            let digits = String(offset, radix: 16)
            var line = String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "  "
            line += row.map(hex2).joined(separator: " ")
            line += String(repeating: " ", count: (16 - row.count) * 3 + 2)
            line += String(row.map { $0 >= 0x20 && $0 < 0x7F ? Character(UnicodeScalar($0)) : "." })
            lines.append(line)
            offset += 16
        }
        if bytes.count > shown.count { lines.append("… (\(bytes.count - shown.count) more bytes)") }
        return lines.joined(separator: "\n")
    }

    /// Text for bytes: UTF-8 when valid (a cut multi-byte character dropped), else ISO-8859-1.
    static func text(_ bytes: some Collection<UInt8>) -> String {
        var slice = Array(bytes)
        for _ in 0..<4 {
            if let text = String(validating: slice, as: UTF8.self) { return text }
            if slice.isEmpty { break }
            slice.removeLast()
        }
        return HTTPSyntax.text(bytes)
    }
}
