public import Foundation

/// The part of HTTP Structured Field Values (RFC 8941) that message signatures use: a
/// dictionary whose members are inner lists of strings with parameters (`Signature-Input`) or
/// byte sequences (`Signature`, `Content-Digest`). Strict, bounded, for hostile input.
public enum StructuredFields {
    /// A parameter's value.
    public enum Bare: Sendable, Hashable {
        case integer(Int64)
        case string(String)
        case token(String)
        case bytes(Data)
        case boolean(Bool)
    }

    /// A dictionary member's value.
    public enum Member: Sendable, Hashable {
        /// `("a" "b");p=1` (the items are strings here, each without parameters).
        case innerList([String], parameters: [(String, Bare)])
        case item(Bare, parameters: [(String, Bare)])

        public static func == (lhs: Member, rhs: Member) -> Bool { lhs.serialized == rhs.serialized }
        public func hash(into hasher: inout Hasher) { hasher.combine(serialized) }

        public var serialized: String {
            switch self {
            case .innerList(let items, let parameters):
                "(" + items.map { StructuredFields.serialize(.string($0)) }.joined(separator: " ") + ")"
                    + StructuredFields.serialize(parameters)
            case .item(let bare, let parameters): StructuredFields.serialize(bare) + StructuredFields.serialize(parameters)
            }
        }
    }

    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Longest field value accepted.
    public static let maxLength = 8192

    public static func serialize(_ bare: Bare) -> String {
        switch bare {
        case .integer(let value): String(value)
        case .string(let value): "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case .token(let value): value
        case .bytes(let value): ":" + value.base64EncodedString() + ":"
        case .boolean(let value): value ? "?1" : "?0"
        }
    }

    public static func serialize(_ parameters: [(String, Bare)]) -> String {
        parameters.map { key, value in value == .boolean(true) ? ";\(key)" : ";\(key)=\(serialize(value))" }.joined()
    }

    public static func serialize(dictionary: [(String, Member)]) -> String {
        dictionary.map { "\($0.0)=\($0.1.serialized)" }.joined(separator: ", ")
    }

    /// Parses a dictionary field; members in order, a repeated key keeps its last value.
    public static func parseDictionary(_ text: String) throws(ParseError) -> [(String, Member)] {
        guard text.utf8.count <= maxLength else { throw ParseError(description: "the field is longer than \(maxLength) bytes") }
        var parser = Parser(Array(text.utf8))
        var members: [(String, Member)] = []
        parser.skipSpaces()
        while !parser.atEnd {
            let key = try parser.key()
            let member: Member
            if parser.consume(UInt8(ascii: "=")) {
                member = try parser.member()
            } else {
                member = .item(.boolean(true), parameters: try parser.parameters())
            }
            members.removeAll { $0.0 == key }
            members.append((key, member))
            parser.skipOWS()
            if parser.atEnd { break }
            guard parser.consume(UInt8(ascii: ",")) else { throw ParseError(description: "expected a comma between members") }
            parser.skipOWS()
            guard !parser.atEnd else { throw ParseError(description: "trailing comma") }
        }
        return members
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index >= bytes.count }
        var peek: UInt8? { atEnd ? nil : bytes[index] }

        mutating func consume(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            index += 1
            return true
        }

        mutating func skipSpaces() { while peek == 0x20 { index += 1 } }
        mutating func skipOWS() { while peek == 0x20 || peek == 0x09 { index += 1 } }

        mutating func key() throws(ParseError) -> String {
            guard let first = peek, (first >= 0x61 && first <= 0x7A) || first == UInt8(ascii: "*") else {
                throw ParseError(description: "a key starts with a lowercase letter or *")
            }
            var key = ""
            while let byte = peek,
                (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "*")
            {
                key.append(Character(UnicodeScalar(byte)))
                index += 1
            }
            return key
        }

        mutating func member() throws(ParseError) -> Member {
            if consume(UInt8(ascii: "(")) {
                var items: [String] = []
                while true {
                    skipSpaces()
                    if consume(UInt8(ascii: ")")) { break }
                    guard case .string(let item) = try bare() else { throw ParseError(description: "the inner list holds strings only") }
                    guard peek != UInt8(ascii: ";") else { throw ParseError(description: "component parameters are not supported") }
                    items.append(item)
                    guard peek == 0x20 || peek == UInt8(ascii: ")") else { throw ParseError(description: "expected a space or ) in the inner list") }
                    guard items.count <= 32 else { throw ParseError(description: "more than 32 components") }
                }
                return .innerList(items, parameters: try parameters())
            }
            return .item(try bare(), parameters: try parameters())
        }

        mutating func parameters() throws(ParseError) -> [(String, Bare)] {
            var parameters: [(String, Bare)] = []
            while consume(UInt8(ascii: ";")) {
                skipSpaces()
                let key = try key()
                let value: Bare = consume(UInt8(ascii: "=")) ? try bare() : .boolean(true)
                parameters.removeAll { $0.0 == key }
                parameters.append((key, value))
                guard parameters.count <= 16 else { throw ParseError(description: "more than 16 parameters") }
            }
            return parameters
        }

        mutating func bare() throws(ParseError) -> Bare {
            guard let first = peek else { throw ParseError(description: "a value is missing") }
            switch first {
            case UInt8(ascii: "\""):
                index += 1
                var value: [UInt8] = []
                while true {
                    guard let byte = peek else { throw ParseError(description: "an unterminated string") }
                    index += 1
                    if byte == UInt8(ascii: "\\") {
                        guard let next = peek, next == UInt8(ascii: "\\") || next == UInt8(ascii: "\"") else {
                            throw ParseError(description: "a bad escape in a string")
                        }
                        value.append(next)
                        index += 1
                    } else if byte == UInt8(ascii: "\"") {
                        return .string(String(decoding: value, as: UTF8.self))
                    } else {
                        guard byte >= 0x20, byte < 0x7F else { throw ParseError(description: "a string holds printable ASCII only") }
                        value.append(byte)
                    }
                }
            case UInt8(ascii: ":"):
                index += 1
                var text = ""
                while let byte = peek, byte != UInt8(ascii: ":") {
                    guard
                        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
                    else { throw ParseError(description: "a byte sequence holds base64 only") }
                    text.append(Character(UnicodeScalar(byte)))
                    index += 1
                }
                guard consume(UInt8(ascii: ":")), let data = Data(base64Encoded: text) else {
                    throw ParseError(description: "a bad byte sequence")
                }
                return .bytes(data)
            case UInt8(ascii: "?"):
                index += 1
                if consume(UInt8(ascii: "1")) { return .boolean(true) }
                if consume(UInt8(ascii: "0")) { return .boolean(false) }
                throw ParseError(description: "a bad boolean")
            case UInt8(ascii: "-"), 0x30...0x39:
                var text = ""
                if consume(UInt8(ascii: "-")) { text = "-" }
                while let byte = peek, byte >= 0x30, byte <= 0x39 {
                    text.append(Character(UnicodeScalar(byte)))
                    index += 1
                    guard text.count <= 16 else { throw ParseError(description: "an integer longer than 15 digits") }
                }
                guard peek != UInt8(ascii: "."), let value = Int64(text) else { throw ParseError(description: "a bad integer") }
                return .integer(value)
            default:
                guard (first >= 0x41 && first <= 0x5A) || (first >= 0x61 && first <= 0x7A) || first == UInt8(ascii: "*") else {
                    throw ParseError(description: "an unexpected character")
                }
                var token = ""
                while let byte = peek, byte > 0x20, byte < 0x7F,
                    ![UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\"")].contains(byte)
                {
                    token.append(Character(UnicodeScalar(byte)))
                    index += 1
                }
                return .token(token)
            }
        }
    }
}
