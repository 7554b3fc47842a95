import ArgumentParser
import Foundation
import LedgerDocuments

/// `--lang zh|en` on every output for people; without it, the locale decides: Chinese for a
/// `zh*` LC_ALL (or, without that, LANG), English otherwise. JSON and CSV keys never change.
struct LanguageOptions: ParsableArguments {
    @Option(name: .customLong("lang"), help: ArgumentHelp("The language of tables and messages: zh or en (default: zh when LC_ALL or LANG starts with zh, else en).", valueName: "zh|en"))
    var given: Language?

    var language: Language { given ?? Self.fromEnvironment }

    /// LC_ALL wins over LANG, as in POSIX; an empty one counts as unset.
    static var fromEnvironment: Language {
        let environment = ProcessInfo.processInfo.environment
        for name in ["LC_ALL", "LANG"] {
            if let value = environment[name], let language = Language(locale: value) { return language }
        }
        return .en
    }
}

extension Language: ExpressibleByArgument {}

extension LanguageOptions {
    /// The text in the chosen language.
    func say(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }
}
