/// One header (or trailer) field line: name and value as the sender wrote them.
public struct HTTPField: Hashable, Sendable, CustomStringConvertible {
    /// The field name with the sender's case, e.g. `"Content-Type"`.
    public let name: String
    /// The field value without leading or trailing whitespace.
    public let value: String

    /// A field, validated: the name must be a token, the value free of CR, LF, NUL and other controls.
    public init(name: String, value: String) throws(HTTPParseError) {
        guard HTTPSyntax.isToken(name) else { throw .invalidHeaderName(name) }
        let bytes = Array(value.utf8)
        guard bytes.allSatisfy(HTTPSyntax.isFieldValueByte) else { throw .invalidHeaderValue(name: name) }
        guard HTTPSyntax.trimmed(bytes[...]).count == bytes.count else { throw .invalidHeaderValue(name: name) }
        self.name = name
        self.value = value
    }

    init(unchecked name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// `"Name: value"`, as on the wire without CRLF.
    public var description: String { "\(name): \(value)" }
}

/// The header fields of a message: an ordered list that keeps the sender's case, order and
/// repetitions, looked up without regard to case.
///
/// ```swift
/// var headers = HTTPHeaders()
/// try headers.add(name: "Accept", value: "text/plain")
/// try headers.add(name: "accept", value: "application/json")
/// headers["ACCEPT"]              // "text/plain"  (the first)
/// headers.values(for: "Accept")  // ["text/plain", "application/json"]
/// ```
public struct HTTPHeaders: Hashable, Sendable, Sequence, CustomStringConvertible {
    /// The fields in the order they were added or received.
    public private(set) var fields: [HTTPField] = []

    /// No fields.
    public init() {}

    /// Fields from name-value pairs, validated, in order.
    ///
    /// ```swift
    /// let headers = try HTTPHeaders([("Host", "10.0.0.2"), ("Accept", "*/*")])
    /// ```
    public init(_ pairs: [(String, String)]) throws(HTTPParseError) {
        for (name, value) in pairs { try add(name: name, value: value) }
    }

    /// Appends a field after validating it; an existing field of that name stays.
    public mutating func add(name: String, value: String) throws(HTTPParseError) {
        fields.append(try HTTPField(name: name, value: value))
    }

    /// Appends an already validated field.
    public mutating func add(_ field: HTTPField) { fields.append(field) }

    /// Replaces every field of this name (any case) with one field, placed where the first was
    /// (or at the end).
    public mutating func replaceOrAdd(name: String, value: String) throws(HTTPParseError) {
        let field = try HTTPField(name: name, value: value)
        if let index = fields.firstIndex(where: { Self.same($0.name, name) }) {
            fields[index] = field
            var seen = false
            fields.removeAll { candidate in
                guard Self.same(candidate.name, name) else { return false }
                defer { seen = true }
                return seen
            }
        } else {
            fields.append(field)
        }
    }

    /// Removes every field of this name (any case).
    public mutating func remove(name: String) {
        fields.removeAll { Self.same($0.name, name) }
    }

    /// The value of the first field of this name (any case), or `nil`.
    public subscript(name: String) -> String? {
        fields.first { Self.same($0.name, name) }?.value
    }

    /// Every value of this name (any case), in order.
    public func values(for name: String) -> [String] {
        fields.filter { Self.same($0.name, name) }.map(\.value)
    }

    /// Every value of this name, each split at commas into list members, trimmed, empties dropped.
    public func listValues(for name: String) -> [String] {
        values(for: name).flatMap { value in
            value.utf8.split(separator: UInt8(ascii: ","))
                .map { HTTPSyntax.text(HTTPSyntax.trimmed(ArraySlice($0))) }
                .filter { !$0.isEmpty }
        }
    }

    /// Whether a field of this name (any case) is present.
    public func contains(_ name: String) -> Bool { self[name] != nil }

    /// The number of field lines (a name sent twice counts twice).
    public var count: Int { fields.count }
    /// Whether there are no field lines.
    public var isEmpty: Bool { fields.isEmpty }

    public func makeIterator() -> IndexingIterator<[HTTPField]> { fields.makeIterator() }

    /// One `Name: value` per line.
    public var description: String { fields.map(\.description).joined(separator: "\n") }

    /// Compares field names the way HTTP does: ASCII case-insensitively.
    static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && zip(a.utf8, b.utf8).allSatisfy { lower($0) == lower($1) }
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte | 0x20 : byte
    }

    /// The field lines, each ending in CRLF.
    func serialize(into out: inout [UInt8]) {
        for field in fields {
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: HTTPSyntax.crlf)
        }
    }
}
