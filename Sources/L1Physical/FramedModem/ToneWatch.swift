/// A ``ToneGate`` on a stream cut any way (a sound card's blocks, a file reader's): the samples
/// go through ``AudioChunks`` so the gate always sees whole blocks, and each mode's strongest
/// statistic since the last ``take()`` is remembered.
///
///     var watch = ToneWatch(modes: [.bell202], sampleRate: 48000)
///     if watch.add(block) { … }      // some mode was present in this block
///     watch.take()                    // [(bell202, 3.2)]: heard since the last take, strongest first
public struct ToneWatch: Sendable {
    /// The gate itself.
    public private(set) var gate: ToneGate
    private var chunks: AudioChunks
    /// Per mode of the gate: its strongest statistic over threshold since ``take()``, or 0.
    private var strongest: [Double]

    /// Watches `modes` at `sampleRate` with a gate of the default tuning.
    public init(modes: [Mode], sampleRate: Double) {
        gate = ToneGate(modes: modes, sampleRate: sampleRate)
        chunks = AudioChunks(chunkLength: gate.blockLength, keeping: 0)
        strongest = Array(repeating: 0, count: modes.count)
    }

    /// Takes the next samples; returns whether any mode was present after any gate block of them.
    public mutating func add(_ samples: UnsafeBufferPointer<Float>) -> Bool {
        var heard = false
        var i = 0
        while i < samples.count {
            i = chunks.stage(samples, from: i)
            guard chunks.isFull else { break }
            chunks.withChunk { gate.analyse($0) }
            chunks.advance()
            for m in gate.present.indices where gate.present[m] {
                strongest[m] = max(strongest[m], gate.strength[m])
                heard = true
            }
        }
        return heard
    }

    /// The modes present since the last call, strongest first, each with its strongest
    /// statistic over its threshold (≥ 1); forgets them.
    public mutating func take() -> [(mode: Mode, strength: Double)] {
        let heard = strongest.indices.filter { strongest[$0] > 0 }.sorted { strongest[$0] > strongest[$1] }
        defer { strongest = Array(repeating: 0, count: strongest.count) }
        return heard.map { (gate.modes[$0], strongest[$0]) }
    }
}
