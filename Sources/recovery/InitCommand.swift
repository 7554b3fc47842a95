import ArgumentParser
import EventLog
import Foundation
import Rehabilitation

/// `recovery init`: creates a ledger for a city, adopting the built-in points rules.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new ledger in the store folder (fails with 73 if one exists).",
        discussion: "Without --city the ledger serves Enping (恩平) and its 11 towns. The city is fixed for the ledger's life.")

    @OptionGroup var storeOptions: StoreOptions

    @OptionGroup var languageOptions: LanguageOptions

    @Option(help: ArgumentHelp("A TOML file with the city's name and [[town]] tables (id, name).", valueName: "FILE"),
            completion: .file(extensions: ["toml"]))
    var city: String?

    @Option(help: ArgumentHelp("The ledger's origin: names its checkpoints and signing key (default: enping.recovery-ledger for Enping, else local.recovery-ledger).", valueName: "NAME"))
    var origin: String?

    func validate() throws {
        if let origin, !SignedNote.isValidName(origin) {
            throw ValidationError("--origin must be a name without spaces or +, such as enping.recovery-ledger")
        }
    }

    func run() throws {
        var served = City.enping
        if let city {
            let text = try TextFile.read(city, what: "city file")
            do { served = try City(toml: text) } catch { throw CLIFailure("\(city): \(error)", exitCode: .rejectedInput) }
        }
        let ledger = try Ledger.create(at: storeOptions.folder, city: served, origin: origin)
        let say = languageOptions.say
        StandardStreams.print(say("已为\(ledger.city.name)（\(ledger.city.towns.count) 个镇街）在 \(ledger.log.folder) 建立台账",
                                  "initialised a ledger for \(ledger.city.name) (\(ledger.city.towns.count) towns) in \(ledger.log.folder)"))
        let key = try Proofs.signer(folder: storeOptions.folder).verifier.text
        StandardStreams.print(say("签名公钥（供核验证明者使用，请公布）：\(key)", "signing key (publish it for those who check proofs): \(key)"))
    }
}
