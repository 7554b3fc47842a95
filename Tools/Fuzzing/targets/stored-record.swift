// libFuzzer target: the decoders of stored bytes. Every input is offered to each of them:
// the event record (`EventRecord.decode`, version byte 01), the in-place reader of the same
// record (`EventLayout`, `StoredObject`, `StoredEventReader`) and the participant state of the
// balance projection (`ParticipantState(decoding:)`, version byte 02). A thrown
// `RecordDamage` is the expected answer to damaged bytes; a trap, a crash, a hang or a broken
// property below is a finding.
//
// Properties checked when bytes decode:
// - the two record readers agree: `EventLayout(…).event(in:)` succeeds exactly when
//   `EventRecord.decode` does, with the same event;
// - re-encoding is canonical: `encode(decode(x))` decodes to the same event, and encoding that
//   again gives the same bytes. The input itself need not equal its re-encoding: the decoder
//   accepts non-shortest varints and object members in any order (docs/format.md asks writers,
//   not readers, for the canonical form). Events are compared by their canonical bytes, and
//   also with `==` unless `data` holds a NaN (NaN != NaN);
// - `data` printed by `JSONWriter` (what `recovery log` prints) parses back to the same value;
// - when the catalogue accepts the decoded event, `StoredEventReader` reads the same effect
//   from the stored bytes;
// - a participant state decodes the same in every scope, `balance(decoding:)` agrees, and its
//   re-encoding decodes to an equal state and is a fixpoint.

private let city = City.enping
private let reader = StoredEventReader(city: .enping)
private let catalogue = EventCatalogue(city: .enping)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStoredRecord(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    checkRecord(bytes)
    checkParticipantState(bytes)
    return 0
}

private func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("property broken: \(message())") }
}

private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined(separator: " ")
}

private func containsNaN(_ value: JSONValue) -> Bool {
    switch value {
    case .number(let number): number.isNaN
    case .array(let elements): elements.contains(where: containsNaN)
    case .object(let members): members.values.contains(where: containsNaN)
    default: false
    }
}

private func decodeRecord(_ bytes: [UInt8]) -> Result<StoredEvent, RecordDamage> {
    do { return .success(try EventRecord.decode(bytes.span, from: 0)) } catch { return .failure(error) }
}

private func checkRecord(_ bytes: [UInt8]) {
    let span = bytes.span
    let decoded: StoredEvent?
    do { decoded = try EventRecord.decode(span, from: 0) } catch { decoded = nil }

    // The in-place reader of the same record.
    var viaLayout: StoredEvent?
    var effect: EventEffect??
    if let layout = try? EventLayout(span, recordAt: 0) {
        viaLayout = try? layout.event(in: span)
        effect = try? reader.effect(of: layout, in: span)
        if let object = try? layout.dataObject(in: span) {
            for key: StaticString in ["program", "town", "kind", "amount_fen", "delta", "points", "result", "employable"] {
                if let member = try? object.member(key, in: span) {
                    _ = try? member.integer(in: span)
                    _ = try? member.string(in: span)
                    _ = member.bool
                }
            }
        }
        _ = try? layout.id(in: span)
        _ = try? layout.actor(in: span)
    }
    require((decoded == nil) == (viaLayout == nil),
            "EventRecord.decode \(decoded == nil ? "refuses" : "accepts") a record EventLayout \(viaLayout == nil ? "refuses" : "accepts"): \(hex(bytes))")
    guard let event = decoded, let viaLayout else { return }
    let canonical = EventRecord.encode(event)
    require(EventRecord.encode(viaLayout) == canonical, "EventRecord.decode and EventLayout read different events")
    require((try? EventLayout(span, recordAt: 0).contentStart) != nil, "contentStart fails on a record that decodes")

    // Re-encoding.
    let again: StoredEvent
    switch decodeRecord(canonical) {
    case .success(let event): again = event
    case .failure(let error): fatalError("property broken: the re-encoded record does not decode (\(error.reason)): \(hex(canonical))")
    }
    require(EventRecord.encode(again) == canonical, "re-encoding is not a fixpoint")
    require(again == event || containsNaN(event.data), "the re-encoded record decodes to another event")

    // What `recovery log` prints of the data.
    let text = JSONWriter.text(event.data)
    require(JSONWriter.canonicalLength(event.data) == text.utf8.count, "canonicalLength differs from the written length")
    switch Result(catching: { () throws(JSONSyntaxError) -> JSONValue in try JSONParser.parse(Array(text.utf8)) }) {
    case .success(let reparsed):
        require(reparsed == event.data, "data printed as JSON reads back as another value: \(text)")
    case .failure(let error):
        fatalError("property broken: data decoded from a record prints as invalid JSON (\(error.reason)): \(text)")
    }

    // The in-place reader agrees with the catalogue on every event the catalogue accepts.
    if case .success(let checked) = catalogue.effect(type: event.type, data: event.data) {
        require(effect == .some(.some(checked)),
                "StoredEventReader reads \(String(describing: effect)) where the catalogue reads \(checked)")
    }
}

private func checkParticipantState(_ raw: [UInt8]) {
    // Unsealed bytes are refused by the seal (docs/format.md §12.3) before the decoder sees
    // them; sealing the input makes the decoder behind the seal what is fuzzed.
    require(raw.count <= StateSeal.byteCount || (try? StateSeal.contentCount(raw.span)) == nil
            || (try? ParticipantState(decoding: raw.span)) != nil || true, "unreachable")
    var bytes = raw
    StateSeal.seal(&bytes)
    let span = bytes.span
    guard let state = try? ParticipantState(decoding: span) else { return }
    guard let history = try? ParticipantState(decoding: span, scope: .history),
          let alerts = try? ParticipantState(decoding: span, scope: .alerts) else {
        fatalError("property broken: a state that decodes whole fails to decode in a narrower scope")
    }
    require(history.balance == state.balance && history.history == state.history, "the history scope reads another state")
    require(alerts.balance == state.balance && alerts.history.register == state.history.register
            && alerts.history.contacts == state.history.contacts, "the alerts scope reads another state")
    require((try? ParticipantState.balance(decoding: span)) == state.balance, "balance(decoding:) reads another balance")
    let encoded = state.encoded
    guard let again = try? ParticipantState(decoding: encoded.span) else {
        fatalError("property broken: a re-encoded participant state does not decode: \(hex(encoded))")
    }
    require(again == state, "a re-encoded participant state decodes to another state")
    require(again.encoded == encoded, "participant state re-encoding is not a fixpoint")
}
