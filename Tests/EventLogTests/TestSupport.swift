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

/// A small deterministic generator (SplitMix64): a seeded campaign is the same in every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next(below bound: Int) -> Int {
        precondition(bound > 0)
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
