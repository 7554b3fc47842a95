import EventLog
import LMDB

/// Identities: granted and revoked as events of the system stream `_access` (`Identity`).
extension Ledger {
    /// The identities in force.
    public func accessRegister() throws -> AccessRegister {
        try reading { transaction in try accessRegister(in: transaction) }
    }

    func accessRegister(in transaction: Transaction) throws -> AccessRegister {
        try AccessRegister(events: log.events(of: Self.accessStream, in: transaction), city: city)
    }

    /// Events in the `_access` stream: cheap (an index count), so a server asks on every
    /// request and reloads its register when another process granted or revoked.
    public func accessVersion() throws -> Int {
        try log.version(of: Self.accessStream)
    }

    /// Grants `role` (over `towns`, for a town-scoped role) to `name` with a fresh token, which
    /// is returned once and never stored; a grant to a name already in force replaces it (its
    /// old token stops working). Refusals are `LogError.rejected` with the field at fault.
    public func grant(_ name: String, role: Role, towns: [String], by actor: String) throws -> (identity: Identity, token: String) {
        func refuse(_ field: String, _ code: RefusalCode, _ reason: String) -> LogError {
            LogError.rejected(errors: [InputError(field: field, code: code, reason: reason)], total: 1)
        }
        guard Identity.isValidName(name) else {
            throw refuse("identity", .accessIdentity, "must be 1–\(Identity.maximumNameBytes) characters of A-Z a-z 0-9 . _ @ -")
        }
        let unknown = towns.filter { city.town($0) == nil }
        guard unknown.isEmpty else {
            throw refuse("towns", .accessTowns, "\(unknown.map { "\"\(DisplayText.escaped($0))\"" }.joined(separator: ", ")) is not a town of \(DisplayText.escaped(city.name)) (towns: \(city.towns.map(\.id).joined(separator: ", ")))")
        }
        // The city's order, each once: the stored list reads the same however it was typed.
        let ordered = city.towns.map(\.id).filter(towns.contains)
        if role.isTownScoped, ordered.isEmpty {
            throw refuse("towns", .accessTowns, "a \(role.name) needs at least one town")
        }
        if !role.isTownScoped, !ordered.isEmpty {
            throw refuse("towns", .accessTowns, "a \(role.name) reaches every town; name no towns")
        }
        guard ordered.count <= Identity.maximumTowns else {
            throw refuse("towns", .accessTowns, "at most \(Identity.maximumTowns) towns")
        }
        if let refusal = PrivacyScreen.check(fields: [("identity", name), ("actor", actor)]) {
            throw LogError.rejected(errors: [refusal], total: 1)
        }
        let token = AccessToken.generate()
        let digest = AccessToken.digest(token)
        var data: [String: JSONValue] = [
            "identity": .string(name), "role": .string(role.name), "token_sha256": .string(ChainHash.hex(digest)),
        ]
        if !ordered.isEmpty { data["towns"] = .string(ordered.joined(separator: " ")) }
        let at = try writing { writer -> Int64 in
            try writer.append(NewEvent(id: nil, type: EventType.accessGranted.name, stream: Self.accessStream, at: writer.now, actor: actor, data: .object(data)))
            return writer.now
        }.result
        return (Identity(name: name, role: role, towns: ordered, grantedAt: at, grantedBy: actor, tokenDigest: digest), token)
    }

    /// Revokes `name`'s access: its token fails from the next request on. Nil when no grant to
    /// `name` is in force (nothing is appended then).
    public func revoke(_ name: String, by actor: String) throws -> Identity? {
        guard Identity.isValidName(name) else { return nil }
        return try writing { writer -> Identity? in
            guard let identity = try accessRegister(in: writer.transaction).identities[name] else { return nil }
            try writer.append(NewEvent(id: nil, type: EventType.accessRevoked.name, stream: Self.accessStream, at: writer.now, actor: actor,
                                       data: .object(["identity": .string(name)])))
            return identity
        }.result
    }
}
