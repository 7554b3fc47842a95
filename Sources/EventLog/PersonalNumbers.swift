/// Finds what looks like a Chinese resident identity number or a mainland mobile number in a
/// text, however it is written (docs/decisions.md, "Hostile input"):
///
/// - the text is read as its NFKC form (full-width ０-９ are digits, a full-width Ｘ is an X);
/// - every Unicode decimal digit (general category Nd: Arabic-Indic, mathematical, …) counts
///   as its value;
/// - letters (general category L) break a digit run; everything else — spaces, separators,
///   dashes, dots, slashes, brackets, `+`, other punctuation and symbols, format characters
///   such as U+200B, combining marks, control characters — is dropped, so `138 1234-5678`
///   is one run of 11 digits;
/// - a run is examined whole: 18 digits, or 17 then `X`/`x` not followed by a digit, is an
///   identity number; 11 digits `1[3-9]…` is a mobile number, also behind the prefixes
///   `0`, `86` and `0086` (`+86` once the `+` is dropped).
///
/// Pure ASCII text, the import's common case, is read byte by byte without normalising.
public enum PersonalNumbers {
    /// What a number looks like.
    public enum Kind: Sendable, Equatable, CustomStringConvertible {
        case identityNumber
        case mobileNumber

        public var description: String {
            switch self {
            case .identityNumber: "a resident identity number"
            case .mobileNumber: "a mobile phone number"
            }
        }
    }

    /// One number found in a text. A plain value (no `String` inside) so the scanner that
    /// carries it costs nothing to copy; the masked text is made only when asked for.
    public struct Finding: Sendable, Equatable {
        public let kind: Kind
        /// The number's digits, its prefix (`0`, `86`, `0086`) included.
        let run: DigitRun
        /// How many digits of `run` are a mobile number's prefix.
        let prefixLength: Int
        /// An identity number ending in `X` (not in `run`).
        let endsInX: Bool
        /// The UTF-8 offset of the number's first digit in the text (0 for a number joined
        /// from two texts).
        public let offset: Int

        /// The number with its middle hidden, safe for messages: `138****5678` (a mobile
        /// number without its prefix), `110105********002X` (first 6 and last 4 at most).
        public var masked: String {
            let digits = Array(run.digits.utf8.dropFirst(prefixLength)) + (endsInX ? Array("X".utf8) : [])
            let kept = kind == .mobileNumber ? 3 : 6
            return String(decoding: digits.prefix(kept), as: UTF8.self) + String(repeating: "*", count: digits.count - kept - 4)
                + String(decoding: digits.suffix(4), as: UTF8.self)
        }
    }

    /// The digits of a text next to its ends, for finding a number split across two texts:
    /// the run before its first letter and the run after its last one (the whole run when
    /// the text has no letter).
    public struct Edges: Sendable, Equatable {
        public internal(set) var head = DigitRun()
        /// The head run ends at an `X`/`x` that no digit follows (so it may end an identity number).
        public internal(set) var headEndsInX = false
        public internal(set) var tail = DigitRun()

        public init() {}
    }

    static let powersOfTen: [UInt64] = (0 ... 18).map { (0 ..< $0).reduce(1) { value, _ in value * 10 } }

    /// The first number in `text`, if any.
    public static func first(in text: String) -> Finding? { scan(text).finding }

    /// The first number in `text`, or (when there is none) the digits next to its ends.
    public static func scan(_ text: String) -> (finding: Finding?, edges: Edges) {
        var scanner = Scanner()
        var isASCII = true
        var text = text
        text.withUTF8 { bytes in
            // Most strings (types, keys, enumerated values) are ASCII without a digit: done.
            if !bytes.contains(where: { $0 < 0x3A && $0 >= 0x30 || $0 >= 0x80 }) { return }
            for (offset, byte) in bytes.enumerated() {
                switch byte {
                case 0x30 ... 0x39: scanner.digit(byte - 0x30, at: offset)
                case 0x41 ... 0x5A, 0x61 ... 0x7A: scanner.letter(isX: byte == 0x58 || byte == 0x78)
                case 0x80...: isASCII = false
                default: continue
                }
                if scanner.finding != nil || !isASCII { return }
            }
        }
        if scanner.finding != nil { return (scanner.finding, scanner.edges) }
        if isASCII {
            scanner.finish()
            return (scanner.finding, scanner.edges)
        }
        scanner = Scanner()
        var offset = 0
        for scalar in text.unicodeScalars {
            UnicodeReading.feed(scalar, at: offset, into: &scanner)
            if scanner.finding != nil { return (scanner.finding, scanner.edges) }
            offset += UTF8.width(scalar)
        }
        scanner.finish()
        return (scanner.finding, scanner.edges)
    }

    /// The number formed by one text's tail run followed by another's head run, if any.
    /// Joined, an identity number must also be well formed (`isWellFormedIdentity`): ids and
    /// counters often end in digits, and without that check a text beginning with a dozen
    /// digits would too easily make 18 with them.
    public static func joined(tail: DigitRun, head: DigitRun, headEndsInX: Bool) -> Finding? {
        guard !tail.isEmpty, !head.isEmpty, let run = tail.joined(with: head) else { return nil }
        if run.count == 17 && headEndsInX {
            return isWellFormedIdentity(run, endsInX: true) ? identity(run, endsInX: true, at: 0) : nil
        }
        if run.count == 18 {
            return isWellFormedIdentity(run, endsInX: false) ? identity(run, endsInX: false, at: 0) : nil
        }
        return examine(run, at: 0)
    }

    /// An identity number as issued (GB 11643): a date of birth from 1900 on in digits 7–14,
    /// and the check digit (ISO 7064 MOD 11-2, `X` for 10) last. `run` holds 18 digits, or
    /// 17 when the number ends in X.
    static func isWellFormedIdentity(_ run: DigitRun, endsInX: Bool) -> Bool {
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(run.digit($1)) } }
        let year = number(6 ..< 10), month = number(10 ..< 12), day = number(12 ..< 14)
        guard (1900 ... 2099).contains(year), (1 ... 12).contains(month), day >= 1,
              day <= CivilDate.daysInMonth(year: year, month: month) else { return false }
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = (0 ..< 17).reduce(0) { $0 + Int(run.digit($1)) * weights[$1] }
        let check = (12 - sum % 11) % 11
        return endsInX ? check == 10 : check == Int(run.digit(17))
    }

    /// `text` itself when it holds no number; otherwise only the masked number, so a message
    /// that repeats input never repeats a personal identifier.
    public static func redacted(_ text: String) -> String {
        first(in: text).map { "[\($0.masked)]" } ?? text
    }

    /// What a run examined whole is.
    static func examine(_ run: DigitRun, at offset: Int) -> Finding? {
        // The prefixes a mainland mobile number is written with: 0, 86 (+86 without its +), 0086.
        let prefixLength: Int
        switch run.count {
        case 18: return identity(run, endsInX: false, at: offset)
        case 11: prefixLength = 0
        case 12 where run.digit(0) == 0: prefixLength = 1
        case 13 where run.digit(0) == 8 && run.digit(1) == 6: prefixLength = 2
        case 15 where run.digit(0) == 0 && run.digit(1) == 0 && run.digit(2) == 8 && run.digit(3) == 6: prefixLength = 4
        default: return nil
        }
        guard run.digit(prefixLength) == 1, (3 ... 9).contains(run.digit(prefixLength + 1)) else { return nil }
        return Finding(kind: .mobileNumber, run: run, prefixLength: prefixLength, endsInX: false, offset: offset)
    }

    static func identity(_ run: DigitRun, endsInX: Bool, at offset: Int) -> Finding {
        Finding(kind: .identityNumber, run: run, prefixLength: 0, endsInX: endsInX, offset: offset)
    }
}
