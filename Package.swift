// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "authgear-migrate",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "authgear-migrate", targets: ["authgear-migrate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // Hummingbird's own dependencies, named because the Sandbox imports their modules directly.
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
    ],
    targets: [
        // C system libraries: the only places that see C headers.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl"),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL"),
        // The commit a binary was built from, baked in by scripts/package.sh (empty in a plain build).
        .target(name: "CBuildInfo"),

        // Strict RFC 8259 JSON: parser, writer, compactor, JSONValue, UTF-8 checks. Pure Swift, no dependencies.
        .target(name: "JSON"),
        // Records, readers, lazy index, validation, edits, batch planning. Pure Swift.
        .target(name: "MigrationCore", dependencies: ["JSON"], exclude: ["Formats/Phone/NOTICE-libphonenumber.txt"]),

        // The only code that calls libcrypto: SHA-256, RSA keys (load, generate, PEM), RS256, base64url.
        .target(name: "OpenSSLCrypto", dependencies: ["COpenSSL"]),

        // Admin API client: token signing, import endpoints, error taxonomy, retry policy.
        .target(name: "AuthgearAPI", dependencies: ["MigrationCore", "OpenSSLCrypto"]),
        // Where connection settings come from: the profiles file, the key file (with its permission
        // checks) and the passphrase (environment or a prompt on /dev/tty). AuthgearAPI reads no files.
        .target(name: "ConnectionSetup", dependencies: ["AuthgearAPI", "MigrationCore"]),
        // HTTPTransport over libcurl: the only code that calls libcurl.
        .target(name: "CurlTransport", dependencies: ["AuthgearAPI", "CCurl"]),

        // Runs a migration: plan → submit → poll → outcomes, recorded in a SQLite journal.
        .target(
            name: "MigrationEngine",
            dependencies: ["MigrationCore", "AuthgearAPI", "OpenSSLCrypto", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),

        // Terminal UI toolkit: cells, styles, ScreenBuffer, keys, the Terminal protocol, frame diff, and widgets
        // (Table, List, Gauge, TextBox, Dialog) as pure renders into a ScreenBuffer. No ncurses, no app knowledge.
        .target(name: "TerminalKit"),
        // The only code that calls ncurses: a Terminal over the real tty.
        .target(name: "NcursesTerminal", dependencies: ["TerminalKit", "CNcurses"]),
        // Screens: state, messages, pure update, pure render, key tables.
        .target(name: "MigratorUI", dependencies: ["TerminalKit", "MigrationCore", "MigrationEngine", "AuthgearAPI"]),
        // The TUI's live effect handler: files, background indexing and validation, the engine. The
        // connection (flags, check) is injected by the executable.
        .target(name: "MigratorLive", dependencies: ["MigratorUI", "MigrationCore", "MigrationEngine", "AuthgearAPI"]),

        // Local emulator of the User Import API (spec §12): HTTP server, jobs, worker, control API.
        .target(
            name: "Sandbox",
            dependencies: [
                "MigrationCore", "OpenSSLCrypto",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        .executableTarget(
            name: "authgear-migrate",
            dependencies: [
                "MigrationCore", "Sandbox", "AuthgearAPI", "ConnectionSetup", "CurlTransport", "MigrationEngine",
                "TerminalKit", "NcursesTerminal", "MigratorUI", "MigratorLive", "CBuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Benchmarks (not tests): swift run -c release authgear-migrate-bench
        .executableTarget(name: "authgear-migrate-bench", dependencies: ["MigrationCore", "Sandbox", "AuthgearAPI", "ConnectionSetup", "CurlTransport", "MigrationEngine", "MigratorUI", "TerminalKit"]),

        // Shared by the test targets (never linked into the product): the in-process sandbox harness,
        // the sandbox child process, the one control-API client, temp directories, SplitMix64, the binary locator.
        .target(
            name: "TestSupport",
            dependencies: ["MigrationCore", "AuthgearAPI", "ConnectionSetup", "CurlTransport", "MigrationEngine", "Sandbox"],
            path: "Tests/TestSupport"
        ),

        .testTarget(name: "MigrationCoreTests", dependencies: ["MigrationCore", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "AuthgearAPITests",
            dependencies: ["AuthgearAPI", "ConnectionSetup", "CurlTransport", "Sandbox", "MigrationCore", "TestSupport"]
        ),
        .testTarget(
            name: "SandboxTests",
            dependencies: ["Sandbox", "MigrationCore", "OpenSSLCrypto", "TestSupport"]
        ),
        .testTarget(
            name: "MigrationEngineTests",
            dependencies: ["MigrationEngine", "MigrationCore", "AuthgearAPI", "ConnectionSetup", "Sandbox", "CurlTransport", "TestSupport",
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "TerminalKitTests", dependencies: ["TerminalKit"]),
        .testTarget(name: "NcursesTerminalTests", dependencies: ["NcursesTerminal", "TerminalKit", "CNcurses"]),
        .testTarget(name: "MigratorUITests", dependencies: ["MigratorUI", "TerminalKit", "MigrationCore", "MigrationEngine", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "MigratorLiveTests", dependencies: ["MigratorLive", "MigratorUI", "MigrationCore", "MigrationEngine", "AuthgearAPI", "TestSupport"]),
        // Unit tests of the executable's own code (@testable import).
        .testTarget(name: "CLITests", dependencies: ["authgear-migrate"]),
        // The real binary (next to the test bundle): the CLI, tmux-driven TUI, kill -9 and resume,
        // against an in-process sandbox or a sandbox child process.
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["authgear-migrate", "TestSupport", "MigrationEngine", "MigrationCore"]
        ),
        .testTarget(name: "OpenSSLCryptoTests", dependencies: ["OpenSSLCrypto"]),
        .testTarget(name: "SystemLibrariesTests", dependencies: ["CNcurses", "CCurl", "COpenSSL"]),
    ],
    swiftLanguageModes: [.v6]
)
