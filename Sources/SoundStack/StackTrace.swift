import Foundation

/// One layer's work on one message, as a learner reads it in `--trace`.
///
///     L4 Transport  TCP   in 331 B → 3 segments 391 B (+60 B)  ports 49152 → 8080 …
///         SYN   seq 1000 <mss 1460,sackOK>   cksum 0x1a2b
public struct StackTraceRecord: Sendable, Codable, Hashable {
    /// Down the stack (transmit) or up (receive).
    public enum Direction: String, Sendable, Codable {
        /// Transmitting: from layer 7 towards layer 1.
        case down
        /// Receiving: from layer 1 towards layer 7.
        case up
    }
    /// A named value the layer added or checked (e.g. `source port` = `49152`).
    public struct Field: Sendable, Codable, Hashable {
        /// The field's name, e.g. "source port".
        public var name: String
        /// The field's value as text, e.g. "49152".
        public var value: String
        /// A field from its name and value.
        public init(_ name: String, _ value: String) { self.name = name; self.value = value }
    }

    /// The OSI layer, 1...7.
    public var layer: Int
    /// The protocol's name at that layer (e.g. "TCP").
    public var protocolName: String
    /// Down (transmit) or up (receive).
    public var direction: Direction
    /// One line: what the layer did.
    public var summary: String
    /// Bytes handed over by the layer above (down) or below (up).
    public var bytesIn: Int
    /// Bytes of this layer's PDUs together.
    public var bytesOut: Int
    /// How many PDUs (segments, packets, frames…).
    public var units: Int
    /// What the PDUs are called at this layer ("segment", "packet", "frame", …).
    public var unitName: String
    /// Header fields and their values.
    public var fields: [Field]
    /// Checksums computed (down) or verified (up).
    public var checksums: [String]
    /// One line per PDU, for the ones worth seeing.
    public var details: [String]
    /// Audio seconds (layer 1 only).
    public var seconds: Double?
    /// Set when the layer refused the data.
    public var error: String?

    /// A record; only the layer, protocol, direction, summary and byte counts are required.
    public init(
        layer: Int, protocolName: String, direction: Direction, summary: String, bytesIn: Int, bytesOut: Int,
        units: Int = 1, unitName: String = "PDU", fields: [Field] = [], checksums: [String] = [],
        details: [String] = [], seconds: Double? = nil, error: String? = nil
    ) {
        self.layer = layer; self.protocolName = protocolName; self.direction = direction; self.summary = summary
        self.bytesIn = bytesIn; self.bytesOut = bytesOut; self.units = units; self.unitName = unitName
        self.fields = fields; self.checksums = checksums; self.details = details; self.seconds = seconds
        self.error = error
    }

    /// Bytes this layer added (down) or removed (up).
    public var overhead: Int { direction == .down ? bytesOut - bytesIn : bytesIn - bytesOut }

    /// The names of the seven layers by number.
    public static let layerNames = [
        1: "Physical", 2: "Data link", 3: "Network", 4: "Transport",
        5: "Session", 6: "Presentation", 7: "Application"
    ]
}

/// Every layer's records for one message, in the order the work happened.
public struct StackTrace: Sendable, Codable, Hashable {
    /// The records, in the order the work happened.
    public var records: [StackTraceRecord] = []
    /// A trace holding `records`.
    public init(records: [StackTraceRecord] = []) { self.records = records }

    /// Adds a record at the end.
    public mutating func append(_ r: StackTraceRecord) { records.append(r) }

    /// The trace as aligned text: a header line per layer, then its fields, checksums and PDUs.
    /// - Parameter maxDetails: PDU lines shown per layer (the rest are counted).
    public func rendered(maxDetails: Int = 8) -> String {
        guard let first = records.first else { return "" }
        var out: [String] = []
        let arrow = first.direction == .down ? "down the stack (sending)" : "up the stack (receiving)"
        out.append("── \(arrow) " + String(repeating: "─", count: max(0, 60 - arrow.count)))
        for r in records {
            let name = "L\(r.layer) " + (StackTraceRecord.layerNames[r.layer] ?? "?")
            let sizes: String
            if r.direction == .down {
                sizes =
                    "\(r.bytesIn) B → \(r.units) \(r.unitName)\(r.units == 1 ? "" : "s") \(r.bytesOut) B"
                    + " (\(r.overhead >= 0 ? "+" : "−")\(abs(r.overhead)) B)"
            } else {
                sizes =
                    "\(r.units) \(r.unitName)\(r.units == 1 ? "" : "s") \(r.bytesIn) B → \(r.bytesOut) B"
                    + " (\(r.overhead >= 0 ? "−" : "+")\(abs(r.overhead)) B)"
            }
            var line =
                name.padding(toLength: 16, withPad: " ", startingAt: 0)
                + r.protocolName.padding(toLength: 9, withPad: " ", startingAt: 0)
                + sizes.padding(toLength: 40, withPad: " ", startingAt: 0)
            if let s = r.seconds { line += String(format: "%.2f s  ", s) }
            out.append(line + r.summary)
            let indent = String(repeating: " ", count: 6)
            if !r.fields.isEmpty {
                let pairs = r.fields.map { "\($0.name) \($0.value)" }
                var row = indent
                for p in pairs {
                    if row.count + p.count > 100, row.count > indent.count { out.append(row); row = indent }
                    row += (row.count > indent.count ? " · " : "") + p
                }
                out.append(row)
            }
            if !r.checksums.isEmpty { out.append(indent + "checksums: " + r.checksums.joined(separator: ", ")) }
            for d in r.details.prefix(maxDetails) { out.append(indent + d) }
            if r.details.count > maxDetails { out.append(indent + "… \(r.details.count - maxDetails) more") }
            if let e = r.error { out.append(indent + "✗ " + e) }
        }
        out.append(totals)
        return out.joined(separator: "\n")
    }

    /// One line: what each layer added (or took off) and the airtime.
    public var totals: String {
        let ordered = records.filter { $0.layer >= 2 && $0.layer <= 7 }
        guard let top = ordered.first(where: { $0.layer == 7 }), let bottom = ordered.first(where: { $0.layer == 2 })
        else { return "" }
        let parts = ordered.map { r -> String in
            let added = r.direction == .down ? r.overhead : -r.overhead
            return "L\(r.layer) \(added >= 0 ? "+" : "−")\(abs(added))"
        }.joined(separator: ", ")
        let air = records.first { $0.layer == 1 }?.seconds.map { String(format: "; %.2f s of audio", $0) } ?? ""
        if records.first?.direction == .up {
            return "── total: \(bottom.bytesIn) B of frames → \(top.bytesOut) B of body (\(parts) B)\(air)"
        }
        return "── total: \(top.bytesIn) B of body → \(bottom.bytesOut) B of frames (\(parts) B)\(air)"
    }

    /// The trace as JSON (one object with `records`).
    public func json() throws -> [UInt8] {
        let enc = JSONEncoder()
        enc.keyEncodingStrategy = .convertToSnakeCase
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return Array(try enc.encode(self)) + [10]
    }
}
