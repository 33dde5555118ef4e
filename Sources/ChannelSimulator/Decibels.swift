import Foundation

/// 10^x.
@inline(__always)
func pow10(_ x: Double) -> Double { pow(10, x) }

/// Power ratio of `db` decibels.
@inline(__always)
func powerRatio(dB db: Double) -> Double { pow(10, db / 10) }

/// Amplitude ratio of `db` decibels.
@inline(__always)
func amplitudeRatio(dB db: Double) -> Double { pow(10, db / 20) }

/// A power ratio in decibels.
@inline(__always)
func decibels(power ratio: Double) -> Double { 10 * log10(ratio) }

/// `value` printed with at most `digits` decimals, trailing zeros dropped.
func formatted(_ value: Double, digits: Int = 3) -> String {
    guard value.isFinite else { return "\(value)" }
    var s = String(format: "%.\(digits)f", value)
    if s.contains(".") {
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
    }
    return s == "-0" ? "0" : s
}
