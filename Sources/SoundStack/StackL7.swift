import Foundation
import L7Application

/// Layer 7 as the stack sees it: which HTTP message this is, parsed strictly, for the trace.
enum StackL7 {
    struct Body {
        var bytes: [UInt8]
        var contentType: String?
        var isJSON: Bool { contentType?.lowercased().contains("json") == true }
    }

    /// Whether the bytes start like a response (`HTTP/`).
    static func isResponse(_ bytes: [UInt8]) -> Bool { bytes.starts(with: Array("HTTP/".utf8)) }

    /// Parses the whole of `bytes` as one HTTP message; nothing may be missing or left over.
    /// A response to `respondingTo` (HEAD: no body whatever its fields say) when that is known.
    static func parse(
        _ bytes: [UInt8],
        respondingTo: HTTPMethod? = nil
    ) throws(StackError) -> (startLine: String, headers: HTTPHeaders, body: [UInt8]) {
        do {
            if isResponse(bytes) {
                var parser = HTTPParser<HTTPResponse>(respondingTo: respondingTo ?? .get)
                parser.append(bytes)
                parser.finish()
                guard let p = try parser.next() else {
                    throw StackError.applicationFraming("the message ends before its headers/body are complete")
                }
                guard p.consumed == bytes.count else {
                    throw StackError.applicationFraming("\(bytes.count - p.consumed) bytes follow the message")
                }
                return (p.message.startLine, p.message.headers, p.message.body)
            }
            guard let p = try HTTPParser<HTTPRequest>.parse(bytes, endOfInput: true) else {
                throw StackError.applicationFraming("the message ends before its headers/body are complete")
            }
            guard p.consumed == bytes.count else {
                throw StackError.applicationFraming("\(bytes.count - p.consumed) bytes follow the message")
            }
            return (p.message.startLine, p.message.headers, p.message.body)
        } catch let e as StackError {
            throw e
        } catch let e as HTTPParseError {
            throw .application(e)
        } catch {
            throw .applicationFraming("\(error)")
        }
    }

    /// Appends the L7 record; returns the body when the message parsed.
    @discardableResult
    static func describe(
        _ bytes: [UInt8], direction: StackTraceRecord.Direction, trace: inout StackTrace,
        units: Int = 1, respondingTo: HTTPMethod? = nil
    ) -> Body? {
        let head = headLength(bytes)
        do {
            let (start, headers, body) = try parse(bytes, respondingTo: respondingTo)
            var fields: [StackTraceRecord.Field] = [.init("start line", start)]
            for f in headers { fields.append(.init(f.name + ":", f.value)) }
            let preview = String(decoding: body.prefix(40), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            trace.append(
                StackTraceRecord(
                    layer: 7, protocolName: "HTTP/1.1", direction: direction,
                    summary: start
                        + (body.isEmpty ? "" : "  body \(body.count) B: \(preview)\(body.count > 40 ? "…" : "")"),
                    bytesIn: direction == .down ? body.count : bytes.count,
                    bytesOut: direction == .down ? bytes.count : body.count,
                    units: units, unitName: "message", fields: fields,
                    details: ["head \(head) B (start line + \(headers.count) header fields), body \(body.count) B"]))
            return Body(bytes: body, contentType: headers["Content-Type"])
        } catch {
            trace.append(
                StackTraceRecord(
                    layer: 7, protocolName: "HTTP/1.1", direction: direction,
                    summary: "not a well-formed HTTP message", bytesIn: bytes.count,
                    bytesOut: bytes.count, error: "\(error)"))
            return nil
        }
    }

    static func headLength(_ bytes: [UInt8]) -> Int {
        let crlf2: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4 else { return bytes.count }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && Array(bytes[i..<(i + 4)]) == crlf2 { return i + 4 }
        return bytes.count
    }
}
