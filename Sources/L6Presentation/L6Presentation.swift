/// The presentation layer (OSI layer 6): content checked against its type (binary, UTF-8 text,
/// JSON), deflated when that helps, and encrypted with a key derived from a passphrase.
///
///     bytes ──► PresentationEncoder.encode ──► UTF-8/JSON check ──► deflate (zlib) ──► scrypt + AEAD ──► header ‖ body ──► L5
///     L5 ──► PresentationDecoder.decode ──► header CRC ──► key check + AEAD open ──► bounded inflate ──► type check ──► bytes
///
/// The key is scrypt(passphrase, 16-byte random salt) with N, r, p stored in the header; the AEAD
/// is ChaCha20-Poly1305 (default) or AES-256-GCM with a random 12-byte nonce, and the header is
/// its associated data. Every step is described in a `PresentationReport`; every failure is a
/// `PresentationError` naming the bad value.
public enum L6PresentationModule {
    /// The module's name, "L6Presentation".
    public static let name = "L6Presentation"
}
