public import CitizenCard

/// What went wrong on the way to the card: the reader, its USB link, its slot. The chip
/// protocol carries these untouched (`CardError.transport`); the driver unwraps them.
/// Descriptions are for the technician's log and never contain card data.
public enum CardReaderError: TransportError {
    /// No card in the reader's field.
    case noCard
    /// The card left the field (or went mute) during the read.
    case cardRemoved
    /// The reader is gone (unplugged) or cannot be opened.
    case readerUnavailable(String)
    /// A bounded wait ran out.
    case timeout(String)
    /// The reader broke the CCID protocol or a USB transfer failed.
    case protocolError(String)
    /// The reader cannot carry the card protocol (e.g. a TPDU-level reader).
    case unsupportedReader(String)
    /// The reader reports the command aborted.
    case aborted
    /// The chip's own failure, once the reader delivered its answers.
    case chip(CardError)

    /// The reader's error inside a chip failure, or the chip failure itself.
    public init(_ error: CardError) {
        if case .transport(let inner) = error, let reader = inner as? CardReaderError { self = reader } else { self = .chip(error) }
    }

    public var description: String {
        switch self {
        case .noCard: "no card in the field"
        case .cardRemoved: "card removed or mute during the read"
        case .readerUnavailable(let why): "reader unavailable: \(why)"
        case .timeout(let what): "timed out: \(what)"
        case .protocolError(let why): "CCID/USB: \(why)"
        case .unsupportedReader(let why): "unsupported reader: \(why)"
        case .aborted: "the reader aborted the command"
        case .chip(let error): error.description
        }
    }
}
