/// What the presentation layer did to one message, for the trace; `description` is one line.
///
///     let out = try PresentationEncoder(contentType: .json, compressionLevel: 6).encode(body)
///     print(out.report)   // [L6] encode: JSON 27 bytes, valid UTF-8 and JSON; deflate 27 → 31 bytes (not smaller: sent uncompressed); …
///     let json = try JSONEncoder().encode(out.report)     // for --trace files
public struct PresentationReport: Codable, Hashable, Sendable, CustomStringConvertible {
    /// Whether the report is of encoding (sending) or decoding (receiving).
    public enum Direction: String, Codable, Hashable, Sendable {
        /// The sending side: content to bytes.
        case encode
        /// The receiving side: bytes to content.
        case decode
    }

    /// Encoding or decoding.
    public var direction: Direction
    /// The declared content type.
    public var contentType: ContentType
    /// Content bytes (before compression on the way out, after inflating on the way in).
    public var contentLength: Int
    /// Whether the content was checked as UTF-8 / JSON and passed (nil: not checked, as for binary).
    public var validUTF8: Bool?
    /// Whether the content was checked as JSON and passed (nil: not JSON).
    public var validJSON: Bool?
    /// Whether the JSON was re-serialised (the default keeps the bytes as given).
    public var jsonNormalized: Bool
    /// The deflate level asked for (nil: no compression asked for).
    public var compressionLevel: Int?
    /// The deflated size, when deflate ran (even if the result was not used).
    public var deflatedLength: Int?
    /// The compression in the header: deflate only when it made the content smaller.
    public var compression: Compression
    /// The cipher in the header.
    public var cipher: Cipher
    /// The scrypt cost used, when encrypted (nil otherwise).
    public var kdf: ScryptParameters?
    /// Bytes encryption added: the encryption header fields (36) and the tag (16).
    public var encryptionOverhead: Int
    /// Header length in bytes (18 or 54).
    public var headerLength: Int
    /// Everything the layer hands down (or received): header plus body, in bytes.
    public var totalLength: Int

    public var description: String {
        var parts: [String] = []
        var content = "\(contentType) \(contentLength) bytes"
        if validJSON == true {
            content += ", valid UTF-8 and JSON"
        } else if validUTF8 == true {
            content += ", valid UTF-8"
        }
        if jsonNormalized { content += ", normalised" }
        let body = totalLength - headerLength
        switch direction {
        case .encode:
            parts.append(content)
            if let deflatedLength {
                let level = compressionLevel.map { " (level \($0))" } ?? ""
                parts.append(
                    "deflate\(level) \(contentLength) → \(deflatedLength) bytes"
                        + (compression == .none ? " (not smaller: sent uncompressed)" : ""))
            } else {
                parts.append("no compression")
            }
            parts.append(cipherText)
        case .decode:
            parts.append(cipher == .none ? cipherText : cipherText + ", tag verified")
            if compression == .deflate, let deflatedLength {
                parts.append("inflate \(deflatedLength) → \(contentLength) bytes")
            }
            parts.append(content)
        }
        parts.append("header \(headerLength) + body \(body) = \(totalLength) bytes")
        return "[L6] \(direction.rawValue): " + parts.joined(separator: "; ")
    }

    private var cipherText: String {
        guard cipher != .none else { return "not encrypted" }
        let kdfText = kdf.map { ", \($0)" } ?? ""
        return "\(cipher)\(kdfText), +\(encryptionOverhead) bytes"
    }
}
