import Foundation
import LMDB

/// The append-only, hash-chained event log of one store, stored in an LMDB environment.
///
/// There is deliberately no operation that changes or removes a stored event: the only
/// writes are appends, each chained onto the previous event's hash, so any later change to
/// a stored record is found by `verify`. Several processes may append at once; LMDB
/// serialises them, and `seq` stays gap-free because the head is read inside the write
/// transaction.
public final class EventLog: Sendable {
    /// The folder holding the log.
    public let folder: String
    /// The LMDB environment, for layers above (in this package) that keep their own databases
    /// beside the log. Not public: raw writes would bypass the chain and the indexes.
    package let environment: Environment
    let databases: LogDatabases

    /// The format marker kept in the `meta` database: format 2 is format 1 with the Merkle
    /// tree (docs/format.md §13).
    public static let formatName = "recovery-ledger/2"
    /// The format of ledgers made before the tree; read, and given their tree when opened
    /// for writing (`upgradeTree`).
    public static let formatWithoutTree = "recovery-ledger/1"
    /// The metadata key naming the tree's hash algorithm (`MerkleStore.hashAlgorithm`).
    static let treeHashKey = "tree_hash"
    /// The clock that stamps `recorded_at` (and `created_at`): UTC milliseconds. Fixed when
    /// the log is opened, read once per batch, and injected only from inside the package
    /// (tests): outside code cannot forge the time of an append.
    package let clock: Clock
    public typealias Clock = @Sendable () -> Int64
    /// The system's clock.
    public static let systemClock: Clock = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    init(folder: String, environment: Environment, databases: LogDatabases, clock: @escaping Clock) {
        self.folder = folder
        self.environment = environment
        self.databases = databases
        self.clock = clock
    }

    /// Creates a new log in `folder` (made, owner-only, when missing). `initialise` runs in
    /// the same transaction, so a log is never seen half-made: layers above use it to
    /// create their databases and append their first events.
    /// Throws `logExists` when one is already there, leaving it untouched.
    /// `withTree: false` makes a format-1 store, as versions before the tree did (tests of the
    /// upgrade, and the benchmark's append without a tree).
    package static func create(
        at folder: String, metadata: [String: String] = [:], clock: @escaping Clock = systemClock,
        withTree: Bool = true, initialise: ((BatchWriter) throws -> Void)? = nil
    ) throws -> EventLog {
        switch StoreFolder.presence(of: dataFile(folder)) {
        case .inaccessible(let code):
            throw LogError.fileSystem(path: folder, reason: "\(StoreFolder.describe(errno: code)): this user may not use this folder; nothing was created")
        case .present:
            // Never write over a store: only an environment that holds no log (an earlier
            // `init` that failed before its first commit) is made into one.
            do {
                _ = try open(at: folder, clock: clock)
                throw LogError.logExists(folder: folder)
            } catch LogError.noLog {}
        case .missing:
            break
        }
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder)
        } catch {
            throw LogError.fileSystem(path: folder, reason: "cannot create the folder (\(error.localizedDescription))")
        }
        let log = try storageErrors(folder: folder) {
            let environment = try Environment.open(path: folder)
            return try environment.write { transaction -> EventLog in
                let databases = LogDatabases(try LogDatabases.names.map {
                    try transaction.openDatabase($0, options: LogDatabases.options(for: $0))
                }, merkle: withTree ? try transaction.openDatabase(LogDatabases.merkleName, options: .create) : nil)
                let marker = Array("format".utf8)
                guard try transaction.bytes(in: databases.meta, forKey: marker) == nil else {
                    throw LogError.logExists(folder: folder)
                }
                try transaction.put(Array((withTree ? formatName : formatWithoutTree).utf8), forKey: marker, in: databases.meta)
                if withTree {
                    try transaction.put(Array(MerkleStore.hashAlgorithm.utf8), forKey: Array(treeHashKey.utf8), in: databases.meta)
                }
                let created = Timestamp.utcString(clock())
                try transaction.put(Array(created.utf8), forKey: Array("created_at".utf8), in: databases.meta)
                for (key, value) in metadata {
                    try transaction.put(Array(value.utf8), forKey: Array(key.utf8), in: databases.meta)
                }
                try transaction.put(Array(try metadataChecksum(in: transaction, databases: databases).utf8),
                                    forKey: Array(checksumKey.utf8), in: databases.meta)
                let log = EventLog(folder: folder, environment: environment, databases: databases, clock: clock)
                if let initialise {
                    let writer = BatchWriter(log: log, transaction: transaction, databases: databases, head: .empty, now: clock())
                    try initialise(writer)
                    if writer.errorCount > 0 { throw LogError.rejected(errors: writer.errors, total: writer.errorCount) }
                    try writer.finishTree()
                }
                return log
            }
        }
        try HeadWitness.advance(folder: folder, to: try log.head(), replacing: true)
        return log
    }

    /// Opens the log in `folder`; throws `noLog` when there is none, `damagedStore`
    /// when its files or metadata are damaged, and `rolledBack` when it is behind its head
    /// witness (unless `checkingWitness` is false: `verify` reports that itself).
    /// With `checkingStructure`, every page of the data file is checked (bounds-checked
    /// reads, `Environment.checkStructure`) before LMDB is let near any of them: `verify`.
    public static func open(at folder: String, checkingWitness: Bool = true, checkingStructure: Bool = false) throws -> EventLog {
        try open(at: folder, checkingWitness: checkingWitness, checkingStructure: checkingStructure, clock: systemClock)
    }

    /// `open` with a clock of the package's choosing (tests).
    /// `upgradingTree: false` leaves a format-1 store without its tree (tests, the benchmark).
    package static func open(
        at folder: String, checkingWitness: Bool = true, checkingStructure: Bool = false, clock: @escaping Clock,
        upgradingTree: Bool = true
    ) throws -> EventLog {
        let log = try openEnvironment(at: folder, clock: clock, structureCheck: checkingStructure ? { environment in
            if let damage = try environment.checkStructure() { throw LogError.damagedStore(reason: damage.description) }
        } : nil)
        try log.checkMetadata()
        if checkingWitness { try log.checkWitness() }
        // A store made before the tree gets it the first time it is opened for writing;
        // `verify` (checking structure) only reads, and reports what it found.
        if log.databases.merkle == nil, !checkingStructure, !log.environment.isReadOnly, upgradingTree {
            return try log.upgradeTree()
        }
        return log
    }

    /// Opens the environment and the log's databases, checking nothing beyond the format marker.
    static func openEnvironment(
        at folder: String, clock: @escaping Clock = systemClock, structureCheck: ((Environment) throws -> Void)? = nil
    ) throws -> EventLog {
        switch StoreFolder.presence(of: dataFile(folder)) {
        case .missing:
            throw LogError.noLog(folder: folder)
        case .inaccessible(let code):
            throw LogError.fileSystem(path: folder, reason: "\(StoreFolder.describe(errno: code)): this user may not read the store")
        case .present:
            break
        }
        return try storageErrors(folder: folder) {
            let environment = try Environment.open(path: folder)
            try structureCheck?(environment)
            let base: [Database]
            do {
                base = try environment.openExistingDatabases(LogDatabases.names)
            } catch let error as LMDBError where error.isNotFound {
                throw LogError.noLog(folder: folder)
            }
            let bare = EventLog(folder: folder, environment: environment, databases: LogDatabases(base, merkle: nil), clock: clock)
            let format = try bare.metadata("format")
            guard let format else { throw LogError.noLog(folder: folder) }
            if format == formatWithoutTree { return bare }
            guard format == formatName else { throw LogError.unsupportedFormat(folder: folder, found: format) }
            let algorithm = try bare.metadata(treeHashKey)
            guard algorithm == MerkleStore.hashAlgorithm else {
                throw LogError.unsupportedFormat(folder: folder, found: "\(format) with a tree hashed by \(algorithm ?? "no algorithm")")
            }
            let tree: Database
            do {
                tree = try environment.openExistingDatabases([LogDatabases.merkleName])[0]
            } catch let error as LMDBError where error.isNotFound {
                throw LogError.damagedStore(reason: "format \(format) without its Merkle tree database")
            }
            return EventLog(folder: folder, environment: environment, databases: LogDatabases(base, merkle: tree), clock: clock)
        }
    }

    static func dataFile(_ folder: String) -> String {
        (folder as NSString).appendingPathComponent("data.mdb")
    }

    /// A value kept in the `meta` database.
    public func metadata(_ key: String) throws -> String? {
        try Self.storageErrors(folder: folder) {
            try environment.read { transaction in
                try transaction.bytes(in: databases.meta, forKey: Array(key.utf8)).map { String(decoding: $0, as: UTF8.self) }
            }
        }
    }

    // MARK: Appending

    /// Runs `feed` with a `BatchWriter` inside one write transaction and commits only if no
    /// event was refused: either every new event lands or none does. `feed` runs once.
    package func appendBatch<T>(
        _ feed: (BatchWriter) throws -> T
    ) throws -> (result: T, summary: BatchSummary) {
        let outcome: (result: T, summary: BatchSummary, head: LogHead) = try Self.storageErrors(folder: folder) {
            try environment.write { transaction -> (T, BatchSummary, LogHead) in
                let head = try self.head(in: transaction)
                // A log opened without its tree must not append past a tree another process
                // gave the store meanwhile: the tree would lack these leaves.
                if databases.merkle == nil,
                   try transaction.bytes(in: databases.meta, forKey: Array("format".utf8)) != Array(Self.formatWithoutTree.utf8) {
                    throw LogError.damagedStore(reason: "the store was given its Merkle tree by another process since this one opened it; run the command again")
                }
                // The witness is only read here, under the writer's lock: no commit can
                // happen meanwhile, so a witness ahead of this head means the store went back.
                try checkWitness(try HeadWitness.read(folder: folder), head: head, in: transaction)
                let writer = BatchWriter(log: self, transaction: transaction, databases: databases, head: head, now: clock())
                let result = try feed(writer)
                if writer.errorCount > 0 { throw LogError.rejected(errors: writer.errors, total: writer.errorCount) }
                try writer.finishTree()
                return (result, writer.summary, writer.head)
            }
        }
        // After the durable commit, never before: the witness may lag the store, never lead it.
        if outcome.summary.appended > 0 { try HeadWitness.advance(folder: folder, to: outcome.head) }
        return (outcome.result, outcome.summary)
    }

    /// Appends one event in its own durable transaction.
    package func append(_ event: NewEvent, expectedVersion: Int? = nil) throws -> AppendOutcome {
        let (outcome, _) = try appendBatch { writer in try writer.append(event, expectedVersion: expectedVersion) }
        guard let outcome else { throw LogError.rejected(errors: [], total: 0) }
        return outcome
    }

    // MARK: Reading

    /// The newest event's position and hash.
    public func head() throws -> LogHead {
        try Self.storageErrors(folder: folder) { try environment.read { try head(in: $0) } }
    }

    /// The head as seen by `transaction`.
    package func head(in transaction: Transaction) throws -> LogHead {
        try transaction.withCursor(databases.events) { cursor in
            guard try cursor.move(.last) else { return LogHead.empty }
            return try cursor.withCurrent { key, value in
                guard let seq = SeqKey.decode(key), value.count > EventRecord.offsetInValue else {
                    throw LogError.damaged(seq: SeqKey.decode(key) ?? 0, reason: "malformed head entry")
                }
                do {
                    var decoder = BinaryDecoder(offset: EventRecord.offsetInValue)
                    let header = try EventRecord.Header(value, &decoder)
                    return LogHead(seq: seq, hash: value.copiedBytes(count: ChainHash.size), recordedAt: header.recordedAt)
                } catch let error as RecordDamage {
                    throw LogError.damaged(seq: seq, reason: error.reason)
                }
            }
        }
    }

    /// The number of events in a stream: its version for optimistic concurrency.
    public func version(of stream: String) throws -> Int {
        try Self.storageErrors(folder: folder) {
            try environment.read { try Self.version(of: stream, in: $0, databases: databases) }
        }
    }

    /// The version of stream `stream` as seen by `transaction`.
    package func version(of stream: String, in transaction: Transaction) throws -> Int {
        try Self.version(of: stream, in: transaction, databases: databases)
    }

    static func version(of stream: String, in transaction: Transaction, databases: LogDatabases) throws -> Int {
        try transaction.withCursor(databases.byStream) { cursor in
            try cursor.move(.setKey, key: Array(stream.utf8)) ? try cursor.duplicateCount() : 0
        }
    }

    /// Calls `body` with each event from `seq` on, in order, until it returns false or
    /// `limit` events were seen. One read snapshot: appends made meanwhile are not seen.
    public func scan(from seq: UInt64 = 1, limit: Int? = nil, _ body: (StoredEvent) throws -> Bool) throws {
        try scanValues(from: seq, limit: limit) { seq, value in
            try body(try Self.decodeEvent(seq: seq, value: value))
        }
    }

    /// Like `scan`, with each event's record and chain hash.
    public func scanEntries(from seq: UInt64 = 1, limit: Int? = nil, _ body: (LoggedEntry) throws -> Bool) throws {
        try scanValues(from: seq, limit: limit) { seq, value in
            try body(try Self.decodeEntry(seq: seq, value: value))
        }
    }

    /// Calls `body` with each event of stream `stream` from `seq` on, through the
    /// stream index: the cost follows the stream's events, not the log's.
    public func events(
        of stream: String, from seq: UInt64 = 1, limit: Int? = nil, _ body: (LoggedEntry) throws -> Bool
    ) throws {
        guard limit.map({ $0 > 0 }) ?? true else { return }
        try Self.storageErrors(folder: folder) {
            try environment.read { transaction in
                try transaction.withCursor(databases.byStream) { cursor in
                    guard try cursor.move(.getBothRange, key: Array(stream.utf8), value: SeqKey.encode(seq)) else { return }
                    var seen = 0
                    repeat {
                        guard let eventSeq = cursor.withCurrentValue({ SeqKey.decode($0) }) else {
                            throw LogError.damaged(seq: 0, reason: "malformed stream index entry")
                        }
                        let entry = try cursor.followCurrentValue(into: databases.events, of: transaction) { value in
                            try Self.decodeEntry(seq: eventSeq, value: value)
                        }
                        guard let entry else { throw LogError.damaged(seq: eventSeq, reason: "indexed event is missing") }
                        seen += 1
                        guard try body(entry), limit.map({ seen < $0 }) ?? true else { return }
                    } while try cursor.move(.nextDuplicate)
                }
            }
        }
    }

    private func scanValues(from seq: UInt64, limit: Int?, _ body: (UInt64, Span<UInt8>) throws -> Bool) throws {
        guard limit.map({ $0 > 0 }) ?? true else { return }
        try Self.storageErrors(folder: folder) {
            try environment.read { transaction in
                try transaction.withCursor(databases.events) { cursor in
                    guard try cursor.move(.setRange, key: SeqKey.encode(max(seq, 1))) else { return }
                    var seen = 0
                    repeat {
                        let keepGoing = try cursor.withCurrent { key, value -> Bool in
                            guard let seq = SeqKey.decode(key) else { throw LogError.damaged(seq: 0, reason: "malformed key") }
                            return try body(seq, value)
                        }
                        seen += 1
                        guard keepGoing, limit.map({ seen < $0 }) ?? true else { return }
                    } while try cursor.move(.next)
                }
            }
        }
    }

    static func decodeEvent(seq: UInt64, value: Span<UInt8>) throws -> StoredEvent {
        do {
            return try EventRecord.decode(value: value)
        } catch {
            throw LogError.damaged(seq: seq, reason: error.reason)
        }
    }

    static func decodeEntry(seq: UInt64, value: Span<UInt8>) throws -> LoggedEntry {
        let event = try decodeEvent(seq: seq, value: value)
        return LoggedEntry(event: event, value: value.copiedBytes())
    }

    // MARK: Reading inside a transaction (for layers that keep projections in step)

    /// The events of stream `stream` with seq ≤ `through`, in order, as seen by `transaction`.
    package func events(of stream: String, in transaction: Transaction, through: UInt64 = .max) throws -> [StoredEvent] {
        var events: [StoredEvent] = []
        try transaction.withCursor(databases.byStream) { cursor in
            guard try cursor.move(.setKey, key: Array(stream.utf8)) else { return }
            repeat {
                guard let seq = cursor.withCurrentValue({ SeqKey.decode($0) }) else {
                    throw LogError.damaged(seq: 0, reason: "malformed stream index entry")
                }
                if seq > through { return }
                let event = try cursor.followCurrentValue(into: databases.events, of: transaction) { value in
                    try Self.decodeEvent(seq: seq, value: value)
                }
                guard let event else { throw LogError.damaged(seq: seq, reason: "indexed event is missing") }
                events.append(event)
            } while try cursor.move(.nextDuplicate)
        }
        return events
    }

    /// The last seq whose `recorded_at` is at or before `instant` (0 when none is): a binary
    /// search, as `recorded_at` never decreases along `seq`.
    package func lastSeq(recordedAtOrBefore instant: Int64, in transaction: Transaction) throws -> UInt64 {
        var low: UInt64 = 0
        var high = try head(in: transaction).seq
        while low < high {
            let middle = low + (high - low + 1) / 2
            guard let event = try event(at: middle, in: transaction) else { throw LogError.damaged(seq: middle, reason: "missing event") }
            if event.recordedAt <= instant { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// The event at `seq`, as seen by `transaction`.
    package func event(at seq: UInt64, in transaction: Transaction) throws -> StoredEvent? {
        try transaction.value(in: databases.events, forKey: SeqKey.encode(seq)) { try Self.decodeEvent(seq: seq, value: $0) }
    }

    /// The event at `seq` with its chain hash and record, as seen by `transaction`.
    package func entry(at seq: UInt64, in transaction: Transaction) throws -> LoggedEntry? {
        try transaction.value(in: databases.events, forKey: SeqKey.encode(seq)) { try Self.decodeEntry(seq: seq, value: $0) }
    }

    /// The seq of the event with this id, as seen by `transaction`.
    package func seq(ofId id: String, in transaction: Transaction) throws -> UInt64? {
        try transaction.value(in: databases.ids, forKey: Array(id.utf8)) { SeqKey.decode($0) } ?? nil
    }

    /// Calls `body` with the layout of every event from `seq` on (through `through`) and the
    /// stored value it describes, as seen by `transaction`; `body` returns false to stop.
    /// Nothing is copied: this is the fast path for scans over the whole log.
    package func scanLayouts(
        in transaction: Transaction, from seq: UInt64 = 1, through: UInt64 = .max,
        _ body: (Span<UInt8>, EventLayout) throws -> Bool
    ) throws {
        try transaction.withCursor(databases.events) { cursor in
            guard try cursor.move(.setRange, key: SeqKey.encode(max(seq, 1))) else { return }
            repeat {
                let keepGoing = try cursor.withCurrentValue { value -> Bool in
                    let layout: EventLayout
                    do { layout = try EventLayout(value, recordAt: EventRecord.offsetInValue) } catch let error as RecordDamage {
                        throw LogError.damaged(seq: 0, reason: error.reason)
                    }
                    guard layout.seq <= through else { return false }
                    return try body(value, layout)
                }
                guard keepGoing else { return }
            } while try cursor.move(.next)
        }
    }

    /// Scans events `1 ... through` split into `parts` consecutive seq ranges, each in its own
    /// read snapshot on its own thread, folding each range's events in log order into a
    /// `Part` made by `start`; returns the parts in seq order. Events up to `through` are the
    /// same in every snapshot (the log only grows), so the parts together are exactly the
    /// events a single scan through `through` sees, even while a writer commits. A caller
    /// holding a write transaction gets the state it is building on, provided it has not
    /// written yet. This is how a rebuild uses every core while LMDB ties each transaction
    /// to one thread.
    public func scanLayouts<Part: Sendable>(
        through: UInt64, parts: Int, start: @Sendable (_ range: ClosedRange<UInt64>) -> Part,
        _ body: @Sendable (inout Part, Span<UInt8>, EventLayout) throws -> Void
    ) throws -> [Part] {
        guard through > 0 else { return [] }
        let partCount = Int(min(UInt64(max(parts, 1)), through))
        let ranges = (0 ..< partCount).map { part in
            (through * UInt64(part) / UInt64(partCount) + 1) ... (through * UInt64(part + 1) / UInt64(partCount))
        }
        return try ranges.parallelMap { range in
            Result { () throws -> Part in
                var part = start(range)
                try Self.storageErrors(folder: folder) {
                    try environment.read { transaction in
                        try scanLayouts(in: transaction, from: range.lowerBound, through: range.upperBound) { value, layout in
                            try body(&part, value, layout)
                            return true
                        }
                    }
                }
                return part
            }
        }.map { try $0.get() }
    }

    /// `scanLayouts` in its own read snapshot.
    public func scanLayouts(from seq: UInt64 = 1, _ body: (Span<UInt8>, EventLayout) throws -> Bool) throws {
        try Self.storageErrors(folder: folder) {
            try environment.read { transaction in try scanLayouts(in: transaction, from: seq, body) }
        }
    }

    // MARK: Operations

    /// Writes a consistent, compacted copy of the log into `destination` (created; it
    /// must not exist or be empty) while others keep appending, verifies the copy, and gives
    /// it a head witness of its own verified head. A failed copy leaves nothing behind.
    public func backup(to destination: String) throws -> VerificationReport {
        let existed = StoreFolder.presence(of: destination) == .present
        if existed {
            // A file of that name, or a folder with anything in it: never written over.
            var isFolder: ObjCBool = false
            let contents = try? FileManager.default.contentsOfDirectory(atPath: destination)
            if !FileManager.default.fileExists(atPath: destination, isDirectory: &isFolder) || !isFolder.boolValue || contents?.isEmpty != true {
                throw LogError.destinationNotEmpty(path: destination)
            }
        }
        do {
            try FileManager.default.createDirectory(
                atPath: destination, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw LogError.fileSystem(path: destination, reason: "cannot create the backup folder (\(error.localizedDescription))")
        }
        do {
            try Self.storageErrors(folder: destination) { try environment.copy(to: destination) }
            // Owner-only even where the process's umask is wider.
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: Self.dataFile(destination))
            let copy = try Self.open(at: destination, checkingWitness: false)
            let report = try copy.verify(checkingWitness: false)
            if report.ok { try HeadWitness.advance(folder: destination, to: try copy.head(), replacing: true) }
            return report
        } catch {
            for name in ["data.mdb", "lock.mdb", HeadWitness.fileName] {
                try? FileManager.default.removeItem(atPath: destination + "/" + name)
            }
            if !existed { try? FileManager.default.removeItem(atPath: destination) }
            throw error
        }
    }

    /// Makes the store's current head its witness, after a deliberate restore of an older
    /// copy; the chain is verified first, and nothing is done unless it is intact.
    /// Returns the verification and the witness it replaced.
    public func acceptHead() throws -> (report: VerificationReport, previous: HeadWitness.Reading) {
        let previous = try HeadWitness.read(folder: folder)
        let report = try verify(checkingWitness: false)
        if report.ok { try HeadWitness.advance(folder: folder, to: try head(), replacing: true) }
        return (report, previous)
    }

    /// Runs `body` in a read snapshot, for layers above that read their own databases beside
    /// the log; LMDB's failures become `LogError`s here, as everywhere.
    package func read<T>(_ body: (Transaction) throws -> T) throws -> T {
        try Self.storageErrors(folder: folder) { try environment.read(body) }
    }

    /// A database a layer above keeps beside the log (made with the log), or nil when the
    /// store has none of that name.
    package func companionDatabase(_ name: String) throws -> Database? {
        try Self.storageErrors(folder: folder) {
            do {
                return try environment.openExistingDatabases([name])[0]
            } catch let error as LMDBError where error.isNotFound {
                return nil
            }
        }
    }

    /// Maps LMDB failures to `LogError` at the public boundary (see `LogError.from`). The one
    /// place where an `LMDBError` becomes a `LogError`.
    static func storageErrors<T>(folder: String? = nil, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as LMDBError {
            throw LogError.from(error, folder: folder)
        }
    }
}
