import EventLog

/// One request of a group commit: events appended atomically (all or none), each with the
/// participant's expected version if the caller gave one, within the caller's towns.
public struct GroupRequest: Sendable {
    public let events: [PreparedEvent]
    public let expectedVersions: [Int?]
    /// The towns the caller reaches; nil for every town.
    public let towns: Set<String>?

    public init(events: [PreparedEvent], expectedVersions: [Int?], towns: Set<String>?) {
        precondition(events.count == expectedVersions.count, "one expected version (or nil) per event")
        self.events = events
        self.expectedVersions = expectedVersions
        self.towns = towns
    }
}

/// What became of one request of a group.
public enum GroupOutcome: Sendable, Equatable {
    /// Every event appended or recognised as a duplicate, in the request's order.
    case appended([AppendOutcome])
    /// Refused by the log or the domain (the request left no trace): the first refusals, with
    /// `line` holding the event's index in the request, and how many there were.
    case refused(errors: [InputError], total: Int)
    /// The event at `index` is outside the caller's towns (the request left no trace).
    case forbidden(index: Int, reason: String)
}

extension Ledger {
    /// Applies `requests` in turn inside one write transaction, with `accessRecords`, and
    /// commits once (durably) — the group commit of `recovery serve`. A refused or forbidden
    /// request leaves no trace and does not disturb the others: the transaction is abandoned
    /// and run again without it (the events before it are valid again, the same state
    /// leading to the same checks). Returns one outcome per request; throws only storage
    /// errors (then nothing was committed).
    public func commitGroup(_ requests: [GroupRequest], accessRecords: [AccessRecord], carrying carry: StateCarry? = nil) throws -> [GroupOutcome] {
        var outcomes = [GroupOutcome?](repeating: nil, count: requests.count)
        var pending = Array(requests.indices)
        // Bounded: each pass either commits or takes one request out of `pending`.
        for _ in 0 ... requests.count {
            guard !pending.isEmpty || !accessRecords.isEmpty else { break }
            do {
                let (appended, changed, head) = try writing { writer -> ([(Int, [AppendOutcome])], [(String, ParticipantState)], UInt64) in
                    try requireCurrentProjection(head: writer.head.seq, in: writer.transaction)
                    // States carried from the last commit are the store's only if nothing was
                    // appended since (by the CLI, say, in another process).
                    if let carry, carry.head != writer.head.seq { carry.forget() }
                    let batch = LedgerBatch(ledger: self, writer: writer, rules: try adoptedRules(in: writer.transaction), carried: carry)
                    var done: [(Int, [AppendOutcome])] = []
                    for index in pending {
                        let request = requests[index]
                        var results: [AppendOutcome] = []
                        for (position, prepared) in request.events.enumerated() {
                            if let towns = request.towns, let reason = try batch.scopeRefusal(prepared, towns: towns) {
                                throw GroupRestart(index: index, outcome: .forbidden(index: position, reason: reason))
                            }
                            if let result = try batch.submit(.success(prepared), line: position, expectedVersion: request.expectedVersions[position]) {
                                results.append(result)
                            }
                        }
                        // The first refusing request ends the pass: the writer's refusals are its own.
                        if writer.errorCount > 0 {
                            throw GroupRestart(index: index, outcome: .refused(errors: writer.errors, total: writer.errorCount))
                        }
                        done.append((index, results))
                    }
                    try appendAccessRecords(accessRecords, in: writer.transaction)
                    try batch.flush()
                    return (done, batch.changedStates, writer.head.seq)
                }.result
                // Committed: what the batch changed is now the store's.
                carry?.keep(changed, head: head)
                for (index, results) in appended { outcomes[index] = .appended(results) }
                break
            } catch let restart as GroupRestart {
                outcomes[restart.index] = restart.outcome
                pending.removeAll { $0 == restart.index }
            }
        }
        return outcomes.map { $0 ?? .refused(errors: [], total: 0) }
    }
}

/// Abandons a group's transaction to take one request out (`commitGroup`).
private struct GroupRestart: Error {
    let index: Int
    let outcome: GroupOutcome
}

/// Participant states one writer keeps decoded between its batches (a server's writer thread),
/// with the head they reflect: decoding a participant with a long history for every event of
/// every group commit cost a fifth of the writer's time. Used on the writer's thread only.
public final class StateCarry: @unchecked Sendable {
    // Only ever touched by the one thread that commits (the server's writer).
    fileprivate(set) var states: [String: ParticipantState] = [:]
    /// The head seq the states reflect; 0 before the first commit.
    fileprivate(set) var head: UInt64 = 0

    public init() {}

    /// States kept at most. A state with a year of history is about 4.5 KiB decoded: 16,384 of
    /// them took the server's peak memory past its 300 MiB target (docs/performance.md), 4,096
    /// (about 18 MiB) keep the participants a day's work touches.
    static let limit = 4_096

    fileprivate func forget() {
        states.removeAll(keepingCapacity: true)
    }

    fileprivate func keep(_ changed: [(String, ParticipantState)], head: UInt64) {
        if states.count + changed.count > Self.limit { states.removeAll(keepingCapacity: true) }
        for (participant, state) in changed { states[participant] = state }
        self.head = head
    }
}
