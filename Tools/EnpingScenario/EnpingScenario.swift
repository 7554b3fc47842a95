/// Placeholder: the seeded Enping 2016–2022 history generator (being written).
public enum EnpingScenario {
    /// The JSON Lines history for `seed`.
    public static func jsonLines(seed: UInt64 = 2022) -> String { "" }
}
