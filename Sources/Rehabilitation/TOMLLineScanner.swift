import EventLog

/// Reads one line of TOML.
struct TOMLLineScanner {
    private let bytes: [UInt8]
    private var index = 0
    private let line: Int
    /// How many arrays the value being read is inside.
    private var depth = 0
    /// The deepest nesting of arrays accepted. Rules and city documents need none; the limit
    /// keeps the recursive reader far from the end of the stack (30,000 `[` in a 60 KB
    /// document overflowed it), as `JSONParser.maximumDepth` does for events.
    static let maximumDepth = 32

    init(_ bytes: [UInt8], line: Int) {
        var trimmed = bytes
        if trimmed.last == 0x0D { trimmed.removeLast() }
        self.bytes = trimmed
        self.line = line
    }

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
    var atEndOfContent: Bool { peek == nil || peek == UInt8(ascii: "#") }

    private func error(_ reason: String, key: String? = nil) -> TOMLError {
        TOMLError(line: line, key: key, reason: reason)
    }

    mutating func skipSpace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 { index += 1 }
    }

    mutating func expectEndOfLine() throws(TOMLError) {
        skipSpace()
        guard atEndOfContent else { throw error("unexpected text after the value") }
    }

    mutating func header() throws(TOMLError) -> (String, Bool) {
        index += 1
        let isArray = peek == UInt8(ascii: "[")
        if isArray { index += 1 }
        skipSpace()
        let name = try key()
        skipSpace()
        guard peek == UInt8(ascii: "]") else { throw error("expected ']' to close the table header") }
        index += 1
        if isArray {
            guard peek == UInt8(ascii: "]") else { throw error("expected ']]' to close the array-of-tables header") }
            index += 1
        }
        try expectEndOfLine()
        return (name, isArray)
    }

    mutating func keyValue() throws(TOMLError) -> (String, TOMLValue) {
        let name = try key()
        skipSpace()
        if peek == UInt8(ascii: ".") { throw error("dotted keys are not supported", key: name) }
        guard peek == UInt8(ascii: "=") else { throw error("expected '=' after the key", key: name) }
        index += 1
        skipSpace()
        let parsed: TOMLValue
        do { parsed = try value() } catch { throw TOMLError(line: line, key: name, reason: error.reason) }
        try expectEndOfLine()
        return (name, parsed)
    }

    private mutating func key() throws(TOMLError) -> String {
        if peek == UInt8(ascii: "\"") { return try basicString() }
        if peek == UInt8(ascii: "'") { return try literalString() }
        let start = index
        while let byte = peek, Self.isBareKeyByte(byte) { index += 1 }
        guard index > start else { throw error("expected a key") }
        return String(decoding: bytes[start ..< index], as: UTF8.self)
    }

    private static func isBareKeyByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    private mutating func value() throws(TOMLError) -> TOMLValue {
        guard let byte = peek else { throw error("missing value") }
        switch byte {
        case UInt8(ascii: "\""):
            if bytes[index...].starts(with: Array("\"\"\"".utf8)) { throw error("multi-line strings are not supported") }
            return .string(try basicString())
        case UInt8(ascii: "'"):
            if bytes[index...].starts(with: Array("'''".utf8)) { throw error("multi-line strings are not supported") }
            return .string(try literalString())
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "{"): throw error("inline tables are not supported")
        default: break
        }
        let start = index
        while let next = peek, next != 0x20, next != 0x09, next != UInt8(ascii: ","), next != UInt8(ascii: "]"), next != UInt8(ascii: "#") {
            index += 1
        }
        let token = String(decoding: bytes[start ..< index], as: UTF8.self)
        if token == "true" { return .bool(true) }
        if token == "false" { return .bool(false) }
        if token.utf8.count == 10, let date = CivilDate(token) { return .date(date) }
        if let integer = Self.integer(token) { return .integer(integer) }
        if token.contains(":") || token.contains("T") { throw error("times and date-times are not supported; use a date YYYY-MM-DD") }
        if token.contains(".") || token.contains("e") || token.contains("E") || token == "inf" || token == "nan" {
            throw error("floating-point numbers are not supported; use an integer")
        }
        throw error("invalid value \(token.isEmpty ? "(empty)" : DisplayText.escaped(PersonalNumbers.redacted(token)))")
    }

    /// A decimal TOML integer: optional sign, no leading zeros, underscores only between digits.
    private static func integer(_ token: String) -> Int64? {
        var digits = Substring(token)
        var negative = false
        if let first = digits.first, first == "+" || first == "-" {
            negative = first == "-"
            digits = digits.dropFirst()
        }
        guard let first = digits.first, first.isASCII, first.isNumber, digits.last?.isNumber == true else { return nil }
        if first == "0" && digits.count > 1 { return nil }
        if digits.contains("__") { return nil }
        let plain = digits.replacingOccurrences(of: "_", with: "")
        guard plain.allSatisfy({ $0.isASCII && $0.isNumber }), let magnitude = Int64(negative ? "-" + plain : plain) else { return nil }
        return magnitude
    }

    private mutating func array() throws(TOMLError) -> TOMLValue {
        guard depth < Self.maximumDepth else { throw error("arrays nested deeper than \(Self.maximumDepth) levels") }
        depth += 1
        defer { depth -= 1 }
        index += 1
        var elements: [TOMLValue] = []
        skipSpace()
        if peek == UInt8(ascii: "]") { index += 1; return .array(elements) }
        while true {
            skipSpace()
            elements.append(try value())
            skipSpace()
            switch peek {
            case UInt8(ascii: ","):
                index += 1
                skipSpace()
                if peek == UInt8(ascii: "]") { index += 1; return .array(elements) }
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw error("arrays must close on the same line with ']'")
            }
        }
    }

    private mutating func literalString() throws(TOMLError) -> String {
        index += 1
        let start = index
        while let byte = peek, byte != UInt8(ascii: "'") { index += 1 }
        guard peek == UInt8(ascii: "'") else { throw error("unterminated string") }
        defer { index += 1 }
        guard let text = String(validating: bytes[start ..< index], as: UTF8.self) else { throw error("invalid UTF-8") }
        return text
    }

    private mutating func basicString() throws(TOMLError) -> String {
        index += 1
        var utf8: [UInt8] = []
        while let byte = peek {
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else { throw error("invalid UTF-8") }
                return text
            case UInt8(ascii: "\\"):
                guard let escape = peek else { throw error("unterminated string") }
                index += 1
                switch escape {
                case UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let count = escape == UInt8(ascii: "u") ? 4 : 8
                    guard index + count <= bytes.count,
                          let scalarValue = UInt32(String(decoding: bytes[index ..< index + count], as: UTF8.self), radix: 16),
                          let scalar = Unicode.Scalar(scalarValue) else { throw error("invalid unicode escape") }
                    index += count
                    utf8.append(contentsOf: scalar.utf8)
                default:
                    guard let decoded = EscapeDecoding.sharedLetter(escape) else { throw error("invalid escape sequence") }
                    utf8.append(decoded)
                }
            default:
                if byte < 0x20 && byte != 0x09 { throw error("control character in a string") }
                utf8.append(byte)
            }
        }
        throw error("unterminated string")
    }
}
