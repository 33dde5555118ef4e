/// Parses the value of one spec-string item: numbers with optional units, pairs `a@b`,
/// ranges `a-b`, burst counts `NxL`. Every failure names the key and the value.
struct ValueParser {
    let key: String
    let text: String?

    func bad(_ reason: String) -> ChannelError {
        .badValue(key: key, value: text ?? "", reason: reason)
    }

    /// The value text, which must be present.
    func required() throws -> String {
        guard let text, !text.isEmpty else { throw bad("needs a value (\(key)=…)") }
        return text
    }

    /// Fails if a value was given.
    func none() throws {
        if text != nil { throw bad("takes no value") }
    }

    /// A number with an optional unit from `units` (name → multiplier; "" = bare number is
    /// always allowed and means the first/base unit).
    func number(_ part: String, _ units: [String: Double]) throws -> Double {
        let s = part.trimmingSpaces.lowercased()
        let numeric = Set("0123456789+-.e")
        var end = s.startIndex
        while end < s.endIndex, numeric.contains(s[end]) { end = s.index(after: end) }
        // Back off until the prefix parses ("5e" would not).
        while end > s.startIndex, Double(s[s.startIndex..<end]) == nil { end = s.index(before: end) }
        guard end > s.startIndex, let x = Double(s[s.startIndex..<end]), x.isFinite else {
            throw bad("'\(part)' is not a number")
        }
        let unit = String(s[end...]).trimmingSpaces
        if unit.isEmpty { return x }
        guard let scale = units[unit] else {
            let known = units.keys.filter { !$0.isEmpty }.sorted().joined(separator: ", ")
            throw bad("unknown unit '\(unit)'" + (known.isEmpty ? "" : " (expected \(known))"))
        }
        guard (x * scale).isFinite else { throw bad("'\(part)' is too large") }
        return x * scale
    }

    func quantity(_ units: [String: Double]) throws -> Double {
        try number(try required(), units)
    }

    func positive(_ units: [String: Double]) throws -> Double {
        let x = try quantity(units)
        guard x > 0 else { throw bad("must be positive") }
        return x
    }

    func nonNegative(_ units: [String: Double]) throws -> Double {
        let x = try quantity(units)
        guard x >= 0 else { throw bad("must not be negative") }
        return x
    }

    /// `a[@b]`.
    func pair(
        _ first: [String: Double], _ second: [String: Double],
        defaultSecond: Double?
    ) throws -> (Double, Double?) {
        let parts = try required().split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw bad("more than one '@'") }
        let a = try number(String(parts[0]), first)
        let b = parts.count == 2 ? try number(String(parts[1]), second) : defaultSecond
        return (a, b)
    }

    /// `lo-hi[unit]`, the unit applying to both.
    func range(_ units: [String: Double]) throws -> (Double, Double) {
        let s = try required()
        // The first '-' after the low edge's first character that is no exponent's sign
        // ("1e-05-3400hz").
        let dashes = s.indices.dropFirst().filter { s[$0] == "-" && !"eE".contains(s[s.index(before: $0)]) }
        guard let dash = dashes.first else { throw bad("expected low-high") }
        var loText = String(s[..<dash])
        let hiText = String(s[s.index(after: dash)...])
        // A unit written once at the end applies to the low edge too.
        if let unitStart = Self.unitStart(hiText), Self.unitStart(loText) == nil {
            loText += hiText[unitStart...]
        }
        let lo = try number(loText, units)
        let hi = try number(hiText, units)
        guard lo > 0, hi > lo else { throw bad("need 0 < low < high") }
        return (lo, hi)
    }

    /// Where the unit of `text` begins: its first letter that is not an exponent's `e`
    /// (`3e3hz` → `hz`), or `nil` when it has none.
    static func unitStart(_ text: String) -> String.Index? {
        text.indices.first { i in
            guard text[i].isLetter else { return false }
            guard "eE".contains(text[i]), i > text.startIndex else { return true }
            let before = text[text.index(before: i)]
            return !(before.isNumber || before == ".")
        }
    }

    /// `delay[ms][@gain[db]]` taps separated by `/`.
    func echoTaps() throws -> [EchoTap] {
        let taps = try required().split(separator: "/", omittingEmptySubsequences: false)
        return try taps.map { tap in
            let parts = tap.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw bad("more than one '@' in a tap") }
            let ms = try number(String(parts[0]), ["ms": 1, "s": 1000])
            guard ms > 0 else { throw bad("echo delay must be positive") }
            let db = parts.count == 2 ? try number(String(parts[1]), ["db": 1]) : -6
            return EchoTap(delayMilliseconds: ms, gainDB: db)
        }
    }

    /// `NxL[ms][@level[db]]`.
    func bursts(defaultLevel: Double?) throws -> (Int, Double, Double?) {
        let s = try required().lowercased()
        let at = s.split(separator: "@", omittingEmptySubsequences: false)
        guard at.count <= 2 else { throw bad("more than one '@'") }
        let nx = at[0].split(separator: "x", maxSplits: 1)
        guard nx.count == 2, let n = Int(nx[0].trimmingSpaces), n >= 0 else {
            throw bad("expected count x length, e.g. 3x20ms")
        }
        let ms = try number(String(nx[1]), ["ms": 1, "s": 1000])
        guard ms >= 0 else { throw bad("length must not be negative") }
        let db = at.count == 2 ? try number(String(at[1]), ["db": 1]) : defaultLevel
        return (n, ms, db)
    }

    func unsigned() throws -> UInt64 {
        guard let x = UInt64(try required().trimmingSpaces) else {
            throw bad("expected an unsigned 64-bit integer")
        }
        return x
    }
}
