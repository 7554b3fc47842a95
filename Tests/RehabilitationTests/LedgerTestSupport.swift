import EventLog
import Foundation
import Rehabilitation

/// A fresh ledger in its own folder, with the clock fixed at 2023-06-01 (Asia/Shanghai).
func makeLedger(city: City = .enping) throws -> Ledger {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-test-\(UUID().uuidString)").path
    return try Ledger.create(at: folder, city: city, clock: { 1_685_548_800_000 })
}

extension Ledger {
    /// Submits JSON event lines as one batch; returns the refusals (empty when all landed).
    @discardableResult
    func submit(_ lines: [String]) throws -> [InputError] {
        do {
            _ = try submitBatch { batch in
                for (index, line) in lines.enumerated() {
                    switch EventInputParser.parse(line) {
                    case .success(let event): try batch.submit(event, line: index + 1)
                    case .failure(let error): batch.reject(error.at(line: index + 1))
                    }
                }
            }
            return []
        } catch LogError.rejected(let errors, _) {
            return errors
        }
    }

    /// The projection's balance of a participant (0 when unknown).
    func points(_ participant: String) throws -> Int64 {
        try balance(of: participant)?.balance ?? 0
    }
}

/// One event line.
func line(_ type: String, _ participant: String = "P-1", at: String = "2022-03-01T10:00:00+08:00",
          id: String? = nil, data: String = "{}") -> String {
    let idPart = id.map { #""id":"\#($0)","# } ?? ""
    return #"{\#(idPart)"type":"\#(type)","participant":"\#(participant)","at":"\#(at)","actor":"sw-test","data":\#(data)}"#
}

/// An enrolment line.
func enrol(_ participant: String = "P-1", at: String = "2022-01-01", program: String = "community_detox",
           town: String = "encheng", employable: Bool = true, id: String? = nil) -> String {
    line("enrolled", participant, at: at, id: id,
         data: #"{"program":"\#(program)","town":"\#(town)","employable":\#(employable)}"#)
}
