import Foundation
import MigrationCore
import XCTest
@testable import Sandbox

/// `GET /_sandbox/users` in pages (`limit`, `after` = the previous page's `next`), the lookup by
/// login ID, and `POST /_sandbox/reset` dropping the store.
final class ServerUsersListingTests: XCTestCase {
    var sandbox: TestSandbox!

    override func setUp() async throws { sandbox = try await TestSandbox.start() }
    override func tearDown() async throws { await sandbox.stop() }

    /// Seeds `count` users with emails `seed<i>@example.com`; answers their ids in seeding order.
    func seed(_ count: Int, from start: Int = 0) async throws -> [String] {
        let users = (start..<start + count).map { #"{"ref":"r\#($0)","identities":[{"type":"login_id","key":"email","value":"seed\#($0)@example.com"}]}"# }
        let answer = await sandbox.control("POST", "/_sandbox/users", #"{"users":[\#(users.joined(separator: ","))]}"#)
        let refs = try XCTUnwrap(answer?["users"])
        return try (start..<start + count).map { try XCTUnwrap(refs["r\($0)"]?.stringValue) }
    }

    /// Follows `next` from the first page; answers each page's ids.
    func walk(limit: Int?) async throws -> [[String]] {
        var pages: [[String]] = []
        var after: String?
        repeat {
            var query: [String] = []
            if let limit { query.append("limit=\(limit)") }
            if let after { query.append("after=\(after)") }
            let sent = await RawHTTP.send(port: sandbox.port, method: "GET", path: "/_sandbox/users" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
            let response = try XCTUnwrap(sent)
            XCTAssertEqual(response.status, 200, String(decoding: response.body, as: UTF8.self))
            let page = try XCTUnwrap(response.json)
            XCTAssertNotNil(page["total"]?.int, "every page says how many users there are")
            pages.append(try XCTUnwrap(page["users"]?.arrayValue).map { $0["id"]?.stringValue ?? "" })
            after = page["next"]?.stringValue
            if page["next"] != .null { XCTAssertNotNil(after, "next is a string or null") }
            XCTAssertLessThan(pages.count, 1000, "the walk does not end")
        } while after != nil
        return pages
    }

    func testPagesListEveryUserExactlyOnceInCreationOrder() async throws {
        let ids = try await seed(25)
        let pages = try await walk(limit: 7)
        XCTAssertEqual(pages.map(\.count), [7, 7, 7, 4])
        XCTAssertEqual(pages.flatMap { $0 }, ids)
        let again = try await walk(limit: 7)
        XCTAssertEqual(again, pages, "stable while nothing is written")
        let first = await sandbox.control("GET", "/_sandbox/users?limit=7")
        XCTAssertEqual(first?["total"]?.int, 25)
        XCTAssertEqual(first?["next"]?.stringValue, ids[6], "the cursor is the last listed user's id")
        // Users added meanwhile come after the existing ones: a walk in progress still sees each user once.
        let more = try await seed(3, from: 25)
        let second = await sandbox.control("GET", "/_sandbox/users?limit=7&after=\(ids[6])")
        XCTAssertEqual(second?["users"]?.arrayValue?.first?["id"]?.stringValue, ids[7])
        XCTAssertEqual(second?["total"]?.int, 28)
        let walked = try await walk(limit: 10)
        XCTAssertEqual(walked.flatMap { $0 }, ids + more)
        // An exact multiple ends with next = null on the last full page.
        let exact = try await walk(limit: 14)
        XCTAssertEqual(exact.map(\.count), [14, 14])
    }

    func testWithoutParametersTheFirstThousandAreListed() async throws {
        let ids = try await seed(1001)
        let answer = await sandbox.control("GET", "/_sandbox/users")
        let page = try XCTUnwrap(answer)
        XCTAssertEqual(page["users"]?.arrayValue?.count, 1000)
        XCTAssertEqual(page["next"]?.stringValue, ids[999])
        XCTAssertEqual(page["total"]?.int, 1001)
        let pages = try await walk(limit: nil)
        XCTAssertEqual(pages.map(\.count), [1000, 1])
        let empty = await sandbox.control("GET", "/_sandbox/users?after=\(ids[1000])")
        XCTAssertEqual(empty?["users"]?.arrayValue?.count, 0)
        XCTAssertEqual(empty?["next"], .null)
    }

    func testLimitBoundsAndBadCursorsAreRefusedClearly() async throws {
        let ids = try await seed(3)
        XCTAssertEqual(UsersQuery.defaultLimit, 1000)
        XCTAssertEqual(UsersQuery.maximumLimit, 10000)
        XCTAssertEqual(try UsersQuery(parameters: []).limit, 1000)
        XCTAssertEqual(try UsersQuery(parameters: [("limit", "10000")]).limit, 10000)
        XCTAssertEqual(try UsersQuery(parameters: [("limit", "250000")]).limit, 10000, "capped at the maximum")
        XCTAssertEqual(try UsersQuery(parameters: [("limit", "1")]).limit, 1)
        for (query, message) in [("limit=0", "limit must be an integer from 1"), ("limit=-5", "limit must be an integer from 1"),
                                 ("limit=ten", "limit must be an integer from 1"), ("limit=", "limit must be an integer from 1"),
                                 ("after=nobody", "after: no user has the id nobody"),
                                 ("after=", "after: no user has the id"), ("colour=red", "unknown parameter colour")] {
            let sent = await RawHTTP.send(port: sandbox.port, method: "GET", path: "/_sandbox/users?" + query)
            let response = try XCTUnwrap(sent)
            XCTAssertEqual(response.status, 400, query)
            let text = response.json?["error"]?["message"]?.stringValue ?? ""
            XCTAssertTrue(text.contains(message), "\(query): \(text)")
        }
        let one = await sandbox.control("GET", "/_sandbox/users?limit=1")
        XCTAssertEqual(one?["users"]?.arrayValue?.count, 1)
        // A cursor from before a reset names a user that is gone.
        _ = await sandbox.control("POST", "/_sandbox/reset", "{}")
        let staleAnswer = await RawHTTP.send(port: sandbox.port, method: "GET", path: "/_sandbox/users?after=\(ids[0])")
        let stale = try XCTUnwrap(staleAnswer)
        XCTAssertEqual(stale.status, 400)
        XCTAssertTrue((stale.json?["error"]?["message"]?.stringValue ?? "").contains("reset"), String(decoding: stale.body, as: UTF8.self))
    }

    func testLookupByLoginID() async throws {
        let ids = try await seed(5)
        let found = await sandbox.control("GET", "/_sandbox/users?login_id=seed3@example.com")
        let hit = try XCTUnwrap(found)
        XCTAssertEqual(hit["users"]?.arrayValue?.map { $0["id"]?.stringValue }, [ids[3]])
        XCTAssertEqual(hit["total"]?.int, 1)
        XCTAssertEqual(hit["next"], .null)
        // Stored normalised: the lookup normalises as the import would not, so give the stored form.
        let miss = await sandbox.control("GET", "/_sandbox/users?login_id=nobody@example.com")
        XCTAssertEqual(miss?["users"]?.arrayValue?.count, 0)
        XCTAssertEqual(miss?["total"]?.int, 0)
    }

    func testResetDropsTheStoreStorage() async throws {
        _ = try await seed(2000)
        let state = sandbox.server.state
        let before = await state.userStorage
        XCTAssertEqual(before.users, 2000)
        XCTAssertGreaterThanOrEqual(before.capacity, 2000)
        _ = await sandbox.control("POST", "/_sandbox/reset", "{}")
        let after = await state.userStorage
        XCTAssertEqual(after.users, 0)
        XCTAssertEqual(after.capacity, 0, "reset replaces the containers instead of keeping their capacity")
        let listing = await sandbox.control("GET", "/_sandbox/users")
        XCTAssertEqual(listing?["users"]?.arrayValue?.count, 0)
        XCTAssertEqual(listing?["total"]?.int, 0)
        XCTAssertEqual(listing?["next"], .null)
    }
}
