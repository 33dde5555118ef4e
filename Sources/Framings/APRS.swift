/// What an APRS packet says, read from an AX.25 frame's information field (and, for Mic-E, its
/// destination address): positions (plain, compressed and Mic-E), messages, status reports.
///
/// Read as the APRS 1.0.1 protocol reference lays the fields out; anything it does not
/// recognise is kept as the packet's type and comment, never guessed at.
///
///     let frame = try AX25Frame(tnc2: "N0CALL>APRS:!4903.50N/07201.75W-Test 001234")
///     let aprs = APRSPacket(frame)          // position 49.0583, -72.0292, symbol "/-"
public struct APRSPacket: Sendable, Hashable {
    /// What the packet carries.
    public enum Kind: String, Sendable, Hashable {
        /// A position report (with or without a timestamp, plain or compressed).
        case position
        /// A Mic-E position report (latitude in the destination address).
        case micE = "mic-e"
        /// A message to one station (or a bulletin).
        case message
        /// A status report.
        case status
        /// Any other data type; only the comment (the rest of the field) is given.
        case other
    }

    /// What the packet carries.
    public var kind: Kind
    /// Latitude in degrees, north positive.
    public var latitude: Double?
    /// Longitude in degrees, east positive.
    public var longitude: Double?
    /// Symbol table identifier and symbol code, e.g. `/>` (a car).
    public var symbol: String?
    /// Course in degrees and speed in knots, when the report has them.
    public var course: Int?
    public var speed: Int?
    /// The timestamp as sent (`092345z`, `234517h`, `092345/`).
    public var timestamp: String?
    /// Message: the addressee (trailing spaces removed), the text and the message number.
    public var addressee: String?
    public var message: String?
    public var messageNumber: String?
    /// The free text after the fields that were read.
    public var comment: String

    /// Reads `frame`'s information field; nil when the field is empty.
    public init?(_ frame: AX25Frame) {
        self.init(destination: frame.destination.callsign, info: frame.info)
    }

    /// Reads an information field; `destination` is the AX.25 destination callsign (Mic-E
    /// encodes the latitude there). Nil when the field is empty.
    public init?(destination: String, info: [UInt8]) {
        guard let type = info.first else { return nil }
        kind = .other
        comment = Self.text(info.dropFirst())
        switch type {
        case UInt8(ascii: "!"), UInt8(ascii: "="):
            readPosition(info[1...])
        case UInt8(ascii: "/"), UInt8(ascii: "@"):
            guard info.count >= 8 else { return }
            timestamp = Self.text(info[1..<8])
            readPosition(info[8...])
        case UInt8(ascii: ":"):
            readMessage(info[1...])
        case UInt8(ascii: ">"):
            kind = .status
        case 0x60, 0x27:
            readMicE(destination: destination, info: info)
        default:
            break
        }
    }

    /// The fields for JSON output, each key prefixed `aprs_`.
    public var fields: [String: String] {
        var f: [String: String] = ["aprs_type": kind.rawValue]
        if let latitude { f["aprs_latitude"] = Self.degrees(latitude) }
        if let longitude { f["aprs_longitude"] = Self.degrees(longitude) }
        if let symbol { f["aprs_symbol"] = symbol }
        if let course { f["aprs_course"] = String(course) }
        if let speed { f["aprs_speed_knots"] = String(speed) }
        if let timestamp { f["aprs_timestamp"] = timestamp }
        if let addressee { f["aprs_addressee"] = addressee }
        if let message { f["aprs_message"] = message }
        if let messageNumber { f["aprs_message_number"] = messageNumber }
        if !comment.isEmpty { f["aprs_comment"] = comment }
        return f
    }

    // MARK: - Reading

    /// A plain (`4903.50N/07201.75W-`) or compressed (`/5L!!<*e7>`…) position, then the comment.
    private mutating func readPosition(_ body: ArraySlice<UInt8>) {
        let b = Array(body)
        if b.count >= 19, let lat = Self.plainLatitude(b[0..<8]), let lon = Self.plainLongitude(b[9..<18]) {
            kind = .position
            latitude = lat
            longitude = lon
            symbol = Self.text([b[8], b[18]])
            comment = Self.text(b[19...])
            readCourseSpeed()
            return
        }
        // Compressed: the symbol table is `/`, `\`, an overlay letter A–Z or a–j (digits sent as
        // letters), never a digit, which is what tells it from a plain latitude.
        let table = b.first ?? 0
        let compressedTable =
            table == UInt8(ascii: "/") || table == UInt8(ascii: "\\")
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(table)
            || (UInt8(ascii: "a")...UInt8(ascii: "j")).contains(table)
        if b.count >= 13, compressedTable, let lat = Self.base91(b[1..<5]), let lon = Self.base91(b[5..<9]) {
            kind = .position
            latitude = 90 - Double(lat) / 380926
            longitude = -180 + Double(lon) / 190463
            symbol = Self.text([b[0], b[9]])
            comment = Self.text(b[13...])
        }
    }

    /// `CSE/SPD` at the start of a comment (both three digits).
    private mutating func readCourseSpeed() {
        let c = Array(comment.utf8)
        guard c.count >= 7, c[3] == UInt8(ascii: "/"),
            let cse = Int(Self.text(c[0..<3])), let spd = Int(Self.text(c[4..<7]))
        else { return }
        course = cse
        speed = spd
        comment = Self.text(c[7...])
    }

    /// `:ADDRESSEE:text{number` (the addressee padded to nine characters).
    private mutating func readMessage(_ body: ArraySlice<UInt8>) {
        let b = Array(body)
        guard b.count >= 10, b[9] == UInt8(ascii: ":") else { return }
        kind = .message
        addressee = Self.text(b[0..<9]).trimmingTrailingSpaces
        var text = Array(b[10...])
        while let last = text.last, last == 0x0D || last == 0x0A { text.removeLast() }
        // A message number is `{` and up to five letters or digits at the end.
        if let brace = text.lastIndex(of: UInt8(ascii: "{")) {
            let number = text[(brace + 1)...]
            let alnum = number.allSatisfy {
                (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0)
            }
            if (1...5).contains(number.count), alnum {
                messageNumber = Self.text(number)
                text = Array(text[..<brace])
            }
        }
        message = Self.text(text)
        comment = ""
    }

    /// Mic-E: latitude, N/S, the longitude offset and E/W in the six destination characters;
    /// longitude, speed, course and symbol in the information field.
    private mutating func readMicE(destination: String, info: [UInt8]) {
        let d = Array(destination.utf8)
        guard d.count == 6, info.count >= 9 else { return }
        var digits: [Int] = []
        for c in d {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits.append(Int(c) - 48)
            case UInt8(ascii: "A")...UInt8(ascii: "J"): digits.append(Int(c) - 65)
            case UInt8(ascii: "P")...UInt8(ascii: "Y"): digits.append(Int(c) - 80)
            case UInt8(ascii: "K"), UInt8(ascii: "L"), UInt8(ascii: "Z"): digits.append(0)  // position ambiguity
            default: return
            }
        }
        func high(_ i: Int) -> Bool { d[i] >= UInt8(ascii: "P") && d[i] <= UInt8(ascii: "Z") }
        let minutes = Double(digits[2] * 10 + digits[3]) + Double(digits[4] * 10 + digits[5]) / 100
        var lat = Double(digits[0] * 10 + digits[1]) + minutes / 60
        if !high(3) { lat = -lat }
        var deg = Int(info[1]) - 28
        if high(4) { deg += 100 }
        if (180...189).contains(deg) { deg -= 80 } else if (190...199).contains(deg) { deg -= 190 }
        var min = Int(info[2]) - 28
        if min >= 60 { min -= 60 }
        let hundredths = Int(info[3]) - 28
        var lon = Double(deg) + (Double(min) + Double(hundredths) / 100) / 60
        if high(5) { lon = -lon }
        guard (-90...90).contains(lat), (-180...180).contains(lon), (0...99).contains(hundredths) else { return }
        let sp = Int(info[4]) - 28, dc = Int(info[5]) - 28, se = Int(info[6]) - 28
        var knots = sp * 10 + dc / 10
        var heading = (dc % 10) * 100 + se
        if knots >= 800 { knots -= 800 }
        if heading >= 400 { heading -= 400 }
        kind = .micE
        latitude = lat
        longitude = lon
        speed = knots
        course = heading
        symbol = Self.text([info[8], info[7]])
        comment = Self.text(info[9...])
    }

    // MARK: - Helpers

    /// `DDMM.hhN`.
    static func plainLatitude(_ s: ArraySlice<UInt8>) -> Double? {
        plainCoordinate(s, degreeDigits: 2, limit: 90, positive: UInt8(ascii: "N"), negative: UInt8(ascii: "S"))
    }

    /// `DDDMM.hhW`.
    static func plainLongitude(_ s: ArraySlice<UInt8>) -> Double? {
        plainCoordinate(s, degreeDigits: 3, limit: 180, positive: UInt8(ascii: "E"), negative: UInt8(ascii: "W"))
    }

    /// Degrees in `degreeDigits` digits, minutes as `MM.hh` (spaces for ambiguous digits), then
    /// the hemisphere letter; nil unless every part is there and in range.
    static func plainCoordinate(
        _ s: ArraySlice<UInt8>, degreeDigits n: Int, limit: Int, positive: UInt8, negative: UInt8
    ) -> Double? {
        let t = Array(s)
        guard t.count == n + 6, t[n + 2] == UInt8(ascii: "."), let degrees = Int(text(t[0..<n])),
            let minutes = Double(text(t[n..<(n + 5)]).replacingSpacesWithZeros),
            t[n + 5] == positive || t[n + 5] == negative, degrees <= limit, minutes < 60
        else { return nil }
        let v = Double(degrees) + minutes / 60
        return t[n + 5] == negative ? -v : v
    }

    /// Four base-91 digits (characters 33…123).
    static func base91(_ s: ArraySlice<UInt8>) -> Int? {
        var v = 0
        for c in s {
            guard (33...123).contains(c) else { return nil }
            v = v * 91 + Int(c) - 33
        }
        return v
    }

    static func text<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        AX25Frame.printable(Array(bytes))
    }

    /// Degrees with six decimals (about 0.1 m).
    static func degrees(_ v: Double) -> String {
        let scaled = (v * 1_000_000).rounded()
        let sign = scaled < 0 ? "-" : ""
        let whole = Int(abs(scaled)) / 1_000_000, fraction = Int(abs(scaled)) % 1_000_000
        let digits = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: 6 - digits.count) + digits
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }

    /// Position ambiguity sends spaces for the last digits.
    fileprivate var replacingSpacesWithZeros: String {
        String(map { $0 == " " ? "0" : $0 })
    }
}
