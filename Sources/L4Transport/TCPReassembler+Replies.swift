extension TCPReassembler {
    /// The SYN-ACK answering the peer's SYN, or `nil` before a SYN has been seen.
    ///
    /// It announces our MSS and SACK-permitted (so the sender may learn exactly what to resend).
    public func synAck(mss: UInt16 = 536) -> TCPSegment? {
        guard synSeen, let isn = peerInitialSequenceNumber, let local = localPort, let remote = remotePort else {
            return nil
        }
        return TCPSegment(
            header: TCPHeader(
                sourcePort: local, destinationPort: remote, sequenceNumber: localInitialSequenceNumber,
                acknowledgmentNumber: isn + 1, flags: [.syn, .ack], window: advertisedWindow,
                options: [.maximumSegmentSize(mss), .noOperation, .noOperation, .sackPermitted]))
    }

    /// A cumulative ACK for everything delivered in order, with SACK blocks (RFC 2018) for the
    /// ranges held beyond a gap: the block holding the latest arrival first, then the others in
    /// order, at most four. `nil` until the peer's ISN is known.
    public func acknowledgment() -> TCPSegment? {
        guard let ack = nextExpected, let local = localPort, let remote = remotePort else { return nil }
        var options: [TCPOption] = []
        let blocks = sackBlocks()
        if !blocks.isEmpty { options = [.noOperation, .noOperation, .sack(blocks)] }
        return TCPSegment(
            header: TCPHeader(
                sourcePort: local, destinationPort: remote, sequenceNumber: localInitialSequenceNumber + 1,
                acknowledgmentNumber: ack, flags: .ack, window: advertisedWindow, options: options))
    }

    /// SACK blocks for the out-of-order data, most recent first, at most `limit`.
    public func sackBlocks(limit: Int = 4) -> [SACKBlock] {
        guard let isn = peerInitialSequenceNumber else { return [] }
        var ranges = receivedOutOfOrder
        if let latest = lastArrivalRange, let i = ranges.firstIndex(where: { $0.overlaps(latest) }) {
            ranges.insert(ranges.remove(at: i), at: 0)
        }
        return ranges.prefix(limit).map { SACKBlock(left: isn + 1 + $0.lowerBound, right: isn + 1 + $0.upperBound) }
    }

    /// Stream offsets described by SACK blocks, relative to the peer's ISN (for a sender deciding
    /// what not to resend).
    public static func offsets(of blocks: [SACKBlock], initialSequenceNumber isn: SequenceNumber) -> [Range<Int>] {
        blocks.compactMap {
            let lo = $0.left - (isn + 1), hi = $0.right - (isn + 1)
            return lo <= hi ? lo..<hi : nil
        }
    }

    private var advertisedWindow: UInt16 { UInt16(clamping: receiveWindow) }
}
