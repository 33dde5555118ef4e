internal import CSndFile

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// libsndfile virtual I/O over a descriptor that cannot seek (a pipe, stdin, a socket).
///
/// libsndfile's own pipe support cannot read FLAC (the bytes it sniffs are lost to the
/// FLAC decoder). This source keeps the first ``retainedLimit`` bytes it reads so that
/// libsndfile may seek back anywhere within them, lets it seek forward within them by
/// reading ahead, and refuses any other seek, which every format handles by streaming
/// on. The length is reported as unknown (`SF_COUNT_MAX`). Once the handle is open and
/// reading has passed the retained bytes, they are released, so memory stays constant.
///
///     let source = PipeSource(descriptor: 0)
///     let handle = sf_open_virtual(&PipeSource.callbacks, Int32(SFM_READ), &info, source.context)
final class PipeSource {
    /// Bytes kept for seeking back while libsndfile parses headers.
    static let retainedLimit = 1 << 20
    /// Bytes a forward seek may read ahead of what has been taken from the descriptor.
    static let readAheadLimit = 1 << 16

    private let descriptor: Int32
    /// The first bytes of the stream, as read.
    private var retained: [UInt8] = []
    /// Bytes taken from the descriptor so far.
    private var consumed = 0
    /// libsndfile's position in the stream.
    private var position = 0
    /// Whether later reads may still grow ``retained``.
    private var retaining = true
    /// Reads since opening that found the stream at its end. A decoder that keeps asking, and
    /// keeps returning audio, is making it up: libsndfile's G.72x ADPCM decoders do until the
    /// header's data size, billions of frames for a streaming size of 0x80000000.
    private(set) var readsAtEnd = 0
    /// Whether the descriptor has reported its end.
    private var ended = false

    init(descriptor: Int32) {
        self.descriptor = descriptor
        retained.reserveCapacity(4096)
    }

    /// The `user_data` pointer for the callbacks (valid while `self` lives).
    var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// Stops retaining; called once libsndfile has opened the stream.
    func finishOpening() {
        retaining = false
        readsAtEnd = 0
        if position >= retained.count { retained = [] }
    }

    /// `count` bytes at `offset` of the stream, read from the descriptor as far as needed and
    /// kept for libsndfile to read again; `nil` past the end or past ``retainedLimit``. For
    /// looking at a header before libsndfile opens the stream (it leaves libsndfile's position).
    func peek(_ offset: Int64, _ count: Int) -> [UInt8]? {
        guard retaining, offset >= 0, count >= 0, offset + Int64(count) <= Int64(Self.retainedLimit) else {
            return nil
        }
        let end = Int(offset) + count
        if retained.count < end, !ended {
            // Read on from where the descriptor is, as a forward seek does; the bytes are kept.
            let saved = position
            position = consumed
            var scratch = [UInt8](repeating: 0, count: end - consumed)
            _ = scratch.withUnsafeMutableBytes { read(into: $0.baseAddress, count: $0.count) }
            position = saved
        }
        guard retained.count >= end else { return nil }
        return Array(retained[Int(offset)..<end])
    }

    /// Whether the descriptor gave no bytes at all.
    var wasEmpty: Bool { consumed == 0 && ended }

    /// Bytes held for seeking back (for the memory checks).
    var retainedCapacity: Int { retained.capacity }

    /// The callbacks libsndfile calls (it copies the table when opening).
    static let callbacks = SF_VIRTUAL_IO(
        get_filelen: { _ in sf_count_t.max },
        seek: { offset, whence, context in source(context)?.seek(Int(offset), whence: whence) ?? -1 },
        read: { buffer, count, context in sf_count_t(source(context)?.read(into: buffer, count: Int(count)) ?? 0) },
        write: { _, _, _ in 0 },
        tell: { context in source(context)?.reportedPosition ?? -1 }
    )

    /// The position told to libsndfile. While it parses the header, a stream that has ended
    /// and been read to its end is at the end of everything: `SF_COUNT_MAX`, the length it
    /// was given. Its header loops stop at the file's length, and one that steps back over a
    /// chunk it cannot finish (a WAV `INFO` chunk cut short after its marker) read that
    /// chunk again and again, storing each, until memory ran out.
    private var reportedPosition: sf_count_t {
        retaining && ended && position == consumed ? sf_count_t.max : sf_count_t(position)
    }

    private static func source(_ context: UnsafeMutableRawPointer?) -> PipeSource? {
        context.map { Unmanaged<PipeSource>.fromOpaque($0).takeUnretainedValue() }
    }

    private func read(into buffer: UnsafeMutableRawPointer?, count: Int) -> Int {
        guard let buffer, count > 0 else { return 0 }
        var done = 0
        // Replay retained bytes first.
        if position < consumed {
            guard position < retained.count else { return 0 }
            let available = min(count, retained.count - position)
            retained.withUnsafeBytes { bytes in
                if let base = bytes.baseAddress {
                    (buffer + done).copyMemory(from: base + position, byteCount: available)
                }
            }
            position += available
            done += available
            if !retaining, position >= retained.count, position == consumed { retained = [] }
        }
        while done < count {
            let got = readDescriptor(descriptor, buffer + done, count - done)
            if got < 0, errno == EINTR { continue }
            if got == 0 { ended = true }
            if got <= 0 { break }
            if retaining, consumed == retained.count, consumed < Self.retainedLimit {
                let keep = min(got, Self.retainedLimit - consumed)
                retained.append(contentsOf: UnsafeRawBufferPointer(start: buffer + done, count: keep))
            }
            consumed += got
            position += got
            done += got
        }
        if done == 0 { readsAtEnd += 1 }
        return done
    }

    private func seek(_ offset: Int, whence: Int32) -> sf_count_t {
        let target: Int
        switch whence {
        case SEEK_SET: target = offset
        case SEEK_CUR: target = position + offset
        default: return -1
        }
        guard target >= 0 else { return -1 }
        if target <= consumed {
            // Back (or to where we are): only within the retained bytes.
            guard target == consumed || target <= retained.count else { return -1 }
            position = target
            return sf_count_t(target)
        }
        // Forward: read ahead, only as far as the retained window reaches, and never far past
        // what has arrived: a WAV parser skipping a long `data` chunk to look for chunks after
        // it would otherwise wait for the whole stream (a live `arecord | decode -` printed
        // nothing for its first megabyte). Refused, it parses on from where it was.
        guard retaining, target <= Self.retainedLimit, target - consumed <= Self.readAheadLimit,
            position == consumed || position <= retained.count
        else {
            return -1
        }
        var scratch = [UInt8](repeating: 0, count: 4096)
        position = consumed
        while position < target {
            let step = min(scratch.count, target - position)
            let got = scratch.withUnsafeMutableBytes { read(into: $0.baseAddress, count: step) }
            if got <= 0 { break }
        }
        return sf_count_t(position)
    }
}
