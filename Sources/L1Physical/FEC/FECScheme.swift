/// The forward error correction of a physical frame, chosen per frame and named in its
/// (coded) header, so a receiver needs no option to decode it.
///
/// The convolutional schemes are the same concatenation, as deep-space links use: an outer
/// Reed–Solomon code, an inner K = 7 convolutional code at one of three rates, and a bit
/// interleaver between the code and the channel. ``rs`` is the outer code alone, for a channel
/// that makes few errors, at 94 % of the uncoded rate. The turbo schemes (``TurboCode``) need
/// no outer code and are the strongest: 99 % of 256-byte frames arrive at 5.0 dB per payload
/// bit in mfsk16 and 8.0 dB in fsk1200 (`scripts/bench-fec.sh`).
///
/// ```
///  payload ‖ CRC-32 ──► RS(≤255, −8) blocks, bytes dealt round-robin ──► bits
///      ──► K = 7 convolutional code (171/133), punctured to the rate ──► interleaver ──► air
///  air ──► per-bit LLRs from the tone energies ──► deinterleave ──► soft Viterbi
///      ──► RS (corrects what the Viterbi left, 8 bytes per block) ──► CRC-32 check
/// ```
///
/// - The convolutional code does the heavy lifting on soft decisions; its errors come out in
///   short bursts, which the Reed–Solomon blocks (their bytes dealt round-robin, so a burst is
///   spread over all of them) clean up, so the frame error rate falls steeply with no floor.
/// - The interleaver turns a fade, a click or a dropout into scattered errors: coded bits
///   that were neighbours on the air are ``FrameCoding/interleaverSpacing`` apart in the code.
/// - A coded frame's sync word is sent inverted and its header is convolutionally coded and
///   sent three times, so it is found and read at the low signal-to-noise ratios the payload code
///   survives. The CRC-32 stays: a miscorrected frame is still refused.
public enum FECScheme: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// No correction: the frame as it always was (the header sent three times, uncoded).
    case none
    /// Reed–Solomon alone (hard bytes, erasures from the soft values): the lightest, for
    /// channels with few, scattered errors.
    case rs
    /// Rate 3/4 (punctured) convolutional code inside RS.
    case cc34 = "cc3/4"
    /// Rate 2/3 (punctured) inside RS.
    case cc23 = "cc2/3"
    /// Rate 1/2 convolutional code inside RS.
    case cc12 = "cc1/2"
    /// Rate 1/2 turbo code (punctured from 1/3): about as much sent as ``cc12``, decoded
    /// iteratively, a dB stronger.
    case turbo12 = "turbo1/2"
    /// Rate 1/3 turbo code: the lowest rate (in M-FSK the non-coherent loss at so little energy
    /// per symbol makes it no stronger per payload bit than ``turbo12``).
    case turbo13 = "turbo1/3"

    /// The name options and listings use: `none`, `rs`, `cc3/4`, `cc2/3`, `cc1/2`, `turbo1/2`,
    /// `turbo1/3`.
    public var name: String { rawValue }

    public var description: String { name }

    /// The scheme's number in a coded header.
    public var headerCode: UInt8 {
        switch self {
        case .none: return 0
        case .rs: return 1
        case .cc34: return 2
        case .cc23: return 3
        case .cc12: return 4
        case .turbo12: return 5
        case .turbo13: return 6
        }
    }

    /// The scheme numbered `code` in a coded header, or nil for a number no scheme has.
    public init?(headerCode code: UInt8) {
        guard let s = Self.allCases.first(where: { $0.headerCode == code }) else { return nil }
        self = s
    }

    /// The scheme called `name` (also accepts `cc12`, `turbo13` and so on), or nil.
    public init?(name: String) {
        func bare(_ s: String) -> String { String(s.lowercased().filter { $0 != "/" }) }
        guard let s = Self.allCases.first(where: { bare($0.name) == bare(name) }) else { return nil }
        self = s
    }

    /// The next stronger scheme (itself for the strongest).
    public var stronger: FECScheme {
        let all = Self.allCases
        guard let i = all.firstIndex(of: self), i + 1 < all.count else { return self }
        return all[i + 1]
    }

    /// The convolutional code's rate, nil for the schemes without one.
    public var convolutionalRate: ConvolutionalCode.Rate? {
        switch self {
        case .none, .rs, .turbo12, .turbo13: return nil
        case .cc12: return .half
        case .cc23: return .twoThirds
        case .cc34: return .threeQuarters
        }
    }

    /// The turbo code's rate, nil for the schemes without one.
    public var turboRate: TurboCode.Rate? {
        switch self {
        case .turbo12: return .half
        case .turbo13: return .third
        default: return nil
        }
    }

    /// One line for listings: what the scheme is made of.
    public var summary: String {
        switch self {
        case .none: return "no correction (detection only: CRC-32)"
        case .rs:
            let p = FrameCoding(scheme: self).parityBytes
            return "RS(n, n−\(p)) alone, bytes dealt over blocks, erasures from soft values"
        case .turbo12, .turbo13:
            let rate = turboRate?.rawValue ?? ""
            return "turbo 13/15 S-random rate \(rate), interleaved, log-MAP ×≤10 (no RS: CRC-32 alone)"
        default:
            let rate = convolutionalRate?.rawValue ?? ""
            let p = FrameCoding(scheme: self).parityBytes
            return "RS(n, n−\(p)) outer, interleaved, K=7 171/133 rate \(rate), soft Viterbi"
        }
    }

    /// Payload bits per bit on the air for a frame of `payloadBytes` (CRC-32 and codes counted,
    /// preamble, sync, header and tail not): the scheme's effective rate at that size.
    public func codeRate(payloadBytes: Int) -> Double {
        let body = payloadBytes + 4
        let sent = FrameCoding(scheme: self).codedBits(bodyBytes: body)
        return sent > 0 ? Double(8 * payloadBytes) / Double(sent) : 0
    }
}

/// The coding of one frame's header and body under a ``FECScheme``: both directions, used by
/// ``FrameEncoder`` and the demodulator.
public struct FrameCoding: Sendable {
    /// Reed–Solomon check bytes per block (corrects 8 byte errors per block).
    /// Reed–Solomon check bytes per block: 16 (8 byte errors, or 16 erasures) when RS is the
    /// only code; 8 behind the convolutional code, which leaves only short bursts to mend; none
    /// behind the turbo code.
    ///
    /// The turbo schemes have none: measured on 256-byte frames (200 per point), parity 8, 4
    /// and 0 delivered 197, 200 and 200 mfsk16 frames at 5.0 dB per payload bit, 37, 85 and
    /// 126 at 4.5 dB, and 66, 141 and 177 fsk1200 frames at 7.5 dB: the turbo decoder leaves
    /// too few errors behind for the check bytes to pay for themselves.
    public var parityBytes: Int {
        switch scheme {
        case .rs: return 16
        case .turbo12, .turbo13: return 0
        default: return 8
        }
    }
    /// Data bytes per Reed–Solomon block at most.
    public var blockData: Int { 255 - parityBytes }
    /// Coded bits that were neighbours on the air are this far apart after deinterleaving
    /// (more than the code's memory of 7 × 2 coded bits).
    public static let interleaverSpacing = 32
    /// Copies of the coded header: three, so the header stays readable below the point where
    /// the strongest payload code gives up.
    public static let headerCopies = 3
    /// Bits of a coded frame's header: length (16), flags (8), scheme (8), CRC-16 (16).
    public static let headerBits = 48
    /// Coded bits of one header copy (48 bits through the rate 1/2 code, tail included).
    public static let codedHeaderBits = ConvolutionalCode(rate: .half).encodedLength(dataBits: headerBits)
    /// Bits of all header copies of a coded frame.
    public static let codedHeaderTotal = headerCopies * codedHeaderBits

    /// The scheme.
    public let scheme: FECScheme

    /// The coding of `scheme`.
    public init(scheme: FECScheme) { self.scheme = scheme }

    /// Reed–Solomon blocks for a body of `bodyBytes`.
    func blocks(bodyBytes: Int) -> Int { parityBytes > 0 ? (bodyBytes + blockData - 1) / blockData : 0 }

    /// Bytes after the outer code: the body and its parity.
    func outerBytes(bodyBytes: Int) -> Int { bodyBytes + parityBytes * blocks(bodyBytes: bodyBytes) }

    /// Bits sent for a body of `bodyBytes` bytes (payload and CRC-32).
    public func codedBits(bodyBytes: Int) -> Int {
        if scheme == .none { return 8 * bodyBytes }
        let bits = 8 * outerBytes(bodyBytes: bodyBytes)
        if let rate = scheme.turboRate { return TurboCode.encodedLength(rate: rate, dataBits: bits) }
        guard let rate = scheme.convolutionalRate else { return bits }
        return ConvolutionalCode(rate: rate).encodedLength(dataBits: bits)
    }

    /// The interleaver for `count` coded bits.
    static func interleaver(count: Int) -> BlockInterleaver {
        BlockInterleaver.fitting(count: count, rows: max(1, count / interleaverSpacing))
    }

    /// Which byte of the outer block sequence each position is: block `j` holds body bytes
    /// `j, j + nb, j + 2nb, …` then its parity, whose bytes are sent after all data, dealt the
    /// same way.
    private func dealt(bodyBytes: Int) -> (blocks: Int, members: [[Int]]) {
        let nb = blocks(bodyBytes: bodyBytes)
        var members = [[Int]](repeating: [], count: nb)
        for i in 0..<bodyBytes { members[i % nb].append(i) }
        for p in 0..<parityBytes {
            for j in 0..<nb { members[j].append(bodyBytes + p * nb + j) }
        }
        return (nb, members)
    }

    /// The bits sent for `body` (payload and CRC-32); the body's bits LSB first when uncoded.
    /// - Throws: ``FECError`` if a code cannot be built (not for the built-in schemes).
    public func encodeBody(_ body: [UInt8]) throws(FECError) -> [UInt8] {
        if scheme == .none { return BitOrder.bits(of: body) }
        var outer = body
        if parityBytes > 0 {
            let rs = try ReedSolomon(parityCount: parityBytes)
            let (_, members) = dealt(bodyBytes: body.count)
            outer += [UInt8](repeating: 0, count: outerBytes(bodyBytes: body.count) - body.count)
            for block in members {
                let data = block.prefix(block.count - parityBytes).map { body[$0] }
                let parity = try rs.parity(for: data)
                for (p, at) in zip(parity, block.suffix(parityBytes)) { outer[at] = p }
            }
        }
        let coded: [UInt8]
        if let rate = scheme.turboRate {
            let bits = BitOrder.bits(of: outer)
            coded = TurboCode(rate: rate, dataBits: bits.count).encode(bits)
        } else if let rate = scheme.convolutionalRate {
            coded = ConvolutionalCode(rate: rate).encode(BitOrder.bits(of: outer))
        } else {
            return BitOrder.bits(of: outer)
        }
        return Self.interleaver(count: coded.count).interleave(coded)
    }

    /// What decoding a body gave.
    public struct DecodedBody: Sendable, Hashable {
        /// The body bytes (payload and CRC-32), corrected as far as the codes could.
        public var bytes: [UInt8]
        /// Coded bits the decoder found wrong on the air (0 for an uncoded frame).
        public var correctedBits: Int
        /// Bytes the Reed–Solomon code corrected after the Viterbi decoder.
        public var correctedBytes: Int
        /// Reed–Solomon blocks beyond repair (left as the Viterbi decoder gave them).
        public var failedBlocks: Int
    }

    /// Decodes the soft values of a body's bits (positive = 1; ``codedBits(bodyBytes:)`` of
    /// them) into `bodyBytes` bytes.
    /// - Throws: ``FECError/lengthMismatch(expected:actual:)`` for the wrong number of values.
    public func decodeBody(_ soft: ArraySlice<Float>, bodyBytes: Int) throws(FECError) -> DecodedBody {
        let expected = codedBits(bodyBytes: bodyBytes)
        guard soft.count == expected else { throw .lengthMismatch(expected: expected, actual: soft.count) }
        if scheme == .none {
            return DecodedBody(
                bytes: BitOrder.bytes(fromSoft: soft), correctedBits: 0, correctedBytes: 0, failedBlocks: 0)
        }
        let outerCount = outerBytes(bodyBytes: bodyBytes)
        var outer: [UInt8]
        var corrected = 0
        /// How sure each byte is: the smallest |soft value| of its bits (RS alone: for erasures).
        var reliability: [Float] = []
        if scheme.convolutionalRate != nil || scheme.turboRate != nil {
            guard let ordered = Self.interleaver(count: expected).deinterleave(Array(soft)) else {
                throw .lengthMismatch(expected: expected, actual: soft.count)
            }
            let bits: [UInt8]
            let resent: [UInt8]
            if let rate = scheme.turboRate {
                let turbo = TurboCode(rate: rate, dataBits: 8 * outerCount)
                guard let decoded = turbo.decode(ordered.map { -$0 }) else {
                    throw .lengthMismatch(expected: turbo.encodedLength, actual: ordered.count)
                }
                bits = decoded.bits
                resent = turbo.encode(bits)
            } else {
                let code = ConvolutionalCode(rate: scheme.convolutionalRate ?? .half)
                bits = try ViterbiDecoder(code: code).decode(ordered.map { -$0 }, dataBits: 8 * outerCount)
                resent = code.encode(bits)
            }
            for (sent, got) in zip(resent, ordered) where (sent == 1) != (got > 0) { corrected += 1 }
            outer = BitOrder.bytes(ofBits: bits)
        } else {
            outer = BitOrder.bytes(fromSoft: soft)
            reliability = (0..<outerCount).map { i in
                var least = Float.infinity
                for j in 0..<8 { least = Swift.min(least, abs(soft[soft.startIndex + 8 * i + j])) }
                return least
            }
        }
        var fixedBytes = 0, failed = 0
        let members = parityBytes > 0 ? dealt(bodyBytes: bodyBytes).members : []
        let rs = parityBytes > 0 ? try ReedSolomon(parityCount: parityBytes) : nil
        for block in members {
            guard let rs else { break }
            guard
                let decoded = decodeBlock(
                    rs, block.map { outer[$0] }, reliability: block.map { reliability.isEmpty ? 0 : reliability[$0] })
            else {
                failed += 1
                continue
            }
            for (k, at) in block.enumerated() where outer[at] != decoded.codeword[k] {
                if reliability.isEmpty == false { corrected += (outer[at] ^ decoded.codeword[k]).nonzeroBitCount }
                outer[at] = decoded.codeword[k]
            }
            fixedBytes += decoded.corrected.count
        }
        return DecodedBody(
            bytes: Array(outer.prefix(bodyBytes)), correctedBits: corrected, correctedBytes: fixedBytes,
            failedBlocks: failed)
    }

    /// One RS block: errors only first, then (with soft values) with the least reliable bytes
    /// erased, 2, 4, … up to the parity, which corrects up to twice as many wrong bytes when
    /// the soft values point at them. Nil when every try fails.
    private func decodeBlock(_ rs: ReedSolomon, _ word: [UInt8], reliability: [Float]) -> ReedSolomon.Decoded? {
        if let d = try? rs.decode(word) { return d }
        guard reliability.contains(where: { $0 > 0 }) else { return nil }
        let weakest = reliability.indices.sorted { reliability[$0] < reliability[$1] }
        var erasures = 2
        while erasures <= min(parityBytes, word.count - parityBytes) {
            if let d = try? rs.decode(word, erasures: Array(weakest.prefix(erasures))) { return d }
            erasures += 2
        }
        return nil
    }

    /// The six bytes of a coded frame's header: length (LSB first), flags, scheme, and a
    /// CRC-16/CCITT-FALSE over the four, most significant byte first.
    public static func headerBytes(length: Int, flags: PhysicalFrame.Flags, scheme: FECScheme) -> [UInt8] {
        let b: [UInt8] = [UInt8(length & 0xFF), UInt8(length >> 8), flags.rawValue, scheme.headerCode]
        let crc = CRCs.codedHeader.checksum(b)
        return b + [UInt8(crc >> 8), UInt8(crc & 0xFF)]
    }

    /// Reads a coded frame's six header bytes, or nil when the CRC-16 fails or the scheme is unknown.
    public static func parseHeader(_ bytes: [UInt8]) -> (length: Int, flags: PhysicalFrame.Flags, scheme: FECScheme)? {
        guard bytes.count == 6, CRCs.codedHeader.checksum(bytes[0..<4]) == UInt16(bytes[4]) << 8 | UInt16(bytes[5]),
            let scheme = FECScheme(headerCode: bytes[3])
        else { return nil }
        return (Int(bytes[0]) | Int(bytes[1]) << 8, PhysicalFrame.Flags(rawValue: bytes[2]), scheme)
    }

    /// The bits of all header copies of a coded frame (``headerBytes(length:flags:scheme:)``).
    public static func encodeHeader(_ header: [UInt8]) -> [UInt8] {
        let coded = ConvolutionalCode(rate: .half).encode(BitOrder.bits(of: header))
        var out = [UInt8]()
        for _ in 0..<headerCopies { out += coded }
        return out
    }

    /// Reads a coded header from the soft values of its copies (positive = 1), or nil when it
    /// fails its CRC-16, or when the decoded bits explain too few of the received ones (noise).
    public static func decodeHeader(_ soft: ArraySlice<Float>) -> (
        length: Int, flags: PhysicalFrame.Flags, scheme: FECScheme
    )? {
        guard soft.count == codedHeaderTotal else { return nil }
        var combined = [Float](repeating: 0, count: codedHeaderBits)
        var i = soft.startIndex
        for _ in 0..<headerCopies {
            for b in 0..<codedHeaderBits { combined[b] -= soft[i + b] }
            i += codedHeaderBits
        }
        let code = ConvolutionalCode(rate: .half)
        guard let bits = try? ViterbiDecoder(code: code).decode(combined, dataBits: headerBits) else {
            return nil
        }
        // Noise disagrees with the nearest codeword on about 40 % of the bits; a header the
        // code can read, on a few. The CRC-16 does the rest.
        var disagree = 0
        for (sent, got) in zip(code.encode(bits), combined) where (sent == 1) != (got < 0) { disagree += 1 }
        guard disagree * 10 <= codedHeaderBits * 3 else { return nil }
        return parseHeader(BitOrder.bytes(ofBits: bits))
    }
}
