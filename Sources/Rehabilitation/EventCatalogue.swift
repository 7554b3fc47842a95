import EventLog

/// Checks an event's `type` and `data` against the catalogue and turns them into an
/// `EventKind`. Unknown types, unknown or missing data fields, wrong types and values out of
/// range are refused with the field at fault (`data.town`, …).
public struct EventCatalogue: Sendable {
    /// The city whose town ids `enrolled` may name.
    public let city: City

    public init(city: City) { self.city = city }

    /// The typed event, or why the type and data are not acceptable.
    public func kind(type: String, data: JSONValue) -> Result<EventKind, InputError> {
        var reader = DataReader(data: data)
        let kind: EventKind?
        switch type {
        case "enrolled":
            let program = reader.choice("program", Program.self)
            let town = reader.string("town")
            if let town, city.town(town) == nil {
                reader.fail("data.town", "\"\(DisplayText.escaped(town))\" is not a town of \(DisplayText.escaped(city.name)) (towns: \(city.towns.map(\.id).joined(separator: ", ")))")
            }
            let employable = reader.bool("employable")
            kind = reader.build { .enrolled(program: program!, town: town!, employable: employable!) }
        case "measure_ended":
            let reason = reader.choice("reason", MeasureEndReason.self)
            kind = reader.build { .measureEnded(reason: reason!) }
        case "deregistered":
            let reason = reader.choice("reason", DeregistrationReason.self)
            kind = reader.build { .deregistered(reason: reason!) }
        case "check_in":
            let channel = reader.choice("channel", CheckInChannel.self, optional: true)
            kind = reader.build { .checkIn(channel: channel ?? .inPerson) }
        case "test_result":
            let result = reader.choice("result", TestResult.self)
            kind = reader.build { .testResult(result!) }
        case "training_attended":
            let training = reader.choice("kind", TrainingKind.self)
            kind = reader.build { .trainingAttended(training!) }
        case "education_completed":
            let course = reader.string("course")
            kind = reader.build { .educationCompleted(course: course!) }
        case "points_adjusted":
            let delta = reader.integer("delta", in: -1000 ... 1000)
            if delta == 0 { reader.fail("data.delta", "must not be zero") }
            let reason = reader.string("reason")
            kind = reader.build { .pointsAdjusted(delta: delta!, reason: reason!) }
        case "points_redeemed":
            let points = reader.integer("points", in: 1 ... 100_000)
            let item = reader.string("item")
            kind = reader.build { .pointsRedeemed(points: points!, item: item!) }
        case "aid_paid":
            let aid = reader.choice("kind", AidKind.self)
            let amount = reader.integer("amount_fen", in: 1 ... 1_000_000_000)
            kind = reader.build { .aidPaid(kind: aid!, amountFen: amount!) }
        case "job_placed":
            let job = reader.choice("kind", JobKind.self)
            let employer = reader.string("employer")
            kind = reader.build { .jobPlaced(kind: job!, employer: employer!) }
        case "job_ended":
            let reason = reader.string("reason")
            kind = reader.build { .jobEnded(reason: reason!) }
        case "employer_subsidy_paid":
            let employer = reader.string("employer")
            let amount = reader.integer("amount_fen", in: 1 ... 1_000_000_000)
            kind = reader.build { .employerSubsidyPaid(employer: employer!, amountFen: amount!) }
        case "insurance_enrolled":
            let insurance = reader.choice("kind", InsuranceKind.self)
            kind = reader.build { .insuranceEnrolled(insurance!) }
        case "voided":
            let target = reader.string("event")
            let reason = reader.string("reason")
            kind = reader.build { .voided(eventId: target!, reason: reason!) }
        default:
            return .failure(InputError(line: nil, field: "type", reason: "unknown event type \"\(type)\" (accepted: \(EventKind.types.joined(separator: ", ")))"))
        }
        if let error = reader.firstError { return .failure(error) }
        guard let kind else { return .failure(InputError(line: nil, field: "data", reason: "invalid")) }
        return .success(kind)
    }
}

/// Reads catalogue fields out of `data`, remembering the first problem and the fields read
/// (so unlisted fields can be refused). This runs for every event of an import and a
/// rebuild, so the common path allocates nothing.
private struct DataReader {
    let members: [String: JSONValue]
    private(set) var firstError: InputError?
    private var presentFields = 0
    /// The keys looked up (no type has more than three fields); kept inline, not on the heap.
    private var readKeys: (String?, String?, String?) = (nil, nil, nil)

    init(data: JSONValue) {
        members = data.objectMembers ?? [:]
    }

    mutating func fail(_ field: String, _ reason: String) {
        if firstError == nil { firstError = InputError(line: nil, field: field, reason: reason) }
    }

    private mutating func value(_ key: String, optional: Bool = false) -> JSONValue? {
        if readKeys.0 == nil { readKeys.0 = key } else if readKeys.1 == nil { readKeys.1 = key } else { readKeys.2 = key }
        guard let value = members[key] else {
            if !optional { fail("data.\(key)", "is required") }
            return nil
        }
        presentFields += 1
        return value
    }

    mutating func string(_ key: String) -> String? {
        guard let value = value(key) else { return nil }
        guard let text = value.stringValue else { fail("data.\(key)", "must be a string, not \(value.typeName)"); return nil }
        guard !text.isEmpty, text.unicodeScalars.count <= 200 else { fail("data.\(key)", "must be 1–200 characters"); return nil }
        return text
    }

    mutating func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, _: Choice.Type, optional: Bool = false) -> Choice?
    where Choice.RawValue == String {
        guard let value = value(key, optional: optional) else { return nil }
        guard let text = value.stringValue, let choice = Choice(rawValue: text) else {
            fail("data.\(key)", "must be one of \(Choice.allCases.map(\.rawValue).joined(separator: " | "))")
            return nil
        }
        return choice
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let flag = value.boolValue else { fail("data.\(key)", "must be true or false, not \(value.typeName)"); return nil }
        return flag
    }

    mutating func integer(_ key: String, in range: ClosedRange<Int64>) -> Int64? {
        guard let value = value(key) else { return nil }
        guard let number = value.integerValue else { fail("data.\(key)", "must be an integer, not \(value.typeName)"); return nil }
        guard range.contains(number) else { fail("data.\(key)", "must be between \(range.lowerBound) and \(range.upperBound)"); return nil }
        return number
    }

    /// The event when every field was valid and none was unlisted.
    mutating func build(_ make: () -> EventKind) -> EventKind? {
        if presentFields < members.count {
            for key in members.keys.sorted() where key != readKeys.0 && key != readKeys.1 && key != readKeys.2 {
                fail("data.\(key)", "unknown field for this event type")
            }
        }
        return firstError == nil ? make() : nil
    }
}
