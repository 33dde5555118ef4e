// Fuzz target `kiss`: the KISS decoder a TNC runs on whatever its clients send.
// Input: a control byte (the decoder's length limit), then the byte stream, fed once whole and
// once in pieces of fuzzed sizes.
// Properties: the cut of the stream does not matter (same frames, same problems); every frame
// is at most the limit (type byte and data) and re-encoded it decodes back to itself alone; a
// stream of well-formed frames built from the input decodes to exactly those frames.
import Framings

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKISS(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let limit = 1 + Int(input.byte()) * 8
    let stream = input.take(input.remaining)

    var whole = KISSDecoder(maximumLength: limit)
    let once = whole.push(stream)

    var cut = KISSDecoder(maximumLength: limit)
    var frames: [KISSFrame] = []
    var problems: [KISSProblem] = []
    var cuts = FuzzInput(bytes: stream)
    var start = 0
    while start < stream.count {
        let n = min(stream.count - start, 1 + Int(cuts.byte()) % 64)
        let (f, p) = cut.push(stream[start..<(start + n)])
        frames += f
        problems += p
        start += n
    }
    fuzzCheck(frames == once.frames, "frames differ with the cut: \(frames.count) against \(once.frames.count)")
    // Bytes outside a frame are counted per run up to a FEND, so only their total is cut-free.
    func outside(_ list: [KISSProblem]) -> Int {
        list.reduce(0) { if case .outsideFrame(let n) = $1 { $0 + n } else { $0 } }
    }
    fuzzCheck(outside(problems) == outside(once.problems), "bytes outside frames differ with the cut")
    fuzzCheck(
        problems.filter { if case .outsideFrame = $0 { false } else { true } }
            == once.problems.filter { if case .outsideFrame = $0 { false } else { true } },
        "problems differ with the cut")

    for frame in once.frames {
        fuzzCheck(1 + frame.payload.count <= limit, "a frame of \(1 + frame.payload.count) bytes passed \(limit)")
        var again = KISSDecoder(maximumLength: limit)
        let back = again.push(frame.bytes)
        fuzzCheck(back.frames == [frame] && back.problems.isEmpty, "a frame does not decode back to itself")
    }

    // Well-formed frames cut from the input: each comes back, whatever it holds.
    var built: [KISSFrame] = []
    var wire: [UInt8] = []
    var pieces = FuzzInput(bytes: stream)
    while !pieces.isEmpty {
        let type = pieces.byte()
        let payload = pieces.take(Int(pieces.byte()) % 80)
        guard let frame = KISSFrame(contents: [type] + payload) else { continue }
        built.append(frame)
        wire += frame.bytes
    }
    var clean = KISSDecoder(maximumLength: 4096)
    let decoded = clean.push(wire)
    fuzzCheck(decoded.frames == built && decoded.problems.isEmpty, "well-formed frames did not come back")
    return 0
}
