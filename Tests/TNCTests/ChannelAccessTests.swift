import Framings
import SignalBasics
import TNC
import Testing

/// The p-persistence state machine on a made-up clock with seeded draws: no real time.
@Suite struct ChannelAccessTests {
    static func parameters(persistence: UInt8 = 63, slotTime: UInt8 = 10, fullDuplex: Bool = false)
        -> KISSPortParameters
    {
        var p = KISSPortParameters()
        p.persistence = persistence
        p.slotTime = slotTime
        p.fullDuplex = fullDuplex
        return p
    }

    @Test func fullDuplexSendsAtOnceEvenOnABusyChannel() {
        var access = ChannelAccess(parameters: Self.parameters(persistence: 0, fullDuplex: true))
        var rng = SeededGenerator(seed: 1)
        #expect(access.attempt(now: 5, channelBusy: true, using: &rng) == .transmit)
    }

    @Test func aBusyChannelWaitsASlotAndAttemptsBeforeItsEndWaitForIt() {
        var access = ChannelAccess(parameters: Self.parameters(persistence: 255, slotTime: 20))
        var rng = SeededGenerator(seed: 2)
        #expect(access.attempt(now: 1, channelBusy: true, using: &rng) == .wait(until: 1.2))
        #expect(access.attempt(now: 1.1, channelBusy: false, using: &rng) == .wait(until: 1.2))
        #expect(access.attempt(now: 1.2, channelBusy: false, using: &rng) == .transmit)
        #expect(access.slotEnd == nil)
    }

    @Test func persistence255AlwaysSendsOnAFreeChannel() {
        var access = ChannelAccess(parameters: Self.parameters(persistence: 255))
        var rng = SeededGenerator(seed: 3)
        for k in 0..<1000 {
            #expect(access.attempt(now: Double(k), channelBusy: false, using: &rng) == .transmit)
        }
    }

    /// Free channel, P = 63 (p = 1/4), slot 100 ms: the wait before sending is geometric, with
    /// mean slot × (1 − p) / p = 0.3 s; each wait is a whole number of slots.
    @Test(arguments: [UInt64(4), 5, 6])
    func theWaitOnAFreeChannelIsGeometricInSlots(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        var total = 0.0
        let frames = 4000
        for _ in 0..<frames {
            var access = ChannelAccess(parameters: Self.parameters(persistence: 63, slotTime: 10))
            var now = 0.0
            while case .wait(let until) = access.attempt(now: now, channelBusy: false, using: &rng) {
                #expect(until > now)
                now = until
            }
            let slots = now / 0.1
            #expect(abs(slots - slots.rounded()) < 1e-9)
            total += now
        }
        let mean = total / Double(frames)
        #expect(abs(mean - 0.3) < 0.03, "mean wait \(mean) s")
    }

    @Test func parameterCommandsSetTheirValue() {
        var p = KISSPortParameters()
        #expect(p.apply(KISSFrame(command: .txDelay, payload: [50])) == .set)
        #expect(p.apply(KISSFrame(command: .persistence, payload: [127])) == .set)
        #expect(p.apply(KISSFrame(command: .slotTime, payload: [5])) == .set)
        #expect(p.apply(KISSFrame(command: .txTail, payload: [2])) == .set)
        #expect(p.apply(KISSFrame(command: .fullDuplex, payload: [1])) == .set)
        #expect(p.txDelaySeconds == 0.5 && p.persistence == 127 && p.slotTimeSeconds == 0.05)
        #expect(p.txTail == 2 && p.fullDuplex)
        #expect(p.apply(KISSFrame(command: .txDelay)) == .missingValue)
        #expect(p.apply(KISSFrame(command: .setHardware, payload: [1])) == .notAParameter)
        #expect(p.apply(KISSFrame(command: .data, payload: [1])) == .notAParameter)
        #expect(p.txDelay == 50)
    }

    @Test func txDelayBecomesFlagsAtTheBitRate() {
        // 300 ms at 1200 bit/s = 360 bits = 45 flags; 0 still sends one flag.
        #expect(TNCTransmission.flags(seconds: 0.3, signalling: .bell202) == 45)
        #expect(TNCTransmission.flags(seconds: 0, signalling: .bell202) == 1)
    }
}
