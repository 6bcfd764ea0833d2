import XCTest
import MigrationCore
@testable import MigratorUI
import TestSupport

/// "Edited since it failed" survives a restart: the times of saved edits are kept beside the
/// edits file, and Review compares them with the failure the journal recorded.
final class EditTimesTests: XCTestCase {
    /// The same source and edits file opened again, as the TUI does after a restart.
    func reopened(_ s: SourceSession) throws -> SourceSession {
        let index = try RecordIndex.open(path: s.path)
        try index.waitUntilComplete()
        let workspace = SourceWorkspace(index: index, settings: ValidationSettings(identifier: .email))
        workspace.edits = try EditStore(path: s.editsPath).load(for: index.file)
        return SourceSession(path: s.path, workspace: workspace, mappingPath: nil, editsPath: s.editsPath)
    }

    func failure(_ record: Int, at: Date) -> ReviewState.Group {
        ReviewState.Group(key: "DuplicatedIdentity", records: [
            ReviewState.Item(record: record, identifier: "edsger@example.com", reason: "DuplicatedIdentity", message: "identity already exists", recordedAt: at),
        ])
    }

    func testAnEditSavedAfterTheFailureIsMarkedAfterARestart() throws {
        let first = try Fixture.session()
        let before = Date()
        try first.edit { $0.replace(4, with: .obj(["email": .string("edsger.d@example.com"), "name": .string("Edsger Dijkstra")])) }
        let saved = try XCTUnwrap(EditTimes.load(path: EditTimes.path(forEdits: first.editsPath))[4])
        XCTAssertGreaterThanOrEqual(saved, before)

        // A new session (the review's in-memory stamps are gone) still marks it.
        var s = try Fixture.state(session: try reopened(first))
        s.screen = .review
        XCTAssertTrue(s.review.editedAt.isEmpty)
        _ = Update.update(&s, .reviewLoaded(tab: .failed, groups: [failure(4, at: before.addingTimeInterval(-3600))]))
        XCTAssertEqual(s.review.editedSinceFailureRecords, [4])
        XCTAssertTrue(AppView.render(s).text.contains("✎ 1 edited since they failed"), AppView.render(s).text)

        // A failure recorded after the edit (the edited record was sent and failed again) is not.
        var later = try Fixture.state(session: try reopened(first))
        _ = Update.update(&later, .reviewLoaded(tab: .failed, groups: [failure(4, at: saved.addingTimeInterval(60))]))
        XCTAssertEqual(later.review.editedSinceFailureRecords, [])
    }

    func testAnEditUndoneToTheSourceLosesItsTime() throws {
        let session = try Fixture.session()
        try session.edit { $0.exclude(6) }
        try session.edit { $0.exclude(7) }
        XCTAssertEqual(Set(session.editTimes.keys), [6, 7])
        try session.edit { $0.revert(6) }
        XCTAssertEqual(Set(try reopened(session).editTimes.keys), [7])
    }

    func testAMissingOrDamagedTimesFileMeansNoMarks() throws {
        let dir = TempDirectory(prefix: "edit-times").path
        XCTAssertEqual(EditTimes.load(path: dir + "/none.times.json"), [:])
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: dir + "/bad.times.json"))
        XCTAssertEqual(EditTimes.load(path: dir + "/bad.times.json"), [:])
    }
}
