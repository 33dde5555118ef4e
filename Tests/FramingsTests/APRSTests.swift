import Testing

@testable import Framings

/// APRS fields from the examples of the APRS 1.0.1 protocol reference, and a Mic-E packet built
/// by hand from its encoding rules.
@Suite struct APRSTests {
    static func packet(_ tnc2: String) throws -> APRSPacket {
        try #require(APRSPacket(try AX25Frame(tnc2: tnc2)))
    }

    @Test func plainPositionWithoutTimestamp() throws {
        let p = try Self.packet("N0CALL>APRS:!4903.50N/07201.75W-Test 001234")
        #expect(p.kind == .position)
        #expect(p.fields["aprs_latitude"] == "49.058333")
        #expect(p.fields["aprs_longitude"] == "-72.029167")
        #expect(p.symbol == "/-")
        #expect(p.comment == "Test 001234")
        #expect(p.timestamp == nil)
    }

    @Test func positionWithTimestampCourseAndSpeed() throws {
        let p = try Self.packet("N0CALL>APRS:@092345z4903.50N/07201.75W>088/036")
        #expect(p.kind == .position)
        #expect(p.timestamp == "092345z")
        #expect(p.symbol == "/>")
        #expect(p.course == 88)
        #expect(p.speed == 36)
        #expect(p.comment == "")
        #expect(p.fields["aprs_course"] == "88" && p.fields["aprs_speed_knots"] == "36")
    }

    @Test func southernAndEasternHemispheres() throws {
        let p = try Self.packet("VK2XYZ>APRS:=3352.10S/15112.60E#digi")
        #expect(abs((p.latitude ?? 0) + 33.868333) < 1e-6)
        #expect(abs((p.longitude ?? 0) - 151.21) < 1e-6)
        #expect(p.symbol == "/#")
    }

    @Test func compressedPosition() throws {
        let p = try Self.packet("N0CALL>APRS:!/5L!!<*e7>7P[")
        #expect(p.kind == .position)
        #expect(abs((p.latitude ?? 0) - 49.5) < 1e-4)
        #expect(abs((p.longitude ?? 0) + 72.75) < 1e-4)
        #expect(p.symbol == "/>")
    }

    @Test func messageWithNumber() throws {
        let p = try Self.packet("N0CALL>APRS::WU2Z     :Testing{003")
        #expect(p.kind == .message)
        #expect(p.addressee == "WU2Z")
        #expect(p.message == "Testing")
        #expect(p.messageNumber == "003")
        #expect(p.fields["aprs_addressee"] == "WU2Z")
    }

    @Test func messageNumberEndsAtALineEnd() {
        let p = APRSPacket(destination: "APRS", info: Array(":KV4P-7   :test{65\r".utf8))
        #expect(p?.messageNumber == "65")
        #expect(p?.message == "test")
    }

    @Test func messageWithoutNumber() throws {
        let p = try Self.packet("N0CALL>APRS::BLN1     :Snow expected")
        #expect(p.addressee == "BLN1")
        #expect(p.message == "Snow expected")
        #expect(p.messageNumber == nil)
    }

    /// Destination S32U6T: 33° 25.64' N, no longitude offset, west. Information: `dIN` = 72° 45.50',
    /// `n"O` = 20 knots at 251° (with the +80 and +400 offsets the rules allow), then `>` `/`.
    @Test func micE() throws {
        let p = try Self.packet("N0CALL>S32U6T:`dINn\"O>/mobile")
        #expect(p.kind == .micE)
        #expect(abs((p.latitude ?? 0) - (33 + 25.64 / 60)) < 1e-6)
        #expect(abs((p.longitude ?? 0) + (72 + 45.50 / 60)) < 1e-6)
        #expect(p.speed == 20)
        #expect(p.course == 251)
        #expect(p.symbol == "/>")
        #expect(p.comment == "mobile")
        #expect(p.fields["aprs_type"] == "mic-e")
    }

    @Test func statusAndUnknownTypesKeepTheirText() throws {
        let s = try Self.packet("N0CALL>APRS:>Net control")
        #expect(s.kind == .status)
        #expect(s.comment == "Net control")
        let o = try Self.packet("N0CALL>APRS:}third party")
        #expect(o.kind == .other)
        #expect(o.comment == "third party")
        #expect(o.latitude == nil)
    }

    @Test func malformedPositionsAreNotGuessed() throws {
        for line in [
            "N0CALL>APRS:!4903.50X/07201.75W-", "N0CALL>APRS:!9903.50N/07201.75W-", "N0CALL>APRS:!49",
            "N0CALL>APRS:@0923",
            "N0CALL>S32U6:`dIN", "N0CALL>APRS::SHORT"
        ] {
            let p = try Self.packet(line)
            #expect(p.latitude == nil && p.longitude == nil, "\(line)")
        }
    }
}
