// swift-tools-version: 6.1
// Roundtable: a participation and collaboration hub for integrated social planning.
//
// Layers (imports point only to the left, and the build checks it):
//   HubCore ← HubServices ← HubStoreSQLite / HubStorePostgres / HubMail / HubRealtime ← HubHTTP ← HubApp ← roundtable
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Roundtable",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "roundtable", targets: ["roundtable"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // Meeting invitations: the district templates are Mustache (rendered in HubServices only).
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", exact: "2.1.1"),
    ],
    targets: [
        // Pure domain: entities, lifecycles, permissions. No I/O, no async, no packages.
        .target(name: "HubCore", swiftSettings: upcoming),
        // Debian's libqrencode (libqrencode-dev) for the QR codes of feedback panels.
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        // Use cases and the ports they need (store, event sink, clock, ids).
        .target(
            name: "HubServices",
            dependencies: [
                "HubCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: upcoming
        ),
        // SQLite adapter (GRDB): records, migrations, group commit.
        .target(
            name: "HubStoreSQLite",
            dependencies: [
                "HubCore", "HubServices",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // PostgreSQL adapter (PostgresNIO): migrations, transactions, ordered commit publication.
        .target(
            name: "HubStorePostgres",
            dependencies: [
                "HubCore", "HubServices",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // Mail adapter: SMTP with STARTTLS or implicit TLS.
        .target(
            name: "HubMail",
            dependencies: [
                "HubServices",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // Topic hub: subscriptions, bounded buffers, presence, replay.
        .target(
            name: "HubRealtime",
            dependencies: [
                "HubCore", "HubServices",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: upcoming
        ),
        // Transport: Hummingbird routes, middleware, the one WebSocket endpoint.
        .target(
            name: "HubHTTP",
            dependencies: [
                "HubCore", "HubServices", "HubRealtime", "CQRencode",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: upcoming
        ),
        // Composition root: configuration, the object graph, buildApplication.
        .target(
            name: "HubApp",
            dependencies: [
                "HubCore", "HubServices", "HubStoreSQLite", "HubStorePostgres", "HubRealtime", "HubHTTP", "HubMail",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "roundtable",
            dependencies: [
                "HubApp", "HubCore", "HubServices", "HubStoreSQLite", "HubStorePostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // Fan-out micro-benchmark (separate from the tests; see Docs/benchmarks.md).
        .executableTarget(
            name: "roundtable-fanout-bench",
            dependencies: [
                "HubCore", "HubServices", "HubRealtime",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/FanoutBench",
            swiftSettings: upcoming
        ),
        .testTarget(name: "HubCoreTests", dependencies: ["HubCore"], swiftSettings: upcoming),
        .testTarget(
            name: "HubStoreTests",
            dependencies: ["HubCore", "HubServices", "HubStoreSQLite", "HubStorePostgres", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: upcoming
        ),
        // roundtable copy, backup and restore against real stores: SQLite always, PostgreSQL when
        // ROUNDTABLE_TEST_POSTGRES_URL is set (raw SQL on both sides to check what the copy wrote).
        .testTarget(
            name: "HubDataTests",
            dependencies: [
                "HubCore", "HubServices", "HubApp", "HubStoreSQLite", "HubStorePostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        .testTarget(
            name: "HubAppTests",
            dependencies: [
                "HubCore", "HubServices", "HubRealtime", "HubHTTP", "HubApp", "HubStoreSQLite",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            // Tests import the app's modules loosely; member-import checking stays on for Sources.
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
    ]
)
