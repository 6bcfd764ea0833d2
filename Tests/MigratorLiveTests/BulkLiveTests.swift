import Foundation
import XCTest
import MigrationCore
@testable import MigratorLive
@testable import MigratorUI

/// The live handler's bulk operations: the preview is worked out off the UI thread and answers
/// with its counts, applying it is one undo step saved with the edits, and `u` undoes it whole.
final class BulkLiveTests: LiveEffectsTestCase {
    func testPreviewApplyAndUndoOfAnOperationOnSixHundredRecords() throws {
        let path = work + "/users.ndjson"
        var text = ""
        for i in 0..<600 { text += #"{"email":"u\#(i)@example.com","phone_number":"020 7946 0\#(String(format: "%03d", i % 1000))"}"# + "\n" }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let index = try RecordIndex.open(path: path)
        try index.waitUntilComplete()
        let workspace = SourceWorkspace(index: index, settings: ValidationSettings(identifier: .email))
        workspace.validate()
        XCTAssertEqual(workspace.report?.errorCount, 600, "national numbers are not E.164")
        let session = SourceSession(path: path, workspace: workspace, mappingPath: nil, editsPath: work + "/users.edits.json")
        var state = AppState()
        state.session = session
        state.loading = LoadingState(path: path, indexed: 600, indexFraction: 1, indexComplete: true, validated: 600, validationTotal: 600, validationComplete: true)
        let handler = handler()
        let mailbox = Mailbox()
        let request = BulkRequest(operation: .phoneE164(JSONPointer(tokens: ["phone_number"]), region: "GB"), records: IndexSet(0..<600))
        handler.perform(.previewBulk(request, generation: 7), state: state, mailbox: mailbox)
        let posted = messages(mailbox) { $0.contains { if case .bulkPreviewed = $0 { return true } else { return false } } }
        guard case .bulkPreviewed(7, let counts)? = posted.last else { return XCTFail("\(posted)") }
        XCTAssertEqual(counts.changed, 600)
        XCTAssertEqual(counts.becomeValid, 600)
        XCTAssertEqual(counts.invalidAfter, 0)
        XCTAssertEqual(session.report?.errorCount, 600, "a preview changes nothing")
        handler.perform(.applyBulk(request, generation: 7), state: state, mailbox: mailbox)
        guard case .done(let applied)? = mailbox.drain().last else { return XCTFail() }
        XCTAssertTrue(applied.contains("600 records changed, 600 records now valid"), applied)
        XCTAssertEqual(session.report?.errorCount, 0)
        XCTAssertEqual(session.record(42)?["phone_number"], JSONValue.string("+442079460042"))
        XCTAssertEqual(try EditStore(path: session.editsPath).load(for: index.file).undoableGroups.count, 1, "saved with the edits")
        // A second apply of the same preview is refused: it is used up.
        handler.perform(.applyBulk(request, generation: 7), state: state, mailbox: mailbox)
        guard case .failed(let again)? = mailbox.drain().last else { return XCTFail() }
        XCTAssertTrue(again.contains("preview again"), again)
        // Undoing 600 records at once: installed at once, re-validated by a background pass (with progress on screen).
        handler.perform(.edit(.undo(record: 99)), state: state, mailbox: mailbox)
        let after = messages(mailbox) { $0.contains { if case .validationFinished = $0 { return true } else { return false } } }
        guard case .revalidating? = after.first else { return XCTFail("\(after)") }
        XCTAssertTrue(after.contains { if case .done("undid E.164 /phone_number (region GB) on 600 records (one operation) — ^R redoes it") = $0 { return true } else { return false } }, "\(after)")
        for m in after { _ = Update.update(&state, m) }
        XCTAssertEqual(state.loading?.validationComplete, true)
        XCTAssertEqual(session.report?.errorCount, 600)
        XCTAssertTrue(session.workspace.edits.isEmpty)
    }
}
