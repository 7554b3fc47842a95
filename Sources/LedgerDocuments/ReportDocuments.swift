import EventLog
import Rehabilitation

/// The JSON documents the CLI prints and the server sends: one definition each, so
/// `recovery audit --json` and `GET /v1/participants/{id}/audit` cannot drift apart.
package enum AuditDocument {
    package static func json(_ report: AuditReport) -> OrderedJSON {
        .object([
            ("participant", .string(report.participant)),
            ("events", .array(report.rows.map { row in
                .object([
                    ("seq", .seq(row.event.seq)), ("id", .string(row.event.id)), ("type", .string(row.event.type)),
                    ("at", .string(Timestamp.utcString(row.event.at))), ("actor", .string(row.event.actor)),
                    ("data", .value(row.event.data)), ("rule_version", .optional(row.ruleVersion)),
                    ("delta", .integer(row.delta)), ("balance", .integer(row.balance)), ("voided_by", .optional(row.voidedBy)),
                ])
            })),
            ("balance", .integer(report.balance)),
            ("projection_balance", .optional(report.projectionBalance)),
            ("consistent", .bool(report.consistent)),
            ("head_seq", .seq(report.headSeq)),
            ("head_hash", .string(report.headHash)),
        ])
    }
}

/// `rules diff --json`, `rules adopt --json` and the server's rules routes.
package enum RulesDiffDocument {
    package static func json(_ diff: RulesDiff) -> OrderedJSON {
        .object([
            ("changed", .array(diff.changed.map {
                .object([("participant", .string($0.participant)), ("before", .integer($0.before)), ("after", .integer($0.after)),
                         ("negative", .bool($0.after < 0))])
            })),
            ("unchanged", .int(diff.unchanged)),
            ("events", .array(diff.repriced.map {
                .object([("participant", .string($0.event.participant)), ("seq", .seq($0.event.seq)), ("at", .string(Timestamp.utcString($0.event.at))),
                         ("type", .string($0.event.type)), ("before", .integer($0.before)), ("after", .integer($0.after))])
            })),
            ("events_total", .int(diff.repricedTotal)),
        ])
    }
}

/// The refusal document: `{"error":"rejected","total":N,"errors":[{POSITION,"field","code","reason"}]}`.
/// `errors` holds the first refusals (at most 20); `total` counts them all. The CLI names the
/// position `line` (of its input); the server names it `index` (of the request's events).
package enum RefusalDocument {
    package enum Position: String { case line, index }

    package static func json(errors: [InputError], total: Int, position: Position, error: String = "rejected") -> OrderedJSON {
        .object([
            ("error", .string(error)),
            ("total", .int(total)),
            ("errors", .array(errors.map { refusal in
                .object([
                    (position.rawValue, refusal.line.map { .int($0) } ?? (position == .index ? .int(0) : .null)),
                    ("field", .optional(refusal.field)),
                    ("code", .string(refusal.code.rawValue)),
                    ("reason", .string(refusal.reason)),
                ])
            })),
        ])
    }
}

/// `verify --json`: `{"ok":true,…}` or `{"ok":false,"first_bad_seq":N|null,"reason":…}`.
package enum VerifyDocument {
    /// A published digest given to `verify --digest`: its seq, and whether it was checked
    /// (false when the chain failed first or the seq is beyond the head).
    package struct Digest {
        package let seq: UInt64
        package let checked: Bool
        package init(seq: UInt64, checked: Bool) {
            self.seq = seq
            self.checked = checked
        }
    }

    /// `beyondHead`: why a digest beyond the head was not checked (then `ok` is false, with
    /// the head the chain verified to).
    package static func json(_ report: VerificationReport, accessRecords: Int? = nil, digest: Digest? = nil, beyondHead: String? = nil) -> OrderedJSON {
        let digestMember: [(String, OrderedJSON)] = digest.map { [("digest", .object([("seq", .seq($0.seq)), ("checked", .bool($0.checked))]))] } ?? []
        guard report.ok else {
            return .object([
                ("ok", .bool(false)), ("first_bad_seq", report.firstBadSeq.map { .seq($0) } ?? .null),
                ("reason", .string(report.reason ?? "")),
            ] + digestMember)
        }
        var members: [(String, OrderedJSON)] = [
            ("ok", .bool(beyondHead == nil)), ("events", .int(report.events)), ("head_seq", .seq(report.headSeq)), ("head_hash", .string(report.headHash)),
        ]
        if let accessRecords { members.append(("access_records", .int(accessRecords))) }
        if let beyondHead { members.append(("reason", .string(beyondHead))) }
        return .object(members + digestMember)
    }
}

/// An identity as `recovery access list --json` and `GET /v1/access` show it (never a token).
package enum IdentityDocument {
    package static func json(_ identity: Identity) -> OrderedJSON {
        .object([
            ("identity", .string(identity.name)), ("role", .string(identity.role.name)),
            ("towns", .array(identity.towns.map { .string($0) })),
            ("granted_at", .string(Timestamp.utcString(identity.grantedAt))), ("granted_by", .string(identity.grantedBy)),
        ])
    }
}

/// An access record as `recovery access log --json` and `GET /v1/access-log` show it.
package enum AccessRecordDocument {
    package static func json(number: UInt64, _ record: AccessRecord) -> OrderedJSON {
        .object([
            ("seq", .seq(number)), ("at", .string(Timestamp.utcString(record.at))), ("actor", .string(record.actor)),
            ("route", .string(record.route)), ("participants", .array(record.participants.map { .string($0) })),
            ("towns", .array(record.towns.map { .string($0) })),
        ])
    }
}

/// A grant's answer, the only place a token is ever shown: `{"identity","role","towns","token"}`.
package enum GrantDocument {
    package static func json(_ identity: Identity, token: String) -> OrderedJSON {
        .object([
            ("identity", .string(identity.name)), ("role", .string(identity.role.name)),
            ("towns", .array(identity.towns.map { .string($0) })), ("token", .string(token)),
        ])
    }
}
