internal import CSndFile

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sole owner of one open libsndfile handle and (optionally) the descriptor under it.
///
/// Closing happens exactly once: in ``close()`` when the owner wants the result, else in `deinit`.
/// A class rather than a `~Copyable` struct: optimised builds mishandled optional and
/// partially consumed noncopyable values here (the handle read as closed), so ownership is
/// kept by reference counting and a `closed` flag.
final class SndFileHandle {
    /// The `SNDFILE*`.
    let pointer: OpaquePointer
    /// The descriptor under it.
    let descriptor: Int32
    /// Whether closing the handle closes ``descriptor`` too (not for stdin, stdout, callers' descriptors).
    let ownsDescriptor: Bool
    /// What libsndfile's virtual I/O reads through, retained until the handle closes
    private let retainedSource: Unmanaged<PipeSource>?
    /// A mono 16-bit file's samples mapped into memory, read in place instead of through
    /// libsndfile (set by the reader after opening, when it can be).
    var mapped: MappedSamples?
    private var closed = false

    init(pointer: OpaquePointer, descriptor: Int32, ownsDescriptor: Bool, source: PipeSource? = nil) {
        self.pointer = pointer
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
        retainedSource = source.map { Unmanaged.passRetained($0) }
    }

    /// The virtual I/O source, for pipes.
    var source: PipeSource? { retainedSource?.takeUnretainedValue() }

    /// Closes the handle (flushing a written file), runs `finish` on the still-open
    /// descriptor, then closes the descriptor if owned.
    ///
    /// - Returns: libsndfile's or the system's message when closing failed, else `nil`.
    func close(finish: (Int32) -> String? = { _ in nil }) -> String? {
        guard !closed else { return nil }
        closed = true
        let result = sf_close(pointer)
        var message = result == 0 ? nil : String(cString: sf_error_number(result))
        if message == nil { message = finish(descriptor) }
        if ownsDescriptor, closeDescriptor(descriptor) != 0, message == nil {
            message = SystemError.message(errno)
        }
        retainedSource?.release()
        return message
    }

    deinit {
        guard !closed else { return }
        sf_close(pointer)
        if ownsDescriptor { closeDescriptor(descriptor) }
        retainedSource?.release()
    }
}

/// `close(2)`, reachable from types that have a `close()` of their own.
@discardableResult
func closeDescriptor(_ descriptor: Int32) -> Int32 {
    #if canImport(Glibc)
        Glibc.close(descriptor)
    #else
        Darwin.close(descriptor)
    #endif
}

/// `write(2)`, reachable from types that have a `write` of their own.
func writeDescriptor(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
    #else
        Darwin.write(descriptor, bytes, count)
    #endif
}

/// `read(2)`, reachable from types that have a `read` of their own.
func readDescriptor(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.read(descriptor, bytes, count)
    #else
        Darwin.read(descriptor, bytes, count)
    #endif
}

/// What kind of thing a descriptor is, as far as seeking and sizes go.
struct DescriptorInfo {
    /// A regular file: seekable, with a known size.
    var isRegularFile: Bool
    /// A directory (cannot be read as audio).
    var isDirectory: Bool
    /// Size in bytes for a regular file, else 0.
    var size: Int64

    /// Looks at `descriptor` with `fstat`.
    init(descriptor: Int32) {
        var status = stat()
        if fstat(descriptor, &status) == 0 {
            let kind = status.st_mode & S_IFMT
            isRegularFile = kind == S_IFREG
            isDirectory = kind == S_IFDIR
            size = isRegularFile ? Int64(status.st_size) : 0
        } else {
            isRegularFile = false
            isDirectory = false
            size = 0
        }
    }
}

/// Text for `errno` values.
enum SystemError {
    /// `strerror(code)` as a Swift string.
    static func message(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// libsndfile's message for `handle` (or for the last failed open when `nil`).
    static func sndfileMessage(_ handle: OpaquePointer?) -> String {
        String(cString: sf_strerror(handle))
    }
}
