// libFuzzer target: the event input parser (`EventInputParser.parse`, over `JSONParser`,
// `Timestamp` and `CivilDate`), fed the way `import` feeds it: the whole input as one range,
// and, when it holds newlines, every line as a range of the same buffer. A refused event
// (`InputError`) is the expected answer to bad input; a trap, a crash, a hang or a broken
// property below is a finding.
//
// Properties checked when an event is accepted:
// - it obeys the envelope of docs/events.md (type, participant, actor, id patterns; `at`
//   within the years 0001–9999 in UTC; `data` an object of at most 4096 canonical bytes);
// - `JSONWriter.canonicalLength(data)` is the length of the text `JSONWriter` writes;
// - writing the event back as canonical JSON (with `at` in the canonical UTC form that
//   `recovery log` prints) and parsing that gives the same event;
// - its stored record (`EventRecord.encodeValue`) decodes to the same fields.
// Accepted events then go through the next checks of `append` and `import` (the privacy
// screen and the catalogue, for Enping), which must not crash either.

private let catalogue = EventCatalogue(city: .enping)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEventInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    check(bytes, 0 ..< bytes.count)
    if bytes.contains(0x0A) {
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            check(bytes, start ..< index)
            start = index + 1
        }
        check(bytes, start ..< bytes.count)
    }
    return 0
}

private func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("property broken: \(message())") }
}

private func check(_ bytes: [UInt8], _ range: Range<Int>) {
    guard case .success(let event) = EventInputParser.parse(bytes, in: range) else { return }
    let input = String(decoding: bytes[range], as: UTF8.self)

    // The envelope.
    require(EventInputParser.isValidType(event.type), "accepted type \(event.type)")
    require(EventInputParser.isValid(event.participant, maximum: 32, allowed: EventInputParser.isParticipantByte),
            "accepted participant \(event.participant)")
    require(EventInputParser.isValid(event.actor, maximum: 64, allowed: EventInputParser.isActorByte), "accepted actor \(event.actor)")
    if let id = event.id { require(EventInputParser.isValid(id, maximum: 128, allowed: EventInputParser.isIdentifierByte), "accepted id \(id)") }
    require(event.at >= Timestamp.earliest && event.at <= Timestamp.latest,
            "accepted an instant outside the years 0001–9999 in UTC: \(event.at) ms (\(Timestamp.utcString(event.at))) from \(input)")
    guard case .object = event.data else { fatalError("property broken: accepted data that is not an object: \(input)") }
    let dataText = JSONWriter.text(event.data)
    require(JSONWriter.canonicalLength(event.data) == dataText.utf8.count,
            "canonicalLength \(JSONWriter.canonicalLength(event.data)) differs from the written length \(dataText.utf8.count): \(dataText)")
    require(dataText.utf8.count <= EventInputParser.maximumDataBytes, "accepted \(dataText.utf8.count) bytes of data")
    _ = CityZone.localString(event.at)

    // Written back as canonical JSON, the event reads the same.
    var members: [String: JSONValue] = [
        "type": .string(event.type), "participant": .string(event.participant), "at": .string(Timestamp.utcString(event.at)),
        "actor": .string(event.actor), "data": event.data,
    ]
    if let id = event.id { members["id"] = .string(id) }
    let written = JSONWriter.text(.object(members))
    switch EventInputParser.parse(written) {
    case .success(let reparsed): require(reparsed == event, "written back as \(written), the event reads differently")
    case .failure(let error): fatalError("property broken: written back as \(written), the event is refused: \(error) (input: \(input))")
    }

    _ = PrivacyScreen.check(event)
    _ = catalogue.effect(type: event.type, data: event.data)

    // Its stored record decodes to the same fields.
    var value: [UInt8] = []
    let id = event.id ?? "00000000-0000-4000-8000-000000000000"
    _ = EventRecord.encodeValue(into: &value, seq: 1, recordedAt: 1_646_098_200_000, id: id, event: event)
    switch decodeStored(value) {
    case .success(let stored):
        require(stored.id == id && stored.type == event.type && stored.participant == event.participant && stored.at == event.at
                && stored.actor == event.actor && stored.data == event.data, "the stored record decodes to another event")
    case .failure(let damage):
        fatalError("property broken: the stored record of an accepted event does not decode: \(damage.reason) (input: \(input))")
    }
}

private func decodeStored(_ value: [UInt8]) -> Result<StoredEvent, RecordDamage> {
    do { return .success(try EventRecord.decode(value.span, from: 32)) } catch { return .failure(error) }
}
