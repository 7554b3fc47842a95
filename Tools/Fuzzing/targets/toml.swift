// libFuzzer target: the TOML reader (`TOMLDocument`, `TOMLLineScanner`) and its two users,
// the points rules (`PointsRules(document:)`) and the city file (`City(toml:)`). The bytes are
// read as UTF-8 text the way the CLI reads a file (invalid sequences become U+FFFD). A
// refused document (`TOMLError`) is the expected answer to bad input; a trap, a crash, a hang,
// a stack overflow or a broken property below is a finding.
//
// Properties checked when a document is accepted:
// - rules: versions are sorted by `effective_from`, with unique names and dates; the pricing
//   and `version(on:)` agree on which version is in force on each version's first day and
//   the day before; the rules' JSON is printable; parsing the kept document again gives
//   equal rules;
// - city: towns have unique, valid ids; the JSON kept in the store's metadata reads back as
//   the same city.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTOML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? TOMLDocument(parsing: text)
    if let rules = try? PointsRules(document: text) { check(rules) }
    if let city = try? City(toml: text) { check(city) }
    return 0
}

private func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("property broken: \(message())") }
}

private func check(_ rules: PointsRules) {
    let versions = rules.versions
    require(!versions.isEmpty, "rules without a version")
    for (position, version) in versions.enumerated() {
        if position > 0 { require(versions[position - 1].effectiveFrom < version.effectiveFrom, "versions not strictly sorted by date") }
        require(versions.filter { $0.name == version.name }.count == 1, "version name \(version.name) used twice")
        let start = CityZone.startOfDay(version.effectiveFrom)
        require(rules.pricing.version(at: start) == position, "pricing and the version list disagree on \(version.effectiveFrom)")
        require(rules.version(on: version.effectiveFrom) === version, "version(on:) misses \(version.effectiveFrom)")
        if position > 0 || version.effectiveFrom.year > 1 {
            let dayBefore = version.effectiveFrom.adding(days: -1)
            require(rules.version(on: dayBefore) === (position > 0 ? versions[position - 1] : nil), "version(on:) on the day before")
            require(rules.pricing.version(at: start - 1) == (position > 0 ? position - 1 : nil), "pricing on the day before")
        }
    }
    _ = JSONWriter.text(rules.json)
    guard let again = try? PointsRules(document: rules.document) else { fatalError("property broken: rules do not parse twice") }
    require(again == rules, "rules parse differently the second time")
}

private func check(_ city: City) {
    require(!city.towns.isEmpty && !city.name.isEmpty, "a city without a name or towns")
    for town in city.towns {
        require(City.isValidTownId(town.id), "invalid town id \(town.id)")
        require(city.towns.filter { $0.id == town.id }.count == 1, "town id \(town.id) used twice")
        require(city.town(town.id) == town, "town(_:) misses \(town.id)")
    }
    let json = city.json
    _ = JSONWriter.text(json)
    require(City(json: json) == city, "the city's metadata JSON reads back as another city")
}
