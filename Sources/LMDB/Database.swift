import CLMDB

/// A handle to one named database inside an environment. Handles stay valid for the
/// environment's lifetime, so they are opened once and passed around freely.
package struct Database: Sendable, Hashable {
    @usableFromInline let handle: MDB_dbi
    /// The name the database was opened with.
    package let name: String

    init(handle: MDB_dbi, name: String) {
        self.handle = handle
        self.name = name
    }
}
