import Foundation
import XCTest

/// A fresh directory under the system temporary directory, for one test.
/// `XCTestCase.makeTempDirectory` removes it when the test ends; otherwise call ``remove()``.
public struct TempDirectory: Sendable {
    public let path: String

    /// Creates `<tmp>/<prefix>-<uuid>`.
    public init(prefix: String = "agm-test") {
        path = NSTemporaryDirectory() + prefix + "-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// `path/name`.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `bytes` to `path/name` and returns that path.
    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) -> String {
        let target = file(name)
        _ = FileManager.default.createFile(atPath: target, contents: Data(bytes))
        return target
    }

    /// Writes `text` (UTF-8) to `path/name` and returns that path.
    @discardableResult
    public func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }

    /// Creates the subdirectory `path/name` and returns its path.
    @discardableResult
    public func subdirectory(_ name: String) -> String {
        let target = file(name)
        try! FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        return target
    }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

extension XCTestCase {
    /// A fresh temporary directory removed when this test ends (pass or fail).
    public func makeTempDirectory(prefix: String = "agm-test") -> TempDirectory {
        let dir = TempDirectory(prefix: prefix)
        addTeardownBlock { dir.remove() }
        return dir
    }
}
