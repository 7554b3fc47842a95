/// HTML (and SVG inside it) written element by element. Tag and attribute names are static
/// strings, so only the program chooses them; every value and text passes through `escape`.
/// There is no way to add unescaped text from a runtime value, which is what keeps a
/// participant id, an employer's name or a reason from becoming markup.
package struct HTML: Sendable {
    package private(set) var text = ""

    /// An attribute: a static name and a value (nil leaves it out; "" writes `name=""`).
    package typealias Attribute = (name: StaticString, value: String?)

    package init() { text.reserveCapacity(16 * 1024) }

    /// `<!DOCTYPE html>`.
    package mutating func doctype() { text += "<!DOCTYPE html>\n" }

    package mutating func open(_ tag: StaticString, _ attributes: [Attribute] = []) {
        text += "<"
        text += tag.description
        for attribute in attributes {
            guard let value = attribute.value else { continue }
            text += " "
            text += attribute.name.description
            text += "=\""
            Self.escape(value, into: &text)
            text += "\""
        }
        text += ">"
    }

    /// A boolean attribute (`checked`, `required`) is written only when true.
    package static func flag(_ name: StaticString, _ on: Bool) -> Attribute { (name, on ? "" : nil) }

    package mutating func close(_ tag: StaticString) {
        text += "</"
        text += tag.description
        text += ">"
    }

    /// An element with text content.
    package mutating func element(_ tag: StaticString, _ attributes: [Attribute] = [], _ content: String) {
        open(tag, attributes)
        Self.escape(content, into: &text)
        close(tag)
    }

    /// An element with no content and no end tag (`input`, `meta`, `link`; in SVG `line`,
    /// `polyline`). Written self-closed: inside `<svg>` the parser does not know SVG's empty
    /// elements, and an unclosed `<line>` would swallow everything after it.
    package mutating func void(_ tag: StaticString, _ attributes: [Attribute] = []) {
        open(tag, attributes)
        text.removeLast()
        text += "/>"
    }

    /// An element whose content `body` writes.
    package mutating func element(_ tag: StaticString, _ attributes: [Attribute] = [], body: (inout HTML) -> Void) {
        open(tag, attributes)
        body(&self)
        close(tag)
    }

    package mutating func write(_ content: String) { Self.escape(content, into: &text) }

    /// Only for the program's own constant markup fragments.
    package mutating func raw(_ markup: StaticString) { text += markup.description }

    package static func escape(_ value: String, into text: inout String) {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": text += "&amp;"
            case "<": text += "&lt;"
            case ">": text += "&gt;"
            case "\"": text += "&quot;"
            case "'": text += "&#39;"
            default:
                // Control characters other than tab and line ends are not text; they are dropped
                // (stored text never holds them, but a page must not pass them on either).
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" { continue }
                if scalar.value == 0x7F { continue }
                text.unicodeScalars.append(scalar)
            }
        }
    }

    package static func escaped(_ value: String) -> String {
        var text = ""
        escape(value, into: &text)
        return text
    }

    package var bytes: [UInt8] { Array(text.utf8) }
}
