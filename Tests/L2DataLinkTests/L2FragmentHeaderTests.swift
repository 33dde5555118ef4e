import L2DataLink
import Testing

/// Fragment 2 of 7 of message 0x0102, carrying 3 bytes, then 2 bytes of padding.
let fragmentBytes: [UInt8] = [0x01, 0x02, 0x00, 0x02, 0x00, 0x07, 0x00, 0x03, 0xAA, 0xBB, 0xCC, 0x00, 0x00]
let fragmentHeader = L2FragmentHeader(messageID: 0x0102, index: 2, count: 7, length: 3)

@Suite struct L2FragmentHeaderTests {
    @Test func deconstruct() throws {
        let (header, data) = try L2FragmentHeader.parse(fragmentBytes[...])
        #expect(header.messageID == 0x0102)
        #expect(header.index == 2)
        #expect(header.count == 7)
        #expect(header.length == 3)
        #expect(Array(data) == [0xAA, 0xBB, 0xCC])  // padding dropped
    }

    @Test func construct() {
        var bytes: [UInt8] = []
        fragmentHeader.emit(into: &bytes)
        #expect(bytes == Array(fragmentBytes.prefix(8)))
    }

    @Test func parseFromASliceNotStartingAtZero() throws {
        let frame = [UInt8](repeating: 0x55, count: 14) + fragmentBytes
        let (header, data) = try L2FragmentHeader.parse(frame[14...])
        #expect(header == fragmentHeader)
        #expect(Array(data) == [0xAA, 0xBB, 0xCC])
    }

    @Test func bogusHeadersAreRejected() {
        #expect(throws: DataLinkError.fragmentHeaderTruncated(length: 7)) {
            try L2FragmentHeader.parse(fragmentBytes.prefix(7))
        }
        var zeroCount = fragmentBytes
        zeroCount[4] = 0; zeroCount[5] = 0
        #expect(throws: DataLinkError.fragmentCountInvalid(count: 0, limit: 65535)) {
            try L2FragmentHeader.parse(zeroCount[...])
        }
        var badIndex = fragmentBytes
        badIndex[3] = 7
        #expect(throws: DataLinkError.fragmentIndexOutOfRange(index: 7, count: 7)) {
            try L2FragmentHeader.parse(badIndex[...])
        }
        var badLength = fragmentBytes
        badLength[6] = 0xFF; badLength[7] = 0xFF
        #expect(throws: DataLinkError.fragmentLengthInvalid(length: 65535, available: 5)) {
            try L2FragmentHeader.parse(badLength[...])
        }
    }
}
