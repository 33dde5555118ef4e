import Foundation
import L1Physical
import Plots

/// Sweep results as text: a table for people, CSV for `soundstack plot --kind ber`,
/// JSON, and the curves for a chart.
///
///     print(ErrorRateReport.table(results))
///     try ErrorRateReport.csv(results).write(toFile: "ber.csv", atomically: true, encoding: .utf8)
///     try ErrorRateReport.chart(results).write(to: "ber.svg")
public enum ErrorRateReport {
    /// The CSV columns, `mode,ebn0_db,ber,fer` first so that Plots' `ErrorRateTable` reads them.
    public static let csvHeader = [
        "mode", "ebn0_db", "ber", "fer", "theory_ber", "theory_coherent_bfsk", "theory_fer", "ber_found",
        "layer", "frame_bytes", "frames", "delivered", "not_found", "phy_header_error", "payload_crc", "fcs",
        "runt", "too_long", "not_for_me", "truncated", "wrong_delivered", "spurious", "spurious_delivered",
        "bits", "bit_errors", "line_code", "seed", "fec", "eb_per"
    ]

    /// The name of a result's curve: the mode, plus the frame size when the results mix sizes
    /// (a plain mode name lets `soundstack plot` find its tone count for the theory curve).
    public static func label(_ r: ErrorRateSweepResult, in all: [ErrorRateSweepResult]) -> String {
        let sizes = Set(all.filter { $0.mode == r.mode }.map { "\($0.frameBytes)/\($0.layer.rawValue)" })
        let fecs = Set(all.filter { $0.mode == r.mode }.map(\.fec))
        let base = sizes.count > 1 ? "\(r.mode)-\(r.frameBytes)B" : r.mode
        return r.fec != FECScheme.none.name || fecs.count > 1 ? "\(base)+\(r.fec)" : base
    }

    /// One header line and one row per point.
    public static func csv(_ results: [ErrorRateSweepResult]) -> String {
        var lines = [csvHeader.joined(separator: ",")]
        for r in results {
            for p in r.points {
                let c = p.counts
                let cells: [String] = [
                    label(r, in: results), number(p.ebn0dB), number(p.ber), number(p.fer),
                    p.theoryBER.map(number) ?? "", number(p.theoryCoherentBFSK), p.theoryFER.map(number) ?? "",
                    number(c.berFound), r.layer.rawValue, "\(r.frameBytes)", "\(c.framesSent)", "\(c.deliveredOK)",
                    "\(c.notFound)", "\(c.phyHeaderError)", "\(c.payloadCRC)", "\(c.fcs)", "\(c.runt)", "\(c.tooLong)",
                    "\(c.notForMe)", "\(c.truncated)", "\(c.wrongDelivered)", "\(c.spurious)", "\(c.spuriousDelivered)",
                    "\(c.bits)", "\(c.bitErrors)", r.lineCode, "\(r.seed)", r.fec,
                    r.ebPerPayloadBit ? "payload-bit" : "bit"
                ]
                lines.append(cells.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Pretty-printed JSON of the results, with each sweep's totals and gap to theory.
    public static func json(_ results: [ErrorRateSweepResult]) throws -> String {
        struct Entry: Encodable {
            var result: ErrorRateSweepResult
            var totals: ErrorRateCounts
            var gapToTheoryAt1e3DB: Double?
            var measuredEbN0At1e3DB: Double?
            var ebN0ForFER1e2DB: Double?
        }
        struct Document: Encodable {
            var sweeps: [Entry]
            var damagedDelivered: Int
        }
        let doc = Document(
            sweeps: results.map {
                Entry(
                    result: $0, totals: $0.totals, gapToTheoryAt1e3DB: $0.gapToTheoryDB,
                    measuredEbN0At1e3DB: $0.measuredEbN0(atBER: 1e-3), ebN0ForFER1e2DB: $0.measuredEbN0(atFER: 1e-2))
            }, damagedDelivered: results.reduce(0) { $0 + $1.totals.damagedDelivered })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(doc), as: UTF8.self) + "\n"
    }

    /// A fixed-width table: one block per sweep, then the totals and the gaps to theory.
    public static func table(_ results: [ErrorRateSweepResult]) -> String {
        var out = [String]()
        for r in results {
            let caughtBy = r.layer == .phy ? "crc32" : "fcs"
            out.append(
                "\(r.mode) (\(r.lineCode)), \(r.layer.rawValue) layer, \(r.frameBytes)-byte frames"
                    + " (\(r.checkedBits) checked bits), \(r.framesPerPoint) frames per point, seed \(r.seed)"
                    + (r.fec == FECScheme.none.name ? "" : ", FEC \(r.fec)")
                    + (r.ebPerPayloadBit ? "; Eb/N0 per payload bit" : ""))
            out.append(
                row([
                    "Eb/N0", "BER", "theory", "BER found", "FER", "theory FER", "sent", "ok",
                    "lost", "hdr", caughtBy, "other", "WRONG"
                ]))
            for p in r.points {
                let c = p.counts
                let check = r.layer == .phy ? c.payloadCRC : c.fcs
                let other = c.runt + c.tooLong + c.notForMe + c.truncated + (r.layer == .phy ? c.fcs : c.payloadCRC)
                out.append(
                    row([
                        fixed(p.ebn0dB, 1), sci(p.ber), p.theoryBER.map(sci) ?? "-", sci(c.berFound),
                        sci(p.fer), p.theoryFER.map(sci) ?? "-", "\(c.framesSent)", "\(c.deliveredOK)",
                        "\(c.notFound)", "\(c.phyHeaderError)", "\(check)", "\(other)",
                        "\(c.damagedDelivered)"
                    ]))
            }
            let t = r.totals
            out.append(
                "  total: \(t.framesSent) frames sent, \(t.deliveredOK) delivered intact, \(t.caught) caught"
                    + " (not found \(t.notFound), phy-header-error \(t.phyHeaderError), \(caughtBy) "
                    + "\(r.layer == .phy ? t.payloadCRC : t.fcs)"
                    + (t.runt + t.tooLong + t.notForMe + t.truncated > 0
                        ? ", runt \(t.runt), too-long \(t.tooLong), not-for-me \(t.notForMe), truncated \(t.truncated)"
                        : "")
                    + "), delivered with wrong content \(t.damagedDelivered)"
                    + (t.spurious > 0 ? ", \(t.spurious) spurious finds" : ""))
            out.append("")
        }
        out.append("Gap to theory at BER 1e-3 (measured − non-coherent M-FSK theory):")
        for r in results {
            let gap = r.gapToTheoryDB.map { String(format: "%+.2f dB", $0) } ?? "n/a (1e-3 not bracketed by the points)"
            let at = r.measuredEbN0(atBER: 1e-3).map { String(format: " (measured %.2f dB", $0) } ?? ""
            let th =
                Mode.named(r.mode).flatMap { ErrorRateSweep.theoryEbN0(mode: $0, atBER: 1e-3) }
                .map { String(format: ", theory %.2f dB)", $0) } ?? (at.isEmpty ? "" : ")")
            out.append("  \(label(r, in: results)) \(r.layer.rawValue): \(gap)\(at)\(at.isEmpty ? "" : th)")
        }
        out.append("Eb/N0 from which 99 % of frames arrive intact (FER ≤ 1e-2 at every point above):")
        for r in results {
            let at = r.measuredEbN0(atFER: 1e-2).map { String(format: "%.2f dB", $0) } ?? "n/a (not reached)"
            out.append(
                "  \(label(r, in: results)) \(r.layer.rawValue): \(at)\(r.ebPerPayloadBit ? " per payload bit" : "")")
        }
        let bad = results.reduce(0) { $0 + $1.totals.damagedDelivered }
        out.append(
            bad == 0
                ? "Damaged frames delivered as good: 0"
                : "!!! DAMAGED FRAMES DELIVERED AS GOOD: \(bad) — a check let errors through !!!")
        return out.joined(separator: "\n") + "\n"
    }

    /// Measured BER and FER of each sweep with the theory curves (BER per tone count, coherent
    /// BFSK, FER per frame length).
    public static func chart(
        _ results: [ErrorRateSweepResult], width: Int = 1000,
        height: Int = 700
    ) throws(PlotError) -> Canvas {
        let xs = results.flatMap { $0.points.map(\.ebn0dB) }
        let range = ((xs.min() ?? 0) - 1).rounded(.down)...((xs.max() ?? 10) + 1).rounded(.up)
        let markers: [MarkerShape] = [.circle, .square, .triangle, .diamond]
        var series = [CurveSeries]()
        var tones = [Int]()
        for (i, r) in results.enumerated() {
            let name = label(r, in: results)
            let marker = markers[i % markers.count]
            series.append(
                CurveSeries(
                    name: "\(name) BER", points: r.points.map { Point($0.ebn0dB, $0.ber) },
                    color: Color.series(2 * i), marker: marker))
            series.append(
                CurveSeries(
                    name: "\(name) FER", points: r.points.map { Point($0.ebn0dB, $0.fer) },
                    color: Color.series(2 * i + 1), dash: [2, 3], marker: marker))
            if let mode = Mode.named(r.mode), !mode.isBaseband {
                if !tones.contains(mode.symbolCount) { tones.append(mode.symbolCount) }
                let bits = r.checkedBits
                let m = mode.symbolCount
                series.append(
                    .theory("theory FER, \(bits) bits", range: range, color: Color.series(2 * i + 1)) {
                        ErrorRateTheory.frameErrorRate(
                            ber: ErrorRateTheory.nonCoherentMFSK(tones: m, ebn0dB: $0), bits: bits)
                    })
            }
        }
        for (j, m) in tones.sorted().enumerated() {
            let name = m == 2 ? "theory: non-coherent BFSK 0.5 exp(-Eb/2N0)" : "theory: non-coherent \(m)-FSK"
            series.append(
                .theory(name, range: range, color: Color(hex: j == 0 ? 0x444444 : 0x8C564B)) {
                    ErrorRateTheory.nonCoherentMFSK(tones: m, ebn0dB: $0)
                })
        }
        series.append(
            .theory("theory: coherent BFSK Q(sqrt(Eb/N0))", range: range, color: Color(hex: 0x9467BD)) {
                ErrorRateTheory.coherentBFSK(ebn0dB: $0)
            })
        return try ErrorRatePlot.render(
            series, title: "Error rate vs Eb/N0 (measured points, theory dashed)",
            yLabel: "BER / FER", xRange: range, width: width, height: height)
    }

    // MARK: Formatting

    static func number(_ v: Double) -> String {
        if v == 0 { return "0" }
        if v == v.rounded(), abs(v) < 1e6 { return String(Int(v)) }
        return String(format: "%.6g", v)
    }
    static func sci(_ v: Double) -> String { v == 0 ? "0" : String(format: "%.2e", v) }
    static func fixed(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }
    static func row(_ cells: [String]) -> String {
        let widths = [6, 9, 9, 9, 9, 10, 6, 6, 6, 5, 6, 6, 6]
        return "  "
            + cells.enumerated().map { i, s in
                let w = i < widths.count ? widths[i] : 8
                return String(repeating: " ", count: max(0, w - s.count)) + s
            }.joined(separator: " ")
    }
}
