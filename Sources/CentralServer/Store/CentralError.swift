public import CentralProtocol
public import Foundation
public import Localized

/// Every refusal of the central, with the HTTP status it is answered with. The code is what a
/// kiosk acts on; the words are for the technician reading `kioskctl link`.
public struct CentralError: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var body: CentralErrorBody

    public init(_ status: Int, _ code: String, vi: String, en: String, detail: String? = nil, serverTime: Date? = nil, state: IntakeState? = nil) {
        self.status = status
        body = CentralErrorBody(code: code, message: LocalizedText(vi: vi, en: en), detail: detail, serverTime: serverTime, state: state)
    }

    public var description: String { "\(status) \(body.code): \(body.detail ?? body.message.en)" }

    static func badRequest(_ detail: String) -> CentralError {
        CentralError(400, "request.invalid", vi: "Yêu cầu không hợp lệ.", en: "The request is not valid.", detail: detail)
    }

    static func unauthenticated(_ why: SignatureError, serverTime: Date) -> CentralError {
        let code: String =
            switch why {
            case .missing: "signature.missing"
            case .malformed: "signature.malformed"
            case .uncovered: "signature.uncovered"
            case .digestMismatch: "signature.digest_mismatch"
            case .skewed: "signature.skewed"
            case .badSignature: "signature.invalid"
            case .unsupportedAlgorithm: "signature.algorithm"
            }
        return CentralError(
            401, code, vi: "Chữ ký của yêu cầu không hợp lệ.", en: "The request's signature is not accepted.", detail: why.description,
            serverTime: serverTime)
    }

    static let notFound = CentralError(404, "route.not_found", vi: "Không có địa chỉ này.", en: "No such address.")
}
