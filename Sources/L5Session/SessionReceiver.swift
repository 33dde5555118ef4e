/// The receiving side of the session layer as a value-type state machine: events go in,
/// actions come out, time is passed in with each event (no clocks).
///
/// A transfer may be spread over several recordings; any subset may arrive, in any order. The
/// receiver holds units per session, ignores duplicates, knows exactly what is missing and the
/// resume point (the last checkpoint up to which everything arrived), and delivers the message
/// once every unit and the CLOSE are in.
///
///     var rx = SessionReceiver()
///     _ = rx.handle(.received(recording3Bytes), now: .seconds(1))   // units before their OPEN: fine
///     _ = rx.handle(.received(recording1Bytes), now: .seconds(2))
///     for action in rx.handle(.endOfRecording, now: .seconds(2)) {
///         if case .reply(let resume) = action { /* send RESUME back to the sender */ }
///         if case .status(let s) = action { print(s) }   // … missing 20..<30; resume after checkpoint 2 …
///     }
///
/// Memory is bounded by `Limits`: a header claiming 2^32 units is refused before anything is
/// allocated, and each session keeps only the units that actually arrived.
public struct SessionReceiver: Sendable {
    /// Bounds on what the receiver keeps.
    public struct Limits: Hashable, Sendable {
        /// Most sessions tracked at once.
        public var maxSessions: Int
        /// Most data units one session may declare.
        public var maxUnitsPerSession: Int
        /// Longest message in bytes one session may declare.
        public var maxMessageLength: Int
        /// How many closed session ids are remembered (to refuse their late units).
        public var rememberedClosed: Int
        /// A session with no unit for this long is dropped on the next event (nil: never).
        public var idleTimeout: Duration?

        /// Limits with defaults: 8 sessions, 65 536 units and 16 MiB per session, 64 closed ids remembered, no idle timeout.
        public init(
            maxSessions: Int = 8, maxUnitsPerSession: Int = 65_536, maxMessageLength: Int = 16 << 20,
            rememberedClosed: Int = 64, idleTimeout: Duration? = nil
        ) {
            self.maxSessions = maxSessions; self.maxUnitsPerSession = maxUnitsPerSession
            self.maxMessageLength = maxMessageLength; self.rememberedClosed = rememberedClosed
            self.idleTimeout = idleTimeout
        }
    }

    /// What ``handle(_:now:)`` is told about.
    public enum Event: Hashable, Sendable {
        /// Bytes holding one or more whole SPDUs.
        case received([UInt8])
        /// An SPDU already parsed.
        case receivedSPDU(SPDU)
        /// A recording ended: report every open session and what to ask the sender for.
        case endOfRecording
        /// Time passed (expires idle sessions).
        case tick
    }

    /// What the receiver reports after an event, in order.
    public enum Action: Hashable, Sendable {
        /// A new session; `byOpen` is false when a later unit arrived before its OPEN.
        case opened(SessionID, byOpen: Bool)
        /// A unit was accepted (new for the session).
        case accepted(SessionID, SPDUType, sequence: UInt32)
        /// A unit that had already arrived; ignored.
        case duplicate(SessionID, SPDUType, sequence: UInt32)
        /// Damaged bytes or a unit refused, with the reason.
        case rejected(SessionError)
        /// Every unit up to this checkpoint has arrived.
        case checkpointReached(SessionID, checkpoint: UInt32)
        /// A session's report, emitted at the end of a recording.
        case status(SessionStatus)
        /// An SPDU to send back to the sender: RESUME (resend after a checkpoint) or ACK.
        case reply(SPDU)
        /// The whole message of a session.
        case deliver(SessionID, [UInt8])
        /// The session delivered its message and closed.
        case closed(SessionID)
        /// The session broke: its data contradicts a CHECKPOINT or CLOSE.
        case failed(SessionID, SessionError)
        /// The session was idle longer than `idleTimeout` and was dropped.
        case expired(SessionID)
    }

    /// The bounds this receiver enforces.
    public let limits: Limits
    /// When true, units of a session whose OPEN has not arrived are refused as `unknownSession`
    /// (for a single recording played in order). By default they are kept: recordings come in any order.
    public let requireOpen: Bool
    private var sessions: [SessionID: SessionRecord] = [:]
    /// Closed (delivered or expired) and failed session ids, oldest first.
    private var finished: [(id: SessionID, failure: SessionError?)] = []

    /// An empty receiver with the given limits.
    public init(limits: Limits = Limits(), requireOpen: Bool = false) {
        self.limits = limits
        self.requireOpen = requireOpen
    }

    /// The ids of the sessions in progress, in order.
    public var openSessions: [SessionID] { sessions.keys.sorted() }

    /// Where session `id` stands: idle if unknown, closed or failed once finished.
    public func state(of id: SessionID) -> SessionState {
        if let r = sessions[id] { return r.state }
        if let f = finished.last(where: { $0.id == id }) { return f.failure.map { .failed($0) } ?? .closed }
        return .idle
    }

    /// A report on session `id`, if it is in progress.
    public func status(of id: SessionID) -> SessionStatus? { sessions[id]?.status() }

    /// Feeds one event; returns what happened, in order.
    public mutating func handle(_ event: Event, now: Duration) -> [Action] {
        var actions = expire(now: now)
        switch event {
        case .received(let bytes):
            var offset = 0
            while offset < bytes.count {
                do {
                    guard let (spdu, used) = try SPDU.parse(bytes, at: offset) else {
                        let available = bytes.count - offset
                        actions.append(
                            .rejected(.truncated(needed: SPDU.length(in: bytes, at: offset), available: available)))
                        break
                    }
                    offset += used
                    actions += receive(spdu, now: now)
                } catch {
                    actions.append(.rejected(error))
                    break
                }
            }
        case .receivedSPDU(let spdu):
            actions += receive(spdu, now: now)
        case .endOfRecording:
            for id in openSessions {
                guard let r = sessions[id] else { continue }
                actions.append(.status(r.status()))
                actions.append(.reply(r.reply(.resume)))
            }
        case .tick:
            break
        }
        return actions
    }

    private mutating func receive(_ spdu: SPDU, now: Duration) -> [Action] {
        let id = spdu.sessionID
        guard spdu.type != .resume, spdu.type != .ack else { return [.rejected(.unexpectedType(spdu.type))] }
        if let f = finished.last(where: { $0.id == id }) {
            switch f.failure {
            case nil: return [.rejected(.sessionClosed(id))]
            case .sessionExpired?: return [.rejected(.sessionExpired(id))]
            case _?: return [.rejected(.sessionFailed(id))]
            }
        }
        var actions: [Action] = []
        // The record is taken out of the dictionary while it changes, so its unit storage is not
        // copied on write (that made each unit cost O(units held)).
        var record: SessionRecord
        if let existing = sessions.removeValue(forKey: id) {
            record = existing
        } else {
            if requireOpen, spdu.type != .open { return [.rejected(.unknownSession(id))] }
            do throws(SessionError) { try checkNewShape(spdu) } catch { return [.rejected(error)] }
            guard sessions.count < limits.maxSessions else {
                return [.rejected(.tooManySessions(limit: limits.maxSessions))]
            }
            record = SessionRecord(shape: spdu, now: now)
            actions.append(.opened(id, byOpen: spdu.type == .open))
        }
        let fresh: Bool
        do throws(SessionError) {
            fresh = try record.accept(spdu)
        } catch {
            if case .contentMismatch = error {
                // A late CHECKPOINT contradicts the units already checked: the session cannot complete.
                remember(id, failure: error)
                return [.failed(id, error)]
            }
            // One bad unit: refused, and the session keeps what it had (a new one is not kept).
            if actions.isEmpty { sessions[id] = record }
            return [.rejected(error)]
        }
        record.lastActivity = now
        guard fresh else {
            sessions[id] = record
            return actions + [.duplicate(id, spdu.type, sequence: spdu.sequence)]
        }
        actions.append(.accepted(id, spdu.type, sequence: spdu.sequence))
        do throws(SessionError) {
            for k in try record.advance() { actions.append(.checkpointReached(id, checkpoint: k)) }
            if record.isComplete {
                let message = try record.assemble()
                remember(id, failure: nil)
                return actions + [.deliver(id, message), .reply(record.reply(.ack)), .closed(id)]
            }
            sessions[id] = record
        } catch {
            // The data contradicts what the sender announced: the session cannot complete.
            remember(id, failure: error)
            actions.append(.failed(id, error))
        }
        return actions
    }

    /// Shape checks for a unit that would open a session, before anything is allocated for it.
    private func checkNewShape(_ spdu: SPDU) throws(SessionError) {
        guard spdu.checkpointInterval >= 1 else { throw .badCheckpointInterval(0) }
        guard Int(spdu.totalUnits) <= limits.maxUnitsPerSession else {
            throw .totalUnitsTooLarge(spdu.totalUnits, limit: limits.maxUnitsPerSession)
        }
        guard Int(spdu.totalLength) <= limits.maxMessageLength else {
            throw .totalLengthTooLarge(spdu.totalLength, limit: limits.maxMessageLength)
        }
        // Each data unit holds at least one byte, and there is a unit whenever there are bytes.
        guard spdu.totalUnits <= spdu.totalLength, (spdu.totalUnits == 0) == (spdu.totalLength == 0) else {
            throw .inconsistentShape(
                spdu.sessionID, field: "totalUnits", expected: spdu.totalLength,
                actual: spdu.totalUnits)
        }
    }

    private mutating func remember(_ id: SessionID, failure: SessionError?) {
        finished.append((id, failure))
        if finished.count > max(0, limits.rememberedClosed) {
            finished.removeFirst(finished.count - limits.rememberedClosed)
        }
    }

    private mutating func expire(now: Duration) -> [Action] {
        guard let timeout = limits.idleTimeout else { return [] }
        var actions: [Action] = []
        for id in openSessions {
            guard let r = sessions[id], now - r.lastActivity > timeout else { continue }
            actions.append(.status(r.status()))
            sessions[id] = nil
            remember(id, failure: .sessionExpired(id))
            actions.append(.expired(id))
        }
        return actions
    }
}
