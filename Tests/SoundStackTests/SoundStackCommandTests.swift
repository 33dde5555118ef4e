import ArgumentParser
import Foundation
import SoundStack
import TestSupport
import Testing

@testable import soundstack

// The root command through the built binary: `--version`, and every command's `--help` as an
// 80-column terminal (or a pipe) shows it.

@Suite("soundstack: --version and --help at 80 columns")
struct SoundStackCommandTests {
    @Test(.enabled(if: SoundStackBinary.isAvailable, "needs the built soundstack"))
    func versionIsThePackageVersion() throws {
        let run = try CLI.run(["--version"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout == SoundStackVersion.current + "\n")
    }

    /// Every command and subcommand as typed, from the root's subcommand lists.
    static let commandPaths: [String] = {
        func walk(_ command: any ParsableCommand.Type, _ path: String) -> [String] {
            [path] + command.configuration.subcommands.flatMap { walk($0, path + " " + $0._commandName) }
        }
        return walk(SoundStackCommand.self, "soundstack")
    }()

    /// The command type that `path` (as in `commandPaths`) names.
    static func command(_ path: String) -> (any ParsableCommand.Type)? {
        var command: any ParsableCommand.Type = SoundStackCommand.self
        for word in path.split(separator: " ").dropFirst() {
            guard let sub = command.configuration.subcommands.first(where: { $0._commandName == word }) else {
                return nil
            }
            command = sub
        }
        return command
    }

    @Test func everyCommandIsChecked() {
        for name in [
            "encode", "decode", "http request", "http response", "http resend", "udp", "router", "link",
            "bridge", "tnc", "listen", "play", "devices", "demo", "channel", "ber", "plot", "fcs-experiment", "modes",
            "lab"
        ] {
            #expect(Self.commandPaths.contains("soundstack " + name), "no \(name)")
        }
    }

    /// No line over 80 columns; the abstract fits on the OVERVIEW line; the discussion's prose is
    /// written as paragraphs (no hard line break inside a sentence) and every indented line of it
    /// (an example command, a table row) comes out whole, not split by the wrapping.
    @Test(.enabled(if: SoundStackBinary.isAvailable, "needs the built soundstack"), arguments: commandPaths)
    func helpReadsWellAtEightyColumns(path: String) throws {
        let command = try #require(Self.command(path))
        let run = try CLI.run(
            path.split(separator: " ").dropFirst().map(String.init) + ["--help"],
            environment: ["COLUMNS": "80"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines {
            #expect(line.count <= 80, "\(path): \(line.count) columns: \(line)")
        }

        let abstract = command.configuration.abstract
        #expect(abstract.count <= 70, "\(path): abstract of \(abstract.count) characters")
        #expect(lines.first.map(String.init) == "OVERVIEW: " + abstract, "\(path): abstract wrapped")

        for line in command.configuration.discussion.split(separator: "\n") {
            if line.hasPrefix(" ") {
                #expect(line.count <= 78, "\(path): \(line.count) columns: \(line)")
                #expect(lines.contains(line), "\(path): split by the wrapping: \(line)")
            } else {
                // A paragraph, a heading ("Examples:") or a whole sentence, never half of one.
                #expect(line.last.map { ".:)".contains($0) } ?? true, "\(path): hard line break in: \(line)")
            }
        }
    }
}
