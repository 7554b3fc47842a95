import EventLog
import Rehabilitation
import Testing

@Suite("Event catalogue")
struct CatalogueTests {
    let catalogue = EventCatalogue(city: .enping)

    private func field(_ type: String, _ data: String) throws -> String?? {
        switch catalogue.kind(type: type, data: try JSONParser.parse(Array(data.utf8))) {
        case .success: return .none
        case .failure(let error): return .some(error.field)
        }
    }

    @Test("every type accepts its documented data", arguments: [
        ("enrolled", #"{"program":"community_rehab","town":"dongcheng","employable":false}"#),
        ("measure_ended", #"{"reason":"compulsory_isolation"}"#),
        ("deregistered", #"{"reason":"deceased"}"#),
        ("check_in", #"{}"#), ("check_in", #"{"channel":"online"}"#),
        ("test_result", #"{"result":"refused"}"#),
        ("training_attended", #"{"kind":"agricultural"}"#),
        ("education_completed", #"{"course":"禁毒知识"}"#),
        ("points_adjusted", #"{"delta":-1000,"reason":"r"}"#),
        ("points_redeemed", #"{"points":100000,"item":"oil"}"#),
        ("aid_paid", #"{"kind":"temporary","amount_fen":1000000000}"#),
        ("job_placed", #"{"kind":"public_welfare","employer":"e"}"#),
        ("job_ended", #"{"reason":"r"}"#),
        ("employer_subsidy_paid", #"{"employer":"e","amount_fen":1}"#),
        ("insurance_enrolled", #"{"kind":"social"}"#),
        ("voided", #"{"event":"x","reason":"r"}"#),
    ])
    func accepts(_ type: String, _ data: String) throws {
        #expect(try field(type, data) == .none)
    }

    @Test("each violation names its field", arguments: [
        ("intake", #"{}"#, "type"),
        ("rules_adopted", #"{"document":""}"#, "type"),
        ("enrolled", #"{"program":"detox","town":"encheng","employable":true}"#, "data.program"),
        ("enrolled", #"{"program":"community_detox","town":"guangzhou","employable":true}"#, "data.town"),
        ("enrolled", #"{"program":"community_detox","town":"encheng","employable":"yes"}"#, "data.employable"),
        ("enrolled", #"{"program":"community_detox","town":"encheng"}"#, "data.employable"),
        ("check_in", #"{"channel":"phone"}"#, "data.channel"),
        ("check_in", #"{"note":"x"}"#, "data.note"),
        ("test_result", #"{"result":"unclear"}"#, "data.result"),
        ("education_completed", #"{"course":""}"#, "data.course"),
        ("points_adjusted", #"{"delta":0,"reason":"r"}"#, "data.delta"),
        ("points_adjusted", #"{"delta":1001,"reason":"r"}"#, "data.delta"),
        ("points_adjusted", #"{"delta":1.5,"reason":"r"}"#, "data.delta"),
        ("points_redeemed", #"{"points":0,"item":"rice"}"#, "data.points"),
        ("aid_paid", #"{"kind":"subsistence","amount_fen":0}"#, "data.amount_fen"),
        ("aid_paid", #"{"kind":"subsistence","amount_fen":1000000001}"#, "data.amount_fen"),
        ("job_placed", #"{"kind":"farm","employer":"e"}"#, "data.kind"),
        ("voided", #"{"event":"x"}"#, "data.reason"),
    ])
    func refuses(_ type: String, _ data: String, _ expected: String) throws {
        #expect(try field(type, data) == .some(expected))
    }

    @Test("strings are limited to 200 code points, not bytes")
    func stringLength() throws {
        let chinese = String(repeating: "学", count: 200)
        #expect(try field("education_completed", #"{"course":"\#(chinese)"}"#) == .none)
        #expect(try field("education_completed", #"{"course":"\#(chinese)学"}"#) == .some("data.course"))
    }
}

@Suite("Privacy screen")
struct PrivacyScreenTests {
    private func refused(_ text: String, in field: String = "data") -> Bool {
        var event = NewEvent(id: "e", type: "education_completed", participant: "P-1", at: 0, actor: "a",
                             data: .object(["course": .string("c")]))
        switch field {
        case "actor": event.actor = text
        default: event.data = .object(["course": .string(text), "nested": .array([.string("fine")])])
        }
        return PrivacyScreen.check(event) != nil
    }

    @Test("identity numbers and mobile numbers are refused anywhere", arguments: [
        "44078119900101123X", "ID 440781199001011234 given", "id:44078119900101123x.", "13812345678", "tel 19912345678",
        "call13812345678now",
    ])
    func refusesIdentifiers(_ text: String) {
        #expect(refused(text))
    }

    @Test("other digit runs pass", arguments: [
        "4407811990010112345", "138123456789", "12812345678", "1381234567", "P-000123", "2022-03-01", "44078119900101123X5",
    ])
    func passesOthers(_ text: String) {
        #expect(!refused(text))
    }

    @Test("the actor is screened too")
    func actor() {
        #expect(refused("sw-13812345678", in: "actor"))
    }
}
