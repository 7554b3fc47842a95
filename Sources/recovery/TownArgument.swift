import EventLog
import Rehabilitation

/// Every town argument (`--town`): the town's id or its Chinese name from the city document.
enum TownArgument {
    /// The id of the town `text` names, or a 65 failure (rejected input, as before) listing the towns.
    static func resolve(_ text: String, in city: City) throws -> String {
        if let town = city.resolveTown(text) { return town.id }
        let towns = city.towns.map { "\($0.id) \(DisplayText.escaped($0.name))" }.joined(separator: ", ")
        throw CLIFailure("--town: \(DisplayText.escaped(PersonalNumbers.redacted(text))) is not a town of \(DisplayText.escaped(city.name)) (towns: \(towns))",
                         exitCode: .rejectedInput)
    }
}
