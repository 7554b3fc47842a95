import EventLog
import Foundation
import LMDB
import Synchronization

/// A city's rehabilitation ledger: the event log plus the domain on top of it — the event
/// catalogue, the points rules (kept as events in the `_rules` stream), and the participant
/// projection, which is always updated in the same LMDB transaction as the events that
/// change it, so no reader ever sees an event without its effect.
public final class Ledger: Sendable {
    public let log: EventLog
    /// The city, fixed when the ledger was created.
    public let city: City
    public let catalogue: EventCatalogue
    /// The first of the two states databases (`Ledger+States`): read through `states(in:)`,
    /// which knows which one is current.
    let firstStates: Database
    /// The second one; nil only in a store opened read-only that was made before it existed.
    let secondStates: Database?
    /// The projection's mark and the name of the current states database (`Ledger+Projected`,
    /// `Ledger+States`); nil only in a store opened read-only that was made before it existed.
    let projectionMarks: Database?
    /// The last rules document parsed, by the seq of its adoption: audits and batches would
    /// otherwise parse the same TOML again and again.
    private let parsedRules = Mutex<(seq: UInt64, rules: PointsRules)?>(nil)
    /// The access log's database, once found (`AccessLog`): the server's first recorded read makes it.
    let accessLogHandle = Mutex<Database?>(nil)

    /// The system stream holding rules adoptions; no participant id can name it.
    public static let rulesStream = "_rules"
    /// The system stream holding identities and their grants (`Access/`).
    public static let accessStream = "_access"

    /// Whether a stream is one of the ledger's system streams: they begin with `_`, which no
    /// participant id may hold (docs/events.md), so statistics, rebuilds and audits skip them.
    public static func isSystemStream(_ stream: String) -> Bool { stream.utf8.first == systemStreamMark }
    /// The same test on a stored record's stream bytes, where hot loops meet it.
    static func isSystemStream(_ value: Span<UInt8>, _ range: Range<Int>) -> Bool {
        !range.isEmpty && value[range.lowerBound] == systemStreamMark
    }
    static let systemStreamMark = UInt8(ascii: "_")

    /// The type of rules adoption events.
    public static let rulesType = EventType.rulesAdopted.name

    private init(log: EventLog) throws {
        self.log = log
        guard let cityText = try log.metadata("city"),
              let cityValue = try? JSONParser.parse(Array(cityText.utf8)), let city = City(json: cityValue) else {
            throw LogError.unsupportedFormat(folder: log.folder, found: "a log without a city (made by an older recovery)")
        }
        self.city = city
        self.catalogue = EventCatalogue(city: city)
        guard let participants = try log.companionDatabase(Self.statesDatabases.first) else {
            throw LogError.unsupportedFormat(folder: log.folder, found: "a log without projections")
        }
        self.firstStates = participants
        var marks = try log.companionDatabase(Self.projectionDatabase)
        var second = try log.companionDatabase(Self.statesDatabases.second)
        if marks == nil || second == nil, !log.environment.isReadOnly {
            // A store made before these existed gets them the first time it is opened for
            // writing (no event is appended), so that every process of this version holds
            // both handles from the start: a handle opened after a snapshot began is unusable
            // in that snapshot, and another process may switch the states at any time.
            // Best effort: a command that only reads (`verify`, `backup` on a full disk, one
            // waiting behind a long import) goes on without them, as a read-only store does.
            if let made = try? log.appendBatch({ writer in
                (try writer.transaction.openDatabase(Self.projectionDatabase, options: .create),
                 try writer.transaction.openDatabase(Self.statesDatabases.second, options: .create))
            }).result {
                (marks, second) = made
            }
        }
        projectionMarks = marks
        secondStates = second
    }

    /// Creates a ledger serving `city`; its one event adopts the built-in points rules.
    /// `origin` names the ledger in its checkpoints and its signing key (default
    /// `defaultOrigin(of:)`).
    public static func create(at folder: String, city: City = .enping, origin: String? = nil) throws -> Ledger {
        try create(at: folder, city: city, origin: origin, clock: EventLog.systemClock)
    }

    /// `create` with a clock of the package's choosing (tests).
    /// `withTree: false` makes a store as versions before the Merkle tree did (format 1, no
    /// signing key): the upgrade's tests.
    package static func create(
        at folder: String, city: City = .enping, origin: String? = nil, clock: @escaping EventLog.Clock, withTree: Bool = true
    ) throws -> Ledger {
        let origin = origin ?? defaultOrigin(of: city)
        // The origin names the key: refused before anything is made.
        guard SignedNote.isValidName(origin) else {
            throw SignedNote.Failure.malformedKey("an origin is not empty and holds no space or +")
        }
        let log = try EventLog.create(at: folder, metadata: ["city": JSONWriter.text(city.json)], clock: clock, withTree: withTree) { writer in
            _ = try writer.transaction.openDatabase(statesDatabases.first, options: .create)
            _ = try writer.transaction.openDatabase(statesDatabases.second, options: .create)
            try writer.append(rulesEvent(document: PointsRules.defaultDocument, actor: "system", at: writer.now))
            try markProjected(through: writer.head.seq, in: writer.transaction)
        }
        if withTree { _ = try SigningKeyFile.create(in: folder, origin: origin) }
        return try Ledger(log: log)
    }

    /// The checkpoint origin of a ledger made without `--origin`: Enping's name for the built-in
    /// city, a local one otherwise (docs/proofs.md).
    public static func defaultOrigin(of city: City) -> String {
        city == .enping ? "enping.recovery-ledger" : "local.recovery-ledger"
    }

    /// Opens the ledger in `folder`.
    public static func open(at folder: String) throws -> Ledger {
        try Ledger(log: EventLog.open(at: folder))
    }

    /// `open` with a clock of the package's choosing (tests).
    package static func open(at folder: String, clock: @escaping EventLog.Clock) throws -> Ledger {
        try Ledger(log: EventLog.open(at: folder, clock: clock))
    }

    static func rulesEvent(document: String, actor: String, at: Int64, reason: String? = nil) -> NewEvent {
        var data: [String: JSONValue] = ["document": .string(document)]
        if let reason { data["reason"] = .string(reason) }
        return NewEvent(id: nil, type: rulesType, stream: rulesStream, at: at, actor: actor, data: .object(data))
    }

    // MARK: Rules

    /// The rules document adopted last (through `seq`), as seen by `transaction`.
    package func adoptedRules(in transaction: Transaction, through seq: UInt64 = .max) throws -> PointsRules {
        let adoptions = try log.events(of: Self.rulesStream, in: transaction, through: seq)
        guard let latest = adoptions.last(where: { $0.type == Self.rulesType }),
              let document = latest.data.objectMembers?["document"]?.stringValue else {
            return PointsRules.standard
        }
        if let cached = parsedRules.withLock({ $0 }), cached.seq == latest.seq { return cached.rules }
        do {
            let rules = try PointsRules(document: document)
            parsedRules.withLock { $0 = (latest.seq, rules) }
            return rules
        } catch {
            throw LogError.damaged(seq: latest.seq, reason: "the adopted rules document does not parse: \(error)")
        }
    }

    /// The rules document adopted last.
    public func adoptedRules() throws -> PointsRules {
        try reading { try adoptedRules(in: $0) }
    }

    /// What adopting `rules` would change, without changing anything.
    public func diff(adopting rules: PointsRules) throws -> RulesDiff {
        try reading { transaction in
            let before = try storedBalances(in: transaction)
            var after: [String: Int64] = [:]
            var repriced = Repricing()
            _ = try replayParticipants(in: transaction, rules: rules, through: try log.head(in: transaction).seq,
                                       comparing: try adoptedRules(in: transaction), batchEvents: Self.eventsPerComparingBatch) { batch in
                for (index, state) in batch.states.enumerated() { after[batch.participant(index)] = state.balance }
                try repriced.add(batch, log: log, in: transaction)
            }
            return Self.diff(before: before, after: after, repriced: (repriced.events, repriced.total))
        }
    }

    /// Appends `rules` as a `rules_adopted` event and makes every projection follow it, in one
    /// transaction as every reader sees it; returns what changed. The re-priced states are
    /// written aside first, a few MiB per transaction, and the adoption's own transaction
    /// switches to them (`Ledger+States`); when other writers keep appending meanwhile, the
    /// last attempt does everything in the one transaction.
    public func adopt(_ rules: PointsRules, actor: String, reason: String? = nil) throws -> RulesDiff {
        try adopt(rules, actor: actor, reason: reason, stagings: Self.stagingAttempts)
    }

    /// `adopt`, trying `stagings` stagings before the one transaction (tests try none).
    func adopt(_ rules: PointsRules, actor: String, reason: String?, stagings: Int) throws -> RulesDiff {
        // The library's own guard too, not only the CLI's: the document and actor are stored.
        if let refusal = PrivacyScreen.check(adoptionOf: rules.document, by: actor, reason: reason) {
            throw LogError.rejected(errors: [refusal], total: 1)
        }
        if let reason, reason.isEmpty || reason.unicodeScalars.count > FieldKind.maximumTextScalars {
            throw LogError.rejected(errors: [InputError(field: "reason", code: .dataLength, reason: "must be 1–\(FieldKind.maximumTextScalars) characters")], total: 1)
        }
        if projectionMarks != nil {
            // Bounded: each attempt either switches or saw another writer meanwhile.
            for _ in 0 ..< stagings {
                guard let staged = try stageStates(rules: rules) else { continue }
                if let diff = try switchStates(to: staged, document: rules, actor: actor, reason: reason) { return diff }
            }
        }
        return try writing { writer in
            let before = try storedBalances(in: writer.transaction)
            // Rebuilt before the adoption is appended, replaying each participant under both
            // documents (the adopted rules are still the old ones here): the rebuild's parallel
            // readers see the last commit, which is this transaction's state as long as it has
            // written no events.
            let outcome = try rebuild(in: writer.transaction, rules: rules, collectingBalances: true,
                                      comparing: try adoptedRules(in: writer.transaction))
            try writer.append(Self.rulesEvent(document: rules.document, actor: actor, at: writer.now, reason: reason))
            try abandonStaging(in: writer.transaction)
            return Self.diff(before: before, after: outcome.balances, repriced: (outcome.repriced.events, outcome.repriced.total))
        }.result
    }

    static func diff(before: [String: Int64], after: [String: Int64], repriced: (events: [RepricedEvent], total: Int) = ([], 0)) -> RulesDiff {
        var changed: [BalanceChange] = []
        var unchanged = 0
        for participant in Set(before.keys).union(after.keys) {
            let old = before[participant] ?? 0
            let new = after[participant] ?? 0
            if old == new { unchanged += 1 } else { changed.append(BalanceChange(participant: participant, before: old, after: new)) }
        }
        changed.sort { $0.participant.utf8.lexicographicallyPrecedes($1.participant.utf8) }
        return RulesDiff(changed: changed, unchanged: unchanged, repriced: repriced.events, repricedTotal: repriced.total)
    }

    // MARK: Appending

    /// Runs `feed` with a `LedgerBatch` in one write transaction: every event it submits is
    /// checked against the catalogue and the participant's state as if appended in turn, and
    /// the batch commits only if none was refused. `feed` may run more than once.
    public func submitBatch<T>(_ feed: (LedgerBatch) throws -> T) throws -> (result: T, summary: BatchSummary) {
        try writing { writer in
            // States are built on the projection: one that lags the log (events that did not
            // come through the ledger) would price the new events wrongly. `rebuild` first.
            try requireCurrentProjection(head: writer.head.seq, in: writer.transaction)
            let batch = LedgerBatch(ledger: self, writer: writer, rules: try adoptedRules(in: writer.transaction))
            let result = try feed(batch)
            try batch.flush()
            return result
        }
    }

    /// Appends one event in its own durable transaction.
    public func append(_ event: NewEvent, expectedVersion: Int? = nil) throws -> AppendOutcome {
        let (outcome, _) = try submitBatch { batch in try batch.submit(event, expectedVersion: expectedVersion) }
        guard let outcome else { throw LogError.rejected(errors: [], total: 0) }
        return outcome
    }

    // MARK: Reading

    /// A participant's balance from the projection, with the head it reflects; nil for a
    /// participant the ledger has never seen.
    public func balance(of participant: String) throws -> (balance: Int64, headSeq: UInt64)? {
        try reading { transaction in
            let head = try log.head(in: transaction).seq
            try requireCurrentProjection(head: head, in: transaction)
            guard let balance = try storedBalance(of: participant, in: transaction) else {
                let events = try log.version(of: participant, in: transaction)
                guard events == 0 else {
                    throw LedgerError.damagedProjection(reason: "the projection holds no state for \(participant), whose stream holds \(events) events")
                }
                return nil
            }
            return (balance, head)
        }
    }

    /// The projection's balance of a participant, decoding nothing else of the state.
    func storedBalance(of participant: String, in transaction: Transaction) throws -> Int64? {
        try transaction.value(in: try states(in: transaction), forKey: participant) { bytes in
            do { return try ParticipantState.balance(decoding: bytes) } catch {
                throw LedgerError.damagedProjection(reason: "the state of \(participant) cannot be decoded")
            }
        }
    }

    /// The stored projection of a participant.
    public func state(of participant: String) throws -> ParticipantState? {
        try reading { transaction in try storedState(of: participant, in: transaction) }
    }

    func storedState(of participant: String, in transaction: Transaction) throws -> ParticipantState? {
        try transaction.value(in: try states(in: transaction), forKey: Array(participant.utf8)) { bytes in
            do { return try ParticipantState(decoding: bytes) } catch {
                throw LedgerError.damagedProjection(reason: "the state of \(participant) cannot be decoded")
            }
        }
    }

    /// Replays a participant's history from the log (not the projection), as it stood at
    /// `atSeq` (default: the head), with the rules adopted by then. Nil for an unknown participant.
    public func audit(_ participant: String, atSeq: UInt64? = nil) throws -> AuditReport? {
        try reading { transaction in
            let head = try log.head(in: transaction)
            let cut = min(atSeq ?? head.seq, head.seq)
            let events = try log.events(of: participant, in: transaction, through: cut)
            guard !Self.isSystemStream(participant) else { return nil }
            guard !events.isEmpty else {
                // The projection only holds states of participants the log knows: a state
                // with no stream means the participant index lost its entries.
                if try storedBalance(of: participant, in: transaction) != nil, atSeq == nil {
                    throw LogError.damagedStore(reason: "the participant index holds no events for \(participant), whom the projection knows")
                }
                return nil
            }
            let replay = try ParticipantReplay(events: events, rules: try adoptedRules(in: transaction, through: cut), catalogue: catalogue)
            let isCut = cut < head.seq
            let stored = isCut ? nil : try storedBalance(of: participant, in: transaction)
            let hash = cut == head.seq ? head.hash : (try log.entry(at: cut, in: transaction).map { Array($0.hash) } ?? ChainHash.genesis)
            return AuditReport(
                participant: participant, rows: replay.rows, balance: replay.state.balance,
                projectionBalance: stored, consistent: isCut || stored == replay.state.balance,
                headSeq: cut, headHash: ChainHash.hex(hash))
        }
    }

    func storedBalances(in transaction: Transaction) throws -> [String: Int64] {
        var balances: [String: Int64] = [:]
        try transaction.withCursor(try states(in: transaction)) { cursor in
            guard try cursor.move(.first) else { return }
            repeat {
                let (key, balance) = cursor.withCurrent { key, value in (key.copiedBytes(), try? ParticipantState.balance(decoding: value)) }
                let participant = String(decoding: key, as: UTF8.self)
                guard let balance else {
                    throw LedgerError.damagedProjection(reason: "the state of \(participant) cannot be decoded")
                }
                balances[participant] = balance
            } while try cursor.move(.next)
        }
        return balances
    }

    func reading<T>(_ body: (Transaction) throws -> T) throws -> T {
        try log.read(body)
    }
}

extension Ledger {
    /// Nil when every stored participant state matches its seal (and is known to the log's
    /// participant index); else the first that does not. Cheap next to a rebuild: it reads
    /// each state once and decodes nothing.
    public func projectionSealProblem() throws -> String? {
        try reading { transaction in
            let states: Database
            do { states = try self.states(in: transaction) } catch LedgerError.damagedProjection(let reason) { return reason }
            var problem: String?
            try transaction.withCursor(states) { cursor in
                guard try cursor.move(.first) else { return }
                repeat {
                    let (key, sealed) = cursor.withCurrent { key, value in (key.copiedBytes(), (try? StateSeal.contentCount(value)) != nil) }
                    let participant = String(decoding: key, as: UTF8.self)
                    if !sealed {
                        problem = "the projection's state of \(participant) does not match its seal"
                    } else if try log.version(of: participant, in: transaction) == 0 {
                        problem = "the projection holds a state for \(participant), whom the log does not know"
                    }
                } while try problem == nil && cursor.move(.next)
            }
            return problem
        }
    }
}
