import L2DataLink
import L3Network
import L4Transport
import L5Session
import L6Presentation
import L7Application

// The whole stack, wired. Each layer knows only its own PDU; this target hands one layer's
// output to the next and writes down what each did.
//
//        sender                                                receiver
//   L7  HTTP message (POST + JSON)                         HTTPParser, strictly      ▲
//   L6  PresentationEncoder: header, deflate?, AEAD?       PresentationDecoder       │
//   L5  SessionSender: OPEN, DATA…, CHECKPOINT, CLOSE      SessionReceiver           │
//   L4  TCPSegmenter: SYN <mss>, data by MSS, FIN          TCPReassembler (SACK)     │
//   L3  IPv4Packet: addresses, TTL, fragments(mtu:)        IPv4Reassembler           │
//   L2  EthernetFrame type 0x0800, FCS                     EthernetReceiver          │
//   L1  PhysicalTransmitter: FSK tones                     PhysicalReceiver          │
//        ▼                                                                            │
//        WAV ───────────────────────── channel ──────────────────────────────────────┘

/// Who talks to whom, at every layer that has addresses.
public struct StackEndpoints: Sendable, Hashable {
    /// The sender's MAC address (layer 2).
    public var sourceMAC: MACAddress
    /// The receiver's MAC address (layer 2).
    public var destinationMAC: MACAddress
    /// The sender's IPv4 address (layer 3).
    public var sourceIP: IPv4Address
    /// The receiver's IPv4 address (layer 3).
    public var destinationIP: IPv4Address
    /// The sender's TCP/UDP port (layer 4).
    public var sourcePort: UInt16
    /// The receiver's TCP/UDP port (layer 4).
    public var destinationPort: UInt16

    /// Endpoints from the address and port of both ends at layers 2, 3 and 4.
    public init(
        sourceMAC: MACAddress, destinationMAC: MACAddress, sourceIP: IPv4Address, destinationIP: IPv4Address,
        sourcePort: UInt16, destinationPort: UInt16
    ) {
        self.sourceMAC = sourceMAC; self.destinationMAC = destinationMAC
        self.sourceIP = sourceIP; self.destinationIP = destinationIP
        self.sourcePort = sourcePort; self.destinationPort = destinationPort
    }

    /// The same conversation seen from the other end.
    public var reversed: StackEndpoints {
        StackEndpoints(
            sourceMAC: destinationMAC, destinationMAC: sourceMAC, sourceIP: destinationIP,
            destinationIP: sourceIP, sourcePort: destinationPort, destinationPort: sourcePort)
    }

    /// A stable, locally administered MAC address for an IP address (the static neighbour
    /// table's default: no ARP over audio).
    public static func defaultMAC(for ip: IPv4Address) -> MACAddress {
        let b = ip.bytes
        return MACAddress(0x02, 0x00, b[0], b[1], b[2], b[3])
    }
}

/// How the layers above 2 are set up for one message.
public struct StackOptions: Sendable {
    /// How the L5/L6 headers travel.
    public enum Framing: String, Sendable, Codable, CaseIterable {
        /// L6 presentation header and L5 SPDUs inside the TCP stream (the OSI story, every layer visible).
        case osi
        /// Plain HTTP in TCP, as on the Internet (L5 and L6 do their work but add no header): Wireshark dissects it.
        case plain
    }
    /// Whether the L5/L6 headers travel inside the TCP stream (`.osi`) or not (`.plain`).
    public var framing: Framing
    /// Deflate level for L6, nil: no compression.
    public var compressionLevel: Int?
    /// L6 encryption (ChaCha20-Poly1305, scrypt key) when set.
    public var passphrase: String?
    /// scrypt cost for the L6 key (lower is faster; the default is L6's own).
    public var scrypt: ScryptParameters
    /// The L5 session's identifier.
    public var sessionID: SessionID
    /// Bytes of the L6 output per L5 DATA unit.
    public var sessionUnitSize: Int
    /// L5 DATA units per CHECKPOINT.
    public var checkpointInterval: Int
    /// The L4 initial sequence number: the SYN carries it, data starts one after it.
    public var initialSequenceNumber: SequenceNumber
    /// What the data segments acknowledge (the peer's ISN + 1), 0 for a first request.
    public var acknowledgmentNumber: SequenceNumber
    /// When answering: the peer's ISN + 1, and the SYN becomes a SYN-ACK.
    public var synAcknowledgment: SequenceNumber?
    /// L4 maximum segment size: the most payload bytes per TCP segment.
    public var mss: Int
    /// L4 receive window advertised in every segment, in bytes.
    public var window: UInt16
    /// L3 identification of the first IP packet (each later packet takes the next).
    public var identification: UInt16
    /// L3 time to live of every IP packet.
    public var ttl: UInt8
    /// Largest IP packet per Ethernet frame.
    public var mtu: Int

    /// Options; the defaults give an unencrypted, uncompressed `.osi` message in 1460-byte segments.
    public init(
        framing: Framing = .osi, compressionLevel: Int? = nil, passphrase: String? = nil,
        scrypt: ScryptParameters = .default, sessionID: SessionID = SessionID(1), sessionUnitSize: Int = 1024,
        checkpointInterval: Int = 8, initialSequenceNumber: SequenceNumber = 1000,
        acknowledgmentNumber: SequenceNumber = 0, mss: Int = 1460, window: UInt16 = 65535,
        identification: UInt16 = 1, ttl: UInt8 = 64, mtu: Int = 1500
    ) {
        self.framing = framing; self.compressionLevel = compressionLevel; self.passphrase = passphrase
        self.scrypt = scrypt; self.sessionID = sessionID; self.sessionUnitSize = sessionUnitSize
        self.checkpointInterval = checkpointInterval; self.initialSequenceNumber = initialSequenceNumber
        self.acknowledgmentNumber = acknowledgmentNumber; self.synAcknowledgment = nil; self.mss = mss;
        self.window = window
        self.identification = identification; self.ttl = ttl; self.mtu = mtu
    }
}

/// What went wrong, and at which layer.
public enum StackError: Error, Sendable, CustomStringConvertible {
    /// Layer 3 refused a packet.
    case network(NetworkError)
    /// Layer 4 refused a segment.
    case transport(TransportError)
    /// The TCP stream has gaps (or no FIN): these ranges never arrived.
    case incomplete(missing: [TCPReassembler.MissingRange], finSeen: Bool)
    /// Layer 5 refused a unit.
    case session(SessionError)
    /// The session never delivered its message (units missing, or no CLOSE).
    case sessionIncomplete(String)
    /// Layer 6 refused the presentation header or body.
    case presentation(PresentationError)
    /// Fewer bytes than the presentation header announces.
    case presentationTruncated(Int)
    /// Layer 7 could not parse the HTTP message.
    case application(HTTPParseError)
    /// The HTTP message ends before its framing says it should, or bytes follow it.
    case applicationFraming(String)
    /// A configuration the stack cannot send (bad MSS, message too large, …).
    case configuration(String)

    /// The OSI layer the error belongs to.
    public var layer: Int {
        switch self {
        case .network: 3
        case .transport, .incomplete: 4
        case .session, .sessionIncomplete: 5
        case .presentation, .presentationTruncated: 6
        case .application, .applicationFraming: 7
        case .configuration: 0
        }
    }

    public var description: String {
        let text: String
        switch self {
        case .network(let e): text = "IPv4: \(e)"
        case .transport(let e): text = "TCP: \(e)"
        case let .incomplete(missing, fin):
            text =
                "TCP stream incomplete: "
                + (missing.isEmpty ? "" : "missing " + missing.map(\.description).joined(separator: ", "))
                + (fin ? "" : (missing.isEmpty ? "" : "; ") + "no FIN seen")
        case .session(let e): text = "session: \(e)"
        case .sessionIncomplete(let s): text = "session incomplete: \(s)"
        case .presentation(let e): text = "presentation: \(e)"
        case .presentationTruncated(let n): text = "presentation: message cut short after \(n) bytes"
        case .application(let e): text = "HTTP: \(e)"
        case .applicationFraming(let s): text = "HTTP: \(s)"
        case .configuration(let s): text = s
        }
        return layer > 0 ? "L\(layer) \(text)" : text
    }
}
