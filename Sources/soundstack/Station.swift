import ArgumentParser
import Foundation
import L2DataLink
import SoundStack

/// This machine as a station on the acoustic Ethernet.
enum Station {
    /// A stable locally administered address derived from the host name.
    static var defaultAddress: MACAddress {
        LinkEndpoint.defaultAddress(hostname: ProcessInfo.processInfo.hostName)
    }

    /// Parses `0x88b5`, `88b5` or a decimal number.
    static func etherType(_ text: String) throws -> EtherType {
        let t = text.lowercased()
        let value = t.hasPrefix("0x") ? UInt16(t.dropFirst(2), radix: 16) : (UInt16(t, radix: 16) ?? UInt16(t))
        guard let v = value, v >= 0x0600 else {
            throw ValidationError("--ethertype must be a 16-bit EtherType ≥ 0x0600, e.g. 0x88b5; got '\(text)'")
        }
        return EtherType(rawValue: v)
    }
}
