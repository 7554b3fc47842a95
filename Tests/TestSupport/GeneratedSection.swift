import Foundation

/// Documents whose sections are generated from the code: the text between a section's
/// `<!-- NAME: … -->` line and `<!-- end NAME -->` must equal what the code generates; with
/// RECOVERY_WRITE_DOCS=1 a test rewrites it instead (and passes).
public enum GeneratedSection {
    /// The repository's docs folder.
    public static let docs = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs")

    public static var rewriting: Bool { ProcessInfo.processInfo.environment["RECOVERY_WRITE_DOCS"] == "1" }

    public enum Problem: Error, CustomStringConvertible {
        case missing(String)
        public var description: String { switch self { case .missing(let what): what } }
    }

    /// The documented text of section `name` of `document` and the generated one; when they
    /// differ and RECOVERY_WRITE_DOCS=1, the document is rewritten and the pair returned equal.
    public static func compare(_ name: String, in document: String, generated: String) throws -> (documented: String, generated: String) {
        let path = docs.appendingPathComponent(document).path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let start = text.range(of: "<!-- \(name):"),
              let headerEnd = text.range(of: "-->\n", range: start.upperBound ..< text.endIndex),
              let stop = text.range(of: "<!-- end \(name) -->", range: headerEnd.upperBound ..< text.endIndex) else {
            throw Problem.missing("\(document) lacks its \(name) section")
        }
        let documented = String(text[headerEnd.upperBound ..< stop.lowerBound])
        if documented != generated, rewriting {
            try (String(text[..<headerEnd.upperBound]) + generated + String(text[stop.lowerBound...]))
                .write(toFile: path, atomically: true, encoding: .utf8)
            return (generated, generated)
        }
        return (documented, generated)
    }
}
