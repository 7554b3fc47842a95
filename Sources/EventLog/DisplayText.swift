/// Makes stored text safe to print for people: control characters (C0, DEL, C1), the line and
/// paragraph separators U+2028/U+2029 and the bidirectional controls (U+061C, U+200E/F,
/// U+202A–U+202E, U+2066–U+2069) are replaced by a visible escape such as `\u{1B}`, so a name
/// or an id can neither forge an output line, restyle the terminal, nor reorder what follows.
public enum DisplayText {
    /// Whether `scalar` is printed as an escape.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00 ..< 0x20, 0x7F ... 0x9F, 0x061C, 0x200E, 0x200F, 0x2028 ... 0x202E, 0x2066 ... 0x2069: true
        default: false
        }
    }

    /// `text` with every unsafe character escaped; a single line stays a single line.
    public static func escaped(_ text: String) -> String {
        escaped(text, keepingLayout: false)
    }

    /// `text` with every unsafe character escaped except the layout of a multi-line text:
    /// line feeds, tabs, and a carriage return right before a line feed.
    public static func escapedKeepingLines(_ text: String) -> String {
        escaped(text, keepingLayout: true)
    }

    private static func escaped(_ text: String, keepingLayout: Bool) -> String {
        // Most text has none of the lead bytes of an unsafe character: returned as it is.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 }) else { return text }
        var result = ""
        var scalars = text.unicodeScalars.makeIterator()
        var next = scalars.next()
        while let scalar = next {
            next = scalars.next()
            let isLayout = scalar == "\n" || scalar == "\t" || (scalar == "\r" && next == "\n")
            if isUnsafe(scalar) && !(keepingLayout && isLayout) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
