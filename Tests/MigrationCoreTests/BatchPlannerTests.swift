import Foundation
import XCTest
@testable import MigrationCore

/// Request bodies: exact sizes, the 500,000-byte limit, record caps, and the export document.
final class BatchPlannerTests: XCTestCase {
    /// A compact record of exactly `size` bytes: `{"email":"xxx…"}`.
    private func record(_ n: Int, size: Int) -> [UInt8] {
        let fixed = "{\"email\":\"\"}".utf8.count
        precondition(size >= fixed + 1)
        let tag = "\(n)@"
        return Array("{\"email\":\"\(tag)\(String(repeating: "x", count: size - fixed - tag.count))\"}".utf8)
    }

    private func checkBodies(_ planner: BatchPlanner, _ plan: BatchPlan, _ records: [Int: [UInt8]], file: StaticString = #filePath, line: UInt = #line) {
        for batch in plan.batches {
            let body = planner.envelope.body(count: batch.records.count) { k, out in out.append(contentsOf: records[batch.records[k]]!) }
            XCTAssertEqual(planner.envelope.bodySize(recordSizes: batch.records.map { records[$0]!.count }), batch.bodySize,
                           "the envelope's size rule", file: file, line: line)
            XCTAssertEqual(body.count, batch.bodySize, "batch \(batch.number)", file: file, line: line)
            XCTAssertLessThanOrEqual(body.count, planner.maxBodyBytes, file: file, line: line)
            guard let doc = try? JSONParser.parse(body) else { XCTFail("body does not parse", file: file, line: line); continue }
            XCTAssertEqual(doc.objectValue?.map(\.key), ["identifier", "upsert", "records"], file: file, line: line)
            XCTAssertEqual(doc["identifier"], .string(planner.identifier.rawValue), file: file, line: line)
            XCTAssertEqual(doc["upsert"], .bool(planner.upsert), file: file, line: line)
            let sent = doc["records"]?.arrayValue ?? []
            XCTAssertEqual(sent.count, batch.records.count, file: file, line: line)
            XCTAssertFalse(sent.isEmpty, "minItems 1", file: file, line: line)
            XCTAssertTrue(sent.allSatisfy { $0.objectValue != nil }, file: file, line: line)
        }
    }

    func testBodyBytesHaveExactlyBodySizeAndParse() {
        let planner = BatchPlanner(identifier: .phoneNumber, upsert: true, maxBodyBytes: 300, maxRecords: 4)
        var recs: [Int: [UInt8]] = [:]
        for n in 0..<25 { recs[n] = record(n, size: 20 + (n * 7) % 60) }
        let plan = planner.plan(records: 0..<25, size: { recs[$0]!.count })
        XCTAssertEqual(plan.recordCount, 25)
        XCTAssertEqual(plan.batches.flatMap(\.records), Array(0..<25), "order preserved")
        XCTAssertEqual(plan.batches.map(\.number), Array(0..<plan.batches.count))
        XCTAssertTrue(plan.batches.allSatisfy { $0.records.count <= 4 })
        checkBodies(planner, plan, recs)
    }

    func testPrefixText() {
        XCTAssertEqual(String(decoding: BatchPlanner(identifier: .email, upsert: false).envelope.prefix, as: UTF8.self),
                       "{\"identifier\":\"email\",\"upsert\":false,\"records\":[")
        XCTAssertEqual(BatchPlanner(identifier: .email, upsert: false, maxBodyBytes: 10_000_000).maxBodyBytes, 500_000)
        // An identifier string is escaped (the client's bodies for arbitrary identifiers share the envelope).
        XCTAssertEqual(String(decoding: RequestEnvelope(identifier: "a\"b", upsert: true).prefix, as: UTF8.self),
                       "{\"identifier\":\"a\\\"b\",\"upsert\":true,\"records\":[")
    }

    func testBatchExactlyAtTheLimitIsAllowedAndOneByteOverSplits() {
        let planner = BatchPlanner(identifier: .email, upsert: false)
        let overhead = planner.envelope.overhead
        // Two records plus one comma fill the body to exactly 500,000 bytes.
        let first = 250_000
        let second = 500_000 - overhead - first - 1
        var recs = [0: record(0, size: first), 1: record(1, size: second)]
        var plan = planner.plan(records: [0, 1], size: { recs[$0]!.count })
        XCTAssertEqual(plan.batches.count, 1)
        XCTAssertEqual(plan.batches[0].bodySize, 500_000)
        checkBodies(planner, plan, recs)
        recs[1] = record(1, size: second + 1)
        plan = planner.plan(records: [0, 1], size: { recs[$0]!.count })
        XCTAssertEqual(plan.batches.map(\.records), [[0], [1]])
        checkBodies(planner, plan, recs)
    }

    func testSingleRecordAtTheLimitAndOversized() {
        let planner = BatchPlanner(identifier: .email, upsert: false)
        let overhead = planner.envelope.overhead
        let recs = [0: record(0, size: 100), 1: record(1, size: 500_000 - overhead), 2: record(2, size: 500_001 - overhead), 3: record(3, size: 100)]
        let plan = planner.plan(records: 0..<4, size: { recs[$0]!.count })
        XCTAssertEqual(plan.oversized, [2])
        XCTAssertEqual(plan.batches.map(\.records), [[0], [1], [3]])
        XCTAssertEqual(plan.batches[1].bodySize, 500_000)
        checkBodies(planner, plan, recs)
    }

    func testMaxRecords() {
        let planner = BatchPlanner(identifier: .preferredUsername, upsert: false, maxRecords: 3)
        let plan = planner.plan(records: 0..<10, size: { _ in 30 })
        XCTAssertEqual(plan.batches.map(\.records.count), [3, 3, 3, 1])
        XCTAssertEqual(plan.recordCount, 10)
        let one = BatchPlanner(identifier: .email, upsert: false, maxRecords: 1).plan(records: [5, 2, 9], size: { _ in 10 })
        XCTAssertEqual(one.batches.map(\.records), [[5], [2], [9]])
    }

    func testEmptyInput() {
        let plan = BatchPlanner(identifier: .email, upsert: false).plan(records: [], size: { _ in 10 })
        XCTAssertTrue(plan.batches.isEmpty)
        XCTAssertTrue(plan.oversized.isEmpty)
    }

    // MARK: - ImportDocumentWriter

    func testExportDocumentParsesAndKeepsRecordText() throws {
        let r0 = "{ \"email\" : \"a@b\" , \"n\" : 1.0 , \"name\":\"x\\\"y z\", \"name\":\"dup\" }"
        let r2 = "{\"email\":\"c@d\",\"e\":1E+2}"
        let source = "[\n\(r0),\n{\"email\":\"skip@me\"},\n\(r2),\n{\"email\":\"edit@me\"}\n]"
        let idx = try RecordIndex.open(path: TestFiles.write(source))
        XCTAssertNil(idx.finish())
        var edits = EditOverlay()
        edits.exclude(1)
        edits.replace(3, with: .obj(["email": .string("edited@me"), "tag": .string("<&>")]))
        let out = TestFiles.makeDirectory() + "/out.json"
        let writer = ImportDocumentWriter(index: idx, edits: edits, identifier: .email, upsert: true)
        XCTAssertEqual(try writer.write(to: out, include: { _ in true }), 3)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        let doc = try JSONParser.parse(text)
        XCTAssertEqual(doc["identifier"], .string("email"))
        XCTAssertEqual(doc["upsert"], .bool(true))
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[1], "{\"email\":\"a@b\",\"n\":1.0,\"name\":\"x\\\"y z\",\"name\":\"dup\"},")
        XCTAssertEqual(lines[2], r2 + ",")
        XCTAssertEqual(doc["records"]?.arrayValue?.count, 3)
        XCTAssertEqual(doc["records"]?.arrayValue?[2]["email"], .string("edited@me"))
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int, 0o600)
        XCTAssertEqual(try writer.write(to: out, include: { $0 == 2 }), 1)
        XCTAssertEqual(try JSONParser.parse(Array(Data(contentsOf: URL(fileURLWithPath: out))))["records"]?.arrayValue?.count, 1)
    }

    func testRecordBytesMatchCompactLength() throws {
        let idx = try RecordIndex.open(path: TestFiles.write("[ {\n \"email\" : \"a \\\\ b\" } ]"))
        XCTAssertNil(idx.finish())
        var out: [UInt8] = []
        XCTAssertTrue(ImportDocumentWriter(index: idx, edits: EditOverlay(), identifier: .email, upsert: false).recordBytes(0, into: &out))
        XCTAssertEqual(out.count, JSONCompactor.compactLength(idx.rawBytes(idx.span(0))))
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "{\"email\":\"a \\\\ b\"}")
    }
}
