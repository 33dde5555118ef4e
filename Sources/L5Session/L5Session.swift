/// The session layer (OSI layer 5): one message spread over several recordings, with a session
/// id, checkpoints, resume and close.
///
///     message ──► SessionSender ──► recording(i, of: n) ──► [OPEN, DATA…, CHECKPOINT…, CLOSE] ──► emit() ──► L4
///     L4 ──► SessionReceiver.handle(.received(bytes)) ──► deliver / status (missing, resume point) / reply(RESUME|ACK)
///     RESUME ──► SessionSender.handle(_:) ──► resend everything after that checkpoint
///
/// Recordings may arrive in any order and any of them may be lost; every SPDU carries the
/// session's shape, so the receiver can place units before it has seen the OPEN. Every failure
/// is a `SessionError` naming the bad value.
public enum L5SessionModule {
    /// The module's name, "L5Session".
    public static let name = "L5Session"
}
