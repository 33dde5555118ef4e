import L7Application
import SoundStack

extension AcousticLink {
    /// A POST to the origin whose JSON body is exactly `bodyBytes` long (at least 11): the
    /// message `soundstack link` and the benchmarks carry. The text is pseudo-random, so it
    /// compresses about as well as real data, not like a run of one letter.
    ///
    ///     let request = try AcousticLink.samplePost(bodyBytes: 50_000)   // {"data":"k3x…"}
    public static func samplePost(bodyBytes: Int) throws(AcousticLinkError) -> [UInt8] {
        let body = try sampleJSON(bytes: bodyBytes)
        do {
            return try HTTPRequest(
                .post, url: "http://\(origin.ip)/upload", data: body, contentType: "application/json"
            )
            .serialize()
        } catch { throw .configuration("sample request: \(error)") }
    }

    /// A JSON document of exactly `bytes` bytes (at least 11): `{"data":"…"}` around pseudo-random text.
    public static func sampleJSON(bytes: Int) throws(AcousticLinkError) -> [UInt8] {
        guard bytes >= 11 else { throw .configuration("a JSON body needs at least 11 bytes, not \(bytes)") }
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789 ".utf8)
        var state: UInt64 = 0x5EED
        let filler = (0..<(bytes - 11)).map { _ -> UInt8 in
            state = LinkTransfer.mix(state)
            return alphabet[Int(state % UInt64(alphabet.count))]
        }
        return Array(#"{"data":""#.utf8) + filler + Array(#""}"#.utf8)
    }
}
