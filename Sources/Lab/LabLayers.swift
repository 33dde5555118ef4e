import L1Physical
import SoundStack

/// Each layer's part in one message, from the sender's trace, the receiver's trace and the
/// frames layer 1 found: what was added going down, what was checked coming up, and whether a
/// check caught damage.
enum LabLayers {
    /// The protocol this stack runs at each layer, for layers the traces do not reach.
    static let protocols = [1: "FSK", 2: "Ethernet", 3: "IPv4", 4: "TCP", 5: "S5", 6: "P6", 7: "HTTP or text"]

    /// Layer 7 first, down to layer 1.
    /// - Parameters:
    ///   - down: the sender's trace (layers 7 … 1).
    ///   - up: the receiver's result for the message, if any frame of it got past layer 2.
    ///   - reports: every frame layer 1 found, all rounds.
    ///   - delivered: whether the whole message reached the top.
    static func describe(
        down: StackTrace, up: StackResult?, reports: [LinkFrameReport], delivered: Bool
    ) -> [LabResult.Layer] {
        let sent = Dictionary(down.records.map { ($0.layer, $0) }, uniquingKeysWith: { a, _ in a })
        let received = Dictionary(
            (up?.trace.records ?? []).filter { $0.direction == .up }.map { ($0.layer, $0) },
            uniquingKeysWith: { _, b in b })
        var layers: [LabResult.Layer] = []
        for n in stride(from: 7, through: 1, by: -1) {
            let record = sent[n]
            var layer = LabResult.Layer(
                layer: n, name: StackTraceRecord.layerNames[n] ?? "Layer \(n)",
                protocol: record?.protocolName ?? received[n]?.protocolName ?? protocols[n] ?? "",
                added: record.map(addedText) ?? "", checked: "", status: "not reached", error: nil)
            switch n {
            case 1: physical(&layer, reports)
            case 2: dataLink(&layer, reports)
            default:
                if let r = received[n] {
                    layer.checked =
                        r.summary + (r.checksums.isEmpty ? "" : "; checked " + r.checksums.joined(separator: ", "))
                    layer.conclude(failure: r.error)
                }
                if let error = up?.error, error.layer == n {
                    layer.status = "failed"
                    layer.error = error.description
                } else if layer.status == "not reached", delivered {
                    layer.status = "ok"
                }
            }
            layers.append(layer)
        }
        return layers
    }

    /// The sending side's line: its summary and the bytes it added.
    static func addedText(_ r: StackTraceRecord) -> String {
        let overhead = r.overhead
        let change = overhead == 0 ? "" : overhead > 0 ? " (+\(overhead) B)" : " (\(overhead) B)"
        return "\(r.summary)\(change)"
    }

    /// Layer 1: frames found, and those whose own header could not be read or were cut off.
    static func physical(_ layer: inout LabResult.Layer, _ reports: [LinkFrameReport]) {
        guard !reports.isEmpty else {
            layer.checked = "no frame found: no sync word stood out of the noise"
            layer.status = "failed"
            layer.error = "nothing was found in the audio"
            return
        }
        let bad = reports.filter { if case .physical(let s) = $0.status { s != .ok } else { false } }
        let snr = reports.map(\.phy.frame.ebn0dB).filter(\.isFinite)
        let level = snr.isEmpty ? "" : String(format: ", Eb/N0 %.1f…%.1f dB", snr.min() ?? 0, snr.max() ?? 0)
        let fixed = reports.map(\.phy.frame.correctedBits).reduce(0, +)
        layer.checked =
            "\(frames(reports.count)) found by their sync words\(level); "
            + "each frame's header checked (CRC-8, sent three times)"
            + (fixed > 0 ? "; FEC put \(fixed) bits right" : "")
        layer.conclude(
            failure: bad.isEmpty
                ? nil : "\(frames(bad.count)) lost at layer 1: " + bad.map(\.detail).joined(separator: "; "))
    }

    /// Layer 2: every frame's FCS (CRC-32) and destination address.
    static func dataLink(_ layer: inout LabResult.Layer, _ reports: [LinkFrameReport]) {
        let ethernet = reports.filter { if case .ethernet = $0.status { true } else { false } }
        guard !ethernet.isEmpty else {
            layer.checked = "no frame reached layer 2"
            return
        }
        let failed = ethernet.filter { !$0.isOK && !$0.status.isNotForMe }
        layer.checked =
            "\(frames(ethernet.count)) checked: FCS (CRC-32) and destination address; "
            + "\(ethernet.count - failed.count) passed"
        layer.conclude(
            failure: failed.isEmpty
                ? nil
                : "\(frames(failed.count)) failed the FCS and \(failed.count == 1 ? "was" : "were") dropped, "
                    + "never passed up as good: " + failed.prefix(3).map(\.detail).joined(separator: "; "))
    }

    /// "1 frame", "3 frames".
    static func frames(_ count: Int) -> String { "\(count) frame\(count == 1 ? "" : "s")" }
}

extension LabResult.Layer {
    /// The layer's verdict: failed with `failure`, or ok.
    mutating func conclude(failure: String?) {
        status = failure == nil ? "ok" : "failed"
        error = failure
    }
}
