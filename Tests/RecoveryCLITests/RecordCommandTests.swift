import EventLog
import Foundation
import Rehabilitation
import Testing

/// `recovery record`: typed data entry whose options come from the catalogue.
@Suite("record: data entry without JSON")
struct RecordCommandTests {
    @Test("every type's help lists exactly the catalogue's fields as options (money as yuan)")
    func helpFollowsTheCatalogue() throws {
        for type in EventType.acceptedTypes {
            let word = type.name.replacingOccurrences(of: "_", with: "-")
            let help = try RecoveryBinary.run(["record", word, "--help", "--lang", "en"])
            #expect(help.status == 0, "\(word): \(help.stderr)")
            for field in type.definition.fields {
                let option = field.name.hasSuffix("_fen") ? String(field.name.dropLast(4)) : field.name
                #expect(help.stdout.contains("--\(option.replacingOccurrences(of: "_", with: "-")) "), "\(word) lacks --\(option)")
            }
            let optionLines = help.stdout.split(separator: "\n").filter { $0.hasPrefix("  --") }
            #expect(optionLines.count == type.definition.fields.count + 6, "\(word): \(optionLines)")
        }
        let all = try RecoveryBinary.run(["record", "--help"])
        #expect(all.status == 0)
        for type in EventType.acceptedTypes { #expect(all.stdout.contains(type.name.replacingOccurrences(of: "_", with: "-"))) }
    }

    @Test("recorded events are what append stores: yuan to fen, Chinese town and choice names, a retry with the printed id is a duplicate")
    func recordsLikeAppend() throws {
        let store = try TemporaryStore().initialised()
        func record(_ arguments: [String]) throws -> RecoveryBinary.Outcome {
            try store.recovery(["record"] + arguments + ["--actor", "sw-encheng-01"])
        }
        let enrolled = try record(["enrolled", "P-000123", "--program", "community_detox", "--town", "恩城街道", "--employable", "yes", "--at", "2026-01-05 09:00"])
        #expect(enrolled.status == 0, "\(enrolled.stderr)")
        #expect(try record(["check-in", "P-000123", "--channel", "线上"]).status == 0)
        #expect(try record(["test-result", "P-000123", "--result", "negative", "--method", "urine"]).status == 0)
        let aid = try record(["aid-paid", "P-000123", "--kind", "temporary", "--amount", "1200.00", "--json"])
        #expect(aid.status == 0, "\(aid.stderr)")
        let aidReport = try jsonObject(aid.stdout)
        let aidID = try #require(aidReport["id"] as? String)
        // A fresh id is a UUIDv7: version 7, variant 10.
        #expect(aidID.wholeMatch(of: #/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/#) != nil, "\(aidID)")
        let retried = try record(["aid-paid", "P-000123", "--kind", "temporary", "--amount", "1200.00", "--id", aidID, "--json"])
        #expect(retried.status == 0)
        #expect(try jsonObject(retried.stdout)["duplicate"] as? Bool == true, "a retry with the printed id is the same event")
        #expect(try record(["points-adjusted", "P-000123", "--delta", "-5", "--reason", "late twice"]).status == 0)
        #expect(try record(["voided", "P-000123", "--event", aidID, "--reason", "paid twice"]).status == 0)

        let lines = try store.recovery(["log", "--format", "jsonl", "--participant", "P-000123"]).stdout.split(separator: "\n")
        let events = try lines.map { try jsonObject(String($0)) }
        let data = events.map { $0["data"] as? [String: Any] ?? [:] }
        #expect(events.map { $0["type"] as? String } == ["enrolled", "check_in", "test_result", "aid_paid", "points_adjusted", "voided"])
        #expect(data[0]["town"] as? String == "encheng" && data[0]["employable"] as? Bool == true)
        #expect(events[0]["at"] as? String == "2026-01-05T01:00:00.000Z", "a wall-clock time is the city's (UTC+8)")
        #expect(data[1]["channel"] as? String == "online")
        #expect(data[2]["result"] as? String == "negative" && data[2]["method"] as? String == "urine")
        #expect(data[3]["amount_fen"] as? Int == 120_000 && data[3]["kind"] as? String == "temporary")
        #expect(data[4]["delta"] as? Int == -5)

        // The same event through append is a duplicate of the recorded one: identical content.
        let check = try #require(events.first { $0["type"] as? String == "check_in" })
        let object = try JSONSerialization.data(withJSONObject: [
            "id": check["id"]!, "type": "check_in", "participant": "P-000123", "at": check["at"]!, "actor": "sw-encheng-01",
            "data": ["channel": "online"],
        ])
        let appended = try store.recovery(["append", "--json", "--event", String(decoding: object, as: UTF8.self)])
        let appendedDuplicate = try jsonObject(appended.stdout)["duplicate"] as? Bool
        #expect(appended.status == 0 && appendedDuplicate == true, "\(appended.stdout) \(appended.stderr)")
    }

    @Test("values the catalogue refuses get append's codes (65); the command line's own mistakes are usage (64)")
    func refusals() throws {
        let store = try TemporaryStore().initialised().enrolled(["P-000123"])
        func refusal(_ arguments: [String]) throws -> (status: Int32, field: String?, code: String?) {
            let outcome = try store.recovery(["record"] + arguments + ["--actor", "sw-1", "--json"])
            let error = (try? jsonObject(outcome.stdout))?["errors"].flatMap { ($0 as? [[String: Any]])?.first }
            return (outcome.status, error?["field"] as? String, error?["code"] as? String)
        }
        let amount = try refusal(["aid-paid", "P-000123", "--kind", "temporary", "--amount", "12.345"])
        #expect(amount.status == 65 && amount.field == "data.amount_fen" && amount.code == "data.type")
        let choice = try refusal(["test-result", "P-000123", "--result", "maybe"])
        #expect(choice.status == 65 && choice.field == "data.result" && choice.code == "data.not_a_choice")
        let missing = try refusal(["test-result", "P-000123"])
        #expect(missing.status == 65 && missing.field == "data.result" && missing.code == "data.missing")
        let town = try refusal(["enrolled", "P-000999", "--program", "community_detox", "--town", "火星", "--employable", "no"])
        #expect(town.status == 65 && town.code == "data.unknown_town")
        let unregistered = try refusal(["check-in", "P-000777"])
        #expect(unregistered.status == 65 && unregistered.code != nil)
        // A given id that reads as a mobile number is refused, never swapped for another (a
        // fresh id that happens to read so is redrawn: about one in 400 did, in CI).
        let phone = try refusal(["check-in", "P-000123", "--id", "138-1234-5678"])
        #expect(phone.status == 65 && phone.code == "privacy.identifier" && phone.field == "id")
        let when = try refusal(["check-in", "P-000123", "--at", "yesterday"])
        #expect(when.status == 65 && when.field == "at")

        for arguments in [["check-in", "P-000123", "--method", "urine"], ["no-such-type", "P-000123"], ["check-in"],
                          ["check-in", "P-000123", "--channel"], ["check-in", "P-000123", "--channel", "online", "--channel", "online"],
                          ["rules-adopted", "_rules"]] {
            let outcome = try store.recovery(["record"] + arguments)
            #expect(outcome.status == 64 && outcome.stderr.hasPrefix("recovery: "), "\(arguments): \(outcome.status) \(outcome.stderr)")
        }
        #expect(try store.headSeq() == 2, "nothing refused was appended")
    }
}
