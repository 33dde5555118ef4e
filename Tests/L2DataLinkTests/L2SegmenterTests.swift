import L2DataLink
import Testing

@Suite struct L2SegmenterTests {
    @Test func splitsIntoFullFragmentsAndARemainder() throws {
        var segmenter = L2Segmenter(firstMessageID: 41)
        let message = (0..<10_000).map { UInt8(truncatingIfNeeded: $0) }
        let payloads = try segmenter.segment(message)
        #expect(payloads.count == 7)  // 6 × 1492 + 1048
        #expect(payloads.allSatisfy { $0.count <= EthernetFrame.mtu })
        #expect(payloads[0].count == 1500)
        #expect(payloads[6].count == 8 + 10_000 - 6 * 1492)
        #expect(Array(payloads[6].prefix(8)) == [0x00, 41, 0x00, 6, 0x00, 7, 0x04, 0x18])
        #expect(segmenter.nextMessageID == 42)
        // Every payload fits a frame.
        for p in payloads { _ = try EthernetFrame(destination: .broadcast, source: stationA, payload: p).emit() }
    }

    @Test func emptyMessageIsOneEmptyFragment() throws {
        var segmenter = L2Segmenter()
        #expect(try segmenter.segment([]) == [[0, 0, 0, 0, 0, 1, 0, 0]])
    }

    @Test func smallFragmentsAndIDWrap() throws {
        var segmenter = L2Segmenter(firstMessageID: 0xFFFF, fragmentData: 4)
        let payloads = try segmenter.segment([1, 2, 3, 4, 5, 6, 7, 8, 9])
        #expect(
            payloads == [
                [0xFF, 0xFF, 0, 0, 0, 3, 0, 4, 1, 2, 3, 4],
                [0xFF, 0xFF, 0, 1, 0, 3, 0, 4, 5, 6, 7, 8],
                [0xFF, 0xFF, 0, 2, 0, 3, 0, 1, 9]
            ])
        #expect(segmenter.nextMessageID == 0)
        #expect(L2Segmenter(fragmentData: 0).fragmentData == 1)
        #expect(L2Segmenter(fragmentData: 9000).fragmentData == 1492)
    }

    @Test func tooLongForTheCount() {
        var segmenter = L2Segmenter(fragmentData: 1)
        let message = [UInt8](repeating: 0, count: 65536)
        #expect(throws: DataLinkError.messageTooLong(length: 65536, limit: 65535)) { try segmenter.segment(message) }
    }
}
