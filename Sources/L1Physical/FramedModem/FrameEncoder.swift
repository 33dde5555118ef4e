import Checksums

/// Turns payloads into channel symbols (tone indices) following ``PhysicalFrame``.
///
///     let enc = try FrameEncoder(mode: .named("fsk1200")!)
///     let symbols = try enc.symbols(payload: Array("hello".utf8))
///     let audio = FSKModulator(mode: enc.mode, lineCode: enc.lineCode, sampleRate: 48000)
///         .samples(symbols: symbols)
public struct FrameEncoder: Sendable {
    /// The mode whose symbols are produced.
    public let mode: Mode
    /// The line code bits are turned into chips with.
    public let lineCode: LineCode
    /// Whether payloads are whitened (default: when the line code does not clock itself).
    public let scramblePayload: Bool
    /// Whether a CRC-32 of the payload is appended.
    public let payloadCRC: Bool
    /// The forward error correction of every frame.
    public let fec: FECScheme

    /// An encoder for `mode`.
    /// - Parameters:
    ///   - mode: The modulation mode.
    ///   - lineCode: nil for the mode's default.
    ///   - scramble: nil to whiten the payload unless the line code clocks itself.
    ///   - payloadCRC: Whether a CRC-32 of the payload follows it.
    ///   - fec: The forward error correction of the payload (none by default).
    public init(
        mode: Mode, lineCode: LineCode? = nil, scramble: Bool? = nil, payloadCRC: Bool = true, fec: FECScheme = .none
    ) {
        self.mode = mode
        let code = lineCode ?? mode.defaultLineCode
        self.lineCode = code
        self.scramblePayload = scramble ?? !code.isSelfClocking
        self.payloadCRC = payloadCRC
        self.fec = fec
    }

    /// Where the parts of a frame lie, in symbols from its first preamble symbol.
    public struct Layout: Sendable, Hashable, Codable {
        /// Symbols of the preamble.
        public var preamble: Int
        /// Symbols of the sync word.
        public var sync: Int
        /// Symbols of the three header copies.
        public var header: Int
        /// Symbols of the payload and its CRC-32 (if any).
        public var payloadAndCRC: Int
        /// Symbols of the tail.
        public var tail: Int
        /// All the frame's symbols.
        public var total: Int { preamble + sync + header + payloadAndCRC + tail }
    }

    /// The symbols of one frame carrying `payload`.
    public func symbols(payload: [UInt8], payloadType: UInt8 = 0) throws(PhysicalLayerError) -> [UInt8] {
        try frame(payload: payload, payloadType: payloadType).symbols
    }

    /// The symbols of one frame and its layout.
    public func frame(payload: [UInt8], payloadType: UInt8 = 0) throws(PhysicalLayerError) -> (
        symbols: [UInt8], layout: Layout
    ) {
        guard payload.count <= PhysicalFrame.maxPayload else {
            throw .payloadTooLong(length: payload.count, limit: PhysicalFrame.maxPayload)
        }
        let m = mode.symbolCount
        let k = mode.bitsPerSymbol
        let top = UInt8(m - 1)
        var flags = PhysicalFrame.Flags.payloadType(payloadType)
        if payloadCRC { flags.insert(.payloadCRC) }
        if scramblePayload { flags.insert(.scrambled) }
        let coded = fec != .none

        var out = [UInt8]()
        // Preamble and sync: extreme symbols.
        for i in 0..<PhysicalFrame.preambleSymbols { out.append(i % 2 == 0 ? top : 0) }
        for b in PhysicalFrame.syncBits { out.append((b == 1) != coded ? top : 0) }
        let headerStart = out.count

        // Data bits: header ×3 (always whitened), payload and CRC (whitened if flagged).
        var scrambler = Scrambler()
        var bits = [UInt8]()
        if coded {
            bits = FrameCoding.encodeHeader(FrameCoding.headerBytes(length: payload.count, flags: flags, scheme: fec))
        } else {
            let header = BitOrder.bits(of: PhysicalFrame.headerBytes(length: payload.count, flags: flags))
            for _ in 0..<PhysicalFrame.headerCopies { bits += header }
        }
        let headerBitCount = bits.count
        scrambler.apply(&bits)
        var body: [UInt8]
        do {
            body = try FrameCoding(scheme: fec).encodeBody(payload + (payloadCRC ? CRC32Bytes.of(payload) : []))
        } catch {
            throw .invalidMode("FEC \(fec): \(error)")
        }
        if scramblePayload { scrambler.apply(&body) }
        bits += body

        // Line code, then k chips per symbol, Gray-mapped to tones.
        var chips = lineCode.encode(bits)
        let headerChips = headerBitCount * lineCode.chipsPerBit
        while chips.count % k != 0 { chips.append(0) }
        var i = 0
        while i < chips.count {
            var v = 0
            for j in 0..<k { v = v << 1 | Int(chips[i + j]) }
            out.append(UInt8(v ^ (v >> 1)))
            i += k
        }
        let dataSymbols = out.count - headerStart
        let headerSymbols = min(dataSymbols, (headerChips + k - 1) / k)
        for i in 0..<PhysicalFrame.tailSymbols { out.append(i % 2 == 0 ? top : 0) }
        let layout = Layout(
            preamble: PhysicalFrame.preambleSymbols, sync: PhysicalFrame.syncSymbols,
            header: headerSymbols, payloadAndCRC: dataSymbols - headerSymbols,
            tail: PhysicalFrame.tailSymbols)
        return (out, layout)
    }
}

enum CRC32Bytes {
    /// CRC-32 of `payload`, least significant byte first.
    static func value(_ payload: [UInt8]) -> UInt32 { CRC32.checksum(payload) }

    static func of(_ payload: [UInt8]) -> [UInt8] {
        let c = CRC32.checksum(payload)
        return [UInt8(c & 0xFF), UInt8((c >> 8) & 0xFF), UInt8((c >> 16) & 0xFF), UInt8(c >> 24)]
    }
}
