import ArgumentParser

// Every numeric option is checked in its command's `validate()`: a value outside its documented
// range, NaN or an infinity is a usage error (exit 64) naming the option, before anything runs.
// Unsigned options (seeds, ports, sequence numbers, TTL) are checked by their type when parsed.

/// The ranges the commands share.
enum OptionRange {
    /// Audio sample rates, Hz.
    static let sampleRate = 8000...384_000
    /// The highest frequency any supported rate can carry (its Nyquist frequency), Hz.
    static let frequency = 0.0...192_000
    /// Eb/N0 and SNR, dB.
    static let decibels = -50.0...100
    /// Silences between frames, ms.
    static let gapMs = 0.0...60_000
    /// Worker threads.
    static let jobs = 1...1024
    /// Frames per measurement.
    static let frames = 1...100_000_000
    /// L6 deflate levels.
    static let compression = 0...9
    /// Symbols per second of a custom mode.
    static let baud = 1.0...100_000
}

/// Throws a usage error naming `option` unless `value` is finite and in `range`.
func require<T: BinaryFloatingPoint>(_ value: T, in range: ClosedRange<T>, _ option: String) throws {
    guard value.isFinite, range.contains(value) else {
        throw ValidationError(
            "\(option) must be a number in \(show(range.lowerBound))…\(show(range.upperBound)), not \(show(value))")
    }
}

/// Throws a usage error naming `option` unless `value` is nil, or finite and in `range`.
func require<T: BinaryFloatingPoint>(_ value: T?, in range: ClosedRange<T>, _ option: String) throws {
    if let value { try require(value, in: range, option) }
}

/// Throws a usage error naming `option` unless `value` is in `range`.
func require(_ value: Int, in range: ClosedRange<Int>, _ option: String) throws {
    guard range.contains(value) else {
        throw ValidationError("\(option) must be \(range.lowerBound)…\(range.upperBound), not \(value)")
    }
}

/// Throws a usage error naming `option` unless `value` is nil or in `range`.
func require(_ value: Int?, in range: ClosedRange<Int>, _ option: String) throws {
    if let value { try require(value, in: range, option) }
}

/// `50` for 50.0, `0.7`, `nan`, `inf`, `1e+300`.
private func show<T: BinaryFloatingPoint>(_ value: T) -> String {
    let d = Double(value)
    if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
    return String(describing: value)
}
