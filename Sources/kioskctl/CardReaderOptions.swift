import ArgumentParser
import CitizenCard
import Devices
import Flows
import Foundation

#if EmulatedCardReader
import VirtualCard
#endif

/// Which reader the card commands use, and what they trust.
struct CardReaderOptions: ParsableArguments {
    enum ReaderKind: String, ExpressibleByArgument, CaseIterable {
        case usb
        case virtual
    }

    @Option(
        name: .long,
        help:
            "usb: the first CCID reader on the USB bus (stop kioskd first: one program at a time holds it); virtual: an emulated reader holding a synthetic card."
    )
    var reader: ReaderKind = .usb
    @Option(name: .long, help: "Directory of trusted country-signing CA certificates (PEM or DER), as csca_directory in kiosk.conf.")
    var csca = "csca"

    func source() throws -> any CCIDReaderSource {
        switch reader {
        case .usb: return LibUSBReaderSource()
        case .virtual:
            #if EmulatedCardReader
            return try VirtualReaderSource()
            #else
            throw ValidationError(
                "--reader virtual needs a kioskctl built with the emulated reader (swift build --traits EmulatedCardReader); a kiosk has a USB reader"
            )
            #endif
        }
    }

    var store: CSCAStore { CSCAStore(directory: csca) }
}

/// The access keys, from the card's QR code or typed.
struct CardKeyOptions: ParsableArguments {
    @Option(name: .long, help: "The text of the QR code on the card's front (gives the number, birth and issue dates).")
    var qr: String?
    @Option(name: .long, help: "The 12-digit ID number.")
    var id: String?
    @Option(name: .long, help: "Date of birth, yyyy-MM-dd or dd/MM/yyyy.")
    var dob: String?
    @Option(name: .long, help: "Date of expiry, when it cannot be worked out from the birth and issue dates.")
    var expiry: String?
    @Option(name: .long, help: "Issue date (makes the expiry exact).")
    var issued: String?

    func request(timeout: Double) throws -> CardReadRequest {
        func iso(_ text: String?, _ name: String) throws -> CivilDate? {
            guard let text else { return nil }
            guard let date = CivilDate(parsing: text) else { throw ValidationError("--\(name): expected yyyy-MM-dd or dd/MM/yyyy") }
            return date
        }
        if let qr {
            let identity: Identity
            switch CardQRCode.read(qr, today: CivilDate(Date())) {
            case .success(let read): identity = read
            case .failure(let problem): throw ValidationError("--qr: not the QR code of a CCCD card: \(problem)")
            }
            let issue = try identity.issueDate ?? iso(issued, "issued")
            return CardReadRequest(
                idNumber: identity.idNumber, dateOfBirth: identity.dateOfBirth,
                dateOfExpiry: try iso(expiry, "expiry"), issueDate: issue, timeoutSeconds: timeout)
        }
        guard let id, let dob else { throw ValidationError("give --qr, or --id and --dob") }
        return CardReadRequest(
            idNumber: id, dateOfBirth: try iso(dob, "dob"), dateOfExpiry: try iso(expiry, "expiry"),
            issueDate: try iso(issued, "issued"), timeoutSeconds: timeout)
    }
}
