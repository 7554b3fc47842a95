import EventLog
import Rehabilitation
import Testing

@Suite("Event envelope rules")
struct EventInputParserTests {
    private func field(of line: String) -> String?? {
        switch EventInputParser.parse(line) {
        case .success: return .none
        case .failure(let error): return .some(error.field)
        }
    }

    @Test("a complete event parses; data defaults to an empty object")
    func valid() throws {
        let parsed = try EventInputParser.parse(#"{"type":"check_in","participant":"P-1","at":"2022-03-01","actor":"a.b_c-1"}"#).get()
        #expect(parsed.id == nil)
        #expect(parsed.data == .object([:]))
        let withId = try EventInputParser.parse(#"{"id":"A.b_c:d-9","type":"t","participant":"p","at":"2022-03-01T00:00:00Z","actor":"x","data":{"k":[1]}}"#).get()
        #expect(withId.id == "A.b_c:d-9")
    }

    @Test("each bad field is named", arguments: [
        (#"{"type":"check_in","participant":"P-1","at":"2022-03-01","actor":"a","extra":1}"#, "extra"),
        (#"{"participant":"P-1","at":"2022-03-01","actor":"a"}"#, "type"),
        (#"{"type":"Check","participant":"P-1","at":"2022-03-01","actor":"a"}"#, "type"),
        (#"{"type":"check_in","participant":"P_1","at":"2022-03-01","actor":"a"}"#, "participant"),
        (#"{"type":"check_in","participant":"P-1","at":"2022-03-01","actor":"a b"}"#, "actor"),
        (#"{"type":"check_in","participant":"P-1","at":"2022-03-01","actor":"a","id":"a/b"}"#, "id"),
        (#"{"type":"check_in","participant":"P-1","at":"2022-03-01","actor":"a","id":7}"#, "id"),
        (#"{"type":"check_in","participant":"P-1","at":"yesterday","actor":"a"}"#, "at"),
        (#"{"type":"check_in","participant":"P-1","at":"2022-03-01","actor":"a","data":[]}"#, "data"),
        (#"{"type":"check_in","participant":"P-1","at":"2022-03-01","actor":"a","data":null}"#, "data"),
    ])
    func namesField(_ line: String, _ expected: String) {
        #expect(field(of: line) == .some(expected))
    }

    @Test("length limits count code points and bytes as documented")
    func limits() {
        let long = String(repeating: "a", count: 33)
        #expect(field(of: #"{"type":"t","participant":"\#(long)","at":"2022-03-01","actor":"a"}"#) == .some("participant"))
        let id128 = String(repeating: "i", count: 128)
        #expect(field(of: #"{"id":"\#(id128)","type":"t","participant":"p","at":"2022-03-01","actor":"a"}"#) == .none)
        #expect(field(of: #"{"id":"\#(id128)i","type":"t","participant":"p","at":"2022-03-01","actor":"a"}"#) == .some("id"))
        let type64 = "t" + String(repeating: "_", count: 63)
        #expect(field(of: #"{"type":"\#(type64)","participant":"p","at":"2022-03-01","actor":"a"}"#) == .none)
        let note = String(repeating: "x", count: 4096 - 8)  // {"n":"…"} adds 8 bytes
        #expect(field(of: #"{"type":"t","participant":"p","at":"2022-03-01","actor":"a","data":{"n":"\#(note)"}}"#) == .none)
        #expect(field(of: #"{"type":"t","participant":"p","at":"2022-03-01","actor":"a","data":{"n":"\#(note)x"}}"#) == .some("data"))
    }

    @Test("malformed JSON and oversized lines are refused without a field")
    func wholeLine() {
        #expect(field(of: #"{"type":"t""#) == .some(nil))
        #expect(field(of: "[]") == .some(nil))
        let huge = #"{"type":"t","participant":"p","at":"2022-03-01","actor":"a","data":{"n":""# + String(repeating: "x", count: 70_000) + "\"}}"
        #expect(field(of: huge) == .some(nil))
    }
}
