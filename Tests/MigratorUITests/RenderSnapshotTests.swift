import XCTest
import MigrationCore
import MigrationEngine
@testable import MigratorUI
import TerminalKit

/// Every screen rendered into an in-memory buffer at 80×24 and 120×40 and compared with a
/// snapshot file in Snapshots/. `RECORD_SNAPSHOTS=1 swift test --filter RenderSnapshotTests`
/// re-records them (review the diff before committing).
final class RenderSnapshotTests: XCTestCase {
    static let sizes = [(80, 24), (120, 40)]

    func assertSnapshot(_ name: String, _ make: (Int, Int) throws -> AppState, file: StaticString = #filePath, line: UInt = #line) throws {
        for (w, h) in Self.sizes {
            let state = try make(w, h)
            let buffer = AppView.render(state)
            XCTAssertEqual(buffer.width, w)
            let text = buffer.text + "\n"
            let path = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent()
                .appendingPathComponent("Snapshots/\(name)-\(w)x\(h).txt").path
            let exists = FileManager.default.fileExists(atPath: path)
            if !exists, ProcessInfo.processInfo.environment["CI"] != nil {
                XCTFail("snapshot \(path) is missing: record it with RECORD_SNAPSHOTS=1 and commit it", file: file, line: line)
                continue
            }
            if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" || !exists {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try String(contentsOfFile: path, encoding: .utf8)
            if expected != text {
                let diff = zip(expected.split(separator: "\n", omittingEmptySubsequences: false), text.split(separator: "\n", omittingEmptySubsequences: false))
                    .enumerated().first { $0.element.0 != $0.element.1 }
                XCTFail("\(name) \(w)x\(h) differs from \(path) at row \(diff?.offset ?? -1):\n  expected: \(diff?.element.0 ?? "")\n  actual:   \(diff?.element.1 ?? "")\n(RECORD_SNAPSHOTS=1 re-records)", file: file, line: line)
            }
            // Every row is exactly the terminal's width in cells: nothing overflows.
            for y in 0..<h { XCTAssertEqual(buffer.line(y).cellWidth, w, "\(name) \(w)x\(h) row \(y)", file: file, line: line) }
        }
    }

    func testRecordsWithIssues() throws {
        try assertSnapshot("records") { w, h in
            var s = try Fixture.state(width: w, height: h)
            press(&s, .char("j"))          // record 1: invalid email
            return s
        }
    }

    func testRecordsWideCharactersAlign() throws {
        try assertSnapshot("records-cjk") { w, h in
            var s = try Fixture.state(width: w, height: h)
            press(&s, .char("j"), .char("j"))   // record 2: 山田太郎
            return s
        }
    }

    func testRecordsFilteredWithPrompt() throws {
        try assertSnapshot("records-filter") { w, h in
            var s = try Fixture.state(width: w, height: h)
            s.records.filter = .errors
            s.records.rows = [1, 3]
            press(&s, .char("/"))
            type(&s, "alan")
            return s
        }
    }

    func testEditor() throws {
        try assertSnapshot("editor") { w, h in
            var s = try Fixture.state(width: w, height: h)
            press(&s, .char("j"), .char("j"), .char("j"), .enter)
            return s
        }
    }

    func testEditorEditedAndRevealed() throws {
        try assertSnapshot("editor-edited") { w, h in
            let session = try Fixture.session()
            try session.edit { $0.replace(0, with: .obj(["email": .string("ada@example.org"), "name": .string("Ada Lovelace"),
                                                         "password": .obj(["type": .string("bcrypt"), "password_hash": .string(Fixture.hash)])])) }
            var s = try Fixture.state(width: w, height: h, session: session)
            press(&s, .enter)
            return s
        }
    }

    func testSettingsWithCheck() throws {
        try assertSnapshot("settings") { w, h in
            var s = try Fixture.state(width: w, height: h)
            press(&s, .char("L"))
            _ = Update.update(&s, .checkFinished([
                CheckStep(name: "settings", ok: true, detail: "endpoint: https://myapp.authgear.cloud (from --endpoint)"),
                CheckStep(name: "authentication", ok: false, detail: "403: the server refused the token — fix: check the key ID"),
            ]))
            return s
        }
    }

    func testLaunchConfirmation() throws {
        try assertSnapshot("launch-confirm") { w, h in
            var s = try Fixture.state(width: w, height: h)
            press(&s, .char("L"), .char("L"))
            return s
        }
    }

    func testLiveProgress() throws {
        try assertSnapshot("progress") { w, h in
            var s = try Fixture.state(width: w, height: h)
            s.screen = .progress
            s.run.active = true
            s.run.startedAt = s.now.addingTimeInterval(-42)
            _ = Update.update(&s, .runStarted(runID: "0123456789abcdef", batches: [], base: OutcomeCounts()))
            s.now = s.now.addingTimeInterval(-3)
            _ = Update.update(&s, .engine(.batchSending(batch: 1, records: 5, attempt: 1)))
            _ = Update.update(&s, .engine(.batchSent(batch: 1, jobID: "userimport_01HZX0000000000000000000001")))
            _ = Update.update(&s, .engine(.batchSending(batch: 2, records: 5, attempt: 2)))
            _ = Update.update(&s, .engine(.retrying(batch: 2, after: 2, reason: "HTTP 503 from the server")))
            var c = OutcomeCounts()
            c.inserted = 3
            c.failed = 1
            let failure = RecordResult(record: 4, batchID: 1, outcome: .failed, userID: nil, warnings: [], errorReason: "DuplicatedIdentity",
                                       errorMessage: "identity already exists", errorJSON: nil, possiblyCreatedAt: nil, recordedAt: s.now)
            _ = Update.update(&s, .engine(.batchCompleted(batch: 1, counts: c, failures: [failure])))
            s.now = s.now.addingTimeInterval(3)
            _ = Update.update(&s, .engine(.progress(ProgressSnapshot(counts: c, toSend: 10, done: 4, inFlightBatches: 1, recordsPerSecond: 12.5, eta: 48))))
            var t = RunProgressTotals()
            t.settled = c
            t.planned = 10
            t.open = 6
            t.recentFailures = [.init(record: 4, reason: "DuplicatedIdentity", message: "identity already exists")]
            _ = Update.update(&s, .progressTotals(runID: "0123456789abcdef", t))
            return s
        }
    }

    func testRunsList() throws {
        try assertSnapshot("runs") { w, h in try RunsScreenTests.runsState(width: w, height: h) }
    }

    func testRunSummary() throws {
        try assertSnapshot("run-summary") { w, h in
            var s = try RunsScreenTests.runsState(width: w, height: h)
            press(&s, .enter)
            return s
        }
    }

    func testReviewFailed() throws {
        try assertSnapshot("review") { w, h in
            var s = try Fixture.state(width: w, height: h)
            s.run.runID = "run-1"
            s.screen = .review
            _ = Update.update(&s, .reviewLoaded(tab: .failed, groups: [
                ReviewState.Group(key: "DuplicatedIdentity", records: [
                    ReviewState.Item(record: 4, identifier: "edsger@example.com", reason: "DuplicatedIdentity", message: "identity already exists: phone_number"),
                    ReviewState.Item(record: 2, identifier: "taro@example.jp", reason: "DuplicatedIdentity", message: "identity already exists: 山田太郎"),
                ]),
                ReviewState.Group(key: "UnexpectedError", records: [
                    ReviewState.Item(record: 9, identifier: "linus@example.com", reason: "UnexpectedError", message: "unexpected error"),
                ]),
            ]))
            press(&s, .enter, .char(" "))
            return s
        }
    }

    func testPickerAndHelp() throws {
        try assertSnapshot("picker") { w, h in
            var s = AppState()
            s.size = (w, h)
            _ = Update.update(&s, .directoryListed(path: "/data/migration", entries: [
                PickerState.Entry(name: "archive", isDirectory: true, size: 0, format: nil),
                PickerState.Entry(name: "users.json", isDirectory: false, size: 353_000_000, format: "authgear"),
                PickerState.Entry(name: "users.csv", isDirectory: false, size: 12_400, format: "csv"),
                PickerState.Entry(name: "ユーザー.ndjson", isDirectory: false, size: 900, format: "ndjson"),
                PickerState.Entry(name: "notes.pdf", isDirectory: false, size: 1_000, format: nil),
            ], error: nil))
            _ = Update.update(&s, .recentLoaded(["/data/migration/users.json"]))
            return s
        }
        try assertSnapshot("help") { w, h in
            var s = try Fixture.state(width: w, height: h)
            s.logPath = "/home/ops/.local/state/authgear-migrate/tui.log"
            press(&s, .char("?"))
            return s
        }
    }

    func testCSVMapping() throws {
        try assertSnapshot("mapping") { w, h in
            var s = AppState()
            s.size = (w, h)
            _ = Update.update(&s, .mappingNeeded(path: "/data/legacy-export.csv", columns: [
                MappingState.Column(header: "email", field: "email"),
                MappingState.Column(header: "Full Name", field: nil),
                MappingState.Column(header: "password_hash", field: "password.password_hash"),
                MappingState.Column(header: "Tier", field: "custom_attributes.tier"),
            ]))
            _ = Update.update(&s, .mappingPreview(MappingPreview(rows: [
                .record(try JSONParser.parse(#"{"email":"ada@example.com","password":{"type":"bcrypt","password_hash":"••••••"},"custom_attributes":{"tier":"gold"}}"#)),
                .problem("line 3: email_verified: \"maybe\" is not true or false"),
            ])))
            press(&s, .down)
            return s
        }
    }

    func testPresetMapping() throws {
        try assertSnapshot("mapping-preset") { w, h in
            var s = AppState()
            s.size = (w, h)
            let preset = try XCTUnwrap(SourcePresets.mapping("firebase"))
            var columns = SourceOpening.presetColumns(preset.document)
            columns.insert(MappingState.Column(header: "/createdAt", field: "custom_attributes.signed_up",
                                               entry: .obj(["field": .string("custom_attributes.signed_up"), "transform": .string("rfc3339")])), at: 4)
            _ = Update.update(&s, .mappingNeeded(path: "/data/firebase-users.json", columns: columns))
            let record = try JSONParser.parse(#"{"localId": "u1", "email": "Kim@Example.com", "emailVerified": true, "displayName": "Kim Lee", "createdAt": "1700000000000", "passwordHash": "c2NyeXB0", "customAttributes": "{\"tier\": \"gold\"}"}"#)
            let mapped = try RecordMapping(document: SourceOpening.presetDocument(columns, base: preset.document)).map(record).record
            _ = Update.update(&s, .mappingPreview(MappingPreview(rows: [.record(Secrets.masked(mapped))], sourcePaths: MappingChoices.sourcePaths(in: record))))
            press(&s, .down, .down, .down, .down)
            return s
        }
    }

    func testNarrowAndTinyTerminalsStillRender() throws {
        for (w, h) in [(60, 16), (40, 10), (19, 5)] {
            var s = try Fixture.state(width: w, height: h)
            press(&s, .char("j"))
            for screen in Screen.allCases {
                s.screen = screen
                let b = AppView.render(s)
                XCTAssertEqual(b.width, w)
                for y in 0..<h { XCTAssertEqual(b.line(y).cellWidth, w, "\(screen) \(w)x\(h) row \(y)") }
            }
        }
    }

    func testSecretsAreMaskedUntilRevealed() throws {
        var s = try Fixture.state()
        let masked = AppView.render(s).text
        XCTAssertFalse(masked.contains("N9qo8uLO"), "a password hash never shows unasked")
        XCTAssertTrue(masked.contains(Secrets.mask))
        press(&s, .char("S"))
        XCTAssertTrue(AppView.render(s).text.contains("N9qo8uLO"))
    }
}
