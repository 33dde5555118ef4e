import ARQLink
import Foundation

/// What one exchange did, for the console block and the JSON log.
///
/// ```
/// #1 POST http://127.0.0.1:9000/echo → 200 OK
///    request   50321 B: 50 frames sent, 3 lost, 3 resent; 41.20 s of audio, 1221 B/s
///    response  50410 B: 50 frames sent, 0 lost, 0 resent; 39.90 s of audio, 1263 B/s
///    result    ok (2.31 s wall)
/// ```
public struct ExchangeRecord: Sendable, Codable, Hashable {
    /// The exchange's number (1, 2, …).
    public var exchange: Int
    /// The request method.
    public var method: String
    /// The URL of the request.
    public var url: String
    /// The status the client got; `nil` when it got none (it went away).
    public var status: Int?
    /// The reason phrase the client got (nil when it got no response).
    public var reasonPhrase: String?
    /// The link's work each way; `nil` for a direction that never crossed.
    public var request: LinkTransferReport?
    /// The link's work carrying the response; nil when it never crossed.
    public var response: LinkTransferReport?
    /// Whether the client got the origin's own answer.
    public var ok: Bool
    /// `"ok"`, or what went wrong.
    public var result: String
    /// Seconds of real time from the whole request to the answer.
    public var wallSeconds: Double

    /// A record; only the exchange number, method, URL and result are required.
    public init(
        exchange: Int, method: String, url: String, status: Int? = nil, reasonPhrase: String? = nil,
        request: LinkTransferReport? = nil, response: LinkTransferReport? = nil, ok: Bool = false,
        result: String, wallSeconds: Double = 0
    ) {
        self.exchange = exchange; self.method = method; self.url = url; self.status = status
        self.reasonPhrase = reasonPhrase; self.request = request; self.response = response; self.ok = ok
        self.result = result; self.wallSeconds = wallSeconds
    }

    /// The console block: request line and status, each direction's frames, airtime and
    /// goodput, and the result.
    public var consoleText: String {
        let answered =
            status.map { code in [String(code), reasonPhrase ?? ""].filter { !$0.isEmpty }.joined(separator: " ") }
            ?? "no answer"
        var lines = ["#\(exchange) \(method) \(url) → \(answered)"]
        for (label, report) in [("request ", request), ("response", response)] {
            guard let report else {
                lines.append("   \(label)  not carried")
                continue
            }
            let frames =
                "\(report.framesSent) frame\(report.framesSent == 1 ? "" : "s") sent, "
                + "\(report.framesLost) lost, \(report.framesResent) resent"
            let audio = String(format: "%.2f s of audio, %.0f B/s", report.audioSeconds, report.goodput)
            let gotThrough = report.delivered ? "" : " — not delivered"
            let coded = report.fecFrames.keys.allSatisfy { $0 == "none" } ? "" : "; FEC " + report.fecSummary
            lines.append("   \(label)  \(report.messageBytes) B: \(frames)\(coded); \(audio)\(gotThrough)")
        }
        lines.append("   result    \(result) (\(String(format: "%.2f", wallSeconds)) s wall)")
        return lines.joined(separator: "\n")
    }

    /// One line of JSON.
    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

extension BridgeLog {
    /// Writes `record` to the console and, if set, the JSON log.
    func emit(_ record: ExchangeRecord) {
        console(record.consoleText)
        json?(record.jsonLine)
    }
}
