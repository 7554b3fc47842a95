import EventLog

/// The catalogue: every event type the ledger knows, with its fixed storage code (the raw
/// value) and its row of the table (`definition`). This file is the single definition of what
/// an event is; the JSON validator (`EventCatalogue`), the stored-record reader
/// (`StoredEventReader`), the packed effects (`EventEffect`), the codes the projection stores
/// and the table in docs/events.md are derived from it. Adding a type is a case and its row
/// here, plus its effect on the state (`ParticipantState.apply`) and the figures.
/// Codes never change once used.
public enum EventType: UInt8, CaseIterable, Sendable {
    case enrolled = 1
    case measureEnded = 2
    case deregistered = 3
    case checkIn = 4
    case testResult = 5
    case trainingAttended = 6
    case educationCompleted = 7
    case pointsAdjusted = 8
    case pointsRedeemed = 9
    case aidPaid = 10
    case jobPlaced = 11
    case jobEnded = 12
    case employerSubsidyPaid = 13
    case insuranceEnrolled = 14
    case voided = 15
    case rulesAdopted = 16
    case accessGranted = 17
    case accessRevoked = 18
    case transferred = 19

    /// The type's row of the catalogue table.
    public var definition: EventDefinition { Self.table[Int(rawValue) - 1] }

    /// The rows, made once (codes run 1, 2, 3, … with no gaps; a test holds it).
    private static let table: [EventDefinition] = allCases.map(\.row)

    private var row: EventDefinition {
        switch self {
        case .enrolled:
            Self.row("enrolled", [.choice("program", Program.self), .required("town", .town, meaning: "a town id of the city"),
                             .required("employable", .flag)],
                .notUnderMeasure, "the participant is not under a measure (new, or their last measure ended, or they were deregistered: a later enrolment starts a new measure); a wrong enrolment (measure or town) is corrected by voiding it, allowed while no later event of the participant stands, and enrolling again",
                voidable: true)
        case .measureEnded:
            Self.row("measure_ended", [.choice("reason", MeasureEndReason.self)], .underMeasure,
                "under a measure; the participant stays on the register")
        case .deregistered:
            Self.row("deregistered", [.choice("reason", DeregistrationReason.self)], .registered,
                "registered; ends the register entry, any measure and any job")
        case .checkIn:
            Self.row("check_in", [.optional("channel", default: CheckInChannel.inPerson)], .registered, "registered", voidable: true)
        case .testResult:
            Self.row("test_result", [.choice("result", TestResult.self),
                                     .optionalText("method", meaning: "how the sample was taken (urine, hair, …); absent: urine, the programme's test")],
                     .registered, "registered", voidable: true)
        case .trainingAttended:
            Self.row("training_attended", [.choice("kind", TrainingKind.self)], .registered, "registered", voidable: true)
        case .educationCompleted:
            Self.row("education_completed", [.required("course", .text)], .registered, "registered", voidable: true)
        case .pointsAdjusted:
            Self.row("points_adjusted", [.required("delta", .integer(-1000 ... 1000, nonZero: true)), .required("reason", .text)],
                .registered, "registered", voidable: true)
        case .pointsRedeemed:
            Self.row("points_redeemed", [.required("points", .integer(1 ... 100_000, nonZero: false)), .required("item", .text)],
                .registered, "registered, and the current balance ≥ `points`", voidable: true)
        case .aidPaid:
            Self.row("aid_paid", [.choice("kind", AidKind.self), .required("amount_fen", Self.amount)], .registered, "registered", voidable: true)
        case .jobPlaced:
            Self.row("job_placed", [.choice("kind", JobKind.self), .required("employer", .text)], .registered,
                "registered and not currently employed")
        case .jobEnded:
            Self.row("job_ended", [.required("reason", .text)], .registered, "registered and currently employed")
        case .employerSubsidyPaid:
            Self.row("employer_subsidy_paid", [.required("employer", .text), .required("amount_fen", Self.amount)], .registered,
                "registered (the participant whose hiring the subsidy rewards)", voidable: true)
        case .insuranceEnrolled:
            Self.row("insurance_enrolled", [.choice("kind", InsuranceKind.self)], .registered, "registered", voidable: true)
        case .voided:
            Self.row("voided", [.required(Self.voidTargetField, .text, meaning: "the `id` of an earlier event"), .required("reason", .text)], .unconditional,
                "the target exists, belongs to the same participant, is of a voidable type and is not voided already; registration is not required")
        case .rulesAdopted:
            Self.system("rules_adopted", [.required("document", .text, meaning: "the points rules as TOML"),
                                          .optionalText("reason", meaning: "why the rules changed (required by the server's adopt route)")],
                        "only in the system stream `_rules`, appended by `recovery init` and `recovery rules adopt`")
        case .accessGranted:
            Self.system("access_granted", [
                .required("identity", .text, meaning: "the identity's name, stamped as `actor` on what it appends"),
                .choice("role", Role.self),
                .optionalText("towns", meaning: "the town ids of a town-scoped role, separated by spaces"),
                .required("token_sha256", .text, meaning: "hex SHA-256 of the bearer token (the token itself is never stored)"),
            ], "only in the system stream `_access`, appended by `recovery access grant` and the admin's grant route; replaces an earlier grant to the same identity")
        case .transferred:
            Self.row("transferred", [.required("town", .town, meaning: "the town id where the participant reports from `at` on (their place of execution)")],
                     .registered, "registered; from its `at` on, the participant belongs to `town` (statistics, alerts, who may record)")
        case .accessRevoked:
            Self.system("access_revoked", [.required("identity", .text, meaning: "the identity whose token stops working")],
                        "only in the system stream `_access`, appended by `recovery access revoke` and the admin's revoke route")
        }
    }

    /// Amounts of money: integer fen (1 yuan = 100 fen).
    private static let amount = FieldKind.integer(1 ... 1_000_000_000, nonZero: false)

    private static func row(_ name: String, _ fields: [FieldDefinition], _ precondition: Precondition, _ acceptedWhen: String,
                     voidable: Bool = false) -> EventDefinition {
        EventDefinition(name: name, fields: fields, precondition: precondition, isVoidable: voidable, isSystem: false,
                        acceptedWhen: acceptedWhen)
    }

    private static func system(_ name: String, _ fields: [FieldDefinition], _ acceptedWhen: String) -> EventDefinition {
        EventDefinition(name: name, fields: fields, precondition: .unconditional, isVoidable: false, isSystem: true, acceptedWhen: acceptedWhen)
    }

    // MARK: Derived

    /// The type's name in JSON and in stored records.
    public var name: String { definition.name }

    /// The type named `name`, system types included.
    public init?(name: String) {
        guard let found = Self.byName[name] else { return nil }
        self = found
    }

    private static let byName: [String: EventType] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })

    /// The types only the ledger appends.
    public static let systemTypes: Set<EventType> = Set(allCases.filter { $0.definition.isSystem })

    /// The types `append` and `import` accept, in the table's order.
    public static let acceptedTypes: [EventType] = allCases.filter { !$0.definition.isSystem }

    /// Their names.
    public static let acceptedNames: [String] = acceptedTypes.map(\.name)

    /// The type's precondition, read from a table of plain values: an append checks it on the
    /// writer's thread while another core checks the next lines, and copying a row of
    /// `definition` (strings, arrays) would make both cores count references to the same objects.
    public var precondition: Precondition { Self.preconditions[Int(rawValue) - 1] }
    private static let preconditions: [Precondition] = allCases.map(\.row.precondition)

    /// The data field in which a `voided` event names the id of the event it cancels.
    static let voidTargetField = "event"

    /// The id a `voided` event's `data` names, if it names one.
    static func voidTarget(in data: JSONValue) -> String? { data.objectMembers?[voidTargetField]?.stringValue }

    /// The types a `voided` event may cancel.
    public static let voidableTypes: [EventType] = allCases.filter { $0.definition.isVoidable }
}

// MARK: The choices (each choice's raw value is its fixed code)

/// 社区戒毒 (community detox) or 社区康复 (community rehabilitation, after compulsory isolation).
public enum Program: UInt8, CatalogueChoice {
    case communityDetox = 0, communityRehab = 1
    public var name: String { self == .communityDetox ? "community_detox" : "community_rehab" }
}

public enum MeasureEndReason: UInt8, CatalogueChoice {
    case completed = 0, compulsoryIsolation = 1
    public var name: String { self == .completed ? "completed" : "compulsory_isolation" }
}

public enum DeregistrationReason: UInt8, CatalogueChoice {
    case movedAway = 0, deceased = 1, removed = 2
    public var name: String {
        switch self {
        case .movedAway: "moved_away"
        case .deceased: "deceased"
        case .removed: "removed"
        }
    }
}

public enum CheckInChannel: UInt8, CatalogueChoice {
    case inPerson = 0, online = 1
    public var name: String { self == .inPerson ? "in_person" : "online" }
}

public enum TestResult: UInt8, CatalogueChoice {
    case negative = 0, positive = 1, refused = 2
    public var name: String {
        switch self {
        case .negative: "negative"
        case .positive: "positive"
        case .refused: "refused"
        }
    }
}

public enum TrainingKind: UInt8, CatalogueChoice {
    case vocational = 0, agricultural = 1
    public var name: String { self == .vocational ? "vocational" : "agricultural" }
}

/// 低保 (subsistence) or 临时救助 (temporary relief).
public enum AidKind: UInt8, CatalogueChoice {
    case subsistence = 0, temporary = 1
    public var name: String { self == .subsistence ? "subsistence" : "temporary" }
    public var note: String? { self == .subsistence ? "低保" : "临时救助" }
}

public enum JobKind: UInt8, CatalogueChoice {
    case enterprise = 0, selfEmployment = 1, publicWelfare = 2
    public var name: String {
        switch self {
        case .enterprise: "enterprise"
        case .selfEmployment: "self_employment"
        case .publicWelfare: "public_welfare"
        }
    }
}

/// What an identity of the server may do (docs/server.md, the authorization matrix).
public enum Role: UInt8, CatalogueChoice {
    case recorder = 0, townOffice = 1, cityOffice = 2, auditor = 3, admin = 4
    public var name: String {
        switch self {
        case .recorder: "recorder"
        case .townOffice: "town_office"
        case .cityOffice: "city_office"
        case .auditor: "auditor"
        case .admin: "admin"
        }
    }
    public var note: String? {
        switch self {
        case .recorder: "社工 (a town's social worker)"
        case .townOffice: "镇街禁毒办"
        case .cityOffice: "市禁毒办"
        case .auditor: "审计"
        case .admin: "系统管理员 (identities only)"
        }
    }
    /// Whether the role's reach is its own towns (else the whole city, or no participant at all).
    public var isTownScoped: Bool { self == .recorder || self == .townOffice }
    /// The role named `name`.
    public init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = found
    }
}

public enum InsuranceKind: UInt8, CatalogueChoice {
    case social = 0, medical = 1
    public var name: String { self == .social ? "social" : "medical" }
}
