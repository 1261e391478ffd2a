import Devices
import Flows
import Foundation
import KioskAPI
import KioskStore

/// A technician's reprint of a sealed dossier's printout: the dossier as sealed, the printer
/// as configured.
struct PrintoutService: Sendable {
    let live: LiveCatalog
    var catalog: Catalog { live.current }
    let store: KioskStore
    let printer: any Printer
    let printouts: Printouts

    /// `dossier`: its client UUID, or the reference printed on its receipt.
    func reprint(dossier: String, kind name: String) async throws -> PrintReport {
        guard let kind = PrintKind(rawValue: name) else {
            throw KioskError.invalidValue(field: "kind", expected: PrintKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let found =
            if let id = UUID(uuidString: dossier) { try await store.read({ try $0.dossier(id) }) } else {
                try await store.read({ try $0.dossier(reference: String(dossier.prefix(80))) })
            }
        guard let dossier = found else { throw KioskError.dossierNotFound }
        let id = dossier.clientUUID
        guard let procedure = catalog.procedure(dossier.procedureCode) else { throw KioskError.procedureNotFound(dossier.procedureCode) }
        let code = try await store.read { try $0.centralCode(dossier: id) }
        let job = try printouts.job(kind, dossier: dossier, procedure: procedure, centralCode: code)
        do throws(DeviceFailure) {
            return PrintReport(dossier: id, kind: kind.rawValue, job: try await printer.print(job).jobReference)
        } catch {
            throw KioskError.device(error.notice)
        }
    }

    /// The printer's test page; its job reference.
    func testPage() async throws -> String {
        let job = try printouts.testPageJob()
        do throws(DeviceFailure) {
            return try await printer.print(job).jobReference
        } catch {
            throw KioskError.device(error.notice)
        }
    }
}
