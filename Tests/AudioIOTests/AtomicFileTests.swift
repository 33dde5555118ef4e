import Foundation
import TestSupport
import Testing

@testable import AudioIO

/// AtomicFile: the target changes only on commit; everything else leaves the old file and no temporary.
@Suite struct AtomicFileTests {
    /// Names in `directory` that start with a dot (where temporaries live).
    static func hidden(_ directory: TemporaryDirectory) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.url.path)) ?? []).filter { $0.hasPrefix(".") }
    }

    static func bytes(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int
    }

    @Test func commitRenamesTheTemporaryIntoPlace() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("out.bin")
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        let file = try AtomicFile(path: path)
        #expect(file.temporaryPath.hasPrefix(directory.path(".out.bin.")))
        #expect(TemporaryFiles.listed.contains(file.temporaryPath))
        try file.write([9, 8, 7, 6])
        #expect(Self.bytes(path) == [1, 2, 3], "the old file is untouched before commit")
        #expect(FileManager.default.fileExists(atPath: file.temporaryPath))
        try file.commit()
        #expect(Self.bytes(path) == [9, 8, 7, 6])
        #expect(Self.hidden(directory).isEmpty)
        #expect(!TemporaryFiles.listed.contains(file.temporaryPath))
        try file.commit()  // twice does nothing
        #expect(throws: AudioIOError.closed(path: path)) { try file.write([1]) }
    }

    @Test func withoutCommitTheTemporaryIsRemovedAndTheOldFileKept() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("keep.bin")
        try Data([5, 5, 5]).write(to: URL(fileURLWithPath: path))
        var temporary = ""
        do {
            let file = try AtomicFile(path: path)
            temporary = file.temporaryPath
            try file.write([0, 0, 0, 0, 0, 0])
        }
        #expect(!FileManager.default.fileExists(atPath: temporary))
        #expect(Self.bytes(path) == [5, 5, 5])
        #expect(Self.hidden(directory).isEmpty)
        #expect(!TemporaryFiles.listed.contains(temporary))
    }

    @Test func withoutCommitANewFileIsNotCreated() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("new.bin")
        let file = try AtomicFile(path: path)
        try file.write([1, 2])
        file.discard()
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(Self.hidden(directory).isEmpty)
    }

    struct Interrupted: Error {}

    @Test func theOldFileSurvivesAnErrorMidway() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("old.bin")
        let old: [UInt8] = Array(0..<200)
        try Data(old).write(to: URL(fileURLWithPath: path))
        #expect(throws: Interrupted.self) {
            let file = try AtomicFile(path: path)
            try file.write([UInt8](repeating: 7, count: 100))
            throw Interrupted()
        }
        #expect(Self.bytes(path) == old)
        #expect(Self.hidden(directory).isEmpty)
    }

    @Test func permissionsOfTheOldFileAreKept() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("private.bin")
        try Data([1]).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try AtomicFile.write([2, 3], to: path)
        #expect(Self.mode(path) == 0o600)
        #expect(Self.bytes(path) == [2, 3])

        let fresh = directory.path("fresh.bin")
        try AtomicFile.write([4], to: fresh)
        #expect(Self.mode(fresh) == 0o666 & ~Int(AtomicFile.umaskValue))
    }

    @Test func aSymbolicLinkStaysALinkAndItsTargetIsReplaced() throws {
        let directory = try TemporaryDirectory()
        let target = directory.path("real.bin"), link = directory.path("link.bin")
        try Data([1]).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        try AtomicFile.write([6, 6], to: link)
        #expect(Self.bytes(target) == [6, 6])
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == target)
    }

    @Test func aDeviceIsWrittenDirectly() throws {
        let file = try AtomicFile(path: "/dev/null")
        #expect(file.isDirect)
        try file.write([1, 2, 3])
        try file.commit()
        #expect(FileManager.default.fileExists(atPath: "/dev/null"))
    }

    @Test func aDirectoryIsRefused() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: AudioIOError.self) { _ = try AtomicFile(path: directory.url.path) }
    }

    @Test func aMissingFolderIsACreateError() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("no/such/folder/x.bin")
        #expect(throws: AudioIOError.self) { _ = try AtomicFile(path: path) }
    }

    // MARK: AudioFileWriter on top

    @Test func anUnclosedWriterLeavesTheOldFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("old.wav")
        let samples = TestAudio.sine(frequency: 440, sampleRate: 8000, seconds: 0.1)
        try AudioFile.write(samples, sampleRate: 8000, to: path)
        let old = try #require(Self.bytes(path))
        do {
            var writer = try AudioFileWriter(path: path, sampleRate: 8000)
            try writer.write(TestAudio.sine(frequency: 1000, sampleRate: 8000, seconds: 0.3))
        }
        #expect(Self.bytes(path) == old)
        #expect(Self.hidden(directory).isEmpty)
    }

    @Test func aClosedWriterReplacesTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("tone.wav")
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        let samples = TestAudio.sine(frequency: 440, sampleRate: 8000, seconds: 0.1)
        var writer = try AudioFileWriter(path: path, sampleRate: 8000)
        try writer.write(samples)
        #expect(Self.bytes(path) == [1, 2, 3])
        try writer.close()
        #expect(Self.bytes(path)?.count == 44 + 2 * samples.count)
        #expect(Self.hidden(directory).isEmpty)
        let (read, rate) = try AudioFile.read(path: path)
        #expect(rate == 8000 && read.count == samples.count)
    }
}
