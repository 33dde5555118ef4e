import Checksums
import SignalBasics
import Testing

@testable import L5Session

private func deliveries(_ actions: [SessionReceiver.Action]) -> [[UInt8]] {
    actions.compactMap { if case .deliver(_, let m) = $0 { m } else { nil } }
}

private func replies(_ actions: [SessionReceiver.Action]) -> [SPDU] {
    actions.compactMap { if case .reply(let s) = $0 { s } else { nil } }
}

private func statuses(_ actions: [SessionReceiver.Action]) -> [SessionStatus] {
    actions.compactMap { if case .status(let s) = $0 { s } else { nil } }
}

private func rejections(_ actions: [SessionReceiver.Action]) -> [SessionError] {
    actions.compactMap { if case .rejected(let e) = $0 { e } else { nil } }
}

@Test func fourRecordingsInOrder3142DeliverTheMessage() throws {
    let s = try makeSender()
    var rx = SessionReceiver()
    var delivered: [[UInt8]] = []
    var t = Duration.zero
    for r in [3, 1, 4, 2] {
        t += .seconds(10)
        let actions = rx.handle(.received(try bytes(s.recording(r - 1, of: 4))), now: t)
        delivered += deliveries(actions)
        if r == 3 {
            #expect(actions.first == .opened(s.sessionID, byOpen: false))
            #expect(rx.state(of: s.sessionID) == .open)
        }
        if r == 1 { #expect(rx.state(of: s.sessionID) == .checkpointed(1)) }
        #expect(rejections(actions).isEmpty)
        if r != 2 { _ = rx.handle(.endOfRecording, now: t) }
    }
    #expect(delivered == [message20k])
    #expect(rx.state(of: s.sessionID) == .closed)
    #expect(rx.openSessions.isEmpty)
}

@Test func missingRecordingIsReportedExactlyAndResumeCompletesIt() throws {
    var sender = try makeSender()
    var rx = SessionReceiver()
    for r in [1, 4, 2] {
        let actions = rx.handle(.received(try bytes(sender.recording(r - 1, of: 4))), now: .seconds(r))
        #expect(deliveries(actions).isEmpty)
    }
    let end = rx.handle(.endOfRecording, now: .seconds(5))
    let status = try #require(statuses(end).first)
    #expect(status.missingUnits == [20..<30])
    #expect(status.resumePoint == 2)
    #expect(status.resumeFromUnit == 16)
    #expect(status.unitsHeld == 30)
    #expect(status.openSeen && status.closeSeen)
    #expect(status.state == .checkpointed(2))
    #expect(
        status.description
            == "session 5f0c9a12d4e6b873: 30/40 units, missing 20..<30; resume after checkpoint 2 (units 0..<16)")
    let resume = try #require(replies(end).first)
    #expect(resume.type == .resume && resume.checkpoint == 2 && resume.sequence == 16)

    // The RESUME travels back (as bytes), the sender answers with what follows checkpoint 2.
    let back = try #require(try SPDU.parse(try resume.emit())).spdu
    guard case .resend(let again) = try sender.handle(back) else { Issue.record("no resend"); return }
    #expect(again.filter { $0.type == .data }.map(\.sequence) == Array(16..<40))
    let actions = rx.handle(.received(try bytes(again)), now: .seconds(6))
    // Units 16…19 arrived before: duplicates, ignored. Unit 29 completes the message, so what
    // follows it in the resend (30…39, checkpoints 4 and 5, CLOSE) finds the session closed.
    let dups = actions.compactMap { if case .duplicate(_, .data, let seq) = $0 { seq } else { nil } }
    #expect(dups == Array(16..<20))
    #expect(actions.contains(.checkpointReached(sender.sessionID, checkpoint: 5)))
    #expect(rejections(actions) == Array(repeating: .sessionClosed(sender.sessionID), count: 13))
    #expect(deliveries(actions) == [message20k])
    let ack = try #require(replies(actions).first)
    #expect(ack.type == .ack)
    #expect(try sender.handle(ack) == .acknowledged)
}

@Test func duplicatesAreIgnored() throws {
    let s = try makeSender()
    var rx = SessionReceiver()
    let rec = try bytes(s.recording(0, of: 4))
    _ = rx.handle(.received(rec), now: .zero)
    let again = rx.handle(.received(rec), now: .seconds(1))
    #expect(again.allSatisfy { if case .duplicate = $0 { true } else { false } })
    #expect(again.count == s.recording(0, of: 4).count)
    #expect(rx.status(of: s.sessionID)?.unitsHeld == 10)
}

@Test func twoInterleavedSessionsEachDeliverTheirOwn() throws {
    let a = try makeSender(id: 0xA)
    let other = Array(message20k.reversed().prefix(3_000))
    let b = try makeSender(other, id: 0xB)
    var rx = SessionReceiver()
    var units = zip(a.allSPDUs(), b.allSPDUs()).flatMap { [$0, $1] }
    units += a.allSPDUs().dropFirst(b.allSPDUs().count)
    var delivered: [SessionID: [UInt8]] = [:]
    for (i, u) in units.enumerated() {
        for case .deliver(let id, let m) in rx.handle(.receivedSPDU(u), now: .milliseconds(i)) { delivered[id] = m }
    }
    #expect(delivered == [SessionID(0xA): message20k, SessionID(0xB): other])
}

@Test func bogusTotalIsRefusedWithoutAllocating() throws {
    var rx = SessionReceiver()
    let bogus = SPDU(
        type: .data, sessionID: SessionID(1), sequence: 0, totalUnits: .max, totalLength: .max,
        checkpointInterval: 1, payload: [1])
    let actions = rx.handle(.received(try bogus.emit()), now: .zero)
    #expect(actions == [.rejected(.totalUnitsTooLarge(.max, limit: 65_536))])
    #expect(rx.openSessions.isEmpty)
    var long = bogus
    long.totalUnits = 10
    #expect(rx.handle(.receivedSPDU(long), now: .zero) == [.rejected(.totalLengthTooLarge(.max, limit: 16 << 20))])
    var zeroInterval = bogus
    zeroInterval.checkpointInterval = 0
    #expect(rx.handle(.receivedSPDU(zeroInterval), now: .zero) == [.rejected(.badCheckpointInterval(0))])
}

@Test func damagedAndTruncatedBytesAreReportedNotTrapped() throws {
    let s = try makeSender()
    var rx = SessionReceiver()
    var rec = try bytes(s.recording(0, of: 4))
    rec[10] ^= 0xFF  // inside the OPEN's session id
    let actions = rx.handle(.received(rec), now: .zero)
    guard case .rejected(.checksumMismatch) = actions.first else { Issue.record("\(actions)"); return }
    let first = try s.allSPDUs()[1].emit()  // DATA 0: 40 + 512 bytes
    for n in 1..<first.count {
        let a = rx.handle(.received(Array(first[0..<n])), now: .zero)
        #expect(a == [.rejected(.truncated(needed: n < 8 ? 40 : 552, available: n))])
    }
}

@Test func unitsAfterCloseAndRepliesAreRefusedWithAReason() throws {
    let s = try makeSender([1, 2, 3], id: 0x77)
    var rx = SessionReceiver()
    let all = s.allSPDUs()
    for u in all { _ = rx.handle(.receivedSPDU(u), now: .zero) }
    #expect(rx.handle(.receivedSPDU(all[1]), now: .zero) == [.rejected(.sessionClosed(SessionID(0x77)))])
    let resume = SPDU(type: .resume, sessionID: SessionID(5), totalUnits: 1, totalLength: 1, checkpointInterval: 1)
    #expect(rx.handle(.receivedSPDU(resume), now: .zero) == [.rejected(.unexpectedType(.resume))])
}

@Test func inconsistentUnitsAreRefusedAndTheSessionKeepsGoing() throws {
    let s = try makeSender()
    var rx = SessionReceiver()
    let all = s.allSPDUs()
    _ = rx.handle(.receivedSPDU(all[0]), now: .zero)
    var wrongTotal = all[1]
    wrongTotal.totalUnits = 41
    #expect(
        rejections(rx.handle(.receivedSPDU(wrongTotal), now: .zero))
            == [.inconsistentShape(s.sessionID, field: "totalUnits", expected: 40, actual: 41)])
    var beyond = all[1]
    beyond.sequence = 40; beyond.checkpoint = 5
    #expect(
        rejections(rx.handle(.receivedSPDU(beyond), now: .zero))
            == [.sequenceOutOfRange(s.sessionID, sequence: 40, total: 40)])
    var empty = all[1]
    empty.payload = []
    #expect(rejections(rx.handle(.receivedSPDU(empty), now: .zero)) == [.emptyDataUnit(s.sessionID, sequence: 0)])
    var delivered: [[UInt8]] = []
    for u in all.dropFirst() { delivered += deliveries(rx.handle(.receivedSPDU(u), now: .zero)) }
    #expect(delivered == [message20k])
}

@Test func dataContradictingItsCheckpointFailsTheSession() throws {
    let s = try makeSender()
    var rx = SessionReceiver()
    var units = s.allSPDUs()
    // A unit altered *before* its CRC was computed (so the SPDU check passes): the checkpoint catches it.
    units[3].payload[0] ^= 1
    var actions: [SessionReceiver.Action] = []
    for u in units.prefix(12) { actions += rx.handle(.receivedSPDU(u), now: .zero) }
    #expect(
        actions.contains { if case .failed(_, .contentMismatch(_, checkpoint: 1, _, _)) = $0 { true } else { false } })
    guard case .failed = rx.state(of: s.sessionID) else { Issue.record("not failed"); return }
    #expect(rx.handle(.receivedSPDU(units[20]), now: .zero) == [.rejected(.sessionFailed(s.sessionID))])
}

@Test func sessionLimitAndIdleTimeoutUseInjectedTime() throws {
    var rx = SessionReceiver(limits: .init(maxSessions: 2, idleTimeout: .seconds(60)))
    let senders = try (1...3).map { try makeSender([1, 2, 3, 4], id: UInt64($0)) }
    _ = rx.handle(.receivedSPDU(senders[0].allSPDUs()[0]), now: .seconds(0))
    _ = rx.handle(.receivedSPDU(senders[1].allSPDUs()[0]), now: .seconds(30))
    #expect(
        rx.handle(.receivedSPDU(senders[2].allSPDUs()[0]), now: .seconds(40))
            == [.rejected(.tooManySessions(limit: 2))])
    // At t = 61 s session 1 has been idle for 61 s: it expires and frees a place.
    let actions = rx.handle(.receivedSPDU(senders[2].allSPDUs()[0]), now: .seconds(61))
    #expect(actions.contains(.expired(SessionID(1))))
    #expect(actions.contains(.opened(SessionID(3), byOpen: true)))
    #expect(rx.openSessions == [SessionID(2), SessionID(3)])
    #expect(rx.state(of: SessionID(1)) == .failed(.sessionExpired(SessionID(1))))
    #expect(
        rx.handle(.receivedSPDU(senders[0].allSPDUs()[1]), now: .seconds(62))
            == [.rejected(.sessionExpired(SessionID(1)))])
    #expect(rx.state(of: SessionID(99)) == .idle)
}

@Test func emptyMessageIsDeliveredOnClose() throws {
    let s = try SessionSender(message: [], sessionID: SessionID(4))
    var rx = SessionReceiver()
    var delivered: [[UInt8]] = []
    for u in s.allSPDUs() { delivered += deliveries(rx.handle(.receivedSPDU(u), now: .zero)) }
    #expect(delivered == [[]])
}

@Test func largeSessionWithOneCheckpointStaysLinear() throws {
    // 60 000 one-byte units and a single checkpoint: in-order arrival must not rescan held units.
    let message = (0..<60_000).map { UInt8(truncatingIfNeeded: $0) }
    let s = try SessionSender(message: message, sessionID: SessionID(0xB16), unitSize: 1, checkpointInterval: 65_535)
    var rx = SessionReceiver()
    let clock = ContinuousClock()
    var delivered: [[UInt8]] = []
    let elapsed = try clock.measure {
        delivered = deliveries(rx.handle(.received(try bytes(s.allSPDUs())), now: .zero))
    }
    #expect(delivered == [message])
    #expect(elapsed < .seconds(30))
}

@Test func garbageNeverTraps() {
    var rng = SeededGenerator(seed: 5)
    var rx = SessionReceiver()
    for _ in 0..<200 {
        let n = Int(rng.next() % 120)
        var junk = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        if n > 2 { junk[0] = 0x53; junk[1] = 0x35 }
        _ = rx.handle(.received(junk), now: .zero)
        _ = rx.handle(.endOfRecording, now: .zero)
    }
    #expect(rx.openSessions.isEmpty)
}

@Test func checkpointArrivingFirstStillCatchesContradictingData() throws {
    let s = try makeSender()
    var rx = SessionReceiver()
    var units = s.allSPDUs()
    units[3].payload[0] ^= 1
    var actions = rx.handle(.receivedSPDU(units[9]), now: .zero)  // CHECKPOINT 1 before its units
    #expect(actions == [.opened(s.sessionID, byOpen: false), .accepted(s.sessionID, .checkpoint, sequence: 8)])
    for u in units.prefix(9) { actions += rx.handle(.receivedSPDU(u), now: .zero) }
    #expect(
        actions.last
            == .failed(
                s.sessionID,
                .contentMismatch(
                    s.sessionID, checkpoint: 1,
                    expected: units[9].contentCRC ?? 0,
                    actual: CRC32.checksum(units[1...8].flatMap(\.payload)))))
}

@Test func strictReceiverRefusesUnitsOfUnknownSessions() throws {
    let s = try makeSender([1, 2, 3], id: 0x51)
    var rx = SessionReceiver(requireOpen: true)
    let all = s.allSPDUs()
    #expect(rx.handle(.receivedSPDU(all[1]), now: .zero) == [.rejected(.unknownSession(SessionID(0x51)))])
    var delivered: [[UInt8]] = []
    for u in all { delivered += deliveries(rx.handle(.receivedSPDU(u), now: .zero)) }
    #expect(delivered == [[1, 2, 3]])
}
