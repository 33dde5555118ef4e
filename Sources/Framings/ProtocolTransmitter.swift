import Foundation
import L1Physical

/// Renders messages of the real-world framings as audio samples.
///
///     let audio = ProtocolTransmitter.ax25([try AX25Frame(tnc2: "N0CALL>APRS:hi")], sampleRate: 48000)
public enum ProtocolTransmitter {
    static func silence(_ seconds: Double, _ rate: Double) -> [Float] {
        [Float](repeating: 0, count: Int(seconds * rate))
    }

    /// AX.25 frames, each in its own transmission (flags before and after) with silence between.
    public static func ax25(
        _ frames: [AX25Frame], signalling: FSKSignalling = .bell202,
        sampleRate: Double, amplitude: Float = 0.5
    ) -> [Float] {
        var out = silence(0.1, sampleRate)
        for f in frames {
            let levels = HDLCEncoder.lineBits([f.bytes], preambleFlags: 40, postambleFlags: 3)
            out += FSKBitModulator.render(levels, signalling: signalling, sampleRate: sampleRate, amplitude: amplitude)
            out += silence(0.25, sampleRate)
        }
        return out
    }

    /// AX.25 frames sent as FX.25 (Reed–Solomon with `parityCount` = 16, 32 or 64 check bytes),
    /// with the same preamble, postamble and gaps as ``ax25(_:signalling:sampleRate:amplitude:)``.
    ///
    /// - Throws: ``ProtocolError/tooLongForFX25(bytes:limit:)`` for a frame no FX.25 block holds,
    ///   ``ProtocolError/invalidFormat(_:)`` for another parity count.
    public static func fx25(
        _ frames: [AX25Frame], parityCount: Int, signalling: FSKSignalling = .bell202,
        sampleRate: Double, amplitude: Float = 0.5
    ) throws(ProtocolError) -> [Float] {
        var out = silence(0.1, sampleRate)
        for f in frames {
            let levels = try FX25.lineBits([f.bytes], parityCount: parityCount, preambleFlags: 40, postambleFlags: 3)
            out += FSKBitModulator.render(levels, signalling: signalling, sampleRate: sampleRate, amplitude: amplitude)
            out += silence(0.25, sampleRate)
        }
        return out
    }

    /// AX.25 frames on any ``AX25Modem``: AFSK as ``ax25(_:signalling:sampleRate:amplitude:)``, or
    /// G3RUH baseband — HDLC bit stuffing and NRZI, the x^17 + x^12 + 1 scrambler, raised-cosine
    /// NRZ pulses — with 0.1 s of silence before the first frame and 0.25 s after each.
    ///
    ///     let audio = try ProtocolTransmitter.ax25(frames, modem: .g3ruh(baud: 9600), sampleRate: 48000)
    ///
    /// - Throws: ``ProtocolError/unencodable(_:)`` when `sampleRate` is under the modem's
    ///   ``AX25Modem/minimumTransmitRate`` (48 kHz at 9600 Bd).
    public static func ax25(
        _ frames: [AX25Frame], modem: AX25Modem, sampleRate: Double, amplitude: Float = 0.5
    ) throws(ProtocolError) -> [Float] {
        guard sampleRate >= modem.minimumTransmitRate else {
            throw .unencodable(
                "\(modem) at \(Int(sampleRate)) Hz: the sample rate must be at least \(Int(modem.minimumTransmitRate)) Hz"
            )
        }
        switch modem {
        case .afsk(let s):
            return ax25(frames, signalling: s, sampleRate: sampleRate, amplitude: amplitude)
        case .g3ruh(let baud):
            var out = silence(0.1, sampleRate)
            var scrambler = G3RUHScrambler()
            // Flags for about 0.1 s of key-up (TXDELAY) at any rate, as at 1200 Bd with 40 flags.
            let flags = max(40, Int(baud / 80))
            for f in frames {
                let levels = HDLCEncoder.lineBits([f.bytes], preambleFlags: flags, postambleFlags: 4)
                let line = levels.map { scrambler.scramble($0) }
                out += BasebandModulator.render(line, baud: baud, sampleRate: sampleRate, amplitude: amplitude)
                out += silence(0.25, sampleRate)
            }
            return out
        }
    }

    /// Levels and durations (in bits) of characters in an asynchronous format.
    static func uartLevels(_ bytes: [UInt8], format: UARTFormat, leadBits: Int, tailBits: Int)
        -> (levels: [Bool], durations: [Double])
    {
        var levels: [Bool] = [true]
        var durations: [Double] = [Double(leadBits)]
        for b in bytes {
            for bit in format.bits(of: b) { levels.append(bit); durations.append(1) }
            levels.append(true)
            durations.append(format.stopBits)
        }
        levels.append(true)
        durations.append(Double(tailBits))
        return (levels, durations)
    }

    /// Bytes as asynchronous serial characters (idle mark before and after).
    public static func uart(
        _ bytes: [UInt8], format: UARTFormat = .n81, signalling: FSKSignalling = .bell202,
        sampleRate: Double, amplitude: Float = 0.5
    ) -> [Float] {
        let (levels, durations) = uartLevels(
            bytes, format: format, leadBits: Int(signalling.baud / 4) + 10,
            tailBits: Int(signalling.baud / 10) + 4)
        return silence(0.1, sampleRate)
            + FSKBitModulator.render(
                levels, durations: durations, signalling: signalling,
                sampleRate: sampleRate, amplitude: amplitude)
            + silence(0.1, sampleRate)
    }

    /// Text as Baudot RTTY (5 bits, 1.5 stop bits).
    public static func rtty(
        _ text: String, signalling: FSKSignalling = .rtty45, sampleRate: Double,
        amplitude: Float = 0.5
    ) throws(ProtocolError) -> [Float] {
        let codes = try Baudot.encode(text)
        let (levels, durations) = uartLevels(codes, format: .baudot, leadBits: 20, tailBits: 5)
        return silence(0.1, sampleRate)
            + FSKBitModulator.render(
                levels, durations: durations, signalling: signalling,
                sampleRate: sampleRate, amplitude: amplitude)
            + silence(0.1, sampleRate)
    }

    /// SAME messages (headers `ZCZC-…` or `NNNN`), each sent three times after a 16-byte
    /// 0xAB preamble, one second apart.
    public static func same(
        _ messages: [String], signalling: FSKSignalling = .same, sampleRate: Double,
        amplitude: Float = 0.5
    ) throws(ProtocolError) -> [Float] {
        var out = silence(0.5, sampleRate)
        for m in messages {
            guard m.utf8.allSatisfy({ (0x20...0x7E).contains($0) }), m.hasPrefix("ZCZC-") || m == "NNNN" else {
                throw .unencodable("'\(m)' as a SAME message (ZCZC-… or NNNN)")
            }
            let bytes = [UInt8](repeating: 0xAB, count: 16) + Array(m.utf8)
            var levels: [Bool] = []
            for b in bytes { for i in 0..<8 { levels.append((b >> UInt8(i)) & 1 == 1) } }
            for _ in 0..<3 {
                out += FSKBitModulator.render(
                    levels, signalling: signalling, sampleRate: sampleRate, amplitude: amplitude)
                out += silence(1, sampleRate)
            }
        }
        return out
    }

    /// A caller ID message from a line like `MDMF DATE="11011820" NUMBER="4133972057" NAME="X"`
    /// (SDMF is not generated): channel seizure, 180 mark bits, then the MDMF bytes 8-N-1.
    public static func callerID(
        line: String, signalling: FSKSignalling = .bell202, sampleRate: Double,
        amplitude: Float = 0.5
    ) throws(ProtocolError) -> [Float] {
        let names: [String: UInt8] = [
            "DATE": 1, "NUMBER": 2, "DIALABLE": 3, "NUMBER_ABSENT": 4,
            "NAME": 7, "NAME_ABSENT": 8
        ]
        var params: [(UInt8, [UInt8])] = []
        var rest = Substring(line.hasPrefix("MDMF") ? String(line.dropFirst(4)) : line)
        while let eq = rest.firstIndex(of: "=") {
            let key = rest[..<eq].trimmingCharacters(in: .whitespaces)
            let afterEq = rest[rest.index(after: eq)...]
            guard afterEq.first == "\"", let close = afterEq.dropFirst().firstIndex(of: "\""),
                let t = names[key]
            else { throw .unencodable("caller ID parameter near '\(rest)'") }
            params.append((t, Array(afterEq[afterEq.index(after: afterEq.startIndex)..<close].utf8)))
            rest = afterEq[afterEq.index(after: close)...]
        }
        guard !params.isEmpty else { throw .unencodable("caller ID line '\(line)' (KEY=\"value\" …)") }
        let message = CallerIDMessage.mdmf(params)
        var levels = [Bool](repeating: true, count: 1)
        var durations: [Double] = [0]
        for i in 0..<300 { levels.append(i % 2 == 1); durations.append(1) }
        let (l, d) = uartLevels(message, format: .n81, leadBits: 180, tailBits: 10)
        levels += l
        durations += d
        return silence(0.2, sampleRate)
            + FSKBitModulator.render(
                levels, durations: durations, signalling: signalling,
                sampleRate: sampleRate, amplitude: amplitude)
            + silence(0.2, sampleRate)
    }
}
