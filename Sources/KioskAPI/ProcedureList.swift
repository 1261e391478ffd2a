public import Flows
public import Localized

/// `GET /api/v1/procedures`.
public struct ProcedureList: Codable, Sendable {
    public struct Item: Codable, Sendable {
        public var code: String
        public var codeIsSample: Bool
        public var name: LocalizedText
        public var field: ProcedureField
        public var agency: LocalizedText
        public var timeLimitWorkingDays: Int
        public var onlineLevel: OnlineLevel
        public var totalFeeVND: Int

        public init(_ p: Procedure) {
            code = p.code
            codeIsSample = p.codeIsSample
            name = p.name
            field = p.field
            agency = p.agency
            timeLimitWorkingDays = p.timeLimitWorkingDays
            onlineLevel = p.onlineLevel
            totalFeeVND = p.fees.reduce(0) { $0 + $1.amountVND }
        }
    }

    public var procedures: [Item]
    public var fields: [ProcedureField]

    public init(procedures: [Item], fields: [ProcedureField]) {
        self.procedures = procedures
        self.fields = fields
    }
}
