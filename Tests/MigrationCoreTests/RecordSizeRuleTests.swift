import XCTest
@testable import MigrationCore

/// `record.too_large`: a record that cannot fit in any request is an error of validation, by the
/// exact bytes and the exact envelope, whichever path (fast path, full validator, edit) judges it.
final class RecordSizeRuleTests: XCTestCase {
    private func workspace(_ ndjson: [String], upsert: Bool = false) throws -> SourceWorkspace {
        let path = TestFiles.write(ndjson.joined(separator: "\n") + "\n", name: "big.ndjson")
        let index = try RecordIndex.open(path: path)
        XCTAssertNil(index.finish())
        return SourceWorkspace(index: index, settings: ValidationSettings(identifier: .email, upsert: upsert))
    }

    /// A plain record (one the fast path judges) of exactly `size` compact bytes.
    private func record(size: Int, email: String = "big@example.com") -> String {
        let base = #"{"email":"\#(email)","name":""}"#.utf8.count
        return #"{"email":"\#(email)","name":"\#(String(repeating: "x", count: size - base))"}"#
    }

    func testTheLimitIsTheServersBodyLimitLessTheEnvelope() {
        let settings = ValidationSettings(identifier: .email, upsert: false)
        let envelope = #"{"identifier":"email","upsert":false,"records":[]}"#.utf8.count
        XCTAssertEqual(RecordSizeRule.limit(settings), 500_000 - envelope)
        XCTAssertEqual(RecordSizeRule.limit(ValidationSettings(identifier: .preferredUsername, upsert: true)),
                       500_000 - #"{"identifier":"preferred_username","upsert":true,"records":[]}"#.utf8.count)
    }

    func testARecordOneByteOverTheLimitIsAnErrorNamingItsSizeTheLimitAndItsLargestField() throws {
        let limit = RecordSizeRule.limit(ValidationSettings(identifier: .email))
        let w = try workspace([record(size: limit), record(size: limit + 1, email: "bigger@example.com"), #"{"email":"small@example.com"}"#])
        let r = w.validate()
        XCTAssertEqual(Int(r.requestSizes[0]), limit)
        XCTAssertEqual(r.status[0], .valid, "exactly at the limit fits a request of its own: \(r.issues[0] ?? [])")
        XCTAssertEqual(r.status[1], .errors)
        XCTAssertEqual(r.status[2], .valid)
        let issue = try XCTUnwrap(r.issues[1]?.first)
        XCTAssertEqual(issue.rule, "record.too_large")
        XCTAssertEqual(issue.pointer, "/name")
        XCTAssertTrue(issue.message.contains("\(grouped(limit + 1)) bytes"), issue.message)
        XCTAssertTrue(issue.message.contains("500,000"), issue.message)
        XCTAssertTrue(issue.message.contains("largest field is /name"), issue.message)
        // What validation lets through, the planner can always place.
        let plan = BatchPlanner(identifier: .email, upsert: false)
            .plan(records: (0..<r.recordCount).filter { r.isSendable($0) }, size: { Int(r.requestSizes[$0]) })
        XCTAssertEqual(plan.oversized, [])
        XCTAssertEqual(plan.batches.flatMap(\.records), [0, 2])
        XCTAssertTrue(plan.batches.allSatisfy { $0.bodySize <= 500_000 })
    }

    func testAnEditThatMakesARecordTooLargeIsFoundAtOnce() throws {
        let w = try workspace([#"{"email":"a@example.com"}"#])
        w.validate()
        let big = try JSONParser.parse(Array(record(size: 600_000).utf8))
        w.edit { $0.replace(0, with: big) }
        let r = try XCTUnwrap(w.report)
        XCTAssertEqual(r.status[0], .errors)
        XCTAssertEqual(r.issues[0]?.map(\.rule), ["record.too_large"])
    }

    private func grouped(_ n: Int) -> String {
        let f = NumberFormatter()
        f.numberStyle = .decimal
        f.groupingSeparator = ","
        return f.string(from: NSNumber(value: n))!
    }
}
