import Foundation
import XCTest
@testable import MigrationCore

/// Hostile source files: excerpts that must not print secrets, special files that must not
/// hang, files whose elements are not records.
final class HostileSourceTests: XCTestCase {
    private static let hash = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
    private static let hashTail = "ZAgcfl7p92ldGxad68LJZdL17lhWy"
    private static let totp = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

    private func snippet(_ text: String, at offset: Int) -> (text: String, caret: Int) {
        Array(text.utf8).withUnsafeBytes { SourceError.snippet($0, around: offset) }
    }

    private func offset(of needle: String, in text: String) -> Int {
        text.utf8.count - text.components(separatedBy: needle).dropFirst().joined(separator: needle).utf8.count - needle.utf8.count
    }

    // MARK: - Excerpts never show a secret

    func testExcerptMasksThePasswordHashAfterItsKey() {
        let line = #"[{"email":"a@example.com","password":{"type":"bcrypt","password_hash":"\#(Self.hash)"}} {"email":"b@example.com"}]"#
        let s = snippet(line, at: offset(of: #" {"email":"b"#, in: line) + 1)
        XCTAssertFalse(s.text.contains("N9qo8uLO"), s.text)
        XCTAssertFalse(s.text.contains(Self.hashTail), s.text)
        XCTAssertTrue(s.text.contains(#"password_hash":"••••"}}"#), s.text)
        XCTAssertTrue(s.text.contains(#""email":"b@example.com""#), s.text)
        // The caret still points at the record that lacks its comma.
        XCTAssertEqual(Array(s.text)[s.caret - 1], "{", s.text)
        XCTAssertTrue(String(Array(s.text)[(s.caret - 1)...]).hasPrefix(#"{"email":"b@example.com""#), s.text)
    }

    func testExcerptMasksTheTOTPSecretAndKeysAnywhereInTheLine() {
        let line = #"{"mfa":{"totp":{"secret":"\#(Self.totp)"}},"api_key":"k-123456789","email":"x@example.com" oops}"#
        let s = snippet(line, at: offset(of: "oops", in: line))
        XCTAssertFalse(s.text.contains("JBSWY3DP"), s.text)
        XCTAssertFalse(s.text.contains("k-123456789"), s.text)
        XCTAssertTrue(s.text.contains("x@example.com"), s.text)
        XCTAssertTrue(s.text.hasSuffix("oops}"), s.text)
    }

    func testExcerptWhoseWindowCutsTheHashInTheMiddle() {
        // The 80-byte window starts inside the hash: neither its key nor its `$2a$` is visible.
        let padding = String(repeating: "x", count: 40)
        let line = #"{"password_hash":"\#(Self.hash)","name":"\#(padding)" ,,}"#
        let s = snippet(line, at: offset(of: " ,,}", in: line))
        XCTAssertFalse(s.text.contains(Self.hashTail), s.text)
        XCTAssertFalse(s.text.contains("lhWy"), s.text)
        XCTAssertTrue(s.text.contains(padding), s.text)
    }

    func testExcerptOfAVeryLongLineIsLexedFromTheLineStart() {
        // 2 MB before the error on the same line: the key is far out of the window, which starts inside the hash.
        let ones = String(repeating: "1,", count: 1_000_000)
        let line = #"{"a":[\#(ones)0],"password_hash":"\#(Self.hash)","name":"\#(String(repeating: "y", count: 40))" ,,}"#
        let s = snippet(line, at: offset(of: " ,,}", in: line))
        XCTAssertFalse(s.text.contains(Self.hashTail), s.text)
        XCTAssertTrue(s.text.hasPrefix("••••"), s.text)
        // And a long line with no secret is shown as it is.
        let plain = "[" + ones
        let text = snippet(plain, at: 1_000_000).text
        XCTAssertFalse(text.contains("•"), text)
        XCTAssertEqual(text.count, 160)
        XCTAssertTrue(text.contains("1,1,1,1"), text)
    }

    func testExcerptOfBrokenJSONAndOfAValueThatLooksLikeAHash() {
        // An unterminated string, and a hash under a key that says nothing.
        let broken = #"{"email":"a@example.com","password_hash":"\#(Self.hash)"#
        XCTAssertFalse(snippet(broken, at: broken.utf8.count).text.contains("N9qo8uLO"))
        let unkeyed = #"{"note":"\#(Self.hash)","pem":"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg"} ]"#
        let s = snippet(unkeyed, at: unkeyed.utf8.count - 1)
        XCTAssertFalse(s.text.contains("N9qo8uLO"), s.text)
        XCTAssertFalse(s.text.contains("MIIEvQ"), s.text)
        let sha512 = #"{"hash_of_something_else":1,"h":"$bcrypt-sha512$v=2,t=2b,r=12$n79VH.0Q2TMWmt3Oqt9uku$Kq4Noyk3094Y2QlB8NdRT8SvGiI4ft2"}]"#
        XCTAssertFalse(snippet(sha512, at: sha512.utf8.count - 1).text.contains("Kq4Noyk"))
    }

    func testExcerptKeepsOrdinaryText() {
        let line = #"{"email":"bob@example.com","name":"Bob",}"#
        let s = snippet(line, at: line.utf8.count - 1)
        XCTAssertEqual(s.text, line)
        XCTAssertEqual(s.caret, line.count)
    }

    func testWholeFileErrorOfAJSONDocumentDoesNotShowTheHash() throws {
        let text = "[\n" + #"{"email":"a@example.com","password":{"type":"bcrypt","password_hash":"\#(Self.hash)"}} {"email":"b@example.com"}"# + "\n]"
        let idx = try RecordIndex.open(path: TestFiles.write(text))
        let e = try XCTUnwrap(idx.finish())
        XCTAssertEqual(e.line, 2)
        XCTAssertNotNil(e.snippet)
        XCTAssertFalse(e.description.contains("N9qo8uLO"), e.description)
        XCTAssertFalse(e.description.contains(Self.hashTail), e.description)
    }

    func testCSVErrorShowsTheRowWithItsSecretCellsMasked() throws {
        // The quote opened in the last cell is never closed: the error shows that row, with the
        // hash and TOTP columns masked (the TOTP secret has no recognisable shape).
        let text = "email,password_hash,mfa.totp.secret,name\n"
            + "a@example.com,\(Self.hash),\(Self.totp),Ann\n"
            + "b@example.com,\(Self.hash),\(Self.totp),\"Bob\n"
        let idx = try RecordIndex.open(path: TestFiles.write(text, name: "users.csv"))
        let e = try XCTUnwrap(idx.finish())
        XCTAssertEqual(e.line, 3)
        XCTAssertNotNil(e.snippet, "the excerpt of the row is shown")
        XCTAssertTrue(e.snippet?.hasSuffix("••••,••••,\"Bob") ?? false, e.description)
        if let text = e.snippet, let caret = e.caretColumn {
            XCTAssertEqual(String(Array(text)[(caret - 1)...]), "\"Bob", "the caret is on the quote that is never closed")
        }
        XCTAssertFalse(e.description.contains("N9qo8uLO"), e.description)
        XCTAssertFalse(e.description.contains("JBSWY3DP"), e.description)
    }

    // MARK: - Special files

    /// Runs `body` on a thread and fails (instead of hanging) when it does not return in time.
    private func withinSeconds(_ seconds: Double, _ what: String, unblock: @escaping () -> Void, _ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        Thread { body(); done.signal() }.start()
        if done.wait(timeout: .now() + seconds) == .timedOut {
            XCTFail("\(what) did not return within \(seconds) s")
            unblock()
            _ = done.wait(timeout: .now() + 5)
        }
    }

    func testAFIFOIsRefusedAtOnceInsteadOfBlocking() throws {
        let path = TestFiles.makeDirectory() + "/users.json"
        XCTAssertEqual(mkfifo(path, 0o600), 0)
        let result = LockedBox<SourceError?>(nil)
        withinSeconds(5, "opening a FIFO", unblock: {
            // Let the blocked open() return: a writer that opens and closes at once.
            let fd = open(path, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
        }) {
            do throws(SourceError) { _ = try SourceFile(path: path) } catch { result.set(error) }
        }
        let error = try XCTUnwrap(result.get(), "a FIFO must be refused")
        XCTAssertEqual(error.path, path)
        XCTAssertTrue(error.message.contains("FIFO"), error.description)
    }

    func testADirectoryIsRefusedAndNamed() throws {
        let dir = TestFiles.makeDirectory()
        XCTAssertThrowsError(try SourceFile(path: dir)) { e in
            XCTAssertTrue("\(e)".contains("directory"), "\(e)")
            XCTAssertTrue("\(e)".contains(dir), "\(e)")
        }
    }

    // MARK: - A source truncated while it is mapped

    private func bigNDJSON(_ count: Int) -> String {
        var text = ""
        for i in 0..<count { text += #"{"email":"user\#(i)@example.com","name":"User \#(i)"}"# + "\n" }
        return TestFiles.write(text, name: "users.ndjson")
    }

    private func cut(_ path: String, to size: off_t) {
        let fd = open(path, O_WRONLY)
        XCTAssertEqual(ftruncate(fd, size), 0)
        close(fd)
    }

    func testASourceTruncatedAfterItWasMappedFailsTheIndexInsteadOfCrashing() throws {
        let path = bigNDJSON(20_000)
        let file = try SourceFile(path: path)
        let other = try SourceFile(path: bigNDJSON(10))
        cut(path, to: 5000)
        // Reading past the new end would raise SIGBUS: the page reads as zeros instead.
        XCTAssertEqual(file.bytes[file.size - 1], 0)
        XCTAssertTrue(file.changedWhileReading)
        XCTAssertFalse(other.changedWhileReading, "only the truncated file is marked")
        let idx = try RecordIndex.open(file: file, format: .ndjson)
        let e = try XCTUnwrap(idx.finish())
        XCTAssertEqual(e.path, path)
        XCTAssertTrue(e.message.contains("changed while being read"), e.description)
        XCTAssertTrue(e.message.contains("shorter than when it was opened"), e.description)
        XCTAssertTrue(e.hint?.contains("restore it") ?? false, e.description)
        if idx.count > 0, case .failure(let p) = idx.loadRecord(idx.count - 1) {
            XCTAssertEqual(p.rule, "source.changed")
        } else if idx.count > 0 { XCTFail("a record read from zeros must not load") }
    }

    func testAValidationPassOverATruncatedSourceReportsTheChangeNotTheZeros() throws {
        let idx = try RecordIndex.open(path: bigNDJSON(20_000))
        XCTAssertNil(idx.finish())
        cut(idx.file.path, to: 100_000)
        let report = SourceWorkspace(index: idx, settings: ValidationSettings(identifier: .email, upsert: false)).validate()
        let failure = try XCTUnwrap(report.sourceFailure)
        XCTAssertTrue(failure.description.contains("changed while being read"), failure.description)
        XCTAssertTrue(failure.description.contains(idx.file.path), failure.description)
        // The records read from zeros say so, rather than "invalid JSON".
        let rules = Set(report.issues.keys.compactMap { report.issues[$0]?.first?.rule })
        XCTAssertEqual(rules, ["source.changed"])
    }

    func testAnExportOfATruncatedSourceWritesNothing() throws {
        let idx = try RecordIndex.open(path: bigNDJSON(20_000))
        XCTAssertNil(idx.finish())
        cut(idx.file.path, to: 100_000)
        let out = TestFiles.makeDirectory() + "/import.json"
        let writer = ImportDocumentWriter(index: idx, edits: EditOverlay(), identifier: .email, upsert: false)
        XCTAssertThrowsError(try writer.write(to: out) { _ in true }) { e in
            XCTAssertTrue("\(e)".contains("changed while being read"), "\(e)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    // MARK: - Files whose elements are not records

    func testAnArrayOfNumbersIsNotASourceAndStopsEarly() throws {
        // 4 MB of `1,` never closed: refused after its first elements, not indexed to the end.
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        bytes.reserveCapacity(4 << 20)
        while bytes.count < 4 << 20 { bytes.append(contentsOf: [UInt8(ascii: "1"), UInt8(ascii: ",")]) }
        let idx = try RecordIndex.open(path: TestFiles.write(bytes))
        let e = try XCTUnwrap(idx.finish())
        XCTAssertEqual(e.line, 1)
        XCTAssertEqual(e.column, 2)
        XCTAssertTrue(e.message.contains("not a source of records"), e.description)
        XCTAssertTrue(e.message.contains("1,000"), e.description)
        XCTAssertTrue(e.message.contains("a number"), e.description)
        XCTAssertTrue(e.hint?.contains("JSON object") ?? false, e.description)
        XCTAssertLessThanOrEqual(idx.count, 1000)
    }

    func testRecordsFollowedByALongRunOfNonObjectsStopAtTheRun() throws {
        var text = "[\n"
        for i in 0..<5 { text += #"{"email":"u\#(i)@example.com"},"# + "\n" }
        text += "null,\n"  // one stray element is a record error, not a file error
        text += #"{"email":"v@example.com"},"# + "\n"
        text += String(repeating: "\"x\",\n", count: 3000) + "\"x\"]"
        let idx = try RecordIndex.open(path: TestFiles.write(text))
        let e = try XCTUnwrap(idx.finish())
        XCTAssertEqual(e.line, 9, e.description)
        XCTAssertTrue(e.message.contains("from record 7 (line 9, a string)"), e.description)
        XCTAssertLessThan(idx.count, 1100)
        // The records before the run stay readable.
        if case .success(let v) = idx.loadRecord(0) { XCTAssertEqual(v["email"], .string("u0@example.com")) } else { XCTFail() }
    }

    func testAFewStrayNonObjectsAreRecordErrorsNotAFileError() throws {
        var text = "["
        for i in 0..<3000 { text += (i % 500 == 7 ? "1," : #"{"email":"u\#(i)@example.com"},"#) }
        text += "{}]"
        let idx = try RecordIndex.open(path: TestFiles.write(text))
        XCTAssertNil(idx.finish())
        XCTAssertEqual(idx.count, 3001)
    }

    func testASpanTakesSixteenBytes() {
        // One per record: 24 bytes each was 12 GB of index for 500 million two-byte elements.
        XCTAssertEqual(MemoryLayout<RecordSpan>.stride, 16)
        let span = RecordSpan(start: 1 << 40, end: (1 << 40) + 300_000, line: 7)
        XCTAssertEqual(span.end - span.start, 300_000)
        XCTAssertEqual(span.line, 7)
    }

    func testACSVWhoseColumnsMapToNothingIsNotASource() throws {
        let text = "1\n" + String(repeating: "1\n", count: 100_000)
        XCTAssertThrowsError(try RecordIndex.open(path: TestFiles.write(text, name: "ones.csv"))) { e in
            let error = e as? SourceError
            XCTAssertEqual(error?.line, 1)
            XCTAssertTrue(error?.message.contains("no column of the CSV header maps to a record field") ?? false, "\(e)")
        }
    }

    func testNDJSONLinesThatAreNotObjectsStopEarly() throws {
        let text = String(repeating: "1\n", count: 100_000)
        let idx = try RecordIndex.open(path: TestFiles.write(text, name: "u.ndjson"), format: .ndjson)
        let e = try XCTUnwrap(idx.finish())
        XCTAssertTrue(e.message.contains("not a source of records"), e.description)
        XCTAssertLessThanOrEqual(idx.count, 1000)
    }
}

/// A value shared with a helper thread.
final class LockedBox<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ value: T) { self.value = value }
    func set(_ v: T) { lock.lock(); value = v; lock.unlock() }
    func get() -> T { lock.lock(); defer { lock.unlock() }; return value }
}
