/// A stream of samples cut into chunks of one fixed length, with the last chunks kept: what a
/// receiver that starts its decoders only where a gate hears their tones needs, so a decoder
/// started late is first given the audio from just before it was started.
///
/// Samples are staged into the current chunk; once it is full the receiver works on it and
/// then calls ``advance()``, which moves it into the kept ring by swapping buffers (nothing is
/// copied). ``recent(_:)`` gives the last samples before the current chunk.
///
///     var chunks = AudioChunks(chunkLength: 4096, keeping: 24000)
///     var i = 0
///     while i < block.count {
///         i = chunks.stage(block, from: i)
///         guard chunks.isFull else { break }
///         chunks.withChunk { gate.analyse($0) }   // and feed the running decoders
///         chunks.advance()
///     }
///
/// - Complexity: one copy of each sample into its chunk; O(1) per chunk to keep it.
public struct AudioChunks: Sendable {
    /// Samples per chunk.
    public let chunkLength: Int
    /// Samples before the current chunk that ``recent(_:)`` can give (whole chunks, at least
    /// as many as asked for at init).
    public let capacity: Int
    /// Samples staged in the current chunk.
    public private(set) var staged = 0
    /// Absolute position (in samples since the start) of the current chunk's first sample.
    public private(set) var position = 0
    private var chunk: [Float]
    /// The kept chunks, oldest at `head` once the ring is full.
    private var ring: [[Float]]
    private var head = 0
    private var fill = 0

    /// - Parameters:
    ///   - chunkLength: samples per chunk (at least 1).
    ///   - keeping: how many samples before the current chunk to keep (rounded up to whole chunks).
    public init(chunkLength: Int, keeping: Int) {
        self.chunkLength = max(1, chunkLength)
        let chunks = (max(0, keeping) + self.chunkLength - 1) / self.chunkLength
        capacity = chunks * self.chunkLength
        chunk = [Float](repeating: 0, count: self.chunkLength)
        ring = Array(repeating: [Float](repeating: 0, count: self.chunkLength), count: chunks)
    }

    /// Whether the current chunk is complete.
    public var isFull: Bool { staged == chunkLength }

    /// Copies samples from `samples[start...]` into the current chunk, as many as fit.
    /// - Returns: the index in `samples` after the last one taken.
    public mutating func stage(_ samples: UnsafeBufferPointer<Float>, from start: Int) -> Int {
        let n = min(chunkLength - staged, samples.count - start)
        guard n > 0 else { return start }
        let at = staged
        chunk.withUnsafeMutableBufferPointer { c in
            _ = UnsafeMutableBufferPointer(rebasing: c[at..<(at + n)])
                .update(fromContentsOf: UnsafeBufferPointer(rebasing: samples[start..<(start + n)]))
        }
        staged += n
        return start + n
    }

    /// Runs `body` on the staged samples of the current chunk.
    public func withChunk<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try chunk.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<staged])) }
    }

    /// Ends the current chunk: a full one is kept (a partial one, at the end of the input, is
    /// not), and the next chunk starts empty after it.
    public mutating func advance() {
        if staged == chunkLength, !ring.isEmpty {
            swap(&chunk, &ring[head])
            head = (head + 1) % ring.count
            fill = min(ring.count, fill + 1)
        }
        position += staged
        staged = 0
    }

    /// The last `count` samples before the current chunk, or as many as are kept.
    public func recent(_ count: Int) -> [Float] {
        let back = min(max(0, count), fill * chunkLength)
        var out = [Float](repeating: 0, count: back)
        // The newest kept chunk is just before `head`; fill `out` from its end backwards.
        var filled = 0
        var slot = head
        out.withUnsafeMutableBufferPointer { o in
            while filled < back {
                slot = (slot - 1 + ring.count) % ring.count
                let n = min(chunkLength, back - filled)
                let to = back - filled - n
                ring[slot].withUnsafeBufferPointer { r in
                    _ = UnsafeMutableBufferPointer(rebasing: o[to..<(to + n)])
                        .update(fromContentsOf: UnsafeBufferPointer(rebasing: r[(chunkLength - n)..<chunkLength]))
                }
                filled += n
            }
        }
        return out
    }
}
