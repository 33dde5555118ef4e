import Framings
import L1Physical
import TNC
import Testing

/// One keying of the TNC's transmitter at each AX.25 rate, decoded by our receiver.
@Suite struct TNCTransmissionTests {
    @Test(arguments: [300, 1200, 9600]) func aKeyingAtEachRateDecodes(baud: Int) throws {
        let modem = try #require(AX25Modem(baud: baud))
        let frame = try AX25Frame(tnc2: "N0CALL>APRS,WIDE1-1:>keyed at \(baud) Bd")
        var p = KISSPortParameters()
        p.txDelay = 30  // 300 ms of flags
        let silence = [Float](repeating: 0, count: 4800)
        let audio =
            silence + TNCTransmission.render(frame.bytes, parameters: p, modem: modem, sampleRate: 48000) + silence
        var options = ProtocolReceiverOptions()
        options.select(modem)
        let got = ProtocolReceiver.decode(audio, sampleRate: 48000, protocols: [.ax25], options: options)
        #expect(got.map(\.bytes) == [frame.bytes])
    }

    @Test func theAFSKModemRendersAsTheSignallingDoes() throws {
        let frame = try AX25Frame(tnc2: "N0CALL>APRS:same")
        let p = KISSPortParameters()
        let a = TNCTransmission.render(frame.bytes, parameters: p, modem: .afsk(.bell202), sampleRate: 44100)
        let b = TNCTransmission.render(frame.bytes, parameters: p, signalling: .bell202, sampleRate: 44100)
        #expect(a == b)
    }
}
