import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import KioskDaemon

/// What a client is told when an event is refused: 409 when it does not fit the step, 422
/// when its values are refused — with the field named, as the request spells it, and why.
@Suite struct APIErrorContractTests {
    let api = APITests()

    @Test func valuesAreRefusedWith422NamingTheField() async throws {
        try await api.withKiosk { client, _ in
            let (_, start) = try await api.call(client, .post, "/api/v1/sessions")
            let id = try #require(start["id"] as? String)
            for body in FlowScripts.certifiedCopyToDocuments.prefix(3) { _ = try await api.event(client, id, body) }

            let (unknown, unknownBody) = try await api.event(client, id, #"{"type":"answer","answers":{"nickname":"x"}}"#)
            #expect(unknown == .unprocessableContent && unknownBody["code"] as? String == "flow.unknown_field")
            #expect((unknownBody["fields"] as? [String: Any])?["answers.nickname"] != nil, "\(unknownBody)")

            let long = String(repeating: "a", count: 4_001)
            let (tooLong, longBody) = try await api.event(client, id, #"{"type":"answer","answers":{"document_title":"\#(long)"}}"#)
            #expect(tooLong == .unprocessableContent)
            let message = (longBody["message"] as? [String: Any])?["en"] as? String ?? ""
            #expect(message.contains("4000") && !message.contains("The text entered"), "names the field and the limit: \(message)")
            #expect((longBody["fields"] as? [String: Any])?["answers.document_title"] != nil)

            let (wrongType, typeBody) = try await api.event(client, id, #"{"type":"edit","step":"form","index":"two"}"#)
            #expect(wrongType == .badRequest)
            let why = (typeBody["message"] as? [String: Any])?["en"] as? String ?? ""
            #expect(why.contains("field index should be a whole number"), "\(why)")

            // Not allowed at this step is a conflict, not a validation failure.
            let (notNow, notNowBody) = try await api.event(client, id, #"{"type":"rate","score":9}"#)
            #expect(notNow == .conflict && notNowBody["code"] as? String == "flow.not_allowed")
        }
    }

    @Test func aSessionSaysWhichEventsItAcceptsAndTheirFields() async throws {
        try await api.withKiosk { client, _ in
            let (_, start) = try await api.call(client, .post, "/api/v1/sessions")
            let accepts = try #require(start["accepts"] as? [[String: Any]])
            let choose = try #require(accepts.first { $0["type"] as? String == "choose_procedure" })
            #expect(choose["required"] as? [String] == ["code"])
            #expect(!accepts.contains { $0["type"] as? String == "next" })
            let id = try #require(start["id"] as? String)
            let (_, identify) = try await api.event(client, id, #"{"type":"choose_procedure","code":"SAMPLE-CT-001"}"#)
            let typed = try #require((identify["accepts"] as? [[String: Any]])?.first { $0["type"] as? String == "identify_typed" })
            #expect(typed["required"] as? [String] == ["idNumber", "fullName", "dateOfBirth"] && typed["optional"] as? [String] == ["sex"])
        }
    }

    @Test func theDocumentWhoseTurnItIsIsNamed() async throws {
        try await api.withKiosk { client, _ in
            let id = try await api.certifiedCopyAtDocuments(client)
            let (status, body) = try await api.event(client, id, #"{"type":"scan","documentId":"copy"}"#)
            #expect(status == .conflict && body["code"] as? String == "flow.not_current_document", "\(body)")
            let message = (body["message"] as? [String: Any])?["en"] as? String ?? ""
            #expect(!message.contains("not in this dossier") && message.contains("turn"), "\(message)")
        }
    }
}
