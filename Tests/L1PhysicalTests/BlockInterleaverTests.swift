import Testing

@testable import L1Physical

/// The row–column interleaver: its order, round trips of any length, and bursts scattered.
@Suite struct BlockInterleaverTests {
    @Test func readsColumnByColumn() throws {
        let il = try BlockInterleaver(rows: 3, columns: 4)
        #expect(il.interleave(Array(0..<12)) == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
    }

    /// A short last row is skipped, so the length is kept.
    @Test func prunedBlock() throws {
        let il = try BlockInterleaver(rows: 3, columns: 4, count: 10)
        #expect(il.interleave(Array(0..<10)) == [0, 4, 8, 1, 5, 9, 2, 6, 3, 7])
    }

    @Test(arguments: [0, 1, 7, 100, 1001]) func roundTripsSoftValues(count: Int) throws {
        let il = BlockInterleaver.fitting(count: count, rows: 16)
        let soft = (0..<count).map { Float($0) * 0.5 - 3 }
        #expect(il.deinterleave(il.interleave(soft)) == soft)
        #expect(il.count == count)
    }

    @Test func refusesWrongLength() throws {
        let il = try BlockInterleaver(rows: 4, columns: 4)
        #expect(il.deinterleave([Float](repeating: 0, count: 15)) == nil)
        #expect(throws: FECError.self) { try BlockInterleaver(rows: 2, columns: 2, count: 5) }
    }

    /// A burst of `rows` consecutive symbols on the air lands `columns` apart.
    @Test func scattersABurst() throws {
        let il = BlockInterleaver.fitting(count: 1200, rows: 24)  // 24 × 50
        var air = il.interleave([Bool](repeating: false, count: 1200))
        for i in 300..<324 { air[i] = true }
        let back = try #require(il.deinterleave(air))
        let hits = back.indices.filter { back[$0] }
        #expect(hits.count == 24)
        let gaps = zip(hits.dropFirst(), hits).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 >= il.columns - 1 })
    }
}
