// Fuzz target `ethernet`: EthernetFrame.parse, EthernetFrameView and EthernetReceiver.classify
// on arbitrary bytes. Properties: a frame that parses emits back to exactly the same bytes;
// classify delivers a frame exactly when its status is ok, and agrees with parse.
import L2DataLink

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEthernet(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let control = input.byte()
    let bytes = input.rest()

    let parsed = try? EthernetFrame.parse(bytes)
    if let frame = parsed {
        let again = try? frame.emit()
        fuzzCheck(again == bytes, "parse ∘ emit changed a good frame of \(bytes.count) bytes")
    }
    let view = EthernetFrameView(bytes)
    _ = (view.destination, view.source, view.etherType, view.payload, view.receivedFCS, view.computedFCS)
    fuzzCheck((view.validationError == nil) == (parsed != nil), "view and parse disagree")

    var me = EthernetReceiver(address: MACAddress(value: 0x0200_5E10_0001), promiscuous: control & 1 == 1)
    if control & 2 != 0 { me.join(MACAddress(value: 0x0100_5E00_0001)) }
    if control & 4 != 0, let d = view.destination { me.address = d }
    let report = me.classify(bytes)
    fuzzCheck((report.delivered != nil) == (report.status == .ok), "delivered without ok: \(report)")
    if parsed == nil { fuzzCheck(report.status.isError, "bad frame not flagged: \(report)") }
    if let d = report.delivered { fuzzCheck(d == parsed, "classify delivered something parse did not") }
    _ = report.description
    _ = report.status.tag
    return 0
}
