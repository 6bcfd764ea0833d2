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
    ],
    targets: [
        // C system libraries: the only places that see C headers.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl"),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL"),

        // Records, readers, lazy index, validation, edits, batch planning. Pure Swift.
        .target(name: "MigrationCore"),

        .executableTarget(
            name: "authgear-migrate",
            dependencies: [
                "MigrationCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "MigrationCoreTests", dependencies: ["MigrationCore"]),
        .testTarget(name: "SystemLibrariesTests", dependencies: ["CNcurses", "CCurl", "COpenSSL"]),
    ],
    swiftLanguageModes: [.v6]
)
