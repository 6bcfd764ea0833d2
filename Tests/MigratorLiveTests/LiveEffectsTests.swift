import Foundation
import XCTest
import MigrationCore
@testable import MigratorLive
import MigratorUI

/// The live effect handler against a real mailbox and small files: what it posts, in order.
final class LiveEffectsTests: LiveEffectsTestCase {
    static func isIndexComplete(_ m: Message) -> Bool {
        if case .indexProgress(_, _, true) = m { return true }
        return false
    }

    func testOpeningASmallSourcePostsSourceOpenedThenIndexComplete() throws {
        let path = work + "/users.ndjson"
        try Data("{\"email\":\"ada@example.com\"}\n{\"email\":\"grace@example.com\"}\n{\"email\":\"edsger@example.com\"}\n".utf8)
            .write(to: URL(fileURLWithPath: path))
        let mailbox = Mailbox()
        handler().perform(.openSource(path: path, mappingPath: nil), state: AppState(), mailbox: mailbox)
        let posted = messages(mailbox) { $0.contains(where: Self.isIndexComplete) }
        guard case .sourceOpened(let box)? = posted.first else { return XCTFail("first message: \(String(describing: posted.first))") }
        XCTAssertEqual(box.session.path, path)
        guard case .indexProgress(let indexed, _, true)? = posted.last else { return XCTFail("no complete index progress: \(posted)") }
        XCTAssertEqual(indexed, 3)
        usleep(200_000)
        XCTAssertFalse(mailbox.drain().contains { if case .indexStopped = $0 { return true } else { return false } },
                       "a whole file does not stop")
    }

    func testATruncatedSourcePostsIndexStopped() throws {
        let path = work + "/users.json"
        try Data("[{\"email\":\"ada@example.com\"},{\"email\":\"grace@exa".utf8).write(to: URL(fileURLWithPath: path))
        let mailbox = Mailbox()
        handler().perform(.openSource(path: path, mappingPath: nil), state: AppState(), mailbox: mailbox)
        let posted = messages(mailbox) { $0.contains { if case .indexStopped = $0 { return true } else { return false } } }
        guard case .sourceOpened? = posted.first else { return XCTFail("first message: \(String(describing: posted.first))") }
        XCTAssertTrue(posted.contains(where: Self.isIndexComplete), "reading ends before it stops")
        guard case .indexStopped(let indexed, let reason)? = posted.last else { return XCTFail("no indexStopped: \(posted)") }
        XCTAssertEqual(indexed, 1, "the whole first record is kept")
        XCTAssertFalse(reason.isEmpty)
    }

    func testTheConnectionCheckIsTheInjectedOne() {
        let mailbox = Mailbox()
        handler(check: { _, _ in [CheckStep(name: "fake", ok: true, detail: "")] }).perform(.checkConnection(ImportSettings()), state: AppState(), mailbox: mailbox)
        let posted = messages(mailbox) { !$0.isEmpty }
        guard case .checkFinished(let steps)? = posted.first else { return XCTFail("\(posted)") }
        XCTAssertEqual(steps, [CheckStep(name: "fake", ok: true, detail: "")])
    }

    /// Another system's export goes through the mapping step too: its preset's rows (JSON
    /// pointer → field) are shown, a changed target is previewed, and accepting opens the source
    /// through the edited mapping (saved, in the extended format).
    func testAPresetSourceShowsItsMappingAndAChangedTargetIsUsed() throws {
        let path = work + "/firebase.json"
        try Data("{\"users\": [\n{\n  \"localId\": \"u1\",\n  \"email\": \"kim@example.com\",\n  \"displayName\": \"Kim\"\n}]}".utf8)
            .write(to: URL(fileURLWithPath: path))
        let mailbox = Mailbox()
        let live = handler()
        live.perform(.openSource(path: path, mappingPath: nil), state: AppState(), mailbox: mailbox)
        let posted = messages(mailbox) { $0.contains { if case .mappingNeeded = $0 { return true }; return false } }
        guard case .mappingNeeded(_, var columns)? = posted.first(where: { if case .mappingNeeded = $0 { return true }; return false }) else {
            return XCTFail("no mapping step: \(posted)")
        }
        let name = try XCTUnwrap(columns.firstIndex { $0.header == "/displayName" })
        XCTAssertEqual(columns[name].field, "name")
        XCTAssertEqual(LiveEffects.preview(path: path, columns: columns).rows, [.record(try JSONParser.parse(#"{"email":"kim@example.com","name":"Kim"}"#))])
        columns[name].field = "nickname"
        XCTAssertEqual(LiveEffects.preview(path: path, columns: columns).rows, [.record(try JSONParser.parse(#"{"email":"kim@example.com","nickname":"Kim"}"#))])
        live.perform(.applyMapping(path: path, columns: columns), state: AppState(), mailbox: mailbox)
        let opened = messages(mailbox) { $0.contains(where: Self.isIndexComplete) }
        guard case .sourceOpened(let box)? = opened.first(where: { if case .sourceOpened = $0 { return true }; return false }) else {
            return XCTFail("not opened: \(opened)")
        }
        XCTAssertEqual(box.session.index.format, .firebase)
        var out: [UInt8] = []
        box.session.index.recordBytes(span: box.session.index.span(0), into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), #"{"email":"kim@example.com","nickname":"Kim"}"#)
    }
}
