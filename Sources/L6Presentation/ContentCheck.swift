import Foundation

/// Checks that content is what its type says: UTF-8 for text, UTF-8 JSON for JSON.
///
///     try ContentCheck.validateUTF8(Array("héllo".utf8))     // fine
///     try ContentCheck.validateUTF8([0x61, 0xC3])             // invalidUTF8(offset: 1)
///     try ContentCheck.validateJSON(Array(#"{"a":1}"#.utf8))  // fine
public enum ContentCheck {
    /// Throws `invalidUTF8(offset:)` at the first byte of the first ill-formed sequence
    /// (Unicode Table 3-7: no overlongs, no surrogates, nothing above U+10FFFF).
    public static func validateUTF8(_ bytes: [UInt8]) throws(PresentationError) {
        var i = 0
        let n = bytes.count
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            let count: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF  // allowed range of the second byte
            switch b0 {
            case 0xC2...0xDF: count = 2
            case 0xE0: count = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: count = 3
            case 0xED: count = 3; high = 0x9F
            case 0xF0: count = 4; low = 0x90
            case 0xF1...0xF3: count = 4
            case 0xF4: count = 4; high = 0x8F
            default: throw .invalidUTF8(offset: i)
            }
            guard i + count <= n else { throw .invalidUTF8(offset: i) }
            guard (low...high).contains(bytes[i + 1]) else { throw .invalidUTF8(offset: i) }
            for k in 2..<max(2, count) where !(0x80...0xBF).contains(bytes[i + k]) {
                throw .invalidUTF8(offset: i)
            }
            i += count
        }
    }

    /// Throws `invalidUTF8` or `invalidJSON` unless `bytes` are one JSON value (RFC 8259; a bare
    /// scalar such as `42` is allowed). The bytes themselves are not changed.
    public static func validateJSON(_ bytes: [UInt8]) throws(PresentationError) {
        _ = try parseJSON(bytes)
    }

    /// The JSON re-serialised by Foundation with sorted keys and unescaped slashes: a canonical
    /// form for callers that want one (the encoder only does this when asked).
    public static func normalizedJSON(_ bytes: [UInt8]) throws(PresentationError) -> [UInt8] {
        let object = try parseJSON(bytes)
        do {
            let data = try JSONSerialization.data(
                withJSONObject: object,
                options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
            return Array(data)
        } catch {
            throw .invalidJSON("cannot re-serialise: \(error.localizedDescription)")
        }
    }

    private static func parseJSON(_ bytes: [UInt8]) throws(PresentationError) -> Any {
        try validateUTF8(bytes)
        do {
            return try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            let ns = error as NSError
            let detail = ns.userInfo[NSDebugDescriptionErrorKey] as? String ?? ns.localizedDescription
            throw .invalidJSON(detail)
        }
    }
}
