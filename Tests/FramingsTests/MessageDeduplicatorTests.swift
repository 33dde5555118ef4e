import Testing

@testable import Framings

/// The copies of one frame that several slicers find come out once; only the copy kept is built.
@Suite struct MessageDeduplicatorTests {
    static func message(_ bytes: [UInt8], at sample: Int, _ status: HDLCFrame.Status) -> ProtocolMessage {
        ProtocolMessage(
            proto: .ax25, sample: sample, time: Double(sample), status: status, text: "", bytes: bytes, fields: [:])
    }

    /// Five copies within the hold build one message; a damaged copy is replaced by a good one
    /// (built then); a copy after delivery is dropped unbuilt; another frame is its own message.
    @Test func buildsOnlyTheCopiesItKeeps() {
        var copies = MessageDeduplicator(holdSamples: 100)
        var built = 0
        func offer(_ bytes: [UInt8], _ sample: Int, _ status: HDLCFrame.Status) {
            copies.offer(bytes, sample: sample, status: status) {
                built += 1
                return Self.message(bytes, at: sample, status)
            }
        }
        offer([1, 2, 3], 1000, .repaired)
        for k in 1...4 { offer([1, 2, 3], 1000 + k, .ok) }
        offer([4, 5], 1010, .ok)
        #expect(built == 3)
        #expect(copies.release(now: 1050, final: false).isEmpty)
        let out = copies.release(now: 1200, final: false)
        #expect(out.map(\.bytes) == [[1, 2, 3], [4, 5]])
        #expect(out.map(\.status) == [.ok, .ok])
        #expect(out.first?.sample == 1001)
        offer([1, 2, 3], 1090, .ok)
        #expect(built == 3)
        #expect(copies.release(now: 2000, final: true).isEmpty)
    }

    /// `add`: a good copy replaces a damaged one, a copy beyond the hold is a message of its own,
    /// an FX.25 copy of a good frame is dropped; released in time order.
    @Test func addMergesCopies() {
        let found = [
            Self.message([7], at: 10, .repaired), Self.message([7], at: 40, .ok), Self.message([8], at: 45, .ok),
            Self.message([7], at: 300, .ok), Self.message([8], at: 60, .fx25)
        ]
        var copies = MessageDeduplicator(holdSamples: 100)
        let out = copies.add(found, now: 500, final: false)
        #expect(out.map(\.bytes) == [[7], [8], [7]])
        #expect(out.map(\.sample) == [40, 45, 300])
        #expect(out.map(\.status) == [.ok, .ok, .ok])
        #expect(copies.add([], now: 500, final: true).isEmpty)
    }
}
