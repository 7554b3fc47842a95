/// The hash chain (the hashing itself is in ChainHash.swift, which needs Crypto; the size
/// is here so that record code compiles without it, e.g. in the fuzzers).
public enum ChainHash {
    /// A SHA-256 digest's length in bytes.
    public static let size = 32
}
