import Foundation
import LMDB
import Testing

@Suite("CLI contract: balance, audit, rebuild, rules, city")
struct DomainCommandTests {
    @Test("init adopts the built-in rules as its one event, by actor system, in the _rules stream")
    func initAdoptsRules() throws {
        let temporary = try TemporaryStore().initialised()
        let log = try temporary.recovery(["log", "--format", "jsonl"]).stdout
        let event = try jsonObject(log)
        #expect(event["type"] as? String == "rules_adopted" && event["participant"] as? String == "_rules")
        #expect(event["actor"] as? String == "system")
        let shown = try temporary.recovery(["rules", "show"]).stdout
        #expect(shown.contains("check_in_monthly_cap = 4") && shown.contains("name = \"2021\""))
        let json = try jsonObject(try temporary.recovery(["rules", "show", "--format", "json"]).stdout)
        #expect((json["versions"] as? [[String: Any]])?.first?["check_in"] as? Int == 2)
    }

    @Test("balance: from the projection; an unknown participant is 65")
    func balance() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        _ = try temporary.recovery(["append", "--event", eventLine(id: "c1")])
        let report = try jsonObject(try temporary.recovery(["balance", "P-000123", "--json"]).stdout)
        #expect(report["balance"] as? Int == 2 && report["head_seq"] as? Int == 3 && report["participant"] as? String == "P-000123")
        let unknown = try temporary.recovery(["balance", "P-404"])
        #expect(unknown.status == 65 && unknown.stderr.contains("P-404"))
        #expect(try temporary.recovery(["audit", "P-404"]).status == 65)
    }

    @Test("import and append refuse the _rules stream and rules_adopted events")
    func systemStreamIsClosed() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        let stream = try temporary.recovery(["append", "--event", eventLine(id: "x", participant: "_rules")])
        #expect(stream.status == 65 && stream.stderr.contains("participant"))
        let type = try temporary.recovery(["append", "--event", eventLine(id: "y", type: "rules_adopted", data: #"{"document":"x"}"#)])
        #expect(type.status == 65 && type.stderr.contains("type"))
    }

    @Test("domain refusals in an import name line and field, and nothing lands")
    func domainRefusals() throws {
        let temporary = try TemporaryStore().initialised()
        let file = try temporary.jsonLines("e.jsonl", [
            enrolmentLine("P-1"),
            eventLine(id: "a", participant: "P-1"),
            eventLine(id: "b", participant: "P-2"),
            eventLine(id: "c", participant: "P-1", type: "education_completed", data: #"{"course":"ID 44078119900101123X"}"#),
            eventLine(id: "d", participant: "P-1", type: "points_redeemed", data: #"{"points":50,"item":"oil"}"#),
            eventLine(id: "e", participant: "P-1", type: "enrolled", data: #"{"program":"community_detox","town":"beijing","employable":true}"#),
        ])
        let outcome = try temporary.recovery(["import", file])
        #expect(outcome.status == 65)
        let errors = outcome.stderr.split(separator: "\n").map(String.init)
        #expect(errors.count == 4)
        #expect(errors[0].hasPrefix("recovery: line 3: participant:"))
        #expect(errors[1].hasPrefix("recovery: line 4: data.course:") && errors[1].contains("identity"))
        #expect(errors[2].hasPrefix("recovery: line 5: data.points:"))
        #expect(errors[3].hasPrefix("recovery: line 6: data.town:"))
        #expect(try temporary.headSeq() == 1)
    }

    @Test("a damaged projection: audit and rebuild --check exit 1; rebuild repairs it and drops states the log does not know")
    func projectionDamage() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        _ = try temporary.recovery(["append", "--event", eventLine(id: "c1")])
        let environment = try Environment.open(path: temporary.store)
        let participants = try environment.openExistingDatabases(["participants"])[0]
        try environment.write { transaction in
            var state = try #require(try transaction.bytes(in: participants, forKey: Array("P-000123".utf8)))
            state[1] = 0x7E  // the zigzag balance: 2 becomes 63
            // Sealed again (docs/format.md §9), so the state reads as a well-formed wrong one.
            state = resealed(state)
            try transaction.put(state, forKey: Array("P-000123".utf8), in: participants)
            try transaction.put(state, forKey: Array("P-GHOST".utf8), in: participants)
        }
        let audit = try temporary.recovery(["audit", "P-000123", "--json"])
        #expect(audit.status == 1)
        let report = try jsonObject(audit.stdout)
        #expect(report["consistent"] as? Bool == false && report["balance"] as? Int == 2 && report["projection_balance"] as? Int == 63)
        let check = try temporary.recovery(["rebuild", "--check", "--json"])
        #expect(check.status == 1 && check.stdout.contains("\"participant\":\"P-000123\"") && check.stdout.contains("\"participant\":\"P-GHOST\""))
        let rebuilt = try jsonObject(try temporary.recovery(["rebuild", "--json"]).stdout)
        #expect(rebuilt["events"] as? Int == 3 && rebuilt["participants"] as? Int == 1)
        #expect(try temporary.recovery(["audit", "P-000123"]).status == 0)
        #expect(try temporary.recovery(["rebuild", "--check"]).status == 0)
        let ghost = try Environment.open(path: temporary.store).read { transaction in
            try transaction.bytes(in: participants, forKey: Array("P-GHOST".utf8))
        }
        #expect(ghost == nil, "rebuild removes states of participants the log does not know")
    }

    @Test("a projection byte damaged under its seal: balance, audit and stats stop with 70 and say to rebuild; verify fails; rebuild repairs")
    func unsealedProjectionDamage() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        _ = try temporary.recovery(["append", "--event", eventLine(id: "c1")])
        do {
            let environment = try Environment.open(path: temporary.store)
            let participants = try environment.openExistingDatabases(["participants"])[0]
            try environment.write { transaction in
                var state = try #require(try transaction.bytes(in: participants, forKey: Array("P-000123".utf8)))
                state[1] ^= 0x40
                try transaction.put(state, forKey: Array("P-000123".utf8), in: participants)
            }
        }
        for command in [["balance", "P-000123"], ["audit", "P-000123"], ["stats", "--year", "2022", "--json"], ["alerts"]] {
            let outcome = try temporary.recovery(command)
            #expect(outcome.status == 70, "\(command[0]): \(outcome.stdout)")
            #expect(outcome.stderr.contains("recovery rebuild"), "\(command[0]): \(outcome.stderr)")
            #expect(outcome.stdout.isEmpty, "\(command[0]) printed a figure from a damaged projection")
        }
        let verify = try temporary.recovery(["verify"])
        #expect(verify.status == 1 && verify.stdout.contains("seal"))
        #expect(try temporary.recovery(["rebuild"]).status == 0)
        #expect(try temporary.recovery(["balance", "P-000123"]).status == 0)
        #expect(try temporary.recovery(["verify"]).status == 0)
    }

    @Test("a projection state lost (its key damaged): balance says damage (70), not an unknown participant")
    func lostProjectionState() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        do {
            let environment = try Environment.open(path: temporary.store)
            let participants = try environment.openExistingDatabases(["participants"])[0]
            try environment.write { transaction in
                let state = try #require(try transaction.bytes(in: participants, forKey: Array("P-000123".utf8)))
                try transaction.removeValue(forKey: Array("P-000123".utf8), in: participants)
                try transaction.put(state, forKey: Array("P-000124".utf8), in: participants)
            }
        }
        let balance = try temporary.recovery(["balance", "P-000123"])
        #expect(balance.status == 70 && balance.stderr.contains("recovery rebuild"), "\(balance.stderr)")
        let ghost = try temporary.recovery(["audit", "P-000124"])
        #expect(ghost.status == 70, "\(ghost.stderr)")
        #expect(try temporary.recovery(["verify"]).status == 1)
    }

    @Test("rules adopt: a malformed document is 65 with its line; a good one is an event and re-prices")
    func adoptRules() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        _ = try temporary.recovery(["append", "--event", eventLine(id: "c1")])
        let bad = temporary.file("bad.toml")
        try Data("[[version]]\nname = \"x\"\neffective_from = 2021-13-01\n".utf8).write(to: bad)
        let refused = try temporary.recovery(["rules", "adopt", bad.path, "--actor", "office"])
        #expect(refused.status == 65 && refused.stderr.contains("line 3"))
        let shown = try temporary.recovery(["rules", "show"]).stdout
        let good = temporary.file("good.toml")
        try Data(shown.replacingOccurrences(of: "check_in = 2 ", with: "check_in = 6 ").utf8).write(to: good)
        let diff = try temporary.recovery(["rules", "diff", good.path, "--json"]).stdout
        #expect(diff == "{\"changed\":[{\"participant\":\"P-000123\",\"before\":2,\"after\":6,\"negative\":false}],\"unchanged\":0,"
            + "\"events\":[{\"participant\":\"P-000123\",\"seq\":3,\"at\":\"2022-03-01T01:30:00.000Z\",\"type\":\"check_in\",\"before\":2,\"after\":6}],\"events_total\":1}\n")
        #expect(try temporary.headSeq() == 3)
        // Its version took effect in 2021: adopting it re-prices the past, which must be said.
        let unsaid = try temporary.recovery(["rules", "adopt", good.path, "--actor", "office", "--json"])
        #expect(unsaid.status == 64 && unsaid.stderr.contains("takes effect before today") && unsaid.stderr.contains("1 events"))
        #expect(try temporary.headSeq() == 3, "nothing was adopted")
        #expect(try temporary.recovery(["rules", "adopt", good.path, "--actor", "office", "--retroactive", "--reason", "a corrected rate", "--json"]).stdout == diff)
        let adoption = try jsonObject(try temporary.recovery(["rules", "show", "--format", "json"]).stdout)["adoption"] as? [String: Any]
        #expect(adoption?["reason"] as? String == "a corrected rate" && adoption?["actor"] as? String == "office")
        #expect(try temporary.headSeq() == 4)
        #expect(try jsonObject(try temporary.recovery(["balance", "P-000123", "--json"]).stdout)["balance"] as? Int == 6)
        #expect(try temporary.recovery(["rules", "adopt", good.path, "--actor", "bad actor"]).status == 64)
    }

    @Test("init --city: the ledger serves that city's towns; a bad city file is 65")
    func customCity() throws {
        let temporary = try TemporaryStore()
        let city = temporary.file("city.toml")
        try Data("name = \"Kaiping\"\n\n[[town]]\nid = \"chikan\"\nname = \"赤坎镇\"\n".utf8).write(to: city)
        let created = try RecoveryBinary.run(["init", "--store", temporary.store, "--city", city.path])
        #expect(created.status == 0 && created.stdout.contains("Kaiping"))
        #expect(try temporary.recovery(["append", "--event", enrolmentLine("P-1")]).status == 65)
        let chikan = eventLine(id: "e", participant: "P-1", type: "enrolled", data: #"{"program":"community_detox","town":"chikan","employable":true}"#)
        #expect(try temporary.recovery(["append", "--event", chikan]).status == 0)
        let broken = temporary.file("broken.toml")
        try Data("name = \"X\"\n[[town]]\nid = \"Bad Id\"\nname = \"x\"\n".utf8).write(to: broken)
        let other = try TemporaryStore()
        let refused = try RecoveryBinary.run(["init", "--store", other.store, "--city", broken.path])
        #expect(refused.status == 65 && refused.stderr.contains("line 3"))
    }
}

/// A participant state with its seal recomputed after a test changed it (docs/format.md §9:
/// FNV-1a, 64 bits, little-endian, over the state's bytes).
func resealed(_ sealed: [UInt8]) -> [UInt8] {
    var state = Array(sealed.dropLast(8))
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in state { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    for shift in stride(from: 0, to: 64, by: 8) { state.append(UInt8(truncatingIfNeeded: hash >> UInt64(shift))) }
    return state
}
