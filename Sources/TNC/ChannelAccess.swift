/// KISS channel access (p-persistence with slot time) as a value: each attempt to send is an
/// event that returns an ``Action``, with the clock and the random draw handed in, so it is
/// tested without real time.
///
/// The algorithm of the KISS specification: with a frame waiting, when the channel is busy wait
/// a slot and look again; when it is free draw a number 0…255 and send if it is at most the
/// persistence value, else wait one slot. Full duplex sends at once.
///
///     var access = ChannelAccess(parameters: KISSPortParameters())
///     var rng = SeededGenerator(seed: 1)
///     switch access.attempt(now: 0, channelBusy: false, using: &rng) {
///     case .transmit: send()
///     case .wait(let until): sleep(until: until)      // then attempt again
///     }
public struct ChannelAccess: Sendable, Hashable {
    /// What to do now.
    public enum Action: Sendable, Hashable {
        /// Key up and send.
        case transmit
        /// Attempt again at this time (seconds on the clock `now` is read from).
        case wait(until: Double)
    }

    /// The port's parameters (persistence, slot time, full duplex).
    public var parameters: KISSPortParameters
    /// When the current slot ends; attempts before it wait for it.
    public private(set) var slotEnd: Double?

    /// Channel access with `parameters`, no slot under way.
    public init(parameters: KISSPortParameters) {
        self.parameters = parameters
    }

    /// One attempt to send a waiting frame.
    ///
    /// - Parameters:
    ///   - now: The time, in seconds, on any steady clock.
    ///   - channelBusy: Whether a carrier is heard now.
    ///   - random: The source of the persistence draw.
    /// - Returns: ``Action/transmit``, or when to attempt again.
    /// - Complexity: O(1).
    public mutating func attempt(
        now: Double, channelBusy: Bool, using random: inout some RandomNumberGenerator
    ) -> Action {
        if parameters.fullDuplex {
            slotEnd = nil
            return .transmit
        }
        if let end = slotEnd, now < end { return .wait(until: end) }
        if channelBusy {
            let end = now + parameters.slotTimeSeconds
            slotEnd = end
            return .wait(until: end)
        }
        let draw = UInt8.random(in: 0...255, using: &random)
        if draw <= parameters.persistence {
            slotEnd = nil
            return .transmit
        }
        let end = now + parameters.slotTimeSeconds
        slotEnd = end
        return .wait(until: end)
    }

    /// Forgets the slot under way (the frame was sent, or dropped).
    public mutating func reset() { slotEnd = nil }
}
