import ArgumentParser
import AudioIO
import SoundStack

@main
struct SoundStackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soundstack",
        abstract: "Send data down the OSI layers and out as sound, and bring it back up.",
        discussion: """
            Bytes become FSK tones in an audio file; a recording of them becomes bytes again, every frame \
            checked on the way.

            Output files are written beside their target and renamed into place when complete: a failed or \
            interrupted run leaves the old file (or none). An output that names an input (by any path or link) \
            is refused with exit status 64 before anything is opened.

            Examples:
              soundstack encode --text "hello" --output hello.wav
              soundstack decode hello.wav
              soundstack http request POST http://10.0.0.2/api --json '{"a":1}' -o req.wav
              soundstack decode --ip 10.0.0.2 --trace req.wav
              soundstack demo
              soundstack encode --mode bell103 --input notes.txt --output notes.wav
              soundstack decode --json recording.flac
              soundstack modes
            """,
        version: SoundStackVersion.current,
        subcommands: [
            Encode.self, Decode.self, HTTP.self, UDP.self, RouterCommand.self, Link.self, BridgeCommand.self,
            TNCCommand.self, Listen.self, Play.self, Devices.self, LabCommand.self,
            Demo.self, Channel.self, Ber.self, Plot.self, FCSExperimentCommand.self, Modes.self
        ])

    /// Every output file is written beside its target and renamed into place when finished; on
    /// SIGINT/SIGTERM/SIGHUP the unfinished ones are removed (old files stay) before exiting 128+N.
    static func main() {
        TemporaryFiles.installSignalCleanup(
            message: "soundstack: interrupted; unfinished output files removed, existing files left as they were\n")
        main(nil)
    }
}
