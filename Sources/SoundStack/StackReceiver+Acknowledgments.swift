import L4Transport

extension StackReceiver {
    /// Segments that arrived for `key` (duplicates included).
    public func segmentCount(_ key: StackConnectionKey) -> Int { connections[key]?.segments ?? 0 }

    /// What this station sends back for `key`: the SYN-ACK until a segment has acknowledged it,
    /// then an ACK with SACK blocks. nil before the peer's SYN is known.
    public func answer(_ key: StackConnectionKey, mss: Int) -> TCPSegment? {
        guard let c = connections[key] else { return nil }
        if c.ack != localInitialSequenceNumber + 1, let synAck = c.reassembler.synAck(mss: UInt16(clamping: mss)) {
            return synAck
        }
        return c.reassembler.acknowledgment()
    }
}
