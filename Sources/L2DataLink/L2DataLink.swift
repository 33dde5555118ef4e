/// The `L2DataLink` module: Ethernet II framing for SoundStack.
///
/// What this layer knows is its own PDU, the Ethernet II frame, and nothing of
/// the layers around it: the physical layer hands it the bytes of one frame (from
/// destination address to FCS), and it hands the layer above a payload tagged with
/// an ``EtherType``.
///
///     ┌──────────────┬──────────┬───────────┬─────────────────────┬─────────┐
///     │ destination  │ source   │ EtherType │ payload (46…1500)   │ FCS     │
///     │ 6 bytes      │ 6 bytes  │ 2, BE     │ zero-padded to 46   │ 4, LE   │
///     └──────────────┴──────────┴───────────┴─────────────────────┴─────────┘
///      └──────────────── CRC-32 (IEEE 802.3) covers these ───────┘
///
/// - ``MACAddress`` and ``EtherType``: the values in the header.
/// - ``EthernetFrame``: the frame as a value, with symmetric `parse`/`emit`;
///   ``EthernetFrameView`` reads the fields of raw bytes, even of a damaged frame.
/// - ``EthernetReceiver``: a station that classifies what arrives (ok, FCS
///   mismatch, runt, too long, not for me) and delivers only good frames for it.
/// - ``L2Segmenter`` / ``L2Reassembler``: messages longer than one frame.
/// - ``PcapNGWriter`` / ``PcapWriter``: capture files that Wireshark checks.
/// - `FCSExperiment` (in the `Measurements` module): how many corrupted frames slip past the CRC-32.
public enum L2DataLinkModule {
    /// The module's name, "L2DataLink".
    public static let name = "L2DataLink"
}
