import EventLog
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test("integers stay exact; other numbers are doubles")
    func numbers() throws {
        #expect(try parse("9223372036854775807") == .integer(Int64.max))
        #expect(try parse("-12") == .integer(-12))
        #expect(try parse("1.5") == .number(1.5))
        #expect(try parse("1e2") == .number(100))
        #expect(try parse("92233720368547758070") == .number(Double("92233720368547758070")!))
    }

    @Test("strings: escapes, surrogate pairs and raw UTF-8")
    func strings() throws {
        #expect(try parse(#""a\"b\\c\n\u00e9\ud83d\ude00""#) == .string("a\"b\\c\né😀"))
        #expect(try parse("\"恩平\"") == .string("恩平"))
    }

    @Test("rejects what a ledger must not accept", arguments: [
        "{\"a\":1,\"a\":2}", "[1,]", "{\"a\":1} x", "\"\\ud800\"", "\"\\udc00x\"", "01", "1.", "-", "\"a\nb\"",
        "tru", "{\"a\" 1}", "NaN", "1e999", String(repeating: "[", count: 70) + String(repeating: "]", count: 70),
    ])
    func rejects(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try parse(text) }
    }

    @Test("rejects invalid UTF-8 inside strings")
    func invalidUTF8() {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }
    }

    @Test("the writer's canonical text parses back to the same value")
    func roundTrip() throws {
        let value = try parse(#"{"z":[1,2.5,"x\u0001",null,true],"a":{"b":false},"é":-3}"#)
        let text = JSONWriter.text(value)
        #expect(text == #"{"a":{"b":false},"z":[1,2.5,"x\u0001",null,true],"é":-3}"#)
        #expect(try parse(text) == value)
    }
}
