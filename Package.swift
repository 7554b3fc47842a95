// swift-tools-version:6.0
import PackageDescription

// Linux only (Debian's liblmdb-dev, Glibc, /proc): no `platforms` entry claims an Apple
// platform the package does not build on (docs/decisions.md).
let package = Package(
    name: "RecoveryLedger",
    products: [
        .executable(name: "recovery", targets: ["recovery"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // The C library, found through pkg-config; Debian/Ubuntu ship it as liblmdb-dev.
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        // Layer 1: the only module with unsafe pointer code.
        .target(name: "LMDB", dependencies: ["CLMDB"]),
        // Layer 2: the append-only, hash-chained log; knows nothing of rehabilitation.
        .target(name: "EventLog", dependencies: [
            "LMDB",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Layer 3: the rehabilitation domain: event catalogue, points rules, projections.
        .target(name: "Rehabilitation", dependencies: ["EventLog", "LMDB"]),
        // The Enping 2022 reference scenario: a seeded, deterministic history generator.
        .target(name: "EnpingScenario", dependencies: [], path: "Tools/EnpingScenario", exclude: ["README.md"]),
        .executableTarget(name: "enping-scenario", dependencies: ["EnpingScenario"], path: "Tools/enping-scenario"),
        // Layer 4: the command-line interface.
        .executableTarget(name: "recovery", dependencies: [
            "Rehabilitation",
            "EnpingScenario",
            "EventLog",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Benchmarks against raw LMDB, kept beside the other tools.
        .executableTarget(
            name: "recovery-bench",
            // EnpingScenario for its SplitMix64, the one generator both draw from.
            dependencies: ["EventLog", "LMDB", "CLMDB", "Rehabilitation", "EnpingScenario"],
            path: "Tools/Benchmarks/recovery-bench"
        ),
        .testTarget(name: "LMDBTests", dependencies: ["LMDB"]),
        .testTarget(name: "EventLogTests", dependencies: ["EventLog", "LMDB"]),
        .testTarget(name: "RehabilitationTests", dependencies: ["Rehabilitation", "EventLog"]),
        .testTarget(name: "RecoveryCLITests", dependencies: ["recovery", "EventLog", "LMDB", "Rehabilitation", "EnpingScenario"]),
    ],
    swiftLanguageModes: [.v6]
)
