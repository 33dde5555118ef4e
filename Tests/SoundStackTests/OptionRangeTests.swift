import ArgumentParser
import Testing

@testable import soundstack

// Every numeric option of every command refuses NaN, infinity and a value outside its range
// with a usage error (exit 64) naming the option: parsed in-process (`parseAsRoot` runs every
// `validate()`), so the whole table takes milliseconds. A completeness test reflects over each
// command's properties so that a new numeric option without a case here fails.

/// One numeric option of one command, with a value outside its range.
struct RangeCase: CustomTestStringConvertible, Sendable {
    /// The command as typed, e.g. `http request`.
    var command: String
    /// The Swift property behind the option, e.g. `gapMs`.
    var property: String
    /// The option as typed, e.g. `--gap-ms`.
    var flag: String
    /// A value of the right type outside the documented range.
    var outOfRange: String

    var testDescription: String { property.isEmpty ? "\(command) \(flag) \(outOfRange)" : "\(command) \(flag)" }
}

@Suite("Numeric options: NaN, infinities and out-of-range values are usage errors")
struct OptionRangeTests {
    /// Arguments with which each command parses and validates (no file is opened by parsing).
    static let base: [String: [String]] = [
        "encode": ["encode", "--text", "x", "-o", "/nonexistent/out.wav"],
        "decode": ["decode", "/nonexistent/in.wav"],
        "channel": ["channel", "/nonexistent/in.wav", "-o", "/nonexistent/out.wav"],
        "ber": ["ber"],
        "bridge": ["bridge"],
        "demo": ["demo"],
        "link": ["link"],
        "plot": ["plot", "--kind", "linecodes", "-o", "/nonexistent/p.svg"],
        "router": ["router", "--if", "a=10.0.1.1/24,mode=fsk1200", "--in", "a:/nonexistent/in.wav"],
        "http request": ["http", "request", "GET", "http://10.0.0.2/", "-o", "/nonexistent/o.wav"],
        "http response": ["http", "response", "--to", "/nonexistent/in.wav", "-o", "/nonexistent/o.wav"],
        "http resend": [
            "http", "resend", "--from", "/nonexistent/a.wav", "--missing-from", "/nonexistent/b.wav", "-o",
            "/nonexistent/o.wav"
        ],
        "udp": ["udp", "10.0.0.2:5000", "--text", "x", "-o", "/nonexistent/o.wav"],
        "fcs-experiment": ["fcs-experiment"],
        "tnc": ["tnc"],
        "listen": ["listen"],
        "play": ["play", "/nonexistent/in.wav"],
        "devices": ["devices"],
        "lab": ["lab"],
        "modes": ["modes"]
    ]

    /// `(property, flag, out of range)` of the shared option groups.
    static let modeOptions = [("baud", "--baud", "0")]
    static let protocolOptions = [("slicers", "--slicers", "32")]
    static let routeOptions = [("ttl", "--ttl", "0")]
    static let layerOptions = [("compress", "--compress", "10"), ("mss", "--mss", "65496")]
    static let outputOptions = [("gapMs", "--gap-ms", "60001")]

    static let table: [String: [(String, String, String)]] = [
        "encode": [
            ("rate", "--rate", "7999"), ("frameSize", "--frame-size", "1501"), ("gapMs", "--gap-ms", "1e300"),
            ("amplitude", "--amplitude", "1.5")
        ] + modeOptions + protocolOptions,
        "decode": [
            ("jobs", "--jobs", "0"), ("rawRate", "--raw-rate", "100"), ("rawChannels", "--raw-channels", "65"),
            ("blockFrames", "--block-frames", "63")
        ] + modeOptions + protocolOptions,
        "channel": [
            ("ebn0", "--ebn0", "1e300"), ("snr", "--snr", "101"), ("bitrate", "--bitrate", "0"),
            ("seed", "--seed", "18446744073709551616"), ("drift", "--drift", "200000"),
            ("freqOffset", "--freq-offset", "200000"), ("gain", "--gain", "61"), ("dc", "--dc", "1.5"),
            ("flipBits", "--flip-bits", "1000001"), ("burst", "--burst", "60001")
        ],
        "ber": [
            ("frames", "--frames", "0"), ("seed", "--seed", "18446744073709551616"), ("jobs", "--jobs", "1025"),
            ("sampleRate", "--sample-rate", "1000000")
        ],
        "bridge": [
            ("mss", "--mss", "9000"), ("window", "--window", "0"), ("originTimeout", "--origin-timeout", "0"),
            ("linkBudget", "--link-budget", "1e9"), ("headerTimeout", "--header-timeout", "0"),
            ("maxConnections", "--max-connections", "0"), ("maxHeaderFields", "--max-header-fields", "10001"),
            ("responseTimeout", "--response-timeout", "0")
        ],
        "demo": [
            ("ebn0", "--ebn0", "1000"), ("maxResends", "--max-resends", "101"),
            ("seed", "--seed", "18446744073709551616")
        ],
        "link": [
            ("size", "--size", "5"), ("mss", "--mss", "9000"), ("minSegment", "--min-segment", "8"),
            ("ackCopies", "--ack-copies", "5"), ("window", "--window", "65"), ("rto", "--rto", "0"),
            ("turnaround", "--turnaround", "11"), ("leadMs", "--lead-ms", "5001"), ("gapMs", "--gap-ms", "5001"),
            ("maxAudio", "--max-audio", "0"), ("compress", "--compress", "10")
        ],
        "plot": [
            ("from", "--from", "2e6"), ("to", "--to", "2e6"), ("width", "--width", "99"), ("height", "--height", "49"),
            ("maxFrequency", "--max-freq", "0")
        ] + modeOptions,
        "router": [("gapMs", "--gap-ms", "1e9")],
        "http request": [("sport", "--sport", "65536"), ("isn", "--isn", "4294967296")] + routeOptions
            + layerOptions + outputOptions,
        "http response": [("status", "--status", "99"), ("isn", "--isn", "4294967296")] + layerOptions
            + outputOptions,
        "http resend": outputOptions,
        "udp": [("sport", "--sport", "65536")] + routeOptions + outputOptions,
        "fcs-experiment": [("frames", "--frames", "0"), ("seed", "--seed", "18446744073709551616")],
        "tnc": [
            ("kissPort", "--kiss-port", "65536"), ("rate", "--rate", "7999"), ("maxClients", "--max-clients", "0"),
            ("clientBuffer", "--client-buffer", "1023"), ("waitForClients", "--wait-for-clients", "1001"),
            ("baud", "--baud", "9601")
        ],
        "listen": [
            ("rate", "--rate", "7999"), ("seconds", "--seconds", "0.01"), ("blockFrames", "--block-frames", "65537")
        ],
        "play": [],
        "devices": [],
        "lab": [("workers", "--workers", "17"), ("maxUploadBytes", "--max-upload-bytes", "1023")],
        "modes": []
    ]

    static let cases: [RangeCase] = table.keys.sorted().flatMap { command in
        (table[command] ?? []).map { RangeCase(command: command, property: $0.0, flag: $0.1, outOfRange: $0.2) }
    }

    /// Parses `arguments` as the root command does; the exit code and message of its error, or
    /// nil when they were accepted.
    static func refusal(_ arguments: [String]) -> (code: Int32, message: String)? {
        do {
            _ = try SoundStackCommand.parseAsRoot(arguments)
            return nil
        } catch {
            return (SoundStackCommand.exitCode(for: error).rawValue, SoundStackCommand.message(for: error))
        }
    }

    @Test(arguments: base.keys.sorted())
    func baseArgumentsAreAccepted(command: String) throws {
        let arguments = try #require(Self.base[command])
        let refused = Self.refusal(arguments)
        #expect(refused == nil, "\(arguments): \(refused?.message ?? "")")
    }

    @Test(arguments: cases)
    func refusesNaNInfinityAndOutOfRange(_ c: RangeCase) throws {
        let arguments = try #require(Self.base[c.command])
        for value in ["nan", "inf", c.outOfRange] {
            let refused = try #require(
                Self.refusal(arguments + [c.flag, value]), "\(c.command) \(c.flag) \(value) accepted")
            #expect(refused.code == ExitCode.validationFailure.rawValue, "\(c.flag) \(value): \(refused.message)")
            #expect(refused.message.contains(c.flag), "\(c.flag) \(value): \(refused.message)")
        }
    }

    /// Options that hold numbers in text (lists, sweeps, channel specs): `(command, flag, bad values)`.
    static let textCases: [RangeCase] = [
        ("ber", "--ebn0", ["nan", "0:inf:1", "1e300"]), ("ber", "--frame-bytes", ["nan", "0", "99999999"]),
        ("link", "--sweep", ["nan", "inf", "1e300"]), ("fcs-experiment", "--sizes", ["nan", "inf", "45"]),
        ("channel", "--spec", ["ebn0=nan", "ebn0=inf"]), ("link", "--channel", ["ebn0=nan", "ebn0=inf"]),
        ("bridge", "--channel", ["ebn0=nan", "ebn0=inf"]), ("bridge", "--max-body", ["nan", "inf", "1e300"]),
        ("bridge", "--save-audio-quota", ["nan", "inf", "99999999999M"])
    ].flatMap { command, flag, values in
        values.map { RangeCase(command: command, property: "", flag: flag, outOfRange: $0) }
    }

    @Test(arguments: textCases)
    func refusesNonFiniteAndOutOfRangeNumbersInText(_ c: RangeCase) throws {
        let arguments = try #require(Self.base[c.command])
        let refused = try #require(
            Self.refusal(arguments + [c.flag, c.outOfRange]), "\(c.flag) \(c.outOfRange) accepted")
        #expect(refused.code == ExitCode.validationFailure.rawValue, "\(c.flag) \(c.outOfRange): \(refused.message)")
        #expect(refused.message.contains(c.flag), "\(c.flag) \(c.outOfRange): \(refused.message)")
    }

    /// The shared option groups, by type name, as `OptionGroup<…>` shows them.
    static let groups: [String: any ParsableArguments.Type] = [
        "ModeOptions": ModeOptions.self, "ProtocolOptions": ProtocolOptions.self,
        "StackRouteOptions": StackRouteOptions.self, "StackLayerOptions": StackLayerOptions.self,
        "StackOutputOptions": StackOutputOptions.self
    ]

    /// The numeric `@Option` properties of `type` and of its option groups, by reflection.
    static func numericOptions(_ type: any ParsableArguments.Type) -> [String] {
        let numeric = Set([
            "Int", "Int8", "Int16", "Int32", "Int64", "UInt", "UInt8", "UInt16", "UInt32", "UInt64", "Double",
            "Float"
        ])
        var found: [String] = []
        for child in Mirror(reflecting: type.init()).children {
            guard let label = child.label, label.hasPrefix("_") else { continue }
            let wrapper = String(describing: Swift.type(of: child.value))
            if wrapper.hasPrefix("OptionGroup<") {
                let name = String(wrapper.dropFirst("OptionGroup<".count).dropLast())
                if let group = groups[name] {
                    found += numericOptions(group)
                } else {
                    Issue.record("option group \(name) is not in OptionRangeTests.groups")
                }
                continue
            }
            guard wrapper.hasPrefix("Option<") else { continue }
            var value = String(wrapper.dropFirst("Option<".count).dropLast())
            if value.hasPrefix("Optional<") { value = String(value.dropFirst("Optional<".count).dropLast()) }
            if numeric.contains(value) { found.append(String(label.dropFirst())) }
        }
        return found
    }

    /// Every numeric option of every command has a case in ``table``, and every case is one.
    @Test(arguments: SoundStackCommandTests.commandPaths.dropFirst())
    func everyNumericOptionHasACase(path: String) throws {
        let command = try #require(SoundStackCommandTests.command(path))
        let name = path.split(separator: " ").dropFirst().joined(separator: " ")
        let options = Self.numericOptions(command)
        guard command.configuration.subcommands.isEmpty else {
            #expect(options.isEmpty, "\(name) has subcommands and options \(options)")
            return
        }
        let covered = try #require(Self.table[name], "no cases for \(name)").map(\.0)
        #expect(Set(options) == Set(covered), "\(name): options \(options.sorted()), cases \(covered.sorted())")
    }

    @Test func reflectionFindsWhatItShould() {
        #expect(
            Set(Self.numericOptions(SoundStackCommand.Encode.self)).isSuperset(of: [
                "rate", "gapMs", "amplitude", "baud"
            ]))
        #expect(Self.numericOptions(SoundStackCommand.BridgeCommand.self).contains("maxHeaderFields"))
    }
}
