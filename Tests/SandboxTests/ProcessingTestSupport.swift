import Foundation
import XCTest
import MigrationCore
@testable import Sandbox

/// Helpers for the processing tests: JSON literals, one-call record processing, compact JSON text.
enum ProcessingFixture {
    static let now = SandboxTime.parse("2026-06-01T00:00:00Z")!
    static let hash = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"

    static func json(_ text: String) -> JSONValue { try! JSONParser.parse(text) }

    /// Go's encoding of a value (sorted keys, HTML escaping).
    static func go(_ v: JSONValue?) -> String { v.map { JSONWriter(sortedKeys: true, escapeHTML: true).string($0) } ?? "nil" }
    static func text(_ v: JSONValue?) -> String { v.map { JSONWriter().string($0) } ?? "nil" }

    static func run(_ records: [String], identifier: String = "email", upsert: Bool = false,
                    project: SandboxProject = .default, store: inout UserStore) -> [ImportDetail] {
        records.enumerated().map {
            RecordProcessor.process(json($0.element), index: $0.offset, identifier: identifier, upsert: upsert,
                                    project: project, store: &store, now: now)
        }
    }

    static func one(_ record: String, identifier: String = "email", upsert: Bool = false,
                    project: SandboxProject = .default, store: inout UserStore) -> ImportDetail {
        run([record], identifier: identifier, upsert: upsert, project: project, store: &store)[0]
    }

    static func users(_ store: UserStore) -> [JSONValue] { store.listJSON(now: now)["users"]!.arrayValue! }

    static func seed(_ body: String, into store: inout UserStore, project: SandboxProject = .default) -> [String: String] {
        try! store.seed(json(body), project: project, now: now)
    }
}
