import ArgumentParser
import Foundation
import L1Physical

extension SoundStackCommand {
    struct Modes: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "modes",
            abstract: "List the modulation modes and the FEC schemes.",
            discussion: "Bit rates are with NRZ; Manchester sends two chips per bit, doubling the symbol rate.")

        func run() {
            print("mode        tones (Hz)                       baud   bit/s   bandwidth  line code  orthogonal  fec")
            for m in Mode.all {
                let tones = m.isBaseband ? "(levels ±A)" : toneList(m.tones)
                print(
                    m.name.padded(11), tones.padded(32),
                    String(
                        format: "%5.0f  %6.0f  %6.0f Hz ", m.baud, m.bitRate, m.bandwidth(lineCode: m.defaultLineCode)),
                    m.defaultLineCode.rawValue.padded(10), (m.isOrthogonal ? "yes" : "no").padded(10),
                    m.defaultFEC.name)
            }
            print("")
            for m in Mode.all { print("\(m.name): \(m.summary)") }
            print("\nCustom: --baud B --tones F0,F1[,…]  (symbol 0 first; 2, 4, 8 or 16 tones)")
            print("\nFEC (--fec; decode needs no flag)  rate: payload bits per bit sent, 256-byte frames")
            for f in FECScheme.allCases {
                print(f.name.padded(8), String(format: "%5.3f", f.codeRate(payloadBytes: 256)), " ", f.summary)
            }
        }

        func toneList(_ t: [Double]) -> String {
            if t.count <= 4 { return t.map { String(Int($0)) }.joined(separator: "/") }
            return "\(Int(t[0]))…\(Int(t[t.count - 1])) step \(Int(t[1] - t[0]))"
        }
    }
}

extension String {
    /// Left-aligned in a column of `width` characters.
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
