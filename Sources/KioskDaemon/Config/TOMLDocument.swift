/// A TOML document read for configuration, with the line of every key.
///
/// Covers what `kiosk.conf` needs from TOML 1.0: comments, `[table]` headers, bare, quoted and
/// dotted keys, basic and literal strings with escapes, integers, floats, booleans, local dates
/// and (multi-line) arrays. Arrays of tables, inline tables and multi-line strings are refused
/// with a message rather than misread.
struct TOMLDocument {
    enum Value: Equatable {
        case string(String)
        case integer(Int)
        case float(Double)
        case bool(Bool)
        case date(String)
        case array([Value])

        var typeName: String {
            switch self {
            case .string: "text"
            case .integer: "a whole number"
            case .float: "a number"
            case .bool: "true or false"
            case .date: "a date"
            case .array: "a list"
            }
        }
    }

    struct Entry {
        var value: Value
        var line: Int
    }

    struct SyntaxError: Error {
        var line: Int
        var message: String
    }

    /// Every key by its full dotted path (`devices.scanner.driver`).
    private(set) var entries: [String: Entry] = [:]
    /// Every table header by path, with its line.
    private(set) var tables: [String: Int] = [:]

    init(parsing text: String) throws(SyntaxError) {
        var parser = Parser(Array(text.unicodeScalars))
        var table: [String] = []
        while true {
            parser.skipBlankAndComments()
            guard let c = parser.peek() else { break }
            let line = parser.line
            if c == "[" {
                parser.advance()
                if parser.peek() == "[" { throw SyntaxError(line: line, message: "arrays of tables ([[…]]) are not used in this file") }
                table = try parser.key()
                parser.skipSpaces()
                guard parser.peek() == "]" else { throw SyntaxError(line: line, message: "expected ] to close the table header") }
                parser.advance()
                let path = table.joined(separator: ".")
                if tables[path] != nil || entries[path] != nil { throw SyntaxError(line: line, message: "table [\(path)] is defined twice") }
                tables[path] = line
                try parser.endOfLine()
            } else {
                let key = try parser.key()
                parser.skipSpaces()
                guard parser.peek() == "=" else { throw SyntaxError(line: line, message: "expected = after the key \(key.joined(separator: "."))") }
                parser.advance()
                parser.skipSpaces()
                let value = try parser.value()
                try parser.endOfLine()
                let path = (table + key).joined(separator: ".")
                if entries[path] != nil || tables[path] != nil {
                    throw SyntaxError(line: line, message: "\(path) is set twice")
                }
                entries[path] = Entry(value: value, line: line)
            }
        }
    }

    private struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        var line = 1

        init(_ s: [Unicode.Scalar]) { self.s = s }

        func peek(_ offset: Int = 0) -> Unicode.Scalar? { i + offset < s.count ? s[i + offset] : nil }

        mutating func advance() {
            if s[i] == "\n" { line += 1 }
            i += 1
        }

        mutating func skipSpaces() {
            while let c = peek(), c == " " || c == "\t" { advance() }
        }

        mutating func skipComment() {
            if peek() == "#" { while let c = peek(), c != "\n" { advance() } }
        }

        mutating func skipBlankAndComments() {
            while let c = peek() {
                if c == " " || c == "\t" || c == "\r" || c == "\n" { advance() } else if c == "#" { skipComment() } else { break }
            }
        }

        mutating func endOfLine() throws(SyntaxError) {
            skipSpaces()
            skipComment()
            if peek() == "\r" { advance() }
            guard peek() == nil || peek() == "\n" else {
                throw SyntaxError(line: line, message: "unexpected text after the value; put one setting per line")
            }
        }

        mutating func key() throws(SyntaxError) -> [String] {
            var parts: [String] = []
            repeat {
                skipSpaces()
                if peek() == "." {
                    advance()
                    skipSpaces()
                }
                if peek() == "\"" || peek() == "'" {
                    parts.append(try string())
                } else {
                    var name = ""
                    while let c = peek(), c.properties.isAlphabetic && c.isASCII || ("0"..."9").contains(c) || c == "_" || c == "-" {
                        name.unicodeScalars.append(c)
                        advance()
                    }
                    guard !name.isEmpty else { throw SyntaxError(line: line, message: "expected a key name") }
                    parts.append(name)
                }
                skipSpaces()
            } while peek() == "."
            return parts
        }

        mutating func value() throws(SyntaxError) -> Value {
            guard let c = peek() else { throw SyntaxError(line: line, message: "expected a value") }
            switch c {
            case "\"", "'":
                return .string(try string())
            case "[":
                advance()
                var items: [Value] = []
                while true {
                    skipBlankAndComments()
                    if peek() == "]" {
                        advance()
                        return .array(items)
                    }
                    items.append(try value())
                    skipBlankAndComments()
                    if peek() == "," {
                        advance()
                        continue
                    }
                    if peek() == "]" {
                        advance()
                        return .array(items)
                    }
                    throw SyntaxError(line: line, message: "expected , or ] in the list")
                }
            case "{":
                throw SyntaxError(line: line, message: "inline tables are not used in this file; use a [table] section")
            default:
                var token = ""
                while let c = peek(), !" \t\r\n,]#".unicodeScalars.contains(c) {
                    token.unicodeScalars.append(c)
                    advance()
                }
                return try scalar(token)
            }
        }

        func scalar(_ token: String) throws(SyntaxError) -> Value {
            if token == "true" { return .bool(true) }
            if token == "false" { return .bool(false) }
            let plain = token.replacingUnderscores()
            if let int = Int(plain), !token.hasPrefix("_"), !token.hasSuffix("_") { return .integer(int) }
            if plain.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let double = Double(plain), double.isFinite {
                return .float(double)
            }
            let chars = Array(token)
            if chars.count == 10, chars[4] == "-", chars[7] == "-",
                chars.enumerated().allSatisfy({ [4, 7].contains($0.offset) || $0.element.isNumber })
            {
                return .date(token)
            }
            throw SyntaxError(
                line: line, message: token.isEmpty ? "expected a value" : "cannot read the value \(token.prefix(40)) (text needs \"quotes\")")
        }

        mutating func string() throws(SyntaxError) -> String {
            let quote = s[i]
            let start = line
            advance()
            if peek() == quote, peek(1) == quote {
                throw SyntaxError(line: start, message: "multi-line strings are not used in this file")
            }
            var out = ""
            while let c = peek() {
                if c == "\n" { break }
                advance()
                if c == quote { return out }
                if c == "\\" && quote == "\"" {
                    guard let e = peek() else { break }
                    advance()
                    switch e {
                    case "\"": out += "\""
                    case "\\": out += "\\"
                    case "n": out += "\n"
                    case "t": out += "\t"
                    case "r": out += "\r"
                    case "b": out += "\u{8}"
                    case "f": out += "\u{C}"
                    case "u", "U":
                        var hex = ""
                        for _ in 0..<(e == "u" ? 4 : 8) {
                            guard let h = peek() else { break }
                            hex.unicodeScalars.append(h)
                            advance()
                        }
                        guard let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                            throw SyntaxError(line: line, message: "invalid \\\(e) escape")
                        }
                        out.unicodeScalars.append(scalar)
                    default: throw SyntaxError(line: line, message: "unknown escape \\\(e)")
                    }
                } else {
                    out.unicodeScalars.append(c)
                }
            }
            throw SyntaxError(line: start, message: "text is not closed with \(quote)")
        }
    }
}

private extension String {
    func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
