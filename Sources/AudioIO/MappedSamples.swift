#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The 16-bit little-endian samples of a mono file, mapped into memory and read in place,
/// with no copy through the kernel's read buffer (on a long recording that copy costs as much
/// as demodulating one mode).
///
/// Only for what libsndfile has already opened and described: a regular file of mono 16-bit
/// little-endian PCM whose data start where libsndfile left the descriptor. The first samples
/// are checked against libsndfile's own reading of them; when anything disagrees there is no
/// mapping and the reader reads through libsndfile as before.
final class MappedSamples {
    private let base: UnsafeMutableRawPointer
    private let length: Int
    /// The samples, as stored (little-endian).
    let samples: UnsafePointer<Int16>
    /// How many there are: the frames libsndfile counts, or fewer when the file holds fewer.
    let count: Int

    /// Maps `frames` samples from the descriptor's current offset, or returns nil.
    init?(descriptor: Int32, fileSize: Int64, frames: Int) {
        let offset = Int64(lseek(descriptor, 0, SEEK_CUR))
        guard offset > 0, offset % 2 == 0, fileSize > offset, frames > 0 else { return nil }
        let count = min(frames, Int((fileSize - offset) / 2))
        let page = Int64(sysconf(Int32(_SC_PAGESIZE)))
        guard count > 0, page > 0 else { return nil }
        let start = offset / page * page
        let length = Int(offset - start) + count * 2
        guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, off_t(start)),
            mapped != UnsafeMutableRawPointer(bitPattern: -1)
        else { return nil }
        _ = madvise(mapped, length, MADV_SEQUENTIAL)
        base = mapped
        self.length = length
        samples = UnsafePointer((mapped + Int(offset - start)).assumingMemoryBound(to: Int16.self))
        self.count = count
    }

    /// Bytes of the mapping already handed back to the system.
    private(set) var releasedBytes = 0
    /// Hand back this much at a time (1 MB: a few hundred calls an hour of 48 kHz audio).
    static let releaseStep = 1 << 20

    deinit { munmap(base, length) }

    /// Hands the pages before sample `index` back to the system, a megabyte at a time, so
    /// memory stays constant however long the file (mapped pages count as the process's own
    /// until they are released; the file's data stay in the page cache).
    func release(before index: Int) {
        let offset = (UnsafeRawPointer(samples) - UnsafeRawPointer(base)) + 2 * index
        guard offset - releasedBytes >= Self.releaseStep else { return }
        let end = offset / Self.releaseStep * Self.releaseStep
        _ = madvise(base + releasedBytes, end - releasedBytes, MADV_DONTNEED)
        releasedBytes = end
    }

    /// Whether the first samples equal `reference` (what libsndfile read there).
    func starts(with reference: UnsafeBufferPointer<Int16>) -> Bool {
        guard reference.count <= count else { return false }
        for i in 0..<reference.count where samples[i] != reference[i] { return false }
        return true
    }
}
