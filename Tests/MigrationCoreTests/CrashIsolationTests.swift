import Foundation
import XCTest
@testable import MigrationCore

/// Inputs that used to crash the process. Each scenario runs in a child test process so that a
/// crash fails one test instead of aborting the whole run.
final class CrashIsolationTests: XCTestCase {
    private func runIsolated(_ scenario: String, file: StaticString = #filePath, line: UInt = #line) {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["MigrationCoreTests.IsolatedScenarios/\(scenario)"]
        var env = ProcessInfo.processInfo.environment
        env["MIGRATIONCORE_ISOLATED"] = "1"
        child.environment = env
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        do { try child.run() } catch { XCTFail("cannot start \(CommandLine.arguments[0]): \(error)", file: file, line: line); return }
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .exit, "\(scenario) crashed (signal \(child.terminationStatus))", file: file, line: line)
        XCTAssertEqual(child.terminationStatus, 0, "\(scenario) failed", file: file, line: line)
    }

    func testDocumentTruncatedInsideAKey() { runIsolated("testDocumentTruncatedInsideAKey") }
    func testDocumentTruncatedInsideIdentifierValue() { runIsolated("testDocumentTruncatedInsideIdentifierValue") }
    func testWriterOnMaximumDepthValue() { runIsolated("testWriterOnMaximumDepthValue") }
}

/// The scenarios `CrashIsolationTests` runs in child processes (no-ops in a normal run).
final class IsolatedScenarios: XCTestCase {
    private var active: Bool { ProcessInfo.processInfo.environment["MIGRATIONCORE_ISOLATED"] == "1" }

    private func scanFailure(_ text: String) -> SourceError? {
        let path = TestFiles.write(text)
        do { return try RecordIndex.open(path: path, format: .authgear).finish() } catch { return error }
    }

    func testDocumentTruncatedInsideAKey() {
        guard active else { return }
        let e = scanFailure("{\"records\": [{\"email\":\"a@b\"}],\n \"ident")
        XCTAssertNotNil(e)
        XCTAssertEqual(e?.line, 2)
    }

    func testDocumentTruncatedInsideIdentifierValue() {
        guard active else { return }
        let e = scanFailure("{\"identifier\": \"ema")
        XCTAssertNotNil(e)
        XCTAssertEqual(e?.line, 1)
    }

    /// JSONWriter recurses once per level; 10,000 levels (the parser's limit) must still be writable.
    func testWriterOnMaximumDepthValue() {
        guard active else { return }
        let done = expectation(description: "written")
        let thread = Thread {
            let depth = JSONParser.defaultMaxDepth
            let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            let value = try! JSONParser.parse(text)
            XCTAssertEqual(JSONWriter().string(value), text)
            done.fulfill()
        }
        thread.stackSize = 8 << 20
        thread.start()
        wait(for: [done], timeout: 60)
    }
}
