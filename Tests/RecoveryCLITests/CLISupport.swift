import Foundation
@_exported import TestSupport

/// Shorthands over `RecoveryBinary` for the CLI contract tests.
extension TemporaryStore {
    /// Runs `recovery` with `--store` pointing at this store.
    func recovery(_ arguments: [String], stdin: String? = nil) throws -> RecoveryBinary.Outcome {
        try RecoveryBinary.run(arguments + ["--store", store], stdin: stdin.map { Array($0.utf8) })
    }

    /// A new ledger in this folder.
    func initialised() throws -> TemporaryStore {
        let outcome = try recovery(["init"])
        guard outcome.status == 0 else { throw CLITestFailure("init failed: \(outcome.stderr)") }
        return self
    }

    /// Enrols each participant (community detox in Encheng), so later events are accepted.
    func enrolled(_ participants: [String] = ["P-000123"]) throws -> TemporaryStore {
        let file = try jsonLines("enrolments-\(UUID().uuidString).jsonl", participants.map(enrolmentLine))
        let outcome = try recovery(["import", file])
        guard outcome.status == 0 else { throw CLITestFailure("enrolment failed: \(outcome.stderr)") }
        return self
    }

    /// The head seq, read through `verify --json` (which must pass).
    func headSeq() throws -> Int {
        let outcome = try recovery(["verify", "--json"])
        guard outcome.status == 0 else { throw CLITestFailure("verify failed: \(outcome.stdout) \(outcome.stderr)") }
        let report = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        return report?["head_seq"] as? Int ?? -1
    }

    /// Writes `lines` as a JSON Lines file in this folder.
    func jsonLines(_ name: String, _ lines: [String]) throws -> String {
        let url = file(name)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return url.path
    }
}

struct CLITestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A valid event line for tests.
func eventLine(id: String?, participant: String = "P-000123", type: String = "check_in",
               at: String = "2022-03-01T09:30:00+08:00", data: String = "{}") -> String {
    let idPart = id.map { #""id":"\#($0)","# } ?? ""
    return #"{\#(idPart)"type":"\#(type)","participant":"\#(participant)","at":"\#(at)","actor":"sw-encheng-01","data":\#(data)}"#
}

/// The enrolment of `participant`, with an id derived from it (so repeating it is a duplicate).
func enrolmentLine(_ participant: String) -> String {
    eventLine(id: "enrol-\(participant)", participant: participant, type: "enrolled", at: "2022-01-05T09:00:00+08:00",
              data: #"{"program":"community_detox","town":"encheng","employable":true}"#)
}

/// Decodes a JSON object printed by the CLI.
func jsonObject(_ text: String) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        throw CLITestFailure("not a JSON object: \(text)")
    }
    return object
}
