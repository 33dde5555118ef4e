// Shared by every harness (compiled into each one by scripts/fuzz.sh): reads the fuzzer's
// bytes as a stream of small decisions, so one input drives a whole sequence of calls.

/// The fuzzer's input as a stream: integers and byte runs are taken from the front; once it
/// runs dry every read returns zeros, so harnesses never have to check for the end.
struct FuzzInput {
    let bytes: [UInt8]
    var position = 0

    init(_ data: UnsafePointer<UInt8>, _ size: Int) {
        bytes = Array(UnsafeBufferPointer(start: data, count: size))
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    var isEmpty: Bool { position >= bytes.count }
    var remaining: Int { max(0, bytes.count - position) }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u16() -> UInt16 { UInt16(byte()) << 8 | UInt16(byte()) }

    mutating func u32() -> UInt32 { UInt32(u16()) << 16 | UInt32(u16()) }

    mutating func bool() -> Bool { byte() & 1 == 1 }

    /// A value in `0..<bound` (0 when `bound` ≤ 1).
    mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(u16()) % bound }

    /// Up to `count` bytes (fewer at the end of the input).
    mutating func take(_ count: Int) -> [UInt8] {
        let n = max(0, min(count, remaining))
        defer { position += n }
        return Array(bytes[position..<(position + n)])
    }

    /// Everything not read yet.
    mutating func rest() -> [UInt8] { take(remaining) }

    /// A length-prefixed record: one length byte (or two when `wide`), then that many bytes.
    mutating func record(wide: Bool = false) -> [UInt8] {
        take(wide ? Int(u16()) : Int(byte()))
    }
}

/// Stops the fuzzer with a message: a property the harness checks did not hold.
func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
               file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError("fuzz property failed: \(message())", file: file, line: line) }
}
