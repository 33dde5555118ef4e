import ArgumentParser
import Foundation
import L2DataLink
import L3Network
import L4Transport
import L7Application
import SoundStack

extension SoundStackCommand {
    struct HTTP: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "http",
            abstract: "Send an HTTP request or response down all seven layers as tones.",
            discussion: """
                L7 HTTP → L6 presentation (check, deflate, encrypt) → L5 session (SPDUs, checkpoints) → L4 TCP \
                (SYN, segments by MSS, FIN) → L3 IPv4 → L2 Ethernet (type 0x0800) → L1 tones. `soundstack decode` \
                takes the recording back up and prints the HTTP message.

                Examples:
                  soundstack http request POST http://10.0.0.2/api --json '{"a":1}' -o req.wav
                  soundstack decode --trace req.wav
                  soundstack http response --to req.wav --json '{"ok":true}' -o resp.wav
                  soundstack http resend --from req.wav --missing-from noisy.wav -o resend.wav
                  soundstack decode --ip 10.0.0.2 noisy.wav --reply-audio ack.wav
                  soundstack http resend --sent req.wav --ack ack.wav -o resend.wav
                  soundstack decode noisy.wav resend.wav
                """,
            subcommands: [Request.self, Response.self, Resend.self])
    }
}

extension SoundStackCommand.HTTP {
    struct Request: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "request",
            abstract: "An HTTP request (curl-like) as tones.",
            discussion: """
                The URL's host must be an IPv4 address (there is no DNS over audio); its port is the TCP \
                destination port. The destination MAC comes from --neighbour or is derived from the IP; with \
                --gateway it is the router's, so `soundstack router` forwards the packets to the far network.

                Examples:
                  soundstack http request POST http://10.0.0.2/api --json '{"a":1}' -o req.wav
                  soundstack http request GET http://10.0.0.2/ -H 'X-A: 1' --trace -o g.wav
                  soundstack http request PUT http://10.0.0.2/f --data-binary @f.bin -o p.wav
                """)

        @Argument(help: "Method: GET, POST, PUT, …")
        var method: String

        @Argument(help: "http://IPv4[:port]/path")
        var url: String

        @Option(name: .customShort("H"), help: "A header field 'Name: value' (repeatable).")
        var header: [String] = []

        @Option(help: "JSON body (Content-Type: application/json).")
        var json: String?

        @Option(name: [.customShort("d"), .long], help: "Text body (Content-Type: application/x-www-form-urlencoded).")
        var data: String?

        @Option(
            name: .customLong("data-binary"), help: "Body from a file: @path (Content-Type: application/octet-stream).")
        var dataBinary: String?

        @Option(help: "This host's IPv4 address.")
        var ip: String = "10.0.0.1"

        @Option(help: "TCP source port.")
        var sport: UInt16 = 49152

        @Option(help: "Initial TCP sequence number.")
        var isn: UInt32 = 1000

        @OptionGroup var route: StackRouteOptions

        @OptionGroup var layers: StackLayerOptions
        @OptionGroup var out: StackOutputOptions

        func validate() throws {
            if [json != nil, data != nil, dataBinary != nil].filter({ $0 }).count > 1 {
                throw ValidationError("give at most one of --json, --data, --data-binary")
            }
            let bodyFile = dataBinary.map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 }
            try OutputPaths.refuseOverlap(outputs: out.files, inputs: [bodyFile])
        }

        func run() throws {
            guard let m = HTTPMethod(rawValue: method.uppercased()) else {
                throw ValidationError("not an HTTP method: '\(method)'")
            }
            var headers = HTTPHeaders()
            for h in header {
                guard let colon = h.firstIndex(of: ":") else {
                    throw ValidationError("-H wants 'Name: value', got '\(h)'")
                }
                try headers.add(
                    name: String(h[..<colon]), value: h[h.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
            let request: HTTPRequest
            if let json {
                request = try HTTPRequest(m, url: url, json: json, headers: headers)
            } else if let data {
                request = try HTTPRequest(
                    m, url: url, data: Array(data.utf8),
                    contentType: "application/x-www-form-urlencoded", headers: headers)
            } else if let file = dataBinary {
                let path = file.hasPrefix("@") ? String(file.dropFirst()) : file
                guard let d = FileManager.default.contents(atPath: path) else {
                    throw CLIError("cannot read '\(path)'")
                }
                request = try HTTPRequest(m, url: url, data: [UInt8](d), headers: headers)
            } else {
                request = try HTTPRequest(m, url: url, headers: headers)
            }
            let parsed = try HTTPURL(url)
            let destination: IPv4Address
            do { destination = try IPv4Address(parsed.host) } catch {
                throw CLIError("the URL's host must be an IPv4 address (no DNS over audio): '\(parsed.host)'")
            }
            guard (1...65535).contains(parsed.port) else { throw CLIError("port out of range: \(parsed.port)") }
            let source = try IPv4Address(ip)
            let ends = try route.endpoints(
                source: source, destination: destination, sourcePort: sport,
                destinationPort: UInt16(parsed.port))
            var options = StackOptions(initialSequenceNumber: SequenceNumber(isn))
            layers.apply(to: &options)
            options.ttl = route.ttl
            let tx = StackTransmitter(endpoints: ends, options: options)
            let plan = try tx.plan(message: request.serialize())
            try StackCLI.send(
                plan, frames: plan.frames, trace: plan.trace, transmitter: tx, output: out, what: "request")
        }
    }

    struct Response: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "response",
            abstract: "Answer a recorded request: addresses, ports and sequence reversed.",
            discussion: """
                The request's recording is decoded to learn the addresses, ports and sequence numbers; the \
                response goes back down the stack from the far end, its SYN a SYN-ACK acknowledging the request's.

                Examples:
                  soundstack http response --to req.wav --json '{"ok":true}' -o resp.wav
                  soundstack decode --ip 10.0.0.1 resp.wav
                """)

        @Option(help: "The request's recording(s) (decoded to learn addresses, ports, sequence numbers).")
        var to: [String]

        @Option(help: "Status code (100…599).")
        var status: Int = 200

        @Option(help: "JSON body.")
        var json: String?

        @Option(help: "Text body.")
        var text: String?

        @Option(name: .customShort("H"), help: "A header field 'Name: value' (repeatable).")
        var header: [String] = []

        @Option(help: "Initial TCP sequence number of the response.")
        var isn: UInt32 = 5000

        @Option(help: "Passphrase to read an encrypted request.")
        var requestPassphrase: String?

        @OptionGroup var layers: StackLayerOptions
        @OptionGroup var out: StackOutputOptions

        func validate() throws {
            try require(status, in: 100...599, "--status")
            try OutputPaths.refuseOverlap(outputs: out.files, inputs: to)
        }

        func run() throws {
            let results = try StackCLI.receive(to, mode: nil, passphrase: requestPassphrase ?? layers.passphrase)
            guard let req = results.first(where: { $0.message.map { !$0.starts(with: Array("HTTP/".utf8)) } == true }),
                let isn = req.peerInitialSequenceNumber
            else {
                for r in results { note(r.error.map { "\(r.key): \($0)" } ?? "\(r.key): not a request") }
                throw CLIError("no complete HTTP request found in \(to.joined(separator: ", "))")
            }
            guard let code = HTTPStatus(code: status) else { throw ValidationError("bad status \(status)") }
            var headers = HTTPHeaders()
            for h in header {
                guard let colon = h.firstIndex(of: ":") else {
                    throw ValidationError("-H wants 'Name: value', got '\(h)'")
                }
                try headers.add(
                    name: String(h[..<colon]), value: h[h.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
            let response: HTTPResponse
            if let json {
                response = try HTTPResponse(status: code, json: json, headers: headers)
            } else if let text {
                response = try HTTPResponse(status: code, text: text, headers: headers)
            } else {
                response = try HTTPResponse(status: code, data: [], headers: headers)
            }
            var options = StackOptions(
                initialSequenceNumber: SequenceNumber(self.isn),
                acknowledgmentNumber: isn + 1 + req.stream.count + 1)
            layers.apply(to: &options)
            options.identification = 0x4000
            options.synAcknowledgment = isn + 1
            let tx = StackTransmitter(endpoints: req.endpoints.reversed, options: options)
            let plan = try tx.plan(message: response.serialize())
            if !out.quiet { note("answering \(req.key), acknowledging seq \(options.acknowledgmentNumber)") }
            try StackCLI.send(
                plan, frames: plan.frames, trace: plan.trace, transmitter: tx, output: out, what: "response")
        }
    }
}
