/// Where the TNC's log lines go: a malformed KISS stream, a client's buffer overflowing, a
/// frame that is not AX.25, the end of the input audio. The library never prints; the CLI
/// writes these to stderr.
///
/// Called from the TNC's threads (the network event loop, the pty reader, the audio threads),
/// possibly at the same time: the closure must be safe to call from any thread.
///
///     let log = TNCLog { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
public struct TNCLog: Sendable {
    /// Receives one line, without a newline.
    public var line: @Sendable (String) -> Void

    /// A log that hands each line to `line`.
    public init(_ line: @escaping @Sendable (String) -> Void) {
        self.line = line
    }

    /// Drops every line.
    public static let silent = TNCLog { _ in }

    func callAsFunction(_ text: String) { line(text) }
}
