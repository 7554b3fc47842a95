import Foundation
import Rehabilitation
import EventLog
import Testing

/// Every refusal code is produced by the binary, and read from its JSON refusal document:
/// tests assert codes, not prose. A code added to `RefusalCode.allEntries` without a case
/// here fails `everyCodeHasACase`.
@Suite("Refusal codes through the binary")
struct RefusalCodeTests {
    /// One line of input (for `import`) that the prepared store refuses with each code; the
    /// `version.conflict` case is an `append --expect-version`.
    static let cases: [String: String] = {
        func event(_ type: String, _ participant: String = "P-1", at: String = "2022-06-01T10:00:00+08:00", id: String? = nil,
                   data: String = "{}", actor: String = "sw-encheng-01") -> String {
            let idPart = id.map { #""id":"\#($0)","# } ?? ""
            return #"{\#(idPart)"type":"\#(type)","participant":"\#(participant)","at":"\#(at)","actor":"\#(actor)","data":\#(data)}"#
        }
        let enrolData = #"{"program":"community_detox","town":"encheng","employable":true}"#
        return [
            "json.syntax": "{",
            "line.too_long": "{\"type\":\"" + String(repeating: "a", count: 70_000) + "\"}",
            "envelope.unknown_field": #"{"type":"check_in","participant":"P-1","at":"2022-06-01","actor":"a","colour":"red"}"#,
            "envelope.missing": #"{"type":"check_in","participant":"P-1","at":"2022-06-01"}"#,
            "envelope.type": #"{"type":5,"participant":"P-1","at":"2022-06-01","actor":"a"}"#,
            "envelope.invalid": event("check_in", "P_1"),
            "at.invalid": event("check_in", at: "yesterday"),
            "data.too_large": event("check_in", data: "{\"note\":\"" + String(repeating: "x", count: 5000) + "\"}"),
            "type.unknown": event("intake"),
            "data.missing": event("test_result"),
            "data.type": event("enrolled", "P-9", data: #"{"program":"community_detox","town":"encheng","employable":"yes"}"#),
            "data.length": event("education_completed", data: #"{"course":""}"#),
            "data.out_of_range": event("points_adjusted", data: #"{"delta":0,"reason":"r"}"#),
            "data.not_a_choice": event("test_result", data: #"{"result":"unclear"}"#),
            "data.unknown_town": event("enrolled", "P-9", data: #"{"program":"community_detox","town":"guangzhou","employable":true}"#),
            "data.unknown_field": event("check_in", data: #"{"note":"x"}"#),
            "privacy.identifier": event("job_ended", "P-3", data: #"{"reason":"call 138 1234 5678"}"#),
            "at.future": event("check_in", at: "2099-01-01T00:00:00Z"),
            "at.before_enrolment": event("check_in", at: "2021-06-01T10:00:00+08:00"),
            "at.before_measure_end": event("enrolled", "P-4", at: "2022-02-01T10:00:00+08:00", data: enrolData),
            "at.before_placement": event("job_ended", "P-3", at: "2022-01-15T10:00:00+08:00", data: #"{"reason":"r"}"#),
            "participant.not_registered": event("check_in", "P-9"),
            "participant.already_under_measure": event("enrolled", data: enrolData),
            "participant.not_under_measure": event("measure_ended", "P-4", data: #"{"reason":"completed"}"#),
            "participant.already_employed": event("job_placed", "P-3", data: #"{"kind":"enterprise","employer":"e"}"#),
            "participant.not_employed": event("job_ended", data: #"{"reason":"r"}"#),
            "points.insufficient": event("points_redeemed", data: #"{"points":100000,"item":"rice"}"#),
            "void.unknown_target": event("voided", data: #"{"event":"nope","reason":"r"}"#),
            "void.other_participant": event("voided", "P-3", data: #"{"event":"c1","reason":"r"}"#),
            "void.not_voidable": event("voided", "P-3", data: #"{"event":"j3","reason":"r"}"#),
            "void.has_dependents": event("voided", data: #"{"event":"e1","reason":"r"}"#),
            "void.already_voided": event("voided", data: #"{"event":"c2","reason":"r"}"#),
            "id.conflict": event("check_in", id: "c1", data: #"{"channel":"online"}"#),
            "version.conflict": event("check_in", id: "fresh-1"),
        ]
    }()

    /// The prepared history: P-1 enrolled (e1) with check-ins c1 and c2 (c2 voided by v1);
    /// P-3 enrolled and placed in a job on 2022-02-01; P-4 enrolled, measure ended 2022-03-01.
    static func preparedStore() throws -> TemporaryStore {
        let store = try TemporaryStore().initialised()
        func event(_ type: String, _ participant: String, _ at: String, id: String? = nil, data: String) -> String {
            eventLine(id: id, participant: participant, type: type, at: at, data: data)
        }
        let enrolData = #"{"program":"community_detox","town":"encheng","employable":true}"#
        let lines = [
            event("enrolled", "P-1", "2022-01-01T10:00:00+08:00", id: "e1", data: enrolData),
            event("check_in", "P-1", "2022-01-02T10:00:00+08:00", id: "c1", data: "{}"),
            event("check_in", "P-1", "2022-01-03T10:00:00+08:00", id: "c2", data: "{}"),
            event("voided", "P-1", "2022-01-04T10:00:00+08:00", id: "v1", data: #"{"event":"c2","reason":"r"}"#),
            event("enrolled", "P-3", "2022-01-01T10:00:00+08:00", data: enrolData),
            event("job_placed", "P-3", "2022-02-01T10:00:00+08:00", id: "j3", data: #"{"kind":"enterprise","employer":"e"}"#),
            event("enrolled", "P-4", "2022-01-01T10:00:00+08:00", data: enrolData),
            event("measure_ended", "P-4", "2022-03-01T10:00:00+08:00", data: #"{"reason":"completed"}"#),
        ]
        let outcome = try store.recovery(["import", try store.jsonLines("history.jsonl", lines)])
        guard outcome.status == 0 else { throw CLITestFailure("history: \(outcome.stderr)") }
        return store
    }

    /// Codes only the server's routes produce (an event's actor, a rules document, a grant):
    /// `ServerBehaviourTests.serverRefusalCodes` produces each of them.
    static let serverCodes: Set<String> = ["actor.mismatch", "rules.invalid", "access.identity", "access.towns"]

    @Test("every code of RefusalCode.allEntries has a case here or in the server's tests")
    func everyCodeHasACase() {
        #expect(Set(Self.cases.keys).union(Self.serverCodes) == Set(RefusalCode.allEntries.map(\.code.rawValue)))
        #expect(Set(Self.cases.keys).isDisjoint(with: Self.serverCodes))
    }

    @Test("each refused input reports its code in the JSON refusal document, exit 65, nothing appended")
    func codesThroughTheBinary() throws {
        let store = try Self.preparedStore()
        let head = try store.headSeq()
        for (code, input) in Self.cases.sorted(by: { $0.key < $1.key }) {
            let outcome = code == "version.conflict"
                ? try store.recovery(["append", "--json", "--expect-version", "99"], stdin: input)
                : try store.recovery(["import", "--json", try store.jsonLines("\(code).jsonl", [input])])
            #expect(outcome.status == 65, "\(code): exit \(outcome.status) \(outcome.stderr)")
            let document = try jsonObject(outcome.stdout)
            #expect(document["error"] as? String == "rejected", "\(code): \(outcome.stdout)")
            #expect(document["total"] as? Int == 1, "\(code)")
            let errors = try #require(document["errors"] as? [[String: Any]], "\(code)")
            #expect(errors.first?["code"] as? String == code, "\(code): \(outcome.stdout)")
            #expect(errors.first?["reason"] is String && errors.first?.keys.contains("field") == true)
            if code != "version.conflict" { #expect(errors.first?["line"] as? Int == 1, "\(code)") }
            else { #expect(errors.first?["line"] is NSNull, "\(code)") }
            #expect(outcome.stderr.hasPrefix("recovery: "), "\(code): the human line still goes to standard error")
        }
        #expect(try store.headSeq() == head)
    }

    @Test("append --json refuses a line that is not JSON with the document too")
    func appendParseRefusal() throws {
        let store = try TemporaryStore().initialised()
        let outcome = try store.recovery(["append", "--json", "--event", "{"])
        #expect(outcome.status == 65)
        let errors = try #require(try jsonObject(outcome.stdout)["errors"] as? [[String: Any]])
        #expect(errors.first?["code"] as? String == "json.syntax")
        #expect(errors.first?["line"] is NSNull)
    }

    @Test("import --json counts every refusal but lists the first 20")
    func manyRefusals() throws {
        let store = try TemporaryStore().initialised()
        let lines = (0 ..< 25).map { eventLine(id: "x\($0)", participant: "P-\($0)") }
        let outcome = try store.recovery(["import", "--json", try store.jsonLines("many.jsonl", lines)])
        #expect(outcome.status == 65)
        let document = try jsonObject(outcome.stdout)
        #expect(document["total"] as? Int == 25)
        let errors = try #require(document["errors"] as? [[String: Any]])
        #expect(errors.count == 20)
        #expect(errors.allSatisfy { $0["code"] as? String == "participant.not_registered" })
        #expect(errors.map { $0["line"] as? Int } == (1 ... 20).map { $0 })
    }
}
