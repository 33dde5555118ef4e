import ArgumentParser
import Foundation
import L1Physical

/// `--mode`, `--line-code`, `--baud`, `--tones`: which modulation.
struct ModeOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Modulation mode (see `soundstack modes`).")
    var mode: Mode?

    @Option(name: .customLong("line-code"), help: "Line code (manchester is IEEE 802.3's). Default: the mode's.")
    var lineCode: LineCode?

    @Option(
        help:
            "Custom mode: symbols per second, 1…100000 (with --tones). With --protocol ax25: 300 (1600/1800 Hz), 1200 (default) or 9600 (G3RUH baseband)."
    )
    var baud: Double?

    @Option(
        help: "Custom mode: comma-separated tone frequencies in Hz, 2/4/8/16 of them, symbol 0 first (with --baud).")
    var tones: String?

    /// The `--tones` list, if given.
    func toneList() throws -> [Double]? {
        guard let t = tones else { return nil }
        let list = t.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !list.isEmpty, list.allSatisfy({ $0 != nil }) else {
            throw ValidationError("--tones: not a list of numbers: \(t)")
        }
        return list.compactMap { $0 }
    }

    func validate() throws {
        try require(baud, in: OptionRange.baud, "--baud")
        if tones != nil, baud == nil { throw ValidationError("--tones needs --baud") }
        if baud != nil, mode != nil { throw ValidationError("give either --mode or --baud/--tones") }
    }

    /// `--baud` alone is for `--protocol` (AX.25 300/1200/9600, UART, …); a custom mode needs `--tones` too.
    func requireTonesUnlessProtocol(_ protocolName: String?) throws {
        if baud != nil, tones == nil, protocolName == nil {
            throw ValidationError("--baud needs --tones (a custom mode), or --protocol")
        }
    }

    /// The chosen mode, or nil when none was given (decode then detects it).
    func resolvedMode() throws -> Mode? {
        if let b = baud {
            guard let list = try toneList() else {
                throw ValidationError("--baud without --tones is for --protocol (a custom mode needs both)")
            }
            return Mode.custom(baud: b, tones: list)
        }
        return mode
    }

    func resolvedLineCode() throws -> LineCode? { lineCode }
}

/// Writes to stderr.
func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
