// Fuzz target `bridge`: the bridge's decisions before anything is forwarded. The Bridge module
// itself needs swift-nio, AsyncHTTPClient and the whole acoustic link, so its pure files
// (OriginPolicy.swift, ClientStation.swift, ListenAddress.swift) are compiled into this harness
// against L7Application; ProxyHandler's NIO pipeline is not driven here, only the two calls it
// makes for a request head (OriginPolicy.decide(requestTarget:origin:), then at the end
// ClientStation.request).
// Input: a control byte, up to four allow-list entries, an optional --origin, then requests:
// method, target (built from fuzzed pieces around the listed hosts, or raw), header fields, body.
// Properties: nothing traps; a parsed origin prints as HOST:PORT and parses back to itself;
// decide(origin) allows exactly the listed origins; a request target the handler lets through
// (its decision is not a refusal) and ClientStation turns into a request is one whose origin
// the policy lists: the request that crosses the link, serialised and parsed again the way the
// origin station reads it, names that origin in its Host field and the returned URL; a target
// with no decision (nil) is never forwarded; hop-by-hop fields are never forwarded and
// Content-Length is the body's length; ListenAddress.isLoopback agrees with the dotted quad,
// `::1` and `localhost` rules on built addresses and never traps on any text.
import L7Application

private let hosts = ["127.0.0.1", "localhost", "example.org", "Example.ORG", "[::1]", "a", "[", "10.0.0.1"]
private let pieces = [
    "http://", "HTTP://", "https://", ":", ":80", ":080", ":9000", ":65536", "/", "//", "?", "#", "@", "%2F",
    " ", "\t", "/a?b=1", "[", "]", ".", "..", "\u{0}", "é", ":0", "*"
]
private let methods = ["GET", "POST", "HEAD", "CONNECT", "connect", "PUT", "G T", "", "PURGE", "OPTIONS"]
private let fieldNames = [
    "Host", "host", "Connection", "Proxy-Connection", "Keep-Alive", "TE", "Transfer-Encoding", "Upgrade",
    "Content-Length", "Expect", "X-A", "Proxy-Authorization", "Bad Name", ""
]

private func text(_ input: inout FuzzInput) -> String { String(decoding: input.record(), as: UTF8.self) }

/// A string from listed hosts and URL pieces, or raw bytes.
private func built(_ input: inout FuzzInput) -> String {
    var s = ""
    for _ in 0..<input.below(6) {
        switch input.byte() % 4 {
        case 0: s += hosts[input.below(hosts.count)]
        case 1, 2: s += pieces[input.below(pieces.count)]
        default: s += text(&input)
        }
    }
    return s
}

private func checkLoopback(_ input: inout FuzzInput) {
    let raw = text(&input)
    _ = ListenAddress.isLoopback(raw)
    let quad = (0..<4).map { _ in Int(input.byte()) }
    let v4 = quad.map(String.init).joined(separator: ".")
    fuzzCheck(ListenAddress.isLoopback(v4) == (quad[0] == 127), "isLoopback(\(v4))")
    let last = input.byte() % 3
    fuzzCheck(ListenAddress.isLoopback("[::\(last)]") == (last == 1), "isLoopback([::\(last)])")
    let groups = (0..<8).map { _ in input.byte() == 0 ? 0 : Int(input.u16()) }
    let v6 = groups.map { String($0, radix: 16) }.joined(separator: ":")
    let one = groups[0..<7].allSatisfy { $0 == 0 } && groups[7] == 1
    fuzzCheck(ListenAddress.isLoopback(v6) == one, "isLoopback(\(v6))")
    fuzzCheck(ListenAddress.isLoopback("[\(v6)]") == one, "isLoopback([\(v6)])")
    fuzzCheck(ListenAddress.isLoopback(input.bool() ? "LocalHost" : "localhost"), "localhost is not loopback")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBridge(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let control = input.byte()
    checkLoopback(&input)

    // The allow-list, as --allow-origin values.
    var listed: [OriginPolicy.Origin] = []
    for _ in 0..<Int(control & 3) {
        let entry = built(&input)
        guard let origin = try? OriginPolicy.Origin(entry) else { continue }
        fuzzCheck(origin.host == origin.host.lowercased(), "origin host \(origin.host) not lowercased")
        fuzzCheck((0...65535).contains(origin.port), "origin port \(origin.port)")
        let again = try? OriginPolicy.Origin(origin.description)
        fuzzCheck(again == origin, "'\(entry)' → \(origin) → \(again.map { "\($0)" } ?? "no origin")")
        listed.append(origin)
    }
    let originURL: HTTPURL? = control & 4 != 0 ? try? HTTPURL(built(&input)) : nil
    let policy = OriginPolicy(allowed: Set(listed), origin: originURL)
    let everyListed = Set(listed + (originURL.map { [OriginPolicy.Origin($0)] } ?? []))
    fuzzCheck(policy.allowed == everyListed, "the policy holds \(policy.allowed), listed \(everyListed)")

    var rounds = 0
    while !input.isEmpty, rounds < 8 {
        rounds += 1
        let op = input.byte()
        let method = op & 1 == 0 ? methods[input.below(methods.count)] : text(&input)
        let target = op & 2 == 0 ? built(&input) : text(&input)

        // What the handler decides at the head.
        let decision = policy.decide(requestTarget: target, origin: originURL)
        if let probe = try? OriginPolicy.Origin(built(&input)) {
            fuzzCheck(
                (policy.decide(probe) == .allow) == everyListed.contains(probe), "decide(\(probe)) with \(everyListed)")
        }

        var fields: [(name: String, value: String)] = []
        for _ in 0..<input.below(5) {
            let name = input.bool() ? fieldNames[input.below(fieldNames.count)] : text(&input)
            let value = input.bool() ? fieldNames[input.below(fieldNames.count)] : text(&input)
            fields.append((name, value))
        }
        let body = input.take(input.below(64))
        let hadLength = op & 4 != 0
        guard case .allow? = decision else {
            // Refused at the head (403), or no origin to judge: ClientStation must refuse it too.
            if decision == nil {
                let prepared = try? ClientStation.request(
                    method: method, target: target, fields: fields, body: body, hadLength: hadLength, origin: originURL)
                fuzzCheck(prepared == nil, "'\(target)' had no decision but would be forwarded to \(prepared!.url)")
            }
            continue
        }
        let prepared: (request: HTTPRequest, url: String)
        do throws(BridgeRefusal) {
            prepared = try ClientStation.request(
                method: method, target: target, fields: fields, body: body, hadLength: hadLength, origin: originURL)
        } catch {
            fuzzCheck([400, 501].contains(error.status.code), "refused with \(error.status.code)")
            continue
        }
        // Where the origin station connects: the Host field and target of the request as it
        // arrives after crossing the link.
        let bytes = prepared.request.serialize()
        guard let parsed = try? HTTPParser<HTTPRequest>.parse(bytes, endOfInput: true), parsed.consumed == bytes.count
        else {
            fuzzCheck(false, "the request for '\(target)' does not parse back: \(prepared.request.startLine)")
            continue
        }
        let arrived = parsed.message
        guard let host = arrived.headers["Host"], let url = try? HTTPURL("http://\(host)\(arrived.target)") else {
            fuzzCheck(false, "the request for '\(target)' names no usable Host")
            continue
        }
        let destination = OriginPolicy.Origin(url)
        fuzzCheck(
            everyListed.contains(destination),
            "'\(target)' allowed, but the request goes to \(destination); listed \(everyListed)")
        let returned = try? HTTPURL(prepared.url)
        fuzzCheck(
            returned.map { OriginPolicy.Origin($0) } == destination,
            "URL \(prepared.url) but the request goes to \(destination)")
        fuzzCheck(
            arrived.headers.values(for: "Host").count == 1, "\(arrived.headers.values(for: "Host").count) Host fields")
        let dropped = HopByHop.dropped(from: fields).subtracting(["host", "content-length"])  // both set anew
        for field in arrived.headers {
            fuzzCheck(!dropped.contains(field.name.lowercased()), "hop-by-hop field \(field.name) forwarded")
        }
        if let length = arrived.headers["Content-Length"] {
            fuzzCheck(length == String(body.count), "Content-Length \(length) for \(body.count) bytes")
        }
        fuzzCheck(arrived.body == body, "body of \(arrived.body.count) bytes arrived for \(body.count)")
    }
    return 0
}
