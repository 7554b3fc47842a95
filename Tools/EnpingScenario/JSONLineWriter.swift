/// Writes the finished history as JSON Lines in log order: all participants' events merged
/// by time (a participant's own events keep their replayed order), each with a unique id
/// `P-000123-0042` (participant, position in their stream), in the envelope of docs/events.md.
enum JSONLineWriter {
    static func write(_ people: [Participant], into out: inout [UInt8]) {
        var keys: [UInt64] = []
        keys.reserveCapacity(people.reduce(0) { $0 + $1.events.count })
        var positions: [[Int]] = []
        for (pi, p) in people.enumerated() {
            precondition(pi < 1 << 12 && p.events.count < 1 << 16)
            var position = [Int](repeating: -1, count: p.events.count + 1)
            for (li, e) in p.events.enumerated() {
                precondition(e.day <= LocalTime.lastDay, "event after 2022 for \(p.id)")
                keys.append(UInt64(e.minute) << 28 | UInt64(pi) << 16 | UInt64(li))
                if e.uid >= position.count { position += [Int](repeating: -1, count: e.uid - position.count + 1) }
                position[e.uid] = li
            }
            positions.append(position)
        }
        keys.sort()
        out.reserveCapacity(out.count + keys.count * 190)
        let ids = people.map { Array($0.id.utf8) }
        let towns = EnpingTown.all.map { Array($0.id.utf8) }
        for key in keys {
            let pi = Int(key >> 16 & 0xFFF), li = Int(key & 0xFFFF)
            let p = people[pi], e = p.events[li]
            out.append(contentsOf: #"{"id":""#.utf8)
            writeID(ids[pi], li, &out)
            out.append(contentsOf: #"","type":""#.utf8)
            out.append(contentsOf: e.kind.name.utf8)
            out.append(contentsOf: #"","participant":""#.utf8)
            out.append(contentsOf: ids[pi])
            out.append(contentsOf: #"","at":""#.utf8)
            LocalTime.write(minute: e.minute, into: &out)
            out.append(contentsOf: #"","actor":""#.utf8)
            let town = EnpingTown.all[e.town]
            switch e.kind {
            case .aidPaid:
                out.append(contentsOf: "mz-".utf8); out.append(contentsOf: towns[e.town]); out.append(contentsOf: "-01".utf8)
            case .subsidy:
                out.append(contentsOf: "rs-enping-01".utf8)
            default:
                out.append(contentsOf: "sw-".utf8); out.append(contentsOf: towns[e.town])
                out.append(contentsOf: "-0".utf8)
                out.append(UInt8(ascii: "0") + UInt8(1 + (e.worker - 1) % town.workers))
            }
            out.append(contentsOf: #"","data":{"#.utf8)
            writeData(e, p, positions[pi], ids[pi], towns, &out)
            out.append(contentsOf: "}}\n".utf8)
        }
    }

    private static func writeID(_ participant: [UInt8], _ position: Int, _ out: inout [UInt8]) {
        out.append(contentsOf: participant)
        out.append(UInt8(ascii: "-"))
        let digits = Array(String(position + 1).utf8)
        for _ in digits.count ..< 4 { out.append(UInt8(ascii: "0")) }
        out.append(contentsOf: digits)
    }

    private static func field(_ name: String, _ value: String, _ out: inout [UInt8], first: Bool = false) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: #"":""#.utf8)
        out.append(contentsOf: value.utf8)
        out.append(UInt8(ascii: "\""))
    }

    private static func number(_ name: String, _ value: Int, _ out: inout [UInt8], first: Bool = false) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: #"":"#.utf8)
        out.append(contentsOf: String(value).utf8)
    }

    private static func writeData(_ e: PlannedEvent, _ p: Participant, _ positions: [Int], _ id: [UInt8],
                                  _ towns: [[UInt8]], _ out: inout [UInt8]) {
        switch e.kind {
        case .enrolled:
            field("program", Vocabulary.programs[e.code], &out, first: true)
            field("town", EnpingTown.all[e.town].id, &out)
            out.append(contentsOf: (e.flag ? #","employable":true"# : #","employable":false"#).utf8)
        case .measureEnded:
            field("reason", Vocabulary.measureEndReasons[e.code], &out, first: true)
        case .deregistered:
            field("reason", Vocabulary.deregistrationReasons[e.code], &out, first: true)
        case .checkIn:
            if e.code == 1 { field("channel", "in_person", &out, first: true) }
            if e.code == 2 { field("channel", "online", &out, first: true) }
        case .testResult:
            field("result", Vocabulary.testResults[e.code], &out, first: true)
        case .training:
            field("kind", Vocabulary.trainingKinds[e.code], &out, first: true)
        case .education:
            field("course", Vocabulary.courses[e.text], &out, first: true)
        case .pointsAdjusted:
            number("delta", e.amount, &out, first: true)
            field("reason", Vocabulary.adjustments[e.text].reason, &out)
        case .pointsRedeemed:
            number("points", e.amount, &out, first: true)
            field("item", Vocabulary.items[e.text], &out)
        case .aidPaid:
            field("kind", Vocabulary.aidKinds[e.code], &out, first: true)
            number("amount_fen", e.amount, &out)
        case .jobPlaced:
            field("kind", Vocabulary.jobKinds[e.code], &out, first: true)
            let employer = e.code == 0 ? Vocabulary.employers[e.text]
                : (e.code == 1 ? Vocabulary.selfEmployed : Vocabulary.publicWelfare)
            field("employer", employer, &out)
        case .jobEnded:
            field("reason", Vocabulary.jobEndReasons[e.text], &out, first: true)
        case .subsidy:
            field("employer", Vocabulary.employers[e.text], &out, first: true)
            number("amount_fen", e.amount, &out)
        case .insurance:
            field("kind", Vocabulary.insuranceKinds[e.code], &out, first: true)
        case .voided:
            out.append(contentsOf: #""event":""#.utf8)
            writeID(id, positions[e.target], &out)
            out.append(UInt8(ascii: "\""))
            field("reason", Vocabulary.voidReasons[e.text], &out)
        }
    }
}
