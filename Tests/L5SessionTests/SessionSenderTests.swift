import SignalBasics
import Testing

@testable import L5Session

/// 20 000 bytes: 40 units of 512 (the last 32), a checkpoint every 8 units (5 checkpoints).
let message20k: [UInt8] = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }

func makeSender(_ message: [UInt8] = message20k, id: UInt64 = 0x5F0C_9A12_D4E6_B873) throws -> SessionSender {
    try SessionSender(message: message, sessionID: SessionID(id), unitSize: 512, checkpointInterval: 8)
}

/// One recording's bytes, as the layer below would carry them.
func bytes(_ spdus: [SPDU]) throws -> [UInt8] {
    try spdus.flatMap { try $0.emit() }
}

@Test func scheduleOpensCheckpointsAndCloses() throws {
    let s = try makeSender()
    #expect(s.unitCount == 40)
    #expect(s.checkpointCount == 5)
    let all = s.allSPDUs()
    #expect(all.count == 1 + 40 + 5 + 1)
    #expect(all.first?.type == .open)
    #expect(all.last?.type == .close)
    let checkpoints = all.filter { $0.type == .checkpoint }
    #expect(checkpoints.map(\.checkpoint) == [1, 2, 3, 4, 5])
    #expect(checkpoints.map(\.sequence) == [8, 16, 24, 32, 40])
    // Each CHECKPOINT comes right after the unit that completes it.
    let index = all.firstIndex { $0.type == .checkpoint } ?? 0
    #expect(all[index - 1].type == .data && all[index - 1].sequence == 7)
    #expect(all.filter { $0.type == .data }.flatMap(\.payload) == message20k)
    #expect(all.allSatisfy { $0.totalUnits == 40 && $0.totalLength == 20_000 && $0.checkpointInterval == 8 })
}

@Test func recordingsShareTheUnitsOut() throws {
    let s = try makeSender()
    let recs = (0..<4).map { s.recording($0, of: 4) }
    #expect(
        recs.map { $0.filter { $0.type == .data }.map(\.sequence) }
            == [Array(0..<10), Array(10..<20), Array(20..<30), Array(30..<40)])
    #expect(recs[0].first?.type == .open)
    #expect(recs[3].last?.type == .close)
    #expect(recs[2].filter { $0.type == .checkpoint }.map(\.checkpoint) == [3])
    #expect(recs[3].filter { $0.type == .checkpoint }.map(\.checkpoint) == [4, 5])
    #expect(recs.map { $0.first?.recording } == [1, 2, 3, 4])
    #expect(recs.flatMap { $0 }.map(\.sequence) == s.allSPDUs().map(\.sequence))
    #expect(s.recording(4, of: 4).isEmpty)
    #expect(s.recording(0, of: 0).isEmpty)
}

@Test func resumeSendsOnlyWhatFollowsTheCheckpoint() throws {
    let s = try makeSender()
    let rest = s.resume(after: 2)
    #expect(rest.first?.type == .data && rest.first?.sequence == 16)
    #expect(rest.filter { $0.type == .data }.count == 24)
    #expect(rest.last?.type == .close)
    #expect(rest.allSatisfy { $0.flags.contains(.resent) })
    #expect(s.resume(after: 0).first?.type == .open)
    #expect(s.resume(after: 5).map(\.type) == [.close])
}

@Test func senderHandlesResumeAndAckForItsOwnSessionOnly() throws {
    var s = try makeSender()
    let resume = SPDU(
        type: .resume, sessionID: s.sessionID, sequence: 16, checkpoint: 2,
        totalUnits: 40, totalLength: 20_000, checkpointInterval: 8)
    #expect(try s.handle(resume) == .resend(s.resume(after: 2)))
    var other = resume
    other.sessionID = SessionID(1)
    #expect(throws: SessionError.unknownSession(SessionID(1))) { try s.handle(other) }
    var beyond = resume
    beyond.checkpoint = 6
    #expect(throws: SessionError.checkpointOutOfRange(s.sessionID, checkpoint: 6, last: 5)) { try s.handle(beyond) }
    var data = resume
    data.type = .data
    #expect(throws: SessionError.unexpectedType(.data)) { try s.handle(data) }
    var ack = resume
    ack.type = .ack
    #expect(try s.handle(ack) == .acknowledged)
    #expect(s.acknowledged)
}

@Test func badSenderParametersAreRefused() {
    #expect(throws: SessionError.badUnitSize(0)) {
        try SessionSender(message: [1], sessionID: SessionID(1), unitSize: 0)
    }
    #expect(throws: SessionError.badCheckpointInterval(70_000)) {
        try SessionSender(message: [1], sessionID: SessionID(1), checkpointInterval: 70_000)
    }
}

@Test func emptyMessageIsOpenThenClose() throws {
    let s = try SessionSender(message: [], sessionID: SessionID(9))
    #expect(s.allSPDUs().map(\.type) == [.open, .close])
}

@Test func randomSessionIDComesFromTheInjectedGenerator() throws {
    var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
    let s1 = try SessionSender(message: [1, 2, 3], using: &a)
    let s2 = try SessionSender(message: [1, 2, 3], using: &b)
    #expect(s1.sessionID == s2.sessionID)
}
