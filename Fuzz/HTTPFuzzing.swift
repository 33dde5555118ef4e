// Shared by the `http-request` and `http-response` targets (compiled into both): feeds one input
// to an HTTPParser whole and again in pieces, and checks that the pieces change nothing.
import L7Application

/// What a parser made of one input: the messages, then how it stopped.
struct HTTPOutcome<M: HTTPMessage>: Equatable {
    var messages: [HTTPParsed<M>] = []
    var failed = false
}

/// Runs the parser over `bytes`, appended in pieces of the given sizes (all at once when empty),
/// draining every complete message after each piece, then marks the end of the input.
func runHTTPParser<M: HTTPMessage>(_ start: HTTPParser<M>, _ bytes: [UInt8], pieces: [Int]) -> HTTPOutcome<M> {
    var parser = start
    var outcome = HTTPOutcome<M>()
    var offset = 0, index = 0
    func drain() -> Bool {
        do {
            while let parsed = try parser.next() {
                outcome.messages.append(parsed)
                if outcome.messages.count > bytes.count + 1 { fuzzCheck(false, "more messages than bytes") }
            }
            return true
        } catch {
            outcome.failed = true
            // After an error the parser keeps throwing it.
            fuzzCheck((try? parser.next()) == nil, "parser recovered after an error")
            return false
        }
    }
    repeat {
        let size = pieces.isEmpty ? bytes.count : max(1, pieces[index % pieces.count])
        index += 1
        let end = min(bytes.count, offset + size)
        parser.append(bytes[offset..<end])
        offset = end
        if !drain() { return outcome }
    } while offset < bytes.count
    parser.finish()
    _ = drain()
    return outcome
}

/// The shared body of both targets.
func fuzzHTTP<M: HTTPMessage>(_ type: M.Type, _ data: UnsafePointer<UInt8>, _ size: Int,
                              configure: (inout HTTPParser<M>, UInt8) -> Void) {
    var input = FuzzInput(data, size)
    let control = input.byte()
    let pieces = (0..<Int(input.byte() % 8)).map { _ in 1 + Int(input.byte() % 64) }
    let bytes = input.rest()
    var limits = HTTPParserLimits()
    if control & 1 != 0 {
        limits = HTTPParserLimits(maxStartLineLength: 64, maxHeaderCount: 4, maxHeaderBytes: 256,
                                  maxBodySize: 512, maxChunkLineLength: 16)
    }
    var parser = HTTPParser<M>(limits: limits, allowsBareLineFeed: control & 2 != 0)
    parser.requiresHost = control & 4 != 0
    configure(&parser, control)

    let whole = runHTTPParser(parser, bytes, pieces: [])
    let split = runHTTPParser(parser, bytes, pieces: pieces)
    let single = runHTTPParser(parser, bytes, pieces: [1])
    fuzzCheck(whole == split, "feeding in pieces \(pieces) changed the outcome")
    fuzzCheck(whole == single, "feeding byte by byte changed the outcome")
    var used = 0
    for parsed in whole.messages {
        used += parsed.consumed
        fuzzCheck(parsed.rawBytes.count <= parsed.consumed, "raw bytes longer than consumed")
        _ = parsed.message.serialize()
        _ = parsed.message.description
    }
    fuzzCheck(used <= bytes.count, "consumed \(used) of \(bytes.count) bytes")
}
