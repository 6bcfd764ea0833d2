import Foundation
import TestSupport
import XCTest
@testable import MigrationCore

/// Shared helpers for MigrationCore tests: temp files and JSON parse shortcuts.
enum TestFiles {
    /// A fresh temporary directory (``TempDirectory``), removed by the caller's tearDown if wanted.
    static func makeDirectory() -> String { TempDirectory(prefix: "mc-tests").path }

    /// Writes `bytes` to a new temporary file and returns its path.
    static func write(_ bytes: [UInt8], name: String = "source.json") -> String {
        let path = makeDirectory() + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    static func write(_ text: String, name: String = "source.json") -> String {
        write(Array(text.utf8), name: name)
    }
}

/// Parses `text`, failing the test on error.
func parseOK(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSONValue? {
    do { return try JSONParser.parse(text) } catch {
        XCTFail("expected \(text.debugDescription) to parse, got \(error)", file: file, line: line)
        return nil
    }
}

/// The syntax error for `bytes`, failing the test when they parse.
func parseError(_ bytes: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth, file: StaticString = #filePath, line: UInt = #line) -> JSONSyntaxError? {
    do {
        let v = try JSONParser.parse(bytes, maxDepth: maxDepth)
        XCTFail("expected \(String(decoding: bytes, as: UTF8.self).debugDescription) (\(bytes.prefix(40))) to be refused, got \(v)", file: file, line: line)
        return nil
    } catch { return error }
}

func parseError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSONSyntaxError? {
    parseError(Array(text.utf8), file: file, line: line)
}

extension RecordIndex {
    /// Waits for the scan and returns the failure (or nil).
    func finish() -> SourceError? {
        do { try waitUntilComplete(); return nil } catch { return error }
    }

    /// All spans indexed.
    var allSpans: [RecordSpan] { spans(0..<count) }
}
