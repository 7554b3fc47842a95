import EnpingScenario
import EventLog
import Rehabilitation

/// The one data set every figure is measured on, generated deterministically: the same
/// events as JSON Lines (what `recovery import` reads), as `NewEvent` values (what the log's
/// API takes) and as participant keys (what the raw floor indexes). Event `i` becomes seq
/// `i + 1` in a fresh log, which lets the raw floor reuse the log's own stored records.
struct Workload {
    let eventCount: Int
    let participantCount: Int
    /// One JSON object per line, `\n`-terminated.
    let jsonLines: [UInt8]
    /// Where each line starts in `jsonLines` (plus the end, so line `i` is `starts[i] ..< starts[i+1] - 1`).
    let lineStarts: [Int]
    /// The same events, in the same order.
    let events: [NewEvent]
    /// The participant (an index into the names) of each event.
    let participantOfEvent: [Int32]
    /// Every participant name, each exactly `participantKeyWidth` bytes, back to back.
    let participantKeyBytes: [UInt8]
    let participantKeyWidth: Int
    /// Every event's id (`ev-0000001`, …), each exactly `idWidth` bytes, back to back.
    let idBytes: [UInt8]
    let idWidth: Int

    var averageLineBytes: Double { Double(jsonLines.count) / Double(max(eventCount, 1)) }

    func participantName(_ index: Int) -> String {
        let start = index * participantKeyWidth
        return String(decoding: participantKeyBytes[start ..< start + participantKeyWidth], as: UTF8.self)
    }

    /// The bytes of line `index`, without its newline.
    func lineRange(_ index: Int) -> Range<Int> { lineStarts[index] ..< lineStarts[index + 1] - 1 }

    // MARK: Generation

    private enum Field {
        case text(String)
        case integer(Int64)
        case flag(Bool)
    }

    private static let towns = [
        "encheng", "hengpi", "shengtang", "liangxi", "shahu", "niujiang", "juntang", "datian", "naji", "dahuai", "dongcheng",
    ]
    private static let actors = [
        "sw-encheng-01", "sw-encheng-02", "sw-hengpi-01", "sw-shengtang-01", "sw-liangxi-02", "sw-shahu-01",
        "sw-niujiang-03", "sw-juntang-01", "sw-datian-02", "sw-naji-01", "sw-dahuai-01", "sw-dongcheng-02",
    ]

    static func generate(events eventCount: Int, participants participantCount: Int, seed: UInt64 = 0x2026_1129) -> Workload {
        var random = SplitMix64(seed: seed)
        let participantDigits = max(6, String(participantCount).count)
        let keyWidth = 2 + participantDigits
        var keyBytes: [UInt8] = []
        keyBytes.reserveCapacity(participantCount * keyWidth)
        var names: [String] = []
        names.reserveCapacity(participantCount)
        for number in 1 ... participantCount {
            let start = keyBytes.count
            keyBytes.append(contentsOf: Array("P-".utf8))
            appendDecimal(number, width: participantDigits, to: &keyBytes)
            names.append(String(decoding: keyBytes[start...], as: UTF8.self))
        }

        let idDigits = max(7, String(eventCount).count)
        var lines: [UInt8] = []
        lines.reserveCapacity(eventCount * 160)
        var starts: [Int] = []
        starts.reserveCapacity(eventCount + 1)
        var events: [NewEvent] = []
        events.reserveCapacity(eventCount)
        var owners: [Int32] = []
        owners.reserveCapacity(eventCount)
        var ids: [UInt8] = []
        ids.reserveCapacity(eventCount * (3 + idDigits))
        // The events' local times (seconds since 1970 in the city, UTC+8). Up to a million
        // events: from 2022-01-01T08:00, 20–119 s apart, as every figure measured so far. A
        // larger log spreads over the ten years 2016–2025 instead, about span / count apart:
        // `import` refuses an `at` after today, which the short steps passed at 2.2 million.
        let spanSeconds: Int64 = (20_454 - 16_801) * 86_400  // 2016-01-01 … 2026-01-01
        // At least a second apart: the log's times are whole seconds here.
        precondition(Int64(eventCount) <= spanSeconds - 8 * 3_600, "at most one event a second over ten years")
        let longLog = eventCount > 1_000_000
        var localSeconds: Int64 = (longLog ? 16_801 : 18_993) * 86_400 + 8 * 3_600
        // 98 % of the span on average: the sum of random steps strays by far less than 2 %
        // (its deviation is about √count steps), so the last event stays inside the span.
        let meanStepSeconds = longLog ? max(1, Int((spanSeconds - 8 * 3_600) * 98 / 100 / Int64(eventCount))) : 70
        // What the domain's rules ask of a stream: enrolled first; job_ended only while employed.
        var enrolled = [Bool](repeating: false, count: participantCount)
        var employed = [Bool](repeating: false, count: participantCount)

        for index in 0 ..< eventCount {
            // Steps of 1 … 2·mean−1 seconds average the mean (exactly 1 when the mean is 1).
            localSeconds += longLog ? Int64(1 + random.belowByRemainder(2 * meanStepSeconds - 1)) : Int64(20 + random.belowByRemainder(100))
            let participant = random.belowByRemainder(participantCount)
            let actor = actors[random.belowByRemainder(actors.count)]
            let (type, fields) = content(&random, enrolled: enrolled[participant], employed: &employed[participant])
            enrolled[participant] = true

            starts.append(lines.count)
            append("{\"id\":\"ev-", to: &lines)
            let idStart = lines.count - 3
            appendDecimal(index + 1, width: idDigits, to: &lines)
            let id = String(decoding: lines[idStart...], as: UTF8.self)
            ids.append(contentsOf: lines[idStart...])
            append("\",\"type\":\"", to: &lines)
            append(type, to: &lines)
            append("\",\"participant\":\"", to: &lines)
            append(names[participant], to: &lines)
            append("\",\"at\":\"", to: &lines)
            appendLocalTime(localSeconds, to: &lines)
            append("\",\"actor\":\"", to: &lines)
            append(actor, to: &lines)
            append("\",\"data\":{", to: &lines)
            var members: [String: JSONValue] = [:]
            for (position, (key, field)) in fields.enumerated() {
                if position > 0 { lines.append(UInt8(ascii: ",")) }
                lines.append(UInt8(ascii: "\""))
                append(key, to: &lines)
                append("\":", to: &lines)
                switch field {
                case .text(let text):
                    lines.append(UInt8(ascii: "\""))
                    append(text, to: &lines)
                    lines.append(UInt8(ascii: "\""))
                    members[key] = .string(text)
                case .integer(let number):
                    appendDecimal(Int(number), width: 1, to: &lines)
                    members[key] = .integer(number)
                case .flag(let flag):
                    append(flag ? "true" : "false", to: &lines)
                    members[key] = .bool(flag)
                }
            }
            append("}}\n", to: &lines)

            events.append(NewEvent(
                id: id, type: type, participant: names[participant],
                at: (localSeconds - 8 * 3_600) * 1_000, actor: actor, data: .object(members)))
            owners.append(Int32(participant))
        }
        starts.append(lines.count)
        return Workload(
            eventCount: eventCount, participantCount: participantCount, jsonLines: lines, lineStarts: starts,
            events: events, participantOfEvent: owners, participantKeyBytes: keyBytes, participantKeyWidth: keyWidth,
            idBytes: ids, idWidth: 3 + idDigits)
    }

    /// Parses about `samples` lines with the log's own input parser and checks that they give
    /// exactly the `NewEvent` values the batch figure appends: the import and the batch append
    /// really see the same data. Returns the first mismatch, if any.
    func mismatchWithParser(samples: Int) -> String? {
        let step = max(1, eventCount / max(samples, 1))
        for index in stride(from: 0, to: eventCount, by: step) {
            switch EventInputParser.parse(jsonLines, in: lineRange(index)) {
            case .success(let parsed) where parsed == events[index]: continue
            case .success(let parsed): return "line \(index + 1): parsed \(parsed), generated \(events[index])"
            case .failure(let error): return "line \(index + 1): \(error)"
            }
        }
        return nil
    }

    /// A type and its `data` members, valid under the rehabilitation catalogue and rules
    /// (so that `recovery import` accepts every line); the mix makes lines average about
    /// 150 bytes.
    private static func content(_ random: inout SplitMix64, enrolled: Bool, employed: inout Bool) -> (String, [(String, Field)]) {
        func pick(_ choices: [String]) -> Field { .text(choices[random.belowByRemainder(choices.count)]) }
        guard enrolled else {
            return ("enrolled", [
                ("program", pick(["community_detox", "community_rehab"])),
                ("town", pick(towns)),
                ("employable", .flag(random.belowByRemainder(3) != 0)),
            ])
        }
        switch random.belowByRemainder(100) {
        case 0 ..< 45:
            return ("check_in", [("channel", pick(["in_person", "in_person", "in_person", "online"]))])
        case 45 ..< 67:
            return ("test_result", [("result", pick(["negative", "negative", "negative", "negative", "positive", "refused"]))])
        case 67 ..< 73:
            return ("training_attended", [("kind", pick(["vocational", "agricultural"]))])
        case 73 ..< 77:
            return ("education_completed", [("course", pick(["law", "health", "first-aid", "literacy", "farming"]))])
        case 77 ..< 82:
            return ("aid_paid", [
                ("kind", pick(["subsistence", "temporary"])),
                ("amount_fen", .integer(Int64(10_000 * (1 + random.belowByRemainder(80))))),
            ])
        case 82 ..< 86:
            return ("insurance_enrolled", [("kind", pick(["social", "medical"]))])
        case 86 ..< 91:
            defer { employed.toggle() }
            if employed { return ("job_ended", [("reason", pick(["contract_end", "resigned", "dismissed"]))]) }
            return ("job_placed", [
                ("kind", pick(["enterprise", "self_employment", "public_welfare"])),
                ("employer", pick(["em-0012", "em-0347", "em-1088", "self"])),
            ])
        default:
            let size = Int64(1 + random.belowByRemainder(20))
            return ("points_adjusted", [
                ("delta", .integer(random.belowByRemainder(4) == 0 ? -size : size)),
                ("reason", pick(["bonus", "correction", "volunteer"])),
            ])
        }
    }

    private static func append(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: text.utf8)
    }

    private static func appendDecimal(_ signed: Int, width: Int, to bytes: inout [UInt8]) {
        if signed < 0 { bytes.append(UInt8(ascii: "-")) }
        let value = signed.magnitude
        var divisor: UInt = 1
        var digitCount = 1
        while divisor <= value / 10 {
            divisor *= 10
            digitCount += 1
        }
        for _ in digitCount ..< max(width, digitCount) { bytes.append(UInt8(ascii: "0")) }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    /// `2022-03-01T09:30:00+08:00` for seconds of local time since 1970.
    private static func appendLocalTime(_ seconds: Int64, to bytes: inout [UInt8]) {
        let within = Int(seconds % 86_400)
        let date = CivilDate(daysSinceEpoch: seconds / 86_400)
        appendDecimal(date.year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDecimal(date.month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDecimal(date.day, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        appendDecimal(within / 3_600, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDecimal(within / 60 % 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDecimal(within % 60, width: 2, to: &bytes)
        append("+08:00", to: &bytes)
    }
}
