// Fuzz target `ax25`: the HDLC receiver (NRZI, flags, destuffing, FCS, bit repair) and the
// AX.25 frame parser.
// Input: a control byte, then
//   - a frame description (addresses, control, PID, info) that is built into a valid AX25Frame,
//   - a run of random bytes fed to HDLCDecoder as line levels (optionally repairing),
//   - the rest parsed by AX25Frame(bytes:) and, as text, by AX25Frame(tnc2:), and sent through
//     HDLCEncoder → HDLCDecoder as a frame body.
// Properties: a valid frame → .bytes → AX25Frame(bytes:) is the same frame (the destination's
// H bit comes back set: it carries the command bit); the same frame through HDLCEncoder (after
// random line noise) comes out of HDLCDecoder with status ok, and so do random bytes of 15...398
// (alone: exactly once, no bad frames); a UI frame with printable info
// survives .tnc2 → AX25Frame(tnc2:); every frame the decoder returns is 15...398 bytes and
// passes its FCS; whatever AX25Frame(bytes:) accepts re-parses from its own .bytes; .tnc2 and
// `printable` never trap.
import Checksums
import Framings

private let callChars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

private func address(_ input: inout FuzzInput) -> AX25Address {
    let length = 1 + input.below(6)
    var call = ""
    for _ in 0..<length { call.append(callChars[Int(input.byte()) % callChars.count]) }
    let b = input.byte()
    return AX25Address(callsign: call, ssid: Int(b & 0x0F), repeated: b & 0x10 != 0)
}

/// A frame the encoder can send: callsigns of 1–6 letters or digits, SSID 0–15, up to 8
/// digipeaters, a PID exactly when the control byte calls for one, ≤ 398 bytes in all.
private func validFrame(_ input: inout FuzzInput) -> AX25Frame {
    let destination = address(&input), source = address(&input)
    var path: [AX25Address] = []
    for _ in 0..<input.below(9) { path.append(address(&input)) }
    let control = input.byte()
    let pidByte = input.byte()
    let pid: UInt8? = control & 1 == 0 || control & 0xEF == 0x03 ? pidByte : nil
    let room = 398 - 7 * (2 + path.count) - 1 - (pid == nil ? 0 : 1)
    let info = input.take(min(room, Int(input.u16() % 400)))
    return AX25Frame(destination: destination, source: source, path: path, control: control, pid: pid, info: info)
}

/// The frame as AX25Frame(bytes:) gives it back: the destination's H bit is the command bit.
private func asParsed(_ frame: AX25Frame) -> AX25Frame {
    var f = frame
    f.destination.repeated = true
    return f
}

private func checkDecoded(_ frame: HDLCFrame) {
    fuzzCheck((HDLCDecoder.minimumLength - 2...HDLCDecoder.maximumLength - 2).contains(frame.bytes.count),
              "HDLC frame of \(frame.bytes.count) bytes")
    if frame.status == .ok {
        fuzzCheck(frame.bytes.count >= 1, "empty ok frame")
    }
    if let parsed = try? AX25Frame(bytes: frame.bytes) {
        _ = parsed.tnc2
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAX25(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let control = input.byte()

    // A valid frame: bytes round trip, HDLC round trip behind noise, TNC2 round trip.
    let frame = validFrame(&input)
    let bytes = frame.bytes
    fuzzCheck(bytes.count <= HDLCDecoder.maximumLength - 2, "valid frame too long: \(bytes.count)")
    do {
        let back = try AX25Frame(bytes: bytes)
        fuzzCheck(back == asParsed(frame), "bytes round trip: \(back) vs \(frame)")
        fuzzCheck(back.bytes == bytes, "re-emitted bytes differ")
    } catch {
        fuzzCheck(false, "valid frame refused: \(error)")
    }
    let tnc2 = frame.tnc2
    if frame.control == 0x03, frame.pid == 0xF0, frame.info.allSatisfy({ (0x20...0x7E).contains($0) }) {
        do {
            let back = try AX25Frame(tnc2: tnc2)
            var expected = frame
            expected.destination.repeated = false
            expected.source.repeated = false
            if let last = frame.path.lastIndex(where: \.repeated) {
                for k in expected.path.indices { expected.path[k].repeated = k <= last }
            }
            fuzzCheck(back == expected, "TNC2 round trip: '\(tnc2)' gave \(back.tnc2)")
        } catch {
            fuzzCheck(false, "own TNC2 line refused: '\(tnc2)': \(error)")
        }
    }

    // Random line levels, optionally followed by the valid frame encoded.
    var decoder = HDLCDecoder(repairBits: control & 1 != 0)
    let noise = input.take(Int(input.u16() % 1024))
    var found: [HDLCFrame] = []
    for (k, byte) in noise.enumerated() {
        for i in 0..<8 {
            let level = (byte >> UInt8(i)) & 1 == 1
            // Confidence from the neighbouring byte: the repair tries the least confident bits.
            let confidence = Float(noise[(k + 1) % noise.count] ^ UInt8(i)) / 255
            if let f = decoder.push(level, confidence: confidence) { checkDecoded(f); found.append(f) }
        }
    }
    if control & 2 != 0 {
        let line = HDLCEncoder.lineBits([bytes], preambleFlags: 2 + Int(control >> 5), postambleFlags: 1)
        var got: [HDLCFrame] = []
        for level in line {
            if let f = decoder.push(level) { checkDecoded(f); got.append(f) }
        }
        fuzzCheck(got.contains { $0.bytes == bytes && $0.status == .ok },
                  "encoded frame of \(bytes.count) bytes not decoded after \(noise.count) noise bytes: got \(got.map(\.bytes.count))")
    }

    // Whatever else: the frame parser and the TNC2 parser on raw bytes.
    let raw = input.rest()
    if let parsed = try? AX25Frame(bytes: raw) {
        _ = parsed.tnc2
        fuzzCheck(parsed.path.count <= 8, "path of \(parsed.path.count)")
        if let again = try? AX25Frame(bytes: parsed.bytes) {
            fuzzCheck(again == asParsed(parsed), "parsed frame does not re-parse to itself")
        } else {
            fuzzCheck(false, "parsed frame's bytes refused")
        }
    }
    // Random bytes as a frame body: FCS, stuffing and NRZI by the encoder, undone by the decoder.
    if (HDLCDecoder.minimumLength - 2...HDLCDecoder.maximumLength - 2).contains(raw.count) {
        var rx = HDLCDecoder(repairBits: control & 4 != 0)
        var got: [HDLCFrame] = []
        for level in HDLCEncoder.lineBits([raw], preambleFlags: 2, postambleFlags: 1) {
            if let f = rx.push(level) { checkDecoded(f); got.append(f) }
        }
        fuzzCheck(got.count == 1 && got[0].bytes == raw && got[0].status == .ok && rx.badFrames == 0,
                  "random frame of \(raw.count) bytes through HDLC: got \(got.map(\.bytes.count))")
    }
    _ = AX25Frame.printable(raw)
    if let line = try? AX25Frame(tnc2: String(decoding: raw, as: UTF8.self)) {
        _ = line.tnc2
        _ = try? AX25Frame(bytes: line.bytes)
    }
    return 0
}
