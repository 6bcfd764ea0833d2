import Foundation

/// Where the built executables are: the products directory that holds the test bundle
/// (`.build/<config>/authgear-migratePackageTests.xctest` sits next to `authgear-migrate`).
public enum ProductBinary {
    private final class Anchor {}

    /// The products directory.
    public static var productsDirectory: URL {
        var dir = Bundle(for: Anchor.self).bundleURL
        while dir.pathExtension == "xctest" || dir.lastPathComponent == "Contents" { dir.deleteLastPathComponent() }
        return dir
    }

    /// The real `authgear-migrate` executable.
    public static var authgearMigrate: URL { productsDirectory.appendingPathComponent("authgear-migrate") }

    /// The repository root (the folder with Package.swift).
    public static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
