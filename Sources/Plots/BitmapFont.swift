/// A 5×7 bitmap font for printable ASCII (32…126), with two descender rows for
/// g, j, p, q, y: each glyph is up to nine rows of five bits, bit 4 the leftmost
/// column. Characters outside ASCII are mapped to look-alikes (− to -, · to ., µ to u)
/// or drawn as `?`.
enum BitmapFont {
    static let columns = 5
    static let rows = 9
    /// Glyph rows for ASCII 32…126, two hex digits per row.
    static let data: [String] = [
        "00000000000000", "04040404000004", "0A0A0A00000000", "0A0A1F0A1F0A0A",  // space ! " #
        "040F140E051E04", "18190204081303", "0C12140815120D", "0C040800000000",  // $ % & '
        "02040808080402", "08040202020408", "0004150E150400", "0004041F040400",  // ( ) * +
        "00000000000C0408", "0000001F000000", "00000000000C0C", "00010204081000",  // , - . /
        "0E11131519110E",
        "040C040404040E", "0E11010204081F", "1F02040201110E",
        "02060A121F0202", "1F101E0101110E", "0608101E11110E", "1F010204080808",  // 4 5 6 7
        "0E11110E11110E", "0E11110F01020C", "000C0C000C0C00", "000C0C000C0408",  // 8 9 : ;
        "02040810080402", "00001F001F0000", "08040201020408", "0E110102040004",  // < = > ?
        "0E11010D15150E", "0E1111111F1111", "1E11111E11111E", "0E11101010110E",  // @ A B C
        "1C12111111121C", "1F10101E10101F", "1F10101E101010", "0E11101711110F",
        "1111111F111111", "0E04040404040E", "0702020202120C", "11121418141211",  // H I J K
        "1010101010101F", "111B1515111111", "11111915131111", "0E11111111110E",  // L M N O
        "1E11111E101010", "0E11111115120D", "1E11111E141211", "0F10100E01011E",  // P Q R S
        "1F040404040404", "1111111111110E", "11111111110A04", "1111111515150A",  // T U V W
        "11110A040A1111", "1111110A040404", "1F01020408101F", "0E08080808080E",  // X Y Z [
        "00100804020100", "0E02020202020E", "040A1100000000", "0000000000001F",  // \ ] ^ _
        "08040200000000", "00000E010F110F", "1010161911111E", "00000E1010110E",  // ` a b c
        "01010D1311110F", "00000E111F100E", "0609081C080808", "00000F1111110F010E",  // d e f g
        "10101619111111", "04000C0404040E",
        "02000602020202120C", "10101214181412",  // j k
        "0C04040404040E", "00001A15151111", "00001619111111", "00000E1111110E",  // l m n o
        "00001E1111111E1010", "00000F1111110F0101", "00001619101010", "00000E100E011E",  // p q r s
        "08081C08080906", "0000111111130D", "00001111110A04", "0000111115150A",  // t u v w
        "0000110A040A11", "0000111111110F010E", "00001F0204081F", "02040408040402",  // x y z {
        "04040404040404", "08040402040408", "00000815020000"  // | } ~
    ]

    /// Parsed glyph rows, 9 per glyph.
    static let glyphs: [[UInt8]] = data.map { hex in
        var rowsOut = [UInt8]()
        let chars = Array(hex.utf8)
        var i = 0
        while i + 1 < chars.count {
            rowsOut.append(UInt8(nibble(chars[i]) << 4 | nibble(chars[i + 1])))
            i += 2
        }
        while rowsOut.count < rows { rowsOut.append(0) }
        return rowsOut
    }

    private static func nibble(_ c: UInt8) -> Int {
        switch c {
        case 48...57: return Int(c) - 48
        case 65...70: return Int(c) - 55
        case 97...102: return Int(c) - 87
        default: return 0
        }
    }

    /// The nine rows of `ch`'s glyph.
    static func glyph(_ ch: Character) -> [UInt8] {
        let mapped: Character
        switch ch {
        case "−", "–", "—": mapped = "-"
        case "·", "•": mapped = "."
        case "µ", "μ": mapped = "u"
        case "×": mapped = "x"
        case "…": mapped = "~"
        default: mapped = ch
        }
        guard let v = mapped.asciiValue, v >= 32, v <= 126 else {
            return glyphs[Int(Character("?").asciiValue ?? 63) - 32]
        }
        return glyphs[Int(v) - 32]
    }

    /// Whether pixel (`col`, `row`) of `glyph` is set.
    @inline(__always)
    static func isSet(_ glyph: [UInt8], col: Int, row: Int) -> Bool {
        glyph[row] & UInt8(0x10 >> col) != 0
    }
}
