import ArgumentParser
import AudioDevices
import AudioIO
import Foundation
import Framings
import TNC

extension SoundStackCommand {
    struct TNCCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tnc",
            abstract: "A KISS TNC for packet-radio programs, on sound cards, files or pipes.",
            usage: "soundstack tnc [<options>]",
            discussion: """
                Packet and APRS programs (kissutil, Xastir, YAAC, Pat, Linux kissattach) talk to the TNC in KISS, by \
                TCP (--kiss-port, 8001 as Dire Wolf) or through a pseudo-terminal (--pty PATH makes a link to it for \
                programs that want a serial port). Several clients may connect at once: every frame decoded from \
                --record goes to each of them as a KISS data frame on port 0.

                AX.25 frames the clients send are checked, keyed up with TXDELAY as flags, followed by TXTAIL, and \
                written to --play as 1200 Bd Bell 202 AFSK (--baud 300: 1600/1800 Hz AFSK, --baud 9600: G3RUH baseband), after the P-persistence and SLOTTIME channel access, which waits while --record carries the modem's tones (AFSK; \
                there is no carrier detect at 9600 Bd). The parameter commands (TXDELAY, P, SLOTTIME, TXTAIL, FULLDUPLEX) are kept per port; SETHARDWARE \
                and exit-KISS are ignored. A malformed KISS stream is logged, and the client stays connected.

                The end of --record does not end the TNC: it serves its clients until SIGINT, SIGTERM or SIGHUP, then \
                sends what is queued, finishes --play (a file is renamed into place only then) and exits 0. Where it \
                listens is said on stderr, with a line for each frame received and sent (unless --quiet).

                --record pulse:DEVICE and --play pulse:DEVICE use a sound card through the audio server (`soundstack \
                devices` lists them; pulse: alone is the default); each transmission is played out before the next.

                Examples:
                  soundstack tnc --record pulse: --play pulse:
                  soundstack tnc --record aprs.wav --play out.wav
                  kissutil -h 127.0.0.1 -p 8001
                  arecord -f S16_LE -r 48000 -t wav | soundstack tnc --record - --play -
                  soundstack tnc --pty /tmp/kisstnc --play out.wav
                  sudo kissattach /tmp/kisstnc radio
                """)

        @Option(help: "KISS TCP port, 0…65535 (0 picks a free one).")
        var kissPort: Int = 8001

        @Option(help: "Address the KISS port listens on (127.0.0.1: this machine only).")
        var listenAddress: String = "127.0.0.1"

        @Option(help: "Make a KISS pseudo-terminal and a symbolic link to it at this path.")
        var pty: String?

        @Option(
            help:
                "Audio to decode: a file, '-' for stdin (decoded as it arrives), or pulse:DEVICE for a sound card (pulse: for the default input)."
        )
        var record: String?

        @Option(
            help:
                "Where the frames the clients send go: an audio file, '-' for stdout (WAV), or pulse:DEVICE for a sound card (pulse: for the default output)."
        )
        var play: String?

        @Option(help: "Sample rate of --play (and of a sound card's --record) in Hz (8000…384000).")
        var rate: Int = 48000

        @Option(help: "AX.25 bit rate on the air: 300 (AFSK 1600/1800 Hz), 1200 (Bell 202) or 9600 (G3RUH baseband).")
        var baud: Int = 1200

        @Option(help: "TCP clients at once, 1…1000; one more is refused.")
        var maxClients: Int = 16

        @Option(
            help: ArgumentHelp(
                "Bytes waiting for one client, 1024…1073741824, before frames are dropped for it.",
                valueName: "bytes"))
        var clientBuffer: Int = 1 << 20

        @Option(help: "Read --record only once this many TCP clients are connected, 0…1000.")
        var waitForClients: Int = 0

        @Flag(name: .shortAndLong, help: "Say nothing on stderr but where it listens and errors.")
        var quiet = false

        func validate() throws {
            try require(kissPort, in: 0...65535, "--kiss-port")
            try require(rate, in: OptionRange.sampleRate, "--rate")
            try require(baud, in: 300...9600, "--baud")
            guard AX25Modem(baud: baud) != nil else { throw ValidationError("--baud must be 300, 1200 or 9600") }
            if let modem = AX25Modem(baud: baud), play != nil, Double(rate) < modem.minimumTransmitRate {
                throw ValidationError(
                    "--rate \(rate) is too low for \(modem): at least \(Int(modem.minimumTransmitRate)) Hz")
            }
            try require(maxClients, in: 1...1000, "--max-clients")
            try require(clientBuffer, in: 1024...(1 << 30), "--client-buffer")
            try require(waitForClients, in: 0...1000, "--wait-for-clients")
            guard waitForClients <= maxClients else {
                throw ValidationError("--wait-for-clients \(waitForClients) is more than --max-clients \(maxClients)")
            }
            guard !listenAddress.isEmpty else { throw ValidationError("--listen-address is empty") }
            try OutputPaths.refuseOverlap(outputs: [play], inputs: [record])
            if let pty, pty == record || pty == play {
                throw ValidationError("--pty \(pty) is also an audio file")
            }
        }

        func run() throws {
            var configuration = TNCConfiguration()
            configuration.host = listenAddress
            configuration.kissPort = kissPort
            configuration.ptyLink = pty
            configuration.record = record
            configuration.play = play
            // A sound card: its capture poured into a pipe the receiver reads as raw audio, and
            // frames played to it one transmission at a time.
            var capture: CapturePipe?
            defer { capture?.stop() }
            if let device = SoundCardName(record) {
                let pipe = try CapturePipe(device: device.name, sampleRate: rate, blockFrames: 1024)
                configuration.record = pipe.path
                configuration.recordFormat = RawFormat(sampleRate: rate, channels: 1)
                pipe.start()
                capture = pipe
            }
            if let device = SoundCardName(play) {
                configuration.playOutput = try DeviceOutput(device: device.name, sampleRate: rate)
            }
            configuration.sampleRate = rate
            configuration.modem = AX25Modem(baud: baud)
            configuration.maxClients = maxClients
            configuration.clientBufferLimit = clientBuffer
            configuration.waitForClients = waitForClients
            let quiet = self.quiet
            let log = TNCLog { line in if !quiet { note("soundstack tnc: \(line)") } }
            if !["127.0.0.1", "::1", "localhost"].contains(listenAddress) {
                note(
                    "soundstack tnc: warning: --listen-address \(listenAddress) may be reachable from other machines, "
                        + "and KISS has no authentication: anyone who connects can transmit")
            }
            do {
                try SoftwareTNC.runUntilSignalled(configuration, log: log) { tnc in
                    note("soundstack tnc: KISS TCP on \(listenAddress):\(tnc.kissPort)")
                    if let device = tnc.ptyDevice, let pty {
                        note("soundstack tnc: KISS pty \(device), linked from \(pty)")
                    }
                }
            } catch {
                throw CLIError(error.description)
            }
            if !quiet { note("soundstack tnc: stopped") }
        }
    }
}
