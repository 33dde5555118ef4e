/// ITA2 / US-TTY Baudot code with LTRS and FIGS shifts, for RTTY.
///
///     var rx = BaudotDecoder()
///     rx.decode(0x1B)   // FIGS → nil
///     rx.decode(0x17)   // "1"
public enum Baudot {
    static let ltrsCode: UInt8 = 0x1F
    static let figsCode: UInt8 = 0x1B
    /// Letters shift, indexed by the 5-bit code (first bit sent = bit 0). NUL and shifts are "\0".
    static let letters: [Character] = [
        "\0", "E", "\n", "A", " ", "S", "I", "U", "\r", "D", "R", "J", "N", "F", "C", "K",
        "T", "Z", "L", "W", "H", "Y", "P", "Q", "O", "B", "G", "\0", "M", "X", "V", "\0"
    ]
    /// Figures shift (US TTY).
    static let figures: [Character] = [
        "\0", "3", "\n", "-", " ", "\u{07}", "8", "7", "\r", "$", "4", "'", ",", "!", ":", "(",
        "5", "\"", ")", "2", "#", "6", "0", "1", "9", "?", "&", "\0", ".", "/", ";", "\0"
    ]

    /// Codes for `text`, inserting LTRS/FIGS shifts as needed (starting with LTRS).
    public static func encode(_ text: String) throws(ProtocolError) -> [UInt8] {
        var out: [UInt8] = [ltrsCode]
        var figs = false
        for scalar in text.uppercased().unicodeScalars {
            let ch = Character(scalar)
            if let i = letters.firstIndex(of: ch), ch != "\0" {
                let shared = figures[i] == ch
                if figs && !shared { out.append(ltrsCode); figs = false }
                out.append(UInt8(i))
            } else if let i = figures.firstIndex(of: ch), ch != "\0" {
                if !figs { out.append(figsCode); figs = true }
                out.append(UInt8(i))
            } else {
                throw .unencodable("'\(ch)' in Baudot")
            }
        }
        return out
    }
}

/// Stateful Baudot decoder (the shift persists between characters).
public struct BaudotDecoder: Sendable {
    /// Whether the decoder is in figures shift (after FIGS) rather than letters (after LTRS).
    public private(set) var figures = false
    /// A decoder starting in letters shift.
    public init() {}

    /// The character for a 5-bit code, or `nil` for shifts and NUL.
    public mutating func decode(_ code: UInt8) -> Character? {
        let c = Int(code & 0x1F)
        if UInt8(c) == Baudot.ltrsCode { figures = false; return nil }
        if UInt8(c) == Baudot.figsCode { figures = true; return nil }
        let ch = figures ? Baudot.figures[c] : Baudot.letters[c]
        return ch == "\0" ? nil : ch
    }
}
