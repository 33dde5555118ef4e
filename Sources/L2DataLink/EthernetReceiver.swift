/// A station on the link: its address, the multicast groups it joined and whether it
/// listens promiscuously. It classifies every frame that arrives and delivers only
/// the good ones addressed to it.
///
///     var me = EthernetReceiver(address: .stable(from: hostName))
///     let report = me.classify(bytes)
///     if let frame = report.delivered { … }      // .ok and for this station
///     else { print(report) }                     // why it was not delivered
public struct EthernetReceiver: Sendable, Hashable {
    /// This station's own address.
    public var address: MACAddress
    /// Multicast group addresses this station accepts (broadcast is always accepted).
    public var multicastGroups: Set<MACAddress>
    /// Accept good frames for any destination.
    public var promiscuous: Bool

    /// A receiver for `address`, optionally in multicast groups or promiscuous.
    public init(address: MACAddress, multicastGroups: Set<MACAddress> = [], promiscuous: Bool = false) {
        self.address = address
        self.multicastGroups = multicastGroups
        self.promiscuous = promiscuous
    }

    /// Starts accepting frames sent to the multicast address `group`.
    public mutating func join(_ group: MACAddress) { multicastGroups.insert(group) }
    /// Stops accepting frames sent to the multicast address `group`.
    public mutating func leave(_ group: MACAddress) { multicastGroups.remove(group) }

    /// Whether a frame sent to `destination` is for this station (ignoring `promiscuous`).
    public func accepts(_ destination: MACAddress) -> Bool {
        destination == address || destination.isBroadcast || multicastGroups.contains(destination)
    }

    /// Checks `bytes` (one frame, destination … FCS) in the order a NIC does — length,
    /// FCS, destination — and says what it found. Never traps, whatever the bytes.
    public func classify(_ bytes: [UInt8]) -> FrameReport {
        let view = EthernetFrameView(bytes)
        let status: FrameStatus
        switch view.validationError {
        case .runt(let n)?: status = .runt(length: n)
        case .tooLong(let n)?: status = .tooLong(length: n)
        case .fcsMismatch(let e, let r)?: status = .fcsMismatch(expected: e, received: r)
        case _?: status = .runt(length: bytes.count)  // validationError yields only the cases above
        case nil:
            if let d = view.destination, !promiscuous, !accepts(d) {
                status = .notForMe(destination: d)
            } else {
                status = .ok
            }
        }
        var frame: EthernetFrame?
        if status == .ok, let d = view.destination, let s = view.source,
            let t = view.etherType, let p = view.payload
        {
            frame = EthernetFrame(destination: d, source: s, etherType: t, payload: Array(p))
        }
        return FrameReport(status: status, view: view, delivered: frame)
    }
}

/// What a receiver found in one frame.
public enum FrameStatus: Sendable, Hashable, CustomStringConvertible {
    /// Good length and FCS, and for this station (or promiscuous): delivered.
    case ok
    /// The CRC-32 computed over the received bytes (`expected`) is not the FCS field (`received`).
    case fcsMismatch(expected: UInt32, received: UInt32)
    /// Shorter than 64 bytes, FCS included.
    case runt(length: Int)
    /// Longer than 1518 bytes, FCS included.
    case tooLong(length: Int)
    /// A good frame, but for another station.
    case notForMe(destination: MACAddress)

    /// A short machine-readable tag, as used in capture-file comments: `fcs-mismatch`, `runt`, ….
    public var tag: String {
        switch self {
        case .ok: return "ok"
        case .fcsMismatch: return "fcs-mismatch"
        case .runt: return "runt"
        case .tooLong: return "too-long"
        case .notForMe: return "not-for-me"
        }
    }

    /// Whether the frame arrived damaged (as opposed to good, for us or not).
    public var isError: Bool {
        switch self {
        case .ok, .notForMe: return false
        case .fcsMismatch, .runt, .tooLong: return true
        }
    }

    /// `fcs-mismatch expected 0x1234abcd received 0x1234abcc`, `runt length 40`, ….
    public var description: String {
        switch self {
        case .ok: return "ok"
        case .fcsMismatch(let e, let r): return "fcs-mismatch expected \(hex32(e)) received \(hex32(r))"
        case .runt(let n): return "runt length \(n)"
        case .tooLong(let n): return "too-long length \(n)"
        case .notForMe(let d): return "not-for-me destination \(d)"
        }
    }
}

/// The outcome of ``EthernetReceiver/classify(_:)``: the status, the fields that could
/// be read (even from a bad frame: they may themselves be corrupted), and the frame
/// when, and only when, it is delivered.
public struct FrameReport: Sendable, Hashable, CustomStringConvertible {
    /// Why the frame was or was not delivered.
    public let status: FrameStatus
    /// The received bytes with non-trapping field accessors.
    public let view: EthernetFrameView
    /// The frame handed to the layer above: non-nil only for `.ok`.
    public let delivered: EthernetFrame?

    /// The received bytes.
    public var bytes: [UInt8] { view.bytes }
    /// The number of bytes received.
    public var length: Int { view.length }
    /// The destination address, or nil when too few bytes arrived.
    public var destination: MACAddress? { view.destination }
    /// The source address, or nil when too few bytes arrived.
    public var source: MACAddress? { view.source }
    /// The EtherType, or nil when the bytes are shorter than the header.
    public var etherType: EtherType? { view.etherType }

    /// One line: `ok 02:…:01 > ff:ff:ff:ff:ff:ff 0x88b5 (Local Experimental 1) 64 bytes`.
    public var description: String {
        var parts = [status.description]
        if let s = source, let d = destination { parts.append("\(s) > \(d)") }
        if let t = etherType { parts.append(t.description) }
        parts.append("\(length) bytes")
        return parts.joined(separator: " ")
    }
}

/// `0x` and eight lower-case hex digits.
func hex32(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - s.count) + s
}
