import EventLog
import Rehabilitation
import Testing

@Suite("Event catalogue")
struct CatalogueTests {
    let catalogue = EventCatalogue(city: .enping)

    private func field(_ type: String, _ data: String) throws -> String?? {
        switch catalogue.effect(type: type, data: try JSONParser.parse(Array(data.utf8))) {
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

@Suite("Stored-record reader")
struct StoredRecordReaderTests {
    @Test("every stored event gets the effect the catalogue gives its data, for every choice and town")
    func agreesWithTheCatalogue() throws {
        let city = City(name: "Test", towns: City.enping.towns + [Town(id: "a-town-id-longer-than-fifteen", name: "长")])
        let ledger = try makeLedger(city: city)
        var lines: [String] = []
        for (number, town) in city.towns.enumerated() {
            lines.append(enrol("T-\(number)", program: number % 2 == 0 ? "community_detox" : "community_rehab",
                               town: town.id, employable: number % 3 == 0))
        }
        lines += [
            line("check_in", at: "2022-01-02", id: "c1"), line("check_in", at: "2022-01-02", data: #"{"channel":"online"}"#),
            line("test_result", at: "2022-01-02", data: #"{"result":"negative"}"#),
            line("test_result", at: "2022-01-02", data: #"{"result":"positive"}"#),
            line("test_result", at: "2022-01-02", data: #"{"result":"refused"}"#),
            line("training_attended", at: "2022-01-02", data: #"{"kind":"vocational"}"#),
            line("training_attended", at: "2022-01-02", data: #"{"kind":"agricultural"}"#),
            line("education_completed", at: "2022-01-02", data: #"{"course":"禁毒知识"}"#),
            line("points_adjusted", at: "2022-01-02", data: #"{"delta":-7,"reason":"r"}"#),
            line("points_adjusted", at: "2022-01-02", data: #"{"delta":900,"reason":"r"}"#),
            line("points_redeemed", at: "2022-01-02", data: #"{"points":12,"item":"rice"}"#),
            line("aid_paid", at: "2022-01-02", data: #"{"kind":"subsistence","amount_fen":12345}"#),
            line("aid_paid", at: "2022-01-02", data: #"{"kind":"temporary","amount_fen":1000000000}"#),
            line("employer_subsidy_paid", at: "2022-01-02", data: #"{"employer":"e","amount_fen":50000}"#),
            line("insurance_enrolled", at: "2022-01-02", data: #"{"kind":"social"}"#),
            line("insurance_enrolled", at: "2022-01-02", data: #"{"kind":"medical"}"#),
            line("job_placed", at: "2022-01-03", data: #"{"kind":"enterprise","employer":"e"}"#),
            line("job_ended", at: "2022-01-04", data: #"{"reason":"r"}"#),
            line("job_placed", at: "2022-01-05", data: #"{"kind":"self_employment","employer":"self"}"#),
            line("job_ended", at: "2022-01-06", data: #"{"reason":"r"}"#),
            line("job_placed", at: "2022-01-07", data: #"{"kind":"public_welfare","employer":"e"}"#),
            line("voided", at: "2022-01-08", data: #"{"event":"c1","reason":"r"}"#),
            line("transferred", at: "2022-01-08", data: #"{"town":"hengpi"}"#),
            line("measure_ended", at: "2022-01-09", data: #"{"reason":"compulsory_isolation"}"#),
            line("measure_ended", "T-1", at: "2022-01-09", data: #"{"reason":"completed"}"#),
            line("deregistered", "T-2", at: "2022-01-09", data: #"{"reason":"moved_away"}"#),
        ]
        lines[0] = enrol("P-1", town: "encheng")
        #expect(try ledger.submit(lines).isEmpty)
        let reader = StoredEventReader(city: city)
        var compared = 0
        var types: Set<String> = []
        try ledger.log.scanLayouts { value, layout in
            let event = try layout.event(in: value)
            guard event.participant != Ledger.rulesStream else { return true }
            guard case .success(let effect) = ledger.catalogue.effect(type: event.type, data: event.data) else {
                Issue.record("the catalogue refuses stored event \(event.seq)")
                return true
            }
            #expect(try reader.effect(of: layout, in: value) == effect, "seq \(event.seq): \(event.type)")
            compared += 1
            types.insert(event.type)
            return true
        }
        #expect(compared == lines.count)
        #expect(types == Set(EventType.acceptedNames))
        #expect(try ledger.checkProjections().consistent)
    }
}
