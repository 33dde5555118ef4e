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
}
