/// What a B+tree holds, which decides what its pages and leaf nodes may look like.
struct TreeKind {
    /// What leaf nodes hold.
    enum Values {
        /// Any data, inline or on overflow pages (named databases).
        case records
        /// Records and the `F_SUBDATA` records of named databases (the main database).
        case recordsAndDatabases
        /// Lists of free pages keyed by transaction id (the free database).
        case freeLists
        /// Nothing: the keys are one key's duplicate values (a duplicates sub-tree).
        case duplicates
    }

    /// How a `MDB_DUPSORT` database stores one key's values.
    struct Duplicates {
        let order: KeyComparison
        /// `MDB_DUPFIXED`: the values sit in LEAF2 pages without node headers.
        let areFixedSize: Bool
    }

    let values: Values
    let keyOrder: KeyComparison
    /// Nil unless the database sorts duplicates.
    let duplicates: Duplicates?
    /// The key size of LEAF2 leaves (a DUPFIXED duplicates sub-tree), nil for node leaves.
    let fixedKeySize: Int?

    /// The kind of a database with the stored `flags` (`MDB_db.md_flags`).
    static func database(flags: UInt16, holdsDatabases: Bool) -> TreeKind {
        let sortsDuplicates = flags & PageLayout.duplicateSort != 0
        return TreeKind(
            values: holdsDatabases ? .recordsAndDatabases : .records,
            keyOrder: KeyComparison(flags: flags, integer: PageLayout.integerKey, reversed: PageLayout.reverseKey),
            duplicates: sortsDuplicates ? Duplicates(
                order: KeyComparison(flags: flags, integer: PageLayout.integerDuplicate, reversed: PageLayout.reverseDuplicate),
                areFixedSize: flags & PageLayout.duplicateFixed != 0) : nil,
            fixedKeySize: nil)
    }

    /// The free database: 8-byte transaction ids compared as integers.
    static let freeDatabase = TreeKind(values: .freeLists, keyOrder: .integer, duplicates: nil, fixedKeySize: nil)

    /// A sub-tree holding one key's duplicates.
    static func duplicates(_ duplicates: Duplicates, fixedKeySize: Int?) -> TreeKind {
        TreeKind(values: .duplicates, keyOrder: duplicates.order, duplicates: nil, fixedKeySize: fixedKeySize)
    }
}

/// What a walk counted in one tree, to compare with the tree's `MDB_db` record.
struct TreeTally {
    var branchPages: UInt64 = 0
    var leafPages: UInt64 = 0
    var overflowPages: UInt64 = 0
    var entries: UInt64 = 0
}
