// Fuzz target `icmp`: ICMPv4Message.parse with and without the checksum. Property: what parses
// emits to bytes that parse back to the same message (the unused header bytes of errors are not
// kept, so the bytes themselves may differ there); echo and unknown types emit their exact bytes.
import L3Network

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzICMP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? ICMPv4Message.parse(bytes, verifyChecksum: false)
    if let message = try? ICMPv4Message.parse(bytes) {
        fuzzCheck((try? ICMPv4Message.parse(message.emit())) == message, "emit ∘ parse changed an ICMP message")
        switch message {
        case .echoRequest, .echoReply, .other:
            fuzzCheck(message.emit() == bytes, "parse ∘ emit changed the bytes of an echo or unknown message")
        default: break
        }
        _ = message.echoReply?.emit()
    }
    _ = ICMPv4Message.quote(bytes)
    return 0
}
