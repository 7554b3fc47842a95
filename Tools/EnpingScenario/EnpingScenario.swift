/// The Enping 2016–2022 reference history (issue 4): about 1,500 pseudonymous participants
/// over Enping's 11 towns, built so that importing it into a fresh ledger reproduces the
/// city's published 2022 figures exactly. Deterministic: the same seed gives the same bytes.
public enum EnpingScenario {
    /// The history as JSON Lines (one event per line, in an order `recovery import` accepts).
    public static func jsonLines(seed: UInt64 = 2022) -> String {
        var bytes: [UInt8] = []
        write(seed: seed, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the same JSON Lines as UTF-8 bytes to `out` (no intermediate String: faster
    /// for writing to a file or a pipe).
    public static func write(seed: UInt64 = 2022, into out: inout [UInt8]) {
        var builder = HistoryBuilder(seed: seed)
        let people = builder.build()
        JSONLineWriter.write(people, into: &out)
    }
}
