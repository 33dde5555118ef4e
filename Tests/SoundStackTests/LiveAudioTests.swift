import Foundation
import TestSupport
import Testing

// `listen`, `play`, `encode --play` and `devices` against a real audio server (a headless
// PulseAudio from scripts/audio-server.sh), each test on a null sink of its own whose monitor is
// the "microphone"; minimodem plays and listens through the same server.

@Suite(
    "Live audio through a real audio server",
    .enabled(if: NullSink.serverAnswers && SoundStackBinary.isAvailable, "needs an audio server and the binary"))
struct LiveAudioTests {
    /// `listen` writes each message as soon as it is complete, while still listening: the bytes of
    /// a message played by `encode --play` arrive before it returns (it waits for the audio to have
    /// been played, and the message ends 0.13 s before its file does) or at most 1 s after, and
    /// Ctrl-C then ends the listening with a summary and exit 0.
    @Test func listenWritesEachMessageAsItIsHeard() throws {
        let sink = try NullSink(label: "listen")
        defer { sink.remove() }
        let binary = try #require(SoundStackBinary.path)
        let listen = try BackgroundRun(binary, ["listen", "--device", sink.monitor, "--mode", "fsk1200"])
        var finished = false
        defer { if !finished { _ = listen.finish(timeLimit: 0) } }
        Thread.sleep(forTimeInterval: 1)
        for text in ["first message", "second message"] {
            let played = try runCLI(["encode", "--text", text, "--play", sink.name], timeLimit: 30)
            #expect(played.status == 0, "\(played.stderr)")
            let returned = Date()
            let heard = try #require(listen.wait(for: text, seconds: 5), "\(text) not heard: \(listen.stdout)")
            let late = heard.timeIntervalSince(returned)
            #expect(late < 1.0, "\(text) written \(late) s after the audio was played")
        }
        listen.signal(SIGINT)
        let end = listen.finish(timeLimit: 10)
        finished = true
        #expect(end.status == 0, "\(end.stderr)")
        #expect(listen.stdout == "first messagesecond message")
        #expect(end.stderr.contains("2 frames: 2 ok"), "\(end.stderr)")
        #expect(end.stderr.contains("s heard"), "\(end.stderr)")
        #expect(end.stderr.contains("no audio lost (0 overruns)"), "\(end.stderr)")
    }

    /// `play` a file to the sink while `listen --json --protocol ax25 --seconds` hears it: the same
    /// frame as decoding the file, and the end of --seconds ends the listening.
    @Test func playedAX25IsHeardAsTheFileDecodes() throws {
        let sink = try NullSink(label: "ax25")
        defer { sink.remove() }
        let dir = try TemporaryDirectory(prefix: "soundstack-live")
        defer { dir.remove() }
        let wav = dir.path("aprs.wav")
        let made = try runCLI([
            "encode", "--protocol", "ax25", "--ax25-path", "N0CALL-1>APRS", "--text", "!4903.50N/07201.75W-live",
            "-o", wav
        ])
        #expect(made.status == 0, "\(made.stderr)")
        let binary = try #require(SoundStackBinary.path)
        let listen = try BackgroundRun(
            binary, ["listen", "--device", sink.monitor, "--seconds", "6", "--protocol", "ax25"])
        Thread.sleep(forTimeInterval: 1)
        let played = try runCLI(["play", wav, "--device", sink.name], timeLimit: 30)
        #expect(played.status == 0, "\(played.stderr)")
        let end = listen.finish(timeLimit: 20)
        #expect(end.status == 0, "\(end.stderr)")
        let fromFile = try runCLI(["decode", "--protocol", "ax25", "-q", wav])
        #expect(!fromFile.stdout.isEmpty)
        #expect(listen.stdout == fromFile.stdout)
    }

    /// minimodem plays Bell 202 through the server and `listen --protocol uart` hears it; ours
    /// played with `encode --protocol uart --play` is heard by `minimodem --rx`. (minimodem's
    /// playback sometimes loses its first tens of milliseconds to the stream starting, so the
    /// text it sends begins with a few bytes to spare.)
    @Test(.enabled(if: NullSink.path("minimodem") != nil, "needs minimodem"))
    func minimodemBothWaysThroughTheServer() throws {
        let minimodem = try #require(NullSink.path("minimodem"))
        let timeout = try #require(NullSink.path("timeout"))
        let binary = try #require(SoundStackBinary.path)
        let sink = try NullSink(label: "minimodem")
        defer { sink.remove() }

        let listen = try BackgroundRun(
            binary, ["listen", "--device", sink.monitor, "--seconds", "5", "--protocol", "uart"])
        Thread.sleep(forTimeInterval: 1)
        let sent = try runProcess(
            "/bin/sh",
            ["-c", #"printf '~~~~~~~~ from minimodem\n' | "$1" 10 "$2" --tx 1200"#, "sh", timeout, minimodem],
            environment: ProcessInfo.processInfo.environment.merging([
                "PULSE_SINK": sink.name,
                // A deeper buffer than minimodem asks for, so a busy machine cannot starve its stream.
                "PULSE_LATENCY_MSEC": "500"
            ]) { $1 }, timeLimit: 20)
        #expect(sent.status == 0, "\(sent.stderr)")
        let heard = listen.finish(timeLimit: 20)
        #expect(heard.status == 0, "\(heard.stderr)")
        #expect(listen.stdout.contains("from minimodem\n"), "\(listen.stdout)")

        let rx = try BackgroundRun(
            timeout, ["-s", "INT", "6", minimodem, "--rx", "1200", "--quiet"],
            environment: ["PULSE_SOURCE": sink.monitor])
        Thread.sleep(forTimeInterval: 1)
        let played = try runCLI(
            ["encode", "--protocol", "uart", "--text", "~~~~~~~~ from soundstack\n", "--play", sink.name], timeLimit: 30
        )
        #expect(played.status == 0, "\(played.stderr)")
        _ = rx.finish(timeLimit: 20)
        #expect(rx.stdout.contains("from soundstack"), "\(rx.stdout)")
    }

    /// `listen --meter` shows the level and names the carrier it hears.
    @Test func theMeterShowsTheLevelAndTheCarrier() throws {
        let sink = try NullSink(label: "meter")
        defer { sink.remove() }
        let binary = try #require(SoundStackBinary.path)
        let listen = try BackgroundRun(
            binary, ["listen", "--device", sink.monitor, "--seconds", "4", "--meter", "--mode", "bell202", "-q"])
        Thread.sleep(forTimeInterval: 1)
        let played = try runCLI(
            ["encode", "--mode", "bell202", "--amplitude", "0.5", "--text", "meter check", "--play", sink.name],
            timeLimit: 30)
        #expect(played.status == 0, "\(played.stderr)")
        let end = listen.finish(timeLimit: 20)
        #expect(end.status == 0, "\(end.stderr)")
        #expect(listen.stdout == "meter check")
        let levels = end.stderr.split(separator: "\n").filter { $0.hasPrefix("level: ") }
        #expect(levels.count >= 4, "\(end.stderr)")
        // Half scale: a peak of −6 dBFS (the sink's 16-bit samples round it a little).
        #expect(levels.contains { $0.contains("peak   -6.0 dBFS") || $0.contains("peak   -6.1 dBFS") }, "\(levels)")
        #expect(levels.contains { $0.contains("carrier: bell202") }, "\(levels)")
        #expect(levels.allSatisfy { !$0.contains("CLIPPED") })
    }

    @Test func devicesListsTheSinkAndItsMonitor() throws {
        let sink = try NullSink(label: "devices")
        defer { sink.remove() }
        let run = try runCLI(["devices"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("outputs:") && run.stdout.contains("inputs:"))
        #expect(run.stdout.contains("  \(sink.name)  ") || run.stdout.contains("* \(sink.name)  "))
        #expect(run.stdout.contains("\(sink.monitor)  "), "\(run.stdout)")
        #expect(run.stdout.contains("hears \(sink.name)"))
    }

    /// No server, no such device, no such file: a clear message and a failing status, fast.
    @Test func withoutAServerOrDeviceTheErrorSaysSo() throws {
        let noServer = ["PULSE_SERVER": "unix:/nonexistent/soundstack-no-server"]
        for arguments in [["devices"], ["listen", "--seconds", "1"], ["encode", "--text", "x", "--play", "default"]] {
            let run = try runCLI(arguments, environment: noServer, timeLimit: 20)
            #expect(run.status != 0, "\(arguments)")
            #expect(
                run.stderr.contains("no audio server") || run.stderr.contains("cannot open audio device"),
                "\(arguments): \(run.stderr)")
            #expect(run.seconds < 10)
        }
        let sink = try NullSink(label: "errors")
        defer { sink.remove() }
        let noDevice = try runCLI(["encode", "--text", "x", "--play", "soundstack_no_such_sink"], timeLimit: 20)
        #expect(noDevice.status == 1)
        #expect(noDevice.stderr.contains("soundstack_no_such_sink"), "\(noDevice.stderr)")
        let noFile = try runCLI(["play", "/nonexistent/soundstack.wav", "--device", sink.name], timeLimit: 20)
        #expect(noFile.status != 0)
        let noInput = try runCLI(["listen", "--device", sink.monitor, "extra.wav"], timeLimit: 20)
        #expect(noInput.status == 64, "\(noInput.stderr)")
        #expect(noInput.stderr.contains("no input files"), "\(noInput.stderr)")
    }
}
