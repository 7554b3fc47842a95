import Foundation
import Testing

/// The life-cycle events of issue 13: a transfer between towns, and the correction of a wrong
/// enrolment by voiding it.
@Suite("Life cycle: transfers and corrected enrolments")
struct LifeCycleTests {
    private func towns(_ store: TemporaryStore, _ arguments: [String]) throws -> [String: Int] {
        let report = try jsonObject(try store.recovery(["stats"] + arguments + ["--json"]).stdout)
        let towns = report["towns"] as? [String: [String: Any]] ?? [:]
        return towns.compactMapValues { ($0["registered"] as? Int).flatMap { $0 > 0 ? $0 : nil } }
    }

    @Test("a transfer moves the participant's town in statistics, alerts and the log's filter as of each date")
    func transfer() throws {
        let store = try TemporaryStore().initialised()
        func record(_ arguments: [String]) throws -> RecoveryBinary.Outcome {
            try store.recovery(["record"] + arguments + ["--actor", "sw-1"])
        }
        #expect(try record(["enrolled", "P-1", "--program", "community_detox", "--town", "encheng", "--employable", "yes", "--at", "2022-01-05 09:00"]).status == 0)
        #expect(try record(["check-in", "P-1", "--at", "2022-02-01 09:00"]).status == 0)
        let moved = try record(["transferred", "P-1", "--town", "横陂镇", "--at", "2022-06-01 09:00"])
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(try record(["check-in", "P-1", "--at", "2022-06-02 09:00"]).status == 0)

        // The figures as of each day count P-1 in the town of that day.
        #expect(try towns(store, ["--year", "2022", "--as-of", "2022-05-31"]) == ["encheng": 1])
        #expect(try towns(store, ["--year", "2022"]) == ["hengpi": 1])
        #expect(try towns(store, ["--year", "2022", "--town", "encheng"]) == [:])
        // The alerts name the town of their day.
        let may = try jsonObject(try store.recovery(["alerts", "--as-of", "2022-05-31", "--json"]).stdout)["alerts"] as? [[String: Any]]
        #expect(may?.first?["town"] as? String == "encheng")
        let august = try jsonObject(try store.recovery(["alerts", "--as-of", "2022-08-31", "--json"]).stdout)["alerts"] as? [[String: Any]]
        #expect(august?.first?["town"] as? String == "hengpi")
        // The log's --town takes the town of each event's time in the ledger.
        let before = try store.recovery(["log", "--town", "encheng", "--format", "csv"]).stdout.split(separator: "\n").dropFirst()
        let after = try store.recovery(["log", "--town", "hengpi", "--format", "csv"]).stdout.split(separator: "\n").dropFirst()
        #expect(before.count == 2 && after.count == 2, "\(before) \(after)")
        // A recorder of the old town is no longer the participant's; the projection agrees with a rebuild.
        #expect(try store.recovery(["rebuild", "--check"]).status == 0)
        #expect(try store.recovery(["record", "transferred", "P-1", "--town", "nowhere", "--actor", "sw-1"]).status == 65)
        #expect(try store.recovery(["record", "transferred", "P-404", "--town", "encheng", "--actor", "sw-1"]).status == 65)
    }

    @Test("a wrong enrolment is voided while nothing stands on it, then enrolled again; with later events it is refused (void.has_dependents)")
    func correctedEnrolment() throws {
        let store = try TemporaryStore().initialised()
        func record(_ arguments: [String]) throws -> RecoveryBinary.Outcome {
            try store.recovery(["record"] + arguments + ["--actor", "sw-1", "--json"])
        }
        #expect(try record(["enrolled", "P-1", "--program", "community_rehab", "--town", "encheng", "--employable", "no", "--at", "2022-01-05 09:00", "--id", "wrong"]).status == 0)
        #expect(try record(["check-in", "P-1", "--at", "2022-01-06 09:00", "--id", "c1"]).status == 0)
        let refused = try record(["voided", "P-1", "--event", "wrong", "--reason", "wrong measure"])
        let code = (try jsonObject(refused.stdout)["errors"] as? [[String: Any]])?.first?["code"] as? String
        #expect(refused.status == 65 && code == "void.has_dependents", "\(refused.stdout)")
        // Void what stands on it first; then the enrolment itself may go.
        #expect(try record(["voided", "P-1", "--event", "c1", "--reason", "recorded under the wrong measure"]).status == 0)
        #expect(try record(["voided", "P-1", "--event", "wrong", "--reason", "wrong measure"]).status == 0)
        #expect(try towns(store, ["--year", "2022"]) == [:], "a voided enrolment counts nowhere")
        #expect(try record(["enrolled", "P-1", "--program", "community_detox", "--town", "encheng", "--employable", "no", "--at", "2022-01-05 09:00"]).status == 0)
        let report = try jsonObject(try store.recovery(["stats", "--year", "2022", "--json"]).stdout)
        let city = try #require(report["city"] as? [String: Any])
        #expect((city["registered_by_program"] as? [String: Int]) == ["community_detox": 1, "community_rehab": 0])
        #expect(try store.recovery(["rebuild", "--check"]).status == 0)
        #expect(try store.recovery(["verify"]).status == 0)
    }
}
