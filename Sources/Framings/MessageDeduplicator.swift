/// Merges copies of one message found by several slicers or demodulators, and holds messages
/// back until no slicer can still deliver a copy (a good copy replaces a damaged one).
struct MessageDeduplicator: Sendable {
    var pending: [ProtocolMessage] = []
    var recent: [ProtocolMessage] = []
    /// How far apart (samples) two copies of one message may be found.
    let holdSamples: Int
    /// How long (samples) a delivered message is remembered, to drop late copies (FX.25 ends
    /// up to a whole Reed–Solomon block after the plain AX.25 copy of the same frame).
    let rememberSamples: Int

    init(holdSamples: Int, rememberSamples: Int? = nil) {
        self.holdSamples = holdSamples
        self.rememberSamples = rememberSamples ?? holdSamples * 4
    }

    /// Adds what was found; returns the messages no copy can still improve, in time order.
    /// `now` is the sample the demodulators have reached; `final` releases everything.
    mutating func add(_ found: [ProtocolMessage], now: Int, final: Bool) -> [ProtocolMessage] {
        for m in found {
            if let i = pending.firstIndex(where: { $0.bytes == m.bytes && abs($0.sample - m.sample) < holdSamples }) {
                if pending[i].status != .ok && m.status == .ok { pending[i] = m }
                continue
            }
            if recent.contains(where: { $0.bytes == m.bytes && abs($0.sample - m.sample) < holdSamples }) { continue }
            pending.append(m)
        }
        let ready = pending.filter { final || now - $0.sample > holdSamples }
        pending.removeAll { final || now - $0.sample > holdSamples }
        recent = (recent + ready).filter { now - $0.sample < rememberSamples }
        return ready.sorted { $0.sample < $1.sample }
    }
}
