import ARQLink
import ArgumentParser
import AudioIO
import L1Physical

// Closed option sets as argument types: `--help` lists their values, and a wrong value gets
// ArgumentParser's own message.

extension Mode: ExpressibleByArgument {
    public init?(argument: String) {
        guard let m = Mode.named(argument) else { return nil }
        self = m
    }

    public static var allValueStrings: [String] { Mode.all.map(\.name) }

    public var defaultValueDescription: String { name }
}

extension LineCode: ExpressibleByArgument {
    public init?(argument: String) {
        guard let c = try? LineCode(name: argument) else { return nil }
        self = c
    }

    public static var allValueStrings: [String] { LineCode.allCases.map(\.rawValue) }
}

extension AudioEncoding: ExpressibleByArgument {}

extension FECScheme: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
}

/// `--fec` of the link and the bridge: `auto` or one scheme.
enum LinkFECChoice: ExpressibleByArgument, CaseIterable, Hashable {
    case auto
    case scheme(FECScheme)

    init?(argument: String) {
        if argument == "auto" {
            self = .auto
        } else if let s = FECScheme(name: argument) {
            self = .scheme(s)
        } else {
            return nil
        }
    }

    static var allCases: [LinkFECChoice] { [.auto] + FECScheme.allCases.map { .scheme($0) } }

    static var allValueStrings: [String] { allCases.map(\.defaultValueDescription) }

    var defaultValueDescription: String {
        switch self {
        case .auto: "auto"
        case .scheme(let s): s.name
        }
    }

    /// The link's setting.
    var linkFEC: LinkFEC {
        switch self {
        case .auto: .adaptive
        case .scheme(let s): .fixed(s)
        }
    }
}

/// `--scramble`: whiten payloads or not.
enum ScrambleChoice: String, ExpressibleByArgument, CaseIterable {
    /// Unless the line code clocks itself.
    case auto
    case on
    case off

    /// The physical layer's setting: nil for auto.
    var setting: Bool? {
        switch self {
        case .auto: nil
        case .on: true
        case .off: false
        }
    }
}

extension ChannelSelection: ExpressibleByArgument {
    /// `auto`, `mix` or a 0-based channel number.
    public init?(argument: String) {
        switch argument {
        case "auto": self = .auto
        case "mix": self = .mix
        default:
            guard let n = Int(argument), n >= 0 else { return nil }
            self = .index(n)
        }
    }

    public var defaultValueDescription: String {
        switch self {
        case .auto: "auto"
        case .mix: "mix"
        case .index(let n): "\(n)"
        }
    }

    public static var allValueStrings: [String] { ["auto", "mix", "0", "1", "…"] }
}
