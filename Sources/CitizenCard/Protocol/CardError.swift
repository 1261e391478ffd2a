/// What went wrong talking to the chip. Descriptions are for the technician's log and never
/// contain card data (no names, numbers, keys or MRZ). How the APDUs travel — a CCID reader,
/// USB — is not this module's business: a transport's failure arrives as `.transport`, in
/// the transport's own error type, and its driver looks inside.
public enum CardError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The access keys were refused (`6300` / `6982` on authentication).
    case accessDenied
    /// The chip offers only BAC, and no date of birth and expiry were given to make its key.
    case mrzKeysNeeded
    /// The card answered a step with an unexpected status word.
    case status(step: String, sw: UInt16)
    /// An answer too short to hold a status word.
    case truncatedResponse(step: String)
    /// A secure-messaging response failed its MAC or was malformed.
    case secureMessaging(String)
    /// A file from the card does not parse.
    case malformed(file: String, reason: String)
    /// The card is not one this code speaks to (no eMRTD application, PACE parameters it
    /// does not implement).
    case unsupportedCard(String)
    /// The read was cancelled by its caller.
    case cancelled
    /// The way to the card failed: the transport's own error.
    case transport(any TransportError)

    public var description: String {
        switch self {
        case .accessDenied: "access keys refused by the chip"
        case .mrzKeysNeeded: "the chip offers only BAC: its key needs the date of birth and expiry"
        case .status(let step, let sw): "\(step): card answered \(sw.bigEndianBytes.hex)"
        case .truncatedResponse(let step): "\(step): response shorter than a status word"
        case .secureMessaging(let why): "secure messaging: \(why)"
        case .malformed(let file, let reason): "\(file) malformed: \(reason)"
        case .unsupportedCard(let why): "unsupported card: \(why)"
        case .cancelled: "cancelled"
        case .transport(let error): error.description
        }
    }

    public static func == (lhs: CardError, rhs: CardError) -> Bool {
        switch (lhs, rhs) {
        case (.transport(let l), .transport(let r)): AnyHashable(l) == AnyHashable(r)
        case (.transport, _), (_, .transport): false
        default: lhs.description == rhs.description
        }
    }

    public func hash(into hasher: inout Hasher) {
        if case .transport(let error) = self { hasher.combine(AnyHashable(error)) } else { hasher.combine(description) }
    }
}

/// A transport's failure (a card reader's), carried through the chip protocol untouched.
public protocol TransportError: Error, Sendable, Hashable, CustomStringConvertible {}
