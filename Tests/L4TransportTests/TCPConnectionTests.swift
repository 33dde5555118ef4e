import Testing

@testable import L4Transport

/// Two connection ends joined in memory: segments are carried through emit/parse (checksums
/// included) and may be dropped once by `lose`.
private struct Loopback {
    var client: TCPConnection
    var server: TCPConnection
    var toServer: [TCPSegment] = []
    var toClient: [TCPSegment] = []
    var receivedByServer: [UInt8] = []
    var receivedByClient: [UInt8] = []
    var clientEvents: [TCPConnection.Action] = []
    var serverEvents: [TCPConnection.Action] = []
    var lose: (TCPSegment) -> Bool = { _ in false }
    var lost: [TCPSegment] = []
    var carried = 0

    static let clientPH = try? PseudoHeader(
        source: [10, 0, 0, 1], destination: [10, 0, 0, 2], protocolNumber: PseudoHeader.tcp)
    static let serverPH = try? PseudoHeader(
        source: [10, 0, 0, 2], destination: [10, 0, 0, 1], protocolNumber: PseudoHeader.tcp)

    mutating func fromClient(_ actions: [TCPConnection.Action]) {
        for a in actions {
            clientEvents.append(a)
            if case .send(let s) = a { toServer.append(s) }
            if case .deliver(let d) = a { receivedByClient += d }
        }
    }

    mutating func fromServer(_ actions: [TCPConnection.Action]) {
        for a in actions {
            serverEvents.append(a)
            if case .send(let s) = a { toClient.append(s) }
            if case .deliver(let d) = a { receivedByServer += d }
        }
    }

    /// Carries segments both ways until nothing is in flight.
    mutating func run() throws {
        while !toServer.isEmpty || !toClient.isEmpty {
            if !toServer.isEmpty {
                let s = toServer.removeFirst()
                carried += 1
                if lose(s) { lost.append(s); continue }
                let ph = try #require(Self.clientPH)
                fromServer(server.receive(try TCPSegment.parse(s.emit(pseudoHeader: ph), pseudoHeader: ph)))
            }
            if !toClient.isEmpty {
                let s = toClient.removeFirst()
                carried += 1
                let ph = try #require(Self.serverPH)
                fromClient(client.receive(try TCPSegment.parse(s.emit(pseudoHeader: ph), pseudoHeader: ph)))
            }
        }
    }
}

private func pair(clientISN: SequenceNumber = 0xFFFF_FF00, serverISN: SequenceNumber = 5000) throws -> Loopback {
    var server = try TCPConnection(localPort: 80, remotePort: 49152, initialSequenceNumber: serverISN, mss: 536)
    server.listen()
    return Loopback(
        client: try TCPConnection(localPort: 49152, remotePort: 80, initialSequenceNumber: clientISN, mss: 536),
        server: server)
}

private let request = Array(
    ("POST /upload HTTP/1.1\r\nHost: soundstack\r\nContent-Length: 3000\r\n\r\n"
        + String(repeating: "0123456789", count: 300)).utf8)
private let response = Array("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n".utf8)

@Test func handshakeDataAndCloseBothWays() throws {
    var net = try pair()
    net.fromClient(net.client.connect())
    #expect(net.client.state == .synSent)
    try net.run()
    #expect(net.client.state == .established && net.server.state == .established)
    #expect(net.clientEvents.contains(.connected) && net.serverEvents.contains(.connected))

    net.fromClient(net.client.send(request))
    net.fromClient(net.client.close())
    try net.run()
    #expect(net.receivedByServer == request)
    #expect(net.client.state == .finWait2 && net.server.state == .closeWait)

    net.fromServer(net.server.send(response))
    net.fromServer(net.server.close())
    try net.run()
    #expect(net.receivedByClient == response)
    #expect(net.server.state == .closed && net.client.state == .timeWait)
    #expect(net.clientEvents.contains(.startTimeWaitTimer))
    #expect(net.client.timeWaitExpired() == [.closed])
    #expect(net.client.unacknowledged.isEmpty && net.server.unacknowledged.isEmpty)
    #expect(net.client.retransmissions == 0)
}

@Test func lostSegmentIsResentAloneThanksToSACK() throws {
    var net = try pair()
    net.fromClient(net.client.connect())
    try net.run()
    var dropped = false
    net.lose = { s in
        // Lose the third data segment once.
        if !dropped, s.payload.count == 536, s.header.sequenceNumber == SequenceNumber(0xFFFF_FF01) + 2 * 536 {
            dropped = true
            return true
        }
        return false
    }
    net.fromClient(net.client.send(request))
    try net.run()
    #expect(net.lost.count == 1)
    #expect(net.receivedByServer == Array(request[0..<1072]))
    #expect(net.server.receiver?.missing.map(\.offsets) == [1072..<1608])
    // Everything after the hole is SACKed: the timeout resends the one lost segment only.
    let resend = net.client.retransmissionTimeout()
    #expect(resend.count == 2)  // the segment, then restart the timer
    guard case .send(let again) = resend.first else { Issue.record("expected a resend"); return }
    #expect(again.header.sequenceNumber == net.lost[0].header.sequenceNumber && again.payload == net.lost[0].payload)
    net.fromClient(resend)
    try net.run()
    #expect(net.receivedByServer == request)
    #expect(net.client.unacknowledged.isEmpty)
    #expect(net.client.retransmissions == 1)
}

@Test func resetClosesAtOnce() throws {
    var net = try pair()
    net.fromClient(net.client.connect())
    try net.run()
    let rst = TCPSegment(header: TCPHeader(sourcePort: 80, destinationPort: 49152, sequenceNumber: 5001, flags: .rst))
    #expect(net.client.receive(rst) == [.stopRetransmissionTimer, .reset, .closed])
    #expect(net.client.state == .closed)
    #expect(net.client.send([1, 2, 3]) == [])
}

@Test func lostSynIsResentByTheTimer() throws {
    var net = try pair()
    var first = true
    net.lose = { s in
        defer { first = false }; return first && s.header.flags == .syn
    }
    net.fromClient(net.client.connect())
    try net.run()
    #expect(net.client.state == .synSent)
    net.fromClient(net.client.retransmissionTimeout())
    try net.run()
    #expect(net.client.state == .established && net.server.state == .established)
}
