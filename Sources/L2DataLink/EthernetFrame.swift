import Checksums

/// An Ethernet II frame as a value: addresses, EtherType and payload.
///
///     let frame = EthernetFrame(destination: .broadcast, source: me,
///                               etherType: .localExperimental1, payload: Array("hi".utf8))
///     let bytes = try frame.emit()                 // 64 bytes: padded, FCS appended
///     let back = try EthernetFrame.parse(bytes)    // payload: "hi" + 44 zero bytes
///
/// **Padding.** `emit()` pads a payload shorter than 46 bytes with zeros. Ethernet II
/// has no length field, so a receiver cannot tell padding from data: `parse` keeps
/// the padded payload, and the layer above trims it with its own length field (the
/// IPv4 total length, the ``L2FragmentHeader`` fragment length, …).
///
/// **FCS.** The CRC-32 of IEEE 802.3 over destination…payload, appended least
/// significant byte first, as on the wire and in captures that carry the FCS.
public struct EthernetFrame: Sendable, Hashable {
    /// The station the frame is for (unicast, multicast or broadcast).
    public var destination: MACAddress
    /// The station that sent the frame.
    public var source: MACAddress
    /// What the payload is (IPv4, ARP, …).
    public var etherType: EtherType
    /// The payload; after `parse`, including any padding (see the type's discussion).
    public var payload: [UInt8]

    /// A frame from its fields; `emit` pads the payload to 46 bytes and appends the FCS.
    public init(
        destination: MACAddress, source: MACAddress,
        etherType: EtherType = .localExperimental1, payload: [UInt8]
    ) {
        self.destination = destination
        self.source = source
        self.etherType = etherType
        self.payload = payload
    }

    // MARK: Sizes and field offsets

    /// Destination address: bytes 0..<6.
    public static let destinationField = 0..<6
    /// Source address: bytes 6..<12.
    public static let sourceField = 6..<12
    /// EtherType, big-endian: bytes 12..<14.
    public static let etherTypeField = 12..<14
    /// The payload starts here.
    public static let payloadOffset = 14
    /// The header: destination, source, EtherType.
    public static let headerLength = 14
    /// The frame check sequence at the end of the frame.
    public static let fcsLength = 4
    /// The largest payload (the MTU).
    public static let mtu = 1500
    /// The smallest payload; shorter ones are zero-padded.
    public static let minimumPayload = 46
    /// The smallest frame, FCS included (14 + 46 + 4).
    public static let minimumFrameLength = 64
    /// The largest frame, FCS included (14 + 1500 + 4).
    public static let maximumFrameLength = 1518

    // MARK: Emit

    /// The number of bytes `emit()` produces: header, padded payload, FCS.
    public var emittedLength: Int {
        Self.headerLength + max(payload.count, Self.minimumPayload) + Self.fcsLength
    }

    /// The frame on the wire: header, payload padded to 46 bytes, FCS.
    /// - Throws: ``DataLinkError/payloadTooLong(length:mtu:)`` above 1500 bytes.
    public func emit() throws -> [UInt8] {
        var out: [UInt8] = []
        try emit(into: &out)
        return out
    }

    /// Appends the frame on the wire to `buffer` (see ``emit()``).
    public func emit(into buffer: inout [UInt8]) throws {
        guard payload.count <= Self.mtu else {
            throw DataLinkError.payloadTooLong(length: payload.count, mtu: Self.mtu)
        }
        let start = buffer.count
        buffer.reserveCapacity(start + emittedLength)
        for i in 0..<6 { buffer.append(destination[octet: i]) }
        for i in 0..<6 { buffer.append(source[octet: i]) }
        buffer.append(UInt8(etherType.rawValue >> 8))
        buffer.append(UInt8(etherType.rawValue & 0xFF))
        buffer.append(contentsOf: payload)
        if payload.count < Self.minimumPayload {
            buffer.append(contentsOf: repeatElement(0, count: Self.minimumPayload - payload.count))
        }
        let fcs = CRC32.checksum(buffer[start...])
        Self.appendFCS(fcs, to: &buffer)
    }

    /// Appends `fcs` least significant byte first, as IEEE 802.3 transmits it.
    @inlinable public static func appendFCS(_ fcs: UInt32, to buffer: inout [UInt8]) {
        buffer.append(UInt8(truncatingIfNeeded: fcs))
        buffer.append(UInt8(truncatingIfNeeded: fcs >> 8))
        buffer.append(UInt8(truncatingIfNeeded: fcs >> 16))
        buffer.append(UInt8(truncatingIfNeeded: fcs >> 24))
    }

    // MARK: Parse

    /// The frame in `bytes` (destination … FCS), after checking its length and FCS.
    ///
    /// The payload keeps any padding: it is everything between the EtherType and the FCS.
    /// - Throws: ``DataLinkError/runt(length:)`` below 64 bytes,
    ///   ``DataLinkError/tooLong(length:)`` above 1518,
    ///   ``DataLinkError/fcsMismatch(expected:received:)`` when the CRC disagrees.
    public static func parse<C: Collection>(_ bytes: C) throws -> EthernetFrame where C.Element == UInt8 {
        let view = EthernetFrameView(Array(bytes))
        if let error = view.validationError { throw error }
        guard let destination = view.destination, let source = view.source,
            let etherType = view.etherType, let payload = view.payload
        else {
            throw DataLinkError.runt(length: view.bytes.count)  // unreachable after validation
        }
        return EthernetFrame(
            destination: destination, source: source,
            etherType: etherType, payload: Array(payload))
    }
}

/// The raw bytes of a received frame (destination … FCS) with read accessors that
/// never trap: each returns `nil` when the bytes are too short to hold its field.
/// This is how a damaged frame can still be described (who sent it, to whom).
public struct EthernetFrameView: Sendable, Hashable {
    /// The bytes as received, FCS included.
    public let bytes: [UInt8]

    /// A view of received bytes; nothing is checked until a field is read.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The number of bytes received.
    public var length: Int { bytes.count }

    /// The destination address, or nil when fewer than 6 bytes arrived.
    public var destination: MACAddress? {
        bytes.count >= 6 ? MACAddress(bytes: bytes[EthernetFrame.destinationField]) : nil
    }

    /// The source address, or nil when fewer than 12 bytes arrived.
    public var source: MACAddress? {
        bytes.count >= 12 ? MACAddress(bytes: bytes[EthernetFrame.sourceField]) : nil
    }

    /// The EtherType, or nil when the bytes are shorter than the 14-byte header.
    public var etherType: EtherType? {
        guard bytes.count >= EthernetFrame.headerLength else { return nil }
        return EtherType(rawValue: UInt16(bytes[12]) << 8 | UInt16(bytes[13]))
    }

    /// The bytes between the header and the FCS (padding included).
    public var payload: ArraySlice<UInt8>? {
        guard bytes.count >= EthernetFrame.headerLength + EthernetFrame.fcsLength else { return nil }
        return bytes[EthernetFrame.payloadOffset..<(bytes.count - EthernetFrame.fcsLength)]
    }

    /// The FCS field as received (the last four bytes, least significant first).
    public var receivedFCS: UInt32? {
        guard bytes.count >= EthernetFrame.fcsLength else { return nil }
        let n = bytes.count
        return UInt32(bytes[n - 4]) | UInt32(bytes[n - 3]) << 8
            | UInt32(bytes[n - 2]) << 16 | UInt32(bytes[n - 1]) << 24
    }

    /// The CRC-32 of everything before the last four bytes.
    public var computedFCS: UInt32? {
        guard bytes.count >= EthernetFrame.fcsLength else { return nil }
        return CRC32.checksum(bytes[..<(bytes.count - EthernetFrame.fcsLength)])
    }

    /// Whether the received FCS matches the computed one.
    public var fcsIsValid: Bool {
        guard let r = receivedFCS, let c = computedFCS else { return false }
        return r == c
    }

    /// What is wrong with the frame, in the order a receiver checks it: length first, then FCS.
    /// `nil` for a good frame.
    public var validationError: DataLinkError? {
        if bytes.count < EthernetFrame.minimumFrameLength { return .runt(length: bytes.count) }
        if bytes.count > EthernetFrame.maximumFrameLength { return .tooLong(length: bytes.count) }
        guard let received = receivedFCS, let computed = computedFCS else { return .runt(length: bytes.count) }
        if received != computed { return .fcsMismatch(expected: computed, received: received) }
        return nil
    }
}
