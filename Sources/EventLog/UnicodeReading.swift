import Foundation

/// How one character reads when looking for personal numbers: a digit, a letter, or nothing
/// (dropped). A character is read as its NFKC form; most characters are their own NFKC form,
/// which `changesWhenNFKCCaseFolded` tells without normalising, so Foundation is called only
/// for the few that change (full-width letters, circled digits, ℃, …). Normalising character
/// by character reads a text the same as normalising it whole: composition only joins letters
/// with marks, and marks are dropped anyway (a test checks every character against NFKC).
enum UnicodeReading: Equatable {
    case digit(UInt8)
    case letter(isX: Bool)
    case dropped

    /// Feeds `scalar`, which starts at UTF-8 `offset` of its text, to `scanner`.
    static func feed(_ scalar: Unicode.Scalar, at offset: Int, into scanner: inout PersonalNumbers.Scanner) {
        if let reading = direct(scalar) {
            reading.apply(at: offset, to: &scanner)
            return
        }
        for part in String(Character(scalar)).precomposedStringWithCompatibilityMapping.unicodeScalars {
            normalised(part).apply(at: offset, to: &scanner)
        }
    }

    /// The readings of `scalar` as the scanner sees them (for tests).
    static func readings(of scalar: Unicode.Scalar) -> [UnicodeReading] {
        if let reading = direct(scalar) { return [reading] }
        return String(Character(scalar)).precomposedStringWithCompatibilityMapping.unicodeScalars.map(normalised)
    }

    /// The reading of a character that NFKC leaves as it is, or nil when NFKC may rewrite it.
    static func direct(_ scalar: Unicode.Scalar) -> UnicodeReading? {
        switch scalar.value {
        case 0x30 ... 0x39: return .digit(UInt8(scalar.value - 0x30))
        case 0x41 ... 0x5A, 0x61 ... 0x7A: return .letter(isX: scalar == "X" || scalar == "x")
        case 0 ..< 0x80: return .dropped
        // CJK ideographs, most of the non-ASCII text of a Chinese ledger: letters that NFKC
        // keeps, read without looking up their properties.
        case 0x3400 ... 0x4DBF, 0x4E00 ... 0x9FFF: return .letter(isX: false)
        default: break
        }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .decimalNumber:
            // NFKC keeps a decimal digit's value (full-width ５ becomes 5).
            return .digit(UInt8(properties.numericValue ?? 0))
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return properties.changesWhenNFKCCaseFolded ? nil : .letter(isX: false)
        case .letterNumber, .otherNumber, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            // ① becomes 1, ⑩ 10, ℃ °C: these may turn into digits or letters.
            return properties.changesWhenNFKCCaseFolded ? nil : .dropped
        default:
            // Marks, punctuation, separators, format and control characters, private use,
            // unassigned: never a digit or a letter, whatever NFKC makes of them.
            return .dropped
        }
    }

    /// The reading of a character already in NFKC form: by its general category alone.
    static func normalised(_ scalar: Unicode.Scalar) -> UnicodeReading {
        if scalar.isASCII { return direct(scalar) ?? .dropped }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .decimalNumber: return .digit(UInt8(properties.numericValue ?? 0))
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter(isX: false)
        default: return .dropped
        }
    }

    private func apply(at offset: Int, to scanner: inout PersonalNumbers.Scanner) {
        switch self {
        case .digit(let value): scanner.digit(value, at: offset)
        case .letter(let isX): scanner.letter(isX: isX)
        case .dropped: break
        }
    }
}
