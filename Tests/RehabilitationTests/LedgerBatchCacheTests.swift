import EventLog
import Rehabilitation
import Testing

@Suite("A batch over more participants than it keeps decoded")
struct LedgerBatchCacheTests {
    @Test("one import touching 17,000 participants twice each: states written out and re-read mid-batch match a rebuild")
    func cacheEviction() throws {
        let ledger = try makeLedger()
        let count = 17_000  // above LedgerBatch's 16,384 cached states
        var lines: [String] = []
        lines.reserveCapacity(count * 3)
        for index in 0 ..< count {
            lines.append(line("enrolled", "P-\(index)", at: "2022-01-05T09:00:00+08:00", id: "en-\(index)",
                              data: #"{"program":"community_detox","town":"encheng","employable":true}"#))
        }
        for round in 0 ..< 2 {
            for index in 0 ..< count {
                lines.append(line("check_in", "P-\(index)", at: "2022-0\(3 + round)-01T10:00:00+08:00", id: "ci-\(round)-\(index)"))
            }
        }
        #expect(try ledger.submit(lines).isEmpty)
        let check = try ledger.checkProjections()
        #expect(check.consistent, "\(check.differences.prefix(3))")
        #expect(try ledger.points("P-0") == ledger.points("P-16999"))
        #expect(try ledger.audit("P-12345")?.consistent == true)
    }
}
