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
        // The server (`recovery serve`): HTTP, TLS, lifecycle, logs and metrics.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        // Spreadsheet exports (CSV with correct quoting, for Excel and WPS).
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        // Tests only: a real HTTP client against the real server process.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
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
        .target(name: "Rehabilitation", dependencies: [
            "EventLog", "LMDB",
            // SHA-256 of access tokens and their random bytes (identities, `Access/`).
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The Enping 2022 reference scenario: a seeded, deterministic history generator.
        .target(name: "EnpingScenario", dependencies: [], path: "Tools/EnpingScenario", exclude: ["README.md"]),
        .executableTarget(name: "enping-scenario", dependencies: ["EnpingScenario"], path: "Tools/enping-scenario"),
        // Layer 4: the interfaces. The documents both print and send (JSON, CSV, tables).
        .target(name: "LedgerDocuments", dependencies: [
            "Rehabilitation", "EventLog",
            .product(name: "CSV", package: "CSV.swift"),
        ]),
        // The web pages as HTML and SVG, rendered from the domain's reports (no HTTP here).
        .target(name: "LedgerWeb", dependencies: ["Rehabilitation", "EventLog", "LedgerDocuments"]),
        // The HTTP server: roles, scope, the access log's route, group commit.
        .target(name: "LedgerServer", dependencies: [
            "Rehabilitation", "EventLog", "LedgerDocuments", "LedgerWeb",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        // The command-line interface (and `recovery serve`).
        .executableTarget(name: "recovery", dependencies: [
            "Rehabilitation", "LedgerDocuments", "LedgerServer", "LedgerWeb",
            "EnpingScenario",
            "EventLog",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Benchmarks against raw LMDB, kept beside the other tools.
        .executableTarget(
            name: "recovery-bench",
            // EnpingScenario for its SplitMix64, the one generator both draw from.
            dependencies: ["EventLog", "LMDB", "CLMDB", "Rehabilitation", "EnpingScenario",
                           .product(name: "Crypto", package: "swift-crypto")],
            path: "Tools/Benchmarks/recovery-bench"
        ),
        .testTarget(name: "LMDBTests", dependencies: ["LMDB"]),
        .testTarget(name: "EventLogTests", dependencies: ["EventLog", "LMDB"]),
        // Tests' own support: the built binary as a child process, temporary stores, and
        // documents whose sections are generated from the code.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "RehabilitationTests", dependencies: ["Rehabilitation", "EventLog", "TestSupport"]),
        .testTarget(name: "RecoveryCLITests", dependencies: ["recovery", "EventLog", "LMDB", "Rehabilitation", "EnpingScenario", "TestSupport"]),
        .testTarget(name: "ServerTests", dependencies: [
            "recovery", "Rehabilitation", "LedgerServer", "LedgerWeb", "LedgerDocuments", "EventLog", "TestSupport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "CSV", package: "CSV.swift"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
