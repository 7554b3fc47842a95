import EventLog
import Foundation
import HTTPTypes
import Hummingbird
import LedgerDocuments
import LedgerWeb
import Rehabilitation
import Synchronization

/// The routes' handlers. Each runs behind the gate (`handle`), which answers 503 while
/// draining, 429 for a blocked address, 401 without a known token and 403 for a role the
/// route's row of the matrix (`Route.reach`) refuses; the handler then narrows to the
/// identity's towns where the reach is `ownTowns`.
struct API: Sendable {
    let ledger: Ledger
    let queue: WriteQueue
    let authenticator: Authenticator
    let limiter: AttemptLimiter
    let draining: DrainFlag
    let verifications: VerificationMemo
    /// The ledger's signing key, read at start; nil when the store has none (proof routes
    /// then answer 503 saying how to make one).
    let signer: SignedNote.SignerKey?

    func register(on router: Router<LedgerContext>) {
        for route in Route.allCases {
            router.on(RouterPath(route.routerPath), method: route.method) { request, context in
                try await gate(route, request, context)
            }
        }
    }

    private func gate(_ route: Route, _ request: Request, _ context: LedgerContext) async throws -> Response {
        context.caller.route = route.name
        if draining.isSet { throw APIError.shuttingDown }
        if let seconds = limiter.blockedSeconds(context.clientAddress) {
            throw APIError(.tooManyRequests, "too_many_attempts", "too many failed authentications from this address; wait \(seconds) s",
                           headers: [.retryAfter: String(seconds)])
        }
        guard let token = Self.bearerToken(request), let identity = try authenticator.identity(token: token) else {
            limiter.recordFailure(context.clientAddress)
            throw APIError.unauthorized
        }
        context.caller.actor = identity.name
        let reach = route.reach(of: identity.role)
        guard reach != .none else {
            throw APIError.forbidden("the role \(identity.role.name) may not use \(route.name)")
        }
        let call = Call(identity: identity, reach: reach, route: route, request: request, context: context)
        switch route {
        case .appendEvents: return try await appendEvents(call)
        case .participant: return try await participant(call)
        case .participantEvents: return try await participantEvents(call)
        case .participantAudit: return try await participantAudit(call)
        case .alerts: return try await alerts(call)
        case .stats: return try stats(call)
        case .rulesShow: return Response.raw(.ok, Array(JSONWriter.text(try ledger.adoptedRules().json).utf8), contentType: "application/json")
        case .rulesDiff: return try await rules(call, adopting: false)
        case .rulesAdopt: return try await rules(call, adopting: true)
        case .log: return try log(call)
        case .verify: return try verify(call)
        case .head: return try head()
        case .accessLog: return try accessLog(call)
        case .accessGrant: return try await grant(call)
        case .accessRevoke: return try await revoke(call)
        case .accessList: return try accessList()
        case .checkpoint: return try checkpoint()
        case .inclusionProof: return try inclusionProof(call)
        case .consistencyProof: return try consistencyProof(call)
        case .participantReceipt: return try await receipt(call)
        }
    }

    /// The caller and what they asked.
    struct Call {
        let identity: Identity
        let reach: Route.Reach
        let route: Route
        let request: Request
        let context: LedgerContext

        func query(_ name: String) -> String? { request.uri.queryParameters[Substring(name)].map(String.init) }

        /// `from` (default 1) and `limit` (default and maximum: `Limits.pageDefault`, `pageMaximum`).
        func pageQuery() throws -> (from: UInt64, limit: Int) {
            let from = try API.integer(query("from"), "from", 1 ... Int64.max) ?? 1
            let limit = try API.integer(query("limit"), "limit", 1 ... Int64(Limits.pageMaximum)) ?? Int64(Limits.pageDefault)
            return (UInt64(from), Int(limit))
        }

        /// The towns the caller's answer narrows to; nil for every town.
        var towns: Set<String>? { reach == .ownTowns ? Set(identity.towns) : nil }

        /// 403 unless the caller reaches `town` (a participant's current town).
        func requireReach(town: String?, what: String) throws {
            guard reach == .ownTowns else { return }
            guard let town, identity.towns.contains(town) else {
                throw APIError.forbidden("\(what) is not in one of your towns (\(identity.towns.joined(separator: ", ")))")
            }
        }
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.utf8.count <= AccessToken.maximumBytes + 7 else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1])
    }

    // MARK: Appending

    private func appendEvents(_ call: Call) async throws -> Response {
        let bytes = try await Self.body(call.request)
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch {
            throw APIError.malformed("the body is not JSON: \(error.reason) at byte \(error.offset + 1)")
        }
        guard case .object(let top) = value else { throw APIError.malformed("the body must be an event object or {\"events\": [...]}") }
        let objects: [[String: JSONValue]]
        let isBatch = top["events"] != nil
        if isBatch {
            guard top.count == 1, case .array(let items)? = top["events"] else {
                throw APIError.malformed("a batch is {\"events\": [event objects]} and nothing else")
            }
            guard !items.isEmpty else { throw APIError.malformed("a batch holds 1 to \(Limits.eventsPerRequest) events") }
            guard items.count <= Limits.eventsPerRequest else {
                throw APIError.tooLarge("a batch holds at most \(Limits.eventsPerRequest) events (this one: \(items.count))")
            }
            objects = try items.map { item in
                guard case .object(let members) = item else { throw APIError.malformed("every element of events must be an event object") }
                return members
            }
        } else {
            objects = [top]
        }
        var prepared: [PreparedEvent] = []
        var versions: [Int?] = []
        var refusals: [InputError] = []
        var refused = 0
        prepared.reserveCapacity(objects.count)
        for (index, object) in objects.enumerated() {
            switch Self.prepare(object, identity: call.identity, ledger: ledger) {
            case .success(let (event, version)):
                prepared.append(event)
                versions.append(version)
            case .failure(let error):
                refused += 1
                if refusals.count < BatchWriter.keptErrors { refusals.append(error.at(line: index)) }
            }
        }
        guard refused == 0 else { throw APIError(refusals: refusals, total: refused) }
        let outcome = try await queue.submit(GroupRequest(events: prepared, expectedVersions: versions, towns: call.towns))
        switch outcome {
        case .refused(let errors, let total): throw APIError(refusals: errors, total: total)
        case .forbidden(let index, let reason): throw APIError.forbidden(isBatch ? "event \(index): \(reason)" : reason)
        case .appended(let results):
            if !isBatch, let result = results.first {
                switch result {
                case .appended(let seq): return .json(.created, .object([("seq", .seq(seq)), ("duplicate", .bool(false))]))
                case .duplicate(let seq): return .json(.ok, .object([("seq", .seq(seq)), ("duplicate", .bool(true))]))
                }
            }
            var appended: [UInt64] = []
            var duplicates = 0
            for result in results {
                switch result {
                case .appended(let seq): appended.append(seq)
                case .duplicate: duplicates += 1
                }
            }
            return .json(appended.isEmpty ? .ok : .created, .object([
                ("appended", .int(appended.count)), ("duplicates", .int(duplicates)),
                ("first_seq", appended.first.map { .seq($0) } ?? .null), ("last_seq", appended.last.map { .seq($0) } ?? .null),
            ]))
        }
    }

    /// One event object of a request (or of a web form): `expect_version` taken out, `actor`
    /// checked and stamped with the caller's identity, then the envelope, privacy screen and
    /// catalogue. The one intake of events from people, whatever they typed into.
    static func prepare(_ object: [String: JSONValue], identity: Identity, ledger: Ledger) -> Result<(PreparedEvent, Int?), InputError> {
        var members = object
        var expected: Int?
        if let version = members.removeValue(forKey: "expect_version") {
            guard let number = version.integerValue, number >= 0, number <= Int64(Int32.max) else {
                return .failure(InputError(field: "expect_version", code: .envelopeType, reason: "must be an integer from 0"))
            }
            expected = Int(number)
        }
        if let actor = members["actor"], actor.stringValue != identity.name {
            return .failure(InputError(field: "actor", code: .actorMismatch,
                                       reason: "must be your identity, \(identity.name), or absent (the server stamps it)"))
        }
        members["actor"] = .string(identity.name)
        return EventInputParser.parse(members: members.map { ($0.key, $0.value) })
            .flatMap { ledger.prepare($0) }
            .map { ($0, expected) }
    }

    // MARK: Participants

    private func participantID(_ call: Call) throws -> String {
        guard let id = call.context.parameters.get("id"), EventInputParser.isValidParticipant(id) else {
            throw APIError.badRequest("a participant id \(EventInputParser.participantRule)")
        }
        return id
    }

    /// The participant's state, after the scope check: 404 for an unknown one.
    private func scopedSnapshot(_ call: Call) throws -> (id: String, state: ParticipantState, version: Int, headSeq: UInt64) {
        let id = try participantID(call)
        guard let snapshot = try ledger.snapshot(of: id) else { throw APIError.notFound("no participant \(id)") }
        try call.requireReach(town: snapshot.state.currentTown, what: "participant \(id)")
        return (id, snapshot.state, snapshot.version, snapshot.headSeq)
    }

    /// Records the read in the access log; returns once it is durable.
    private func recordAccess(_ call: Call, participants: [String], towns: [String]) async throws {
        try await queue.record(AccessRecord(at: EventLog.systemClock(), actor: call.identity.name, route: call.route.name,
                                            participants: participants, towns: towns))
    }

    private func participant(_ call: Call) async throws -> Response {
        let found = try scopedSnapshot(call)
        try await recordAccess(call, participants: [found.id], towns: [])
        let state = found.state
        return .json(.ok, .object([
            ("participant", .string(found.id)), ("registered", .bool(state.registered)), ("under_measure", .bool(state.underMeasure)),
            ("program", .optional(state.currentProgram?.name)), ("town", .optional(state.currentTown)),
            ("employed", .bool(state.employed)), ("balance", .integer(state.balance)), ("version", .int(found.version)),
            ("head_seq", .seq(found.headSeq)),
        ]))
    }

    private func participantEvents(_ call: Call) async throws -> Response {
        let found = try scopedSnapshot(call)
        let (from, limit) = try call.pageQuery()
        var entries: [LoggedEntry] = []
        try ledger.log.events(of: found.id, from: from, limit: limit + 1) { entries.append($0); return true }
        try await recordAccess(call, participants: [found.id], towns: [])
        return Self.page(prefix: [("participant", .string(found.id))], entries: entries, limit: limit)
    }

    private func participantAudit(_ call: Call) async throws -> Response {
        let found = try scopedSnapshot(call)
        let atSeq = try Self.integer(call.query("at_seq"), "at_seq", 1 ... Int64.max).map(UInt64.init)
        guard let report = try ledger.audit(found.id, atSeq: atSeq) else { throw APIError.notFound("no events of \(found.id) by seq \(atSeq ?? 0)") }
        try await recordAccess(call, participants: [found.id], towns: [])
        return .json(.ok, AuditDocument.json(report))
    }

    // MARK: Reports

    private func town(_ call: Call) throws -> String? {
        guard let town = call.query("town") else { return nil }
        guard ledger.city.town(town) != nil else {
            throw APIError.badRequest("\(DisplayText.escaped(PersonalNumbers.redacted(town))) is not a town of \(ledger.city.name) (towns: \(ledger.city.towns.map(\.id).joined(separator: ", ")))")
        }
        try call.requireReach(town: town, what: "town \(town)")
        return town
    }

    private func alerts(_ call: Call) async throws -> Response {
        let town = try town(call)
        let day: CivilDate
        if let text = call.query("as_of") {
            guard let parsed = CivilDate(text) else { throw APIError.badRequest("as_of must be a date YYYY-MM-DD") }
            day = parsed
        } else {
            day = CityZone.localDate(ofUTC: EventLog.systemClock())
        }
        var alerts = try ledger.alerts(on: day, town: town)
        if let towns = call.towns { alerts.removeAll { !towns.contains($0.town) } }
        let scope = town.map { [$0] } ?? call.towns.map { towns in ledger.city.towns.map(\.id).filter(towns.contains) } ?? ledger.city.towns.map(\.id)
        var seen = Set<String>()
        try await recordAccess(call, participants: alerts.map(\.participant).filter { seen.insert($0).inserted }, towns: scope)
        return .json(.ok, AlertsOutput.json(alerts, day: day))
    }

    private func stats(_ call: Call) throws -> Response {
        guard let year = try Self.integer(call.query("year"), "year", 2 ... 9998).map(Int.init) else {
            throw APIError.badRequest("year is required")
        }
        let day: CivilDate
        if let text = call.query("as_of") {
            guard let parsed = CivilDate(text) else { throw APIError.badRequest("as_of must be a date YYYY-MM-DD") }
            day = parsed
        } else if let lastDay = CivilDate(year: year, month: 12, day: 31) {
            day = lastDay
        } else {
            throw APIError.badRequest("year must be from 2 to 9998")
        }
        let knownAt = call.query("known_at")
        let atSeq = try Self.integer(call.query("at_seq"), "at_seq", 0 ... Int64.max)
        if knownAt != nil && atSeq != nil { throw APIError.badRequest("give known_at or at_seq, not both") }
        var cut = LedgerCut.everything
        if let atSeq { cut = .seq(UInt64(atSeq)) }
        if let knownAt {
            guard knownAt.count > 10, let instant = try? Timestamp.parse(knownAt).get() else {
                throw APIError.badRequest("known_at must be an RFC 3339 time with an offset")
            }
            cut = .recordedBy(instant)
        }
        let town = try town(call)
        let report = try ledger.statistics(year: year, asOf: day, cut: cut, town: town)
        let only = call.towns.map { towns in town.map { [$0] } ?? towns }
        if call.request.headers[.accept]?.contains("text/csv") == true {
            return .raw(.ok, Array(StatisticsOutput.csv(report, city: ledger.city, onlyTowns: only).utf8), contentType: "text/csv; charset=utf-8")
        }
        return .json(.ok, StatisticsOutput.json(report, onlyTowns: only))
    }

    // MARK: Rules

    private func rules(_ call: Call, adopting: Bool) async throws -> Response {
        let members = try await Self.objectBody(call.request)
        guard let document = members["document"]?.stringValue else {
            throw APIError(refusals: [InputError(line: 0, field: "document", code: .dataMissing, reason: "the rules document (TOML text) is required")], total: 1)
        }
        let rules: PointsRules
        do { rules = try PointsRules(submitted: document) } catch {
            throw APIError(refusals: [InputError(line: 0, field: "document", code: .rulesInvalid, reason: "\(error)")], total: 1)
        }
        guard adopting else { return .json(.ok, RulesDiffDocument.json(try ledger.diff(adopting: rules))) }
        guard let reason = members["reason"]?.stringValue else {
            throw APIError(refusals: [InputError(line: 0, field: "reason", code: .dataMissing, reason: "say why the rules change")], total: 1)
        }
        let actor = call.identity.name
        let diff = try await queue.perform { ledger in try ledger.adopt(rules, actor: actor, reason: reason) }
        return .json(.created, RulesDiffDocument.json(diff))
    }

    // MARK: The auditor's

    private func log(_ call: Call) throws -> Response {
        let (from, limit) = try call.pageQuery()
        var entries: [LoggedEntry] = []
        try ledger.log.scanEntries(from: from, limit: limit + 1) { entries.append($0); return true }
        return Self.page(prefix: [], entries: entries, limit: limit)
    }

    /// As `recovery verify --json`, without the page walk (it reads the data file by other
    /// means than LMDB, which would drop this process's locks on it): damage is `ok: false`.
    private func verify(_ call: Call) throws -> Response {
        let checked = try Self.verification(of: ledger)
        verifications.record(IntegrityPage.Verification(report: checked.report, accessRecords: checked.accessRecords,
                                                        at: EventLog.systemClock(), actor: call.identity.name))
        return .json(.ok, VerifyDocument.json(checked.report, accessRecords: checked.accessRecords))
    }

    /// The verification the API and the integrity page run.
    static func verification(of ledger: Ledger) throws -> (report: VerificationReport, accessRecords: Int) {
        do {
            return try ledger.verifyBeyondLog(try ledger.log.verify(digest: nil))
        } catch LogError.damagedStore(let reason) {
            return (VerificationReport(ok: false, events: 0, headSeq: 0, headHash: "", firstBadSeq: nil, reason: reason), 0)
        } catch LogError.damaged(let seq, let reason) {
            return (VerificationReport(ok: false, events: 0, headSeq: 0, headHash: "", firstBadSeq: seq, reason: reason), 0)
        }
    }

    private func head() throws -> Response {
        let head = try ledger.log.head()
        return .json(.ok, .object([
            ("seq", .seq(head.seq)), ("hash", .string(ChainHash.hex(head.hash))),
            ("recorded_at", head.seq == 0 ? .null : .string(Timestamp.utcString(head.recordedAt))),
        ]))
    }

    // MARK: Proofs (docs/proofs.md)

    private func key() throws -> SignedNote.SignerKey {
        guard let signer else {
            throw APIError(.serviceUnavailable, "no_signing_key", "the ledger has no signing key: make one with `recovery key create`, then restart the server")
        }
        return signer
    }

    private func checkpoint() throws -> Response {
        let key = try key()
        return .json(.ok, ProofDocument.checkpointJSON(try ProofDocument.checkpoint(of: ledger.log, key: key), key: key))
    }

    private func inclusionProof(_ call: Call) throws -> Response {
        let key = try key()
        guard let seq = try Self.integer(call.query("seq"), "seq", 1 ... Int64.max) else { throw APIError.badRequest("seq is required") }
        let size = try Self.integer(call.query("size"), "size", 1 ... Int64.max).map(UInt64.init)
        let proof = try ledger.log.inclusionProof(seq: UInt64(seq), size: size)
        let note = try ProofDocument.checkpointNote(key: key, size: proof.size, root: proof.root)
        return .json(.ok, ProofDocument.inclusion(note: note, size: proof.size, root: proof.root, entries: [.init(entry: proof.entry, path: proof.path)]))
    }

    private func consistencyProof(_ call: Call) throws -> Response {
        let key = try key()
        guard let from = try Self.integer(call.query("from"), "from", 0 ... Int64.max) else { throw APIError.badRequest("from is required") }
        let to = try Self.integer(call.query("to"), "to", 0 ... Int64.max).map(UInt64.init)
        let proof = try ledger.log.consistencyProof(from: UInt64(from), to: to)
        let old = try ProofDocument.checkpointNote(key: key, size: UInt64(from), root: proof.oldRoot)
        let new = try ProofDocument.checkpointNote(key: key, size: proof.new, root: proof.newRoot)
        return .json(.ok, ProofDocument.consistency(old: (old, UInt64(from), proof.oldRoot), new: (new, proof.new, proof.newRoot), path: proof.path))
    }

    private func receipt(_ call: Call) async throws -> Response {
        let key = try key()
        let found = try scopedSnapshot(call)
        guard let receipt = try ProofDocument.receipt(of: ledger.log, participant: found.id, key: key) else {
            throw APIError.notFound("no events of \(found.id)")
        }
        try await recordAccess(call, participants: [found.id], towns: [])
        return .json(.ok, receipt.document)
    }

    private func accessLog(_ call: Call) throws -> Response {
        let (from, limit) = try call.pageQuery()
        var since: Int64?
        if let text = call.query("since") {
            guard let instant = try? Timestamp.parse(text).get() else { throw APIError.badRequest("since must be an RFC 3339 time") }
            since = instant
        }
        let page = try ledger.accessRecords(from: from, limit: limit, actor: call.query("actor"), participant: call.query("participant"), since: since)
        return .json(.ok, .object([
            ("records", .array(page.records.map { AccessRecordDocument.json(number: $0.number, $0.record) })),
            ("next_from", page.next.map { .seq($0) } ?? .null),
        ]))
    }

    // MARK: The admin's

    private func grant(_ call: Call) async throws -> Response {
        let members = try await Self.objectBody(call.request)
        func refuse(_ field: String, _ code: RefusalCode, _ reason: String) -> APIError {
            APIError(refusals: [InputError(line: 0, field: field, code: code, reason: reason)], total: 1)
        }
        guard let name = members["identity"]?.stringValue else { throw refuse("identity", .dataMissing, "is required") }
        guard let roleName = members["role"]?.stringValue, let role = Role(name: roleName) else {
            throw refuse("role", .dataNotAChoice, "must be one of \(Role.allCases.map(\.name).joined(separator: " | "))")
        }
        var towns: [String] = []
        if let value = members["towns"] {
            guard case .array(let items) = value, items.count <= Identity.maximumTowns,
                  let names = Optional(items.compactMap(\.stringValue)), names.count == items.count else {
                throw refuse("towns", .accessTowns, "must be an array of at most \(Identity.maximumTowns) town ids")
            }
            towns = names
        }
        let actor = call.identity.name
        let named = towns
        let granted = try await queue.perform { ledger in try ledger.grant(name, role: role, towns: named, by: actor) }
        return .json(.created, GrantDocument.json(granted.identity, token: granted.token))
    }

    private func revoke(_ call: Call) async throws -> Response {
        let members = try await Self.objectBody(call.request)
        guard let name = members["identity"]?.stringValue else {
            throw APIError(refusals: [InputError(line: 0, field: "identity", code: .dataMissing, reason: "is required")], total: 1)
        }
        let actor = call.identity.name
        guard try await queue.perform({ ledger in try ledger.revoke(name, by: actor) }) != nil else {
            throw APIError.notFound("no identity \(DisplayText.escaped(name)) holds access")
        }
        return .json(.ok, .object([("identity", .string(name)), ("revoked", .bool(true))]))
    }

    private func accessList() throws -> Response {
        let identities = try authenticator.register().identities.values.sorted { $0.name < $1.name }
        return .json(.ok, .object([("identities", .array(identities.map(IdentityDocument.json)))]))
    }

    // MARK: Helpers

    /// An integer query parameter within `range`; nil when absent; 400 otherwise.
    static func integer(_ text: String?, _ name: String, _ range: ClosedRange<Int64>) throws -> Int64? {
        guard let text else { return nil }
        guard let number = Int64(text), range.contains(number) else {
            throw APIError.badRequest("\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// The body, up to the limit (413 beyond it, at once when the length is announced).
    static func body(_ request: Request) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > Limits.bodyBytes {
            throw APIError.tooLarge("the body is larger than \(Limits.bodyBytes) bytes")
        }
        return Array(try await request.body.collect(upTo: Limits.bodyBytes).readableBytesView)
    }

    /// A JSON object body (400 otherwise).
    static func objectBody(_ request: Request) async throws -> [String: JSONValue] {
        let bytes = try await body(request)
        guard case .object(let members)? = try? JSONParser.parse(bytes) else {
            throw APIError.malformed("the body must be one JSON object")
        }
        return members
    }

    /// `{…prefix, "events": [log lines], "next_from": seq|null}` from up to `limit + 1` entries.
    static func page(prefix: [(String, OrderedJSON)], entries: [LoggedEntry], limit: Int) -> Response {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        for (key, value) in prefix {
            OrderedJSON.string(key).write(into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            value.write(into: &bytes)
            bytes.append(UInt8(ascii: ","))
        }
        bytes.append(contentsOf: "\"events\":[".utf8)
        for (index, entry) in entries.prefix(limit).enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            LogJSONL.write(entry, into: &bytes)
            if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        }
        let next = entries.count > limit ? String(entries[limit].event.seq) : "null"
        bytes.append(contentsOf: "],\"next_from\":\(next)}".utf8)
        return .raw(.ok, bytes, contentType: "application/json")
    }
}

