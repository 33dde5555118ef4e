/// The transport layer (OSI layer 4): UDP (RFC 768) and TCP (RFC 9293).
///
///     message ──► TCPSegmenter.connection(sending:) ──► [SYN, ACK|PSH …, FIN] ──► emit(pseudoHeader:) ──► L3
///     L3 ──► TCPSegment.parse(_:pseudoHeader:) ──► TCPReassembler.accept ──► read() / missing / acknowledgment()
///
/// Checksums cover a pseudo-header borrowed from the network layer; `PseudoHeader` carries it as
/// plain values (address bytes, protocol number, length), so this layer imports nothing from L3.
/// Sequence numbers are `SequenceNumber`s compared modulo 2^32. Every failure is a `TransportError`
/// naming the bad value.
public enum L4TransportModule {
    /// The module's name, "L4Transport".
    public static let name = "L4Transport"
}
