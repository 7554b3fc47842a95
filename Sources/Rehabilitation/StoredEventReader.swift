import EventLog
import LMDB

/// The catalogue read from stored records: a rebuild needs each event's effect, not its
/// `JSONValue` data, and reads the few fields that matter in place. Stored events were
/// checked by `EventCatalogue.kind(type:data:)` when appended, so this reader only re-checks
/// what it reads (tags and choices) and answers nil for anything it does not recognise,
/// which a rebuild treats as an event without effect. Names are compared as compile-time
/// strings and each rebuild thread makes its own reader: threads then share no
/// reference-counted object, whose counts they would fight over.
public struct StoredEventReader: Sendable {
    /// The city's town ids with their UTF-8 bytes, in the city's order.
    private let towns: [(utf8: [UInt8], id: String)]

    /// A reader for the events of `city`, sharing no storage with it.
    public init(city: City) {
        towns = city.towns.map { town in
            let utf8 = Array(town.id.utf8)
            return (utf8, String(decoding: utf8, as: UTF8.self))
        }
    }

    /// The number of a town of the city (its place in the city's list), or nil.
    func townNumber(_ id: String) -> Int? { towns.firstIndex { $0.id == id } }

    /// The effect of a stored event, or nil when its type or fields are not the catalogue's.
    public func effect(of layout: EventLayout, in value: Span<UInt8>) throws(RecordDamage) -> EventEffect? {
        let type = layout.typeRange
        func isType(_ name: StaticString) -> Bool { value.matches(name, in: type) }
        let data = try layout.dataObject(in: value)
        func member(_ key: StaticString) throws(RecordDamage) -> StoredValue? { try data.member(key, in: value) }
        func text(_ key: StaticString) throws(RecordDamage) -> Range<Int>? { try member(key)?.stringRange(in: value) }
        func integer(_ key: StaticString) throws(RecordDamage) -> Int64? { try member(key)?.integer(in: value) }

        switch type.count {
        case 6 where isType("voided"): return .voided
        case 8 where isType("check_in"): return .checkIn
        case 8 where isType("enrolled"):
            guard let programRange = try text("program"), let townRange = try text("town"),
                  let employable = try member("employable")?.bool else { return nil }
            let program: Program
            if value.matches("community_detox", in: programRange) { program = .communityDetox }
            else if value.matches("community_rehab", in: programRange) { program = .communityRehab }
            else { return nil }
            guard let town = towns.first(where: { $0.utf8.count == townRange.count && value.matches($0.utf8, at: townRange.lowerBound) }) else {
                return nil
            }
            return .enrolled(program: program, town: town.id, employable: employable)
        case 8 where isType("aid_paid"):
            guard let kind = try text("kind"), let amount = try integer("amount_fen") else { return nil }
            if value.matches("subsistence", in: kind) { return .aidPaid(kind: .subsistence, amountFen: amount) }
            if value.matches("temporary", in: kind) { return .aidPaid(kind: .temporary, amountFen: amount) }
            return nil
        case 9 where isType("job_ended"): return .jobEnded
        case 10 where isType("job_placed"):
            guard let kind = try text("kind") else { return nil }
            if value.matches("enterprise", in: kind) { return .jobPlaced(.enterprise) }
            if value.matches("self_employment", in: kind) { return .jobPlaced(.selfEmployment) }
            if value.matches("public_welfare", in: kind) { return .jobPlaced(.publicWelfare) }
            return nil
        case 11 where isType("test_result"):
            guard let result = try text("result") else { return nil }
            if value.matches("negative", in: result) { return .testResult(.negative) }
            if value.matches("positive", in: result) { return .testResult(.positive) }
            if value.matches("refused", in: result) { return .testResult(.refused) }
            return nil
        case 12 where isType("deregistered"): return .deregistered
        case 13 where isType("measure_ended"): return .measureEnded
        case 15 where isType("points_adjusted"): return try integer("delta").map { .pointsAdjusted(delta: $0) }
        case 15 where isType("points_redeemed"): return try integer("points").map { .pointsRedeemed(points: $0) }
        case 17 where isType("training_attended"):
            guard let kind = try text("kind") else { return nil }
            if value.matches("vocational", in: kind) { return .trainingAttended(.vocational) }
            if value.matches("agricultural", in: kind) { return .trainingAttended(.agricultural) }
            return nil
        case 18 where isType("insurance_enrolled"): return .insuranceEnrolled
        case 19 where isType("education_completed"): return .educationCompleted
        case 21 where isType("employer_subsidy_paid"): return try integer("amount_fen").map { .employerSubsidyPaid(amountFen: $0) }
        default: return nil
        }
    }
}
