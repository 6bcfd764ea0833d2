import Foundation
import MigrationCore
import MigrationEngine
import TestSupport
import XCTest

/// What reports carry beyond the outcome: the source's own key (`--key-field`) and the server's cause.
final class ReportCauseTests: XCTestCase {
    func testKeyFieldReadsAPointerOrACSVColumnAndRefusesSecrets() throws {
        let dir = makeTempDirectory(prefix: "key-field")
        let json = dir.write("u.ndjson", #"{"email":"a@example.com","custom_attributes":{"member_id":42}}"# + "\n" + #"{"email":"b@example.com"}"# + "\n")
        let index = try RecordIndex.open(path: json)
        try index.waitUntilComplete()
        let key = try RecordKeyField("/custom_attributes/member_id", index: index)
        guard case .success(let first) = index.loadRecord(0), case .success(let second) = index.loadRecord(1) else { return XCTFail() }
        XCTAssertEqual(key.value(of: 0, in: index, record: first), "42", "a number as its JSON text")
        XCTAssertNil(key.value(of: 1, in: index, record: second))
        XCTAssertThrowsError(try RecordKeyField("legacy", index: index), "not a pointer")
        XCTAssertThrowsError(try RecordKeyField("/password/password_hash", index: index))

        let csv = dir.write("u.csv", "Legacy ID,email,password_hash\nL-9,c@example.com,$2a$10$abcdefghijklmnopqrstuu5Yb0Zm9bY1qS4d2x8cJ5aW3k1W0d8pO\n")
        let csvIndex = try RecordIndex.open(path: csv)
        try csvIndex.waitUntilComplete()
        let column = try RecordKeyField("Legacy ID", index: csvIndex)
        XCTAssertEqual(column.value(of: 0, in: csvIndex, record: nil), "L-9", "a column that maps to nothing is carried")
        XCTAssertNil(column.value(of: 5, in: csvIndex, record: nil))
        XCTAssertThrowsError(try RecordKeyField("password_hash", index: csvIndex), "a secret column never goes into a report")
    }

    func testTheCauseOfADuplicatedIdentityNamesWhichIdentityClashed() {
        let duplicated = #"{"name":"Invalid","reason":"InvariantViolated","message":"identity already exists","code":400,"info":{"cause":{"kind":"DuplicatedIdentity"},"IdentityTypeIncoming":"login_id","LoginIDTypeIncoming":"phone","IdentityTypeExisting":"oauth","OAuthProviderTypeExisting":"google"}}"#
        XCTAssertEqual(RecordErrorCause.parse(duplicated),
                       RecordErrorCause(kind: "DuplicatedIdentity", clash: "the record's phone login ID clashes with an existing oauth (google) identity of another user"))
        let schema = #"{"name":"Invalid","reason":"ValidationFailed","message":"invalid value","code":400,"info":{"causes":[{"kind":"format","location":"/email"},{"kind":"required","location":"/x"}]}}"#
        XCTAssertEqual(RecordErrorCause.parse(schema), RecordErrorCause(kind: "format at /email (+1 more)", clash: nil))
        XCTAssertNil(RecordErrorCause.parse(#"{"name":"Invalid","reason":"InvalidBcryptHash","message":"x","code":400}"#))
        XCTAssertNil(RecordErrorCause.parse(nil))
    }
}
