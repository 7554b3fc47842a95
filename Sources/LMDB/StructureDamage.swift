/// Structural damage found in a data file by `Environment.checkStructure()`: where it is and
/// what is wrong, so a user can be told before LMDB follows the damaged page.
package struct StructureDamage: Error, Sendable, CustomStringConvertible {
    /// The page holding the damage (or, for a wrong count, the tree's root); nil when the
    /// damage is not on one page.
    package let page: Int?
    /// The database the page belongs to: a named database, or `freeDatabase`/`mainDatabase`;
    /// nil for the meta pages.
    package let database: String?
    /// What is wrong, as a sentence fragment.
    package let reason: String

    package init(page: Int?, database: String?, reason: String) {
        self.page = page
        self.database = database
        self.reason = reason
    }

    /// The name used for LMDB's free-page database, which lists the pages a writer may reuse.
    package static let freeDatabase = "(free pages)"
    /// The name used for LMDB's main database, which holds the named databases' records.
    package static let mainDatabase = "(main)"

    /// For example `page 17 of database "events": branch node 3 points at page 4096, beyond
    /// the last page 31`.
    package var description: String {
        switch (page, database) {
        case let (page?, database?): "page \(page) of database \"\(database)\": \(reason)"
        case let (page?, nil): "page \(page): \(reason)"
        case let (nil, database?): "database \"\(database)\": \(reason)"
        case (nil, nil): reason
        }
    }
}
