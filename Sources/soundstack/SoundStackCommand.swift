import ArgumentParser
import SoundStack

@main
struct SoundStackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soundstack",
        abstract: "Send data down all seven OSI layers and out as sound, and bring it back up.")
}
