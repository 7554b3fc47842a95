// Writes the stored-record seed corpus: the stored records (after the 32-byte chain hash, as
// `recovery log --format jsonl` prints them in `record`) of one event of each type of
// Tools/sample-events.jsonl and of a few events with unusual data, and the stored participant
// states all those events build.
// Built and run by `Tools/fuzz --make-seeds`, with the sources of every target.
//
//     make-seeds SAMPLE_EVENTS_JSONL OUTPUT_DIRECTORY

#if canImport(Glibc)
import Glibc
#endif

@main
struct MakeSeeds {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 3 else { fatalError("usage: make-seeds SAMPLE_EVENTS_JSONL OUTPUT_DIRECTORY") }
        let text = try read(arguments[1])
        var lines = text.split(separator: "\n").map(String.init)
        lines += [
            #"{"id":"seed-negative-at","type":"check_in","participant":"P-1","at":"1969-12-31T23:59:59.999Z","actor":"a","data":{}}"#,
            #"{"id":"seed-numbers","type":"points_adjusted","participant":"P-1","at":"2022-06-01","actor":"a","data":{"delta":-1000,"reason":"r","f":[0,-0.0,1.5,1e308,-9223372036854775808,9223372036854775807,null,true,false]}}"#,
            #"{"id":"seed-unicode","type":"education_completed","participant":"P-1","at":"9999-12-31T23:59:59.999Z","actor":"a","data":{"course":"法律 \"law\"\n😀","é":{"a":[[{}]]},"e\u0301x":"x"}}"#,
            #"{"id":"seed-voided","type":"voided","participant":"P-001001","at":"2022-12-01","actor":"a","data":{"event":"sample-0002","reason":"entered twice"}}"#,
            #"{"id":"seed-subsidy","type":"employer_subsidy_paid","participant":"P-001001","at":"2022-12-02","actor":"a","data":{"employer":"恩平某厂","amount_fen":150000}}"#,
            #"{"id":"seed-ended","type":"job_ended","participant":"P-001001","at":"2022-12-03","actor":"a","data":{"reason":"contract over"}}"#,
            #"{"id":"seed-deregistered","type":"deregistered","participant":"P-001001","at":"2022-12-04","actor":"a","data":{"reason":"moved_away"}}"#,
        ]
        let catalogue = EventCatalogue(city: .enping)
        let pricing = PointsRules.standard.pricing
        var states: [String: ParticipantState] = [:]
        var order: [String] = []
        var written = 0
        var typesWritten: Set<String> = []
        for (position, line) in lines.enumerated() {
            let event: NewEvent
            switch EventInputParser.parse(line) {
            case .success(let parsed): event = parsed
            case .failure(let error): fatalError("line \(position + 1): \(error)")
            }
            let seq = UInt64(position + 2)  // seq 1 is the adoption of the rules
            var value: [UInt8] = []
            _ = EventRecord.encodeValue(into: &value, seq: seq, recordedAt: 1_672_531_200_000 + Int64(position), id: event.id ?? "seed-\(position)", event: event)
            // One record of each type of the sample, and every unusual one.
            if typesWritten.insert(event.type).inserted || event.id?.hasPrefix("seed-") == true {
                try write(Array(value[32...]), to: arguments[2] + "/record-\(event.id ?? String(position))-\(event.type).bin")
                written += 1
            }
            guard case .success(let effect) = catalogue.effect(type: event.type, data: event.data) else { continue }
            if states[event.participant] == nil { order.append(event.participant) }
            states[event.participant, default: ParticipantState()].apply(effect, seq: seq, at: event.at, pricing: pricing, towns: City.enping.towns.map(\.id))
        }
        try write(ParticipantState().encoded, to: arguments[2] + "/state-empty.bin")
        for participant in order { try write(states[participant]!.encoded, to: arguments[2] + "/state-\(participant).bin") }
        print("make-seeds: \(written) records, \(order.count + 1) participant states in \(arguments[2])")
    }

    struct IOError: Error { let path: String }

    static func read(_ path: String) throws -> String {
        guard let file = fopen(path, "rb") else { throw IOError(path: path) }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[0 ..< count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        guard let file = fopen(path, "wb") else { throw IOError(path: path) }
        defer { fclose(file) }
        guard fwrite(bytes, 1, bytes.count, file) == bytes.count else { throw IOError(path: path) }
    }
}
