import Foundation
import L1Physical
import L2DataLink
import L3Network
import L4Transport
import L5Session
import L6Presentation
import L7Application

/// A message taken down layers 7…2: every PDU of every layer, and the trace.
public struct StackPlan: Sendable {
    /// Who the message goes from and to.
    public var endpoints: StackEndpoints
    /// How the layers above 2 were set up.
    public var options: StackOptions
    /// The HTTP message (layer 7).
    public var message: [UInt8]
    /// The TCP byte stream: L5 SPDUs around the L6 bytes (or the message itself, `.plain`).
    public var stream: [UInt8]
    /// The TCP segments (layer 4), SYN first and FIN last.
    public var segments: [TCPSegment]
    /// The Ethernet frames (with FCS) that carry it, in order.
    public var frames: [[UInt8]]
    /// What each layer did, top to bottom.
    public var trace: StackTrace
}

/// Takes an HTTP message down the stack and out as sound.
///
///     let tx = StackTransmitter(endpoints: ends, options: StackOptions())
///     let plan = try tx.plan(message: request.serialize())     // L7 … L2, with the trace
///     let (summary, l1) = try tx.transmit(plan.frames, physical: config) { try writer.write($0) }
public struct StackTransmitter: Sendable {
    /// Who messages go from and to.
    public var endpoints: StackEndpoints
    /// How the layers above 2 are set up.
    public var options: StackOptions

    /// A transmitter between `endpoints` with `options`.
    public init(endpoints: StackEndpoints, options: StackOptions = StackOptions()) {
        self.endpoints = endpoints
        self.options = options
    }

    /// Layers 7 to 2.
    public func plan(message: [UInt8]) throws(StackError) -> StackPlan {
        var trace = StackTrace()
        let body = StackL7.describe(message, direction: .down, trace: &trace)
        let l6 = try presentation(message, body: body, trace: &trace)
        let stream = try session(l6, trace: &trace)
        let segmenter: TCPSegmenter
        do {
            segmenter = try TCPSegmenter(
                sourcePort: endpoints.sourcePort, destinationPort: endpoints.destinationPort,
                initialSequenceNumber: options.initialSequenceNumber,
                acknowledgmentNumber: options.acknowledgmentNumber,
                mss: options.mss, window: options.window)
        } catch { throw .transport(error) }
        var segments = segmenter.connection(sending: stream)
        if let ack = options.synAcknowledgment, !segments.isEmpty {
            segments[0].header.flags.insert(.ack)
            segments[0].header.acknowledgmentNumber = ack
        }
        let frames = try lowerLayers(segments, streamLength: stream.count, trace: &trace)
        return StackPlan(
            endpoints: endpoints, options: options, message: message, stream: stream,
            segments: segments, frames: frames, trace: trace)
    }

    /// Layers 4 (checksums), 3 and 2 for `segments`: what a first sending and a resend share.
    public func lowerLayers(
        _ segments: [TCPSegment], streamLength: Int,
        trace: inout StackTrace
    ) throws(StackError) -> [[UInt8]] {
        let ph: PseudoHeader
        do {
            ph = try PseudoHeader(
                source: endpoints.sourceIP.bytes, destination: endpoints.destinationIP.bytes,
                protocolNumber: PseudoHeader.tcp)
        } catch { throw .transport(error) }
        var tcpBytes: [[UInt8]] = []
        var l4details: [String] = []
        for s in segments {
            let b: [UInt8]
            do { b = try s.emit(pseudoHeader: ph) } catch { throw .transport(error) }
            tcpBytes.append(b)
            let kind =
                s.header.flags.contains(.syn)
                ? (s.header.flags.contains(.ack) ? "SYN-ACK" : "SYN")
                : s.header.flags.contains(.fin) ? "FIN" : s.payload.isEmpty ? "ACK" : "data"
            let rel = s.header.sequenceNumber - options.initialSequenceNumber
            l4details.append(
                kind.padding(toLength: 8, withPad: " ", startingAt: 0)
                    + "seq \(s.header.sequenceNumber) (rel \(rel))".padding(toLength: 26, withPad: " ", startingAt: 0)
                    + "len \(s.payload.count)".padding(toLength: 9, withPad: " ", startingAt: 0)
                    + "[\(s.header.flags)]" + (s.header.maximumSegmentSize.map { " mss \($0)" } ?? "")
                    + (s.header.sackBlocks.isEmpty
                        ? ""
                        : " ack \(s.header.acknowledgmentNumber) SACK "
                            + s.header.sackBlocks.map { "\($0.left)-\($0.right)" }.joined(separator: ","))
                    + "  cksum 0x" + hex16(b[TCPHeader.Field.checksum], b[TCPHeader.Field.checksum + 1]))
        }
        let first = segments.first?.header
        trace.append(
            StackTraceRecord(
                layer: 4, protocolName: "TCP", direction: .down,
                summary: "ports \(endpoints.sourcePort) → \(endpoints.destinationPort); SYN, data by MSS, FIN",
                bytesIn: streamLength, bytesOut: tcpBytes.reduce(0) { $0 + $1.count }, units: segments.count,
                unitName: "segment",
                fields: [
                    .init("source port", "\(endpoints.sourcePort)"),
                    .init("destination port", "\(endpoints.destinationPort)"),
                    .init("ISN", "\(first?.sequenceNumber ?? 0)"), .init("MSS", "\(options.mss)"),
                    .init("window", "\(options.window)"), .init("header", "20 B (+ options)")
                ],
                checksums: [
                    "\(segments.count) TCP checksums over pseudo-header \(endpoints.sourceIP) → \(endpoints.destinationIP) proto 6"
                ],
                details: l4details))

        var packets: [[UInt8]] = []
        var l3details: [String] = []
        var fragmented = 0
        for (i, b) in tcpBytes.enumerated() {
            let header = IPv4Header(
                identification: options.identification &+ UInt16(truncatingIfNeeded: i), ttl: options.ttl,
                ipProtocol: .tcp, source: endpoints.sourceIP, destination: endpoints.destinationIP)
            do {
                let pieces = try IPv4Packet(header: header, payload: b).fragments(mtu: options.mtu)
                if pieces.count > 1 { fragmented += 1 }
                for p in pieces {
                    let bytes = try p.emit()
                    packets.append(bytes)
                    l3details.append(
                        "id \(p.header.identification)".padding(toLength: 9, withPad: " ", startingAt: 0)
                            + "len \(bytes.count)".padding(toLength: 9, withPad: " ", startingAt: 0)
                            + "off \(p.header.fragmentByteOffset)"
                            + (p.header.flags.contains(.moreFragments) ? " MF" : "")
                            + "  cksum 0x"
                            + hex16(bytes[IPv4Header.Field.checksum], bytes[IPv4Header.Field.checksum + 1]))
                }
            } catch { throw .network(error) }
        }
        trace.append(
            StackTraceRecord(
                layer: 3, protocolName: "IPv4", direction: .down,
                summary: "\(endpoints.sourceIP) → \(endpoints.destinationIP), one packet per segment"
                    + (fragmented > 0 ? ", \(fragmented) fragmented at MTU \(options.mtu)" : ""),
                bytesIn: tcpBytes.reduce(0) { $0 + $1.count }, bytesOut: packets.reduce(0) { $0 + $1.count },
                units: packets.count, unitName: "packet",
                fields: [
                    .init("source", "\(endpoints.sourceIP)"), .init("destination", "\(endpoints.destinationIP)"),
                    .init("protocol", "6 (TCP)"), .init("TTL", "\(options.ttl)"), .init("MTU", "\(options.mtu)"),
                    .init("header", "20 B")
                ],
                checksums: ["\(packets.count) IPv4 header checksums"], details: l3details))

        var frames: [[UInt8]] = []
        var l2details: [String] = []
        for p in packets {
            let f: [UInt8]
            do {
                f = try EthernetFrame(
                    destination: endpoints.destinationMAC, source: endpoints.sourceMAC,
                    etherType: .ipv4, payload: p
                ).emit()
            } catch { throw .configuration("L2 Ethernet: \(error)") }
            frames.append(f)
            let fcs = f.suffix(4).map { String(format: "%02x", $0) }.joined()
            l2details.append("len \(f.count)".padding(toLength: 10, withPad: " ", startingAt: 0) + "FCS 0x\(fcs)")
        }
        trace.append(
            StackTraceRecord(
                layer: 2, protocolName: "Ethernet", direction: .down,
                summary: "\(endpoints.sourceMAC) → \(endpoints.destinationMAC) type 0x0800 (IPv4)",
                bytesIn: packets.reduce(0) { $0 + $1.count }, bytesOut: frames.reduce(0) { $0 + $1.count },
                units: frames.count, unitName: "frame",
                fields: [
                    .init("source MAC", "\(endpoints.sourceMAC)"),
                    .init("destination MAC", "\(endpoints.destinationMAC)"),
                    .init("EtherType", "0x0800"), .init("header", "14 B + FCS 4 B (padded to 64)")
                ],
                checksums: ["\(frames.count) CRC-32 FCS"], details: l2details))
        return frames
    }

    /// Layer 1: the frames as tones; the audio goes to `sink`.
    /// - Returns: What was sent, and layer 1's record for the trace.
    public func transmit(
        _ frames: [[UInt8]], physical config: PhysicalConfig,
        to sink: (UnsafeBufferPointer<Float>) throws -> Void
    ) throws -> StackTransmission {
        var phy = config
        phy.payloadCRC = false
        let tx = try PhysicalTransmitter(phy)
        var frameSeconds: [Double] = []
        let rate = Double(phy.sampleRate)
        let summary = try tx.transmit(frames, payloadType: PhysicalPayloadType.ethernet.rawValue) { chunk in
            if chunk.contains(where: { $0 != 0 }) { frameSeconds.append(Double(chunk.count) / rate) }
            try sink(chunk)
        }
        let details = zip(frames, frameSeconds).enumerated().map { i, pair in
            "frame \(i + 1)".padding(toLength: 10, withPad: " ", startingAt: 0)
                + "\(pair.0.count) B".padding(toLength: 8, withPad: " ", startingAt: 0)
                + String(format: "%.3f s", pair.1)
        }
        let record = StackTraceRecord(
            layer: 1, protocolName: "FSK", direction: .down,
            summary: "\(phy.mode.name) \(phy.lineCode)\(tx.scrambles ? " whitened" : ""), \(summary.symbols) symbols",
            bytesIn: frames.reduce(0) { $0 + $1.count }, bytesOut: frames.reduce(0) { $0 + $1.count },
            units: summary.frames, unitName: "frame",
            fields: [
                .init("mode", phy.mode.name), .init("baud", String(format: "%g", phy.mode.baud)),
                .init("bits/symbol", "\(phy.mode.bitsPerSymbol)"), .init("sample rate", "\(phy.sampleRate) Hz"),
                .init("frame airtime", String(format: "%.3f s", frameSeconds.reduce(0, +))),
                .init("silence", String(format: "%.3f s", summary.seconds - frameSeconds.reduce(0, +)))
            ],
            details: details, seconds: summary.seconds)
        return StackTransmission(summary: summary, record: record)
    }

    // MARK: - Layers 6 and 5

    func presentation(_ message: [UInt8], body: StackL7.Body?, trace: inout StackTrace) throws(StackError) -> [UInt8] {
        var fields: [StackTraceRecord.Field] = []
        if let body {
            fields.append(.init("body", "\(body.bytes.count) B \(body.contentType ?? "(no Content-Type)")"))
            if body.isJSON {
                do { try ContentCheck.validateJSON(body.bytes) } catch { throw .presentation(error) }
                fields.append(.init("JSON", "valid, serialized as UTF-8 text"))
            }
        }
        switch options.framing {
        case .plain:
            guard options.compressionLevel == nil, options.passphrase == nil else {
                throw .configuration("--compress and --encrypt need the OSI framing (L6 header), not plain HTTP")
            }
            trace.append(
                StackTraceRecord(
                    layer: 6, protocolName: "P6", direction: .down,
                    summary: "plain HTTP: content checked, no compression, no encryption, no header",
                    bytesIn: message.count, bytesOut: message.count, fields: fields))
            return message
        case .osi:
            let utf8 = (try? ContentCheck.validateUTF8(message)) != nil
            let encryption = options.passphrase.map { EncryptionSettings(passphrase: $0, scrypt: options.scrypt) }
            let encoder = PresentationEncoder(
                contentType: utf8 ? .utf8Text : .binary,
                compressionLevel: options.compressionLevel, encryption: encryption)
            let out: PresentationEncoded
            do { out = try encoder.encode(message) } catch { throw .presentation(error) }
            let r = out.report
            fields += [
                .init("content type", "\(r.contentType)"), .init("compression", "\(r.compression)"),
                .init("cipher", "\(r.cipher)"), .init("header", "\(r.headerLength) B")
            ]
            trace.append(
                StackTraceRecord(
                    layer: 6, protocolName: "P6", direction: .down,
                    summary: r.description.replacingPrefix("[L6] encode: "),
                    bytesIn: message.count, bytesOut: out.bytes.count, fields: fields,
                    checksums: r.cipher == .none ? [] : ["Poly1305/GCM tag (16 B)"]))
            return out.bytes
        }
    }

    func session(_ data: [UInt8], trace: inout StackTrace) throws(StackError) -> [UInt8] {
        switch options.framing {
        case .plain:
            trace.append(
                StackTraceRecord(
                    layer: 5, protocolName: "session", direction: .down,
                    summary: "the session is the TCP connection itself (SYN opens, FIN closes); no header",
                    bytesIn: data.count, bytesOut: data.count))
            return data
        case .osi:
            do {
                let sender = try SessionSender(
                    message: data, sessionID: options.sessionID, unitSize: options.sessionUnitSize,
                    checkpointInterval: options.checkpointInterval)
                let spdus = sender.allSPDUs()
                var stream: [UInt8] = []
                var details: [String] = []
                for s in spdus {
                    let b = try s.emit()
                    stream += b
                    details.append(
                        "\(s.type)".padding(toLength: 11, withPad: " ", startingAt: 0)
                            + "seq \(s.sequence)".padding(toLength: 9, withPad: " ", startingAt: 0)
                            + "\(b.count) B")
                }
                trace.append(
                    StackTraceRecord(
                        layer: 5, protocolName: "S5", direction: .down,
                        summary:
                            "session \(options.sessionID): OPEN, \(sender.unitCount) DATA, \(sender.checkpointCount) CHECKPOINT, CLOSE",
                        bytesIn: data.count, bytesOut: stream.count, units: spdus.count, unitName: "SPDU",
                        fields: [
                            .init("session id", "\(options.sessionID)"),
                            .init("unit size", "\(options.sessionUnitSize) B"),
                            .init("checkpoint every", "\(options.checkpointInterval) units"),
                            .init("header", "\(SPDU.headerLength) B per SPDU")
                        ],
                        checksums: ["CRC-32 per SPDU", "CRC-32 per checkpoint and over the message (CLOSE)"],
                        details: details))
                return stream
            } catch { throw .session(error) }
        }
    }
}

func hex16(_ a: UInt8, _ b: UInt8) -> String { String(format: "%02x%02x", a, b) }

extension String {
    func replacingPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self }
}

/// What ``StackTransmitter/transmit(_:physical:to:)`` sent: the audio's summary and layer 1's
/// trace record.
public struct StackTransmission: Sendable {
    /// Frames, symbols and samples written.
    public var summary: TransmitSummary
    /// Layer 1's line in the stack trace.
    public var record: StackTraceRecord
}
