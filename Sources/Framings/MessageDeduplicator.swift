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
        for m in found { offer(m.bytes, sample: m.sample, status: m.status) { m } }
        return release(now: now, final: final)
    }

    /// Offers one copy of a message; `make` builds it only when it is kept. A copy is dropped
    /// when one within `holdSamples` is pending (unless that one is damaged and this one is
    /// good: it replaces it) or was delivered lately. Offering each message of `found` in turn
    /// and then releasing is ``add(_:now:final:)``, without building the dropped copies (most
    /// of them: several slicers find each frame).
    mutating func offer(
        _ bytes: [UInt8], sample: Int, status: HDLCFrame.Status, _ make: () -> ProtocolMessage
    ) {
        // By index, reading each pending message in place.
        for i in pending.indices where pending[i].bytes == bytes && abs(pending[i].sample - sample) < holdSamples {
            if pending[i].status != .ok && status == .ok { pending[i] = make() }
            return
        }
        for i in recent.indices where recent[i].bytes == bytes && abs(recent[i].sample - sample) < holdSamples {
            return
        }
        pending.append(make())
    }

    /// Offers one slicer's copy of an AX.25 frame: only the copy kept is parsed and printed
    /// (``Pipeline/ax25Message(_:sample:rate:)``).
    mutating func offer(ax25 frame: HDLCFrame, sample: Int, rate: Double) {
        offer(frame.bytes, sample: sample, status: frame.status) {
            Pipeline.ax25Message(frame, sample: sample, rate: rate)
        }
    }

    /// The messages no copy can still improve, in time order (all of them when `final`).
    mutating func release(now: Int, final: Bool) -> [ProtocolMessage] {
        let ready = pending.filter { final || now - $0.sample > holdSamples }
        pending.removeAll { final || now - $0.sample > holdSamples }
        recent = (recent + ready).filter { now - $0.sample < rememberSamples }
        return ready.sorted { $0.sample < $1.sample }
    }
}
