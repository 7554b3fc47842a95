import EventLog

/// One version of the behaviour-conduct points scheme, in force from a local date on.
/// A class, immutable: every priced event refers to its version, and a reference costs a
/// retain where a struct with a name would be copied.
public final class RulesVersion: Equatable, Sendable {
    public let name: String
    public let effectiveFrom: CivilDate
    public let checkIn: Int64
    public let checkInMonthlyCap: Int64
    public let testNegative: Int64
    public let testPositive: Int64
    public let testRefused: Int64
    public let trainingAttended: Int64
    public let educationCompleted: Int64
    public let jobPlaced: Int64
    public let checkInIntervalDays: Int64

    /// The keys every version must have, in document order.
    public static let keys = [
        "name", "effective_from", "check_in", "check_in_monthly_cap", "test_negative", "test_positive", "test_refused",
        "training_attended", "education_completed", "job_placed", "check_in_interval_days",
    ]

    /// The integer-valued keys with their values, in document order (for output).
    public var integerFields: [(key: String, value: Int64)] {
        [("check_in", checkIn), ("check_in_monthly_cap", checkInMonthlyCap), ("test_negative", testNegative),
         ("test_positive", testPositive), ("test_refused", testRefused), ("training_attended", trainingAttended),
         ("education_completed", educationCompleted), ("job_placed", jobPlaced), ("check_in_interval_days", checkInIntervalDays)]
    }

    public static func == (lhs: RulesVersion, rhs: RulesVersion) -> Bool {
        lhs.name == rhs.name && lhs.effectiveFrom == rhs.effectiveFrom && lhs.integerFields.map(\.value) == rhs.integerFields.map(\.value)
    }

    init(table: TOMLTable, position: Int) throws(TOMLError) {
        let label = "version[\(position)]"
        for key in table.keyOrder where !Self.keys.contains(key) {
            throw TOMLError(line: table.entries[key]?.line, key: "\(label).\(key)", reason: "unknown key")
        }
        func entry(_ key: String) throws(TOMLError) -> (value: TOMLValue, line: Int) {
            guard let entry = table.entries[key] else {
                throw TOMLError(line: table.line, key: "\(label).\(key)", reason: "is required")
            }
            return entry
        }
        func integer(_ key: String, minimum: Int64 = -1_000_000) throws(TOMLError) -> Int64 {
            let (value, line) = try entry(key)
            guard case .integer(let number) = value else {
                throw TOMLError(line: line, key: "\(label).\(key)", reason: "must be an integer, not \(value.typeName)")
            }
            guard number >= minimum, number <= 1_000_000 else {
                throw TOMLError(line: line, key: "\(label).\(key)", reason: "must be between \(minimum) and 1000000")
            }
            return number
        }
        let (nameValue, nameLine) = try entry("name")
        guard case .string(let name) = nameValue, !name.isEmpty, name.count <= 64 else {
            throw TOMLError(line: nameLine, key: "\(label).name", reason: "must be a non-empty string of at most 64 characters")
        }
        let (dateValue, dateLine) = try entry("effective_from")
        switch dateValue {
        case .date(let date): effectiveFrom = date
        case .string(let text):
            guard let date = CivilDate(text) else {
                throw TOMLError(line: dateLine, key: "\(label).effective_from", reason: "must be a date YYYY-MM-DD")
            }
            effectiveFrom = date
        default:
            throw TOMLError(line: dateLine, key: "\(label).effective_from", reason: "must be a date YYYY-MM-DD")
        }
        self.name = name
        checkIn = try integer("check_in")
        checkInMonthlyCap = try integer("check_in_monthly_cap", minimum: 0)
        testNegative = try integer("test_negative")
        testPositive = try integer("test_positive")
        testRefused = try integer("test_refused")
        trainingAttended = try integer("training_attended")
        educationCompleted = try integer("education_completed")
        jobPlaced = try integer("job_placed")
        checkInIntervalDays = try integer("check_in_interval_days", minimum: 1)
    }
}
