import AudioIO
import Foundation
import Framings
import TNC
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// KISS through the `--pty` link: a host opens the link as a serial port, reads the frames of
/// the recording and writes a frame that comes out in the audio.
@Suite struct PseudoTerminalTests {
    @Test(.enabled(if: Corpus.exists(SoftwareTNCTests.recording), "needs ../shared/corpus"))
    func theLinkCarriesKISSBothWaysAndIsRemovedAtTheEnd() throws {
        let dir = try TemporaryDirectory()
        let link = dir.path("kisstnc")
        var c = SoftwareTNCTests.configuration(
            record: Corpus.path(SoftwareTNCTests.recording), play: dir.path("out.wav"))
        c.ptyLink = link
        let tnc = try SoftwareTNC.start(c)
        let device = try #require(tnc.ptyDevice)
        let target = try FileManager.default.destinationOfSymbolicLink(atPath: link)
        #expect(target == device)
        let fd = open(link, O_RDWR | O_NOCTTY)
        try #require(fd >= 0, "open \(link): errno \(errno)")
        let host = KISSTestClient(descriptor: fd)
        let frame = try AX25Frame(tnc2: SoftwareTNCTests.line)
        try host.send(KISSFrame(command: .data, payload: frame.bytes))
        let expected = try Corpus.frames(SoftwareTNCTests.recording)
        #expect(host.frames(expected.count).map(\.payload) == expected)
        #expect(eventually { tnc.framesSent == 1 })
        try tnc.stop()
        #expect(!FileManager.default.fileExists(atPath: link))
        var status = stat()
        #expect(lstat(link, &status) != 0, "the link is gone")
        let (samples, rate) = try AudioFile.read(path: dir.path("out.wav"))
        #expect(
            ProtocolReceiver.decode(samples, sampleRate: Double(rate), protocols: [.ax25]).map(\.bytes) == [frame.bytes]
        )
    }

    @Test func aFileAtTheLinkPathIsNotReplaced() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("precious", Array("keep me".utf8))
        var c = SoftwareTNCTests.configuration()
        c.ptyLink = path
        #expect(throws: TNCError.self) { try SoftwareTNC.start(c) }
        #expect(FileManager.default.contents(atPath: path) == Data("keep me".utf8))
    }
}
