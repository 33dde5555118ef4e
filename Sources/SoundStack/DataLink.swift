import Checksums
import Foundation
import L1Physical
import L2DataLink

/// What the physical header's payload-type nibble says a frame carries.
public enum PhysicalPayloadType: UInt8, Sendable {
    /// Bytes with the physical layer's own CRC-32: `encode --raw`.
    case raw = 0
    /// An Ethernet II frame with its FCS (no physical CRC: the FCS is the check).
    case ethernet = 1
}

/// Who sends an Ethernet frame to whom, and what it carries.
public struct LinkEndpoint: Sendable, Hashable {
    /// This station's MAC address, the frames' source.
    public var source: MACAddress
    /// Where the frames go; broadcast by default.
    public var destination: MACAddress
    /// The EtherType the frames carry; the local experimental one by default.
    public var etherType: EtherType

    /// An endpoint; by default broadcast frames of EtherType 0x88B5 (local experimental).
    public init(source: MACAddress, destination: MACAddress = .broadcast, etherType: EtherType = .localExperimental1) {
        self.source = source
        self.destination = destination
        self.etherType = etherType
    }

    /// This machine's stable, locally administered address.
    public static func defaultAddress(hostname: String) -> MACAddress { MACAddress.stable(from: hostname) }

    /// This machine's stable, locally administered address, from its host name.
    public static var thisMachine: MACAddress { defaultAddress(hostname: ProcessInfo.processInfo.hostName) }
}

/// Sends a message as Ethernet II frames: split by the L2 segmenter (message id, fragment
/// index and count in an 8-byte header), each frame one physical frame.
///
///     let tx = try LinkTransmitter(physical: PhysicalConfig(mode: .named("fsk1200")!),
///                                  endpoint: LinkEndpoint(source: me))
///     let summary = try tx.transmit(message: bytes) { try writer.write($0) }
public struct LinkTransmitter: Sendable {
    /// Who the frames go from and to.
    public let endpoint: LinkEndpoint
    /// Layer 1: turns each frame into audio.
    public let physical: PhysicalTransmitter
    /// Bytes of message per frame (at most 1492: 1500 less the fragment header).
    public let fragmentData: Int

    /// A transmitter over the physical configuration `config`.
    /// - Parameters:
    ///   - config: The modem settings; the physical payload CRC is switched off, since the Ethernet FCS checks the frame.
    ///   - endpoint: Source, destination and EtherType of every frame.
    ///   - payloadBytes: The Ethernet payload per frame (at most 1500), fragment header included.
    /// - Throws: When the physical configuration or the payload size is invalid.
    public init(physical config: PhysicalConfig, endpoint: LinkEndpoint, payloadBytes: Int = 1500) throws {
        var phy = config
        phy.payloadCRC = false
        physical = try PhysicalTransmitter(phy)
        self.endpoint = endpoint
        fragmentData = max(1, min(payloadBytes, EthernetFrame.mtu) - L2FragmentHeader.length)
    }

    /// The Ethernet frames (with FCS) that carry `message`.
    public func frames(for message: [UInt8]) throws -> [[UInt8]] {
        var segmenter = L2Segmenter(
            firstMessageID: UInt16(truncatingIfNeeded: CRC32.checksum(message)),
            fragmentData: fragmentData)
        return try segmenter.segment(message).map {
            try EthernetFrame(
                destination: endpoint.destination, source: endpoint.source,
                etherType: endpoint.etherType, payload: $0
            ).emit()
        }
    }

    /// Sends `message`; the audio goes to `sink` frame by frame.
    public func transmit(message: [UInt8], to sink: (UnsafeBufferPointer<Float>) throws -> Void) throws
        -> TransmitSummary
    {
        try physical.transmit(try frames(for: message), payloadType: PhysicalPayloadType.ethernet.rawValue, to: sink)
    }
}

/// One frame found in a recording, with each layer's verdict.
public struct LinkFrameReport: Sendable {
    /// What layer 1 found.
    public var phy: ReceivedFrame
    /// Layer 2's classification, for Ethernet frames whose physical header was read.
    public var ethernet: FrameReport?
    /// The fragment header of a good frame of ours.
    public var fragment: L2FragmentHeader?
    /// The verdict: layer 1's for raw frames, unreadable headers and cut-off frames, else layer 2's.
    public var status: LinkFrameStatus
    /// The status with its numbers, for people.
    public var detail: String
    /// Whether the frame went up to the layer above.
    public var delivered: Bool

    /// Whether every check passed.
    public var isOK: Bool { status.isOK }
}

/// The verdict on one frame: layer 1's where it is final (a raw frame, a header that could not
/// be read, a frame cut off by the end of the recording), else layer 2's classification.
public enum LinkFrameStatus: Sendable, Equatable, CustomStringConvertible {
    /// Layer 1's verdict.
    case physical(DecodedFrame.Status)
    /// Layer 2's verdict on an Ethernet frame.
    case ethernet(FrameStatus)

    /// `ok`, `fcs-mismatch`, `runt`, `too-long`, `not-for-me`, `phy-header-error`, `crc-mismatch`,
    /// `truncated`: the tag JSON output, tables and capture comments use.
    public var tag: String {
        switch self {
        case .physical(let s): s.name
        case .ethernet(let s): s.tag
        }
    }

    /// Whether the frame passed every check (a good frame for another station is not OK here).
    public var isOK: Bool {
        switch self {
        case .physical(let s): s == .ok
        case .ethernet(let s): s == .ok
        }
    }

    /// Whether this is a good frame addressed to another station.
    public var isNotForMe: Bool {
        if case .ethernet(.notForMe) = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .physical(let s): s.description
        case .ethernet(let s): s.description
        }
    }
}

/// What layers 1 and 2 made of a stretch of audio: every frame's report and what went up.
public struct LinkReception: Sendable {
    /// Every frame found, good or not, in time order.
    public var reports: [LinkFrameReport] = []
    /// What reached the layer above.
    public var deliveries: [LinkDelivery] = []
    /// Messages still missing fragments (filled in at the end of a recording only).
    public var missing: [L2MissingFragments] = []
    /// Those messages put together as far as they go, damaged fragments in place and zero bytes
    /// for the missing ones (at the end of a recording, and only when the receiver
    /// ``LinkReceiver/keepsDamaged``).
    public var partial: [L2PartialMessage] = []

    /// A reception from its frames' reports, deliveries, missing fragments and partial messages.
    public init(
        reports: [LinkFrameReport] = [], deliveries: [LinkDelivery] = [], missing: [L2MissingFragments] = [],
        partial: [L2PartialMessage] = []
    ) {
        self.reports = reports
        self.deliveries = deliveries
        self.missing = missing
        self.partial = partial
    }

    /// Appends another stretch's frames and deliveries (and missing fragments, partial messages).
    public mutating func append(_ other: LinkReception) {
        reports += other.reports
        deliveries += other.deliveries
        missing += other.missing
        partial += other.partial
    }
}

/// What reaches the layer above.
public enum LinkDelivery: Sendable {
    /// A raw physical frame's bytes.
    case raw([UInt8])
    /// A whole message put back together from its fragments.
    case message(L2MessageKey, [UInt8])
    /// An Ethernet frame for another protocol (EtherType), for the layer above it, with the
    /// seconds its physical frame took on the air.
    case frame(EthernetFrame, airtime: Double)
}

/// Layer 1 and 2 receiving: physical frames, then Ethernet classification for this
/// station, then reassembly of our fragmented messages. Only good frames for this station
/// go up; every frame is reported.
public final class LinkReceiver {
    /// Layer 1: finds frames in the audio.
    public let physical: PhysicalReceiver
    /// Layer 2: decides which good frames are for this station.
    public var station: EthernetReceiver
    /// Whether fragments of ours from frames that failed their check are kept, so that a message
    /// that never completes can be put together as far as it goes at the end
    /// (``LinkReception/partial``). Off by default: damaged bytes never go up.
    public var keepsDamaged = false
    var reassembler = L2Reassembler()

    /// A receiver over a physical receiver, accepting what `station` accepts.
    public init(physical: PhysicalReceiver, station: EthernetReceiver) {
        self.physical = physical
        self.station = station
    }

    /// Feeds a block of audio samples.
    /// - Parameter samples: The next samples of the recording, at the physical receiver's sample rate.
    /// - Returns: A report for every frame completed in this block, and what was delivered.
    public func process(_ samples: UnsafeBufferPointer<Float>) -> LinkReception {
        handle(physical.process(samples))
    }

    /// Layer 2 for frames layer 1 found elsewhere (several files demodulated in parallel):
    /// the same verdicts and deliveries as ``process(_:)`` gives for those frames.
    public func receive(_ frames: [ReceivedFrame]) -> LinkReception {
        handle(frames)
    }

    /// The messages still missing fragments, when frames came through ``receive(_:)``.
    public func finishReassembly() -> [L2MissingFragments] {
        reassembler.finish()
    }

    /// The messages still missing fragments, and (when ``keepsDamaged``) those messages put
    /// together as far as they go, when frames came through ``receive(_:)``.
    public func finishReassemblyKeepingDamage() -> (missing: [L2MissingFragments], partial: [L2PartialMessage]) {
        guard keepsDamaged else { return (reassembler.finish(), []) }
        return reassembler.finishKeepingDamage()
    }

    /// The end of the recording: the last frames, and the messages still missing pieces.
    ///
    /// Flushes layer 1 (a frame still being received is finished or reported) and closes the
    /// reassembler.
    /// - Returns: The last frames' reports, their deliveries, the messages that lack fragments
    ///   and (when ``keepsDamaged``) those messages as far as they go.
    public func finish() -> LinkReception {
        var last = handle(physical.finish())
        (last.missing, last.partial) = finishReassemblyKeepingDamage()
        return last
    }

    func handle(_ frames: [ReceivedFrame]) -> LinkReception {
        var reports = [LinkFrameReport]()
        var deliveries = [LinkDelivery]()
        for f in frames {
            let type = PhysicalFrame.Flags(rawValue: f.frame.flags).payloadType
            let phyStatus = f.frame.status
            if phyStatus == .headerError || type != PhysicalPayloadType.ethernet.rawValue {
                // Raw frames (or a header that could not be read): layer 1's verdict is all there is.
                let ok = phyStatus == .ok
                if ok { deliveries.append(.raw(f.frame.payload)) }
                reports.append(
                    LinkFrameReport(
                        phy: f, ethernet: nil, fragment: nil, status: .physical(phyStatus),
                        detail: phyStatus.description, delivered: ok))
                continue
            }
            let report = station.classify(f.frame.payload)
            var status = LinkFrameStatus.ethernet(report.status)
            var detail = report.status.description
            if case .truncated = phyStatus {
                status = .physical(phyStatus)
                detail = phyStatus.description
            }
            var fragment: L2FragmentHeader?
            var delivered = false
            if status.isOK, let frame = report.delivered {
                delivered = true
                if frame.etherType == .localExperimental1 {
                    do {
                        fragment = try L2FragmentHeader.parse(frame.payload[...]).header
                        if case let .completed(key, message) = try reassembler.receive(
                            frame.payload, from: frame.source)
                        {
                            deliveries.append(.message(key, message))
                        }
                    } catch {
                        detail = "ok (fragment refused: \(error))"
                    }
                } else {
                    deliveries.append(.frame(frame, airtime: f.frame.endTime - f.frame.startTime))
                }
            } else if keepsDamaged, !status.isOK, !status.isNotForMe,
                report.view.etherType == .localExperimental1, let payload = report.view.payload
            {
                reassembler.receiveDamaged(payload, from: report.view.source ?? .zero)
            }
            reports.append(
                LinkFrameReport(
                    phy: f, ethernet: report, fragment: fragment, status: status,
                    detail: detail, delivered: delivered))
        }
        return LinkReception(reports: reports, deliveries: deliveries)
    }
}
