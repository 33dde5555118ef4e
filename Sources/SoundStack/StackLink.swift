import L1Physical
import L2DataLink

/// Layers 1–2 feeding the stack: audio in, IPv4 frames handed to a `StackReceiver`.
///
///     var rx = StackReceiver()
///     let reports = try StackLink.receive(samples, sampleRate: 48000, modes: [mode], station: station, into: &rx)
///     let results = rx.finish()
public enum StackLink {
    /// Decodes `samples` (one recording) and passes every good IPv4 frame for `station` up.
    /// - Returns: layer 1–2's report on every frame found.
    public static func receive(_ samples: [Float], sampleRate: Double, modes: [Mode], lineCode: LineCode? = nil,
                               station: EthernetReceiver, into stack: inout StackReceiver) throws -> [LinkFrameReport] {
        let link = LinkReceiver(physical: try PhysicalReceiver(modes: modes, lineCode: lineCode, sampleRate: sampleRate),
                                station: station)
        var (reports, deliveries) = samples.withUnsafeBufferPointer { link.process($0) }
        let end = link.finish()
        reports += end.0
        deliveries += end.1
        pass(reports, deliveries, into: &stack)
        return reports
    }

    /// Hands the IPv4 deliveries to the stack, each with its frame's airtime.
    public static func pass(_ reports: [LinkFrameReport], _ deliveries: [LinkDelivery], into stack: inout StackReceiver) {
        var seconds: [Double] = reports.filter { $0.delivered && $0.ethernet?.etherType == .ipv4 }
            .map { $0.phy.frame.endTime - $0.phy.frame.startTime }
        for d in deliveries {
            guard case .frame(let f) = d else { continue }
            stack.receive(f, seconds: seconds.isEmpty ? 0 : seconds.removeFirst())
        }
    }
}
