import Crypto
import EventLog
import LMDB

/// One read of participant-level data by the server: who, which route, which participants or
/// towns, when. Recorded before the response is sent (writes are recorded by their events).
public struct AccessRecord: Equatable, Sendable {
    public let at: Int64
    public let actor: String
    /// The route's pattern, e.g. `GET /v1/participants/{id}`.
    public let route: String
    public let participants: [String]
    public let towns: [String]

    public init(at: Int64, actor: String, route: String, participants: [String], towns: [String]) {
        self.at = at
        self.actor = actor
        self.route = route
        self.participants = Array(participants.prefix(Self.maximumParticipants))
        self.towns = towns
    }

    /// The participants one record names: an alert list of a whole province fits.
    public static let maximumParticipants = 200_000

    /// Canonical JSON (sorted keys), the bytes the record's chain hash covers.
    var encoded: [UInt8] {
        var output: [UInt8] = []
        JSONWriter.write(.object([
            "at": .integer(at), "actor": .string(actor), "route": .string(route),
            "participants": .array(participants.map { .string($0) }), "towns": .array(towns.map { .string($0) }),
        ]), into: &output)
        return output
    }

    init(decoding bytes: [UInt8]) throws(RecordDamage) {
        guard let value = try? JSONParser.parse(bytes), let members = value.objectMembers,
              let at = members["at"]?.integerValue, let actor = members["actor"]?.stringValue, let route = members["route"]?.stringValue,
              case .array(let participantValues)? = members["participants"], case .array(let townValues)? = members["towns"] else {
            throw RecordDamage("the access record does not decode")
        }
        self.init(at: at, actor: actor, route: route, participants: participantValues.compactMap(\.stringValue), towns: townValues.compactMap(\.stringValue))
    }
}

/// The access log: a hash-chained, append-only record of reads, in the database `access_log`
/// beside the log (docs/format.md §12.4), apart from the programme's streams: statistics,
/// rebuilds and audits never read it. Key: the record's number (8 bytes, big-endian, from 1);
/// value: its chain hash (32 bytes) then its canonical JSON, where the hash is
/// SHA-256(previous hash ‖ key ‖ JSON) and the first record's previous hash is 32 zero bytes.
extension Ledger {
    static let accessLogDatabase = "access_log"

    /// Appends `records` inside the write transaction of a batch; returns the last number.
    func appendAccessRecords(_ records: [AccessRecord], in transaction: WriteTransaction) throws {
        guard !records.isEmpty else { return }
        let database = try transaction.openDatabase(Self.accessLogDatabase, options: .create)
        var (number, hash) = try Self.accessHead(database, in: transaction)
        for record in records {
            number += 1
            let key = Self.accessKey(number)
            let json = record.encoded
            hash = Self.accessHash(previous: hash, key: key, json: json)
            guard try transaction.put(hash + json, forKey: key, in: database, options: .append) else {
                throw LogError.damagedStore(reason: "the access log refused record \(number) at its end")
            }
        }
    }

    /// The number and hash of the last record (0 and the zero hash for none).
    private static func accessHead(_ database: Database, in transaction: Transaction) throws -> (UInt64, [UInt8]) {
        try transaction.withCursor(database) { cursor in
            guard try cursor.move(.last) else { return (0, ChainHash.genesis) }
            return try cursor.withCurrent { key, value in
                guard key.count == 8, value.count >= ChainHash.size else {
                    throw LogError.damagedStore(reason: "the access log's last record is malformed")
                }
                return (Self.number(key), value.copiedBytes(from: 0, count: ChainHash.size))
            }
        }
    }

    static func accessKey(_ number: UInt64) -> [UInt8] { (0 ..< 8).map { UInt8(truncatingIfNeeded: number >> UInt64(56 - 8 * $0)) } }

    private static func number(_ key: Span<UInt8>) -> UInt64 {
        var number: UInt64 = 0
        for index in 0 ..< 8 { number = number << 8 | UInt64(key[index]) }
        return number
    }

    static func accessHash(previous: [UInt8], key: [UInt8], json: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: key)
        hasher.update(data: json)
        return Array(hasher.finalize())
    }

    /// The access log's database, once it exists (the first read the server records makes it).
    /// Found before a read transaction begins: LMDB does not let a transaction use a database
    /// handle opened after it started.
    private func accessLog() throws -> Database? {
        if let known = accessLogHandle.withLock({ $0 }) { return known }
        guard let found = try log.companionDatabase(Self.accessLogDatabase) else { return nil }
        accessLogHandle.withLock { $0 = found }
        return found
    }

    /// Records from number `from` on that match the filters, at most `limit`, and the number to
    /// ask for next (nil at the end). Reads at most `limit × 64` records per call, so a filter
    /// that matches little cannot make one request read the whole log.
    public func accessRecords(from: UInt64, limit: Int, actor: String? = nil, participant: String? = nil, since: Int64? = nil)
        throws -> (records: [(number: UInt64, record: AccessRecord)], next: UInt64?) {
        precondition(limit > 0, "a page holds at least one record")
        guard let database = try accessLog() else { return ([], nil) }
        return try reading { transaction in
            var found: [(UInt64, AccessRecord)] = []
            var next: UInt64?
            var budget = limit * 64
            try transaction.withCursor(database) { cursor in
                guard try cursor.move(.setRange, key: Self.accessKey(max(from, 1))) else { return }
                repeat {
                    let (number, bytes) = cursor.withCurrent { key, value in
                        (key.count == 8 ? Self.number(key) : 0, value.count > ChainHash.size ? value.copiedBytes(from: ChainHash.size, count: value.count - ChainHash.size) : [])
                    }
                    if found.count == limit || budget == 0 {
                        next = number
                        return
                    }
                    budget -= 1
                    let record: AccessRecord
                    do { record = try AccessRecord(decoding: bytes) } catch {
                        throw LogError.damagedStore(reason: "access record \(number) does not decode; run `recovery verify`")
                    }
                    if let actor, record.actor != actor { continue }
                    if let participant, !record.participants.contains(participant) { continue }
                    if let since, record.at < since { continue }
                    found.append((number, record))
                } while try cursor.move(.next)
            }
            return (found, next)
        }
    }

    /// Checks the access log: numbers from 1 without a gap, every hash the chain's, every
    /// record decodable. Returns how many records it holds, or the first bad one.
    public func verifyAccessLog() throws -> (records: Int, problem: (number: UInt64, reason: String)?) {
        guard let database = try accessLog() else { return (0, nil) }
        return try reading { transaction in
            var count = 0
            var previous = ChainHash.genesis
            var problem: (UInt64, String)?
            try transaction.withCursor(database) { cursor in
                guard try cursor.move(.first) else { return }
                repeat {
                    let expected = UInt64(count + 1)
                    let (key, stored, json) = cursor.withCurrent { key, value in
                        (key.copiedBytes(), value.count >= ChainHash.size ? value.copiedBytes(from: 0, count: ChainHash.size) : [],
                         value.count >= ChainHash.size ? value.copiedBytes(from: ChainHash.size, count: value.count - ChainHash.size) : [])
                    }
                    guard key == Self.accessKey(expected) else {
                        problem = (expected, "the access log has no record \(expected) where one was due (a record is missing or out of place)")
                        return
                    }
                    let hash = Self.accessHash(previous: previous, key: key, json: json)
                    guard stored == hash else {
                        problem = (expected, "access record \(expected) does not match its chain hash (altered, or an earlier record was)")
                        return
                    }
                    do { _ = try AccessRecord(decoding: json) } catch {
                        problem = (expected, "access record \(expected) does not decode")
                        return
                    }
                    previous = hash
                    count += 1
                } while try cursor.move(.next)
            }
            return (count, problem)
        }
    }
}
