import Flows
import Foundation
import Testing

/// The identity as stored in a session: its assurance, and sessions stored before it existed.
struct IdentityCodingTests {
    func decode(_ json: String) throws -> Identity {
        try JSONDecoder().decode(Identity.self, from: Data(json.utf8))
    }

    @Test func everyAssuranceRoundTrips() throws {
        for assurance in Identity.Assurance.allCases {
            var identity = Fixtures.identity
            identity.assurance = assurance
            let copy = try decode(String(decoding: try JSONEncoder().encode(identity), as: UTF8.self))
            #expect(copy == identity)
            #expect(copy.chipVerified == (assurance == .chipVerified))
        }
    }

    @Test func aSessionStoredBeforeTheAssuranceIsReadNeverStrongerThanRecorded() throws {
        let body = #""idNumber":"001185012345","fullName":"Thử","dateOfBirth":"1985-09-05""#
        #expect(try decode(#"{"source":"chip","chipVerified":true,"# + body + "}").assurance == .chipVerified)
        #expect(try decode(#"{"source":"chip","chipVerified":false,"# + body + "}").assurance == .chipUnchecked)
        #expect(try decode(#"{"source":"qr_code","chipVerified":false,"# + body + "}").assurance == .qrCode)
        #expect(try decode(#"{"source":"typed","# + body + "}").assurance == .typed)
        #expect(throws: DecodingError.self) { try decode("{" + body + "}") }
    }
}
