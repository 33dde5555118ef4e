// Fuzz target `spdu`: the session layer's SPDU parser and the receiver's state machine.
// Input: a control byte, receiver limits, a message that a SessionSender cuts into SPDUs, then
// a sequence of events: raw bytes, SPDUs built from fuzzed fields (CRC right, maybe one byte
// damaged after), the sender's own units in any order, end of recording, time passing.
// Properties: SPDU.parse on any bytes gives an SPDU that uses 40 + payload bytes and re-emits
// to them; the sender's units, shuffled and in any number of chunks, make a default receiver
// deliver exactly the message once; under fuzzed limits the receiver never holds more sessions
// than maxSessions, nor a session whose shape is beyond maxUnitsPerSession/maxMessageLength,
// nor more units than the session has, and never delivers more than maxMessageLength bytes.
import L5Session

private let ids = [SessionID(0x0102_0304_0506_0708), SessionID(1), SessionID(2), SessionID(.max)]

private func checkParse(_ bytes: [UInt8], at start: Int) {
    guard let (spdu, used) = try? SPDU.parse(bytes, at: start) else { return }
    fuzzCheck(used == SPDU.headerLength + spdu.payload.count, "SPDU used \(used) bytes for \(spdu.payload.count) of payload")
    fuzzCheck(SPDU.length(in: bytes, at: start) == used, "SPDU.length disagrees with parse")
    _ = spdu.description
    _ = spdu.contentCRC
    if bytes[start + SPDU.Field.reserved] == 0 {
        let again = try? spdu.emit()
        fuzzCheck(again.map { $0[...] == bytes[start..<(start + used)] } ?? false, "SPDU re-emits differently")
    }
}

private func check(_ rx: SessionReceiver, _ actions: [SessionReceiver.Action]) {
    let limits = rx.limits
    fuzzCheck(rx.openSessions.count <= limits.maxSessions, "\(rx.openSessions.count) sessions open, limit \(limits.maxSessions)")
    for id in rx.openSessions {
        guard let s = rx.status(of: id) else { fuzzCheck(false, "open session \(id) without status"); continue }
        fuzzCheck(Int(s.totalUnits) <= limits.maxUnitsPerSession, "session of \(s.totalUnits) units kept")
        fuzzCheck(Int(s.totalLength) <= limits.maxMessageLength, "session of \(s.totalLength) bytes kept")
        fuzzCheck(s.unitsHeld >= 0 && s.unitsHeld <= Int(s.totalUnits), "\(s.unitsHeld) units held of \(s.totalUnits)")
        _ = s.description
    }
    for a in actions {
        switch a {
        case .deliver(_, let message):
            fuzzCheck(message.count <= limits.maxMessageLength, "delivered \(message.count) bytes")
        case .status(let s):
            _ = s.description
        case .reply(let spdu):
            fuzzCheck((try? spdu.emit()) != nil, "reply does not emit")
        default:
            break
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSPDU(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let control = input.byte()
    let limits = SessionReceiver.Limits(
        maxSessions: input.below(5), maxUnitsPerSession: input.below(80), maxMessageLength: input.below(4096),
        rememberedClosed: input.below(6), idleTimeout: control & 1 == 0 ? nil : .seconds(1 + input.below(20)))

    // A sender's units, shuffled, in chunks: delivered once, exactly.
    let message = input.take(Int(input.u16() % 2048))
    let sender: SessionSender
    do {
        sender = try SessionSender(message: message, sessionID: ids[0], unitSize: 1 + input.below(300),
                                   checkpointInterval: 1 + input.below(9))
    } catch {
        fuzzCheck(false, "sender refused its arguments: \(error)")
        return 0
    }
    let units = sender.allSPDUs()
    var order = Array(units.indices)
    for i in order.indices.reversed() where i > 0 { order.swapAt(i, input.below(i + 1)) }
    if control & 2 != 0, let first = order.first { order.append(first) }   // a duplicate
    var stream: [UInt8] = []
    for i in order { stream += (try? units[i].emit()) ?? [] }
    do {
        var rx = SessionReceiver()
        var delivered: [[UInt8]] = []
        var start = 0
        var now = Duration.zero
        while start < stream.count {
            // Cut at SPDU boundaries only: `.received` takes whole SPDUs.
            var end = start, n = 1 + input.below(4)
            while end < stream.count, n > 0 { end += SPDU.length(in: stream, at: end); n -= 1 }
            for a in rx.handle(.received(Array(stream[start..<end])), now: now) {
                if case .deliver(_, let m) = a { delivered.append(m) }
                if case .rejected(let e) = a, e != .sessionClosed(ids[0]) { fuzzCheck(false, "sender's unit rejected: \(e)") }
                if case .failed(_, let e) = a { fuzzCheck(false, "sender's session failed: \(e)") }
            }
            start = end
            now += .milliseconds(10)
        }
        fuzzCheck(delivered == [message], "delivered \(delivered.map(\.count)) bytes for a message of \(message.count)")
    }

    // Fuzzed events against fuzzed limits.
    var rx = SessionReceiver(limits: limits, requireOpen: control & 4 != 0)
    var now = Duration.zero
    var rounds = 0
    while !input.isEmpty, rounds < 256 {
        rounds += 1
        let op = input.byte()
        now += .seconds(Int(op >> 4))
        let event: SessionReceiver.Event
        switch op % 6 {
        case 0:
            let raw = input.record(wide: op & 8 != 0)
            checkParse(raw, at: 0)
            event = .received(raw)
        case 1, 2:
            let spdu = SPDU(type: SPDUType(rawValue: 1 + input.byte() % 6)!, flags: SPDUFlags(rawValue: input.byte()),
                            sessionID: ids[input.below(ids.count)], sequence: UInt32(input.below(96)),
                            checkpoint: UInt32(input.below(12)),
                            totalUnits: input.bool() ? UInt32(input.below(96)) : input.u32(),
                            totalLength: input.bool() ? UInt32(input.below(5000)) : input.u32(),
                            checkpointInterval: UInt16(input.below(10)), recording: input.u16(),
                            payload: input.take(Int(input.byte() % 64)))
            if op % 6 == 2 {
                event = .receivedSPDU(spdu)
            } else {
                var bytes = (try? spdu.emit()) ?? []
                if op & 8 != 0, !bytes.isEmpty { bytes[input.below(bytes.count)] ^= input.byte() | 1 }
                checkParse(bytes, at: 0)
                event = .received(bytes)
            }
        case 3:
            event = units.isEmpty ? .tick : .received((try? units[input.below(units.count)].emit()) ?? [])
        case 4:
            event = .endOfRecording
        default:
            event = .tick
        }
        let actions = rx.handle(event, now: now)
        check(rx, actions)
    }
    checkParse(input.bytes, at: Int(control) % max(1, input.bytes.count))
    return 0
}
