import SignalBasics
import Testing

@testable import L2DataLink

// A message that never completed, put together from good fragments, damaged ones and gaps:
// only message bytes (no fragment header, no padding), each fragment at its offset.

@Suite struct L2PartialMessageTests {
    /// 1000 bytes in ten fragments of 100, as payloads (fragment header first).
    static func fragments(_ message: [UInt8]) throws -> [[UInt8]] {
        var segmenter = L2Segmenter(firstMessageID: 5, fragmentData: 100)
        return try segmenter.segment(message)
    }

    static func message(_ count: Int = 1000) -> [UInt8] {
        var rng = SeededGenerator(seed: 3)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    /// `payload` with the data bytes at `offsets` (after the 8-byte header) inverted.
    static func damage(_ payload: [UInt8], at offsets: [Int]) -> [UInt8] {
        var p = payload
        for o in offsets { p[L2FragmentHeader.length + o] ^= 0xFF }
        return p
    }

    @Test func damagedFragmentSitsAtItsOffsetWithoutHeader() throws {
        let message = Self.message()
        let parts = try Self.fragments(message)
        var r = L2Reassembler()
        for (i, p) in parts.enumerated() {
            if i == 3 {
                let kept = r.receiveDamaged(Self.damage(p, at: [0, 50, 99])[...], from: .zero)
                #expect(kept)
            } else {
                _ = try r.receive(p)
            }
        }
        let (missing, partial) = r.finishKeepingDamage()
        #expect(missing.map(\.missing) == [[3]])
        let p = try #require(partial.first)
        #expect(partial.count == 1)
        #expect(p.bytes.count == message.count)
        let differ = zip(p.bytes, message).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        #expect(differ == [300, 350, 399])
        #expect(p.damaged == [300..<400])
        #expect(p.damagedFragments == [3])
        #expect(p.missing.isEmpty && p.missingFragments.isEmpty)
        #expect(r.bytesInFlight == 0 && r.messagesInFlight == 0)
    }

    @Test func missingFragmentIsZeroBytesAndMissingLastAddsNone() throws {
        let message = Self.message()
        let parts = try Self.fragments(message)
        var r = L2Reassembler()
        for (i, p) in parts.enumerated() where i != 4 && i != 9 { _ = try r.receive(p) }
        let p = try #require(r.finishKeepingDamage().partial.first)
        #expect(p.bytes.count == 900)
        #expect(p.bytes[400..<500].allSatisfy { $0 == 0 })
        #expect(Array(p.bytes[0..<400]) == Array(message[0..<400]))
        #expect(Array(p.bytes[500..<900]) == Array(message[500..<900]))
        #expect(p.missing == [400..<500])
        #expect(p.missingFragments == [4, 9])
        #expect(p.damaged.isEmpty)
    }

    @Test func goodCopyReplacesDamagedOneAndCompletes() throws {
        let message = Self.message()
        let parts = try Self.fragments(message)
        var r = L2Reassembler()
        r.receiveDamaged(Self.damage(parts[2], at: [7])[...])
        var completed: [UInt8]?
        for p in parts {
            if case .completed(_, let m) = try r.receive(p) { completed = m }
        }
        #expect(completed == message)
        #expect(r.bytesInFlight == 0)
        #expect(r.finishKeepingDamage().partial.isEmpty)
    }

    @Test func damagedLastFragmentKeepsItsLength() throws {
        let message = Self.message(950)
        let parts = try Self.fragments(message)
        var r = L2Reassembler()
        for (i, p) in parts.enumerated() {
            if i == parts.count - 1 { r.receiveDamaged(Self.damage(p, at: [0])[...]) } else { _ = try r.receive(p) }
        }
        let p = try #require(r.finishKeepingDamage().partial.first)
        #expect(p.bytes.count == 950)
        #expect(p.damaged == [900..<950])
    }

    @Test func unreadableDamagedHeaderLeavesAGap() throws {
        let parts = try Self.fragments(Self.message())
        var r = L2Reassembler()
        var bad = parts[1]
        bad[4] = 0
        bad[5] = 0  // fragment count 0: not a header
        let kept = r.receiveDamaged(bad[...])
        #expect(!kept)
        for (i, p) in parts.enumerated() where i != 1 { _ = try r.receive(p) }
        let p = try #require(r.finishKeepingDamage().partial.first)
        #expect(p.bytes.count == 1000)
        #expect(p.missing == [100..<200])
    }

    @Test func withoutKeepingNothingIsHeld() throws {
        let parts = try Self.fragments(Self.message())
        var r = L2Reassembler()
        _ = try r.receive(parts[0])
        #expect(r.finish().map(\.missing) == [Array(1..<10)])
        #expect(r.finishKeepingDamage().partial.isEmpty)
    }
}
