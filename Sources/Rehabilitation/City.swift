import EventLog

/// The city a ledger serves and its towns. It is fixed for the ledger's life and kept in the
/// store's metadata, not as an event.
public struct City: Equatable, Sendable {
    public let name: String
    /// In the order the city file lists them.
    public let towns: [Town]

    public init(name: String, towns: [Town]) {
        self.name = name
        self.towns = towns
    }

    /// The town with this id, if the city has it.
    public func town(_ id: String) -> Town? { towns.first { $0.id == id } }

    /// The town a person named: its id (`encheng`), its name as the city document gives it
    /// (`恩城街道`), or that name without its 镇/街道 ending when no other town shares it (`恩城`).
    /// Ids win over names, so a name can never shadow an id.
    public func resolveTown(_ text: String) -> Town? {
        if let byId = town(text) { return byId }
        if let byName = towns.first(where: { $0.name == text }) { return byName }
        let short = towns.filter { Self.shortName($0.name) == text && !text.isEmpty }
        return short.count == 1 ? short[0] : nil
    }

    /// A town's name without the 镇 (town) or 街道 (subdistrict) it ends with.
    static func shortName(_ name: String) -> String {
        for ending in ["街道", "镇"] where name.hasSuffix(ending) && name.count > ending.count { return String(name.dropLast(ending.count)) }
        return name
    }

    /// The town's place in the city's list (what packed effects hold), if the city has it.
    public func townNumber(_ id: String) -> Int? { towns.firstIndex { $0.id == id } }

    /// The most towns a city may have: packed effects hold a town's place in 16 bits, and a
    /// city file is input (Guangdong's largest city has a few hundred towns and streets).
    public static let maximumTowns = 4_096

    /// Reads a city file: `name = "…"` and `[[town]]` tables with `id` and `name`. A city file
    /// is input: control characters and personal identifiers are refused (`TOMLScreen`).
    public init(toml text: String) throws(TOMLError) {
        let toml = try TOMLDocument(parsing: text)
        try TOMLScreen.check(text, toml)
        for key in toml.root.keyOrder where key != "name" {
            throw TOMLError(line: toml.root.entries[key]?.line, key: key, reason: "unknown key (expected name and [[town]] tables)")
        }
        try toml.refuseTables(otherThan: "town")
        guard let nameEntry = toml.root.entries["name"] else { throw TOMLError(line: nil, key: "name", reason: "is required") }
        guard case .string(let cityName) = nameEntry.value, !cityName.isEmpty, cityName.count <= 200 else {
            throw TOMLError(line: nameEntry.line, key: "name", reason: "must be a non-empty string of at most 200 characters")
        }
        guard let tables = toml.arrays["town"], !tables.isEmpty else {
            throw TOMLError(line: nil, key: "town", reason: "at least one [[town]] is required")
        }
        guard tables.count <= Self.maximumTowns else {
            throw TOMLError(line: tables[Self.maximumTowns].line, key: "town", reason: "at most \(Self.maximumTowns) towns")
        }
        var towns: [Town] = []
        for (position, table) in tables.enumerated() {
            let label = "town[\(position + 1)]"
            for key in table.keyOrder where key != "id" && key != "name" {
                throw TOMLError(line: table.entries[key]?.line, key: "\(label).\(key)", reason: "unknown key")
            }
            guard let idEntry = table.entries["id"] else { throw TOMLError(line: table.line, key: "\(label).id", reason: "is required") }
            guard case .string(let id) = idEntry.value, City.isValidTownId(id) else {
                throw TOMLError(line: idEntry.line, key: "\(label).id", reason: "must be 1–32 characters of a-z 0-9 -")
            }
            guard !towns.contains(where: { $0.id == id }) else {
                throw TOMLError(line: idEntry.line, key: "\(label).id", reason: "\"\(id)\" is used twice")
            }
            guard let townNameEntry = table.entries["name"] else { throw TOMLError(line: table.line, key: "\(label).name", reason: "is required") }
            guard case .string(let townName) = townNameEntry.value, !townName.isEmpty, townName.count <= 200 else {
                throw TOMLError(line: townNameEntry.line, key: "\(label).name", reason: "must be a non-empty string of at most 200 characters")
            }
            towns.append(Town(id: id, name: townName))
        }
        self.init(name: cityName, towns: towns)
    }

    static func isValidTownId(_ id: String) -> Bool {
        let utf8 = id.utf8
        return !utf8.isEmpty && utf8.count <= 32 && utf8.allSatisfy {
            ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-")
        }
    }

    /// The JSON kept in the store's metadata.
    var json: JSONValue {
        .object(["name": .string(name), "towns": .array(towns.map { .object(["id": .string($0.id), "name": .string($0.name)]) })])
    }

    init?(json: JSONValue) {
        guard let members = json.objectMembers, let name = members["name"]?.stringValue,
              case .array(let townValues)? = members["towns"], townValues.count <= City.maximumTowns else { return nil }
        var towns: [Town] = []
        for value in townValues {
            guard let town = value.objectMembers, let id = town["id"]?.stringValue, let townName = town["name"]?.stringValue else { return nil }
            towns.append(Town(id: id, name: townName))
        }
        self.init(name: name, towns: towns)
    }

    /// Enping (恩平), Guangdong, and its 11 towns: the city the ledger serves by default.
    public static let enping = City(name: "恩平市", towns: [
        Town(id: "encheng", name: "恩城街道"), Town(id: "hengpi", name: "横陂镇"), Town(id: "shengtang", name: "圣堂镇"),
        Town(id: "liangxi", name: "良西镇"), Town(id: "shahu", name: "沙湖镇"), Town(id: "niujiang", name: "牛江镇"),
        Town(id: "juntang", name: "君堂镇"), Town(id: "datian", name: "大田镇"), Town(id: "naji", name: "那吉镇"),
        Town(id: "dahuai", name: "大槐镇"), Town(id: "dongcheng", name: "东成镇"),
    ])
}
