import Foundation
import TestSupport
import Testing

/// `decode a.wav b.wav c.wav --jobs N`: the files are demodulated in parallel and go up the
/// stack in input order, so the output is the same as one job at a time.
@Test func decodingWithJobsMatchesOneAtATime() throws {
    let dir = try TemporaryDirectory()
    var files = [String]()
    var texts = [String]()
    for i in 0..<3 {
        let text = "file \(i): " + String(repeating: "abcdefghij", count: 3 + i)
        texts.append(text)
        let path = dir.path + "/in\(i).wav"
        let run = try CLI.run(["encode", "-q", "--mode", "fsk2400", "--rate", "16000", "--text", text, "-o", path])
        try #require(run.status == 0, "encode: \(run.stderr)")
        files.append(path)
    }
    let one = try CLI.run(["decode", "--mode", "fsk2400", "--jobs", "1"] + files)
    let two = try CLI.run(["decode", "--mode", "fsk2400", "--jobs", "2"] + files)
    #expect(one.status == 0 && two.status == 0)
    #expect(one.stdout == texts.joined())
    #expect(two.stdout == one.stdout)
    #expect(two.stderr == one.stderr)
}
