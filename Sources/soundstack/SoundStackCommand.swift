import ArgumentParser
import SoundStack

@main
struct SoundStackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soundstack",
        abstract: "Send data down the OSI layers and out as sound, and bring it back up.",
        discussion: """
        Bytes become FSK tones in an audio file; a recording of them becomes bytes again, every frame \
        checked on the way.

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
        subcommands: [Encode.self, Decode.self, HTTP.self, UDP.self, RouterCommand.self, Link.self, BridgeCommand.self,
                      Demo.self, Channel.self, Ber.self, Plot.self, FCSExperimentCommand.self, Modes.self])
}
