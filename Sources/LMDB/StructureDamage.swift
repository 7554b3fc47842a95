/// Structural damage found in a data file by `Environment.checkStructure()`: where it is and
/// what is wrong, so a user can be told before LMDB follows the damaged page.
public struct StructureDamage: Error, Sendable, CustomStringConvertible {
    /// The page holding the damage (or, for a wrong count, the tree's root); nil when the
    /// damage is not on one page.
    public let page: Int?
    /// The database the page belongs to: a named database, or `freeDatabase`/`mainDatabase`;
    /// nil for the meta pages.
    public let database: String?
    /// What is wrong, as a sentence fragment.
    public let reason: String

    public init(page: Int?, database: String?, reason: String) {
        self.page = page
        self.database = database
        self.reason = reason
    }

    /// The name used for LMDB's free-page database, which lists the pages a writer may reuse.
    public static let freeDatabase = "(free pages)"
    /// The name used for LMDB's main database, which holds the named databases' records.
    public static let mainDatabase = "(main)"

    /// For example `page 17 of database "events": branch node 3 points at page 4096, beyond
    /// the last page 31`.
    public var description: String {
        switch (page, database) {
        case let (page?, database?): "page \(page) of database \"\(database)\": \(reason)"
        case let (page?, nil): "page \(page): \(reason)"
        case let (nil, database?): "database \"\(database)\": \(reason)"
        case (nil, nil): reason
        }
    }
}
