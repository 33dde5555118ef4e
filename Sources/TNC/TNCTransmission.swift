import Framings
import L1Physical

/// One keying of the transmitter: TXDELAY as flags, the frame with its FCS, TXTAIL as flags,
/// as Bell 202 AFSK (or any other `FSKSignalling`).
///
///     var p = KISSPortParameters()
///     p.txDelay = 50                                       // 500 ms of flags
///     let audio = TNCTransmission.render(frame.bytes, parameters: p, sampleRate: 48000)
public enum TNCTransmission {
    /// Flags that fill `seconds` at `signalling`'s bit rate (at least one: a frame needs its
    /// opening and closing flag).
    public static func flags(seconds: Double, signalling: FSKSignalling) -> Int {
        max(1, Int((seconds * signalling.baud / 8).rounded(.up)))
    }

    /// The audio of one transmission of `frame` (AX.25 bytes without FCS).
    ///
    /// - Parameters:
    ///   - frame: The frame; its FCS is added.
    ///   - parameters: TXDELAY and TXTAIL of the port.
    ///   - signalling: Tones and bit rate, Bell 202 by default.
    ///   - sampleRate: Samples per second.
    ///   - amplitude: Peak level.
    /// - Returns: The samples, from the first flag to the last.
    /// - Complexity: O(*n*) in the samples.
    public static func render(
        _ frame: [UInt8], parameters: KISSPortParameters, signalling: FSKSignalling = .bell202,
        sampleRate: Double, amplitude: Float = 0.5
    ) -> [Float] {
        let levels = HDLCEncoder.lineBits(
            [frame], preambleFlags: flags(seconds: parameters.txDelaySeconds, signalling: signalling),
            postambleFlags: flags(seconds: parameters.txTailSeconds, signalling: signalling))
        return FSKBitModulator.render(levels, signalling: signalling, sampleRate: sampleRate, amplitude: amplitude)
    }

    /// The audio of one transmission of `frame` on any `AX25Modem`: AFSK as above, or G3RUH
    /// baseband (the scrambler starts afresh at each keying; TXDELAY's flags give the
    /// receiver's descrambler and clock the time to lock).
    public static func render(
        _ frame: [UInt8], parameters: KISSPortParameters, modem: AX25Modem, sampleRate: Double,
        amplitude: Float = 0.5
    ) -> [Float] {
        switch modem {
        case .afsk(let s):
            return render(frame, parameters: parameters, signalling: s, sampleRate: sampleRate, amplitude: amplitude)
        case .g3ruh(let baud):
            let rate = FSKSignalling(mark: 0, space: 0, baud: baud)
            let levels = HDLCEncoder.lineBits(
                [frame], preambleFlags: max(4, flags(seconds: parameters.txDelaySeconds, signalling: rate)),
                postambleFlags: flags(seconds: parameters.txTailSeconds, signalling: rate))
            var scrambler = G3RUHScrambler()
            let line = levels.map { scrambler.scramble($0) }
            return BasebandModulator.render(line, baud: baud, sampleRate: sampleRate, amplitude: amplitude)
        }
    }
}
