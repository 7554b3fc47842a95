import EventLog

/// The adopted points scheme: its TOML text (kept verbatim, as adopted) and its versions,
/// sorted by the date they take effect. Every projection prices every event with the
/// document adopted last, old events included.
public struct PointsRules: Equatable, Sendable {
    /// The document exactly as adopted.
    public let document: String
    /// Sorted by `effectiveFrom`.
    public let versions: [RulesVersion]
    /// The versions' points as plain numbers, for pricing events.
    public let pricing: RulesPricing

    /// Parses and checks a rules document. Documents read back from the log go through here
    /// only: they were screened when adopted, and one adopted before a check existed must
    /// stay readable.
    public init(document: String) throws(TOMLError) {
        try self.init(document: document, toml: try TOMLDocument(parsing: document))
    }

    /// Parses and checks a rules document a person submits (`rules diff`, `rules adopt`): also
    /// refuses control characters and personal identifiers anywhere in it (`TOMLScreen`),
    /// before any of its names can be repeated in a message.
    public init(submitted document: String) throws(TOMLError) {
        let toml = try TOMLDocument(parsing: document)
        try TOMLScreen.check(document, toml)
        try self.init(document: document, toml: toml)
    }

    private init(document: String, toml: TOMLDocument) throws(TOMLError) {
        for key in toml.root.keyOrder {
            throw TOMLError(line: toml.root.entries[key]?.line, key: key, reason: "unknown key (versions go in [[version]] tables)")
        }
        try toml.refuseTables(otherThan: "version")
        guard let tables = toml.arrays["version"], !tables.isEmpty else {
            throw TOMLError(line: nil, key: "version", reason: "at least one [[version]] is required")
        }
        var versions: [RulesVersion] = []
        for (position, table) in tables.enumerated() {
            let version = try RulesVersion(table: table, position: position + 1)
            if versions.contains(where: { $0.name == version.name }) {
                throw TOMLError(line: table.entries["name"]?.line, key: "version[\(position + 1)].name", reason: "\"\(version.name)\" is used twice")
            }
            if versions.contains(where: { $0.effectiveFrom == version.effectiveFrom }) {
                throw TOMLError(line: table.entries["effective_from"]?.line, key: "version[\(position + 1)].effective_from",
                                reason: "\(version.effectiveFrom) is used twice")
            }
            versions.append(version)
        }
        self.document = document
        self.versions = versions.sorted { $0.effectiveFrom < $1.effectiveFrom }
        pricing = RulesPricing(self.versions)
    }

    /// The version in force on a local date: the latest `effective_from` on or before it.
    public func version(on date: CivilDate) -> RulesVersion? {
        var found: RulesVersion?
        for version in versions {
            if version.effectiveFrom <= date { found = version } else { break }
        }
        return found
    }

    /// Two documents are equal when their versions are (the pricing follows from them).
    public static func == (lhs: PointsRules, rhs: PointsRules) -> Bool {
        lhs.document == rhs.document && lhs.versions == rhs.versions
    }

    /// The scheme `recovery init` adopts.
    public static let defaultDocument = """
        [[version]]
        name = "2021"                 # unique
        effective_from = "2021-01-01" # unique; a local date (Asia/Shanghai)
        check_in = 2                  # points per check-in …
        check_in_monthly_cap = 4      # … for at most this many check-ins per participant per calendar month
        test_negative = 3
        test_positive = -20
        test_refused = -10
        training_attended = 3
        education_completed = 1
        job_placed = 10
        check_in_interval_days = 30   # a participant should check in at least this often (used by alerts)

        """

    /// The default scheme, parsed.
    public static let standard: PointsRules = {
        do { return try PointsRules(document: defaultDocument) } catch { preconditionFailure("the built-in rules are invalid: \(error)") }
    }()

    /// `{"versions":[{…}]}` with the keys of the document, for programs.
    public var json: JSONValue {
        .object(["versions": .array(versions.map { version in
            var members: [String: JSONValue] = ["name": .string(version.name), "effective_from": .string(version.effectiveFrom.description)]
            for (key, value) in version.integerFields { members[key] = .integer(value) }
            return .object(members)
        })])
    }
}
