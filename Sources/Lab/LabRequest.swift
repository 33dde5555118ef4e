import ChannelSimulator
import L1Physical

/// What the page asks the lab to send: a message or an HTTP request, the modem settings and the
/// channel's impairments. Every field but the message may be left out of the JSON.
///
/// ```swift
/// var request = LabRequest(text: "Hello")
/// request.ebn0 = 8
/// let result = try LabRunner().send(request)
/// ```
public struct LabRequest: Sendable, Codable, Hashable {
    /// What is sent.
    public enum Kind: String, Sendable, Codable, Hashable {
        /// The bytes of `text`.
        case text
        /// An HTTP request built from `http`.
        case http
    }

    /// An HTTP request as the page's form gives it.
    public struct HTTPForm: Sendable, Codable, Hashable {
        /// GET, POST, PUT, DELETE, HEAD, OPTIONS or PATCH.
        public var method: String
        /// An absolute `http://` URL.
        public var url: String
        /// Header fields, each `[name, value]`.
        public var headers: [[String]]
        /// The body, as text.
        public var body: String

        /// A request form.
        public init(method: String, url: String, headers: [[String]] = [], body: String = "") {
            self.method = method; self.url = url; self.headers = headers; self.body = body
        }
    }

    /// Text or HTTP.
    public var kind: Kind
    /// The message when ``kind`` is `.text`.
    public var text: String?
    /// The request when ``kind`` is `.http`.
    public var http: HTTPForm?
    /// The modulation mode's name (`Mode.named(_:)`).
    public var mode: String
    /// The line code's name, or `nil` for the mode's own.
    public var lineCode: String?
    /// The forward error correction's name, or `nil` for the mode's default.
    public var fec: String?
    /// White noise as Eb/N0 in dB per data bit, or `nil` for none.
    public var ebn0: Double?
    /// Sender clock error in ppm.
    public var drift: Double
    /// Frequency offset in Hz.
    public var offset: Double
    /// The telephone band (300–3400 Hz) and µ-law.
    public var phone: Bool
    /// 20 ms bursts of noise as loud as the signal, spread over the transmission.
    public var bursts: Int
    /// 40 ms dropouts, spread over the transmission.
    public var dropouts: Int
    /// The seed of every random choice.
    public var seed: UInt64
    /// Rounds of resending what the receiver lacks.
    public var resends: Int

    /// A text message in fsk1200 with the defaults below.
    public init(text: String) {
        self.init(kind: .text)
        self.text = text
    }

    /// A request of `kind` with the defaults: fsk1200, Eb/N0 10 dB, no other impairment,
    /// seed 7, three resends.
    public init(kind: Kind) {
        self.kind = kind; self.mode = "fsk1200"; self.ebn0 = 10; self.drift = 0; self.offset = 0
        self.phone = false; self.bursts = 0; self.dropouts = 0; self.seed = 7; self.resends = 3
    }

    private enum CodingKeys: String, CodingKey {
        case kind, text, http, mode, lineCode, fec, ebn0, drift, offset, phone, bursts, dropouts, seed, resends
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(kind: try c.decode(Kind.self, forKey: .kind))
        text = try c.decodeIfPresent(String.self, forKey: .text)
        http = try c.decodeIfPresent(HTTPForm.self, forKey: .http)
        mode = try c.decodeIfPresent(String.self, forKey: .mode) ?? mode
        lineCode = try c.decodeIfPresent(String.self, forKey: .lineCode)
        fec = try c.decodeIfPresent(String.self, forKey: .fec)
        // An absent Eb/N0 keeps the default; an explicit null means no noise.
        if c.contains(.ebn0) { ebn0 = try c.decodeIfPresent(Double.self, forKey: .ebn0) }
        drift = try c.decodeIfPresent(Double.self, forKey: .drift) ?? drift
        offset = try c.decodeIfPresent(Double.self, forKey: .offset) ?? offset
        phone = try c.decodeIfPresent(Bool.self, forKey: .phone) ?? phone
        bursts = try c.decodeIfPresent(Int.self, forKey: .bursts) ?? bursts
        dropouts = try c.decodeIfPresent(Int.self, forKey: .dropouts) ?? dropouts
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? seed
        resends = try c.decodeIfPresent(Int.self, forKey: .resends) ?? resends
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encodeIfPresent(text, forKey: .text)
        try c.encodeIfPresent(http, forKey: .http)
        try c.encode(mode, forKey: .mode)
        try c.encode(lineCode, forKey: .lineCode)
        try c.encode(fec, forKey: .fec)
        try c.encode(ebn0, forKey: .ebn0)
        try c.encode(drift, forKey: .drift)
        try c.encode(offset, forKey: .offset)
        try c.encode(phone, forKey: .phone)
        try c.encode(bursts, forKey: .bursts)
        try c.encode(dropouts, forKey: .dropouts)
        try c.encode(seed, forKey: .seed)
        try c.encode(resends, forKey: .resends)
    }

    /// The worked example the page opens with: a short message in fsk1200 through noise strong
    /// enough that a frame fails its FCS and the lost bytes are sent again.
    public static let example: LabRequest = {
        var r = LabRequest(text: "Hello from the lab: seven layers down into sound and up again.")
        r.ebn0 = LabRunner.exampleEbN0
        r.seed = LabRunner.exampleSeed
        return r
    }()
}

/// The bounds the lab holds every request to.
public struct LabLimits: Sendable, Codable, Hashable {
    /// Largest message or HTTP request, in bytes.
    public var textBytes = 4000
    /// Largest uploaded recording, in bytes.
    public var uploadBytes = 16_000_000
    /// Longest uploaded recording, in seconds.
    public var uploadSeconds = 120.0
    /// Largest JSON request body, in bytes.
    public var jsonBytes = 65536

    /// The default limits.
    public init() {}
}

/// Why the lab refused a request: each case says what was wrong with which value.
public enum LabError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A field is missing or out of its range.
    case badField(String, String)
    /// The message is over the limit.
    case tooLarge(String)
    /// The recording could not be read as audio.
    case notAudio(String)
    /// The stack or the modem refused the message (a bug or an impossible setting).
    case failed(String)

    public var description: String {
        switch self {
        case .badField(let field, let why): "\(field): \(why)"
        case .tooLarge(let what): what
        case .notAudio(let why): "not a recording this lab can read: \(why)"
        case .failed(let why): why
        }
    }
}

extension LabRequest {
    /// The mode, line code and FEC the request names, checked.
    func physical() throws(LabError) -> PhysicalConfig {
        guard let m = Mode.named(mode) else {
            throw .badField(
                "mode", "no mode named \"\(mode)\" (one of \(Mode.all.map(\.name).joined(separator: ", ")))")
        }
        var code: LineCode?
        if let lineCode {
            guard let c = LineCode.allCases.first(where: { $0.rawValue == lineCode.lowercased() }) else {
                throw .badField(
                    "lineCode",
                    "no line code named \"\(lineCode)\" (one of \(LineCode.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            code = c
        }
        var scheme: FECScheme?
        if let fec {
            guard let s = FECScheme(rawValue: fec.lowercased()) else {
                throw .badField(
                    "fec", "no FEC named \"\(fec)\" (one of \(FECScheme.allCases.map(\.name).joined(separator: ", ")))")
            }
            scheme = s
        }
        let config = PhysicalConfig(mode: m, lineCode: code, gapSeconds: 0.05, fec: scheme)
        do { try m.validate(sampleRate: Double(config.sampleRate), lineCode: config.lineCode) } catch {
            throw .badField("lineCode", "\(error)")
        }
        return config
    }

    /// The impairments the request names, checked, in the simulator's order.
    func channel(bitRate: Double) throws(LabError) -> ChannelSpec {
        func check(_ value: Double, _ range: ClosedRange<Double>, _ field: String) throws(LabError) {
            guard value.isFinite, range.contains(value) else {
                throw .badField(field, "\(value) is outside \(range.lowerBound)…\(range.upperBound)")
            }
        }
        try check(drift, -30000...30000, "drift")
        try check(offset, -100...100, "offset")
        try check(Double(bursts), 0...10, "bursts")
        try check(Double(dropouts), 0...10, "dropouts")
        if let ebn0 { try check(ebn0, -10...60, "ebn0") }
        guard seed <= UInt64(UInt32.max) else { throw .badField("seed", "\(seed) is over \(UInt32.max)") }
        guard (0...10).contains(resends) else { throw .badField("resends", "\(resends) is outside 0…10") }
        var parts: [String] = []
        if drift != 0 { parts.append("drift=\(drift)ppm") }
        if offset != 0 { parts.append("freq=\(offset)hz") }
        if phone { parts += ["phone", "mulaw"] }
        if dropouts > 0 { parts.append("dropout=\(dropouts)x40ms") }
        if bursts > 0 { parts.append("burst=\(bursts)x20ms") }
        if let ebn0 { parts.append("ebn0=\(ebn0)db") }
        parts.append("seed=\(seed)")
        do {
            return try ChannelSpec.parse(parts.joined(separator: ",")).withDefaultBitRate(bitRate)
        } catch {
            throw .badField("channel", "\(error)")
        }
    }
}
