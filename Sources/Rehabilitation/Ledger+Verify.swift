import EventLog

extension Ledger {
    /// What `verify` checks beyond the log's chain and indexes (`report`, which passed): every
    /// record is the catalogue's, the projection is current and sealed, and the access log's
    /// chain holds. Returns the report, failing at the first problem, and the access records.
    public func verifyBeyondLog(_ report: VerificationReport) throws -> (report: VerificationReport, accessRecords: Int) {
        guard report.ok else { return (report, 0) }
        if let (seq, reason) = try catalogueProblem() {
            return (report.failing(at: seq, reason: "the record is not one the catalogue knows: \(reason)"), 0)
        }
        if let (seq, reason) = try projectionLag() { return (report.failing(at: seq, reason: reason), 0) }
        if let problem = try projectionSealProblem() {
            return (report.failing(at: nil, reason: problem + "; recompute the projection with `recovery rebuild`"), 0)
        }
        let access = try verifyAccessLog()
        if let (number, reason) = access.problem {
            return (report.failing(at: nil, reason: "the access log is damaged at record \(number): \(reason); restore from a backup"), 0)
        }
        return (report, access.records)
    }

    /// A participant's state, stream length and the head, read in one snapshot; nil for a
    /// participant the ledger does not know.
    public func snapshot(of participant: String) throws -> (state: ParticipantState, version: Int, headSeq: UInt64)? {
        guard !Self.isSystemStream(participant) else { return nil }
        return try reading { transaction in
            let head = try log.head(in: transaction).seq
            try requireCurrentProjection(head: head, in: transaction)
            guard let state = try storedState(of: participant, in: transaction) else { return nil }
            return (state, try log.version(of: participant, in: transaction), head)
        }
    }
}
