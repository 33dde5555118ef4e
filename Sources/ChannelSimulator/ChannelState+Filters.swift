/// The steps of ``ChannelState`` that filter or resample the signal.
extension ChannelState {
    /// The resampler design used for clock drift: wide band (flat to 0.9 × Nyquist).
    static let driftQuality = Resampler.Quality(zeroCrossings: 48, rolloff: 0.95, beta: 8)

    mutating func drift(ppm: Double) {
        let factor = 1 + ppm * 1e-6
        let before = samples.count
        samples = Resampler(step: factor, quality: Self.driftQuality).process(samples)
        let old = mask
        mask = (0..<samples.count).map { n in
            old.isEmpty ? false : old[min(old.count - 1, Int(Double(n) * factor))]
        }
        erasures = erasures.map { $0 / factor }
        bursts = bursts.map { $0 / factor }
        record(
            "drift", [.init("drift", ppm, "ppm")],
            "drift: \(formatted(ppm, digits: 1)) ppm, frequencies × \(formatted(factor, digits: 7)), "
                + "\(before) → \(samples.count) samples")
    }

    mutating func shiftFrequency(_ hz: Double) {
        samples = FrequencyShifter(offset: hz, sampleRate: fs).process(samples)
        record("freq", [.init("offset", hz, "Hz")], "freq: every frequency shifted by \(formatted(hz, digits: 2)) Hz")
    }

    mutating func bandPass(_ lo: Double, _ hi: Double) {
        var filter = BiquadCascade.bandPass(low: lo, high: hi, order: 6, sampleRate: fs)
        filter.process(&samples)
        record(
            "phone", [.init("low", lo, "Hz"), .init("high", hi, "Hz"), .init("order", 6)],
            "phone: band-pass \(formatted(lo, digits: 1))–\(formatted(hi, digits: 1)) Hz, "
                + "6th-order Butterworth each side")
    }

    mutating func muLaw() throws {
        let n = samples.count
        var narrow = try Resampler.resample(samples, from: sampleRate, to: 8000)
        MuLaw.roundTrip(&narrow)
        var back = try Resampler.resample(narrow, from: 8000, to: sampleRate)
        if back.count > n { back.removeLast(back.count - n) }
        if back.count < n { back += [Float](repeating: 0, count: n - back.count) }
        samples = back
        record(
            "mulaw", [.init("rate", 8000, "Hz")],
            "mulaw: resampled to 8 kHz, G.711 µ-law encoded and decoded, resampled back")
    }

    mutating func echo(_ taps: [EchoTap]) {
        let dry = samples
        let lags = taps.map { sampleCount(milliseconds: $0.delayMilliseconds) }
        let gains = taps.map { Float(amplitudeRatio(dB: $0.gainDB)) }
        dry.withUnsafeBufferPointer { x in
            samples.withUnsafeMutableBufferPointer { y in
                for (lag, g) in zip(lags, gains) where lag < x.count {
                    for i in lag..<x.count { y[i] += g * x[i - lag] }
                }
            }
        }
        var params: [ChannelReport.Parameter] = []
        for t in taps {
            params.append(.init("delay", t.delayMilliseconds, "ms"))
            params.append(.init("gain", t.gainDB, "dB"))
        }
        let text = taps.map { "\(formatted($0.delayMilliseconds)) ms @ \(formatted($0.gainDB, digits: 1)) dB" }
        record("echo", params, "echo: " + text.joined(separator: ", "))
    }
}
