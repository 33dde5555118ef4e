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

extension StackReceiver {
    /// Every connection this station has heard, oldest first.
    public var connectionKeys: [StackConnectionKey] {
        connections.sorted { $0.value.order < $1.value.order }.map(\.key)
    }

    /// Whether `key`'s whole stream has arrived: its FIN, and every byte before it.
    public func isComplete(_ key: StackConnectionKey) -> Bool {
        connections[key]?.reassembler.isComplete ?? false
    }

    /// Takes `key`'s stream up layers 4…7 as far as it goes (nil: no such connection). The
    /// connection stays, so a segment sent again is still answered.
    public mutating func finish(_ key: StackConnectionKey) -> StackResult? {
        guard var c = connections[key] else { return nil }
        let result = finish(key, &c)
        connections[key] = c
        return result
    }

    /// Forgets `key`: its next segment starts a new connection.
    public mutating func forget(_ key: StackConnectionKey) {
        connections[key] = nil
    }
}
