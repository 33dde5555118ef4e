import ArgumentParser
import Bridge
import Foundation
import Lab

extension SoundStackCommand {
    struct LabCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lab",
            abstract: "A web page: a message down the layers, through noise, and up.",
            usage: "soundstack lab [<options>]",
            discussion: """
                Open the address it prints in a browser. The page sends a message or an HTTP request down the \
                seven layers into sound, through the noise and impairments you choose, and up again; it plays the \
                audio, draws the spectrogram and the demodulator's view, lists every frame with its status, and \
                shows layer by layer which check caught the damage and what was delivered. It opens with a worked \
                example. It also decodes an uploaded recording or one made with the browser's microphone.

                Everything is served from the binary (no network needed). It listens on this machine only unless \
                --listen names another address and --allow-remote is given. Ctrl-C stops it.

                Examples:
                  soundstack lab
                  soundstack lab --listen 127.0.0.1:0
                """)

        @Option(help: "Address to listen on, HOST:PORT (port 0: any free one).")
        var listen = "127.0.0.1:8088"

        @Flag(help: "Allow --listen on an address other machines can reach (a classroom network).")
        var allowRemote = false

        @Option(help: "Requests worked on at once, 1…16.")
        var workers = 2

        @Option(help: "Largest uploaded recording in bytes, 1024…100000000.")
        var maxUploadBytes = 16_000_000

        @Flag(name: .shortAndLong, help: "Say nothing on stderr but errors.")
        var quiet = false

        func validate() throws {
            let (host, _) = try address()
            if !ListenAddress.isLoopback(host), !allowRemote {
                throw ValidationError(
                    "--listen \(listen) is reachable from other machines: add --allow-remote, or listen on 127.0.0.1")
            }
            try require(workers, in: 1...16, "--workers")
            try require(maxUploadBytes, in: 1024...100_000_000, "--max-upload-bytes")
        }

        func address() throws -> (host: String, port: Int) {
            try listenHostAndPort(listen, example: "127.0.0.1:8088")
        }

        func run() throws {
            let (host, port) = try address()
            var limits = LabLimits()
            limits.uploadBytes = maxUploadBytes
            let configuration = LabConfiguration(host: host, port: port, limits: limits, workers: workers)
            let quiet = self.quiet
            try serveUntilSignal(
                host: host, port: port,
                start: { try await LabServer.start(configuration) },
                started: { server in
                    BridgeCLIOutput.line("lab on http://\(bracketed(host)):\(server.port)/")
                    if !quiet { note("soundstack lab: open the address above in a browser; Ctrl-C stops") }
                },
                shutdown: { await $0.shutdown() })
            if !quiet { note("soundstack lab: stopped") }
        }
    }
}
