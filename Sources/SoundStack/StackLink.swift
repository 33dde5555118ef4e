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
    public static func receive(
        _ samples: [Float], sampleRate: Double, modes: [Mode], lineCode: LineCode? = nil,
        station: EthernetReceiver, into stack: inout StackReceiver
    ) throws -> [LinkFrameReport] {
        let link = LinkReceiver(
            physical: try PhysicalReceiver(modes: modes, lineCode: lineCode, sampleRate: sampleRate),
            station: station)
        var reception = samples.withUnsafeBufferPointer { link.process($0) }
        reception.append(link.finish())
        pass(reception.deliveries, into: &stack)
        return reception.reports
    }

    /// Hands the IPv4 deliveries to the stack, each with its frame's airtime.
    public static func pass(_ deliveries: [LinkDelivery], into stack: inout StackReceiver) {
        for case .frame(let f, let airtime) in deliveries {
            stack.receive(f, seconds: airtime)
        }
    }
}
