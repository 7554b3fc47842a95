/// A strict, allocation-light JSON parser over UTF-8 bytes.
///
/// Foundation's decoder is too slow for the import path (about 110,000 lines/s), and it
/// accepts things a ledger must refuse: duplicate keys, invalid UTF-8, lone surrogates.
/// This parser rejects them all and reports the byte offset of the fault.
public struct JSONParser {
    private let bytes: [UInt8]
    private var index: Int
    private let end: Int
    private let start: Int
    private var depth = 0
    private static let maximumDepth = 64

    /// Parses `bytes[range]` as exactly one JSON value, surrounded by optional white space.
    public static func parse(_ bytes: [UInt8], in range: Range<Int>? = nil) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, range: range ?? 0 ..< bytes.count)
        return try parser.parseDocument()
    }

    /// Parses a JSON object and returns its members in the order written, so callers can
    /// tell which member a problem is in. Duplicate keys are rejected.
    public static func parseObjectMembers(
        _ bytes: [UInt8], in range: Range<Int>? = nil
    ) throws(JSONSyntaxError) -> [(key: String, value: JSONValue)] {
        var parser = JSONParser(bytes: bytes, range: range ?? 0 ..< bytes.count)
        parser.skipWhitespace()
        guard parser.peek() == UInt8(ascii: "{") else { throw parser.error("expected a JSON object") }
        let members = try parser.parseMembers()
        parser.skipWhitespace()
        guard parser.index == parser.end else { throw parser.error("unexpected text after the object") }
        return members
    }

    private init(bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        self.index = range.lowerBound
        self.start = range.lowerBound
        self.end = range.upperBound
    }

    private mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == end else { throw error("unexpected text after the value") }
        return value
    }

    private func error(_ reason: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: index - start, reason: reason)
    }

    private func peek() -> UInt8? { index < end ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while index < end {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        guard let byte = peek() else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return .object(try parseObject())
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= end else { throw error("unexpected end of input") }
        var offset = 0
        var matches = true
        literal.withUTF8Buffer { expected in
            for byte in expected {
                if bytes[index + offset] != byte { matches = false; break }
                offset += 1
            }
        }
        guard matches else { throw error("unexpected character") }
        index += count
    }

    private mutating func enterContainer() throws(JSONSyntaxError) {
        depth += 1
        if depth > Self.maximumDepth { throw error("nested deeper than \(Self.maximumDepth) levels") }
    }

    /// An object's members in the order written, so callers can tell which member a problem
    /// is in (the event envelope).
    private mutating func parseMembers() throws(JSONSyntaxError) -> [(key: String, value: JSONValue)] {
        var members: [(key: String, value: JSONValue)] = []
        try walkMembers { key, value in
            if members.contains(where: { $0.key == key }) { return false }
            members.append((key, value))
            return true
        }
        return members
    }

    /// An object straight into a dictionary (one allocation, duplicate keys found by the insert
    /// itself): nested values and event data take this path.
    private mutating func parseObject() throws(JSONSyntaxError) -> [String: JSONValue] {
        var object: [String: JSONValue] = [:]
        try walkMembers { key, value in object.updateValue(value, forKey: key) == nil }
        return object
    }

    /// Reads an object starting at its `{`, handing each member to `add`, which returns false
    /// for a key it already holds (reported as a duplicate at the key's offset).
    private mutating func walkMembers(_ add: (String, JSONValue) -> Bool) throws(JSONSyntaxError) {
        try enterContainer()
        defer { depth -= 1 }
        index += 1  // {
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { index += 1; return }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw error("expected a quoted member name") }
            let keyOffset = index
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after a member name") }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            guard add(key, value) else {
                index = keyOffset
                // The key is repeated for the user to find it, but never a personal identifier in it.
                throw error("duplicate member \"\(DisplayText.escaped(PersonalNumbers.redacted(key)))\"")
            }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return
            default: throw error("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { index += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw error("expected ',' or ']'")
            }
        }
    }

    /// Parses a string starting at its opening quote. The common case (no escapes, ASCII)
    /// is a single scan and a single copy.
    private mutating func parseString() throws(JSONSyntaxError) -> String {
        index += 1  // opening quote
        let contentStart = index
        var isPlainASCII = true
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = bytes[contentStart ..< index]
                index += 1
                if isPlainASCII { return String(decoding: slice, as: UTF8.self) }
                guard let text = String(validating: slice, as: UTF8.self) else {
                    index = contentStart
                    throw error("invalid UTF-8 in a string")
                }
                return text
            }
            if byte == UInt8(ascii: "\\") {
                index = contentStart
                return try parseEscapedString()
            }
            if byte < 0x20 { throw error("control character in a string (escape it)") }
            if byte >= 0x80 { isPlainASCII = false }
            index += 1
        }
        throw error("unterminated string")
    }

    private mutating func parseEscapedString() throws(JSONSyntaxError) -> String {
        var utf8: [UInt8] = []
        while index < end {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: utf8, as: UTF8.self) else { throw error("invalid UTF-8 in a string") }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard let escape = peek() else { throw error("unterminated string") }
                index += 1
                switch escape {
                case UInt8(ascii: "/"): utf8.append(0x2F)
                case UInt8(ascii: "u"):
                    var scalar = try parseHexQuad()
                    if (0xD800 ... 0xDBFF).contains(scalar) {
                        guard index + 1 < end, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw error("unpaired surrogate in a \\u escape")
                        }
                        index += 2
                        let low = try parseHexQuad()
                        guard (0xDC00 ... 0xDFFF).contains(low) else { throw error("unpaired surrogate in a \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00 ... 0xDFFF).contains(scalar) {
                        throw error("unpaired surrogate in a \\u escape")
                    }
                    utf8.append(contentsOf: Unicode.Scalar(scalar)!.utf8)
                default:
                    guard let decoded = EscapeDecoding.sharedLetter(escape) else {
                        index -= 1
                        throw error("invalid escape sequence")
                    }
                    utf8.append(decoded)
                }
            default:
                if byte < 0x20 { throw error("control character in a string (escape it)") }
                utf8.append(byte)
                index += 1
            }
        }
        throw error("unterminated string")
    }

    private mutating func parseHexQuad() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= end else { throw error("incomplete \\u escape") }
        var value: UInt32 = 0
        for _ in 0 ..< 4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in a \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
        let numberStart = index
        var isInteger = true
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else {
            throw error("invalid number")
        }
        if first == UInt8(ascii: "0") {
            index += 1
        } else {
            skipDigits()
        }
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard skipDigits() > 0 else { throw error("invalid number") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { throw error("invalid number") }
        }
        let text = String(decoding: bytes[numberStart ..< index], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        guard let number = Double(text), number.isFinite else { throw error("number out of range") }
        return .number(number)
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let digitsStart = index
        while index < end, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        return index - digitsStart
    }
}
