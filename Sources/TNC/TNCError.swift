/// What stopped the TNC from starting or from finishing its output.
public enum TNCError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The KISS TCP port could not be listened on (address in use, not local, bad host).
    case cannotListen(host: String, port: Int, reason: String)
    /// A pseudo-terminal could not be made (posix_openpt, grantpt, unlockpt, ptsname).
    case pseudoTerminal(step: String, reason: String)
    /// The `--pty` link could not be made, or its path is taken by something that is not a link.
    case cannotLink(path: String, reason: String)
    /// The input audio could not be opened.
    case cannotRecord(path: String, reason: String)
    /// The output audio could not be created, written or finished.
    case cannotPlay(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotListen(let host, let port, let reason): "cannot listen on \(host):\(port): \(reason)"
        case .pseudoTerminal(let step, let reason): "cannot make a pseudo-terminal (\(step)): \(reason)"
        case .cannotLink(let path, let reason): "cannot link \(path) to the pseudo-terminal: \(reason)"
        case .cannotRecord(let path, let reason): "cannot read audio from \(path): \(reason)"
        case .cannotPlay(let path, let reason): "cannot write audio to \(path): \(reason)"
        }
    }
}
