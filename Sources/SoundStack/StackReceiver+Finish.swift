import Foundation
import L2DataLink
import L3Network
import L4Transport
import L5Session
import L6Presentation

extension StackReceiver {
    /// Takes one connection's stream up layers 4…7, writing the trace bottom to top.
    func finish(_ key: StackConnectionKey, _ c: inout Connection) -> StackResult {
        var trace = StackTrace()
        let endpoints = StackEndpoints(
            sourceMAC: c.sourceMAC, destinationMAC: c.destinationMAC, sourceIP: key.sourceIP,
            destinationIP: key.destinationIP, sourcePort: key.sourcePort,
            destinationPort: key.destinationPort)
        c.stream += c.reassembler.read()
        let rx = c.reassembler
        var result = StackResult(
            key: key, endpoints: endpoints, message: nil, error: nil, trace: trace, stream: c.stream,
            peerInitialSequenceNumber: rx.peerInitialSequenceNumber, mss: c.mss,
            acknowledgmentNumber: c.ack, missing: rx.missing, acknowledgment: rx.acknowledgment())
        trace.append(
            StackTraceRecord(
                layer: 1, protocolName: "FSK", direction: .up, summary: "tones → bits → \(c.frames) good frames",
                bytesIn: c.frameBytes, bytesOut: c.frameBytes, units: c.frames, unitName: "frame",
                fields: [.init("frame airtime", String(format: "%.3f s", c.seconds))], seconds: c.seconds))
        trace.append(
            StackTraceRecord(
                layer: 2, protocolName: "Ethernet", direction: .up,
                summary: "\(c.sourceMAC) → \(c.destinationMAC) type 0x0800: IPv4 goes up",
                bytesIn: c.frameBytes, bytesOut: c.packetBytes, units: c.frames, unitName: "frame",
                fields: [.init("source MAC", "\(c.sourceMAC)"), .init("destination MAC", "\(c.destinationMAC)")],
                checksums: ["\(c.frames) FCS verified"]))
        trace.append(
            StackTraceRecord(
                layer: 3, protocolName: "IPv4", direction: .up,
                summary: "\(key.sourceIP) → \(key.destinationIP) protocol 6 (TCP), TTL \(c.ttl)"
                    + (c.fragments > 0 ? ", \(c.fragments) fragments reassembled" : ""),
                bytesIn: c.packetBytes, bytesOut: c.segmentBytes, units: c.packets, unitName: "packet",
                fields: [.init("source", "\(key.sourceIP)"), .init("destination", "\(key.destinationIP)")],
                checksums: ["\(c.packets) header checksums verified"],
                details: refused, error: refused.first))
        var l4fields: [StackTraceRecord.Field] = [
            .init("source port", "\(key.sourcePort)"), .init("destination port", "\(key.destinationPort)"),
            .init("ISN", rx.peerInitialSequenceNumber.map { "\($0)" } ?? "unknown (no SYN)"),
            .init("MSS", c.mss.map(String.init) ?? "?"), .init("FIN", rx.finSeen ? "seen" : "not seen")
        ]
        if c.duplicates > 0 { l4fields.append(.init("duplicates", "\(c.duplicates)")) }
        var l4 = StackTraceRecord(
            layer: 4, protocolName: "TCP", direction: .up,
            summary: "segments put in order: \(c.stream.count) B of stream"
                + (rx.isComplete ? ", complete up to FIN" : ""),
            bytesIn: c.segmentBytes, bytesOut: c.stream.count, units: c.segments, unitName: "segment",
            fields: l4fields, checksums: ["\(c.segments) TCP checksums verified (pseudo-header)"],
            details: c.l4errors + result.missing.map { "missing \($0)" })
        result.acknowledgments = c.acknowledgments
        result.receivedOutOfOrder = rx.receivedOutOfOrder
        if c.payloadBytes == 0, !rx.finSeen, !c.acknowledgments.isEmpty {
            // The other direction's replies: SYN-ACK, ACKs with SACK blocks. Nothing to take further up.
            let peer = c.acknowledgments.first { $0.header.flags.contains(.syn) }?.header.acknowledgmentNumber
            l4.summary =
                "acknowledgments only: \(c.acknowledgments.count) control segment"
                + (c.acknowledgments.count == 1 ? "" : "s") + ", no data (a receiver's replies)"
            l4.fields.removeAll { $0.name == "duplicates" || $0.name == "FIN" }
            l4.details = c.l4errors + c.acknowledgments.map { StackReply.describe($0, peerDataStart: peer) }
            trace.append(l4)
            result.trace = trace
            return result
        }
        guard rx.isComplete else {
            let e = StackError.incomplete(missing: result.missing, finSeen: rx.finSeen)
            l4.error = e.description
            trace.append(l4)
            result.error = e
            result.trace = trace
            return result
        }
        trace.append(l4)
        do {
            let l6bytes = try sessionUp(c.stream, trace: &trace)
            let message = try presentationUp(l6bytes, framed: isSessionStream(c.stream), trace: &trace)
            StackL7.describe(message, direction: .up, trace: &trace, respondingTo: respondingTo)
            _ = try StackL7.parse(message, respondingTo: respondingTo)
            result.message = message
        } catch {
            result.error = error
            if trace.records.last.map({ $0.layer < error.layer && error.layer != 7 }) == true {
                trace.append(
                    StackTraceRecord(
                        layer: error.layer, protocolName: "", direction: .up, summary: "refused",
                        bytesIn: 0, bytesOut: 0, error: error.description))
            }
        }
        result.trace = trace
        return result
    }

    func isSessionStream(_ stream: [UInt8]) -> Bool {
        stream.count >= 2 && UInt16(stream[0]) << 8 | UInt16(stream[1]) == SPDU.magic
    }

    func sessionUp(_ stream: [UInt8], trace: inout StackTrace) throws(StackError) -> [UInt8] {
        guard isSessionStream(stream) else {
            trace.append(
                StackTraceRecord(
                    layer: 5, protocolName: "session", direction: .up,
                    summary: "plain stream: the session was the TCP connection (SYN … FIN)",
                    bytesIn: stream.count, bytesOut: stream.count))
            return stream
        }
        var session = SessionReceiver()
        var actions = session.handle(.received(stream), now: .zero)
        actions += session.handle(.endOfRecording, now: .zero)
        var delivered: (SessionID, [UInt8])?
        var spdus = 0, checkpoints = 0
        var problems: [String] = []
        var firstError: SessionError?
        var statusText: String?
        for a in actions {
            switch a {
            case .accepted(_, let type, _):
                spdus += 1
                if type == .checkpoint { checkpoints += 1 }
            case .deliver(let id, let bytes): delivered = (id, bytes)
            case .rejected(let e), .failed(_, let e):
                problems.append("\(e)"); firstError = firstError ?? e
            case .status(let s): statusText = "\(s)"
            default: break
            }
        }
        var record = StackTraceRecord(
            layer: 5, protocolName: "S5", direction: .up,
            summary: delivered.map {
                "session \($0.0): \(spdus) SPDUs, \(checkpoints) checkpoint\(checkpoints == 1 ? "" : "s") verified, CLOSE: message CRC-32 verified"
            }
                ?? "session not delivered",
            bytesIn: stream.count, bytesOut: delivered?.1.count ?? 0, units: spdus, unitName: "SPDU",
            fields: delivered.map { [.init("session id", "\($0.0)")] } ?? [],
            checksums: ["CRC-32 per SPDU verified"], details: problems)
        guard let (_, bytes) = delivered else {
            let e: StackError = firstError.map { .session($0) } ?? .sessionIncomplete(statusText ?? "no CLOSE")
            record.error = e.description
            trace.append(record)
            throw e
        }
        trace.append(record)
        return bytes
    }

    func presentationUp(_ bytes: [UInt8], framed: Bool, trace: inout StackTrace) throws(StackError) -> [UInt8] {
        guard framed else {
            trace.append(
                StackTraceRecord(
                    layer: 6, protocolName: "P6", direction: .up,
                    summary: "plain HTTP: no presentation header; bytes as sent",
                    bytesIn: bytes.count, bytesOut: bytes.count))
            return bytes
        }
        let decoded: PresentationDecoded
        do {
            guard let d = try PresentationDecoder(passphrase: passphrase).decode(bytes) else {
                throw StackError.presentationTruncated(bytes.count)
            }
            decoded = d
        } catch let e as StackError {
            trace.append(
                StackTraceRecord(
                    layer: 6, protocolName: "P6", direction: .up, summary: "refused",
                    bytesIn: bytes.count, bytesOut: 0, error: e.description))
            throw e
        } catch let e as PresentationError {
            let se = StackError.presentation(e)
            trace.append(
                StackTraceRecord(
                    layer: 6, protocolName: "P6", direction: .up, summary: "refused",
                    bytesIn: bytes.count, bytesOut: 0, error: se.description))
            throw se
        } catch {
            throw .configuration("\(error)")
        }
        let r = decoded.report
        trace.append(
            StackTraceRecord(
                layer: 6, protocolName: "P6", direction: .up, summary: r.description.replacingPrefix("[L6] decode: "),
                bytesIn: bytes.count, bytesOut: decoded.content.count,
                fields: [
                    .init("content type", "\(r.contentType)"), .init("compression", "\(r.compression)"),
                    .init("cipher", "\(r.cipher)")
                ],
                checksums: r.cipher == .none ? [] : ["AEAD tag verified"]))
        guard decoded.consumed == bytes.count else {
            throw .applicationFraming("\(bytes.count - decoded.consumed) bytes after the presentation layer's message")
        }
        return decoded.content
    }
}
