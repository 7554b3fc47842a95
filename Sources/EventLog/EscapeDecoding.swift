/// What JSON's and TOML's quoted strings decode alike after a backslash. Each parser keeps
/// its own rules around these: the escapes only it has (JSON `\/`, TOML `\U`), how it reads
/// the hex digits and treats surrogates, and its error messages.
public enum EscapeDecoding {
    /// The byte a one-letter escape both languages have stands for (`\"` `\\` `\b` `\f` `\n`
    /// `\r` `\t`), or nil for any other letter.
    public static func sharedLetter(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "\""): 0x22
        case UInt8(ascii: "\\"): 0x5C
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
    }
}
