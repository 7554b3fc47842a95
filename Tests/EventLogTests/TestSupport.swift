import EventLog
import Foundation

/// A fresh, not yet existing ledger folder per test (tests run in parallel in one process).
func newLedgerFolder() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("eventlog-test-\(UUID().uuidString)").path
}

/// A small valid event for tests.
func event(_ id: String?, participant: String = "P-1", type: String = "check_in", at: Int64 = 1_646_098_200_000,
           data: JSONValue = .object([:])) -> NewEvent {
    NewEvent(id: id, type: type, stream: participant, at: at, actor: "sw-test-01", data: data)
}
