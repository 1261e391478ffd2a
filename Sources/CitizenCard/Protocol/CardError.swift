/// What went wrong talking to the card. Descriptions are for the technician's log and never
/// contain card data (no names, numbers, keys or MRZ).
public enum CardError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No card in the reader's field.
    case noCard
    /// The card left the field (or went mute) during the read.
    case cardRemoved
    /// The access keys were refused (`6300` / `6982` on authentication).
    case accessDenied
    /// The chip offers only BAC, and no date of birth and expiry were given to make its key.
    case mrzKeysNeeded
    /// The reader is gone (unplugged) or cannot be opened.
    case readerUnavailable(String)
    /// A bounded wait ran out.
    case timeout(String)
    /// The reader broke the CCID protocol or a USB transfer failed.
    case transport(String)
    /// The card answered a step with an unexpected status word.
    case status(step: String, sw: UInt16)
    /// A secure-messaging response failed its MAC or was malformed.
    case secureMessaging(String)
    /// A file from the card does not parse.
    case malformed(file: String, reason: String)
    /// The reader cannot carry the card protocol (e.g. a TPDU-level reader).
    case unsupportedReader(String)
    /// The read was cancelled by its caller.
    case cancelled

    public var description: String {
        switch self {
        case .noCard: "no card in the field"
        case .cardRemoved: "card removed or mute during the read"
        case .accessDenied: "access keys refused by the chip"
        case .mrzKeysNeeded: "the chip offers only BAC: its key needs the date of birth and expiry"
        case .readerUnavailable(let why): "reader unavailable: \(why)"
        case .timeout(let what): "timed out: \(what)"
        case .transport(let why): "CCID/USB: \(why)"
        case .status(let step, let sw): "\(step): card answered \(sw.bigEndianBytes.hex)"
        case .secureMessaging(let why): "secure messaging: \(why)"
        case .malformed(let file, let reason): "\(file) malformed: \(reason)"
        case .unsupportedReader(let why): "unsupported reader: \(why)"
        case .cancelled: "cancelled"
        }
    }
}
