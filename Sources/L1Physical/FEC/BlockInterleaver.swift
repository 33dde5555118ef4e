/// Row–column block interleaver: written row by row, read column by column, so symbols that
/// were neighbours on the air are `columns` apart after deinterleaving, and a burst of up to `rows`
/// symbols becomes scattered errors the decoder can correct.
///
/// ```
///  written →      read ↓ column by column
///   0  1  2  3
///   4  5  6  7    0 4 8 | 1 5 9 | 2 6 10 | 3 7 11
///   8  9 10 11
/// ```
///
/// A block shorter than `rows × columns` leaves the last cells empty and they are skipped when
/// reading (a pruned interleaver), so the length never changes: ``fitting(count:rows:)`` sizes one
/// to a frame. Works on any element: hard bits, soft values, bytes.
///
/// ```swift
/// let il = BlockInterleaver.fitting(count: 1000, rows: 20)   // 20 × 50
/// let sent = il.interleave(codedBits)
/// let back = il.deinterleave(receivedLLRs)
/// ```
///
/// - Complexity: O(*n*) per block; the permutation is computed once, in O(rows × columns).
public struct BlockInterleaver: Sendable, Hashable {
    /// Rows of the matrix: the longest burst that is fully scattered.
    public let rows: Int
    /// Columns of the matrix: the spacing, after deinterleaving, of symbols adjacent on the air.
    public let columns: Int
    /// Symbols per block, at most `rows × columns`.
    public let count: Int
    /// `order[j]` is the index in the input of the `j`-th symbol sent.
    private let order: [Int]

    /// An interleaver of `rows × columns` cells for blocks of `count` symbols (all cells by default).
    ///
    /// - Throws: ``FECError/invalidParameters(_:)`` when a size is not positive or `count`
    ///   exceeds the cells.
    public init(rows: Int, columns: Int, count: Int? = nil) throws(FECError) {
        let n = count ?? rows * columns
        guard rows > 0, columns > 0, n >= 0, n <= rows * columns else {
            throw .invalidParameters("interleaver \(rows) × \(columns) cannot hold \(n) symbols")
        }
        self.init(valid: rows, columns, n)
    }

    /// The interleaver of `rows` rows and as many columns as `count` symbols need.
    public static func fitting(count: Int, rows: Int) -> BlockInterleaver {
        let n = max(0, count)
        let r = max(1, min(rows, max(1, n)))
        return BlockInterleaver(valid: r, max(1, (n + r - 1) / r), n)
    }

    /// Sizes already checked: rows, columns ≥ 1 and count ≤ rows × columns.
    private init(valid rows: Int, _ columns: Int, _ count: Int) {
        self.rows = rows
        self.columns = columns
        self.count = count
        var order: [Int] = []
        order.reserveCapacity(count)
        for c in 0..<columns {
            for r in 0..<rows where r * columns + c < count { order.append(r * columns + c) }
        }
        self.order = order
    }

    /// The symbols in the order they are sent.
    ///
    /// - Precondition: `symbols.count == count`; extra symbols are dropped, missing ones trap.
    public func interleave<T>(_ symbols: [T]) -> [T] {
        order.map { symbols[$0] }
    }

    /// The received symbols back in their original order; a block of the wrong length comes
    /// back `nil`.
    public func deinterleave<T>(_ symbols: [T]) -> [T]? {
        guard symbols.count == count, var out = symbols.first.map({ [T](repeating: $0, count: count) }) else {
            return symbols.isEmpty && count == 0 ? [] : nil
        }
        for (j, i) in order.enumerated() { out[i] = symbols[j] }
        return out
    }
}
